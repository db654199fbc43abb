// Group-scale data generator for benchmarks: companies, departments and people, written through the real import.
import type { AppContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { PERSONNEL_CATEGORIES } from '../src/modules/org/index.ts';

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

/** A deterministic pseudo-random sequence, so that every run generates the same group. */
function rng(seed: number) {
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
