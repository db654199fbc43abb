// The posture report as text for a terminal: one block per check (its state, then its findings, worst first) and a
// summary line. `mamori email check` prints it; scripts use --json instead, whose shape is the report itself.
import type { Finding, Severity } from './findings.ts';
import type { CheckName, PostureReport, ReportFinding } from './posture.ts';

const TITLES: Record<CheckName, string> = {
  domain: 'Domain',
  spf: 'SPF',
  dmarc: 'DMARC',
  dkim: 'DKIM',
  mx: 'MX',
  'mta-sts': 'MTA-STS',
  'tls-rpt': 'TLS-RPT',
  bimi: 'BIMI',
  parked: 'Parked domain',
};
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function formatPostureReport(report: PostureReport): string {
  const p = report.posture;
  const lines: string[] = [
    `${report.domain} (${report.role === 'parked' ? 'parked, sends no mail' : 'sends mail'}), scanned ${report.scannedAt} in ${report.durationMs} ms`,
    '',
  ];
  const states: [CheckName, string][] = [
    ['domain', ''],
    ['spf', `${p.spf}${report.spf.record ? `  ${report.spf.record}` : ''}`],
    [
      'dmarc',
      p.dmarcPolicy === 'missing'
        ? 'missing'
        : `${p.dmarcPolicy}${p.dmarcPct !== 100 ? ` (pct=${p.dmarcPct})` : ''}${report.dmarc.inherited ? `, inherited from ${report.dmarc.recordDomain}` : ''}`,
    ],
    [
      'dkim',
      report.dkim.length === 0
        ? report.role === 'parked'
          ? 'not checked'
          : 'no selector given'
        : report.dkim
            .map((d) =>
              d.found
                ? `${d.selector} ${d.keyType}${d.bits ? `-${d.bits}` : ''}${d.strong ? '' : ' (weak)'}`
                : `${d.selector} missing`,
            )
            .join(', '),
    ],
    [
      'mx',
      report.mx.nullMx
        ? 'null MX (accepts no mail)'
        : report.mx.hosts.map((h) => `${h.preference} ${h.exchange}`).join(', ') || 'none',
    ],
    ['mta-sts', report.mtaSts ? p.mtaSts : 'not checked'],
    ['tls-rpt', report.tlsRpt ? (p.tlsRpt ? 'yes' : 'no') : 'not checked'],
    ['bimi', report.bimi ? (p.bimi ? 'yes' : report.bimi.declined ? 'declined' : 'no') : 'not checked'],
    ['parked', report.parked ? (report.parked.findings.length ? 'not fully parked' : 'ok') : ''],
  ];
  for (const [check, state] of states) {
    const findings = report.findings.filter((f) => f.check === check);
    if (state === '' && findings.length === 0) continue;
    lines.push(`${TITLES[check].padEnd(14)}${state}`);
    for (const f of sorted(findings))
      lines.push(`  ${f.severity.padEnd(8)}${label(f)}${f.message}  [${f.code}]`);
  }
  const s = report.summary;
  lines.push(
    '',
    `${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info. ` +
      `SPF ${p.spf} | DMARC ${p.dmarcPolicy}${p.dmarcPct !== null && p.dmarcPct !== 100 ? ` ${p.dmarcPct}%` : ''} | ` +
      `DKIM ${p.dkimStrong ? 'strong' : 'not strong'} | MTA-STS ${p.mtaSts} | TLS-RPT ${p.tlsRpt ? 'yes' : 'no'} | ` +
      `BIMI ${p.bimi ? 'yes' : 'no'}${report.complete ? '' : ' (incomplete: some lookups failed)'}`,
  );
  return lines.join('\n');
}

const sorted = (findings: ReportFinding[]): ReportFinding[] =>
  findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map((x) => x.f);

const label = (f: Finding & { selector?: string }): string => (f.selector ? `${f.selector}: ` : '');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
