// Pure helpers of the email screens: colours of each posture word, shares of the roll-up, findings grouped by
// check, the timeline's chart series and the progress of a "rescan all".
import type {
  CheckName,
  DmarcStage,
  EmailDomainDto,
  FindingSeverity,
  PostureDto,
  ScanDto,
} from '../../../shared/api/types.ts';

export const STAGE_COLOR: Record<DmarcStage, string> = {
  missing: 'red',
  none: 'orange',
  quarantine: 'yellow',
  reject: 'teal',
};
/** The same colours as CSS values, for charts. */
export const STAGE_FILL: Record<DmarcStage, string> = {
  missing: 'var(--mantine-color-red-6)',
  none: 'var(--mantine-color-orange-5)',
  quarantine: 'var(--mantine-color-yellow-5)',
  reject: 'var(--mantine-color-teal-6)',
};
export const SPF_COLOR: Record<PostureDto['spf'], string> = {
  pass: 'teal',
  warn: 'yellow',
  fail: 'red',
  missing: 'gray',
};
export const MTA_STS_COLOR: Record<PostureDto['mtaSts'], string> = {
  enforce: 'teal',
  testing: 'yellow',
  none: 'orange',
  missing: 'gray',
};
export const SEVERITY_COLOR: Record<FindingSeverity, string> = {
  error: 'red',
  warning: 'yellow',
  info: 'blue',
};

/** Checks in the order of the report. */
export const CHECK_ORDER: readonly CheckName[] = [
  'domain',
  'spf',
  'dmarc',
  'dkim',
  'mx',
  'mta-sts',
  'tls-rpt',
  'bimi',
  'parked',
];
const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/** A whole percentage of `total`, or null when there is nothing to divide by. */
export function share(part: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.round((part / total) * 100);
}

/** The percentage for a bar: 0 to 100, 0 when there is nothing to divide by. */
export function barValue(part: number, total: number): number {
  return total > 0 ? Math.min(100, (part / total) * 100) : 0;
}

export interface FindingLike {
  check: string;
  severity: FindingSeverity;
  code: string;
  message: string;
  selector?: string | undefined;
}

/** Findings by check, in report order; inside a check the worst first. Checks without findings are left out. */
export function groupFindings<F extends FindingLike>(
  findings: readonly F[],
): { check: string; findings: F[] }[] {
  const groups = new Map<string, F[]>();
  for (const f of findings) {
    const list = groups.get(f.check) ?? [];
    list.push(f);
    groups.set(f.check, list);
  }
  const rank = (check: string) => {
    const i = CHECK_ORDER.indexOf(check as CheckName);
    return i === -1 ? CHECK_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([check, list]) => ({
      check,
      findings: list
        .map((f, i) => ({ f, i }))
        .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
        .map((x) => x.f),
    }));
}

/** The worst severity among findings, or null. */
export function worst(findings: readonly { severity: FindingSeverity }[]): FindingSeverity | null {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return findings.length > 0 ? 'info' : null;
}

export interface ScanPoint {
  id: string;
  scannedAt: string;
  errors: number;
  warnings: number;
  regressions: number;
  dmarcPolicy: DmarcStage;
  complete: boolean;
}

/** The timeline (newest first, as the API lists it) as a chart series, oldest first. */
export function scanSeries(scans: readonly ScanDto[]): ScanPoint[] {
  return [...scans].reverse().map((s) => ({
    id: s.id,
    scannedAt: s.scannedAt,
    errors: s.errors,
    warnings: s.warnings,
    regressions: s.regressions.length,
    dmarcPolicy: s.posture.dmarcPolicy,
    complete: s.complete,
  }));
}

/** When each domain's last scan ran (complete or not), before a "rescan all": id -> that time. */
export type ScanSnapshot = Record<string, string | null>;

type Attempted = Pick<EmailDomainDto, 'id' | 'lastScannedAt'> & { lastAttemptAt?: string | null };
/** The last scan of any kind: an incomplete scan moves lastAttemptAt only. */
const attemptOf = (d: Attempted) => d.lastAttemptAt ?? d.lastScannedAt;

export function snapshotOf(domains: readonly Attempted[]): ScanSnapshot {
  return Object.fromEntries(domains.map((d) => [d.id, attemptOf(d)]));
}

/**
 * How many of the domains known before the rescan have been scanned since (complete or not): their last scan's
 * time moved. Compared with what the server said, not with the browser's clock, so a clock skew cannot fake
 * progress.
 */
export function rescanned(snapshot: ScanSnapshot, now: readonly Attempted[]): number {
  let n = 0;
  for (const d of now) {
    if (!(d.id in snapshot)) continue;
    const at = attemptOf(d);
    if (at !== null && at !== snapshot[d.id]) n += 1;
  }
  return n;
}
