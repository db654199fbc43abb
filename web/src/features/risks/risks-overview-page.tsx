// The risk overview of the group or of one company: headline figures, the heat map (a company's matrices, or
// the group's counts per level rank), the top risks, the trend, and the treatment-plan reports.
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Text,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { AlertIcon, DownloadIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { registerUrl } from './lib/register.ts';
import { getDue, getHeatmap, getTopRisks, getTrend, riskKeys, treatmentPlanUrl } from './risks.api.ts';
import { useCompanyMethod, useMethodsOf } from './risks.queries.ts';
import { LevelBadge } from './ui/badges.tsx';
import { AlarmIcon, RegisterIcon, RiskIcon, SignIcon } from './ui/icons.tsx';
import { CompanyHeatmaps, RankBars } from './ui/risk-heatmap.tsx';
import { RiskMiniTable } from './ui/risk-mini-table.tsx';
import { RiskTrend } from './ui/risk-trend.tsx';

const TREND_DAYS = ['30', '90', '180', '365'] as const;

function Kpi({
  title,
  value,
  icon,
  color,
  to,
  testId,
}: {
  title: string;
  value: number | undefined;
  icon: ReactNode;
  color: string;
  to?: string;
  testId: string;
}) {
  const navigate = useNavigate();
  const body = (
    <Card withBorder padding="lg" radius="md" h="100%">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {title}
          </Text>
          <Text fz={30} fw={700} c={value ? color : undefined} data-testid={testId}>
            {value === undefined ? '…' : value.toLocaleString()}
          </Text>
        </div>
        <ThemeIcon variant="light" color={color} radius="md" size="lg">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
  return to ? (
    <UnstyledButton onClick={() => void navigate(to)} style={{ display: 'block' }}>
      {body}
    </UnstyledButton>
  ) : (
    body
  );
}

export function RisksOverviewPage() {
  const t = useT();
  const navigate = useNavigate();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId');
  const [days, setDays] = useState<(typeof TREND_DAYS)[number]>('90');
  const heatmap = useQuery({
    queryKey: riskKeys.heatmap(companyId),
    queryFn: ({ signal }) => getHeatmap(companyId, signal),
  });
  const due = useQuery({
    queryKey: riskKeys.due(companyId),
    queryFn: ({ signal }) => getDue(companyId, signal),
  });
  const top = useQuery({
    queryKey: riskKeys.top(companyId, 10),
    queryFn: ({ signal }) => getTopRisks(companyId, 10, signal),
  });
  const trend = useQuery({
    queryKey: riskKeys.trend(companyId, Number(days)),
    queryFn: ({ signal }) => getTrend(companyId, Number(days), signal),
  });
  const method = useCompanyMethod(companyId);
  const methods = useMethodsOf((top.data ?? []).map((r) => r.companyId));
  const last = trend.data?.points[trend.data.points.length - 1];
  const company = companyId ? lookup.byId.get(companyId) : undefined;
  const qs = companyId ? `?companyId=${companyId}` : '';

  return (
    <>
      <PageHeader
        title={t('nav.riskOverview')}
        description={company ? `${company.shortCode} — ${company.legalName}` : t('overview.groupDescription')}
        actions={
          <>
            <Select
              placeholder={t('risk.allCompanies')}
              data={lookup.options}
              value={companyId}
              onChange={(v) => setParams(v ? { companyId: v } : {}, { replace: true })}
              searchable
              clearable
              w={300}
              data-testid="overview-company"
            />
            {companyId && (
              <>
                <Button
                  variant="default"
                  component="a"
                  href={treatmentPlanUrl(companyId, 'xlsx')}
                  download
                  leftSection={<DownloadIcon />}
                  data-testid="treatment-plan-xlsx"
                >
                  {t('overview.planXlsx')}
                </Button>
                <Button
                  variant="default"
                  component="a"
                  href={treatmentPlanUrl(companyId, 'pdf')}
                  download
                  leftSection={<DownloadIcon />}
                  data-testid="treatment-plan-pdf"
                >
                  {t('overview.planPdf')}
                </Button>
              </>
            )}
          </>
        }
      />
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="lg" mb="lg">
        <Kpi
          title={t('overview.total')}
          value={heatmap.data?.total}
          icon={<RegisterIcon />}
          color="indigo"
          to={`/risks${qs}`}
          testId="kpi-total"
        />
        <Kpi
          title={t('risk.aboveThreshold')}
          value={last?.aboveThreshold ?? (trend.isSuccess ? 0 : undefined)}
          icon={<RiskIcon />}
          color="red"
          testId="kpi-above"
        />
        <Kpi
          title={t('due.expiredAcceptances')}
          value={due.data?.expiredAcceptances.length}
          icon={<SignIcon />}
          color="orange"
          to={`/risks/due${qs}`}
          testId="kpi-expired"
        />
        <Kpi
          title={t('due.overdueReviews')}
          value={due.data?.overdueReviews.length}
          icon={<AlarmIcon />}
          color="orange"
          to={`/risks/due${qs}`}
          testId="kpi-overdue"
        />
      </SimpleGrid>

      <Grid gap="lg" mb="lg">
        <Grid.Col span={{ base: 12, xl: companyId ? 8 : 7 }}>
          <Card withBorder padding="lg" radius="md" h="100%">
            <Group justify="space-between" mb="sm">
              <Title order={5}>{t('overview.heatmap')}</Title>
              {heatmap.data?.methodVersion && (
                <Anchor component={Link} to={`/risks/method${qs}`} size="xs">
                  {t('overview.methodVersion', { version: heatmap.data.methodVersion })}
                </Anchor>
              )}
            </Group>
            {heatmap.isLoading && <Loader size="sm" />}
            {heatmap.error && (
              <Alert color="red">
                <ProblemDetails error={heatmap.error} t={t} />
              </Alert>
            )}
            {heatmap.data && companyId && method.isSuccess && !method.data && (
              <Alert color="orange" icon={<AlertIcon />} data-testid="overview-no-method">
                {t('risk.noMethod')}{' '}
                <Anchor component={Link} to={`/risks/method${qs}`} size="sm">
                  {t('risk.setMethod')}
                </Anchor>
              </Alert>
            )}
            {heatmap.data && companyId && method.data && (
              <>
                <Text size="xs" c="dimmed" mb="sm">
                  {t('overview.heatmapHelp')}
                </Text>
                <CompanyHeatmaps
                  heatmap={heatmap.data}
                  method={method.data}
                  onPick={(side, l, i) =>
                    void navigate(
                      registerUrl({
                        companyId,
                        [`${side}Likelihood`]: String(l),
                        [`${side}Impact`]: String(i),
                      }),
                    )
                  }
                />
              </>
            )}
            {heatmap.data && !companyId && (
              <>
                <Text size="xs" c="dimmed" mb="sm">
                  {t('overview.groupHeatmapHelp')}
                </Text>
                {heatmap.data.byRank.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('risk.empty')}
                  </Text>
                ) : (
                  <RankBars heatmap={heatmap.data} />
                )}
              </>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: companyId ? 4 : 5 }}>
          <Card withBorder padding="lg" radius="md" h="100%">
            <Group justify="space-between" mb="sm">
              <Title order={5}>{t('overview.trend')}</Title>
              <SegmentedControl
                size="xs"
                value={days}
                onChange={(v) => setDays(v as (typeof TREND_DAYS)[number])}
                data={TREND_DAYS.map((d) => ({ value: d, label: t('overview.days', { count: d }) }))}
                data-testid="trend-days"
              />
            </Group>
            {trend.isLoading && <Loader size="sm" />}
            {trend.error && (
              <Alert color="red">
                <ProblemDetails error={trend.error} t={t} />
              </Alert>
            )}
            {trend.data && <RiskTrend points={trend.data.points} />}
          </Card>
        </Grid.Col>
      </Grid>

      <Card withBorder padding="lg" radius="md" mb="lg">
        <Group justify="space-between" mb="sm">
          <Title order={5}>{t('overview.top')}</Title>
          <Anchor component={Link} to={`/risks${qs}`} size="sm">
            {t('overview.openRegister')}
          </Anchor>
        </Group>
        {top.isLoading && <Loader size="sm" />}
        {top.error && (
          <Alert color="red">
            <ProblemDetails error={top.error} t={t} />
          </Alert>
        )}
        {top.data && (
          <RiskMiniTable
            risks={top.data}
            testId="top-risks"
            rowTestId="top-risk-row"
            empty={t('risk.empty')}
            extra={{
              label: t('risk.inherent'),
              render: (r) => (
                <LevelBadge
                  level={r.inherent.level}
                  rank={r.inherent.rank}
                  ranks={methods.get(r.companyId)?.levels.map((l) => l.rank) ?? []}
                  variant="light"
                />
              ),
            }}
          />
        )}
      </Card>
    </>
  );
}
