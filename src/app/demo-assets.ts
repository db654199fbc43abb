// The demo group's information assets: a small inventory for five companies, imported through the CSV import
// like a real register, then related (what runs on what, stores what, depends on whom) through the service.
import { systemActor } from '../platform/authz/permissions.ts';
import type { CompanyDto } from '../modules/org/index.ts';
import { ASSET_CSV_COLUMNS, type AssetType, type RelationKind } from '../modules/assets/index.ts';
import type { AppContext } from './context.ts';

interface DemoAsset {
  key: string;
  name: string;
  type: AssetType;
  dept: string;
  /** Person number suffix of the owner and of the custodian (people are `<CODE>-00NN`). */
  owner: number;
  custodian?: number;
  location?: string;
  cia: [number, number, number];
  personal?: { categories: string[]; records: number };
  pci?: boolean;
  sui?: boolean;
  description?: string;
}

/** What every company of the demo holds; the core service and its data are named per company below. */
const COMMON: DemoAsset[] = [
  {
    key: 'core',
    name: 'Core service',
    type: 'service',
    dept: 'APP',
    owner: 5,
    custodian: 8,
    location: 'Tokyo data centre',
    cia: [3, 3, 3],
  },
  {
    key: 'custdb',
    name: 'Customer database',
    type: 'personal_information',
    dept: 'APP',
    owner: 3,
    custodian: 9,
    location: 'Tokyo data centre',
    cia: [3, 3, 2],
    personal: { categories: ['basic_identity', 'contact'], records: 250000 },
  },
  {
    key: 'appsrv',
    name: 'Application servers',
    type: 'hardware',
    dept: 'INF',
    owner: 8,
    custodian: 9,
    location: 'Tokyo data centre, rack A',
    cia: [2, 3, 3],
  },
  {
    key: 'dbsrv',
    name: 'Database cluster',
    type: 'hardware',
    dept: 'INF',
    owner: 8,
    custodian: 9,
    location: 'Tokyo data centre, rack B',
    cia: [3, 3, 3],
  },
  {
    key: 'net',
    name: 'Data-centre network',
    type: 'network',
    dept: 'INF',
    owner: 8,
    location: 'Tokyo data centre',
    cia: [2, 3, 3],
  },
  { key: 'dc', name: 'Tokyo data centre', type: 'site', dept: 'INF', owner: 1, cia: [2, 2, 3] },
  {
    key: 'colo',
    name: 'Colocation provider',
    type: 'supplier',
    dept: 'MGT',
    owner: 1,
    cia: [1, 2, 3],
    description: 'Housing contract; yearly supplier review',
  },
  {
    key: 'hr',
    name: 'Employee records',
    type: 'personal_information',
    dept: 'HR',
    owner: 2,
    location: 'HR SaaS',
    cia: [3, 3, 1],
    personal: { categories: ['basic_identity', 'contact', 'employment', 'financial'], records: 40 },
  },
  { key: 'ops', name: 'On-call operations team', type: 'people', dept: 'INF', owner: 8, cia: [1, 1, 3] },
  {
    key: 'src',
    name: 'Core application source code',
    type: 'software',
    dept: 'APP',
    owner: 5,
    custodian: 6,
    location: 'Git hosting (SaaS)',
    cia: [2, 3, 2],
  },
  {
    key: 'minutes',
    name: 'Board minutes and contracts',
    type: 'information',
    dept: 'MGT',
    owner: 1,
    location: 'Document management system',
    cia: [3, 3, 1],
  },
];

const PLAN: { code: string; core: string; data: string; extra: (a: DemoAsset) => DemoAsset }[] = [
  { code: 'KUMO', core: 'Group portal', data: 'Shareholder register', extra: (a) => a },
  {
    code: 'KCARD',
    core: 'Card authorisation system',
    data: 'Card member database',
    // A card issuer: card data in PCI DSS scope, on a four-level scale.
    extra: (a) =>
      a.key === 'core' || a.key === 'appsrv' || a.key === 'dbsrv' || a.key === 'net'
        ? { ...a, pci: true, cia: [Math.min(4, a.cia[0] + 1), a.cia[1], a.cia[2]] }
        : a.key === 'custdb'
          ? {
              ...a,
              pci: true,
              cia: [4, 4, 3],
              personal: { categories: ['basic_identity', 'contact', 'payment_card'], records: 1_200_000 },
            }
          : a,
  },
  {
    code: 'KPAY',
    core: 'Payment gateway',
    data: 'Merchant and payer data',
    extra: (a) =>
      a.key === 'core' || a.key === 'custdb'
        ? {
            ...a,
            pci: true,
            ...(a.personal
              ? { personal: { ...a.personal, categories: [...a.personal.categories, 'financial'] } }
              : {}),
          }
        : a,
  },
  {
    code: 'KMOB',
    core: 'Mobile network services',
    data: 'Subscriber communications records',
    // A telecommunications carrier: subscriber data is Specified User Information.
    extra: (a) =>
      a.key === 'custdb'
        ? {
            ...a,
            sui: true,
            personal: {
              categories: ['basic_identity', 'contact', 'communications', 'location'],
              records: 3_400_000,
            },
          }
        : a.key === 'core'
          ? { ...a, sui: true }
          : a,
  },
  { code: 'KTRV', core: 'Travel booking site', data: 'Traveller profiles', extra: (a) => a },
];

const RELATIONS: [string, RelationKind, string][] = [
  ['core', 'runs_on', 'appsrv'],
  ['core', 'stores', 'custdb'],
  ['custdb', 'runs_on', 'dbsrv'],
  ['appsrv', 'depends_on', 'net'],
  ['dbsrv', 'depends_on', 'net'],
  ['appsrv', 'depends_on', 'dc'],
  ['dbsrv', 'depends_on', 'dc'],
  ['net', 'depends_on', 'dc'],
  ['dc', 'supplied_by', 'colo'],
  ['core', 'depends_on', 'ops'],
  ['core', 'depends_on', 'src'],
];

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** What the demo's assets loader made: its summary, and each company's asset ids by their key (core, custdb, …). */
export interface AssetsDemo {
  summary: string;
  assetIds: Map<string, Map<string, string>>;
}

export async function loadAssetsDemo(ctx: AppContext, companies: CompanyDto[]): Promise<AssetsDemo> {
  const actor = systemActor('demo');
  const { assets } = ctx.services;
  const byCode = new Map(companies.map((c) => [c.shortCode, c]));
  const kcard = byCode.get('KCARD');
  if (kcard) await assets.setScale(actor, kcard.id, { version: 0, levels: 4 });

  const lines = [ASSET_CSV_COLUMNS.join(',')];
  const keyOf = new Map<string, string>();
  for (const plan of PLAN) {
    if (!byCode.has(plan.code)) continue;
    for (const base of COMMON) {
      const a = plan.extra(base);
      const name = a.key === 'core' ? plan.core : a.key === 'custdb' ? plan.data : a.name;
      keyOf.set(`${plan.code}\u0000${name}`, a.key);
      const person = (n: number) => `${plan.code}-${String(n).padStart(4, '0')}`;
      const row: Record<(typeof ASSET_CSV_COLUMNS)[number], string> = {
        company_code: plan.code,
        asset_code: '',
        name,
        asset_type: a.type,
        description: a.description ?? '',
        department_code: a.dept,
        owner_employee_number: person(a.owner),
        custodian_employee_number: a.custodian ? person(a.custodian) : '',
        location: a.location ?? '',
        lifecycle: 'in_use',
        confidentiality: String(a.cia[0]),
        integrity: String(a.cia[1]),
        availability: String(a.cia[2]),
        personal_data: a.personal ? 'true' : 'false',
        personal_data_categories: a.personal?.categories.join(';') ?? '',
        personal_record_count: a.personal ? String(a.personal.records) : '',
        pci_scope: a.pci ? 'true' : 'false',
        specified_user_info: a.sui ? 'true' : 'false',
      };
      lines.push(ASSET_CSV_COLUMNS.map((c) => cell(row[c])).join(','));
    }
  }
  const report = await assets.importAssets(actor, Buffer.from(lines.join('\n')), true);
  if (!report.committed)
    throw new Error(`Demo asset import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);

  let relations = 0;
  const assetIds = new Map<string, Map<string, string>>();
  for (const plan of PLAN) {
    const company = byCode.get(plan.code);
    if (!company) continue;
    const page = await assets.listAssets(actor, { companyId: company.id, limit: 200 });
    const ids = new Map(page.items.map((a) => [keyOf.get(`${plan.code}\u0000${a.name}`) ?? a.name, a.id]));
    assetIds.set(plan.code, ids);
    for (const [from, kind, to] of RELATIONS) {
      const a = ids.get(from);
      const b = ids.get(to);
      if (!a || !b) continue;
      await assets.createRelation(actor, a, { kind, toAssetId: b });
      relations += 1;
    }
  }
  return { summary: `${report.created} information assets with ${relations} relations`, assetIds };
}
