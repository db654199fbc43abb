// The risk register over HTTP on a real database: method validation and versions, assessments against the
// method, versions (409), scope (404), acceptance rules and the heat map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, factoryActor, personFactory } from '../factories/org.factory.ts';
import { assetFactory } from '../factories/asset.factory.ts';
import { standardMethod } from '../factories/risk.factory.ts';
import type { CompanyDto, PersonDto } from '../../src/modules/org/index.ts';
import type {
  CatalogueItemDto,
  DueRisks,
  Heatmap,
  RiskDto,
  RiskMethodDto,
} from '../../src/modules/risks/index.ts';

type Problem = { status: number; code: string; errors?: { path: string; message: string }[] };

describe.each(dialectsUnderTest())('risks on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  let officer: TestUser;
  let payOfficer: TestUser;
  let ciso: TestUser;
  let card: CompanyDto;
  let pay: CompanyDto;
  let owner: PersonDto;
  let payOwner: PersonDto;

  const as = (user: TestUser) => (method: string, url: string, payload?: object) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: user.headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  const api = (method: string, url: string, payload?: object) => as(admin)(method, url, payload);
  const paths = (res: { json: <T>() => T }) => (res.json<Problem>().errors ?? []).map((i) => i.path);
  const riskBody = (over: Record<string, unknown> = {}) => ({
    companyId: card.id,
    title: 'Card data leaks through phishing',
    ownerPersonId: owner.id,
    inherent: { likelihood: 3, impact: 3 },
    residual: { likelihood: 1, impact: 2 },
    ...over,
  });
  const create = async (over: Record<string, unknown> = {}, user = admin) => {
    const res = await as(user)('POST', '/api/v1/risks', riskBody(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<RiskDto>();
  };

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    card = await companyFactory(env.ctx)({ shortCode: 'KCARD', legalName: 'Kumo Card' });
    pay = await companyFactory(env.ctx)({ shortCode: 'KPAY', legalName: 'Kumo Payment' });
    owner = await personFactory(env.ctx)(card.id, { employeeNumber: 'C-1', name: 'Sato Haruto' });
    payOwner = await personFactory(env.ctx)(pay.id, { employeeNumber: 'P-1', name: 'Tanaka Ren' });
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: card.id }]);
    payOfficer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: pay.id }]);
    ciso = await userFactory(env.ctx)([{ role: 'company_ciso', companyId: card.id }]);
  });
  afterAll(() => env?.close());

  it('refuses invalid methods with the paths of the fields at fault (422)', async () => {
    const url = `/api/v1/companies/${card.id}/risk-method`;
    const tooSmall = { ...standardMethod(), version: 0, impact: standardMethod().impact.slice(0, 2) };
    let res = await as(ciso)('PUT', url, tooSmall);
    expect(res.statusCode, res.body).toBe(422);
    expect(paths(res)).toEqual(expect.arrayContaining(['impact', 'matrix.2.impact']));

    const m = standardMethod();
    m.likelihood[2] = { ...m.likelihood[2]!, level: 2 };
    m.matrix[0] = { likelihood: 1, impact: 1, level: 'extreme' };
    res = await as(ciso)('PUT', url, { ...m, version: 0, acceptanceThreshold: 'nope' });
    expect(res.statusCode).toBe(422);
    expect(paths(res)).toEqual(
      expect.arrayContaining(['likelihood.2.level', 'likelihood', 'matrix.0.level', 'acceptanceThreshold']),
    );

    const gap = standardMethod();
    gap.matrix.pop();
    res = await as(ciso)('PUT', url, { ...gap, version: 0 });
    expect(res.statusCode).toBe(422);
    expect(res.json<Problem>().errors).toContainEqual({
      path: 'matrix',
      message: 'cell likelihood 3 x impact 3 is missing',
      code: 'cell_missing',
      params: { likelihood: 3, impact: 3 },
    });

    const six = standardMethod(6);
    expect(paths(await as(ciso)('PUT', url, { ...six, version: 0 }))).toEqual(['likelihood', 'impact']);
    // A security officer writes risks but does not set the method.
    expect((await as(officer)('PUT', url, { ...standardMethod(), version: 0 })).statusCode).toBe(403);
    expect((await api('GET', url)).statusCode).toBe(404);
  });

  it('versions the method and keeps old versions readable for old assessments', async () => {
    const url = `/api/v1/companies/${card.id}/risk-method`;
    const v1 = await as(ciso)('PUT', url, { ...standardMethod(), version: 0 });
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json<RiskMethodDto>()).toMatchObject({ version: 1, acceptanceThreshold: 'medium' });
    // A risk can only be scored when a method exists, and within its scales.
    const outside = await api('POST', '/api/v1/risks', riskBody({ inherent: { likelihood: 4, impact: 1 } }));
    expect(outside.statusCode).toBe(422);
    expect(paths(outside)).toEqual(['inherent.likelihood']);
    const old = await create();
    expect(old).toMatchObject({
      methodVersion: 1,
      inherent: { level: 'high', rank: 3 },
      residual: { level: 'low', rank: 1 },
      aboveThreshold: false,
    });

    expect((await as(ciso)('PUT', url, { ...standardMethod(), version: 0 })).statusCode).toBe(409);
    const five = standardMethod(5);
    const v2 = await as(ciso)('PUT', url, { ...five, version: 1, acceptanceThreshold: 'low' });
    expect(v2.statusCode, v2.body).toBe(200);
    expect((await api('GET', url)).json<RiskMethodDto>().version).toBe(2);
    const first = await api('GET', `${url}/versions/1`);
    expect(first.json<RiskMethodDto>()).toMatchObject({ version: 1, acceptanceThreshold: 'medium' });
    expect((await api('GET', `${url}/versions/9`)).statusCode).toBe(404);
    // The old risk still reads under its own method; a new one uses the 5-level scales.
    const again = (await api('GET', `/api/v1/risks/${old.id}`)).json<RiskDto>();
    expect(again).toMatchObject({ methodVersion: 1, aboveThreshold: false });
    const fresh = await create({
      inherent: { likelihood: 5, impact: 5 },
      residual: { likelihood: 1, impact: 1 },
    });
    expect(fresh).toMatchObject({ methodVersion: 2, inherent: { level: 'high' } });
    // Back to the 3 x 3 method for the tests below.
    expect((await as(ciso)('PUT', url, { ...standardMethod(), version: 2 })).statusCode).toBe(200);
  });

  it('creates and updates risks with references checked, 409 on a stale version and 404 outside the scope', async () => {
    const threats = (await api('GET', '/api/v1/risk-catalogue?kind=threat')).json<{
      items: CatalogueItemDto[];
    }>();
    const vulns = (await api('GET', '/api/v1/risk-catalogue?kind=vulnerability')).json<{
      items: CatalogueItemDto[];
    }>();
    expect(threats.items.length).toBe(15);
    expect(vulns.items.length).toBe(15);
    const asset = await assetFactory(env.ctx)(card.id, owner.id);
    const payAsset = await assetFactory(env.ctx)(pay.id, payOwner.id);

    const bad = await api(
      'POST',
      '/api/v1/risks',
      riskBody({
        assetIds: [asset.id, payAsset.id],
        threatId: vulns.items[0]!.id,
        ownerPersonId: payOwner.id,
        controlIds: [payAsset.id],
      }),
    );
    expect(bad.statusCode).toBe(422);
    expect(paths(bad)).toEqual(
      expect.arrayContaining(['assetIds.1', 'threatId', 'ownerPersonId', 'controlIds.0']),
    );

    const r = await create(
      {
        assetIds: [asset.id],
        threatId: threats.items[0]!.id,
        vulnerabilityId: vulns.items[0]!.id,
        tasks: [{ title: 'Roll out phishing-resistant MFA', ownerPersonId: owner.id, dueDate: '2027-03-31' }],
        reviewDate: '2027-06-30',
      },
      officer,
    );
    expect(r).toMatchObject({ version: 1, assetIds: [asset.id], treatment: 'mitigate' });
    expect(r.tasks[0]).toMatchObject({ title: 'Roll out phishing-resistant MFA', done: false });

    const up = await as(officer)('PATCH', `/api/v1/risks/${r.id}`, {
      version: 1,
      residual: { likelihood: 2, impact: 2 },
      tasks: [{ ...r.tasks[0]!, done: true }],
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json<RiskDto>()).toMatchObject({ version: 2, residual: { level: 'medium', rank: 2 } });
    expect(up.json<RiskDto>().tasks[0]).toMatchObject({ id: r.tasks[0]!.id, done: true });
    expect((await as(officer)('PATCH', `/api/v1/risks/${r.id}`, { version: 1, title: 'x' })).statusCode).toBe(
      409,
    );
    const outside = await as(officer)('PATCH', `/api/v1/risks/${r.id}`, {
      version: 2,
      residual: { likelihood: 0, impact: 9 },
    });
    expect(outside.statusCode).toBe(422);
    expect(paths(outside)).toEqual(['residual.likelihood', 'residual.impact']);

    // Another company's officer does not see the risk at all.
    expect((await as(payOfficer)('GET', `/api/v1/risks/${r.id}`)).statusCode).toBe(404);
    expect(
      (await as(payOfficer)('PATCH', `/api/v1/risks/${r.id}`, { version: 2, title: 'x' })).statusCode,
    ).toBe(404);
    expect((await as(payOfficer)('POST', '/api/v1/risks', riskBody())).statusCode).toBe(404);
    const list = (await as(payOfficer)('GET', '/api/v1/risks')).json<{ items: RiskDto[] }>();
    expect(list.items).toEqual([]);

    // Filters and keyset pages.
    const mine = (await api('GET', `/api/v1/risks?companyId=${card.id}&level=medium`)).json<{
      items: RiskDto[];
    }>();
    expect(mine.items.map((x) => x.id)).toEqual([r.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: RiskDto[]; nextCursor: string | null } = (
        await api('GET', `/api/v1/risks?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      ).json<{
        items: RiskDto[];
        nextCursor: string | null;
      }>();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await api('GET', '/api/v1/risks?limit=200')).json<{ items: RiskDto[] }>();
    expect(seen).toEqual(all.items.map((x) => x.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('requires a sign-off by the owner or a CISO above the threshold, and lists expired acceptances and overdue reviews', async () => {
    const high = await create({ residual: { likelihood: 3, impact: 2 } });
    expect(high).toMatchObject({ residual: { level: 'high' }, aboveThreshold: true });
    // Treatment "accept" above the threshold without a sign-off is refused.
    const noSignOff = await api(
      'POST',
      '/api/v1/risks',
      riskBody({ residual: { likelihood: 3, impact: 2 }, treatment: 'accept' }),
    );
    expect(noSignOff.statusCode).toBe(422);
    expect(paths(noSignOff)).toEqual(['treatment']);
    expect(
      (await api('PATCH', `/api/v1/risks/${high.id}`, { version: high.version, treatment: 'accept' }))
        .statusCode,
    ).toBe(422);

    // A security officer who is not the owner may not sign off a high residual risk.
    const byOfficer = await as(officer)('POST', `/api/v1/risks/${high.id}/acceptance`, {
      version: high.version,
      expiresOn: '2099-01-01',
    });
    expect(byOfficer.statusCode).toBe(403);
    expect(
      (
        await as(ciso)('POST', `/api/v1/risks/${high.id}/acceptance`, {
          version: high.version,
          expiresOn: '2000-01-01',
        })
      ).statusCode,
    ).toBe(422);
    const signed = await as(ciso)('POST', `/api/v1/risks/${high.id}/acceptance`, {
      version: high.version,
      expiresOn: '2099-01-01',
      note: 'Accepted until the new platform ships',
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const s = signed.json<RiskDto>();
    expect(s.acceptance).toMatchObject({
      expiresOn: '2099-01-01',
      note: 'Accepted until the new platform ships',
    });
    const accepted = await api('PATCH', `/api/v1/risks/${high.id}`, {
      version: s.version,
      treatment: 'accept',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);

    // The risk owner's own user may sign off (service level: the factory makes users without a person).
    const other = await create({ residual: { likelihood: 3, impact: 3 } });
    const ownerActor = {
      kind: 'user' as const,
      userId: null,
      label: 'owner@example.com',
      personId: owner.id,
      grants: [{ role: 'security_officer' as const, companyId: card.id }],
      tokenScopes: null,
    };
    const byOwner = await env.ctx.services.risks.acceptRisk(ownerActor, other.id, {
      version: other.version,
      expiresOn: '2099-01-01',
      note: null,
    });
    expect(byOwner.acceptance?.acceptedBy).toBe('owner@example.com');
    await expect(
      env.ctx.services.risks.acceptRisk({ ...ownerActor, personId: null }, other.id, {
        version: byOwner.version,
        expiresOn: '2099-01-01',
        note: null,
      }),
    ).rejects.toMatchObject({ status: 403 });

    // Expiry and overdue reviews: read with a clock in the future.
    const later = await create({ reviewDate: '2030-01-01' });
    const { createRisksService } = await import('../../src/modules/risks/index.ts');
    const s2 = env.ctx.services;
    const future = createRisksService({
      db: env.ctx.db,
      org: s2.org,
      assets: s2.assets,
      compliance: s2.compliance,
      now: () => new Date('2100-01-01T00:00:00Z'),
    });
    const due: DueRisks = await future.due(factoryActor, card.id);
    expect(due.expiredAcceptances.map((r) => r.id).sort()).toEqual([high.id, other.id].sort());
    expect(due.overdueReviews.map((r) => r.id)).toContain(later.id);
    const nowDue = (await api('GET', `/api/v1/risks/due?companyId=${card.id}`)).json<DueRisks>();
    expect(nowDue.expiredAcceptances).toEqual([]);
    expect(nowDue.overdueReviews.map((r) => r.id)).not.toContain(later.id);
    expect((await as(payOfficer)('GET', `/api/v1/risks/due?companyId=${card.id}`)).statusCode).toBe(404);
  });

  it('counts risks per cell, inherent and residual side by side, for a company and the group', async () => {
    await env.ctx.services.risks.setMethod(factoryActor, pay.id, { ...standardMethod(), version: 0 });
    const before = (await api('GET', `/api/v1/risks/heatmap?companyId=${pay.id}`)).json<Heatmap>();
    expect(before.total).toBe(0);
    expect(before.cells).toHaveLength(9);
    for (const residual of [
      { likelihood: 1, impact: 1 },
      { likelihood: 1, impact: 1 },
      { likelihood: 2, impact: 3 },
    ])
      await create({ companyId: pay.id, ownerPersonId: payOwner.id, residual }, admin);
    const map = (await as(payOfficer)('GET', `/api/v1/risks/heatmap?companyId=${pay.id}`)).json<Heatmap>();
    expect(map).toMatchObject({ companyId: pay.id, methodVersion: 1, total: 3 });
    const cell = (l: number, i: number) => map.cells.find((c) => c.likelihood === l && c.impact === i)!;
    expect(cell(3, 3)).toEqual({ likelihood: 3, impact: 3, level: 'high', inherent: 3, residual: 0 });
    expect(cell(1, 1)).toEqual({ likelihood: 1, impact: 1, level: 'low', inherent: 0, residual: 2 });
    expect(cell(2, 3)).toMatchObject({ level: 'high', inherent: 0, residual: 1 });
    expect(map.byRank).toEqual([
      { rank: 1, inherent: 0, residual: 2 },
      { rank: 3, inherent: 3, residual: 1 },
    ]);
    // The group view adds every company's risks by level rank; a company officer sees only theirs.
    const group = (await api('GET', '/api/v1/risks/heatmap')).json<Heatmap>();
    expect(group).toMatchObject({ companyId: null, methodVersion: null, cells: [] });
    expect(group.total).toBeGreaterThan(3);
    const payOnly = (await as(payOfficer)('GET', '/api/v1/risks/heatmap')).json<Heatmap>();
    expect(payOnly.total).toBe(3);
    expect((await as(payOfficer)('GET', `/api/v1/risks/heatmap?companyId=${card.id}`)).statusCode).toBe(404);
  });

  it('lets only group-wide writers edit the catalogue', async () => {
    const body = { kind: 'threat', code: 'T-99', name: 'Drone surveillance' };
    expect((await as(officer)('POST', '/api/v1/risk-catalogue', body)).statusCode).toBe(403);
    const created = await api('POST', '/api/v1/risk-catalogue', body);
    expect(created.statusCode, created.body).toBe(201);
    expect((await api('POST', '/api/v1/risk-catalogue', body)).statusCode).toBe(409);
    const item = created.json<CatalogueItemDto>();
    const up = await api('PATCH', `/api/v1/risk-catalogue/${item.id}`, { version: 1, name: 'Drone spying' });
    expect(up.json<CatalogueItemDto>()).toMatchObject({ version: 2, name: 'Drone spying' });
    expect(
      (await api('PATCH', `/api/v1/risk-catalogue/${item.id}`, { version: 1, name: 'x' })).statusCode,
    ).toBe(409);
  });
});
