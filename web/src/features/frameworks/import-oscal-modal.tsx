// Import an OSCAL catalog (JSON): choose the file, optionally name its ref, upload with progress. A refused
// catalog shows the problem and where in the file it is wrong.
import { useState } from 'react';
import {
  Alert,
  Button,
  Code,
  FileInput,
  Group,
  List,
  Modal,
  Progress,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { UploadIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, errorMessage, notifySuccess } from '../../shared/ui/notify.tsx';
import { frameworkKeys, importOscal } from './frameworks.api.ts';
import type { UploadPhase } from '../../shared/api/upload.ts';

const MAX_BYTES = 50 * 1024 * 1024;
const REF_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** A ref suggested from the file name: "NIST_SP-800-53_rev5_catalog.json" -> "nist_sp-800-53_rev5_catalog". */
export function refFromFileName(name: string): string {
  return name
    .replace(/\.json$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
}

/** The refusal of a catalog: the detail, then where in the file (the JSON paths), without repeating the detail. */
function OscalProblem({ error }: { error: ApiError }) {
  const t = useT();
  const detail = errorMessage(error, t);
  const issues = error.problem.errors ?? [];
  return (
    <Stack gap={6}>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {detail}
      </Text>
      {issues.length > 0 && (
        <div>
          <Text size="xs" fw={700} c="red.8">
            {t('framework.importWhere')}
          </Text>
          <List size="sm" spacing={2}>
            {issues.map((i, n) => (
              <List.Item key={n}>
                <Code>{i.path}</Code>
                {!detail.includes(i.message) && <Text span size="sm">{` ${i.message}`}</Text>}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}

export function ImportOscalModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('framework.importTitle')} size="lg">
      {opened && <ImportForm onClose={onClose} />}
    </Modal>
  );
}

function ImportForm({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [ref, setRef] = useState('');
  const [phase, setPhase] = useState<UploadPhase | null>(null);

  const upload = useMutation({
    mutationFn: (f: File) => importOscal(f, ref.trim(), setPhase),
    onSuccess: (fw) => {
      notifySuccess((t) => t('framework.imported', { name: fw.name, count: fw.requirements }));
      void queryClient.invalidateQueries({ queryKey: frameworkKeys.all });
      onClose();
      void navigate(`/frameworks/${fw.id}`);
    },
    onSettled: () => setPhase(null),
  });

  const tooBig = file !== null && file.size > MAX_BYTES;
  const refInvalid = ref.trim() !== '' && !REF_PATTERN.test(ref.trim());
  const err = upload.error;
  const errTitle =
    err instanceof ApiError && err.status === 422
      ? t('framework.importRefused')
      : err instanceof ApiError && err.status === 409
        ? t('framework.importConflict')
        : t('error.title');

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('framework.importHelp')}
      </Text>
      <FileInput
        label={t('framework.importFile')}
        placeholder={t('framework.importChoose')}
        accept=".json,application/json"
        value={file}
        onChange={(f) => {
          setFile(f);
          upload.reset();
          if (f && !ref) setRef(refFromFileName(f.name));
        }}
        clearable
        leftSection={<UploadIcon size={16} />}
        error={tooBig ? t('framework.importTooBig') : undefined}
        data-testid="oscal-file"
      />
      <TextInput
        label={t('framework.ref')}
        description={t('framework.refHelp')}
        value={ref}
        onChange={(e) => setRef(e.currentTarget.value)}
        error={refInvalid ? t('framework.refInvalid') : undefined}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-testid="oscal-ref"
      />
      {phase && (
        <Stack gap={4} data-testid="oscal-progress">
          <Text size="sm">
            {phase.phase === 'uploading'
              ? t('import.uploading', { percent: phase.percent })
              : t('framework.importProcessing')}
          </Text>
          <Progress value={phase.phase === 'uploading' ? phase.percent : 100} animated striped />
        </Stack>
      )}
      {err && (
        <Alert color="red" title={errTitle} data-testid="oscal-error">
          {err instanceof ApiError && err.status === 422 ? (
            <OscalProblem error={err} />
          ) : (
            <ProblemDetails error={err} t={t} />
          )}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          leftSection={<UploadIcon />}
          disabled={!file || tooBig || refInvalid}
          loading={upload.isPending}
          onClick={() => file && upload.mutate(file)}
          data-testid="oscal-upload"
        >
          {t('framework.importSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}
