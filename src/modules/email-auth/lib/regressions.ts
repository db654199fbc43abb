// What got worse between two posture scans of a domain: a weaker DMARC policy, SPF broken or over its limits, a
// DKIM key gone or weakened, MTA-STS no longer enforced, TLS-RPT or BIMI gone, and errors not seen before.
import type { Finding } from './findings.ts';
import type { Posture, PostureReport } from './posture.ts';

export type Regression = Finding;

const DMARC_STRENGTH: Record<Posture['dmarcPolicy'], number> = {
  missing: 0,
  none: 1,
  quarantine: 2,
  reject: 3,
};
const SPF_STRENGTH: Record<Posture['spf'], number> = { missing: 0, fail: 1, warn: 2, pass: 3 };
const MTA_STS_STRENGTH: Record<Posture['mtaSts'], number> = { missing: 0, none: 1, testing: 2, enforce: 3 };

/** The scan's facts a regression is judged on; a stored report of any age has them. */
export type ComparableReport = Pick<PostureReport, 'posture' | 'dkim' | 'findings' | 'role'>;

/** Regressions of `next` against `previous`; none for a first scan or after a change of role. */
export function regressions(previous: ComparableReport | null, next: ComparableReport): Regression[] {
  if (!previous || previous.role !== next.role) return [];
  const out: Regression[] = [];
  const was = previous.posture;
  const now = next.posture;
  const add = (code: string, severity: Regression['severity'], message: string) =>
    out.push({ code, severity, message });

  if (DMARC_STRENGTH[now.dmarcPolicy] < DMARC_STRENGTH[was.dmarcPolicy])
    add(
      'dmarc-weakened',
      'error',
      now.dmarcPolicy === 'missing'
        ? `The DMARC record is gone (it was p=${was.dmarcPolicy})`
        : `The DMARC policy went from p=${was.dmarcPolicy} to p=${now.dmarcPolicy}`,
    );
  else if (
    now.dmarcPolicy === was.dmarcPolicy &&
    now.dmarcPolicy !== 'none' &&
    (now.dmarcPct ?? 100) < (was.dmarcPct ?? 100)
  )
    add(
      'dmarc-pct-lowered',
      'warning',
      `DMARC pct went from ${was.dmarcPct ?? 100} to ${now.dmarcPct ?? 100}`,
    );

  if (SPF_STRENGTH[now.spf] < SPF_STRENGTH[was.spf])
    add(
      'spf-weakened',
      now.spf === 'warn' ? 'warning' : 'error',
      now.spf === 'missing' ? 'The SPF record is gone' : `SPF went from ${was.spf} to ${now.spf}`,
    );

  const before = new Map(previous.dkim.map((d) => [d.selector, d]));
  for (const d of next.dkim) {
    const b = before.get(d.selector);
    if (!b) continue;
    if (b.found && !d.found) add('dkim-key-gone', 'error', `The DKIM key of selector ${d.selector} is gone`);
    else if (b.found && d.found && b.strong && !d.strong)
      add(
        'dkim-key-weakened',
        'error',
        `The DKIM key of selector ${d.selector} is no longer strong (${d.revoked ? 'revoked' : d.testing ? 'in testing' : `${d.keyType ?? 'unknown type'}${d.bits ? `, ${d.bits} bits` : ''}`})`,
      );
  }

  if (MTA_STS_STRENGTH[now.mtaSts] < MTA_STS_STRENGTH[was.mtaSts])
    add('mta-sts-weakened', 'warning', `MTA-STS went from ${was.mtaSts} to ${now.mtaSts}`);
  if (was.tlsRpt && !now.tlsRpt) add('tls-rpt-gone', 'warning', 'The TLS-RPT record is gone or broken');
  if (was.bimi && !now.bimi)
    add('bimi-gone', 'warning', 'The BIMI logo is no longer shown (record, logo or evidence)');

  // Errors not seen before, unless a regression above already speaks of that check (or DKIM selector).
  const covered = new Set(
    out.map((r) => r.code.replace(/-(weakened|gone|pct-lowered|key-gone|key-weakened)$/, '')),
  );
  const coveredSelectors = new Set(
    out.filter((r) => r.code.startsWith('dkim-')).map((r) => /selector (\S+)/.exec(r.message)?.[1]),
  );
  const oldErrors = new Set(
    previous.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.check}:${f.selector ?? ''}:${f.code}`),
  );
  for (const f of next.findings) {
    if (f.severity !== 'error' || oldErrors.has(`${f.check}:${f.selector ?? ''}:${f.code}`)) continue;
    if (f.check === 'dkim' ? coveredSelectors.has(f.selector) : covered.has(f.check)) continue;
    add(`new-error:${f.check}:${f.code}`, 'error', f.message);
  }
  return out;
}
