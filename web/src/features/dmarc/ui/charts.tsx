// The charts of an analysis (of the group, a company or one domain): headline figures, the daily volume stacked
// pass vs fail, DKIM and SPF aligned / unaligned / failing, and the receivers' dispositions.
import type { ReactNode } from 'react';
import { Box, Card, Group, SimpleGrid, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Analysis } from '../../../shared/api/types.ts';
import { useLocale, useT } from '../../../shared/i18n/i18n.tsx';
import { AlertIcon, CheckIcon } from '../../../shared/ui/icons.tsx';
import {
  DISPOSITION_FILL,
  OTHER_FILL,
  alignmentRows,
  dispositionSlices,
  percent,
  rate,
  rateColor,
} from '../lib/dmarc.ts';
import { ChartIcon } from './icons.tsx';

const PASS_FILL = 'var(--mantine-color-teal-6)';
const UNALIGNED_FILL = 'var(--mantine-color-yellow-5)';
const FAIL_FILL = 'var(--mantine-color-red-6)';
const AXIS_TICK = { fontSize: 11, fill: 'var(--mantine-color-gray-6)' };

function useNumber() {
  const [locale] = useLocale();
  const format = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB');
  return (n: number) => format.format(n);
}

/** Calendar days ("2026-05-01") in the UI language, in UTC (the zone the server counts days in). */
function useFormatDay() {
  const [locale] = useLocale();
  const format = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  return (day: string) => {
    const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? day : format.format(d);
  };
}

function Kpi({
  label,
  value,
  sub,
  icon,
  color,
  testId,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  icon: ReactNode;
  color: string;
  testId: string;
}) {
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fz={30} fw={700} lh={1.2} data-testid={testId}>
            {value}
          </Text>
          {sub && (
            <Text size="xs" c="dimmed">
              {sub}
            </Text>
          )}
        </div>
        <ThemeIcon variant="light" color={color} radius="md" size="lg">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

export function Headline({ analysis: a }: { analysis: Analysis }) {
  const t = useT();
  const n = useNumber();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="lg">
      <Kpi
        label={t('dmarc.kpi.messages')}
        value={n(a.messages)}
        sub={t('dmarc.kpi.window', { from: a.from, to: a.to })}
        icon={<ChartIcon size={18} />}
        color="indigo"
        testId="kpi-messages"
      />
      <Kpi
        label={t('dmarc.kpi.passRate')}
        value={a.passRate === null ? '—' : `${percent(a.passRate)} %`}
        sub={t('dmarc.kpi.passSub', { pass: n(a.pass) })}
        icon={<CheckIcon size={18} />}
        color={rateColor(a.passRate)}
        testId="kpi-pass-rate"
      />
      <Kpi
        label={t('dmarc.kpi.fail')}
        value={n(a.fail)}
        sub={t('dmarc.kpi.failSub')}
        icon={<AlertIcon size={18} />}
        color={a.fail > 0 ? 'red' : 'gray'}
        testId="kpi-fail"
      />
      <Kpi
        label={t('dmarc.kpi.forwarded')}
        value={n(a.forwarded)}
        sub={t('dmarc.kpi.forwardedSub')}
        icon={<ChartIcon size={18} />}
        color="gray"
        testId="kpi-forwarded"
      />
    </SimpleGrid>
  );
}

interface SeriesTooltipProps {
  active?: boolean;
  payload?: readonly { payload?: Analysis['series'][number] }[];
}

const tooltipStyle = {
  background: 'white',
  border: '1px solid var(--mantine-color-gray-3)',
  borderRadius: 8,
  padding: '6px 10px',
  boxShadow: 'var(--mantine-shadow-sm)',
};

export function VolumeChart({ analysis }: { analysis: Analysis }) {
  const t = useT();
  const n = useNumber();
  const formatDay = useFormatDay();
  const renderTooltip = ({ active, payload }: SeriesTooltipProps) => {
    const p = active ? payload?.[0]?.payload : undefined;
    if (!p) return null;
    const r = rate(p.pass, p.pass + p.fail);
    return (
      <div style={tooltipStyle}>
        <Text size="xs" c="dimmed">
          {formatDay(p.day)}
        </Text>
        <Text size="sm" fw={700}>
          {t('dmarc.chart.messagesCount', { count: n(p.pass + p.fail) })}
        </Text>
        <Text size="xs" c="teal.8">
          {t('dmarc.pass')}: {n(p.pass)}
        </Text>
        <Text size="xs" c="red.8">
          {t('dmarc.fail')}: {n(p.fail)}
        </Text>
        {r !== null && (
          <Text size="xs">
            {t('dmarc.kpi.passRate')}: {percent(r)} %
          </Text>
        )}
      </div>
    );
  };
  return (
    <Card withBorder radius="md" padding="lg" h="100%" data-testid="dmarc-volume-chart">
      <Title order={4}>{t('dmarc.chart.volumeTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dmarc.chart.volumeHelp')}
      </Text>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={analysis.series} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis
            dataKey="day"
            tickFormatter={formatDay}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={{ stroke: 'var(--mantine-color-gray-3)' }}
            minTickGap={20}
          />
          <YAxis allowDecimals={false} tick={AXIS_TICK} tickLine={false} axisLine={false} />
          <ChartTooltip content={renderTooltip} cursor={{ fill: 'var(--mantine-color-gray-1)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey="pass"
            name={t('dmarc.pass')}
            stackId="volume"
            fill={PASS_FILL}
            isAnimationActive={false}
          />
          <Bar
            dataKey="fail"
            name={t('dmarc.fail')}
            stackId="volume"
            fill={FAIL_FILL}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </Card>
  );
}

export function AlignmentChart({ analysis }: { analysis: Analysis }) {
  const t = useT();
  const n = useNumber();
  const rows = alignmentRows(analysis);
  return (
    <Card withBorder radius="md" padding="lg" h="100%" data-testid="dmarc-alignment-chart">
      <Title order={4}>{t('dmarc.chart.alignmentTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dmarc.chart.alignmentHelp')}
      </Text>
      <ResponsiveContainer width="100%" height={130}>
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 12, bottom: 0, left: 0 }}>
          <XAxis type="number" hide allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="mechanism"
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={44}
          />
          <ChartTooltip
            formatter={(value) => n(Number(value))}
            cursor={{ fill: 'var(--mantine-color-gray-1)' }}
          />
          <Bar
            dataKey="aligned"
            name={t('dmarc.aligned')}
            stackId="a"
            fill={PASS_FILL}
            barSize={22}
            isAnimationActive={false}
          />
          <Bar
            dataKey="unaligned"
            name={t('dmarc.unaligned')}
            stackId="a"
            fill={UNALIGNED_FILL}
            barSize={22}
            isAnimationActive={false}
          />
          <Bar
            dataKey="fail"
            name={t('dmarc.failing')}
            stackId="a"
            fill={FAIL_FILL}
            barSize={22}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <Table verticalSpacing={4} mt="sm" fz="xs" data-testid="alignment-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>
              <Swatch fill={PASS_FILL} label={t('dmarc.aligned')} />
            </Table.Th>
            <Table.Th>
              <Swatch fill={UNALIGNED_FILL} label={t('dmarc.unaligned')} />
            </Table.Th>
            <Table.Th>
              <Swatch fill={FAIL_FILL} label={t('dmarc.failing')} />
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const total = r.aligned + r.unaligned + r.fail;
            const cell = (value: number) => (
              <Table.Td>
                <Text span fw={700} size="xs">
                  {n(value)}
                </Text>
                {total > 0 && (
                  <Text span c="dimmed" size="xs">
                    {' '}
                    ({percent(rate(value, total))} %)
                  </Text>
                )}
              </Table.Td>
            );
            return (
              <Table.Tr key={r.mechanism} data-testid={`alignment-${r.mechanism.toLowerCase()}`}>
                <Table.Td fw={700}>{r.mechanism}</Table.Td>
                {cell(r.aligned)}
                {cell(r.unaligned)}
                {cell(r.fail)}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Swatch({ fill, label }: { fill: string; label: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Box w={10} h={10} style={{ borderRadius: 2, background: fill, flexShrink: 0 }} />
      <Text size="xs" fw={600}>
        {label}
      </Text>
    </Group>
  );
}

export function DispositionsChart({ analysis }: { analysis: Analysis }) {
  const t = useT();
  const n = useNumber();
  const slices = dispositionSlices(analysis.dispositions);
  const total = slices.reduce((s, x) => s + x.value, 0);
  const label = (name: string) =>
    ['none', 'pass', 'quarantine', 'reject'].includes(name)
      ? t(`dmarc.disposition.${name as 'none' | 'pass' | 'quarantine' | 'reject'}`)
      : name;
  const data = slices.length ? slices : [{ name: 'empty', value: 1 }];
  return (
    <Card withBorder radius="md" padding="lg" h="100%" data-testid="dmarc-dispositions-chart">
      <Title order={4}>{t('dmarc.chart.dispositionsTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dmarc.chart.dispositionsHelp')}
      </Text>
      <Group align="center" wrap="nowrap" gap="lg">
        <Box w={150} h={150} style={{ flexShrink: 0 }}>
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie
                data={data}
                dataKey="value"
                nameKey="name"
                innerRadius={46}
                outerRadius={70}
                paddingAngle={slices.length > 1 ? 2 : 0}
                startAngle={90}
                endAngle={-270}
                isAnimationActive={false}
                stroke="none"
              >
                {data.map((d) => (
                  <Cell
                    key={d.name}
                    fill={
                      d.name === 'empty'
                        ? 'var(--mantine-color-gray-2)'
                        : (DISPOSITION_FILL[d.name] ?? OTHER_FILL)
                    }
                  />
                ))}
              </Pie>
              {slices.length > 0 && (
                <ChartTooltip formatter={(value, name) => [n(Number(value)), label(String(name))]} />
              )}
            </PieChart>
          </ResponsiveContainer>
        </Box>
        <Stack gap={6} style={{ flex: 1 }}>
          {slices.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('dmarc.noMessages')}
            </Text>
          )}
          {slices.map((s) => (
            <Group key={s.name} justify="space-between" wrap="nowrap" data-testid={`disposition-${s.name}`}>
              <Group gap={8} wrap="nowrap">
                <Box
                  w={12}
                  h={12}
                  style={{ borderRadius: 3, background: DISPOSITION_FILL[s.name] ?? OTHER_FILL }}
                />
                <Text size="sm">{label(s.name)}</Text>
              </Group>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" fw={700}>
                  {n(s.value)}
                </Text>
                <Text size="xs" c="dimmed" w={60} ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {percent(rate(s.value, total))} %
                </Text>
              </Group>
            </Group>
          ))}
        </Stack>
      </Group>
    </Card>
  );
}

/** The three charts of an analysis, laid out. */
export function AnalysisCharts({ analysis }: { analysis: Analysis }) {
  return (
    <Stack gap="lg" mb="lg">
      <VolumeChart analysis={analysis} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <AlignmentChart analysis={analysis} />
        <DispositionsChart analysis={analysis} />
      </SimpleGrid>
    </Stack>
  );
}
