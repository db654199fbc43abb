// The corpus of the DMARC benchmark, deterministic for a seed and a day: policy domains spread over companies,
// and aggregate reports from several receivers (each with its own XML habits) written as .xml, .xml.gz and
// .zip files (some zips with several reports). The records mix what real reports hold: a domain's own servers,
// an email service provider signing for it, forwarders and mailing lists, a misconfigured sender and spoofers.
// The same plan gives the rows the import stores (recordRows), for the insert-only ceiling and for checks.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildZip } from '../src/modules/dmarc-reports/lib/fixtures/archives.ts';
import { RECORD_COLUMNS } from '../src/modules/dmarc-reports/lib/prepare-records.ts';

/** A small linear congruential generator: the same seed gives the same corpus. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DAY = 86_400;

export interface BenchDomain {
  /** The inventory name (registered through POST /api/v1/email/domains). */
  name: string;
  /** Index of the company owning it. */
  company: number;
  policy: 'none' | 'quarantine' | 'reject';
  /** Relative weight: a few domains send most of the mail. */
  weight: number;
  own: string[];
}

export interface ReportPlan {
  index: number;
  reporter: Reporter;
  reportId: string;
  /** The inventory domain, or a subdomain of it (then claimed by its parent). */
  policyDomain: string;
  domain: BenchDomain;
  begin: number;
  end: number;
  records: number;
  seed: number;
}

export interface FilePlan {
  name: string;
  kind: 'xml' | 'gz' | 'zip';
  reports: ReportPlan[];
}

export interface Corpus {
  domains: BenchDomain[];
  files: FilePlan[];
  reports: number;
  records: number;
}

interface Reporter {
  org: string;
  email: string;
  /** File name prefix, as receivers name their reports. */
  host: string;
  style: 'indented' | 'compact' | 'microsoft' | 'rfc9990';
  id: (index: number, rand: () => number) => string;
}

const hex = (rand: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

const REPORTERS: Reporter[] = [
  {
    org: 'google.com',
    email: 'noreply-dmarc-support@google.com',
    host: 'google.com',
    style: 'indented',
    id: (i, r) => `${Math.floor(r() * 9e9) + 1e9}${String(i).padStart(9, '0')}`,
  },
  {
    org: 'Enterprise Outlook',
    email: 'dmarcreport@microsoft.com',
    host: 'enterprise.protection.outlook.com',
    style: 'microsoft',
    id: (i, r) => `${hex(r, 24)}${i.toString(16).padStart(8, '0')}`,
  },
  {
    org: 'Yahoo',
    email: 'dmarchelp@yahooinc.com',
    host: 'yahoo.com',
    style: 'compact',
    id: (i, r) => `${1_700_000_000 + i}.${Math.floor(r() * 1e6)}`,
  },
  {
    org: 'Mail.Ru',
    email: 'dmarc_support@corp.mail.ru',
    host: 'mail.ru',
    style: 'compact',
    id: (i) => `mailru-${i}`,
  },
  {
    org: 'Example Receiver GmbH',
    email: 'dmarc@receiver.example',
    host: 'receiver.example',
    style: 'rfc9990',
    id: (i, r) => `${hex(r, 8)}-${hex(r, 4)}-${i}`,
  },
];
const REPORTER_WEIGHTS = [0.45, 0.25, 0.15, 0.05, 0.1];

const ESPS = [
  { domain: 'sendgrid.net', ips: ['167.89.12.4', '167.89.12.5', '167.89.101.2', '149.72.3.33'] },
  { domain: 'amazonses.com', ips: ['54.240.8.21', '54.240.8.22', '54.240.27.17', '23.251.232.9'] },
  { domain: 'mcsv.net', ips: ['198.2.128.5', '198.2.133.66', '205.201.131.14'] },
  { domain: 'mktomail.com', ips: ['192.28.144.3', '199.15.214.141'] },
];
const FORWARDERS = Array.from(
  { length: 40 },
  (_, i) => `${64 + (i % 7)}.${(i * 37) % 256}.${(i * 11) % 256}.${10 + i}`,
);
const FORWARDER_DOMAINS = [
  'lists.example.org',
  'alumni.example.edu',
  'forward.example.net',
  'googlegroups.com',
];
const SPOOF_DOMAINS = ['mailer.example.biz', 'bulk.example.info', 'promo.example.xyz', 'cheap.example.top'];
const SELECTORS = ['s1', 'google', 'selector1', 'k1', '20230601'];
const SUBDOMAINS = ['mail', 'news', 'info', 'notify'];

/**
 * Domains across companies (domain i belongs to company i mod `companies`), reports and the files holding them:
 * `records` in all over `reports` reports, each of 10 to 1000 records; about 40 % .xml, 40 % .xml.gz, 20 %
 * of the reports in .zip files (a quarter of those zips with 2 to 4 reports). Report periods are whole UTC days
 * among the `days` before `today`.
 */
export function planCorpus(opts: {
  domains: number;
  companies: number;
  reports: number;
  records: number;
  days: number;
  today: Date;
  seed?: number;
}): Corpus {
  const rand = prng(opts.seed ?? 2024);
  const domains: BenchDomain[] = [];
  for (let i = 0; i < opts.domains; i++) {
    const own = Array.from({ length: 2 + Math.floor(rand() * 5) }, (_, k) =>
      k === 0 && i % 5 === 0
        ? `2001:db8:${(i + 1).toString(16)}::${k + 25}`
        : `203.${(i * 3) % 250}.${Math.floor(i / 250) + 10}.${10 + k * 7}`,
    );
    domains.push({
      name: `brand${String(i + 1).padStart(3, '0')}-co${(i % opts.companies) + 1}.example`,
      company: i % opts.companies,
      policy: (['none', 'quarantine', 'reject', 'reject'] as const)[i % 4]!,
      // Zipf-like: the first domains get most reports, every domain some.
      weight: 1 / (i + 1) ** 0.9 + 0.004,
      own,
    });
  }
  const totalWeight = domains.reduce((s, d) => s + d.weight, 0);
  const pickDomain = () => {
    let x = rand() * totalWeight;
    for (const d of domains) if ((x -= d.weight) <= 0) return d;
    return domains.at(-1)!;
  };
  const pickReporter = () => {
    let x = rand();
    for (const [k, w] of REPORTER_WEIGHTS.entries()) if ((x -= w) <= 0) return REPORTERS[k]!;
    return REPORTERS[0]!;
  };

  // Records per report: 10..1000, skewed towards small reports; the exponent is searched so that they add
  // up to the total, and the last few records are spread one by one.
  const u = Array.from({ length: opts.reports }, () => rand());
  const sizesFor = (k: number) => u.map((x) => Math.round(10 * 100 ** (x ** k)));
  let lo = 0.05;
  let hi = 50;
  for (let step = 0; step < 60; step++) {
    const mid = (lo + hi) / 2;
    const sum = sizesFor(mid).reduce((s, n) => s + n, 0);
    if (sum > opts.records) lo = mid;
    else hi = mid;
  }
  const sizes = sizesFor(hi);
  let left = opts.records - sizes.reduce((s, n) => s + n, 0);
  for (let i = 0; left !== 0; i = (i + 1) % sizes.length) {
    const step = Math.sign(left);
    const n = sizes[i]! + step;
    if (n >= 10 && n <= 1000) {
      sizes[i] = n;
      left -= step;
    }
  }

  const dayStart = Math.floor(opts.today.getTime() / 1000 / DAY) * DAY;
  const reports: ReportPlan[] = sizes.map((records, index) => {
    const domain = pickDomain();
    const reporter = pickReporter();
    const begin = dayStart - (1 + Math.floor(rand() * opts.days)) * DAY;
    const sub = rand() < 0.15 ? `${SUBDOMAINS[index % SUBDOMAINS.length]}.` : '';
    return {
      index,
      reporter,
      reportId: reporter.id(index, rand),
      policyDomain: sub + domain.name,
      domain,
      begin,
      end: begin + DAY - 1,
      records,
      seed: Math.floor(rand() * 2 ** 31) + 1,
    };
  });

  const files: FilePlan[] = [];
  const fileName = (r: ReportPlan, ext: string) =>
    `${r.reporter.host}!${r.policyDomain}!${r.begin}!${r.end}!${r.index}${ext}`;
  for (let i = 0; i < reports.length;) {
    const r = reports[i]!;
    const x = rand();
    // 3 files in 7 plain XML, 3 gzip, 1 zip (holding 1.5 reports on average): 40 / 40 / 20 % of the reports.
    if (x < 3 / 7) {
      files.push({ name: fileName(r, '.xml'), kind: 'xml', reports: [r] });
      i += 1;
    } else if (x < 6 / 7) {
      files.push({ name: fileName(r, '.xml.gz'), kind: 'gz', reports: [r] });
      i += 1;
    } else {
      const n = rand() < 0.25 ? 2 + Math.floor(rand() * 3) : 1;
      const held = reports.slice(i, i + n);
      files.push({ name: fileName(r, '.zip'), kind: 'zip', reports: held });
      i += held.length;
    }
  }
  return { domains, files, reports: reports.length, records: opts.records };
}

/** The benchmark's corpus (BENCH_DMARC_* sizes): the bench and its ceiling children plan the same one. */
export function planBenchCorpus(today: Date): Corpus {
  return planCorpus({
    domains: Number(process.env.BENCH_DMARC_DOMAINS ?? 200),
    companies: BENCH_COMPANIES,
    reports: Number(process.env.BENCH_DMARC_REPORTS ?? 10_000),
    records: Number(process.env.BENCH_DMARC_RECORDS ?? 1_000_000),
    days: 60,
    today,
  });
}

export const BENCH_COMPANIES = 8;

// ---- Records ----

export interface BenchRecord {
  sourceIp: string;
  count: number;
  disposition: string;
  dkim: string;
  spf: string;
  reasons: { type: string; comment: string | null }[];
  headerFrom: string;
  envelopeFrom: string | null;
  envelopeTo: string | null;
  authDkim: { domain: string; selector: string | null; result: string; humanResult: string | null }[];
  authSpf: { domain: string; scope: string | null; result: string; humanResult: string | null }[];
}

/** The records of a report, the same every time for its plan. */
export function* reportRecords(plan: ReportPlan): Generator<BenchRecord> {
  const rand = prng(plan.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const d = plan.policyDomain;
  const enforced = plan.domain.policy;
  const microsoft = plan.reporter.style === 'microsoft';
  const envelopeTo = microsoft ? `${plan.reporter.host.split('.').slice(-2).join('.')}` : null;
  const esp = ESPS[plan.domain.name.length % ESPS.length]!;
  for (let i = 0; i < plan.records; i++) {
    const x = rand();
    const scope = plan.reporter.style === 'compact' ? null : 'mfrom';
    let r: BenchRecord;
    if (x < 0.5) {
      // The domain's own servers: aligned DKIM and SPF.
      r = {
        sourceIp: pick(plan.domain.own),
        count: 1 + Math.floor(rand() ** 3 * 5000),
        disposition: 'none',
        dkim: 'pass',
        spf: 'pass',
        reasons: [],
        headerFrom: d,
        envelopeFrom: d,
        envelopeTo,
        authDkim: [{ domain: d, selector: pick(SELECTORS), result: 'pass', humanResult: null }],
        authSpf: [{ domain: d, scope, result: 'pass', humanResult: null }],
      };
    } else if (x < 0.65) {
      // An email service provider: signs for the domain, bounces to its own.
      r = {
        sourceIp: pick(esp.ips),
        count: 1 + Math.floor(rand() ** 2 * 2000),
        disposition: 'none',
        dkim: 'pass',
        spf: 'fail',
        reasons: [],
        headerFrom: d,
        envelopeFrom: `bounces.${esp.domain}`,
        envelopeTo,
        authDkim: [
          { domain: d, selector: 's1', result: 'pass', humanResult: null },
          { domain: esp.domain, selector: 'smtpapi', result: 'pass', humanResult: null },
        ],
        authSpf: [{ domain: `bounces.${esp.domain}`, scope, result: 'pass', humanResult: null }],
      };
    } else if (x < 0.77) {
      // Forwarded or through a mailing list: SPF fails, DKIM survives (mostly), sometimes an override.
      const survived = rand() < 0.8;
      const reason = rand() < 0.4;
      r = {
        sourceIp: pick(FORWARDERS),
        count: 1 + Math.floor(rand() * 40),
        disposition: survived || reason ? 'none' : enforced,
        dkim: survived ? 'pass' : 'fail',
        spf: 'fail',
        reasons: reason
          ? [{ type: pick(['forwarded', 'local_policy', 'mailing_list'] as const), comment: 'arc=pass' }]
          : [],
        headerFrom: d,
        envelopeFrom: rand() < 0.5 ? d : pick(FORWARDER_DOMAINS),
        envelopeTo,
        authDkim: [
          { domain: d, selector: pick(SELECTORS), result: survived ? 'pass' : 'fail', humanResult: null },
        ],
        authSpf: [
          {
            domain: pick(FORWARDER_DOMAINS),
            scope,
            result: pick(['softfail', 'fail', 'neutral']),
            humanResult: null,
          },
        ],
      };
    } else if (x < 0.85) {
      // A legitimate sender nobody set up: authenticated, not aligned.
      r = {
        sourceIp: `198.51.100.${1 + (plan.domain.name.length % 50)}`,
        count: 1 + Math.floor(rand() * 300),
        disposition: enforced,
        dkim: 'fail',
        spf: 'fail',
        reasons: [],
        headerFrom: d,
        envelopeFrom: 'crm-mailer.example.com',
        envelopeTo,
        authDkim:
          rand() < 0.5
            ? [{ domain: 'crm-mailer.example.com', selector: 'crm', result: 'pass', humanResult: null }]
            : [],
        authSpf: [{ domain: 'crm-mailer.example.com', scope, result: 'pass', humanResult: null }],
      };
    } else {
      // Spoofing from anywhere.
      const v6 = rand() < 0.15;
      const sourceIp = v6
        ? `2001:db8:${Math.floor(rand() * 65536).toString(16)}::${Math.floor(rand() * 65536).toString(16)}`
        : `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
      const spoofFrom = pick(SPOOF_DOMAINS);
      r = {
        sourceIp,
        count: 1 + Math.floor(rand() * 3),
        disposition: enforced,
        dkim: 'fail',
        spf: 'fail',
        reasons: enforced !== 'none' && rand() < 0.05 ? [{ type: 'sampled_out', comment: null }] : [],
        headerFrom: d,
        envelopeFrom: rand() < 0.3 ? d : spoofFrom,
        envelopeTo,
        authDkim: rand() < 0.3 ? [{ domain: d, selector: 'default', result: 'fail', humanResult: null }] : [],
        authSpf: [
          {
            domain: spoofFrom,
            scope,
            result: pick(['fail', 'softfail', 'none', 'neutral']),
            humanResult: null,
          },
        ],
      };
    }
    yield r;
  }
}

// ---- XML ----

function recordXml(r: BenchRecord, style: Reporter['style']): string {
  const reasons = r.reasons
    .map(
      (x) =>
        `<reason><type>${x.type}</type>${x.comment === null ? '' : `<comment>${x.comment}</comment>`}</reason>`,
    )
    .join('');
  const dkims = r.authDkim
    .map(
      (k) =>
        `<dkim><domain>${k.domain}</domain>${k.selector === null ? '' : `<selector>${k.selector}</selector>`}<result>${k.result}</result></dkim>`,
    )
    .join('');
  const spfs = r.authSpf
    .map(
      (s) =>
        `<spf><domain>${s.domain}</domain>${s.scope === null ? '' : `<scope>${s.scope}</scope>`}<result>${s.result}</result></spf>`,
    )
    .join('');
  const envelope =
    (r.envelopeTo === null ? '' : `<envelope_to>${r.envelopeTo}</envelope_to>`) +
    (r.envelopeFrom === null ? '' : `<envelope_from>${r.envelopeFrom}</envelope_from>`);
  if (style === 'compact')
    return `<record><row><source_ip>${r.sourceIp}</source_ip><count>${r.count}</count><policy_evaluated><disposition>${r.disposition}</disposition><dkim>${r.dkim}</dkim><spf>${r.spf}</spf>${reasons}</policy_evaluated></row><identifiers>${envelope}<header_from>${r.headerFrom}</header_from></identifiers><auth_results>${dkims}${spfs}</auth_results></record>`;
  // The indented styles: what most receivers send (two-space indentation, one element per line).
  const nl = (s: string, depth: number) => s.replace(/></g, `>\n${'  '.repeat(depth)}<`);
  return `  <record>
    <row>
      <source_ip>${r.sourceIp}</source_ip>
      <count>${r.count}</count>
      <policy_evaluated>
        <disposition>${r.disposition}</disposition>
        <dkim>${r.dkim}</dkim>
        <spf>${r.spf}</spf>${reasons ? `\n        ${nl(reasons, 4)}` : ''}
      </policy_evaluated>
    </row>
    <identifiers>${envelope ? `\n      ${nl(envelope, 3)}` : ''}
      <header_from>${r.headerFrom}</header_from>
    </identifiers>
    <auth_results>
      ${nl(dkims + spfs, 3)}
    </auth_results>
  </record>
`;
}

function headXml(plan: ReportPlan): string {
  const p = plan.reporter;
  const policy = plan.domain.policy;
  const meta = `<report_metadata><org_name>${p.org}</org_name><email>${p.email}</email><report_id>${plan.reportId}</report_id><date_range><begin>${plan.begin}</begin><end>${plan.end}</end></date_range></report_metadata>`;
  switch (p.style) {
    case 'compact':
      return `<?xml version="1.0" encoding="UTF-8" ?><feedback>${meta}<policy_published><domain>${plan.policyDomain}</domain><adkim>r</adkim><aspf>r</aspf><p>${policy}</p><sp>${policy}</sp><pct>100</pct></policy_published>`;
    case 'microsoft':
      return `<?xml version="1.0"?>
<feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <version>1.0</version>
  <report_metadata>
    <org_name>${p.org}</org_name>
    <email>${p.email}</email>
    <report_id>${plan.reportId}</report_id>
    <date_range>
      <begin>${plan.begin}</begin>
      <end>${plan.end}</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>${plan.policyDomain}</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>${policy}</p>
    <sp>${policy}</sp>
    <pct>100</pct>
    <fo>0</fo>
  </policy_published>
`;
    case 'rfc9990':
      return `<?xml version="1.0" encoding="UTF-8"?>
<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <version>1.0</version>
  <report_metadata>
    <org_name>${p.org}</org_name>
    <email>${p.email}</email>
    <report_id>${plan.reportId}</report_id>
    <date_range>
      <begin>${plan.begin}</begin>
      <end>${plan.end}</end>
    </date_range>
    <generator>Example MTA 4.2</generator>
  </report_metadata>
  <policy_published>
    <domain>${plan.policyDomain}</domain>
    <p>${policy}</p>
    <sp>${policy}</sp>
    <np>reject</np>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <discovery_method>treewalk</discovery_method>
    <testing>n</testing>
  </policy_published>
`;
    case 'indented':
      return `<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>${p.org}</org_name>
    <email>${p.email}</email>
    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>
    <report_id>${plan.reportId}</report_id>
    <date_range>
      <begin>${plan.begin}</begin>
      <end>${plan.end}</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>${plan.policyDomain}</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>${policy}</p>
    <sp>${policy}</sp>
    <pct>100</pct>
    <np>${policy}</np>
  </policy_published>
`;
  }
}

/** A report's XML in pieces of a few hundred records (a large report is never held whole). */
export function* reportXml(plan: ReportPlan): Generator<string> {
  const style = plan.reporter.style;
  yield headXml(plan);
  let parts: string[] = [];
  for (const r of reportRecords(plan)) {
    parts.push(recordXml(r, style));
    if (parts.length === 512) {
      yield parts.join('');
      parts = [];
    }
  }
  if (parts.length > 0) yield parts.join('');
  yield style === 'compact' ? '</feedback>' : '</feedback>\n';
}

// ---- Rows, as the import stores them (lib/prepare-records.ts) ----

export { RECORD_COLUMNS };

/** The values of a report's dmarc_records rows, in RECORD_COLUMNS order, appended to `out`. */
export function recordRows(plan: ReportPlan, reportRowId: string, out: (string | number | null)[]): number {
  let seq = 0;
  for (const r of reportRecords(plan)) {
    out.push(
      reportRowId,
      seq++,
      r.sourceIp,
      r.count,
      r.disposition,
      r.dkim,
      r.spf,
      r.headerFrom,
      r.envelopeFrom,
      r.envelopeTo,
      r.reasons.length > 0 ? JSON.stringify(r.reasons) : null,
      JSON.stringify({ dkim: r.authDkim, spf: r.authSpf }),
    );
  }
  return seq;
}

// ---- Files ----

export interface WrittenCorpus {
  files: number;
  /** Bytes on disk. */
  fileBytes: number;
  /** Bytes of XML once decompressed. */
  xmlBytes: number;
  byKind: Record<FilePlan['kind'], { files: number; reports: number }>;
}

/** Writes the corpus's files into `dir`. */
export function writeCorpus(corpus: Corpus, dir: string): WrittenCorpus {
  fs.mkdirSync(dir, { recursive: true });
  const out: WrittenCorpus = {
    files: 0,
    fileBytes: 0,
    xmlBytes: 0,
    byKind: { xml: { files: 0, reports: 0 }, gz: { files: 0, reports: 0 }, zip: { files: 0, reports: 0 } },
  };
  for (const f of corpus.files) {
    const xmls = f.reports.map((r) => Buffer.from([...reportXml(r)].join(''), 'utf8'));
    for (const x of xmls) out.xmlBytes += x.length;
    const bytes =
      f.kind === 'xml'
        ? xmls[0]!
        : f.kind === 'gz'
          ? zlib.gzipSync(xmls[0]!)
          : buildZip(
              f.reports.map((r, k) => ({
                name: `${r.reporter.host}!${r.policyDomain}!${r.begin}!${r.end}!${r.index}.xml`,
                data: xmls[k]!,
              })),
            );
    fs.writeFileSync(path.join(dir, f.name), bytes);
    out.files += 1;
    out.fileBytes += bytes.length;
    out.byKind[f.kind].files += 1;
    out.byKind[f.kind].reports += f.reports.length;
  }
  return out;
}

/** One large report (about `bytes` of XML) for a domain, streamed to `file`. */
export async function writeLargeReport(
  file: string,
  domain: BenchDomain,
  bytes: number,
  today: Date,
): Promise<{ records: number; bytes: number }> {
  // About 650 bytes per indented record: ask for enough, stop at the size.
  const begin = Math.floor(today.getTime() / 1000 / DAY) * DAY - DAY;
  const plan: ReportPlan = {
    index: 0,
    reporter: REPORTERS[0]!,
    reportId: `large-${bytes}`,
    policyDomain: domain.name,
    domain,
    begin,
    end: begin + DAY - 1,
    records: Number.MAX_SAFE_INTEGER,
    seed: 99,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let records = 0;
  try {
    const style = plan.reporter.style;
    const head = headXml(plan);
    fs.writeSync(fd, head);
    written += Buffer.byteLength(head);
    let parts: string[] = [];
    for (const r of reportRecords(plan)) {
      const x = recordXml(r, style);
      parts.push(x);
      written += x.length;
      records += 1;
      if (parts.length === 1024) {
        fs.writeSync(fd, parts.join(''));
        parts = [];
      }
      if (written >= bytes) break;
    }
    fs.writeSync(fd, `${parts.join('')}</feedback>\n`);
    written += 12;
  } finally {
    fs.closeSync(fd);
  }
  return { records, bytes: written };
}
