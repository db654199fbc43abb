// Sign-in, MFA, sessions, CSRF, API tokens and first-start setup over real HTTP on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { signIn } from '../support/session.ts';
import { TEST_PASSWORD, userFactory } from '../factories/user.factory.ts';
import { totpNow } from '../../src/platform/auth/totp.ts';
import { bootstrapFirstAdmin } from '../../src/app/server.ts';

describe.each(dialectsUnderTest())('identity on %s', (dialect) => {
  let env: TestEnv;
  const login = (payload: object) => env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });

  beforeAll(async () => {
    // These tests change sessions and tokens behind the service's back, as another replica would: no cache.
    env = await createTestEnv(dialect, { MAMORI_LOGIN_MAX_FAILURES: '5', MAMORI_AUTH_CACHE_SECONDS: '0' });
  });
  afterAll(() => env?.close());

  it('answers a wrong password and an unknown email the same way', async () => {
    const u = await userFactory(env.ctx)([{ role: 'employee', companyId: null }]);
    const wrong = await login({ email: u.email, password: 'not-the-password' });
    const unknown = await login({ email: 'nobody-here@example.com', password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('rate-limits sign-in per email, even for the right password afterwards', async () => {
    const u = await userFactory(env.ctx)([{ role: 'employee', companyId: null }]);
    for (let i = 0; i < 5; i++)
      expect((await login({ email: u.email, password: `wrong-${i}` })).statusCode).toBe(401);
    const blocked = await login({ email: u.email, password: TEST_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'rate_limited' });
    // The window passes.
    await sql`update login_throttle set window_started_at = '2000-01-01T00:00:00.000Z'`.execute(
      env.ctx.db.kysely,
    );
    expect((await login({ email: u.email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('makes an administrator enrol TOTP, then requires it, refuses replays and takes a recovery code once', async () => {
    const email = 'new-admin@example.com';
    await env.ctx.services.identity.createUserWithRoles(
      { kind: 'system', userId: null, label: 'test', personId: null, grants: [], tokenScopes: null },
      { email, displayName: 'New Admin', password: TEST_PASSWORD, personId: null, locale: 'en' },
      [{ role: 'group_admin', companyId: null }],
    );
    const s = await signIn(env.app, { email, password: TEST_PASSWORD });
    expect(s.body).toMatchObject({ stage: 'mfa_enrollment' });
    expect((await s.request('GET', '/api/v1/companies')).statusCode).toBe(403);
    const setup = await s.request('POST', '/api/v1/auth/mfa/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri } = setup.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toContain('otpauth://totp/');
    expect((await s.request('POST', '/api/v1/auth/mfa/confirm', { totp: '000000' })).statusCode).toBe(422);
    const confirm = await s.request('POST', '/api/v1/auth/mfa/confirm', {
      totp: totpNow(secret, Date.now() - 30_000),
    });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect((await s.request('GET', '/api/v1/companies')).statusCode).toBe(200);

    const noCode = await login({ email, password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json()).toMatchObject({ code: 'mfa_required' });
    expect((await login({ email, password: TEST_PASSWORD, totp: '123456' })).json()).toMatchObject({
      code: 'invalid_mfa_code',
    });
    const code = totpNow(secret);
    expect((await login({ email, password: TEST_PASSWORD, totp: code })).statusCode).toBe(200);
    expect((await login({ email, password: TEST_PASSWORD, totp: code })).statusCode).toBe(401);
    expect((await login({ email, password: TEST_PASSWORD, recoveryCode: recoveryCodes[0] })).statusCode).toBe(
      200,
    );
    expect((await login({ email, password: TEST_PASSWORD, recoveryCode: recoveryCodes[0] })).statusCode).toBe(
      401,
    );
    // Administrators cannot turn MFA off.
    const s2 = await signIn(env.app, { email, password: TEST_PASSWORD, recoveryCode: recoveryCodes[1]! });
    expect(
      (await s2.request('POST', '/api/v1/auth/mfa/disable', { password: TEST_PASSWORD })).statusCode,
    ).toBe(403);
    // The secret is stored sealed, never in clear.
    const row = (
      await sql<{ mfa_secret_enc: string }>`select mfa_secret_enc from users where email = ${email}`.execute(
        env.ctx.db.kysely,
      )
    ).rows[0]!;
    expect(row.mfa_secret_enc).not.toContain(secret);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const u = await userFactory(env.ctx)([{ role: 'employee', companyId: null }]);
    const s = await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    const without = await s.request('PATCH', '/api/v1/me', { locale: 'ja' }, { csrf: false });
    expect(without.statusCode).toBe(403);
    const withToken = await s.request('PATCH', '/api/v1/me', { locale: 'ja' });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.json()).toMatchObject({ user: { locale: 'ja' } });
  });

  it('ends sessions at sign-out, when idle and at the absolute limit', async () => {
    const u = await userFactory(env.ctx)([{ role: 'employee', companyId: null }]);
    const a = await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    const b = await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    const c = await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    expect(new Set([a.cookie, b.cookie, c.cookie]).size).toBe(3);
    expect((await a.request('POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await a.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
    expect((await b.request('GET', '/api/v1/auth/session')).statusCode).toBe(200);
    const idle = new Date(Date.now() - 31 * 60_000).toISOString();
    await sql`update sessions set last_seen_at = ${idle}`.execute(env.ctx.db.kysely);
    expect((await b.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
    const d = await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    await sql`update sessions set expires_at = ${new Date(Date.now() - 1000).toISOString()}`.execute(
      env.ctx.db.kysely,
    );
    expect((await d.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('issues hashed, scoped, expiring, revocable API tokens', async () => {
    const u = await userFactory(env.ctx)([{ role: 'auditor', companyId: null }]);
    const s = await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    const created = await s.request('POST', '/api/v1/me/tokens', {
      name: 'siem export',
      scopes: ['audit:read'],
      expiresInDays: 7,
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json<{ token: string; apiToken: { id: string; prefix: string } }>();
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer })).statusCode).toBe(
      200,
    );
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/people', headers: bearer })).statusCode).toBe(
      403,
    );
    const stored = (
      await sql<{ token_hash: string }>`select token_hash from api_tokens where id = ${apiToken.id}`.execute(
        env.ctx.db.kysely,
      )
    ).rows[0]!;
    expect(stored.token_hash).not.toContain(token.slice(4));
    const list = await s.request('GET', '/api/v1/me/tokens');
    expect(list.body).not.toContain(token);
    expect((await s.request('DELETE', `/api/v1/me/tokens/${apiToken.id}`)).statusCode).toBe(204);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer })).statusCode).toBe(
      401,
    );
    const again = await s.request('POST', '/api/v1/me/tokens', {
      name: 'short',
      scopes: ['audit:read'],
      expiresInDays: 1,
    });
    const t2 = again.json<{ token: string; apiToken: { id: string } }>();
    await sql`update api_tokens set expires_at = ${new Date(Date.now() - 1000).toISOString()} where id = ${t2.apiToken.id}`.execute(
      env.ctx.db.kysely,
    );
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/audit',
          headers: { authorization: `Bearer ${t2.token}` },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/audit',
          headers: { authorization: 'Bearer mmr_forged' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('keeps the last group administrator', async () => {
    const admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    await sql`delete from role_grants where role = 'group_admin' and user_id <> ${admin.id}`.execute(
      env.ctx.db.kysely,
    );
    const me = await env.app.inject({
      method: 'GET',
      url: `/api/v1/users/${admin.id}`,
      headers: admin.headers,
    });
    const grant = me.json<{ grants: { id: string }[] }>().grants[0]!;
    const res = await env.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${admin.id}/grants/${grant.id}`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(409);
  });

  it('refuses company grants of group-only roles and group grants of company CISOs', async () => {
    const admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    const target = await userFactory(env.ctx)([{ role: 'employee', companyId: null }]);
    const url = `/api/v1/users/${target.id}/grants`;
    const company = (
      await env.app.inject({
        method: 'POST',
        url: '/api/v1/companies',
        headers: admin.headers,
        payload: { legalName: 'G Co', shortCode: 'GCO', country: 'JP' },
      })
    ).json<{ id: string }>();
    expect(
      (
        await env.app.inject({
          method: 'POST',
          url,
          headers: admin.headers,
          payload: { role: 'group_admin', companyId: company.id },
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (
        await env.app.inject({
          method: 'POST',
          url,
          headers: admin.headers,
          payload: { role: 'company_ciso', companyId: null },
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (
        await env.app.inject({
          method: 'POST',
          url,
          headers: admin.headers,
          payload: { role: 'company_ciso', companyId: company.id },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await env.app.inject({
          method: 'POST',
          url,
          headers: admin.headers,
          payload: { role: 'company_ciso', companyId: company.id },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('records sign-ins in the audit trail', async () => {
    const u = await userFactory(env.ctx)([{ role: 'employee', companyId: null }]);
    await signIn(env.app, { email: u.email, password: TEST_PASSWORD });
    const rows = await sql<{
      action: string;
    }>`select action from audit_entries where entity_id = ${u.id} order by seq`.execute(env.ctx.db.kysely);
    expect(rows.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['user.create', 'role.grant', 'auth.login']),
    );
  });
});

describe.each(dialectsUnderTest())('credential cache on %s', (dialect) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(dialect, { MAMORI_AUTH_CACHE_SECONDS: '30' });
  });
  afterAll(() => env?.close());

  it('drops cached credentials at once when they are revoked, disabled or changed here', async () => {
    const admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    const u = await userFactory(env.ctx)([{ role: 'auditor', companyId: null }]);
    const get = (url: string) => env.app.inject({ method: 'GET', url, headers: u.headers });
    expect((await get('/api/v1/users')).statusCode).toBe(200);
    const me = (await get(`/api/v1/users/${u.id}`)).json<{ grants: { id: string }[]; version: number }>();
    // A role revoked: the next call already sees it.
    const revoke = await env.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${u.id}/grants/${me.grants[0]!.id}`,
      headers: admin.headers,
    });
    expect(revoke.statusCode).toBe(204);
    expect((await get('/api/v1/users')).statusCode).toBe(403);
    await env.app.inject({
      method: 'POST',
      url: `/api/v1/users/${u.id}/grants`,
      headers: admin.headers,
      payload: { role: 'auditor', companyId: null },
    });
    expect((await get('/api/v1/users')).statusCode).toBe(200);
    // The user disabled: the token stops working at once.
    const disable = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: admin.headers,
      payload: { version: me.version, status: 'disabled' },
    });
    expect(disable.statusCode).toBe(200);
    expect((await get('/api/v1/users')).statusCode).toBe(401);
  });
});

describe('first start', () => {
  it('creates the administrator from the environment', async () => {
    const env = await createTestEnv('sqlite', {
      MAMORI_ADMIN_EMAIL: 'Root@Example.com',
      MAMORI_ADMIN_PASSWORD: 'a-long-admin-password',
    });
    try {
      expect(await bootstrapFirstAdmin(env.ctx)).toBeNull();
      const s = await signIn(env.app, { email: 'root@example.com', password: 'a-long-admin-password' });
      expect(s.body).toMatchObject({
        stage: 'mfa_enrollment',
        grants: [{ role: 'group_admin', companyId: null }],
      });
      expect(await bootstrapFirstAdmin(env.ctx)).toBeNull();
    } finally {
      await env.close();
    }
  });

  it('otherwise issues a one-time setup link', async () => {
    const env = await createTestEnv('sqlite');
    try {
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/setup/status' })).json()).toEqual({
        needsSetup: true,
      });
      const link = await bootstrapFirstAdmin(env.ctx);
      expect(link).toMatch(/^http:\/\/localhost:8080\/setup#token=/);
      const token = link!.split('#token=')[1]!;
      const body = {
        token,
        email: 'first@example.com',
        displayName: 'First',
        password: 'correct-horse-battery-staple',
      };
      expect(
        (await env.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, token: 'wrong' } }))
          .statusCode,
      ).toBe(403);
      expect(
        (
          await env.app.inject({
            method: 'POST',
            url: '/api/v1/setup',
            payload: { ...body, password: 'short' },
          })
        ).statusCode,
      ).toBe(422);
      expect((await env.app.inject({ method: 'POST', url: '/api/v1/setup', payload: body })).statusCode).toBe(
        204,
      );
      expect((await env.app.inject({ method: 'POST', url: '/api/v1/setup', payload: body })).statusCode).toBe(
        409,
      );
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/setup/status' })).json()).toEqual({
        needsSetup: false,
      });
    } finally {
      await env.close();
    }
  });
});
