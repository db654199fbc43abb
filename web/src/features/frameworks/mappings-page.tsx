// Cross-framework requirement mappings in bulk: CSV export (all or one framework) and import (dry run, then commit).
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Code,
  FileInput,
  Group,
  Paper,
  Progress,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { MappingImportReport } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { CheckIcon, DownloadIcon, UploadIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import {
  frameworkKeys,
  importMappings,
  listFrameworks,
  mappingKeys,
  mappingsExportUrl,
} from './frameworks.api.ts';
import type { UploadPhase } from '../../shared/api/upload.ts';

const COLUMNS = [
  'source_framework',
  'source_ref',
  'target_framework',
  'target_ref',
  'relation',
  'note',
] as const;
const TEMPLATE = `${COLUMNS.join(',')}\niso27001-2022,A.8.5,pci-dss-4.0,8.4.2,intersects,MFA into the cardholder data environment\n`;
const ALL = '';

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

function ExportCard() {
  const t = useT();
  const [framework, setFramework] = useState<string>(ALL);
  const frameworks = useQuery({
    queryKey: frameworkKeys.list,
    queryFn: ({ signal }) => listFrameworks(signal),
  });
  const options = [
    { value: ALL, label: t('mapping.exportAll') },
    ...(frameworks.data ?? []).map((f) => ({ value: f.ref, label: `${f.name} (${f.ref})` })),
  ];
  return (
    <Card withBorder padding="lg">
      <Title order={5} mb="xs">
        {t('mapping.exportTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('mapping.exportHelp')}
      </Text>
      <Group align="flex-end">
        <Select
          label={t('mapping.exportFramework')}
          data={options}
          value={framework}
          onChange={(v) => setFramework(v ?? ALL)}
          allowDeselect={false}
          searchable
          w={340}
          data-testid="mapping-export-framework"
        />
        <Button
          variant="default"
          leftSection={<DownloadIcon />}
          component="a"
          href={mappingsExportUrl(framework || undefined)}
          download={framework ? `mappings-${framework}.csv` : 'mappings.csv'}
          data-testid="mapping-export"
        >
          {t('mapping.export')}
        </Button>
      </Group>
    </Card>
  );
}

function ImportSection() {
  const t = useT();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const [report, setReport] = useState<MappingImportReport | null>(null);

  const run = useMutation({
    mutationFn: ({ f, commit }: { f: File; commit: boolean }) => importMappings(f, commit, setPhase),
    onSuccess: (r) => {
      setReport(r);
      if (r.committed) {
        notifySuccess(t('import.committed', { created: r.created, updated: r.updated }));
        void queryClient.invalidateQueries({ queryKey: mappingKeys.all });
      } else if (r.errors.length === 0) {
        notifySuccess(t('import.dryRunClean'));
      }
    },
    onError: (err) => notifyError(err, t),
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
          <Title order={5} mb="xs">
            {t('mapping.importTitle')}
          </Title>
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
                    : t('import.processing')}
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
            {t('mapping.formatHelp')}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {COLUMNS.join(',')}
          </Code>
          <Anchor
            size="sm"
            mt="sm"
            display="inline-block"
            href={`data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`}
            download="mappings-template.csv"
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
                        <Table.Td>{e.message}</Table.Td>
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

export function MappingsPage() {
  const t = useT();
  const can = useCan();
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/frameworks" size="sm">
          {t('nav.frameworks')}
        </Anchor>
        <Text size="sm">{t('mapping.title')}</Text>
      </Breadcrumbs>
      <PageHeader title={t('mapping.title')} description={t('mapping.description')} />
      {can('framework.manage') && <ImportSection />}
      <ExportCard />
    </>
  );
}
