// The demo group's DMARC reports: thirty days of aggregate reports from two receivers for every sending domain,
// imported through the real import, with the group's relays and its email service provider passing, a
// marketing tool that is not aligned yet, forwarders, and spoofing from unknown sources; and one failure report.
import { Readable } from 'node:stream';
import { systemActor } from '../platform/authz/permissions.ts';
import type { AppContext } from './context.ts';

const DAY = 86_400;

interface Source {
  ip: string;
  /** Messages a day (before the per-domain scale). */
  daily: number;
  dkim: 'pass' | 'fail';
  spf: 'pass' | 'fail';
  dkimDomain?: (domain: string) => string;
  spfDomain?: (domain: string) => string;
  reason?: string;
  /** Only in the reports of the last N days. */
  lastDays?: number;
}

const SOURCES: Source[] = [
  { ip: '192.0.2.25', daily: 400, dkim: 'pass', spf: 'pass', dkimDomain: (d) => d },
  { ip: '192.0.2.26', daily: 250, dkim: 'pass', spf: 'pass', dkimDomain: (d) => d },
  // The email service provider, with its own bounce domain but signing as the domain.
  {
    ip: '198.51.100.40',
    daily: 300,
    dkim: 'pass',
    spf: 'fail',
    dkimDomain: (d) => d,
    spfDomain: () => 'bounces.esp.example',
  },
  // A marketing tool in the SPF record (ours) that signs with its own domain: not aligned yet.
  {
    ip: '198.51.100.77',
    daily: 30,
    dkim: 'fail',
    spf: 'fail',
    dkimDomain: () => 'mkt-tool.example',
    spfDomain: () => 'mkt-tool.example',
  },
  // A mailing list forwarding mail: SPF breaks, DKIM survives.
  { ip: '203.0.113.200', daily: 15, dkim: 'pass', spf: 'fail', dkimDomain: (d) => d, reason: 'mailing_list' },
  // Spoofing.
  { ip: '203.0.113.166', daily: 60, dkim: 'fail', spf: 'fail' },
  { ip: '203.0.113.199', daily: 12, dkim: 'fail', spf: 'fail' },
  // A phishing campaign that starts three days ago.
  { ip: '198.18.7.250', daily: 900, dkim: 'fail', spf: 'fail', lastDays: 3 },
];

function reportXml(
  reporter: string,
  id: string,
  domain: string,
  begin: number,
  policy: string,
  scale: number,
  daysAgo: number,
): string {
  const records = SOURCES.filter((s) => !s.lastDays || daysAgo <= s.lastDays)
    .map((s, i) => {
      // A steady but not flat volume: the same every run, different by day and source.
      const count = Math.max(1, Math.round(s.daily * scale * (0.7 + ((begin / DAY + i * 7) % 10) / 16)));
      const disposition =
        s.dkim === 'pass' || s.spf === 'pass' ? 'none' : policy === 'none' ? 'none' : policy;
      return `<record><row><source_ip>${s.ip}</source_ip><count>${count}</count><policy_evaluated><disposition>${disposition}</disposition><dkim>${s.dkim}</dkim><spf>${s.spf}</spf>${s.reason ? `<reason><type>${s.reason}</type></reason>` : ''}</policy_evaluated></row><identifiers><header_from>${domain}</header_from></identifiers><auth_results>${s.dkimDomain ? `<dkim><domain>${s.dkimDomain(domain)}</domain><selector>k1</selector><result>pass</result></dkim>` : ''}<spf><domain>${s.spfDomain ? s.spfDomain(domain) : domain}</domain><result>${s.spfDomain ? 'pass' : s.spf}</result></spf></auth_results></record>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><feedback><report_metadata><org_name>${reporter}</org_name><email>noreply-dmarc@${reporter.toLowerCase().replace(/[^a-z]/g, '')}.example</email><report_id>${id}</report_id><date_range><begin>${begin}</begin><end>${begin + DAY - 1}</end></date_range></report_metadata><policy_published><domain>${domain}</domain><adkim>r</adkim><aspf>r</aspf><p>${policy}</p><pct>100</pct></policy_published>${records}</feedback>`;
}

export async function loadDmarcDemo(ctx: AppContext): Promise<string> {
  const actor = systemActor('demo');
  const domains = (
    await ctx.services.emailAuth.listDomains(actor, { role: 'sends', limit: 200 })
  ).items.filter((d) => d.posture && d.posture.dmarcPolicy !== 'missing');
  const midnight = Math.floor(Date.now() / 1000 / DAY) * DAY;
  let reports = 0;
  for (const [n, d] of domains.entries()) {
    const scale = 1 / (1 + n);
    for (let day = 30; day >= 1; day--) {
      for (const reporter of ['Receiver Mail', 'Big Mailbox Co.']) {
        const begin = midnight - day * DAY;
        const xml = reportXml(
          reporter,
          `${reporter.length}-${d.name}-${begin}`,
          d.name,
          begin,
          d.posture!.dmarcPolicy,
          scale,
          day,
        );
        const r = await ctx.services.dmarcReports.importFile(actor, Readable.from([Buffer.from(xml)]), {
          name: `${reporter} ${d.name} ${begin}.xml`,
          channel: 'cli',
        });
        reports += r.reports;
      }
    }
  }
  return `${reports} DMARC aggregate reports`;
}
