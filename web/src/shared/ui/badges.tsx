// Colour-coded badges for the statuses that recur across screens.
import { Badge } from '@mantine/core';
import type { CompanyStatus } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';

const COMPANY_STATUS_COLOR: Record<CompanyStatus, string> = {
  active: 'teal',
  inactive: 'yellow',
  closed: 'gray',
};

export function CompanyStatusBadge({ status }: { status: CompanyStatus }) {
  const t = useT();
  return (
    <Badge color={COMPANY_STATUS_COLOR[status]} variant="light">
      {t(`companyStatus.${status}`)}
    </Badge>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  const t = useT();
  return (
    <Badge color={active ? 'teal' : 'gray'} variant="light">
      {active ? t('common.active') : t('common.inactive')}
    </Badge>
  );
}

export function UserStatusBadge({ status }: { status: 'active' | 'disabled' }) {
  const t = useT();
  return (
    <Badge color={status === 'active' ? 'teal' : 'red'} variant="light">
      {t(`userStatus.${status}`)}
    </Badge>
  );
}

/** `short` for a table column already headed "MFA": just on / off. */
export function MfaBadge({ enabled, short = false }: { enabled: boolean; short?: boolean }) {
  const t = useT();
  const label = short
    ? enabled
      ? t('mfa.on')
      : t('mfa.off')
    : enabled
      ? t('mfa.badgeOn')
      : t('mfa.badgeOff');
  return (
    <Badge color={enabled ? 'blue' : 'gray'} variant={enabled ? 'filled' : 'outline'} tt="none">
      {label}
    </Badge>
  );
}
