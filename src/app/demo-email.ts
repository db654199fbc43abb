// The demo group's sending and parked domains, with three months of posture scans. The demo runs offline, so the
// real scan engine reads the demo's own DNS zone (as zone data) and its MTA-STS policies and BIMI logos from
// memory; the zone is changed between scans the way the email team rolled DMARC out, and one DKIM key is lost
// ten days ago, which raises an alert and a risk.
import { generateKeyPairSync } from 'node:crypto';
import { systemActor } from '../platform/authz/permissions.ts';
import type { CompanyDto } from '../modules/org/index.ts';
import {
  createEmailAuthService,
  scanDomain,
  zoneResolver,
  type DomainScanner,
  type HttpsFetcher,
  type ZoneData,
} from '../modules/email-auth/index.ts';
import type { AppContext } from './context.ts';

type Stage = 'none' | 'quarantine' | 'reject';

interface DemoDomain {
  company: string;
  name: string;
  service: string;
  role: 'sends' | 'parked';
  /** The DMARC policy 90, 60 and 30 days ago, and from 10 days ago on. */
  stages: [Stage | null, Stage | null, Stage | null, Stage | null];
  selectors: string[];
  mtaSts?: 'testing' | 'enforce';
  bimi?: boolean;
  /** A 1024-bit key on the first selector. */
  weakKey?: boolean;
  /** The first selector's key is removed ten days ago. */
  losesKey?: boolean;
  /** SPF over the 10-lookup limit. */
  spfTooBig?: boolean;
}

const DOMAINS: DemoDomain[] = [
  {
    company: 'KUMO',
    name: 'kumo-group.example',
    service: 'Group portal and IR mail',
    role: 'sends',
    stages: ['none', 'quarantine', 'reject', 'reject'],
    selectors: ['k1'],
    mtaSts: 'enforce',
    bimi: true,
  },
  {
    company: 'KUMO',
    name: 'kumo.example',
    service: 'Old corporate brand',
    role: 'parked',
    stages: ['none', 'reject', 'reject', 'reject'],
    selectors: [],
  },
  {
    company: 'KCARD',
    name: 'kumo-card.example',
    service: 'Card statements and notices',
    role: 'sends',
    stages: ['quarantine', 'reject', 'reject', 'reject'],
    selectors: ['s2048', 'esp1'],
    mtaSts: 'enforce',
    bimi: true,
  },
  {
    company: 'KCARD',
    name: 'mail.kumo-card.example',
    service: 'Card marketing mail',
    role: 'sends',
    stages: ['none', 'none', 'quarantine', 'quarantine'],
    selectors: ['esp1'],
    mtaSts: 'testing',
  },
  {
    company: 'KCARD',
    name: 'kumocard-login.example',
    service: 'Defensive registration',
    role: 'parked',
    stages: [null, 'reject', 'reject', 'reject'],
    selectors: [],
  },
  {
    company: 'KPAY',
    name: 'kumo-pay.example',
    service: 'Payment receipts',
    role: 'sends',
    stages: ['none', 'quarantine', 'quarantine', 'reject'],
    selectors: ['k1'],
    mtaSts: 'enforce',
  },
  {
    company: 'KPAY',
    name: 'merchant.kumo-pay.example',
    service: 'Merchant portal notices',
    role: 'sends',
    stages: [null, 'none', 'none', 'none'],
    selectors: ['k1'],
    weakKey: true,
  },
  {
    company: 'KMOB',
    name: 'kumo-mobile.example',
    service: 'Billing and SIM notices',
    role: 'sends',
    stages: ['none', 'none', 'quarantine', 'quarantine'],
    selectors: ['k1', 'k2'],
    mtaSts: 'testing',
  },
  {
    company: 'KMOB',
    name: 'campaign.kumo-mobile.example',
    service: 'Campaign mail',
    role: 'sends',
    stages: [null, null, 'none', 'none'],
    selectors: ['esp1'],
    spfTooBig: true,
  },
  {
    company: 'KTRV',
    name: 'kumo-travel.example',
    service: 'Booking confirmations',
    role: 'sends',
    stages: ['none', 'quarantine', 'reject', 'reject'],
    selectors: ['k1'],
    mtaSts: 'enforce',
    losesKey: true,
  },
  {
    company: 'KTRV',
    name: 'kumo-tours.example',
    service: 'Retired tours brand',
    role: 'parked',
    stages: [null, null, null, 'reject'],
    selectors: [],
  },
  {
    company: 'KINS',
    name: 'kumo-insight.example',
    service: 'Research newsletters',
    role: 'sends',
    stages: [null, 'none', 'none', 'none'],
    selectors: ['k1'],
  },
  {
    company: 'KCS',
    name: 'kumo-support.example',
    service: 'Customer support replies',
    role: 'sends',
    stages: ['none', 'none', 'none', 'quarantine'],
    selectors: ['k1'],
  },
  {
    company: 'KUSA',
    name: 'kumo-usa.example',
    service: 'US customer mail',
    role: 'sends',
    stages: [null, null, null, null],
    selectors: [],
  },
];

const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100"><title>Kumo</title><circle cx="50" cy="50" r="40" fill="#1c7ed6"/></svg>',
);

const dkimRecord = (key: string) => `v=DKIM1; k=rsa; p=${key}`.match(/.{1,250}/g)!;
const rsa = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');

/** The demo's zone at step `step` (0 = 90 days ago … 3 = from 10 days ago). */
function zoneAt(step: number, keys: { strong: string; weak: string }): ZoneData {
  const zone: ZoneData = {
    'mx1.kumo-mail.example': [{ A: '192.0.2.25' }],
    'mx2.kumo-mail.example': [{ A: '192.0.2.26' }],
    '_spf.kumo-mail.example': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 ip6:2001:db8:25::/48 -all' }],
    '_spf.esp.example': [{ TXT: 'v=spf1 ip4:198.51.100.0/24 include:_spf2.esp.example ~all' }],
    '_spf2.esp.example': [{ TXT: 'v=spf1 ip4:203.0.113.0/25 -all' }],
  };
  for (const d of DOMAINS) {
    const stage = d.stages[step];
    const records: Record<string, unknown>[] = [];
    if (d.role === 'parked') {
      if (stage) records.push({ TXT: 'v=spf1 -all' }, { MX: [0, '.'] });
    } else {
      const includes = d.spfTooBig
        ? Array.from({ length: 11 }, (_, i) => `include:_spf${i}.${d.name}`).join(' ')
        : 'include:_spf.kumo-mail.example include:_spf.esp.example';
      records.push(
        { TXT: `v=spf1 ${includes} -all` },
        { MX: [10, 'mx1.kumo-mail.example'] },
        { MX: [20, 'mx2.kumo-mail.example'] },
      );
      if (d.spfTooBig)
        for (let i = 0; i < 11; i++)
          zone[`_spf${i}.${d.name}`] = [{ TXT: `v=spf1 a:host${i}.${d.name} -all` }];
      d.selectors.forEach((s, i) => {
        const lost = d.losesKey && i === 0 && step === 3;
        zone[`${s}._domainkey.${d.name}`] = lost
          ? []
          : [{ TXT: dkimRecord(d.weakKey && i === 0 ? keys.weak : keys.strong) }];
      });
      if (d.mtaSts && stage) {
        zone[`_mta-sts.${d.name}`] = [{ TXT: `v=STSv1; id=2026${step}` }];
        zone[`_smtp._tls.${d.name}`] = [{ TXT: `v=TLSRPTv1; rua=mailto:tlsrpt@${d.name}` }];
        zone[`mta-sts.${d.name}`] = [{ A: '192.0.2.80' }];
      }
      if (d.bimi && stage === 'reject')
        zone[`default._bimi.${d.name}`] = [{ TXT: `v=BIMI1; l=https://static.${d.name}/logo.svg` }];
    }
    if (stage)
      zone[`_dmarc.${d.name}`] = [{ TXT: `v=DMARC1; p=${stage}; rua=mailto:dmarc@${d.name}; adkim=s` }];
    if (records.length > 0) zone[d.name] = records;
  }
  return zone;
}

/** MTA-STS policies and BIMI logos, as the demo's web servers would serve them. */
function demoFetcher(step: () => number): HttpsFetcher {
  return {
    fetch: (req) => {
      const url = new URL(req.url);
      const d = DOMAINS.find(
        (x) => url.hostname === `mta-sts.${x.name}` || url.hostname === `static.${x.name}`,
      );
      if (d && url.hostname.startsWith('mta-sts.') && d.mtaSts && d.stages[step()]) {
        const mode = d.mtaSts === 'enforce' && step() >= 1 ? 'enforce' : 'testing';
        const body = Buffer.from(
          `version: STSv1\nmode: ${mode}\nmx: mx1.kumo-mail.example\nmx: mx2.kumo-mail.example\nmax_age: 604800\n`,
        );
        return Promise.resolve({ ok: true, url: req.url, status: 200, contentType: 'text/plain', body });
      }
      if (d?.bimi && url.pathname === '/logo.svg')
        return Promise.resolve({
          ok: true,
          url: req.url,
          status: 200,
          contentType: 'image/svg+xml',
          body: LOGO,
        });
      return Promise.resolve({ ok: false, url: req.url, failure: 'dns', message: 'not served in the demo' });
    },
  };
}

const DAY = 86_400_000;

export async function loadEmailDemo(ctx: AppContext, companies: CompanyDto[]): Promise<string> {
  const actor = systemActor('demo');
  const byCode = new Map(companies.map((c) => [c.shortCode, c]));
  const keys = { strong: rsa(2048), weak: rsa(1024) };
  const start = Date.now();
  let clock = start;
  let step = 0;
  let zone = zoneResolver(zoneAt(0, keys));
  const https = demoFetcher(() => step);
  const scanner: DomainScanner = (t) =>
    scanDomain(t, { dns: { resolve: (name, type) => zone.resolve(name, type) }, https, clock: () => clock });
  const email = createEmailAuthService({
    db: ctx.db,
    org: ctx.services.org,
    risks: ctx.services.risks,
    notifications: ctx.services.notifications,
    scanner,
    now: () => new Date(clock),
  });

  const ids: { id: string; demo: DemoDomain }[] = [];
  for (const d of DOMAINS) {
    const company = byCode.get(d.company);
    if (!company) continue;
    const owner = (
      await ctx.services.org.listPeople(actor, { companyId: company.id, q: `${d.company}-0005`, limit: 1 })
    ).items[0];
    const created = await email.createDomain(actor, {
      companyId: company.id,
      name: d.name,
      service: d.service,
      role: d.role,
      ownerPersonId: owner?.id ?? null,
      dkimSelectors: d.selectors,
      expectedSources: d.role === 'sends' ? ['192.0.2.25', '198.51.100.0/24'] : [],
      // Monthly: the demo's names are not in the real DNS, so the scheduler should leave them alone for a while.
      scanIntervalHours: 720,
      raiseRisks: true,
    });
    ids.push({ id: created.id, demo: d });
  }
  let scans = 0;
  for (const [s, daysAgo] of [
    [0, 90],
    [1, 60],
    [2, 30],
    [3, 10],
  ] as const) {
    step = s;
    clock = start - daysAgo * DAY;
    zone = zoneResolver(zoneAt(s, keys));
    for (const { id } of ids) {
      await email.scanNow(actor, id);
      scans += 1;
    }
  }
  return `${ids.length} sending and parked domains with ${scans} posture scans`;
}
