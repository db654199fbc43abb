// The register's views over HTTP on a real database: filters (text, asset, heat-map cell, source), risks raised
// from other modules without duplicates, top risks, the daily trend with carried days, and the treatment plan.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, factoryActor, personFactory } from '../factories/org.factory.ts';
import { assetFactory } from '../factories/asset.factory.ts';
import { standardMethod } from '../factories/risk.factory.ts';
import type { CompanyDto, PersonDto } from '../../src/modules/org/index.ts';
import type { RiskDto, Trend } from '../../src/modules/risks/index.ts';

type Page = { items: RiskDto[]; nextCursor: string | null };

describe.each(dialectsUnderTest())('risk views on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  let officer: TestUser;
  let shop: CompanyDto;
  let bank: CompanyDto;
  let owner: PersonDto;
  let bankOwner: PersonDto;

  const as = (user: TestUser) => (method: string, url: string, payload?: object) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: user.headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  const api = (method: string, url: string, payload?: object) => as(admin)(method, url, payload);
  const create = async (over: Record<string, unknown>) => {
    const res = await api('POST', '/api/v1/risks', {
      companyId: shop.id,
      title: 'Untitled risk',
      ownerPersonId: owner.id,
      inherent: { likelihood: 2, impact: 2 },
      residual: { likelihood: 1, impact: 1 },
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<RiskDto>();
  };
  const titles = async (query: string) =>
    (await api('GET', `/api/v1/risks?companyId=${shop.id}&${query}`))
      .json<Page>()
      .items.map((r) => r.title)
      .sort();

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    shop = await companyFactory(env.ctx)({ shortCode: 'VSHOP', legalName: 'Kumo Shop' });
    bank = await companyFactory(env.ctx)({ shortCode: 'VBANK', legalName: 'Kumo Bank' });
    owner = await personFactory(env.ctx)(shop.id, { employeeNumber: 'S-1', name: '佐藤 陽翔' });
    bankOwner = await personFactory(env.ctx)(bank.id, { employeeNumber: 'B-1', name: 'Ito Mei' });
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: shop.id }]);
    for (const c of [shop, bank])
      await env.ctx.services.risks.setMethod(factoryActor, c.id, { ...standardMethod(), version: 0 });
  });
  afterAll(() => env?.close());

  it('filters the register by text, asset, heat-map cell and source', async () => {
    const db = await assetFactory(env.ctx)(shop.id, owner.id, { name: 'Order database' });
    const web = await assetFactory(env.ctx)(shop.id, owner.id, { name: 'Storefront' });
    await create({
      title: 'SQL injection on the storefront',
      assetIds: [web.id, db.id],
      residual: { likelihood: 2, impact: 3 },
    });
    await create({
      title: 'Ransomware on the order database',
      scenario: 'Backups are online',
      assetIds: [db.id],
    });
    await create({
      title: 'Weak DMARC on shop.example',
      source: { kind: 'email-domain', ref: 'shop.example', label: 'shop.example' },
      residual: { likelihood: 2, impact: 3 },
    });

    expect(await titles('q=ORDER')).toEqual(['Ransomware on the order database']);
    expect(await titles('q=backups')).toEqual(['Ransomware on the order database']);
    expect(await titles(`assetId=${db.id}`)).toEqual([
      'Ransomware on the order database',
      'SQL injection on the storefront',
    ]);
    expect(await titles(`assetId=${web.id}`)).toEqual(['SQL injection on the storefront']);
    expect(await titles('residualLikelihood=2&residualImpact=3')).toEqual([
      'SQL injection on the storefront',
      'Weak DMARC on shop.example',
    ]);
    expect(await titles('inherentLikelihood=2&inherentImpact=2&residualLikelihood=1')).toEqual([
      'Ransomware on the order database',
    ]);
    expect(await titles('residualRank=1')).toEqual(['Ransomware on the order database']);
    expect(await titles('inherentRank=2&residualRank=3')).toEqual([
      'SQL injection on the storefront',
      'Weak DMARC on shop.example',
    ]);
    expect(await titles('sourceKind=email-domain&sourceRef=shop.example')).toEqual([
      'Weak DMARC on shop.example',
    ]);
    const bad = await api('GET', '/api/v1/risks?residualImpact=high');
    expect(bad.statusCode).toBe(400);
    const dmarc = (await api('GET', `/api/v1/risks?sourceKind=email-domain`)).json<Page>().items[0]!;
    expect(dmarc.source).toEqual({ kind: 'email-domain', ref: 'shop.example', label: 'shop.example' });
  });

  it('raises a risk for another module once per source and records it in the audit trail', async () => {
    const input = {
      companyId: bank.id,
      title: 'DKIM key removed on bank.example',
      scenario: 'Mail from bank.example can no longer be authenticated by DKIM.',
      assetIds: [],
      threatId: null,
      vulnerabilityId: null,
      ownerPersonId: bankOwner.id,
      inherent: { likelihood: 3, impact: 3 },
      residual: { likelihood: 3, impact: 2 },
      controlIds: [],
      treatment: 'mitigate' as const,
      tasks: [],
      reviewDate: null,
      source: { kind: 'email-domain' as const, ref: 'bank.example', label: 'bank.example' },
    };
    const first = await env.ctx.services.risks.raiseRisk(factoryActor, input);
    const again = await env.ctx.services.risks.raiseRisk(factoryActor, { ...input, title: 'Other title' });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, risk: { id: first.risk.id, title: first.risk.title } });
    const audit = await api('GET', `/api/v1/audit?entityType=risk&entityId=${first.risk.id}`);
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json<{ items: { action: string }[] }>().items.map((e) => e.action)).toEqual(['risk.create']);
    // Outside the actor's companies nothing is raised.
    const shopOfficer = {
      kind: 'user' as const,
      userId: officer.id,
      label: officer.email,
      personId: null,
      grants: [{ role: 'security_officer' as const, companyId: shop.id }],
      tokenScopes: null,
    };
    await expect(
      env.ctx.services.risks.raiseRisk(shopOfficer, {
        ...input,
        source: { ...input.source, ref: 'x.example' },
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('ranks the top risks by residual then inherent level, per company and for the group', async () => {
    const top = (await api('GET', `/api/v1/risks/top?companyId=${shop.id}&limit=2`)).json<Page>().items;
    expect(top.map((r) => [r.residual.rank, r.inherent.rank])).toEqual([
      [3, 2],
      [3, 2],
    ]);
    const group = (await api('GET', '/api/v1/risks/top?limit=50')).json<Page>().items;
    const ranks = group.map((r) => r.residual.rank * 100 + r.inherent.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(group.map((r) => r.companyId))).toEqual(new Set([shop.id, bank.id]));
    const mine = (await as(officer)('GET', '/api/v1/risks/top')).json<Page>().items;
    expect(mine.every((r) => r.companyId === shop.id)).toBe(true);
    expect((await as(officer)('GET', `/api/v1/risks/top?companyId=${bank.id}`)).statusCode).toBe(404);
    expect((await api('GET', '/api/v1/risks/top?limit=51')).statusCode).toBe(400);
  });

  it('draws the trend from daily snapshots, carrying a company’s last snapshot over days without one', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    // An earlier state of the bank's register, as the snapshot of a day ten days ago recorded it.
    await env.ctx.db.kysely
      .insertInto('risk_snapshots')
      .values({
        company_id: bank.id,
        taken_on: daysAgo(10),
        total: 5,
        above_threshold: 4,
        accepted: 1,
        overdue_reviews: 2,
        by_rank: JSON.stringify([{ rank: 3, inherent: 5, residual: 4 }]),
      })
      .execute();
    const res = await api('GET', `/api/v1/risks/trend?companyId=${bank.id}&days=14`);
    expect(res.statusCode, res.body).toBe(200);
    const trend = res.json<Trend>();
    expect(trend.points).toHaveLength(14);
    expect(trend.points[0]!.date).toBe(daysAgo(13));
    expect(trend.points.at(-1)!.date).toBe(today);
    const at = (d: string) => trend.points.find((p) => p.date === d)!;
    expect(at(daysAgo(11))).toMatchObject({ total: 0, byRank: [] });
    expect(at(daysAgo(10))).toMatchObject({ total: 5, aboveThreshold: 4, accepted: 1, overdueReviews: 2 });
    expect(at(daysAgo(3))).toMatchObject({ total: 5, aboveThreshold: 4 });
    // Today: the one raised risk (inherent and residual high), taken when the risk was raised.
    expect(at(today)).toMatchObject({
      total: 1,
      aboveThreshold: 1,
      byRank: [{ rank: 3, inherent: 1, residual: 1 }],
    });
    // The group sums the companies the caller sees.
    const group = (await api('GET', '/api/v1/risks/trend?days=7')).json<Trend>();
    expect(group.points.at(-1)!.total).toBe(4);
    const shopOnly = (await as(officer)('GET', '/api/v1/risks/trend?days=7')).json<Trend>();
    expect(shopOnly.points.at(-1)!.total).toBe(3);
    expect((await api('GET', '/api/v1/risks/trend?days=3')).statusCode).toBe(400);
  });

  it('exports the treatment plan as XLSX and PDF, highest residual level first', async () => {
    const risk = (await api('GET', `/api/v1/risks?companyId=${shop.id}&q=ransomware`)).json<Page>().items[0]!;
    const up = await api('PATCH', `/api/v1/risks/${risk.id}`, {
      version: risk.version,
      tasks: [
        { title: 'Move backups offline', ownerPersonId: owner.id, dueDate: '2020-01-31' },
        { title: 'Test a restore', dueDate: '2099-01-31', done: true },
      ],
    });
    expect(up.statusCode, up.body).toBe(200);
    const xlsx = await api('GET', `/api/v1/companies/${shop.id}/risks/treatment-plan.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="risk-treatment-plan-VSHOP.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toBe('Risk treatment plan — Kumo Shop');
    expect(String(ws.getCell('A2').value)).toMatch(
      /^3 risks, 2 above the acceptance threshold \(medium, method version 1\); 1 open tasks\./,
    );
    const rows = [4, 5, 6].map((n) => ws.getRow(n).values as unknown[]);
    expect(rows.map((r) => String(r[4]))).toEqual(['high (L2 x I3)', 'high (L2 x I3)', 'low (L1 x I1)']);
    const ransom = rows[2]!;
    expect(ransom[1]).toBe('Ransomware on the order database');
    expect(ransom[2]).toBe('佐藤 陽翔');
    expect(String(ransom[8])).toBe(
      '[OVERDUE] Move backups offline — 佐藤 陽翔 — 2020-01-31\n[done] Test a restore — 2099-01-31',
    );
    const pdf = await api('GET', `/api/v1/companies/${shop.id}/risks/treatment-plan.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      (await as(officer)('GET', `/api/v1/companies/${bank.id}/risks/treatment-plan.pdf`)).statusCode,
    ).toBe(404);
  });
});
