// The fictional demo group, so that a newcomer sees a living system: a holding, 13 subsidiaries in
// six countries, departments, a CISO per company, people of every personnel category, and one user per role.
import { randomBytes } from 'node:crypto';
import { systemActor, type Role } from '../platform/authz/permissions.ts';
import { metaRepository } from '../platform/db/meta.repository.ts';
import { PERSONNEL_CATEGORIES, type CompanyDto } from '../modules/org/index.ts';
import type { AppContext } from './context.ts';
import { loadComplianceDemo } from './demo-compliance.ts';
import { loadRisksDemo } from './demo-risks.ts';
import { loadEmailDemo } from './demo-email.ts';
import { loadDmarcDemo } from './demo-dmarc.ts';
import { loadAssetsDemo } from './demo-assets.ts';

const COMPANIES: { code: string; name: string; country: string }[] = [
  { code: 'KUMO', name: 'Kumo Group Holdings, Inc.', country: 'JP' },
  { code: 'KCARD', name: 'Kumo Card Co., Ltd.', country: 'JP' },
  { code: 'KPAY', name: 'Kumo Payment, Inc.', country: 'JP' },
  { code: 'KMOB', name: 'Kumo Mobile, Inc.', country: 'JP' },
  { code: 'KTRV', name: 'Kumo Travel Service, Inc.', country: 'JP' },
  { code: 'KINS', name: 'Kumo Insight, Inc.', country: 'JP' },
  { code: 'KCS', name: 'Kumo Customer Service, Inc.', country: 'JP' },
  { code: 'KUSA', name: 'Kumo USA, Inc.', country: 'US' },
  { code: 'KASIA', name: 'Kumo Asia Pte. Ltd.', country: 'SG' },
  { code: 'KEU', name: 'Kumo Europe S.à r.l.', country: 'LU' },
  { code: 'KFR', name: 'Kumo France S.A.S.', country: 'FR' },
  { code: 'KDE', name: 'Kumo Symphony Deutschland GmbH', country: 'DE' },
  { code: 'KIN', name: 'Kumo India Enterprise Private Limited', country: 'IN' },
  { code: 'KDATA', name: 'Kumo Data Solutions, Inc.', country: 'JP' },
];

const DEPARTMENTS: { code: string; name: string; parent?: string }[] = [
  { code: 'MGT', name: 'Management' },
  { code: 'SEC', name: 'Information Security', parent: 'MGT' },
  { code: 'CSIRT', name: 'CSIRT', parent: 'SEC' },
  { code: 'ENG', name: 'Engineering' },
  { code: 'APP', name: 'Application Development', parent: 'ENG' },
  { code: 'INF', name: 'Infrastructure', parent: 'ENG' },
  { code: 'BIZ', name: 'Business' },
  { code: 'HR', name: 'Human Resources' },
];

const JP_FAMILY = [
  'Sato',
  'Suzuki',
  'Takahashi',
  'Tanaka',
  'Watanabe',
  'Ito',
  'Yamamoto',
  'Nakamura',
  'Kobayashi',
  'Kato',
  'Yoshida',
  'Yamada',
];
const JP_GIVEN = [
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
  'Yuto',
  'Akari',
];
const INTL_FAMILY = [
  'Martin',
  'Bernard',
  'Schmidt',
  'Müller',
  'Smith',
  'Johnson',
  'Tan',
  'Lim',
  'Sharma',
  'Patel',
  'Dubois',
  'Garcia',
];
const INTL_GIVEN = [
  'Alex',
  'Camille',
  'Jonas',
  'Lena',
  'Priya',
  'Arjun',
  'Wei',
  'Mei Ling',
  'Sam',
  'Louise',
  'Noah',
  'Emma',
];

// Category mix of a typical company: many regular employees, a few of each other kind.
const CATEGORY_PLAN: (typeof PERSONNEL_CATEGORIES)[number][] = [
  'director_officer',
  'director_officer',
  ...Array<(typeof PERSONNEL_CATEGORIES)[number]>(12).fill('regular_employee'),
  'contract_employee',
  'contract_employee',
  'contract_employee',
  'temporary_staff',
  'temporary_staff',
  'partner_staff',
  'partner_staff',
  'outsourced_worker',
  'outsourced_worker',
  'part_time_employee',
  'part_time_employee',
];
const DEPT_PLAN = [
  'MGT',
  'MGT',
  'SEC',
  'CSIRT',
  'APP',
  'APP',
  'APP',
  'INF',
  'INF',
  'BIZ',
  'BIZ',
  'BIZ',
  'HR',
];

const DEMO_USERS: { role: Role; email: string; name: string; company?: string }[] = [
  { role: 'group_admin', email: 'admin@demo.mamori.example', name: 'Demo Group Administrator' },
  { role: 'group_ciso', email: 'group.ciso@demo.mamori.example', name: 'Demo Group CISO' },
  {
    role: 'company_ciso',
    email: 'ciso.kcard@demo.mamori.example',
    name: 'Demo CISO of Kumo Card',
    company: 'KCARD',
  },
  {
    role: 'security_officer',
    email: 'officer.kpay@demo.mamori.example',
    name: 'Demo Security Officer (Kumo Payment)',
    company: 'KPAY',
  },
  { role: 'auditor', email: 'auditor@demo.mamori.example', name: 'Demo Internal Auditor' },
  {
    role: 'security_champion',
    email: 'champion.kmob@demo.mamori.example',
    name: 'Demo Security Champion (Kumo Mobile)',
    company: 'KMOB',
  },
  {
    role: 'employee',
    email: 'employee.kcard@demo.mamori.example',
    name: 'Demo Employee (Kumo Card)',
    company: 'KCARD',
  },
];

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface DemoResult {
  loaded: boolean;
  summary: string;
  credentials: string;
}

export async function loadDemo(ctx: AppContext): Promise<DemoResult> {
  const meta = metaRepository(ctx.db.kysely);
  if (await meta.get('demo_loaded')) return { loaded: false, summary: '', credentials: '' };
  const actor = systemActor('demo');
  const { org, identity } = ctx.services;

  const companies: CompanyDto[] = [];
  for (const [i, c] of COMPANIES.entries()) {
    companies.push(
      await org.createCompany(actor, {
        legalName: c.name,
        shortCode: c.code,
        country: c.country,
        parentId: i === 0 ? null : companies[0]!.id,
        status: 'active',
      }),
    );
  }
  for (const company of companies) {
    const ids = new Map<string, string>();
    for (const d of DEPARTMENTS) {
      const dept = await org.createDepartment(actor, company.id, {
        name: d.name,
        code: d.code,
        parentId: d.parent ? ids.get(d.parent)! : null,
      });
      ids.set(d.code, dept.id);
    }
  }

  // People arrive the way they do in real life: through the HR CSV import.
  const lines = [
    'company_code,employee_number,name,email,personnel_category,department_code,manager_employee_number,active',
  ];
  let n = 0;
  for (const [ci, c] of COMPANIES.entries()) {
    const jp = c.country === 'JP';
    for (const [pi, category] of CATEGORY_PLAN.entries()) {
      n += 1;
      const family = (jp ? JP_FAMILY : INTL_FAMILY)[(n * 7 + ci) % 12]!;
      const given = (jp ? JP_GIVEN : INTL_GIVEN)[(n * 5 + pi) % 12]!;
      const number = `${c.code}-${String(pi + 1).padStart(4, '0')}`;
      const dept = pi < 2 ? 'MGT' : pi === 2 ? 'SEC' : DEPT_PLAN[pi % DEPT_PLAN.length]!;
      const manager = pi === 0 ? '' : pi < 3 ? `${c.code}-0001` : `${c.code}-0002`;
      const email = `${given.toLowerCase().replace(/\s/g, '')}.${family.toLowerCase().replace('ü', 'u')}.${number.toLowerCase()}@demo.mamori.example`;
      const active = pi === CATEGORY_PLAN.length - 1 ? 'false' : 'true';
      lines.push(
        [c.code, number, `${given} ${family}`, email, category, dept, manager, active].map(csvCell).join(','),
      );
    }
  }
  const report = await org.importPeople(actor, Buffer.from(lines.join('\n')), true);
  if (!report.committed)
    throw new Error(`Demo people import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);

  // The third person of each company (in Information Security) is its CISO.
  for (const company of companies) {
    const page = await org.listPeople(actor, {
      companyId: company.id,
      q: `${company.shortCode}-0003`,
      limit: 1,
    });
    const ciso = page.items[0];
    if (ciso) await org.setCiso(actor, company.id, { version: company.version, personId: ciso.id });
  }

  const complianceSummary = await loadComplianceDemo(ctx, companies);
  const assetsDemo = await loadAssetsDemo(ctx, companies);
  const risksSummary = await loadRisksDemo(ctx, companies, assetsDemo.assetIds);
  const emailSummary = await loadEmailDemo(ctx, companies);
  const dmarcSummary = await loadDmarcDemo(ctx);

  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const byCode = new Map(companies.map((c) => [c.shortCode, c.id]));
  for (const u of DEMO_USERS) {
    await identity.createUserWithRoles(
      actor,
      { email: u.email, displayName: u.name, password, personId: null, locale: 'en' },
      [{ role: u.role, companyId: u.company ? byCode.get(u.company)! : null }],
    );
  }
  await meta.set('demo_loaded', new Date().toISOString());
  const credentials = [
    'Demo users (one per role; administrators enrol MFA at first sign-in). Password for all of them:',
    `  ${password}`,
    ...DEMO_USERS.map((u) => `  ${u.role.padEnd(18)} ${u.email}`),
  ].join('\n');
  return {
    loaded: true,
    summary: `${companies.length} companies, ${companies.length * DEPARTMENTS.length} departments, ${report.created} people, ${DEMO_USERS.length} users; ${complianceSummary}; ${assetsDemo.summary}; ${risksSummary}; ${emailSummary}; ${dmarcSummary}`,
    credentials,
  };
}
