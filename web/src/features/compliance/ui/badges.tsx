// Colour-coded badges of the compliance screens.
import { Badge, type BadgeProps } from '@mantine/core';
import type {
  AppliedControlStatus,
  AuditOutcome,
  CertificationStatus,
  EffectiveStatus,
  EvidenceState,
} from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { URGENCY_COLOR, urgencyOf } from '../lib/dates.ts';
import { EFFECTIVE_STATUS_COLOR } from '../lib/score.ts';

export function EffectiveStatusBadge({ status, ...rest }: { status: EffectiveStatus } & BadgeProps) {
  const t = useT();
  return (
    <Badge
      color={EFFECTIVE_STATUS_COLOR[status]}
      variant={status === 'not_applicable' ? 'outline' : 'light'}
      tt="none"
      {...rest}
    >
      {t(`soaStatus.${status}`)}
    </Badge>
  );
}

const EVIDENCE_COLOR: Record<EvidenceState | 'none', string> = {
  valid: 'teal',
  expired: 'red',
  not_yet_valid: 'blue',
  none: 'gray',
};

export function EvidenceStateBadge({ state }: { state: EvidenceState | 'none' }) {
  const t = useT();
  return (
    <Badge color={EVIDENCE_COLOR[state]} variant={state === 'none' ? 'outline' : 'light'} tt="none">
      {t(`evidenceState.${state}`)}
    </Badge>
  );
}

const CONTROL_COLOR: Record<AppliedControlStatus, string> = {
  draft: 'gray',
  active: 'teal',
  retired: 'dark',
};

export function ControlStatusBadge({ status }: { status: AppliedControlStatus }) {
  const t = useT();
  return (
    <Badge color={CONTROL_COLOR[status]} variant="light" tt="none">
      {t(`controlStatus.${status}`)}
    </Badge>
  );
}

const CERT_COLOR: Record<CertificationStatus, string> = {
  planned: 'blue',
  active: 'teal',
  suspended: 'orange',
  withdrawn: 'gray',
  expired: 'red',
};

export function CertificationStatusBadge({ status }: { status: CertificationStatus }) {
  const t = useT();
  return (
    <Badge color={CERT_COLOR[status]} variant="light" tt="none">
      {t(`certStatus.${status}`)}
    </Badge>
  );
}

const OUTCOME_COLOR: Record<AuditOutcome, string> = {
  planned: 'blue',
  passed: 'teal',
  passed_with_findings: 'yellow',
  failed: 'red',
  cancelled: 'gray',
};

export function AuditOutcomeBadge({ outcome }: { outcome: AuditOutcome }) {
  const t = useT();
  return (
    <Badge color={OUTCOME_COLOR[outcome]} variant="light" tt="none">
      {t(`auditOutcome.${outcome}`)}
    </Badge>
  );
}

/** "in 12 days" / "today" / "3 days overdue" (or "expired 3 days ago"), coloured by urgency. */
export function DaysLeftBadge({
  days,
  soonDays = 14,
  past = 'overdue',
}: {
  days: number;
  soonDays?: number;
  past?: 'overdue' | 'expired';
}) {
  const t = useT();
  const urgency = urgencyOf(days, soonDays);
  const label =
    days < 0
      ? t(past === 'expired' ? 'days.expired' : 'days.overdue', { count: -days })
      : days === 0
        ? t('days.today')
        : t('days.left', { count: days });
  return (
    <Badge color={URGENCY_COLOR[urgency]} variant={urgency === 'later' ? 'outline' : 'light'} tt="none">
      {label}
    </Badge>
  );
}

export function OverdueBadge() {
  const t = useT();
  return (
    <Badge color="red" variant="filled" tt="none" data-testid="overdue-badge">
      {t('cert.overdue')}
    </Badge>
  );
}
