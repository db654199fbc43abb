// The aggregate reports kept, newest period first, filtered by company and domain; group-wide readers also see
// the reports for domains no company has in its inventory ("unclaimed"), claimed once a company adds the domain.
import { useState } from 'react';
import { Alert, Badge, Group, Paper, Table, Tabs, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { usePagedList } from '../../shared/api/paged.ts';
import type { ReportDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useRequiredSession } from '../../shared/session/session.tsx';
import { SearchIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { dmarcKeys } from './dmarc.api.ts';
import { isGroupWideReader, policySummary } from './lib/dmarc.ts';
import { CompanyCell, CompanyFilter, useUrlFilters } from './ui/filters.tsx';

export function DmarcReportsPage() {
  const t = useT();
  const formatDate = useFormatDate();
  const session = useRequiredSession();
  const groupWide = isGroupWideReader(session.grants);
  const { get, set } = useUrlFilters();
  const unclaimed = groupWide && get('unclaimed') === 'true';
  const companyId = unclaimed ? '' : get('companyId');
  const [domain, setDomain] = useState(get('domain'));
  const [debouncedDomain] = useDebouncedValue(domain.trim().toLowerCase(), 300);
  const list = usePagedList<ReportDto>(dmarcKeys.reports, '/dmarc/reports', {
    companyId: companyId || undefined,
    domain: debouncedDomain || undefined,
    unclaimed: unclaimed ? 'true' : undefined,
  });

  return (
    <>
      <PageHeader title={t('dmarc.reports.title')} description={t('dmarc.reports.description')} />
      {groupWide && (
        <Tabs
          value={unclaimed ? 'unclaimed' : 'claimed'}
          onChange={(v) => set({ unclaimed: v === 'unclaimed' ? 'true' : null, companyId: null })}
          mb="md"
        >
          <Tabs.List>
            <Tabs.Tab value="claimed" data-testid="reports-tab-claimed">
              {t('dmarc.reports.claimed')}
            </Tabs.Tab>
            <Tabs.Tab value="unclaimed" data-testid="reports-tab-unclaimed">
              {t('dmarc.reports.unclaimed')}
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
      )}
      {unclaimed && (
        <Alert color="blue" variant="light" mb="md">
          {t('dmarc.reports.unclaimedHelp')}
        </Alert>
      )}
      <Group mb="sm" gap="sm">
        {!unclaimed && (
          <CompanyFilter value={companyId} onChange={(v) => set({ companyId: v })} testId="reports-company" />
        )}
        <TextInput
          placeholder={t('dmarc.reports.domainFilter')}
          leftSection={<SearchIcon size={16} />}
          value={domain}
          onChange={(e) => {
            setDomain(e.currentTarget.value);
            set({ domain: e.currentTarget.value.trim() || null });
          }}
          w={260}
          data-testid="reports-domain"
        />
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1040}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="reports-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dmarc.reports.period')}</Table.Th>
                <Table.Th>{t('dmarc.reports.policyDomain')}</Table.Th>
                <Table.Th>{t('dmarc.company')}</Table.Th>
                <Table.Th>{t('dmarc.reports.reporter')}</Table.Th>
                <Table.Th>{t('dmarc.reports.policy')}</Table.Th>
                <Table.Th ta="right">{t('dmarc.import.records')}</Table.Th>
                <Table.Th ta="right">{t('dmarc.import.messages')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={7} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="lg">
                      {unclaimed ? t('dmarc.reports.unclaimedEmpty') : t('dmarc.reports.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((r) => (
                <Table.Tr key={r.id} data-testid="report-row">
                  <Table.Td>
                    <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(r.begin)}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      – {formatDate(r.end)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {r.policyDomain}
                    </Text>
                    {r.claimDomain && r.claimDomain !== r.policyDomain && (
                      <Text size="xs" c="dimmed">
                        {t('dmarc.reports.claimedBy', { domain: r.claimDomain })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <CompanyCell companyId={r.companyId} />
                  </Table.Td>
                  <Table.Td maw={260}>
                    <Text size="sm" truncate>
                      {r.reporter}
                    </Text>
                    <Group gap={4} wrap="nowrap">
                      <Text size="xs" c="dimmed" ff="monospace" truncate>
                        {r.reportId}
                      </Text>
                      {r.warnings.length > 0 && (
                        <Tooltip label={r.warnings.join(' · ')} multiline maw={360}>
                          <Badge
                            size="xs"
                            color="yellow"
                            variant="light"
                            tt="none"
                            data-testid="report-warnings"
                          >
                            {t('dmarc.reports.warnings', { count: r.warnings.length })}
                          </Badge>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {policySummary(r.policy)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{r.records.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">{r.messages.toLocaleString()}</Table.Td>
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
    </>
  );
}
