// The heat maps of the risk overview: a company's likelihood x impact matrices (inherent and residual side by
// side, cells coloured by their level; a cell opens the register filtered to it), and the group's counts per
// level rank as bars.
import { Box, Group, Paper, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Heatmap, RiskMethodDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { cellKey, rankTone } from '../lib/method.ts';

type Side = 'inherent' | 'residual';
const CELL = 46;

function Matrix({
  side,
  heatmap,
  method,
  selected,
  onPick,
}: {
  side: Side;
  heatmap: Heatmap;
  method: RiskMethodDto;
  selected: { side: Side; l: number; i: number } | null;
  onPick: (side: Side, likelihood: number, impact: number) => void;
}) {
  const t = useT();
  const ranks = method.levels.map((l) => l.rank);
  const rankOf = new Map(method.levels.map((l) => [l.name, l.rank]));
  const cells = new Map(heatmap.cells.map((c) => [cellKey(c.likelihood, c.impact), c]));
  const likelihoods = [...method.likelihood].sort((a, b) => b.level - a.level);
  const impacts = [...method.impact].sort((a, b) => a.level - b.level);
  const total = heatmap.cells.reduce((s, c) => s + c[side], 0);
  return (
    <Paper withBorder p="md" radius="md" data-testid={`heatmap-${side}`}>
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={600}>
          {t(side === 'inherent' ? 'risk.inherent' : 'risk.residual')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('risk.count', { count: total })}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb={4}>
        ↑ {t('risk.likelihood')}
      </Text>
      <Stack gap={4}>
        {likelihoods.map((l) => (
          <Group key={l.level} gap={4} wrap="nowrap">
            <Tooltip label={l.name}>
              <Text size="xs" c="dimmed" w={16} ta="right">
                {l.level}
              </Text>
            </Tooltip>
            {impacts.map((i) => {
              const c = cells.get(cellKey(l.level, i.level));
              const count = c?.[side] ?? 0;
              const level = c?.level ?? null;
              const tone = level ? rankTone(rankOf.get(level) ?? 0, ranks) : 'gray';
              const active = selected?.side === side && selected.l === l.level && selected.i === i.level;
              return (
                <Tooltip
                  key={i.level}
                  label={t('risk.heatCell', {
                    likelihood: `${l.level} ${l.name}`,
                    impact: `${i.level} ${i.name}`,
                    level: level ?? '—',
                    count,
                  })}
                  multiline
                  maw={260}
                >
                  <UnstyledButton
                    onClick={() => onPick(side, l.level, i.level)}
                    data-testid={`heat-${side}-${l.level}-${i.level}`}
                    data-level={level ?? ''}
                    aria-label={`${t(side === 'inherent' ? 'risk.inherent' : 'risk.residual')} L${l.level} × I${i.level}: ${count}`}
                    style={{
                      width: CELL,
                      height: CELL,
                      borderRadius: 6,
                      background:
                        count > 0 ? `var(--mantine-color-${tone}-6)` : `var(--mantine-color-${tone}-1)`,
                      outline: active
                        ? '3px solid var(--mantine-color-indigo-7)'
                        : `1px solid var(--mantine-color-${tone}-3)`,
                      outlineOffset: active ? 1 : 0,
                      display: 'flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                      fontSize: 15,
                      fontWeight: 700,
                      color: count > 0 ? 'white' : `var(--mantine-color-${tone}-5)`,
                    }}
                  >
                    {count > 0 ? count.toLocaleString() : ''}
                  </UnstyledButton>
                </Tooltip>
              );
            })}
          </Group>
        ))}
        <Group gap={4} wrap="nowrap">
          <Box w={16} />
          {impacts.map((i) => (
            <Tooltip key={i.level} label={i.name}>
              <Text size="xs" c="dimmed" w={CELL} ta="center">
                {i.level}
              </Text>
            </Tooltip>
          ))}
        </Group>
        <Text size="xs" c="dimmed" ta="center" pl={20}>
          {t('risk.impact')} →
        </Text>
      </Stack>
    </Paper>
  );
}

export function LevelLegend({ method }: { method: Pick<RiskMethodDto, 'levels' | 'acceptanceThreshold'> }) {
  const t = useT();
  const ranks = method.levels.map((l) => l.rank);
  return (
    <Group gap="sm">
      {[...method.levels]
        .sort((a, b) => a.rank - b.rank)
        .map((l) => (
          <Group key={l.name} gap={6} wrap="nowrap">
            <Box
              w={12}
              h={12}
              style={{ borderRadius: 3, background: `var(--mantine-color-${rankTone(l.rank, ranks)}-6)` }}
            />
            <Text size="xs">
              {l.name}
              {l.name === method.acceptanceThreshold ? ` · ${t('risk.thresholdMark')}` : ''}
            </Text>
          </Group>
        ))}
    </Group>
  );
}

/** Company view: inherent and residual matrices side by side. */
export function CompanyHeatmaps({
  heatmap,
  method,
  selected = null,
  onPick,
}: {
  heatmap: Heatmap;
  method: RiskMethodDto;
  selected?: { side: Side; l: number; i: number } | null;
  onPick: (side: Side, likelihood: number, impact: number) => void;
}) {
  return (
    <Stack gap="sm">
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Matrix side="inherent" heatmap={heatmap} method={method} selected={selected} onPick={onPick} />
        <Matrix side="residual" heatmap={heatmap} method={method} selected={selected} onPick={onPick} />
      </Group>
      <LevelLegend method={method} />
    </Stack>
  );
}

/** Group view: risks per level rank, inherent against residual. */
export function RankBars({ heatmap, height = 240 }: { heatmap: Heatmap; height?: number }) {
  const t = useT();
  const inherent = t('risk.inherent');
  const residual = t('risk.residual');
  const data = heatmap.byRank.map((r) => ({
    name: t('risk.rankLabel', { rank: r.rank }),
    [inherent]: r.inherent,
    [residual]: r.residual,
  }));
  return (
    <div data-testid="rank-bars">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis
            dataKey="name"
            tick={{ fontSize: 11, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            axisLine={{ stroke: 'var(--mantine-color-gray-3)' }}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 11, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            axisLine={false}
          />
          <ChartTooltip cursor={{ fill: 'var(--mantine-color-gray-1)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey={inherent}
            fill="var(--mantine-color-gray-5)"
            radius={[4, 4, 0, 0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey={residual}
            fill="var(--mantine-color-indigo-6)"
            radius={[4, 4, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
