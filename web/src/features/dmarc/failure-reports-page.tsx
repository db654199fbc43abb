// Failure reports (RFC 6591 / RFC 9991) and abuse reports: one message each that a receiver saw fail, newest
// first, filtered by company and domain; a report opens in a drawer with its fields and the original message's
// headers as plain text (never rendered as HTML: they come from whoever sent the mail).
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Code,
  Drawer,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { usePagedList } from '../../shared/api/paged.ts';
import type { FailureReportDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { SearchIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { dmarcKeys, getFailureReport } from './dmarc.api.ts';
import { detailEntries } from './lib/dmarc.ts';
import { CompanyCell, CompanyFilter, useUrlFilters } from './ui/filters.tsx';

function FeedbackBadge({ type }: { type: string }) {
  return (
    <Badge size="sm" variant="light" color={type === 'auth-failure' ? 'red' : 'orange'} tt="none">
      {type}
    </Badge>
  );
}

function Field({ label, value, mono = false }: { label: string; value: string | null; mono?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" ff={mono ? 'monospace' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {value ?? '—'}
      </Text>
    </div>
  );
}

function FailureReportDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const t = useT();
  const formatDate = useFormatDate();
  const report = useQuery({
    queryKey: dmarcKeys.failureReport(id ?? 'none'),
    queryFn: ({ signal }) => getFailureReport(id as string, signal),
    enabled: id !== null,
    staleTime: Infinity,
  });
  const r = report.data;
  return (
    <Drawer
      opened={id !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={<Title order={4}>{t('dmarc.failures.detailTitle')}</Title>}
      data-testid="failure-drawer"
    >
      {report.isLoading && <Loader size="sm" />}
      {report.error && (
        <Alert color="red">
          <ProblemDetails error={report.error} t={t} />
        </Alert>
      )}
      {r && (
        <Stack gap="md" data-testid="failure-detail">
          <Group gap="xs">
            <FeedbackBadge type={r.feedbackType} />
            <Text fw={600}>{r.reportedDomain}</Text>
            <CompanyCell companyId={r.companyId} />
          </Group>
          <SimpleGrid cols={2} spacing="sm">
            <Field label={t('dmarc.failures.sourceIp')} value={r.sourceIp} mono />
            <Field label={t('dmarc.failures.arrival')} value={r.arrivalAt ? formatDate(r.arrivalAt) : null} />
            <Field label={t('dmarc.failures.mailFrom')} value={r.originalMailFrom} mono />
            <Field label={t('dmarc.failures.authFailure')} value={r.authFailure} />
            <Field label={t('dmarc.failures.delivery')} value={r.deliveryResult} />
            <Field label={t('dmarc.failures.received')} value={formatDate(r.receivedAt)} />
          </SimpleGrid>
          <div>
            <Title order={5} mb={4}>
              {t('dmarc.failures.details')}
            </Title>
            {detailEntries(r.details).length === 0 ? (
              <Text size="sm" c="dimmed">
                —
              </Text>
            ) : (
              <Table withTableBorder verticalSpacing={4} data-testid="failure-details">
                <Table.Tbody>
                  {detailEntries(r.details).map(([key, value]) => (
                    <Table.Tr key={key}>
                      <Table.Td w="35%">
                        <Text size="xs" ff="monospace">
                          {key}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          size="xs"
                          ff="monospace"
                          style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
                        >
                          {value}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
          <div>
            <Title order={5} mb={4}>
              {t('dmarc.failures.headers')}
            </Title>
            {r.originalHeaders ? (
              // Plain text in a <pre>: React escapes it, nothing of it is ever markup.
              <ScrollArea.Autosize mah={420} type="auto">
                <Code block style={{ whiteSpace: 'pre', fontSize: 12 }} data-testid="failure-headers">
                  {r.originalHeaders}
                </Code>
              </ScrollArea.Autosize>
            ) : (
              <Text size="sm" c="dimmed">
                {t('dmarc.failures.noHeaders')}
              </Text>
            )}
          </div>
        </Stack>
      )}
    </Drawer>
  );
}

export function FailureReportsPage() {
  const t = useT();
  const formatDate = useFormatDate();
  const { get, set } = useUrlFilters();
  const companyId = get('companyId');
  const [domain, setDomain] = useState(get('domain'));
  const [debouncedDomain] = useDebouncedValue(domain.trim().toLowerCase(), 300);
  const open = get('report') || null;
  const list = usePagedList<FailureReportDto>(dmarcKeys.failureReports, '/dmarc/failure-reports', {
    companyId: companyId || undefined,
    domain: debouncedDomain || undefined,
  });

  return (
    <>
      <PageHeader title={t('dmarc.failures.title')} description={t('dmarc.failures.description')} />
      <Group mb="sm" gap="sm">
        <CompanyFilter value={companyId} onChange={(v) => set({ companyId: v })} testId="failures-company" />
        <TextInput
          placeholder={t('dmarc.failures.domainFilter')}
          leftSection={<SearchIcon size={16} />}
          value={domain}
          onChange={(e) => {
            setDomain(e.currentTarget.value);
            set({ domain: e.currentTarget.value.trim() || null });
          }}
          w={260}
          data-testid="failures-domain"
        />
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1100}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="failures-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dmarc.failures.arrival')}</Table.Th>
                <Table.Th>{t('dmarc.failures.domain')}</Table.Th>
                <Table.Th>{t('dmarc.company')}</Table.Th>
                <Table.Th>{t('dmarc.failures.type')}</Table.Th>
                <Table.Th>{t('dmarc.failures.sourceIp')}</Table.Th>
                <Table.Th>{t('dmarc.failures.mailFrom')}</Table.Th>
                <Table.Th>{t('dmarc.failures.authFailure')}</Table.Th>
                <Table.Th>{t('dmarc.failures.delivery')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={8} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('dmarc.failures.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((r) => (
                <Table.Tr key={r.id} data-testid="failure-row">
                  <Table.Td>
                    <Anchor
                      size="xs"
                      component="button"
                      type="button"
                      onClick={() => set({ report: r.id })}
                      style={{ whiteSpace: 'nowrap' }}
                      data-testid="failure-open"
                    >
                      {formatDate(r.arrivalAt ?? r.receivedAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {r.reportedDomain}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <CompanyCell companyId={r.companyId} />
                  </Table.Td>
                  <Table.Td>
                    <FeedbackBadge type={r.feedbackType} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {r.sourceIp ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={220}>
                    <Text size="xs" ff="monospace" truncate>
                      {r.originalMailFrom ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{r.authFailure ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{r.deliveryResult ?? '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
        shown={list.items.length}
      />
      <FailureReportDrawer id={open} onClose={() => set({ report: null })} />
    </>
  );
}
