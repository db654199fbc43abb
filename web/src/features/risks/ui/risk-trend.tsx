// The register over time: residual risks stacked by level rank, and the line of those above the threshold.
import { Group, Text } from '@mantine/core';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TrendPoint } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { rankTone } from '../lib/method.ts';
import { useFormatDay } from './format.ts';

interface TooltipProps {
  active?: boolean;
  payload?: readonly { payload?: TrendPoint }[];
}

export function RiskTrend({ points, height = 220 }: { points: readonly TrendPoint[]; height?: number }) {
  const t = useT();
  const formatDay = useFormatDay();
  const ranks = [...new Set(points.flatMap((p) => p.byRank.map((r) => r.rank)))].sort((a, b) => a - b);
  const data = points.map((p) => ({
    ...p,
    ...Object.fromEntries(ranks.map((r) => [`r${r}`, p.byRank.find((x) => x.rank === r)?.residual ?? 0])),
  }));

  const renderTooltip = ({ active, payload }: TooltipProps) => {
    const p = active ? payload?.[0]?.payload : undefined;
    if (!p) return null;
    return (
      <div
        style={{
          background: 'white',
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 8,
          padding: '6px 10px',
          boxShadow: 'var(--mantine-shadow-sm)',
        }}
      >
        <Text size="xs" c="dimmed">
          {formatDay(p.date)}
        </Text>
        <Text size="sm" fw={700}>
          {t('risk.count', { count: p.total })}
        </Text>
        <Text size="xs" c={p.aboveThreshold > 0 ? 'red' : undefined}>
          {t('risk.aboveThreshold')}: {p.aboveThreshold}
        </Text>
        <Text size="xs">
          {t('risk.acceptedCount')}: {p.accepted}
        </Text>
        <Text size="xs">
          {t('risk.overdueReviews')}: {p.overdueReviews}
        </Text>
      </div>
    );
  };

  return (
    <div data-testid="risk-trend">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis
            dataKey="date"
            tickFormatter={(d: string) => formatDay(d, 'short')}
            tick={{ fontSize: 11, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            axisLine={{ stroke: 'var(--mantine-color-gray-3)' }}
            minTickGap={24}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 11, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip content={renderTooltip} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {ranks.map((r) => (
            <Area
              key={r}
              type="monotone"
              dataKey={`r${r}`}
              name={t('risk.rankLabel', { rank: r })}
              stackId="residual"
              stroke={`var(--mantine-color-${rankTone(r, ranks)}-6)`}
              fill={`var(--mantine-color-${rankTone(r, ranks)}-4)`}
              fillOpacity={0.55}
              isAnimationActive={false}
            />
          ))}
          <Line
            type="monotone"
            dataKey="aboveThreshold"
            name={t('risk.aboveThreshold')}
            stroke="var(--mantine-color-red-8)"
            strokeWidth={2}
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
      {data.length < 2 && (
        <Group justify="center">
          <Text size="xs" c="dimmed">
            {t('risk.trendBuilding')}
          </Text>
        </Group>
      )}
    </div>
  );
}
