// The visual vocabulary of the email screens: one badge per mechanism of a domain's posture, severities,
// finding counts and the domain's role.
import { Badge, Group, Tooltip } from '@mantine/core';
import type { DmarcStage, DomainRole, FindingSeverity, PostureDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { MTA_STS_COLOR, SEVERITY_COLOR, SPF_COLOR, STAGE_COLOR } from '../lib/posture.ts';

type Size = 'xs' | 'sm' | 'md' | 'lg';

export function DmarcBadge({
  stage,
  pct,
  size = 'sm',
  testId,
}: {
  stage: DmarcStage;
  pct?: number | null | undefined;
  size?: Size;
  testId?: string;
}) {
  const t = useT();
  const partial = pct !== null && pct !== undefined && pct < 100 && stage !== 'missing' && stage !== 'none';
  return (
    <Tooltip label={t(`email.stageHelp.${stage}`)} multiline maw={300}>
      <Badge
        color={STAGE_COLOR[stage]}
        variant={stage === 'reject' ? 'filled' : 'light'}
        size={size}
        tt="none"
        data-testid={testId}
        data-stage={stage}
      >
        {stage === 'missing' ? t('email.dmarcMissing') : `DMARC p=${stage}`}
        {partial ? ` · pct=${pct}` : ''}
      </Badge>
    </Tooltip>
  );
}

export function SpfBadge({ spf, size = 'sm' }: { spf: PostureDto['spf']; size?: Size }) {
  const t = useT();
  return (
    <Tooltip label={t(`email.spfHelp.${spf}`)}>
      <Badge color={SPF_COLOR[spf]} variant="light" size={size} tt="none" data-testid="posture-spf">
        SPF {t(`email.spf.${spf}`)}
      </Badge>
    </Tooltip>
  );
}

export function MtaStsBadge({ mode, size = 'sm' }: { mode: PostureDto['mtaSts']; size?: Size }) {
  const t = useT();
  return (
    <Badge color={MTA_STS_COLOR[mode]} variant="light" size={size} tt="none" data-testid="posture-mta-sts">
      MTA-STS {t(`email.mtaSts.${mode}`)}
    </Badge>
  );
}

/** A mechanism that is simply there or not (DKIM strong, TLS-RPT, BIMI). */
export function FlagBadge({
  label,
  on,
  size = 'sm',
  testId,
}: {
  label: string;
  on: boolean;
  size?: Size;
  testId?: string;
}) {
  return (
    <Badge
      color={on ? 'teal' : 'gray'}
      variant={on ? 'light' : 'outline'}
      size={size}
      tt="none"
      data-testid={testId}
      data-on={on}
    >
      {on ? '✓' : '✕'} {label}
    </Badge>
  );
}

/** Every mechanism of a posture; `compact` keeps SPF and DMARC for a table row. */
export function PostureBadges({
  posture,
  role,
  compact = false,
  size = 'sm',
}: {
  posture: PostureDto | null;
  role: DomainRole;
  compact?: boolean;
  size?: Size;
}) {
  const t = useT();
  if (!posture)
    return (
      <Badge color="gray" variant="outline" size={size} tt="none" data-testid="posture-none">
        {t('email.notScanned')}
      </Badge>
    );
  return (
    <Group gap={6} wrap={compact ? 'nowrap' : 'wrap'} data-testid="posture-badges">
      <SpfBadge spf={posture.spf} size={size} />
      <DmarcBadge stage={posture.dmarcPolicy} pct={posture.dmarcPct} size={size} testId="posture-dmarc" />
      {role === 'sends' && (
        <FlagBadge label={t('email.dkimStrong')} on={posture.dkimStrong} size={size} testId="posture-dkim" />
      )}
      {role === 'sends' && !compact && (
        <>
          <MtaStsBadge mode={posture.mtaSts} size={size} />
          <FlagBadge label="TLS-RPT" on={posture.tlsRpt} size={size} testId="posture-tls-rpt" />
          <FlagBadge label="BIMI" on={posture.bimi} size={size} testId="posture-bimi" />
        </>
      )}
    </Group>
  );
}

export function SeverityBadge({ severity, size = 'xs' }: { severity: FindingSeverity; size?: Size }) {
  const t = useT();
  return (
    <Badge color={SEVERITY_COLOR[severity]} variant="light" size={size} miw={64}>
      {t(`email.severity.${severity}`)}
    </Badge>
  );
}

/** Errors and warnings of a scan; a dash before the first scan. */
export function CountBadges({
  errors,
  warnings,
  size = 'sm',
}: {
  errors: number | null;
  warnings: number | null;
  size?: Size;
}) {
  const t = useT();
  if (errors === null || warnings === null) return <>—</>;
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={t('email.errorsCount', { count: errors })}>
        <Badge
          color={errors > 0 ? 'red' : 'gray'}
          variant={errors > 0 ? 'filled' : 'outline'}
          size={size}
          circle={errors < 10}
          data-testid="count-errors"
        >
          {errors}
        </Badge>
      </Tooltip>
      <Tooltip label={t('email.warningsCount', { count: warnings })}>
        <Badge
          color={warnings > 0 ? 'yellow' : 'gray'}
          variant={warnings > 0 ? 'light' : 'outline'}
          size={size}
          circle={warnings < 10}
          data-testid="count-warnings"
        >
          {warnings}
        </Badge>
      </Tooltip>
    </Group>
  );
}

export function RoleBadge({ role }: { role: DomainRole }) {
  const t = useT();
  return (
    <Badge color={role === 'sends' ? 'indigo' : 'gray'} variant="light" size="sm">
      {t(`email.role.${role}`)}
    </Badge>
  );
}
