// Group-scale data generator for benchmarks: companies, departments and people, written through the real import,
// and an inventory CSV for them.
import fs from 'node:fs';
import type { AppContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { PERSONNEL_CATEGORIES } from '../src/modules/org/index.ts';
import { ASSET_CSV_COLUMNS, ASSET_TYPES, PERSONAL_DATA_CATEGORIES } from '../src/modules/assets/index.ts';

const FAMILY = [
  'Sato',
  'Suzuki',
  'Takahashi',
  'Tanaka',
  'Ito',
  'Watanabe',
  'Yamamoto',
  'Nakamura',
  'Kobayashi',
  'Kato',
  'Smith',
  'Martin',
  'Müller',
  'Tan',
  'Sharma',
];
const GIVEN = [
  'Haruto',
  'Yui',
  'Sota',
  'Hina',
  'Ren',
  'Aoi',
  'Minato',
  'Sakura',
  'Riku',
  'Mei',
  'Alex',
  'Lena',
  'Wei',
  'Priya',
  'Noah',
];
export const DEPTS = ['MGT', 'SEC', 'ENG', 'OPS', 'BIZ', 'HR', 'FIN', 'LEGAL'];
const COUNTRIES = ['JP', 'JP', 'JP', 'US', 'SG', 'DE', 'FR', 'IN', 'LU', 'GB', 'ES'];

export interface GeneratedGroup {
  companies: { id: string; shortCode: string }[];
  people: number;
  importSeconds: number;
}

/** A deterministic pseudo-random sequence, so that every run generates the same data. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function generateGroup(
  ctx: AppContext,
  opts: { companies: number; people: number },
): Promise<GeneratedGroup> {
  const actor = systemActor('bench-generator');
  const org = ctx.services.org;
  const rand = rng(42);
  const companies: { id: string; shortCode: string }[] = [];
  for (let i = 0; i < opts.companies; i++) {
    const c = await org.createCompany(actor, {
      legalName: `Bench Company ${String(i + 1).padStart(2, '0')}`,
      shortCode: `B${String(i + 1).padStart(3, '0')}`,
      country: COUNTRIES[i % COUNTRIES.length]!,
      parentId: i === 0 ? null : companies[0]!.id,
      status: 'active',
    });
    companies.push({ id: c.id, shortCode: c.shortCode });
    for (const code of DEPTS)
      await org.createDepartment(actor, c.id, { name: `Department ${code}`, code, parentId: null });
  }
  const lines = [
    'company_code,employee_number,name,email,personnel_category,department_code,manager_employee_number,active',
  ];
  for (let n = 0; n < opts.people; n++) {
    const c = companies[n % companies.length]!;
    const number = `E${String(n).padStart(6, '0')}`;
    const name = `${FAMILY[Math.floor(rand() * FAMILY.length)]} ${GIVEN[Math.floor(rand() * GIVEN.length)]} ${n}`;
    const category = PERSONNEL_CATEGORIES[Math.floor(rand() * PERSONNEL_CATEGORIES.length)]!;
    lines.push(
      [
        c.shortCode,
        number,
        name,
        `p${n}@bench.example`,
        category,
        DEPTS[n % DEPTS.length],
        '',
        rand() < 0.97 ? 'true' : 'false',
      ].join(','),
    );
  }
  const started = performance.now();
  const report = await org.importPeople(actor, Buffer.from(lines.join('\n')), true);
  const importSeconds = (performance.now() - started) / 1000;
  if (!report.committed) throw new Error(`bench import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
  return { companies, people: report.created, importSeconds };
}

const NOUNS: Record<(typeof ASSET_TYPES)[number], string[]> = {
  information: ['Contract archive', 'Sales ledger', 'Design documents', 'Board minutes'],
  personal_information: ['Customer master', 'Member database', 'Payroll records', 'Applicant files'],
  software: ['Billing app', 'Mobile app', 'CRM', 'Card authorisation engine'],
  hardware: ['Application server', 'Laptop fleet', 'HSM', 'Storage array'],
  service: ['Payment gateway', 'Mail service', 'Identity provider', 'Data warehouse'],
  network: ['Office LAN', 'Data-centre core network', 'VPN', 'Wi-Fi'],
  site: ['Head office', 'Tokyo data centre', 'Osaka branch', 'Call centre'],
  people: ['CSIRT on-call role', 'DBA role', 'Card operations team', 'Help desk'],
  supplier: ['Cloud provider', 'Card processor', 'Print vendor', 'Call-centre outsourcer'],
};

/**
 * Writes an inventory CSV of `assets` rows for the companies of generateGroup (owners and custodians among its
 * `people`), round-robin over the companies, with codes; returns its size in bytes. Deterministic.
 */
export function writeInventoryCsv(
  file: string,
  companies: { shortCode: string }[],
  people: number,
  assets: number,
): number {
  const rand = rng(7);
  const fd = fs.openSync(file, 'w');
  const lines: string[] = [ASSET_CSV_COLUMNS.join(',')];
  const flush = () => {
    fs.writeSync(fd, `${lines.join('\n')}\n`);
    lines.length = 0;
  };
  const perCompany = Math.floor(people / companies.length);
  for (let k = 0; k < assets; k++) {
    const ci = k % companies.length;
    const company = companies[ci]!;
    const type = ASSET_TYPES[Math.floor(rand() * ASSET_TYPES.length)]!;
    const nouns = NOUNS[type];
    // generateGroup puts person n in company n % companies, numbered E000000…
    const person = (i: number) => `E${String(ci + companies.length * i).padStart(6, '0')}`;
    const personal = type === 'personal_information' || rand() < 0.1;
    const categories = personal
      ? [PERSONAL_DATA_CATEGORIES[Math.floor(rand() * 4)]!, 'contact'].join(';')
      : '';
    lines.push(
      [
        company.shortCode,
        `${company.shortCode}-A-${String(Math.floor(k / companies.length) + 1).padStart(5, '0')}`,
        `${nouns[Math.floor(rand() * nouns.length)]} ${k}`,
        type,
        rand() < 0.5 ? `"Inventory item ${k}, reviewed yearly"` : '',
        DEPTS[k % DEPTS.length],
        person(Math.floor(rand() * perCompany)),
        rand() < 0.5 ? person(Math.floor(rand() * perCompany)) : '',
        rand() < 0.3 ? 'Tokyo DC' : rand() < 0.5 ? 'Osaka DC' : 'Cloud (ap-northeast-1)',
        rand() < 0.9 ? 'in_use' : rand() < 0.5 ? 'planned' : 'retired',
        String(1 + Math.floor(rand() * 3)),
        String(1 + Math.floor(rand() * 3)),
        String(1 + Math.floor(rand() * 3)),
        personal ? 'true' : 'false',
        categories,
        personal ? String(Math.floor(rand() * 1_000_000)) : '',
        rand() < 0.05 ? 'true' : 'false',
        rand() < 0.02 ? 'true' : 'false',
      ].join(','),
    );
    if (lines.length >= 5000) flush();
  }
  flush();
  fs.closeSync(fd);
  return fs.statSync(file).size;
}
