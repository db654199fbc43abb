// Enumerates every route x role x own/other company and asserts the permission table.
// A route missing from CASES fails the suite: no route may be left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUP_ONLY_ROLES,
  PERMISSIONS,
  ROLES,
  type Action,
  type Role,
} from '../../src/platform/authz/permissions.ts';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { companyFactory, departmentFactory, personFactory } from '../factories/org.factory.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import type { CompanyDto, PersonDto } from '../../src/modules/org/index.ts';
import { routeCases, type Fix } from '../support/route-cases.ts';

let env: TestEnv;
const CASES = routeCases(() => env);

type Outcome = 'ok' | 'forbidden' | 'notfound';

/** What the permission table says for this role, grant scope and object. */
function expected(
  action: Action,
  role: Role,
  scope: 'group' | 'company',
  target: 'own' | 'other' | 'none',
): Outcome {
  const def = PERMISSIONS[action];
  if (!(def.roles as readonly Role[]).includes(role)) return 'forbidden';
  if (def.scope === 'self' || def.scope === 'any') return 'ok';
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
      return {
        company,
        dept: await departmentFactory(env.ctx)(company.id),
        person: await personFactory(env.ctx)(company.id),
      };
    };
    own = await fix();
    other = await fix();
    for (const role of ROLES) {
      for (const scope of grantScopes(role)) {
        const user = await userFactory(env.ctx)([
          { role, companyId: scope === 'group' ? null : own.company.id },
        ]);
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
      const res = await env.app.inject({
        method: r.method as 'GET',
        url: req.url,
        ...(req.body ? { payload: req.body as object } : {}),
      });
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
            ...(req.body !== undefined
              ? { payload: req.body as object }
              : req.payload !== undefined
                ? { payload: req.payload }
                : {}),
          });
          checked += 1;
          const want: Outcome =
            r.access === 'public' || r.access === 'authenticated'
              ? 'ok'
              : expected(r.access as Action, role, scope, target);
          const got = res.statusCode;
          const okStatuses = c.ok ?? [];
          const pass =
            want === 'ok'
              ? (got >= 200 && got < 300) || okStatuses.includes(got)
              : want === 'forbidden'
                ? got === 403
                : got === 404;
          if (!pass)
            failures.push(
              `${r.method} ${r.url} as ${role}@${scope} on ${target}: want ${want}, got ${got} ${res.body.slice(0, 160)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('lists only objects of the companies in scope', async () => {
    const officer = users.find((u) => u.role === 'security_officer' && u.scope === 'company')!.user;
    const people = (
      await env.app.inject({ method: 'GET', url: '/api/v1/people?limit=200', headers: officer.headers })
    ).json<{ items: PersonDto[] }>();
    expect(people.items.length).toBeGreaterThan(0);
    expect(new Set(people.items.map((p) => p.companyId))).toEqual(new Set([own.company.id]));
    const companies = (
      await env.app.inject({ method: 'GET', url: '/api/v1/companies', headers: officer.headers })
    ).json<{ items: CompanyDto[] }>();
    expect(companies.items.map((c) => c.id)).toEqual([own.company.id]);
    const audit = (
      await env.app.inject({
        method: 'GET',
        url: '/api/v1/audit?limit=200',
        headers: users.find((u) => u.role === 'company_ciso')!.user.headers,
      })
    ).json<{ items: { companyId: string | null }[] }>();
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((e) => e.companyId === own.company.id)).toBe(true);
  });

  it('narrows what an API token may do to its scopes', async () => {
    const admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }], {
      scopes: ['org:read'],
    });
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/people', headers: admin.headers })).statusCode,
    ).toBe(200);
    const write = await env.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: admin.headers,
      payload: { legalName: 'X', shortCode: 'XSCOPE', country: 'JP' },
    });
    expect(write.statusCode).toBe(403);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/audit', headers: admin.headers })).statusCode,
    ).toBe(403);
  });
});
