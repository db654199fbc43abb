// Colour-coded badges of the risk screens: levels by rank, treatment, the threshold marker, due dates.
import { Badge, Tooltip, type BadgeProps } from '@mantine/core';
import type { Treatment } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { daysBetween } from '../lib/dates.ts';
import { rankTone } from '../lib/method.ts';
import { AlertIcon } from '../../../shared/ui/icons.tsx';

/** A risk level, coloured by the position of its rank among the method's ranks. */
export function LevelBadge({
  level,
  rank,
  ranks,
  ...rest
}: { level: string; rank: number; ranks: readonly number[] } & BadgeProps & { 'data-testid'?: string }) {
  return (
    <Badge color={rankTone(rank, ranks)} variant="filled" tt="none" data-rank={rank} {...rest}>
      {level}
    </Badge>
  );
}

const TREATMENT_COLOR: Record<Treatment, string> = {
  mitigate: 'blue',
  accept: 'teal',
  transfer: 'violet',
  avoid: 'gray',
};

export function TreatmentBadge({ treatment, testId }: { treatment: Treatment; testId?: string }) {
  const t = useT();
  return (
    <Badge color={TREATMENT_COLOR[treatment]} variant="light" tt="none" data-testid={testId}>
      {t(`treatment.${treatment}`)}
    </Badge>
  );
}

/** The residual level is above the acceptance threshold of the method the risk was assessed under. */
export function AboveThresholdMarker({ compact = false }: { compact?: boolean }) {
  const t = useT();
  return (
    <Tooltip label={t('risk.aboveThresholdHelp')} multiline maw={260}>
      <Badge
        color="red"
        variant="outline"
        tt="none"
        leftSection={<AlertIcon size={12} />}
        data-testid="above-threshold"
      >
        {compact ? t('risk.aboveShort') : t('risk.aboveThreshold')}
      </Badge>
    </Tooltip>
  );
}

/** "in 12 d" / "today" / "3 d overdue" for a due date, or "expired 3 d ago" for an expiry. */
export function DueBadge({
  day,
  today,
  past = 'overdue',
  soonDays = 14,
  ...rest
}: {
  day: string;
  today: string;
  past?: 'overdue' | 'expired';
  soonDays?: number;
} & BadgeProps & { 'data-testid'?: string }) {
  const t = useT();
  const days = daysBetween(today, day);
  const label =
    days < 0
      ? t(past === 'expired' ? 'days.expired' : 'days.overdue', { count: -days })
      : days === 0
        ? t('days.today')
        : t('days.left', { count: days });
  const color = days < 0 ? 'red' : days <= soonDays ? 'orange' : 'gray';
  return (
    <Badge color={color} variant={days < 0 ? 'filled' : 'light'} tt="none" {...rest}>
      {label}
    </Badge>
  );
}
