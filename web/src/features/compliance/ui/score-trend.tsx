// The daily score of a company for one framework, as a line over time.
import { Group, Text } from '@mantine/core';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScoreHistoryPointDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { formatPercent } from '../lib/score.ts';
import { useFormatDay } from './format.ts';

interface TooltipProps {
  active?: boolean;
  payload?: readonly { payload?: ScoreHistoryPointDto }[];
}

export function ScoreTrend({
  points,
  height = 180,
}: {
  points: readonly ScoreHistoryPointDto[];
  height?: number;
}) {
  const t = useT();
  const formatDay = useFormatDay();
  const data = points.map((p) => ({ ...p, pct: p.score / 10 }));

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
          {formatPercent(p.score, 1)}
        </Text>
        <Text size="xs">
          {t('score.satisfied')}: {p.satisfied} / {p.applicable}
        </Text>
        {p.evidenceExpired > 0 && (
          <Text size="xs" c="red">
            {t('score.evidenceExpired')}: {p.evidenceExpired}
          </Text>
        )}
      </div>
    );
  };

  return (
    <div data-testid="score-trend">
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <defs>
            <linearGradient id="mamoriScoreFill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="var(--mantine-color-indigo-5)" stopOpacity={0.35} />
              <stop offset="100%" stopColor="var(--mantine-color-indigo-5)" stopOpacity={0.02} />
            </linearGradient>
          </defs>
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
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tickFormatter={(v: number) => `${v}%`}
            tick={{ fontSize: 11, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip content={renderTooltip} />
          <Area
            type="monotone"
            dataKey="pct"
            stroke="var(--mantine-color-indigo-6)"
            strokeWidth={2}
            fill="url(#mamoriScoreFill)"
            dot={data.length <= 31 ? { r: 3, fill: 'var(--mantine-color-indigo-6)' } : false}
            activeDot={{ r: 5 }}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
      {data.length < 2 && (
        <Group justify="center">
          <Text size="xs" c="dimmed">
            {t('soa.trendBuilding')}
          </Text>
        </Group>
      )}
    </div>
  );
}
