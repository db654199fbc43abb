// Score displays: a ring with the percentage, a stacked bar of what the score is made of, a colour legend.
import { Group, Progress, RingProgress, Stack, Text, Tooltip } from '@mantine/core';
import type { ScoreDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { SCALE_STOPS, formatPercent, scoreColor, scoreTone } from '../lib/score.ts';

export function ScoreRing({
  score,
  size = 96,
  thickness = 9,
  testId,
}: {
  score: Pick<ScoreDto, 'score' | 'applicable'>;
  size?: number;
  thickness?: number;
  testId?: string;
}) {
  const none = score.applicable === 0;
  return (
    <RingProgress
      size={size}
      thickness={thickness}
      roundCaps
      rootColor="gray.2"
      sections={none ? [] : [{ value: score.score / 10, color: scoreTone(score.score) }]}
      label={
        <Text ta="center" fw={700} fz={size >= 90 ? 'lg' : 'sm'} data-testid={testId}>
          {none ? '—' : formatPercent(score.score)}
        </Text>
      }
    />
  );
}

/** Satisfied (counts), implemented without valid evidence (does not count yet), and the rest. */
export function ScoreBar({ score, size = 'md' }: { score: ScoreDto; size?: 'sm' | 'md' | 'lg' }) {
  const t = useT();
  if (score.applicable === 0) return <Progress value={0} size={size} />;
  const pct = (n: number) => (n / score.applicable) * 100;
  const pending = score.implemented - score.satisfied;
  return (
    <Progress.Root size={size}>
      <Tooltip label={`${t('score.satisfied')}: ${score.satisfied}`}>
        <Progress.Section value={pct(score.satisfied)} color="teal" />
      </Tooltip>
      {pending > 0 && (
        <Tooltip label={`${t('score.implementedNoEvidence')}: ${pending}`}>
          <Progress.Section value={pct(pending)} color="orange" />
        </Tooltip>
      )}
    </Progress.Root>
  );
}

export function ScoreFigures({ score }: { score: ScoreDto }) {
  const t = useT();
  return (
    <Stack gap={2}>
      <Text size="sm">
        <Text span fw={700}>
          {score.satisfied}
        </Text>{' '}
        / {score.applicable} {t('score.satisfiedOfApplicable')}
      </Text>
      <Group gap="md">
        <Text size="xs" c="dimmed">
          {t('score.implemented')}: {score.implemented}
        </Text>
        <Text size="xs" c={score.evidenceExpired > 0 ? 'red' : 'dimmed'}>
          {t('score.evidenceExpired')}: {score.evidenceExpired}
        </Text>
      </Group>
    </Stack>
  );
}

/** The colour scale of heat maps and matrices, 0% to 100%. */
export function ScoreLegend() {
  const t = useT();
  const gradient = `linear-gradient(90deg, ${SCALE_STOPS.map(([at]) => `${scoreColor(at)} ${at / 10}%`).join(', ')})`;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="xs" c="dimmed">
        0%
      </Text>
      <div style={{ width: 120, height: 8, borderRadius: 4, background: gradient }} aria-hidden="true" />
      <Text size="xs" c="dimmed">
        100%
      </Text>
      <Group gap={4} ml="xs" wrap="nowrap">
        <div
          style={{
            width: 10,
            height: 10,
            borderRadius: 2,
            background: scoreColor(null),
            border: '1px solid var(--mantine-color-gray-4)',
          }}
        />
        <Text size="xs" c="dimmed">
          {t('score.notAdopted')}
        </Text>
      </Group>
    </Group>
  );
}
