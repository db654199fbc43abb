// Add evidence to an applied control (a link, a note or an uploaded file, with its validity), or edit the
// title and validity of one.
import { useState } from 'react';
import {
  Alert,
  Button,
  FileInput,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import type { EvidenceDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { UploadIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifySuccess } from '../../shared/ui/notify.tsx';
import {
  addEvidence,
  complianceKeys,
  updateEvidence,
  uploadEvidenceFile,
  type UploadPhase,
} from './compliance.api.ts';
import { addYears, localToday } from './lib/dates.ts';

const MAX_FILE_BYTES = 25 * 1024 * 1024;
type Kind = 'link' | 'note' | 'file';

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: complianceKeys.all });
}

export function AddEvidenceModal({
  opened,
  controlId,
  onClose,
}: {
  opened: boolean;
  controlId: string;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('evidence.add')} size="lg">
      {opened && <AddEvidenceForm controlId={controlId} onClose={onClose} />}
    </Modal>
  );
}

function AddEvidenceForm({ controlId, onClose }: { controlId: string; onClose: () => void }) {
  const t = useT();
  const invalidate = useInvalidate();
  const today = localToday();
  const [kind, setKind] = useState<Kind>('link');
  const [title, setTitle] = useState('');
  // The title taken from the file name, replaced when another file is chosen (not once the user typed one).
  const [autoTitle, setAutoTitle] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [validFrom, setValidFrom] = useState(today);
  const [validUntil, setValidUntil] = useState(addYears(today, 1));
  const [phase, setPhase] = useState<UploadPhase | null>(null);

  const add = useMutation({
    mutationFn: (): Promise<EvidenceDto> => {
      const validity = { validFrom, validUntil: validUntil || null };
      if (kind === 'file')
        return uploadEvidenceFile(
          controlId,
          { title: title.trim(), validFrom, validUntil: validUntil || undefined },
          file!,
          setPhase,
        );
      if (kind === 'link')
        return addEvidence(controlId, { kind, title: title.trim(), url: url.trim(), ...validity });
      return addEvidence(controlId, { kind, title: title.trim(), note: note.trim(), ...validity });
    },
    onSuccess: (e) => {
      notifySuccess((t) => t('evidence.added', { title: e.title }));
      invalidate();
      onClose();
    },
    onSettled: () => setPhase(null),
  });
  const errors = fieldErrors(add.error, t);
  const tooBig = file !== null && file.size > MAX_FILE_BYTES;
  const badDates = validUntil !== '' && validUntil < validFrom;
  const ready =
    title.trim() !== '' &&
    validFrom !== '' &&
    !badDates &&
    (kind === 'link' ? url.trim() !== '' : kind === 'note' ? note.trim() !== '' : file !== null && !tooBig);
  const errorTitle =
    add.error instanceof ApiError && add.error.status === 413
      ? t('evidence.tooLargeTitle')
      : add.error instanceof ApiError && add.error.status === 415
        ? t('evidence.refusedTypeTitle')
        : t('error.title');

  return (
    <Stack>
      <SegmentedControl
        value={kind}
        onChange={(v) => {
          setKind(v as Kind);
          add.reset();
        }}
        data={[
          { value: 'link', label: t('evidenceKind.link') },
          { value: 'note', label: t('evidenceKind.note') },
          { value: 'file', label: t('evidenceKind.file') },
        ]}
        data-testid="evidence-kind"
      />
      <TextInput
        label={t('evidence.title')}
        placeholder={t('evidence.titlePlaceholder')}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        required
        maxLength={300}
        error={errors.title}
        data-testid="evidence-title"
      />
      {kind === 'link' && (
        <TextInput
          label={t('evidence.url')}
          placeholder="https://"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          required
          type="url"
          maxLength={2000}
          error={errors.url}
          data-testid="evidence-url"
        />
      )}
      {kind === 'note' && (
        <Textarea
          label={t('evidence.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          required
          autosize
          minRows={4}
          maxRows={12}
          maxLength={20000}
          error={errors.note}
          data-testid="evidence-note"
        />
      )}
      {kind === 'file' && (
        <FileInput
          label={t('evidence.file')}
          description={t('evidence.fileHelp')}
          placeholder={t('evidence.chooseFile')}
          value={file}
          onChange={(f) => {
            setFile(f);
            add.reset();
            if (f && (!title || title === autoTitle)) {
              const fromName = f.name.replace(/\.[^.]+$/, '');
              setTitle(fromName);
              setAutoTitle(fromName);
            }
          }}
          clearable
          required
          leftSection={<UploadIcon size={16} />}
          error={tooBig ? t('evidence.tooLarge') : undefined}
          data-testid="evidence-file"
        />
      )}
      <SimpleGrid cols={2}>
        <TextInput
          label={t('evidence.validFrom')}
          type="date"
          value={validFrom}
          onChange={(e) => setValidFrom(e.currentTarget.value)}
          required
          error={errors.validFrom}
          data-testid="evidence-valid-from"
        />
        <TextInput
          label={t('evidence.validUntil')}
          description={t('evidence.validUntilHelp')}
          type="date"
          value={validUntil}
          onChange={(e) => setValidUntil(e.currentTarget.value)}
          error={badDates ? t('evidence.badDates') : errors.validUntil}
          data-testid="evidence-valid-until"
        />
      </SimpleGrid>
      {phase && (
        <Stack gap={4} data-testid="evidence-progress">
          <Text size="sm">
            {phase.phase === 'uploading'
              ? t('import.uploading', { percent: phase.percent })
              : t('evidence.storing')}
          </Text>
          <Progress value={phase.phase === 'uploading' ? phase.percent : 100} animated striped />
        </Stack>
      )}
      {add.error && (
        <Alert color="red" title={errorTitle}>
          <ProblemDetails error={add.error} t={t} />
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={!ready}
          loading={add.isPending}
          onClick={() => add.mutate()}
          data-testid="evidence-save"
        >
          {kind === 'file' ? t('evidence.upload') : t('evidence.add')}
        </Button>
      </Group>
    </Stack>
  );
}

export function EditEvidenceModal({
  evidence,
  onClose,
}: {
  evidence: EvidenceDto | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal opened={evidence !== null} onClose={onClose} title={t('evidence.edit')}>
      {evidence && <EditEvidenceForm key={evidence.id} evidence={evidence} onClose={onClose} />}
    </Modal>
  );
}

function EditEvidenceForm({ evidence, onClose }: { evidence: EvidenceDto; onClose: () => void }) {
  const t = useT();
  const invalidate = useInvalidate();
  const [title, setTitle] = useState(evidence.title);
  const [validFrom, setValidFrom] = useState(evidence.validFrom);
  const [validUntil, setValidUntil] = useState(evidence.validUntil ?? '');
  const save = useMutation({
    mutationFn: () =>
      updateEvidence(evidence.id, {
        version: evidence.version,
        ...(title.trim() !== evidence.title ? { title: title.trim() } : {}),
        ...(validFrom !== evidence.validFrom ? { validFrom } : {}),
        ...((validUntil || null) !== evidence.validUntil ? { validUntil: validUntil || null } : {}),
      }),
    onSuccess: (e) => {
      notifySuccess((t) => t('evidence.updated', { title: e.title }));
      invalidate();
      onClose();
    },
  });
  const errors = fieldErrors(save.error, t);
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const badDates = validUntil !== '' && validUntil < validFrom;
  return (
    <Stack>
      <TextInput
        label={t('evidence.title')}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        required
        maxLength={300}
        error={errors.title}
      />
      <SimpleGrid cols={2}>
        <TextInput
          label={t('evidence.validFrom')}
          type="date"
          value={validFrom}
          onChange={(e) => setValidFrom(e.currentTarget.value)}
          required
          error={errors.validFrom}
        />
        <TextInput
          label={t('evidence.validUntil')}
          type="date"
          value={validUntil}
          onChange={(e) => setValidUntil(e.currentTarget.value)}
          error={badDates ? t('evidence.badDates') : errors.validUntil}
          data-testid="evidence-edit-valid-until"
        />
      </SimpleGrid>
      {save.error && (
        <Alert color={stale ? 'orange' : 'red'} title={stale ? t('error.staleTitle') : undefined}>
          {stale ? t('error.staleVersion') : <ProblemDetails error={save.error} t={t} />}
          {stale && (
            <Group mt="sm">
              <Button
                size="xs"
                variant="white"
                color="orange"
                onClick={() => {
                  invalidate();
                  onClose();
                }}
              >
                {t('common.reload')}
              </Button>
            </Group>
          )}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!title.trim() || !validFrom || badDates || stale}
          data-testid="evidence-edit-save"
        >
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
