// DMARC reports at a glance, for the group, a company or one domain over 7, 30 or 90 days: how much mail the
// receivers reported and how much of it passed, DKIM and SPF alignment, what the receivers did with failing mail,
// the domains by pass rate, and which domains can move to their next DMARC policy.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Analysis } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { useDmarcReadiness } from '../../shared/ui/dmarc-readiness.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { dmarcKeys, getAnalysis } from './dmarc.api.ts';
import { barWidth, domainPath, percent, rate, rateColor } from './lib/dmarc.ts';
import { AnalysisCharts, Headline } from './ui/charts.tsx';
import { CompanyFilter, DaysControl, DomainFilter, useUrlFilters } from './ui/filters.tsx';
import { InboxIcon } from './ui/icons.tsx';
import { ReadinessTable } from './ui/readiness-table.tsx';

function DomainsTable({ analysis, days }: { analysis: Analysis; days: number }) {
  const t = useT();
  return (
    <Card withBorder radius="md" padding="lg" mb="lg" data-testid="dmarc-domains">
      <Title order={4}>{t('dmarc.overview.domainsTitle')}</Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('dmarc.overview.domainsHelp')}
      </Text>
      {analysis.domains.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md">
          {t('dmarc.noMessages')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dmarc.domain')}</Table.Th>
                <Table.Th ta="right">{t('dmarc.source.messages')}</Table.Th>
                <Table.Th w="40%">{t('dmarc.kpi.passRate')}</Table.Th>
                <Table.Th ta="right">{t('dmarc.fail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {analysis.domains.map((d) => {
                const r = rate(d.pass, d.messages);
                return (
                  <Table.Tr key={d.domain} data-testid="dmarc-domain-row" data-domain={d.domain}>
                    <Table.Td>
                      <Anchor component={Link} to={domainPath(d.domain, days)} size="sm" fw={600}>
                        {d.domain}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{d.messages.toLocaleString()}</Table.Td>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Tooltip label={`${d.pass.toLocaleString()} / ${d.messages.toLocaleString()}`}>
                          <Progress
                            value={barWidth(r)}
                            color={rateColor(r)}
                            size="lg"
                            radius="sm"
                            style={{ flex: 1 }}
                          />
                        </Tooltip>
                        <Text size="sm" fw={600} w={56} ta="right" data-testid="dmarc-domain-rate">
                          {percent(r)} %
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" c={d.fail > 0 ? 'red.8' : 'dimmed'}>
                        {d.fail.toLocaleString()}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function DmarcOverviewPage() {
  const t = useT();
  const can = useCan();
  const { get, set, days } = useUrlFilters();
  const companyId = get('companyId');
  const domain = get('domain');
  const query = { companyId: companyId || undefined, domain: domain || undefined, days };
  const analysis = useQuery({
    queryKey: dmarcKeys.analysis(query),
    queryFn: ({ signal }) => getAnalysis(query, signal),
    placeholderData: keepPreviousData,
  });
  const readiness = useDmarcReadiness(companyId, days);
  const readinessRows = (readiness.data?.domains ?? []).filter((d) => !domain || d.domain === domain);
  const a = analysis.data;

  return (
    <>
      <PageHeader
        title={t('dmarc.overview.title')}
        description={t('dmarc.overview.description')}
        actions={
          <>
            <CompanyFilter value={companyId} onChange={(v) => set({ companyId: v, domain: null })} />
            <DomainFilter companyId={companyId} value={domain} onChange={(v) => set({ domain: v })} />
            <DaysControl days={days} onChange={(d) => set({ days: String(d) })} />
            {can('email.write') && (
              <Button
                component={Link}
                to="/dmarc/import"
                variant="default"
                leftSection={<InboxIcon size={16} />}
              >
                {t('dmarc.nav.import')}
              </Button>
            )}
          </>
        }
      />
      {analysis.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={analysis.error} t={t} />
        </Alert>
      )}
      {!a ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="lg">
          {[0, 1, 2, 3].map((k) => (
            <Skeleton key={k} h={110} radius="md" />
          ))}
        </SimpleGrid>
      ) : (
        <>
          {a.messages === 0 && (
            <Alert color="blue" mb="lg" data-testid="dmarc-no-data">
              <Text size="sm">{t('dmarc.overview.noData', { days })}</Text>
              {can('email.write') && (
                <Anchor component={Link} to="/dmarc/import" size="sm">
                  {t('dmarc.overview.importFirst')}
                </Anchor>
              )}
            </Alert>
          )}
          <Headline analysis={a} />
          <AnalysisCharts analysis={a} />
          <DomainsTable analysis={a} days={days} />
        </>
      )}
      <Card withBorder radius="md" padding="lg" data-testid="dmarc-readiness">
        <Title order={4}>{t('dmarc.readiness.title')}</Title>
        <Text size="sm" c="dimmed" mb="md">
          {t('dmarc.readiness.help')}
        </Text>
        {readiness.error ? (
          <Alert color="red">
            <ProblemDetails error={readiness.error} t={t} />
          </Alert>
        ) : readiness.isLoading ? (
          <Skeleton h={80} />
        ) : (
          <ReadinessTable domains={readinessRows} days={days} />
        )}
      </Card>
    </>
  );
}
