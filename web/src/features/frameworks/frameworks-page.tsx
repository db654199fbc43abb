// The control catalogs Mamori knows: built-in ones and OSCAL imports, with their size, an OSCAL export and a way to the mappings.
import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { FrameworkDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { DownloadIcon, LinkIcon, UploadIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { frameworkKeys, listFrameworks, oscalExportUrl } from './frameworks.api.ts';
import { ImportOscalModal } from './import-oscal-modal.tsx';

export function SourceBadge({ source }: { source: FrameworkDto['source'] }) {
  const t = useT();
  return (
    <Badge variant="light" color={source === 'builtin' ? 'indigo' : 'grape'} tt="none">
      {t(`framework.source.${source}`)}
    </Badge>
  );
}

export function FrameworksPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const [importing, setImporting] = useState(false);
  const list = useQuery({ queryKey: frameworkKeys.list, queryFn: ({ signal }) => listFrameworks(signal) });
  const items = list.data ?? [];

  return (
    <>
      <PageHeader
        title={t('nav.frameworks')}
        description={t('framework.description')}
        actions={
          <Group gap="sm">
            <Button
              variant="default"
              leftSection={<LinkIcon />}
              component={Link}
              to="/frameworks/mappings"
              data-testid="mappings-link"
            >
              {t('mapping.title')}
            </Button>
            {can('framework.manage') && (
              <Button
                leftSection={<UploadIcon />}
                onClick={() => setImporting(true)}
                data-testid="oscal-import"
              >
                {t('framework.import')}
              </Button>
            )}
          </Group>
        }
      />
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={820}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="framework-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('framework.name')}</Table.Th>
                <Table.Th>{t('framework.ref')}</Table.Th>
                <Table.Th>{t('framework.edition')}</Table.Th>
                <Table.Th>{t('framework.publisher')}</Table.Th>
                <Table.Th>{t('framework.sourceLabel')}</Table.Th>
                <Table.Th ta="right">{t('framework.requirements')}</Table.Th>
                <Table.Th>{t('common.updatedAt')}</Table.Th>
                <Table.Th w={60} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isLoading && <TableSkeleton columns={8} />}
              {!list.isLoading && items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('framework.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((f) => (
                <Table.Tr key={f.id} data-testid="framework-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/frameworks/${f.id}`} fw={500}>
                      {f.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {f.ref}
                    </Text>
                  </Table.Td>
                  <Table.Td>{f.edition}</Table.Td>
                  <Table.Td>{f.publisher ?? '—'}</Table.Td>
                  <Table.Td>
                    <SourceBadge source={f.source} />
                  </Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {f.requirements.toLocaleString()}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(f.updatedAt, false)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={t('framework.exportOscal')}>
                      <ActionIcon
                        variant="subtle"
                        component="a"
                        href={oscalExportUrl(f.id)}
                        download={`${f.ref}.oscal.json`}
                        aria-label={t('framework.exportOscal')}
                      >
                        <DownloadIcon />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Group mt="xs">
        <Text size="xs" c="dimmed">
          {t('framework.requirementsHelp')}
        </Text>
      </Group>
      <ImportOscalModal opened={importing} onClose={() => setImporting(false)} />
    </>
  );
}
