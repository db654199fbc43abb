// The group compliance dashboard: headline figures, the ISO/IEC 27001 heat map (companies x sections), the
// companies x frameworks matrix and the certification calendar.
import { useMemo, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { DashboardDto, ScoreDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { AlertIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { complianceKeys, getDashboard } from './compliance.api.ts';
import { daysBetween, groupByMonth } from './lib/dates.ts';
import { averageScore, formatPercent, scoreColor, textOn } from './lib/score.ts';
import { sectionTitle } from './lib/sections.ts';
import { familySpans } from './lib/soa.ts';
import { DaysLeftBadge } from './ui/badges.tsx';
import { useFormatDay, useWeekday } from './ui/format.ts';
import { AwardIcon, CalendarIcon, ClockIcon, ListCheckIcon } from './ui/icons.tsx';
import { ScoreBar, ScoreLegend, ScoreRing } from './ui/score.tsx';

type Company = DashboardDto['companies'][number];

function KpiCard({
  title,
  icon,
  color,
  children,
}: {
  title: string;
  icon: ReactNode;
  color: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="lg" radius="md">
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {title}
        </Text>
        <ThemeIcon variant="light" color={color} radius="md" size="lg">
          {icon}
        </ThemeIcon>
      </Group>
      {children}
    </Card>
  );
}

/** A coloured cell of the heat map or matrix; a link to the SoA when it has a score. */
function ScoreCell({
  score,
  tooltip,
  to,
  testId,
  data,
}: {
  score: ScoreDto | undefined;
  tooltip: ReactNode;
  to: string | null;
  testId: string;
  data?: Record<string, string>;
}) {
  const navigate = useNavigate();
  const has = score !== undefined && score.applicable > 0;
  const bg = has ? scoreColor(score.score) : scoreColor(null);
  const content = (
    <Box
      h={36}
      style={{
        background: bg,
        color: has ? textOn(bg) : 'var(--mantine-color-gray-5)',
        borderRadius: 6,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        fontWeight: 600,
        fontSize: 13,
        position: 'relative',
      }}
    >
      {has ? formatPercent(score.score) : '—'}
      {has && score.evidenceExpired > 0 && (
        <span
          style={{
            position: 'absolute',
            top: 3,
            right: 4,
            width: 7,
            height: 7,
            borderRadius: 7,
            background: 'var(--mantine-color-red-8)',
            boxShadow: '0 0 0 1.5px white',
          }}
          aria-hidden="true"
        />
      )}
    </Box>
  );
  return (
    <Tooltip label={tooltip} multiline maw={280} withArrow openDelay={120}>
      {to ? (
        <UnstyledButton
          w="100%"
          onClick={() => void navigate(to)}
          data-testid={testId}
          data-score={has ? score.score : ''}
          {...Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]))}
          className="mamori-score-cell"
        >
          {content}
        </UnstyledButton>
      ) : (
        <Box
          data-testid={testId}
          data-score=""
          {...Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]))}
        >
          {content}
        </Box>
      )}
    </Tooltip>
  );
}

function ScoreTooltip({
  title,
  subtitle,
  score,
}: {
  title: string;
  subtitle: string;
  score: ScoreDto | undefined;
}) {
  const t = useT();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="xs">{subtitle}</Text>
      {score && score.applicable > 0 ? (
        <>
          <Text size="xs">
            {t('score.satisfied')}: {score.satisfied} / {score.applicable} ({formatPercent(score.score, 1)})
          </Text>
          <Text size="xs">
            {t('score.implemented')}: {score.implemented}
          </Text>
          <Text size="xs" fw={score.evidenceExpired ? 700 : 400}>
            {t('score.evidenceExpired')}: {score.evidenceExpired}
          </Text>
        </>
      ) : (
        <Text size="xs">{t('score.noneApplicable')}</Text>
      )}
    </Stack>
  );
}

function CompanyLabel({ company }: { company: Company }) {
  return (
    <Stack gap={0} miw={0}>
      <Anchor component={Link} to={`/companies/${company.id}/compliance`} size="sm" fw={600} ff="monospace">
        {company.shortCode}
      </Anchor>
      <Text size="xs" c="dimmed" truncate maw={150}>
        {company.name}
      </Text>
    </Stack>
  );
}

function HeatMap({
  data,
  frameworkRef,
  onPick,
}: {
  data: DashboardDto;
  frameworkRef: string;
  onPick: (ref: string) => void;
}) {
  const t = useT();
  const heat = data.heatmap ?? { frameworkId: '', sections: [], cells: [] };
  const framework = data.frameworks.find((f) => f.ref === frameworkRef);
  const overall = new Map(
    data.matrix.filter((m) => m.frameworkId === heat.frameworkId).map((m) => [m.companyId, m] as const),
  );
  const cells = new Map(heat.cells.map((c) => [`${c.companyId}/${c.section}`, c] as const));
  const companies = data.companies.filter((c) => overall.has(c.id));
  // Clauses and annexes (ISO/IEC 27001) get a header row of their own; other catalogs have one family.
  const families = familySpans(heat.sections);
  const withFamilies = families.length > 1;
  const familyLabel = (f: string) => (f ? t('dashboard.annex', { letter: f }) : t('dashboard.clauses'));

  return (
    <Card withBorder padding="lg" radius="md" mb="lg" data-testid="heatmap">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <div>
          <Title order={4}>
            {t('dashboard.heatmapTitle', { framework: framework?.name ?? frameworkRef })}
          </Title>
          <Text size="sm" c="dimmed">
            {t('dashboard.heatmapHelp')}
          </Text>
        </div>
        <Stack gap={6} align="flex-end">
          {data.frameworks.length > 1 && (
            <Select
              size="xs"
              w={260}
              data={data.frameworks.map((f) => ({ value: f.ref, label: f.name }))}
              value={frameworkRef}
              onChange={(v) => v && onPick(v)}
              allowDeselect={false}
              aria-label={t('dashboard.heatmapFramework')}
              data-testid="heatmap-framework"
            />
          )}
          <ScoreLegend />
        </Stack>
      </Group>
      {companies.length === 0 ? (
        <Text c="dimmed" ta="center" py="lg">
          {t('dashboard.heatmapEmpty')}
        </Text>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <Table
            withRowBorders={false}
            verticalSpacing={3}
            horizontalSpacing={3}
            style={{ tableLayout: 'fixed', minWidth: 160 + 72 + heat.sections.length * 66 }}
          >
            <colgroup>
              <col style={{ width: 160 }} />
              <col style={{ width: 72 }} />
              {heat.sections.map((s) => (
                <col key={s.ref} />
              ))}
            </colgroup>
            <Table.Thead>
              <Table.Tr style={{ display: withFamilies ? undefined : 'none' }}>
                <Table.Th />
                <Table.Th />
                {families.map((f) => (
                  <Table.Th key={f.family} colSpan={f.span} ta="center">
                    <Text
                      size="xs"
                      c="dimmed"
                      fw={700}
                      tt="uppercase"
                      style={{ borderBottom: '2px solid var(--mantine-color-gray-3)' }}
                      pb={2}
                    >
                      {familyLabel(f.family)}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
              <Table.Tr>
                <Table.Th>
                  <Text size="xs" c="dimmed" fw={700}>
                    {t('dashboard.company')}
                  </Text>
                </Table.Th>
                <Table.Th ta="center">
                  <Text size="xs" c="dimmed" fw={700}>
                    {t('dashboard.overall')}
                  </Text>
                </Table.Th>
                {heat.sections.map((s) => {
                  const title = sectionTitle(t, framework?.ref, s.ref, s.title);
                  return (
                    <Table.Th
                      key={s.ref}
                      ta="center"
                      style={{ whiteSpace: 'normal', verticalAlign: 'bottom' }}
                    >
                      <Tooltip label={`${s.ref} ${title}`}>
                        <Stack gap={0} align="center">
                          <Text size="sm" fw={700} ff="monospace">
                            {s.ref}
                          </Text>
                          <Text size="10px" c="dimmed" lineClamp={2} lh={1.2} fw={400}>
                            {title}
                          </Text>
                        </Stack>
                      </Tooltip>
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {companies.map((c) => {
                const total = overall.get(c.id);
                return (
                  <Table.Tr key={c.id} data-testid="heatmap-row" data-company={c.shortCode}>
                    <Table.Td>
                      <CompanyLabel company={c} />
                    </Table.Td>
                    <Table.Td>
                      <ScoreCell
                        score={total}
                        to={`/companies/${c.id}/compliance/${heat.frameworkId}`}
                        testId="heatmap-overall"
                        data={{ company: c.shortCode }}
                        tooltip={
                          <ScoreTooltip title={c.name} subtitle={framework?.name ?? ''} score={total} />
                        }
                      />
                    </Table.Td>
                    {heat.sections.map((s) => {
                      const cell = cells.get(`${c.id}/${s.ref}`);
                      return (
                        <Table.Td key={s.ref}>
                          <ScoreCell
                            score={cell}
                            to={`/companies/${c.id}/compliance/${heat.frameworkId}?section=${encodeURIComponent(s.ref)}`}
                            testId="heatmap-cell"
                            data={{ company: c.shortCode, section: s.ref }}
                            tooltip={
                              <ScoreTooltip
                                title={`${c.shortCode} · ${s.ref} ${sectionTitle(t, framework?.ref, s.ref, s.title)}`}
                                subtitle={c.name}
                                score={cell}
                              />
                            }
                          />
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {heat.cells.some((c) => c.evidenceExpired > 0) && (
        <Group gap={6} mt="xs">
          <span style={{ width: 7, height: 7, borderRadius: 7, background: 'var(--mantine-color-red-8)' }} />
          <Text size="xs" c="dimmed">
            {t('dashboard.expiredMarker')}
          </Text>
        </Group>
      )}
    </Card>
  );
}

function Matrix({ data }: { data: DashboardDto }) {
  const t = useT();
  const byKey = new Map(data.matrix.map((m) => [`${m.companyId}/${m.frameworkId}`, m] as const));
  const companies = data.companies.filter((c) => data.matrix.some((m) => m.companyId === c.id));
  return (
    <Card withBorder padding="lg" radius="md" h="100%" data-testid="matrix">
      <Title order={4}>{t('dashboard.matrixTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dashboard.matrixHelp')}
      </Text>
      <ScrollArea type="auto" offsetScrollbars>
        <Table
          withRowBorders={false}
          verticalSpacing={3}
          horizontalSpacing={4}
          style={{ minWidth: 180 + data.frameworks.length * 110 }}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={180}>
                <Text size="xs" c="dimmed" fw={700}>
                  {t('dashboard.company')}
                </Text>
              </Table.Th>
              {data.frameworks.map((f) => (
                <Table.Th key={f.id} ta="center" style={{ whiteSpace: 'normal' }}>
                  <Anchor component={Link} to={`/frameworks/${f.id}`} size="xs" fw={700} c="dark">
                    {f.name}
                  </Anchor>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {companies.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <CompanyLabel company={c} />
                </Table.Td>
                {data.frameworks.map((f) => {
                  const m = byKey.get(`${c.id}/${f.id}`);
                  return (
                    <Table.Td key={f.id}>
                      <ScoreCell
                        score={m}
                        to={m ? `/companies/${c.id}/compliance/${f.id}` : null}
                        testId="matrix-cell"
                        data={{ company: c.shortCode, framework: f.ref }}
                        tooltip={
                          m ? (
                            <ScoreTooltip title={`${c.shortCode} · ${f.name}`} subtitle={c.name} score={m} />
                          ) : (
                            t('dashboard.notAdopted')
                          )
                        }
                      />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <FrameworkAverages data={data} />
    </Card>
  );
}

/** The mean score of each framework over the companies that adopted it, as bars. */
function FrameworkAverages({ data }: { data: DashboardDto }) {
  const t = useT();
  const rows = data.frameworks
    .map((f) => {
      const scores = data.matrix.filter((m) => m.frameworkId === f.id).map((m) => m.score);
      return { name: f.name, score: averageScore(scores) ?? 0, companies: scores.length };
    })
    .filter((r) => r.companies > 0);
  if (rows.length === 0) return null;
  return (
    <Box mt="lg" data-testid="framework-averages">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb={4}>
        {t('dashboard.averageByFramework')}
      </Text>
      <ResponsiveContainer width="100%" height={rows.length * 38 + 8}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 0 }}>
          <XAxis type="number" domain={[0, 1000]} hide />
          <YAxis
            type="category"
            dataKey="name"
            width={190}
            tickLine={false}
            axisLine={false}
            tick={{ fontSize: 12, fill: 'var(--mantine-color-gray-7)' }}
          />
          <Bar
            dataKey="score"
            radius={[0, 6, 6, 0]}
            barSize={18}
            isAnimationActive={false}
            background={{ fill: 'var(--mantine-color-gray-1)', radius: 6 }}
          >
            {rows.map((r) => (
              <Cell key={r.name} fill={scoreColor(r.score)} />
            ))}
            <LabelList
              dataKey="score"
              position="right"
              formatter={(v: unknown) => formatPercent(Number(v))}
              style={{ fontSize: 12, fontWeight: 600, fill: 'var(--mantine-color-gray-8)' }}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}

function Calendar({ data }: { data: DashboardDto }) {
  const t = useT();
  const formatDay = useFormatDay();
  const weekday = useWeekday();
  const companies = new Map(data.companies.map((c) => [c.id, c] as const));
  // Overdue first (oldest first), then what comes next.
  const entries = [...data.calendar].sort((a, b) =>
    a.overdue !== b.overdue ? (a.overdue ? -1 : 1) : a.date.localeCompare(b.date),
  );
  const overdue = entries.filter((e) => e.overdue);
  // What comes in the next year, at most eight; the register has the rest.
  const upcoming = entries.filter((e) => !e.overdue && daysBetween(data.date, e.date) <= 365).slice(0, 8);
  const months = groupByMonth(upcoming, (e) => e.date);

  const row = (e: DashboardDto['calendar'][number], i: number) => {
    const company = companies.get(e.companyId);
    const days = daysBetween(data.date, e.date);
    return (
      <Group
        key={`${e.certificationId}-${e.kind}-${e.date}-${i}`}
        gap="sm"
        wrap="nowrap"
        py={6}
        px="xs"
        style={{
          borderRadius: 8,
          background: e.overdue ? 'var(--mantine-color-red-0)' : undefined,
          borderLeft: `3px solid var(--mantine-color-${e.overdue ? 'red-6' : e.kind === 'expiry' ? 'grape-4' : 'indigo-3'})`,
        }}
        data-testid="calendar-entry"
        data-overdue={e.overdue || undefined}
      >
        <Stack gap={0} align="center" w={44} style={{ flexShrink: 0 }}>
          <Text size="lg" fw={700} lh={1.1} c={e.overdue ? 'red.7' : undefined}>
            {Number(e.date.slice(8, 10))}
          </Text>
          <Text size="10px" c="dimmed" tt="uppercase">
            {weekday(e.date)}
          </Text>
        </Stack>
        <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={600} truncate c={e.overdue ? 'red.8' : undefined}>
            {t(`calendarKind.${e.kind}`)}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {company?.shortCode ?? '—'} · {e.standard}
            {e.overdue ? ` · ${formatDay(e.date)}` : ''}
          </Text>
        </Stack>
        <DaysLeftBadge days={days} soonDays={30} past={e.kind === 'expiry' ? 'expired' : 'overdue'} />
      </Group>
    );
  };

  return (
    <Card withBorder padding="lg" radius="md" h="100%" data-testid="calendar">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('dashboard.calendarTitle')}</Title>
        <Anchor component={Link} to="/compliance/certifications" size="sm">
          {t('dashboard.viewRegister')}
        </Anchor>
      </Group>
      {overdue.length === 0 && upcoming.length === 0 && (
        <Text c="dimmed" ta="center" py="lg">
          {t('dashboard.calendarEmpty')}
        </Text>
      )}
      <Stack gap={4}>
        {overdue.length > 0 && (
          <>
            <Text size="xs" fw={700} c="red.7" tt="uppercase" mt={4}>
              {t('dashboard.overdue', { count: overdue.length })}
            </Text>
            {overdue.map(row)}
          </>
        )}
        {months.map((m) => (
          <Box key={m.month}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" mb={4}>
              {formatDay(`${m.month}-01`, 'month')}
            </Text>
            <Stack gap={4}>{m.items.map(row)}</Stack>
          </Box>
        ))}
      </Stack>
    </Card>
  );
}

export function ComplianceDashboardPage() {
  const t = useT();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const heatmapRef = params.get('heatmap') || 'iso27001-2022';
  const query = useQuery({
    queryKey: [...complianceKeys.dashboard, heatmapRef],
    queryFn: ({ signal }) => getDashboard(heatmapRef, signal),
    placeholderData: keepPreviousData,
  });
  const pickHeatmap = (ref: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (ref === 'iso27001-2022') next.delete('heatmap');
        else next.set('heatmap', ref);
        return next;
      },
      { replace: true },
    );
  const data = query.data;

  const headline = useMemo(() => {
    if (!data) return null;
    const fw = data.heatmap?.frameworkId ?? data.frameworks[0]?.id;
    const rows = data.matrix.filter((m) => m.frameworkId === fw);
    const total = data.matrix.reduce(
      (acc, m) => ({
        applicable: acc.applicable + m.applicable,
        implemented: acc.implemented + m.implemented,
        satisfied: acc.satisfied + m.satisfied,
        evidenceExpired: acc.evidenceExpired + m.evidenceExpired,
      }),
      { applicable: 0, implemented: 0, satisfied: 0, evidenceExpired: 0 },
    );
    const avg = averageScore(rows.map((r) => r.score));
    return {
      framework: data.frameworks.find((f) => f.id === fw),
      companies: rows.length,
      average: avg,
      total: {
        ...total,
        score: total.applicable ? Math.floor((total.satisfied * 1000) / total.applicable) : 0,
      },
      overdue: data.calendar.filter((c) => c.overdue).length,
      upcoming90: data.calendar.filter((c) => !c.overdue && daysBetween(data.date, c.date) <= 90).length,
    };
  }, [data]);

  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        description={t('dashboard.description')}
        actions={
          <>
            <Button
              variant="default"
              component={Link}
              to="/compliance/controls"
              leftSection={<ListCheckIcon />}
            >
              {t('nav.controls')}
            </Button>
            <Button
              variant="default"
              component={Link}
              to="/compliance/certifications"
              leftSection={<AwardIcon />}
            >
              {t('nav.certifications')}
            </Button>
          </>
        }
      />
      {query.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={query.error} t={t} />
        </Alert>
      )}
      {query.isLoading && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="lg">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={150} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {data && headline && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="lg">
            <KpiCard title={t('dashboard.groupScore')} icon={<ListCheckIcon />} color="indigo">
              <Group gap="md" wrap="nowrap">
                <ScoreRing
                  score={{ score: headline.average ?? 0, applicable: headline.average === null ? 0 : 1 }}
                  size={84}
                  testId="group-score"
                />
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {headline.framework?.name ?? '—'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {headline.companies === 1
                      ? t('dashboard.averageOfOne')
                      : t('dashboard.averageOf', { count: headline.companies })}
                  </Text>
                </Stack>
              </Group>
            </KpiCard>
            <KpiCard title={t('dashboard.requirementsMet')} icon={<ListCheckIcon />} color="teal">
              <Text fz={28} fw={700} lh={1.2}>
                {headline.total.satisfied.toLocaleString()}
                <Text span c="dimmed" fz="md" fw={500}>
                  {' '}
                  / {headline.total.applicable.toLocaleString()}
                </Text>
              </Text>
              <Text size="xs" c="dimmed" mb={8}>
                {data.matrix.length === 1
                  ? t('dashboard.requirementsMetHelpOne')
                  : t('dashboard.requirementsMetHelp', { count: data.matrix.length })}
              </Text>
              <ScoreBar score={headline.total} />
            </KpiCard>
            <KpiCard title={t('dashboard.evidence')} icon={<ClockIcon />} color="orange">
              <Group grow align="flex-start">
                <UnstyledButton component={Link} to="/compliance/evidence?days=30" data-testid="kpi-expiring">
                  <Text fz={28} fw={700} c={data.expiringEvidence ? 'orange.7' : undefined} lh={1.2}>
                    {data.expiringEvidence}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.expiring30')}
                  </Text>
                </UnstyledButton>
                <UnstyledButton
                  component={Link}
                  to="/compliance/evidence?show=expired"
                  data-testid="kpi-expired"
                >
                  <Text fz={28} fw={700} c={data.expiredEvidence ? 'red.7' : undefined} lh={1.2}>
                    {data.expiredEvidence}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.expired')}
                  </Text>
                </UnstyledButton>
              </Group>
              <Anchor component={Link} to="/compliance/evidence" size="xs" mt={8} display="inline-block">
                {t('dashboard.viewEvidence')}
              </Anchor>
            </KpiCard>
            <KpiCard
              title={t('dashboard.audits')}
              icon={<CalendarIcon />}
              color={headline.overdue ? 'red' : 'grape'}
            >
              <Group grow align="flex-start">
                <div>
                  <Text fz={28} fw={700} lh={1.2}>
                    {headline.upcoming90}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.next90')}
                  </Text>
                </div>
                <div>
                  <Text
                    fz={28}
                    fw={700}
                    c={headline.overdue ? 'red.7' : undefined}
                    lh={1.2}
                    data-testid="kpi-overdue"
                  >
                    {headline.overdue}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.overdueShort')}
                  </Text>
                </div>
              </Group>
              {headline.overdue > 0 && (
                <Badge color="red" variant="light" mt={8} leftSection={<AlertIcon size={12} />} tt="none">
                  {t('dashboard.actionNeeded')}
                </Badge>
              )}
            </KpiCard>
          </SimpleGrid>

          {data.matrix.length === 0 ? (
            <Paper withBorder radius="md" p="xl" mb="lg">
              <Stack align="center" gap="xs">
                <Title order={4}>{t('dashboard.emptyTitle')}</Title>
                <Text c="dimmed" ta="center" maw={520}>
                  {t('dashboard.emptyHelp')}
                </Text>
                {can('company.read') && (
                  <Button component={Link} to="/companies" variant="light" mt="xs">
                    {t('nav.companies')}
                  </Button>
                )}
              </Stack>
            </Paper>
          ) : (
            <HeatMap data={data} frameworkRef={heatmapRef} onPick={pickHeatmap} />
          )}

          <Grid gap="lg">
            {data.matrix.length > 0 && (
              <Grid.Col span={{ base: 12, lg: 7 }}>
                <Matrix data={data} />
              </Grid.Col>
            )}
            <Grid.Col span={{ base: 12, lg: data.matrix.length > 0 ? 5 : 12 }}>
              <Calendar data={data} />
            </Grid.Col>
          </Grid>
        </>
      )}
    </>
  );
}
