// Enumerates every route x role x own/other company and asserts the permission table.
// A route missing from CASES fails the suite: no route may be left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_ONLY_ROLES, PERMISSIONS, ROLES, type Action, type Role } from '../../src/platform/authz/permissions.ts';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { companyFactory, departmentFactory, factoryActor, personFactory } from '../factories/org.factory.ts';
import { TEST_PASSWORD, userFactory, type TestUser } from '../factories/user.factory.ts';
import type { CompanyDto, DepartmentDto, PersonDto } from '../../src/modules/org/index.ts';

type Fix = { company: CompanyDto; dept: DepartmentDto; person: PersonDto };
type Req = { url: string; body?: unknown; payload?: string; contentType?: string };
type Case = {
  /** 'company': the object belongs to a company (tried in the actor's own and in another one). */
  target: 'company' | 'none';
  req: (c: Fix, u: TestUser) => Promise<Req> | Req;
  /** Statuses that mean "allowed" for this route when the rules of the object say no (default: any 2xx). */
  ok?: number[];
};

let env: TestEnv;
const svc = () => env.ctx.services;

const freshUser = async () =>
  svc().identity.createUserWithRoles(factoryActor, { email: `x${Math.random().toString(36).slice(2)}@example.com`, displayName: 'X', password: TEST_PASSWORD, personId: null, locale: 'en' }, [
    { role: 'employee', companyId: null },
  ]);

const CASES: Record<string, Case> = {
  'GET /api/v1/setup/status': { target: 'none', req: () => ({ url: '/api/v1/setup/status' }) },
  'POST /api/v1/setup': { target: 'none', req: () => ({ url: '/api/v1/setup', body: { token: 'x', email: 'a@b.co', displayName: 'A', password: 'long-enough-password' } }), ok: [409] },
  'POST /api/v1/auth/login': { target: 'none', req: () => ({ url: '/api/v1/auth/login', body: { email: `nobody-${Math.random()}@example.com`, password: 'nope' } }), ok: [401] },
  'POST /api/v1/auth/logout': { target: 'none', req: () => ({ url: '/api/v1/auth/logout' }) },
  'GET /api/v1/auth/session': { target: 'none', req: () => ({ url: '/api/v1/auth/session' }) },
  'POST /api/v1/auth/mfa/setup': { target: 'none', req: () => ({ url: '/api/v1/auth/mfa/setup' }), ok: [200, 409] },
  'POST /api/v1/auth/mfa/confirm': { target: 'none', req: () => ({ url: '/api/v1/auth/mfa/confirm', body: { totp: '000000' } }), ok: [409, 422] },
  'POST /api/v1/auth/mfa/recovery-codes': { target: 'none', req: () => ({ url: '/api/v1/auth/mfa/recovery-codes' }), ok: [200, 409] },
  'POST /api/v1/auth/mfa/disable': { target: 'none', req: () => ({ url: '/api/v1/auth/mfa/disable', body: { password: 'wrong-password' } }), ok: [422] },
  'PATCH /api/v1/me': { target: 'none', req: () => ({ url: '/api/v1/me', body: { locale: 'en' } }) },
  'POST /api/v1/me/password': { target: 'none', req: () => ({ url: '/api/v1/me/password', body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD } }) },
  'GET /api/v1/me/tokens': { target: 'none', req: () => ({ url: '/api/v1/me/tokens' }) },
  'POST /api/v1/me/tokens': { target: 'none', req: () => ({ url: '/api/v1/me/tokens', body: { name: 'ci', scopes: ['org:read'], expiresInDays: 1 } }) },
  'DELETE /api/v1/me/tokens/:id': {
    target: 'none',
    req: async (_c, u) => {
      const t = await svc().identity.createTokenForEmail(factoryActor, u.email, { name: 'd', scopes: ['org:read'], expiresInDays: 1 });
      return { url: `/api/v1/me/tokens/${t.apiToken.id}` };
    },
  },
  'GET /api/v1/users': { target: 'none', req: () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users': { target: 'none', req: () => ({ url: '/api/v1/users', body: { email: `n${Math.random().toString(36).slice(2)}@example.com`, displayName: 'N' } }) },
  'GET /api/v1/users/:id': { target: 'none', req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}` }) },
  'PATCH /api/v1/users/:id': { target: 'none', req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}`, body: { version: 1, displayName: 'Renamed' } }) },
  'POST /api/v1/users/:id/password': { target: 'none', req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}/password`, body: { newPassword: 'Another-long-passw0rd' } }) },
  'POST /api/v1/users/:id/mfa/reset': { target: 'none', req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}/mfa/reset` }) },
  'POST /api/v1/users/:id/grants': { target: 'none', req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}/grants`, body: { role: 'auditor', companyId: null } }) },
  'DELETE /api/v1/users/:id/grants/:grantId': {
    target: 'none',
    req: async () => {
      const u = await freshUser();
      return { url: `/api/v1/users/${u.id}/grants/${u.grants[0]!.id}` };
    },
  },
  'GET /api/v1/companies': { target: 'none', req: () => ({ url: '/api/v1/companies' }) },
  'POST /api/v1/companies': { target: 'none', req: () => ({ url: '/api/v1/companies', body: { legalName: 'New Co', shortCode: `N${Math.random().toString(36).slice(2, 8).toUpperCase()}`, country: 'JP' } }) },
  'GET /api/v1/companies/:id': { target: 'company', req: (c) => ({ url: `/api/v1/companies/${c.company.id}` }) },
  'PATCH /api/v1/companies/:id': {
    target: 'company',
    req: async (c) => ({ url: `/api/v1/companies/${c.company.id}`, body: { version: (await svc().org.getCompany(factoryActor, c.company.id)).version, status: 'active' } }),
  },
  'PUT /api/v1/companies/:id/ciso': {
    target: 'company',
    req: async (c) => ({ url: `/api/v1/companies/${c.company.id}/ciso`, body: { version: (await svc().org.getCompany(factoryActor, c.company.id)).version, personId: c.person.id } }),
  },
  'GET /api/v1/companies/:companyId/departments': { target: 'company', req: (c) => ({ url: `/api/v1/companies/${c.company.id}/departments` }) },
  'POST /api/v1/companies/:companyId/departments': {
    target: 'company',
    req: (c) => ({ url: `/api/v1/companies/${c.company.id}/departments`, body: { name: 'New dept', code: `C${Math.random().toString(36).slice(2, 8)}` } }),
  },
  'PATCH /api/v1/departments/:id': {
    target: 'company',
    req: async (c) => {
      const d = await departmentFactory(env.ctx)(c.company.id);
      return { url: `/api/v1/departments/${d.id}`, body: { version: d.version, name: 'Renamed' } };
    },
  },
  'DELETE /api/v1/departments/:id': {
    target: 'company',
    req: async (c) => ({ url: `/api/v1/departments/${(await departmentFactory(env.ctx)(c.company.id)).id}` }),
  },
  'GET /api/v1/people': { target: 'none', req: () => ({ url: '/api/v1/people' }) },
  'GET /api/v1/people/stats': { target: 'none', req: () => ({ url: '/api/v1/people/stats' }) },
  'POST /api/v1/people': {
    target: 'company',
    req: (c) => ({ url: '/api/v1/people', body: { companyId: c.company.id, employeeNumber: `M${Math.random().toString(36).slice(2, 9)}`, name: 'New Person', personnelCategory: 'partner_staff' } }),
  },
  'GET /api/v1/people/export.csv': { target: 'none', req: () => ({ url: '/api/v1/people/export.csv' }) },
  'POST /api/v1/people/import': {
    target: 'none',
    req: (c) => ({
      url: '/api/v1/people/import?commit=false',
      payload: `company_code,employee_number,name,personnel_category\n${c.company.shortCode},Z1,Zed,regular_employee\n`,
      contentType: 'text/csv',
    }),
  },
  'GET /api/v1/people/:id': { target: 'company', req: (c) => ({ url: `/api/v1/people/${c.person.id}` }) },
  'PATCH /api/v1/people/:id': {
    target: 'company',
    req: async (c) => {
      const p = await personFactory(env.ctx)(c.company.id);
      return { url: `/api/v1/people/${p.id}`, body: { version: p.version, name: 'Renamed Person' } };
    },
  },
  'GET /api/v1/audit': { target: 'none', req: () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/audit/verify': { target: 'none', req: () => ({ url: '/api/v1/audit/verify' }) },
};

type Outcome = 'ok' | 'forbidden' | 'notfound';

/** What the permission table says for this role, grant scope and object. */
function expected(action: Action, role: Role, scope: 'group' | 'company', target: 'own' | 'other' | 'none'): Outcome {
  const def = PERMISSIONS[action];
  if (!(def.roles as readonly Role[]).includes(role)) return 'forbidden';
  if (def.scope === 'self') return 'ok';
  if (def.scope === 'group') return scope === 'group' ? 'ok' : 'forbidden';
  if (target === 'other' && scope === 'company') return 'notfound';
  return 'ok';
}

const grantScopes = (role: Role): ('group' | 'company')[] =>
  GROUP_ONLY_ROLES.includes(role) ? ['group'] : role === 'company_ciso' ? ['company'] : ['group', 'company'];

describe.each(dialectsUnderTest())('authorisation matrix on %s', (dialect) => {
  let own: Fix;
  let other: Fix;
  const users: { role: Role; scope: 'group' | 'company'; user: TestUser }[] = [];

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    const fix = async (): Promise<Fix> => {
      const company = await companyFactory(env.ctx)();
      return { company, dept: await departmentFactory(env.ctx)(company.id), person: await personFactory(env.ctx)(company.id) };
    };
    own = await fix();
    other = await fix();
    for (const role of ROLES) {
      for (const scope of grantScopes(role)) {
        const user = await userFactory(env.ctx)([{ role, companyId: scope === 'group' ? null : own.company.id }]);
        users.push({ role, scope, user });
      }
    }
  });
  afterAll(() => env?.close());

  it('has a case for every route, and every route declares its access', () => {
    const api = env.routes.filter((r) => r.url.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(30);
    for (const r of api) {
      expect(r.access, `${r.method} ${r.url} declares no access`).toBeDefined();
      expect(CASES[`${r.method} ${r.url}`], `${r.method} ${r.url} is missing from the matrix`).toBeDefined();
    }
    expect(Object.keys(CASES).sort()).toEqual(api.map((r) => `${r.method} ${r.url}`).sort());
  });

  it('answers 401 to every non-public route without credentials', async () => {
    for (const r of env.routes.filter((x) => x.url.startsWith('/api/v1/') && x.access !== 'public')) {
      const req = await CASES[`${r.method} ${r.url}`]!.req(own, users[0]!.user);
      const res = await env.app.inject({ method: r.method as 'GET', url: req.url, ...(req.body ? { payload: req.body as object } : {}) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('allows, forbids (403) or hides (404) exactly as the permission table says', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of env.routes.filter((x) => x.url.startsWith('/api/v1/'))) {
      const c = CASES[`${r.method} ${r.url}`]!;
      for (const { role, scope, user } of users) {
        for (const target of c.target === 'company' ? (['own', 'other'] as const) : (['none'] as const)) {
          const req = await c.req(target === 'other' ? other : own, user);
          const res = await env.app.inject({
            method: r.method as 'GET',
            url: req.url,
            headers: { ...user.headers, ...(req.contentType ? { 'content-type': req.contentType } : {}) },
            ...(req.body !== undefined ? { payload: req.body as object } : req.payload !== undefined ? { payload: req.payload } : {}),
          });
          checked += 1;
          const want: Outcome =
            r.access === 'public' || r.access === 'authenticated' ? 'ok' : expected(r.access as Action, role, scope, target);
          const got = res.statusCode;
          const okStatuses = c.ok ?? [];
          const pass =
            want === 'ok'
              ? (got >= 200 && got < 300) || okStatuses.includes(got)
              : want === 'forbidden'
                ? got === 403
                : got === 404;
          if (!pass) failures.push(`${r.method} ${r.url} as ${role}@${scope} on ${target}: want ${want}, got ${got} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('lists only objects of the companies in scope', async () => {
    const officer = users.find((u) => u.role === 'security_officer' && u.scope === 'company')!.user;
    const people = (await env.app.inject({ method: 'GET', url: '/api/v1/people?limit=200', headers: officer.headers })).json<{ items: PersonDto[] }>();
    expect(people.items.length).toBeGreaterThan(0);
    expect(new Set(people.items.map((p) => p.companyId))).toEqual(new Set([own.company.id]));
    const companies = (await env.app.inject({ method: 'GET', url: '/api/v1/companies', headers: officer.headers })).json<{ items: CompanyDto[] }>();
    expect(companies.items.map((c) => c.id)).toEqual([own.company.id]);
    const audit = (await env.app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: users.find((u) => u.role === 'company_ciso')!.user.headers })).json<{ items: { companyId: string | null }[] }>();
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((e) => e.companyId === own.company.id)).toBe(true);
  });

  it('narrows what an API token may do to its scopes', async () => {
    const admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }], { scopes: ['org:read'] });
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/people', headers: admin.headers })).statusCode).toBe(200);
    const write = await env.app.inject({ method: 'POST', url: '/api/v1/companies', headers: admin.headers, payload: { legalName: 'X', shortCode: 'XSCOPE', country: 'JP' } });
    expect(write.statusCode).toBe(403);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/audit', headers: admin.headers })).statusCode).toBe(403);
  });
});
