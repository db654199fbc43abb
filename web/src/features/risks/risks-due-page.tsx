// Risks needing attention (ISO/IEC 27001 8.2): acceptances that have expired and reviews past their date.
import { Alert, Card, Group, Loader, Select, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { localToday } from './lib/dates.ts';
import { getDue, riskKeys } from './risks.api.ts';
import { DueBadge } from './ui/badges.tsx';
import { RiskMiniTable } from './ui/risk-mini-table.tsx';

export function RisksDuePage() {
  const t = useT();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId');
  const due = useQuery({
    queryKey: riskKeys.due(companyId),
    queryFn: ({ signal }) => getDue(companyId, signal),
  });
  const today = localToday();
  return (
    <>
      <PageHeader title={t('due.title')} description={t('due.description')} />
      <Group mb="md">
        <Select
          placeholder={t('risk.allCompanies')}
          data={lookup.options}
          value={companyId}
          onChange={(v) => setParams(v ? { companyId: v } : {}, { replace: true })}
          searchable
          clearable
          w={320}
          data-testid="due-company"
        />
      </Group>
      {due.isLoading && <Loader />}
      {due.error && (
        <Alert color="red">
          <ProblemDetails error={due.error} t={t} />
        </Alert>
      )}
      {due.data && (
        <SimpleGrid cols={1} spacing="lg">
          <Card withBorder padding="lg" radius="md">
            <Group justify="space-between" mb="sm">
              <Title order={5}>{t('due.expiredAcceptances')}</Title>
              <Text size="sm" c={due.data.expiredAcceptances.length ? 'red' : 'dimmed'} fw={600}>
                {due.data.expiredAcceptances.length}
              </Text>
            </Group>
            <RiskMiniTable
              risks={due.data.expiredAcceptances}
              testId="due-expired"
              rowTestId="due-expired-row"
              empty={t('due.noneExpired')}
              extra={{
                label: t('risk.expiresOn'),
                render: (r) =>
                  r.acceptance ? (
                    <DueBadge day={r.acceptance.expiresOn} today={today} past="expired" size="sm" />
                  ) : null,
              }}
            />
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Group justify="space-between" mb="sm">
              <Title order={5}>{t('due.overdueReviews')}</Title>
              <Text size="sm" c={due.data.overdueReviews.length ? 'red' : 'dimmed'} fw={600}>
                {due.data.overdueReviews.length}
              </Text>
            </Group>
            <RiskMiniTable
              risks={due.data.overdueReviews}
              testId="due-reviews"
              rowTestId="due-review-row"
              empty={t('due.noneOverdue')}
              extra={{
                label: t('risk.reviewDate'),
                render: (r) =>
                  r.reviewDate ? <DueBadge day={r.reviewDate} today={today} size="sm" /> : null,
              }}
            />
          </Card>
        </SimpleGrid>
      )}
    </>
  );
}
