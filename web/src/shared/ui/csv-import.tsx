// The CSV import workflow every inventory shares: choose a file, dry run (every bad row with its line), then
// commit all rows or none, with upload progress and the report.
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  FileInput,
  Group,
  Paper,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { UploadPhase } from '../api/upload.ts';
import { useT } from '../i18n/i18n.tsx';
import { CheckIcon, UploadIcon } from './icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from './notify.tsx';
import type { FieldIssue } from '../api/client.ts';
import { issueText } from '../i18n/issue-text.ts';

/** Issue paths that are not a column: the row itself, the header, the whole file. */
const ROW_WIDE = new Set(['row', 'header', 'file']);

export interface ImportReport {
  committed: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Each refused row: its English message, and its issues (column, code, figures) to word in the UI language. */
  errors: { line: number; message: string; issues?: FieldIssue[] }[];
  errorsTruncated: boolean;
}

export interface CsvImportProps<R extends ImportReport> {
  upload: (file: File, commit: boolean, onProgress: (p: UploadPhase) => void) => Promise<R>;
  columns: readonly string[];
  template: string;
  templateName: string;
  formatHelp: string;
  processingLabel: string;
  /** A heading above the file chooser, where the page holds more than the import. */
  title?: string;
  /** The notification after a commit; by default the shared "created / updated" message. */
  committedMessage?: (r: R) => string;
  onCommitted: () => void;
}

function Stat({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: number;
  color?: string;
  testId: string;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={color} data-testid={testId}>
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

export function CsvImport<R extends ImportReport>({
  upload,
  columns,
  template,
  templateName,
  formatHelp,
  processingLabel,
  title,
  committedMessage,
  onCommitted,
}: CsvImportProps<R>) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const [report, setReport] = useState<R | null>(null);

  const run = useMutation({
    mutationFn: ({ f, commit }: { f: File; commit: boolean }) => upload(f, commit, setPhase),
    onSuccess: (r) => {
      setReport(r);
      if (r.committed) {
        notifySuccess((t) =>
          committedMessage
            ? committedMessage(r)
            : t('import.committed', { created: r.created, updated: r.updated }),
        );
        onCommitted();
      } else if (r.errors.length === 0) {
        notifySuccess((t) => t('import.dryRunClean'));
      }
    },
    onError: (err) => notifyError(err),
    onSettled: () => setPhase(null),
  });

  const chooseFile = (f: File | null) => {
    setFile(f);
    setReport(null);
    run.reset();
  };

  const canCommit =
    file !== null &&
    report !== null &&
    !report.committed &&
    report.errors.length === 0 &&
    !report.errorsTruncated;

  return (
    <>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg" mb="lg">
        <Card withBorder padding="lg">
          {title && (
            <Title order={5} mb="xs">
              {title}
            </Title>
          )}
          <Stack>
            <FileInput
              label={t('import.file')}
              placeholder={t('import.choose')}
              accept=".csv,text/csv"
              value={file}
              onChange={chooseFile}
              clearable
              leftSection={<UploadIcon size={16} />}
              data-testid="import-file"
            />
            <Group>
              <Button
                variant="light"
                disabled={!file}
                loading={run.isPending && run.variables?.commit === false}
                onClick={() => file && run.mutate({ f: file, commit: false })}
                data-testid="import-dry-run"
              >
                {t('import.dryRun')}
              </Button>
              <Button
                color="teal"
                leftSection={<CheckIcon />}
                disabled={!canCommit}
                loading={run.isPending && run.variables?.commit === true}
                onClick={() => file && run.mutate({ f: file, commit: true })}
                data-testid="import-commit"
              >
                {t('import.commit')}
              </Button>
            </Group>
            {phase && (
              <Stack gap={4} data-testid="import-progress">
                <Text size="sm">
                  {phase.phase === 'uploading'
                    ? t('import.uploading', { percent: phase.percent })
                    : processingLabel}
                </Text>
                <Progress value={phase.phase === 'uploading' ? phase.percent : 100} animated striped />
              </Stack>
            )}
            {run.error && (
              <Alert color="red">
                <ProblemDetails error={run.error} t={t} />
              </Alert>
            )}
          </Stack>
        </Card>
        <Card withBorder padding="lg">
          <Title order={5} mb="xs">
            {t('import.format')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {formatHelp}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {columns.join(',')}
          </Code>
          <Anchor
            size="sm"
            mt="sm"
            display="inline-block"
            href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`}
            download={templateName}
          >
            {t('import.template')}
          </Anchor>
        </Card>
      </SimpleGrid>

      {report && (
        <Stack data-testid="import-report" mb="lg">
          <Alert
            color={report.committed ? 'teal' : report.errors.length ? 'red' : 'blue'}
            title={report.committed ? t('import.reportCommitted') : t('import.reportDryRun')}
          >
            {report.committed
              ? t('import.committedHelp')
              : report.errors.length
                ? t('import.hasErrors')
                : t('import.readyToCommit')}
          </Alert>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            <Stat label={t('import.rows')} value={report.rows} testId="import-rows" />
            <Stat label={t('import.created')} value={report.created} color="teal" testId="import-created" />
            <Stat label={t('import.updated')} value={report.updated} color="blue" testId="import-updated" />
            <Stat
              label={t('import.unchanged')}
              value={report.unchanged}
              color="gray"
              testId="import-unchanged"
            />
            <Stat
              label={t('import.errors')}
              value={report.errors.length}
              color={report.errors.length ? 'red' : 'gray'}
              testId="import-errors"
            />
          </SimpleGrid>
          {report.errors.length > 0 && (
            <Paper withBorder radius="md">
              <ScrollArea.Autosize mah={420}>
                <Table striped data-testid="import-error-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={100}>{t('import.line')}</Table.Th>
                      <Table.Th>{t('import.message')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.errors.map((e, i) => (
                      <Table.Tr key={i}>
                        <Table.Td ff="monospace">{e.line}</Table.Td>
                        <Table.Td data-testid="import-error-message">
                          {e.issues && e.issues.length > 0 ? (
                            <Stack gap={2}>
                              {e.issues.map((issue, k) => (
                                <Text size="sm" key={k}>
                                  {ROW_WIDE.has(issue.path) ? null : (
                                    <Text span ff="monospace" size="xs" c="dimmed">
                                      {issue.path}:{' '}
                                    </Text>
                                  )}
                                  {issueText(issue, t)}
                                </Text>
                              ))}
                            </Stack>
                          ) : (
                            e.message
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
              {report.errorsTruncated && (
                <Text size="sm" c="dimmed" p="sm">
                  {t('import.truncated')}
                </Text>
              )}
            </Paper>
          )}
        </Stack>
      )}
    </>
  );
}
