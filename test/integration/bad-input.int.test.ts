// Bad input on every route: unknown fields, wrong types, malformed JSON, oversized bodies, bad ids and
// injection strings answer 4xx problem+json, never 5xx, and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { companyFactory, departmentFactory, personFactory } from '../factories/org.factory.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { routeCases, type Fix } from '../support/route-cases.ts';
import { ISSUE_CODES } from '../../src/platform/errors.ts';

const INJECTIONS = [
  "' OR '1'='1",
  '1; DROP TABLE people; --',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '%00',
  '{"$gt":""}',
];

function wrongType(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'not-a-number';
  if (typeof v === 'boolean') return 'yes';
  if (Array.isArray(v)) return 'not-an-array';
  if (v === null) return { nested: true };
  return 'not-an-object';
}

describe.each(dialectsUnderTest())('bad input on %s', (dialect) => {
  let env: TestEnv;
  let fix: Fix;
  let admin: TestUser;
  const cases = routeCases(() => env);

  // Changes made through the API under test (fixtures are written by the factory's own actor).
  const auditHead = async () =>
    Number(
      (
        await sql<{
          n: number;
        }>`select count(*) as n from audit_entries where actor_label <> 'test-factory'`.execute(
          env.ctx.db.kysely,
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    const company = await companyFactory(env.ctx)();
    fix = {
      company,
      dept: await departmentFactory(env.ctx)(company.id),
      person: await personFactory(env.ctx)(company.id),
    };
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
  });
  afterAll(() => env?.close());

  const send = (
    method: string,
    url: string,
    init: { payload?: string | object; contentType?: string } = {},
  ) =>
    env.app.inject({
      method: method as 'POST',
      url,
      headers: { ...admin.headers, ...(init.contentType ? { 'content-type': init.contentType } : {}) },
      ...(init.payload !== undefined ? { payload: init.payload } : {}),
    });

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    what: string,
  ) => {
    expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    const p = JSON.parse(res.body) as {
      status: number;
      detail: string;
      code: string;
      errors?: { path: string; message: string; code: string }[];
    };
    expect(p.status).toBe(res.statusCode);
    expect(p.detail.length).toBeGreaterThan(0);
    // Every field issue has a code a screen can put in the user's language.
    for (const issue of p.errors ?? []) expect(ISSUE_CODES, `${what}: ${issue.path}`).toContain(issue.code);
    return p;
  };

  it('refuses malformed bodies, unknown fields, wrong types and oversized bodies on every route with a body', async () => {
    const before = await auditHead();
    let tried = 0;
    for (const r of env.routes.filter(
      (x) => x.url.startsWith('/api/v1/') && ['POST', 'PATCH', 'PUT'].includes(x.method),
    )) {
      const c = cases[`${r.method} ${r.url}`]!;
      const valid = await c.req(fix, admin);
      const what = `${r.method} ${r.url}`;
      if (valid.payload !== undefined) {
        // A file upload: the wrong media type and an oversized file.
        expectProblem(
          await send(r.method, valid.url, { payload: '{"a":1}', contentType: 'application/json' }),
          `${what} json instead of file`,
        );
        expectProblem(
          await send(r.method, valid.url, { payload: 'x'.repeat(51 * 1024 * 1024), contentType: 'text/csv' }),
          `${what} oversized`,
        );
        tried += 2;
        continue;
      }
      expectProblem(
        await send(r.method, valid.url, { payload: '{"broken": ', contentType: 'application/json' }),
        `${what} malformed`,
      );
      expectProblem(
        await send(r.method, valid.url, {
          payload: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
          contentType: 'application/json',
        }),
        `${what} oversized`,
      );
      expectProblem(
        await send(r.method, valid.url, { payload: '<xml/>', contentType: 'application/xml' }),
        `${what} wrong media type`,
      );
      tried += 3;
      if (valid.body && typeof valid.body === 'object') {
        const unknown = expectProblem(
          await send(r.method, valid.url, { payload: { ...(valid.body as object), unexpectedField: 1 } }),
          `${what} unknown field`,
        );
        expect(unknown.errors, what).toContainEqual(
          expect.objectContaining({ code: 'unknown_field', params: { keys: 'unexpectedField' } }),
        );
        expectProblem(
          await send(r.method, valid.url, { payload: [valid.body] as unknown as object }),
          `${what} array body`,
        );
        tried += 2;
        for (const [k, v] of Object.entries(valid.body as Record<string, unknown>)) {
          const fresh = await c.req(fix, admin);
          const body = { ...(fresh.body as Record<string, unknown>), [k]: wrongType(v) };
          expectProblem(await send(r.method, fresh.url, { payload: body }), `${what} ${k} of wrong type`);
          tried += 1;
        }
      }
    }
    expect(tried).toBeGreaterThan(60);
    expect(await auditHead()).toBe(before);
  });

  it('refuses bad ids and injection strings in paths with a 4xx', async () => {
    const before = await auditHead();
    for (const r of env.routes.filter((x) => x.url.includes('/:') && x.url.startsWith('/api/v1/'))) {
      for (const bad of ['not-a-uuid', ...INJECTIONS]) {
        const url = r.url.replace(/:[A-Za-z]+/g, encodeURIComponent(bad));
        const res = await send(
          r.method,
          url,
          r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} },
        );
        expectProblem(res, `${r.method} ${url}`);
      }
      // A well-formed id of nothing answers 404 (or 400 when the body is also empty), never 5xx.
      const res = await send(
        r.method,
        r.url.replace(/:[A-Za-z]+/g, '01890a5d-ac96-774b-bcce-b302099a8057'),
        r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} },
      );
      expectProblem(res, `${r.method} ${r.url} unknown id`);
    }
    expect(await auditHead()).toBe(before);
  });

  it('treats injection strings in queries as plain data, and refuses bad query parameters', async () => {
    for (const r of env.routes.filter(
      (x) => x.method === 'GET' && x.url.startsWith('/api/v1/') && !x.url.includes('/:'),
    )) {
      const base = (await cases[`${r.method} ${r.url}`]!.req(fix, admin)).url;
      if (['/api/v1/people', '/api/v1/companies', '/api/v1/users', '/api/v1/assets'].includes(base)) {
        for (const bad of INJECTIONS) {
          const res = await send('GET', `${base}?q=${encodeURIComponent(bad)}`);
          expect(res.statusCode, `${base} q=${bad}`).toBe(200);
          expect(res.json<{ items: unknown[] }>().items).toEqual([]);
        }
        expectProblem(await send('GET', `${base}?limit=abc`), `${base} limit=abc`);
        expectProblem(await send('GET', `${base}?limit=100000`), `${base} limit too large`);
        expectProblem(
          await send('GET', `${base}?cursor=${encodeURIComponent(INJECTIONS[0]!)}`),
          `${base} bad cursor`,
        );
      }
      if (
        base !== '/api/v1/setup/status' &&
        base !== '/api/v1/auth/session' &&
        base !== '/api/v1/me/tokens' &&
        base !== '/api/v1/people/stats' &&
        base !== '/api/v1/audit/verify'
      ) {
        expectProblem(
          await send('GET', `${base}${base.includes('?') ? '&' : '?'}unknownParam=1`),
          `${base} unknown parameter`,
        );
      }
    }
    expectProblem(await send('GET', `/api/v1/audit?from=yesterday`), 'audit from=yesterday');
    expectProblem(
      await send('GET', `/api/v1/audit?action=${encodeURIComponent("x' OR 1=1")}`),
      'audit action injection',
    );
  });

  it('answers unknown routes and methods with problem+json', async () => {
    expectProblem(await send('GET', '/api/v1/nothing-here'), 'unknown route');
    expectProblem(await send('DELETE', '/api/v1/companies'), 'unknown method');
  });
});
