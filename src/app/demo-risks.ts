// The demo group's risk registers: a risk method for the five companies with assets (three sizes of scale), and
// a register of each that was assessed three months ago and treated since. The history is made by the risks
// service itself on a clock set back in time, so that the daily snapshots draw a real trend.
import { systemActor } from '../platform/authz/permissions.ts';
import type { CompanyDto } from '../modules/org/index.ts';
import { createRisksService, type SetRiskMethodInput, type Treatment } from '../modules/risks/index.ts';
import type { AppContext } from './context.ts';

type MethodDefinition = Omit<SetRiskMethodInput, 'version'>;

const SCALE_TEXT: Record<number, { likelihood: [string, string][]; impact: [string, string][] }> = {
  3: {
    likelihood: [
      ['Unlikely', 'Not expected in the next three years'],
      ['Possible', 'Could happen within three years'],
      ['Likely', 'Expected within a year'],
    ],
    impact: [
      ['Minor', 'Internal inconvenience; no customer or legal effect'],
      ['Significant', 'Customers affected or a reportable incident'],
      ['Severe', 'Large data breach, long outage or regulatory sanction'],
    ],
  },
  4: {
    likelihood: [
      ['Rare', 'Less than once in ten years'],
      ['Unlikely', 'Once in three to ten years'],
      ['Possible', 'Once in one to three years'],
      ['Likely', 'More than once a year'],
    ],
    impact: [
      ['Low', 'No customer effect; under ¥1M'],
      ['Moderate', 'Some customers affected; ¥1M–¥10M'],
      ['High', 'Many customers or a reportable breach; ¥10M–¥100M'],
      ['Critical', 'Mass breach, days of outage, licence at risk; over ¥100M'],
    ],
  },
  5: {
    likelihood: [
      ['Rare', 'Less than once in ten years'],
      ['Unlikely', 'Once in five to ten years'],
      ['Possible', 'Once in two to five years'],
      ['Likely', 'About once a year'],
      ['Almost certain', 'Several times a year'],
    ],
    impact: [
      ['Negligible', 'No customer effect'],
      ['Minor', 'A few customers, quickly resolved'],
      ['Moderate', 'Reportable incident or hours of outage'],
      ['Major', 'Card data breach or a day of outage'],
      ['Severe', 'Mass breach, PCI DSS compliance or licence lost'],
    ],
  },
};

/** A method of n x n levels: the product of likelihood and impact, relative to n², sets the level. */
function method(size: 3 | 4 | 5): MethodDefinition {
  const text = SCALE_TEXT[size]!;
  const scale = (list: [string, string][]) =>
    list.map(([name, criteria], i) => ({ level: i + 1, name, criteria }));
  const matrix: { likelihood: number; impact: number; level: string }[] = [];
  for (let l = 1; l <= size; l++)
    for (let i = 1; i <= size; i++) {
      const share = (l * i) / (size * size);
      matrix.push({
        likelihood: l,
        impact: i,
        level: share >= 0.6 ? 'Very high' : share >= 0.36 ? 'High' : share >= 0.16 ? 'Medium' : 'Low',
      });
    }
  return {
    likelihood: scale(text.likelihood),
    impact: scale(text.impact),
    levels: [
      { name: 'Low', rank: 1 },
      { name: 'Medium', rank: 2 },
      { name: 'High', rank: 3 },
      { name: 'Very high', rank: 4 },
    ].filter((lv) => matrix.some((c) => c.level === lv.name)),
    matrix,
    acceptanceThreshold: 'Medium',
  };
}

interface DemoRisk {
  title: string;
  scenario: string;
  assets: string[];
  threat: string;
  vulnerability: string;
  controls: string[];
  /** Scores as shares of the scale (1 = the top level), so that one plan fits every size of method. */
  inherent: [number, number];
  /** Residual after treatment; the risk starts at its inherent score and gets there step by step. */
  residual: [number, number];
  treatment: Treatment;
  tasks: { title: string; owner: number; dueInDays: number; done: boolean }[];
  /** Days from today of the next review; negative when overdue. */
  review: number;
  /** Accepted until this many days from today. */
  acceptedFor?: number;
  fromAsset?: string;
}

const PLAN: DemoRisk[] = [
  {
    title: 'Customer data stolen through a phishing attack on operators',
    scenario:
      'An operator enters their password on a fake sign-in page; the attacker exports customer records through the back office.',
    assets: ['custdb', 'core'],
    threat: 'T-01',
    vulnerability: 'V-05',
    controls: ['HR-01', 'IAM-02'],
    inherent: [1, 1],
    residual: [0.5, 0.8],
    treatment: 'mitigate',
    tasks: [
      { title: 'Phishing simulation for every operator', owner: 3, dueInDays: -20, done: true },
      { title: 'Phishing-resistant MFA on the back office', owner: 5, dueInDays: 45, done: false },
    ],
    review: 60,
  },
  {
    title: 'Ransomware encrypts the application and database servers',
    scenario:
      'Malware spreads from an office PC to the servers and encrypts them; online backups are hit too.',
    assets: ['appsrv', 'dbsrv', 'core'],
    threat: 'T-02',
    vulnerability: 'V-06',
    controls: ['BCP-01', 'VUL-01'],
    inherent: [0.8, 1],
    residual: [0.4, 0.8],
    treatment: 'mitigate',
    tasks: [
      { title: 'Offline, immutable copy of the backups', owner: 8, dueInDays: -5, done: false },
      { title: 'Restore test of the customer database', owner: 9, dueInDays: 30, done: false },
    ],
    review: -12,
  },
  {
    title: 'Unpatched middleware exploited on the core service',
    scenario: 'A published flaw in the web middleware is exploited before the patch is applied.',
    assets: ['core', 'appsrv'],
    threat: 'T-09',
    vulnerability: 'V-01',
    controls: ['VUL-01', 'DEV-01'],
    inherent: [0.8, 0.8],
    residual: [0.4, 0.6],
    treatment: 'mitigate',
    tasks: [
      { title: 'Patch within 14 days of release, measured monthly', owner: 5, dueInDays: -40, done: true },
    ],
    review: 90,
  },
  {
    title: 'Former staff keep access to the administration console',
    scenario: 'Accounts of people who left or moved are not removed and are used later.',
    assets: ['core', 'hr'],
    threat: 'T-05',
    vulnerability: 'V-04',
    controls: ['IAM-01'],
    inherent: [0.6, 0.8],
    residual: [0.4, 0.4],
    treatment: 'mitigate',
    tasks: [{ title: 'Quarterly access review signed by each owner', owner: 3, dueInDays: 20, done: false }],
    review: 30,
  },
  {
    title: 'Data centre unavailable after a major earthquake',
    scenario: 'The Tokyo data centre loses power and connectivity for days after an earthquake.',
    assets: ['dc', 'net'],
    threat: 'T-13',
    vulnerability: 'V-10',
    controls: ['BCP-01'],
    inherent: [0.4, 1],
    residual: [0.4, 0.8],
    treatment: 'accept',
    tasks: [],
    review: 120,
    acceptedFor: 200,
  },
  {
    title: 'Colocation provider breached and used to reach our racks',
    scenario: 'An attacker compromises the provider’s remote-hands process and gains physical access.',
    assets: ['colo', 'dc'],
    threat: 'T-10',
    vulnerability: 'V-11',
    controls: ['SUP-01'],
    inherent: [0.4, 0.8],
    residual: [0.2, 0.6],
    treatment: 'transfer',
    tasks: [
      { title: 'Security clauses and audit right in the renewal', owner: 1, dueInDays: 75, done: false },
    ],
    review: -3,
  },
  {
    title: 'Leaked source code reveals secrets',
    scenario: 'A repository is made public by mistake with credentials in its history.',
    assets: ['src'],
    threat: 'T-06',
    vulnerability: 'V-13',
    controls: ['DEV-01'],
    inherent: [0.6, 0.6],
    residual: [0.2, 0.4],
    treatment: 'mitigate',
    tasks: [{ title: 'Secret scanning on every push', owner: 5, dueInDays: -60, done: true }],
    review: 150,
    fromAsset: 'src',
  },
];

const SIZES: Record<string, 3 | 4 | 5> = { KUMO: 3, KCARD: 5, KPAY: 4, KMOB: 4, KTRV: 3 };
const DAY = 86_400_000;

export async function loadRisksDemo(
  ctx: AppContext,
  companies: CompanyDto[],
  assetIds: Map<string, Map<string, string>>,
): Promise<string> {
  const actor = systemActor('demo');
  const { org, compliance } = ctx.services;
  const catalogue = (await ctx.services.risks.listCatalogue(actor)).items;
  const catalogueId = (code: string) => catalogue.find((c) => c.code === code)?.id ?? null;
  const start = Date.now();
  let clock = start - 90 * DAY;
  // The same service on a clock set back: each step below writes that day's snapshot of the register.
  const risks = createRisksService({
    db: ctx.db,
    org,
    assets: ctx.services.assets,
    compliance,
    now: () => new Date(clock),
  });
  const day = (offset: number) => new Date(start + offset * DAY).toISOString().slice(0, 10);
  let count = 0;

  for (const company of companies) {
    const size = SIZES[company.shortCode];
    const assets = assetIds.get(company.shortCode);
    if (!size || !assets) continue;
    clock = start - 90 * DAY;
    await risks.setMethod(actor, company.id, { version: 0, ...method(size) });
    const person = async (n: number) =>
      (
        await org.listPeople(actor, {
          companyId: company.id,
          q: `${company.shortCode}-${String(n).padStart(4, '0')}`,
          limit: 1,
        })
      ).items[0]?.id ?? null;
    const ciso = (await person(3))!;
    const controls = (await compliance.listControls(actor, { companyId: company.id, limit: 200 })).items;
    const score = (share: number) => Math.max(1, Math.round(share * size));

    const made = [];
    for (const [i, r] of PLAN.entries()) {
      const ownerOf = i % 2 === 0 ? ciso : ((await person(5)) ?? ciso);
      const inherent = { likelihood: score(r.inherent[0]), impact: score(r.inherent[1]) };
      const tasks = [];
      for (const t of r.tasks)
        tasks.push({
          title: t.title,
          ownerPersonId: await person(t.owner),
          dueDate: day(t.dueInDays),
          done: false,
        });
      clock = start - (90 - i * 3) * DAY;
      const created = await risks.createRisk(actor, {
        companyId: company.id,
        title: r.title,
        scenario: r.scenario,
        assetIds: r.assets.map((k) => assets.get(k)).filter((x): x is string => !!x),
        threatId: catalogueId(r.threat),
        vulnerabilityId: catalogueId(r.vulnerability),
        ownerPersonId: ownerOf,
        inherent,
        residual: inherent,
        controlIds: controls.filter((c) => r.controls.includes(c.code)).map((c) => c.id),
        treatment: r.treatment === 'accept' ? 'mitigate' : r.treatment,
        tasks,
        reviewDate: day(r.review),
        source:
          r.fromAsset && assets.get(r.fromAsset)
            ? { kind: 'asset', ref: assets.get(r.fromAsset)!, label: 'Raised from the asset' }
            : null,
      });
      made.push({ plan: r, risk: created, inherent });
      count += 1;
    }
    // Treatment over the following weeks: residual scores fall half-way, then to their target.
    for (const [step, daysAgo] of [
      [0.5, 50],
      [1, 20],
    ] as const) {
      clock = start - daysAgo * DAY;
      for (const m of made) {
        const target = { likelihood: score(m.plan.residual[0]), impact: score(m.plan.residual[1]) };
        const residual = {
          likelihood: Math.round(m.inherent.likelihood + (target.likelihood - m.inherent.likelihood) * step),
          impact: Math.round(m.inherent.impact + (target.impact - m.inherent.impact) * step),
        };
        const last = step === 1;
        m.risk = await risks.updateRisk(actor, m.risk.id, {
          version: m.risk.version,
          residual,
          ...(last
            ? {
                tasks: m.risk.tasks.map((t, k) => ({ ...t, done: m.plan.tasks[k]?.done ?? false })),
              }
            : {}),
        });
        if (last && m.plan.acceptedFor) {
          m.risk = await risks.acceptRisk(actor, m.risk.id, {
            version: m.risk.version,
            expiresOn: day(m.plan.acceptedFor),
            note: 'Accepted by the security & privacy committee; the business continuity plan covers the rest.',
          });
          m.risk = await risks.updateRisk(actor, m.risk.id, { version: m.risk.version, treatment: 'accept' });
        }
      }
    }
  }
  // Today's snapshots, with the reviews that have fallen due since.
  await ctx.services.risks.trend(actor, { days: 7 });
  return `${count} risks with 90 days of history`;
}
