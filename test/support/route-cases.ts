// One valid request for every API route, used by the authorisation matrix and the bad-input sweep.
import { randomUUID } from 'node:crypto';
import type { TestEnv } from './harness.ts';
import { departmentFactory, factoryActor, personFactory } from '../factories/org.factory.ts';
import { TEST_PASSWORD, type TestUser } from '../factories/user.factory.ts';
import type { CompanyDto, DepartmentDto, PersonDto } from '../../src/modules/org/index.ts';

export type Fix = { company: CompanyDto; dept: DepartmentDto; person: PersonDto };
export type Req = { url: string; body?: unknown; payload?: string; contentType?: string };
export type Case = {
  /** 'company': the object belongs to a company (tried in the actor's own and in another one). */
  target: 'company' | 'none';
  req: (c: Fix, u: TestUser) => Promise<Req> | Req;
  /** Statuses that mean "allowed" for this route when the rules of the object say no (default: any 2xx). */
  ok?: number[];
};

/** A small, valid OSCAL catalog with a fresh identity each time. */
export const tinyCatalog = () => {
  const n = Math.random().toString(36).slice(2, 10);
  return JSON.stringify({
    catalog: {
      uuid: randomUUID(),
      metadata: {
        title: `Tiny catalog ${n}`,
        'last-modified': '2026-01-01T00:00:00Z',
        version: '1',
        'oscal-version': '1.1.2',
      },
      groups: [
        {
          id: 'g1',
          title: 'Group',
          controls: [
            { id: 'c-1', title: 'Control one' },
            { id: 'c-2', title: 'Control two' },
          ],
        },
      ],
    },
  });
};

export function routeCases(getEnv: () => TestEnv): Record<string, Case> {
  const builtin = async () =>
    (await getEnv().ctx.services.frameworks.list(factoryActor)).find((f) => f.ref === 'iso27001-2022')!;
  const svc = () => getEnv().ctx.services;
  const freshUser = async () =>
    svc().identity.createUserWithRoles(
      factoryActor,
      {
        email: `x${Math.random().toString(36).slice(2)}@example.com`,
        displayName: 'X',
        password: TEST_PASSWORD,
        personId: null,
        locale: 'en',
      },
      [{ role: 'employee', companyId: null }],
    );

  return {
    'GET /api/v1/setup/status': { target: 'none', req: () => ({ url: '/api/v1/setup/status' }) },
    'POST /api/v1/setup': {
      target: 'none',
      req: () => ({
        url: '/api/v1/setup',
        body: { token: 'x', email: 'a@b.co', displayName: 'A', password: 'long-enough-password' },
      }),
      ok: [409],
    },
    'POST /api/v1/auth/login': {
      target: 'none',
      req: () => ({
        url: '/api/v1/auth/login',
        body: { email: `nobody-${Math.random()}@example.com`, password: 'nope' },
      }),
      ok: [401],
    },
    'POST /api/v1/auth/logout': { target: 'none', req: () => ({ url: '/api/v1/auth/logout' }) },
    'GET /api/v1/auth/session': { target: 'none', req: () => ({ url: '/api/v1/auth/session' }) },
    'POST /api/v1/auth/mfa/setup': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/setup' }),
      ok: [200, 409],
    },
    'POST /api/v1/auth/mfa/confirm': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/confirm', body: { totp: '000000' } }),
      ok: [409, 422],
    },
    'POST /api/v1/auth/mfa/recovery-codes': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/recovery-codes' }),
      ok: [200, 409],
    },
    'POST /api/v1/auth/mfa/disable': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/disable', body: { password: 'wrong-password' } }),
      ok: [422],
    },
    'PATCH /api/v1/me': { target: 'none', req: () => ({ url: '/api/v1/me', body: { locale: 'en' } }) },
    'POST /api/v1/me/password': {
      target: 'none',
      req: () => ({
        url: '/api/v1/me/password',
        body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
      }),
    },
    'GET /api/v1/me/tokens': { target: 'none', req: () => ({ url: '/api/v1/me/tokens' }) },
    'POST /api/v1/me/tokens': {
      target: 'none',
      req: () => ({ url: '/api/v1/me/tokens', body: { name: 'ci', scopes: ['org:read'], expiresInDays: 1 } }),
    },
    'DELETE /api/v1/me/tokens/:id': {
      target: 'none',
      req: async (_c, u) => {
        const t = await svc().identity.createTokenForEmail(factoryActor, u.email, {
          name: 'd',
          scopes: ['org:read'],
          expiresInDays: 1,
        });
        return { url: `/api/v1/me/tokens/${t.apiToken.id}` };
      },
    },
    'GET /api/v1/users': { target: 'none', req: () => ({ url: '/api/v1/users' }) },
    'POST /api/v1/users': {
      target: 'none',
      req: () => ({
        url: '/api/v1/users',
        body: { email: `n${Math.random().toString(36).slice(2)}@example.com`, displayName: 'N' },
      }),
    },
    'GET /api/v1/users/:id': {
      target: 'none',
      req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}` }),
    },
    'PATCH /api/v1/users/:id': {
      target: 'none',
      req: async () => ({
        url: `/api/v1/users/${(await freshUser()).id}`,
        body: { version: 1, displayName: 'Renamed' },
      }),
    },
    'POST /api/v1/users/:id/password': {
      target: 'none',
      req: async () => ({
        url: `/api/v1/users/${(await freshUser()).id}/password`,
        body: { newPassword: 'Another-long-passw0rd' },
      }),
    },
    'POST /api/v1/users/:id/mfa/reset': {
      target: 'none',
      req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}/mfa/reset` }),
    },
    'POST /api/v1/users/:id/grants': {
      target: 'none',
      req: async () => ({
        url: `/api/v1/users/${(await freshUser()).id}/grants`,
        body: { role: 'auditor', companyId: null },
      }),
    },
    'DELETE /api/v1/users/:id/grants/:grantId': {
      target: 'none',
      req: async () => {
        const u = await freshUser();
        return { url: `/api/v1/users/${u.id}/grants/${u.grants[0]!.id}` };
      },
    },
    'GET /api/v1/companies': { target: 'none', req: () => ({ url: '/api/v1/companies' }) },
    'POST /api/v1/companies': {
      target: 'none',
      req: () => ({
        url: '/api/v1/companies',
        body: {
          legalName: 'New Co',
          shortCode: `N${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
          country: 'JP',
        },
      }),
    },
    'GET /api/v1/companies/:id': {
      target: 'company',
      req: (c) => ({ url: `/api/v1/companies/${c.company.id}` }),
    },
    'PATCH /api/v1/companies/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}`,
        body: { version: (await svc().org.getCompany(factoryActor, c.company.id)).version, status: 'active' },
      }),
    },
    'PUT /api/v1/companies/:id/ciso': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/ciso`,
        body: {
          version: (await svc().org.getCompany(factoryActor, c.company.id)).version,
          personId: c.person.id,
        },
      }),
    },
    'GET /api/v1/companies/:companyId/departments': {
      target: 'company',
      req: (c) => ({ url: `/api/v1/companies/${c.company.id}/departments` }),
    },
    'POST /api/v1/companies/:companyId/departments': {
      target: 'company',
      req: (c) => ({
        url: `/api/v1/companies/${c.company.id}/departments`,
        body: { name: 'New dept', code: `C${Math.random().toString(36).slice(2, 8)}` },
      }),
    },
    'PATCH /api/v1/departments/:id': {
      target: 'company',
      req: async (c) => {
        const d = await departmentFactory(getEnv().ctx)(c.company.id);
        return { url: `/api/v1/departments/${d.id}`, body: { version: d.version, name: 'Renamed' } };
      },
    },
    'DELETE /api/v1/departments/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/departments/${(await departmentFactory(getEnv().ctx)(c.company.id)).id}`,
      }),
    },
    'GET /api/v1/people': { target: 'none', req: () => ({ url: '/api/v1/people' }) },
    'GET /api/v1/people/stats': { target: 'none', req: () => ({ url: '/api/v1/people/stats' }) },
    'POST /api/v1/people': {
      target: 'company',
      req: (c) => ({
        url: '/api/v1/people',
        body: {
          companyId: c.company.id,
          employeeNumber: `M${Math.random().toString(36).slice(2, 9)}`,
          name: 'New Person',
          personnelCategory: 'partner_staff',
        },
      }),
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
        const p = await personFactory(getEnv().ctx)(c.company.id);
        return { url: `/api/v1/people/${p.id}`, body: { version: p.version, name: 'Renamed Person' } };
      },
    },
    'GET /api/v1/frameworks': { target: 'none', req: () => ({ url: '/api/v1/frameworks' }) },
    'GET /api/v1/frameworks/:id/requirements': {
      target: 'none',
      req: async () => ({ url: `/api/v1/frameworks/${(await builtin()).id}/requirements` }),
    },
    'GET /api/v1/frameworks/:id/oscal': {
      target: 'none',
      req: async () => ({ url: `/api/v1/frameworks/${(await builtin()).id}/oscal` }),
    },
    'POST /api/v1/frameworks/import': {
      target: 'none',
      req: () => ({
        url: '/api/v1/frameworks/import',
        payload: tinyCatalog(),
        contentType: 'application/json',
      }),
    },
    'GET /api/v1/audit': { target: 'none', req: () => ({ url: '/api/v1/audit' }) },
    'GET /api/v1/audit/verify': { target: 'none', req: () => ({ url: '/api/v1/audit/verify' }) },
  };
}
