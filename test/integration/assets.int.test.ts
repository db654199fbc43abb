// The information-asset inventory over HTTP on a real database: versions, scope, relations and the graph,
// classification scales, CSV import (dry run, all-or-nothing, encodings) and export, bulk edit, filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, departmentFactory, personFactory } from '../factories/org.factory.ts';
import type { CompanyDto, DepartmentDto, PersonDto } from '../../src/modules/org/index.ts';
import type {
  AssetDto,
  AssetGraph,
  AssetImportReport,
  AssetScaleDto,
  AssetSummary,
  RelationDto,
} from '../../src/modules/assets/index.ts';

const HEADER =
  'company_code,asset_code,name,asset_type,description,department_code,owner_employee_number,custodian_employee_number,location,lifecycle,confidentiality,integrity,availability,personal_data,personal_data_categories,personal_record_count,pci_scope,specified_user_info';

type Page = { items: AssetDto[]; nextCursor: string | null };

describe.each(dialectsUnderTest())('assets on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  let card: CompanyDto;
  let pay: CompanyDto;
  let dept: DepartmentDto;
  let owner: PersonDto;
  let custodian: PersonDto;
  let payOwner: PersonDto;

  const as =
    (user: TestUser) =>
    (method: string, url: string, payload?: object | string | Buffer, contentType?: string) =>
      env.app.inject({
        method: method as 'GET',
        url,
        headers: { ...user.headers, ...(contentType ? { 'content-type': contentType } : {}) },
        ...(payload !== undefined ? { payload } : {}),
      });
  const api = (method: string, url: string, payload?: object | string | Buffer, contentType?: string) =>
    as(admin)(method, url, payload, contentType);
  const importCsv = async (csv: string | Buffer, commit: boolean) =>
    (await api('POST', `/api/v1/assets/import?commit=${commit}`, csv, 'text/csv')).json<AssetImportReport>();
  const countAssets = async () =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from assets`.execute(env.ctx.db.kysely)).rows[0]!.n,
    );
  const audit = async (entityId: string) =>
    (await api('GET', `/api/v1/audit?entityId=${entityId}`)).json<{
      items: {
        action: string;
        before: Record<string, unknown> | null;
        after: Record<string, unknown> | null;
      }[];
    }>().items;
  const create = async (over: Record<string, unknown> = {}) => {
    const res = await api('POST', '/api/v1/assets', {
      companyId: card.id,
      name: 'Card member database',
      assetType: 'information',
      ownerPersonId: owner.id,
      confidentiality: 3,
      integrity: 2,
      availability: 2,
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<AssetDto>();
  };

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    card = await companyFactory(env.ctx)({ shortCode: 'KCARD', legalName: 'Kumo Card' });
    pay = await companyFactory(env.ctx)({ shortCode: 'KPAY', legalName: 'Kumo Payment' });
    dept = await departmentFactory(env.ctx)(card.id, { code: 'APP', name: 'Application Development' });
    owner = await personFactory(env.ctx)(card.id, { employeeNumber: 'C-1', name: 'Sato Haruto' });
    custodian = await personFactory(env.ctx)(card.id, { employeeNumber: 'C-2', name: 'Suzuki Yui' });
    payOwner = await personFactory(env.ctx)(pay.id, { employeeNumber: 'P-1', name: 'Tanaka Ren' });
  });
  afterAll(() => env?.close());

  it('creates assets with generated or given codes, updates them by version and answers 409 to a stale update', async () => {
    const a = await create({
      departmentId: dept.id,
      custodianPersonId: custodian.id,
      description: 'Members',
    });
    expect(a).toMatchObject({
      code: 'KCARD-A-0001',
      version: 1,
      lifecycle: 'in_use',
      ownerName: 'Sato Haruto',
      custodianName: 'Suzuki Yui',
      departmentName: 'Application Development',
      personalData: false,
      personalDataCategories: [],
    });
    expect((await create()).code).toBe('KCARD-A-0002');
    const given = await create({ code: 'KCARD-A-0003', name: 'Given code' });
    expect(given.code).toBe('KCARD-A-0003');
    // The counter skips a code someone took by hand.
    expect((await create()).code).toBe('KCARD-A-0004');
    const dup = await api('POST', '/api/v1/assets', {
      companyId: card.id,
      code: 'KCARD-A-0001',
      name: 'Dup',
      assetType: 'software',
      ownerPersonId: owner.id,
      confidentiality: 1,
      integrity: 1,
      availability: 1,
    });
    expect(dup.statusCode).toBe(409);

    const r1 = await api('PATCH', `/api/v1/assets/${a.id}`, {
      version: 1,
      name: 'Card member DB',
      personalData: true,
      personalDataCategories: ['payment_card', 'contact'],
      personalRecordCount: 1200000,
      pciScope: true,
    });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({
      version: 2,
      name: 'Card member DB',
      personalDataCategories: ['contact', 'payment_card'],
      personalRecordCount: 1200000,
      pciScope: true,
    });
    const stale = await api('PATCH', `/api/v1/assets/${a.id}`, { version: 1, name: 'Lost update' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'stale_version' });
    expect((await api('GET', `/api/v1/assets/${a.id}`)).json()).toMatchObject({
      name: 'Card member DB',
      version: 2,
    });

    const trail = await audit(a.id);
    expect(trail.map((e) => e.action)).toEqual(['asset.update', 'asset.create']);
    expect(trail[0]!.before).toMatchObject({ name: 'Card member database', version: 1, pciScope: false });
    expect(trail[0]!.after).toMatchObject({ name: 'Card member DB', version: 2, pciScope: true });
    expect(trail[0]!.after).not.toHaveProperty('ownerName');
  });

  it('refuses owners, departments and levels that do not fit the company, and the personal-data rules', async () => {
    const bad = await api('POST', '/api/v1/assets', {
      companyId: card.id,
      name: 'Wrong refs',
      assetType: 'personal_information',
      ownerPersonId: payOwner.id,
      custodianPersonId: payOwner.id,
      departmentId: (await departmentFactory(env.ctx)(pay.id)).id,
      confidentiality: 4,
      integrity: 1,
      availability: 1,
      personalRecordCount: 10,
    });
    expect(bad.statusCode).toBe(422);
    const paths = bad.json<{ errors: { path: string; message: string }[] }>().errors.map((e) => e.path);
    expect(paths.sort()).toEqual(
      [
        'confidentiality',
        'custodianPersonId',
        'departmentId',
        'ownerPersonId',
        'personalData',
        'personalRecordCount',
      ].sort(),
    );
    // A department that assets refer to cannot be deleted under them.
    const inUse = await departmentFactory(env.ctx)(card.id);
    await create({ name: 'In a department', departmentId: inUse.id });
    const del = await api('DELETE', `/api/v1/departments/${inUse.id}`);
    expect(del.statusCode, del.body).toBe(409);
    expect(del.json<{ detail: string }>().detail).toMatch(/information assets/);

    const a = await create({ name: 'Scale test' });
    const patch = await api('PATCH', `/api/v1/assets/${a.id}`, { version: 1, availability: 4 });
    expect(patch.statusCode).toBe(422);
    expect(patch.json<{ errors: { message: string }[] }>().errors[0]!.message).toBe(
      '4 is outside the scale 1-3 of KCARD',
    );
  });

  it('keeps a classification scale per company, and refuses to lower it under classified assets', async () => {
    const scale = (await api('GET', `/api/v1/companies/${pay.id}/asset-scale`)).json<AssetScaleDto>();
    expect(scale).toMatchObject({ levels: 3, version: 0, updatedAt: null });
    const set = await api('PUT', `/api/v1/companies/${pay.id}/asset-scale`, { version: 0, levels: 4 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ levels: 4, version: 1 });
    expect(
      (await api('PUT', `/api/v1/companies/${pay.id}/asset-scale`, { version: 0, levels: 3 })).statusCode,
    ).toBe(409);
    const high = await api('POST', '/api/v1/assets', {
      companyId: pay.id,
      name: 'Settlement ledger',
      assetType: 'information',
      ownerPersonId: payOwner.id,
      confidentiality: 4,
      integrity: 4,
      availability: 3,
    });
    expect(high.statusCode, high.body).toBe(201);
    expect(high.json<AssetDto>().code).toBe('KPAY-A-0001');
    const lower = await api('PUT', `/api/v1/companies/${pay.id}/asset-scale`, { version: 1, levels: 3 });
    expect(lower.statusCode).toBe(409);
    expect(lower.json<{ detail: string }>().detail).toMatch(/1 asset\(s\) of KPAY are classified above 3/);
    expect((await api('GET', `/api/v1/companies/${card.id}/asset-scale`)).json()).toMatchObject({
      levels: 3,
    });
  });

  it('hides assets of other companies (404) and refuses writes without the right (403)', async () => {
    const officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: pay.id }]);
    const champion = await userFactory(env.ctx)([{ role: 'security_champion', companyId: card.id }]);
    const mine = await create({ name: 'Scope test' });
    const officerApi = as(officer);
    expect((await officerApi('GET', `/api/v1/assets/${mine.id}`)).statusCode).toBe(404);
    expect(
      (await officerApi('PATCH', `/api/v1/assets/${mine.id}`, { version: 1, name: 'x' })).statusCode,
    ).toBe(404);
    expect((await officerApi('DELETE', `/api/v1/assets/${mine.id}`)).statusCode).toBe(404);
    expect((await officerApi('GET', `/api/v1/assets/${mine.id}/graph`)).statusCode).toBe(404);
    expect(
      (
        await officerApi('POST', '/api/v1/assets/bulk-update', {
          items: [{ id: mine.id, version: 1 }],
          set: { confidentiality: 1 },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await officerApi('POST', '/api/v1/assets', {
          companyId: card.id,
          name: 'x',
          assetType: 'site',
          ownerPersonId: owner.id,
          confidentiality: 1,
          integrity: 1,
          availability: 1,
        })
      ).statusCode,
    ).toBe(404);
    const listed = (await officerApi('GET', '/api/v1/assets?limit=200')).json<Page>();
    expect(listed.items.length).toBeGreaterThan(0);
    expect(new Set(listed.items.map((x) => x.companyId))).toEqual(new Set([pay.id]));
    const exported = (await officerApi('GET', '/api/v1/assets/export.csv')).body;
    expect(exported).toContain('KPAY-A-0001');
    expect(exported).not.toContain('KCARD-');

    const championApi = as(champion);
    expect((await championApi('GET', `/api/v1/assets/${mine.id}`)).json()).toMatchObject({
      ownerName: 'Sato Haruto',
    });
    expect(
      (await championApi('PATCH', `/api/v1/assets/${mine.id}`, { version: 1, name: 'x' })).statusCode,
    ).toBe(403);

    const token = await userFactory(env.ctx)([{ role: 'group_ciso', companyId: null }], {
      scopes: ['assets:read'],
    });
    expect((await as(token)('GET', '/api/v1/assets')).statusCode).toBe(200);
    expect(
      (await as(token)('PATCH', `/api/v1/assets/${mine.id}`, { version: 1, name: 'x' })).statusCode,
    ).toBe(403);
  });

  it('relates assets of one company and returns the graph around one asset, N hops either way', async () => {
    const app = await create({ name: 'Card app', assetType: 'software' });
    const server = await create({ name: 'App server', assetType: 'hardware' });
    const data = await create({ name: 'Card data', assetType: 'information' });
    const dc = await create({ name: 'Data centre', assetType: 'site' });
    const vendor = await create({ name: 'Hosting vendor', assetType: 'supplier' });
    const relate = async (from: AssetDto, kind: string, to: AssetDto) => {
      const res = await api('POST', `/api/v1/assets/${from.id}/relations`, { kind, toAssetId: to.id });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<RelationDto>();
    };
    await relate(app, 'runs_on', server);
    await relate(app, 'stores', data);
    const onDc = await relate(server, 'depends_on', dc);
    await relate(dc, 'supplied_by', vendor);

    expect(
      (await api('POST', `/api/v1/assets/${app.id}/relations`, { kind: 'runs_on', toAssetId: server.id }))
        .statusCode,
    ).toBe(409);
    expect(
      (await api('POST', `/api/v1/assets/${app.id}/relations`, { kind: 'runs_on', toAssetId: app.id }))
        .statusCode,
    ).toBe(422);
    const other = (
      await api('POST', '/api/v1/assets', {
        companyId: pay.id,
        name: 'Other company',
        assetType: 'site',
        ownerPersonId: payOwner.id,
        confidentiality: 1,
        integrity: 1,
        availability: 1,
      })
    ).json<AssetDto>();
    expect(
      (await api('POST', `/api/v1/assets/${app.id}/relations`, { kind: 'runs_on', toAssetId: other.id }))
        .statusCode,
    ).toBe(422);

    const g2 = (await api('GET', `/api/v1/assets/${app.id}/graph`)).json<AssetGraph>();
    expect(g2).toMatchObject({ rootId: app.id, depth: 2, truncated: false });
    expect(Object.fromEntries(g2.nodes.map((n) => [n.name, n.distance]))).toEqual({
      'Card app': 0,
      'App server': 1,
      'Card data': 1,
      'Data centre': 2,
    });
    expect(g2.edges).toHaveLength(3);
    const g3 = (await api('GET', `/api/v1/assets/${app.id}/graph?depth=3`)).json<AssetGraph>();
    expect(g3.nodes.map((n) => n.name)).toContain('Hosting vendor');
    expect(g3.edges).toHaveLength(4);
    // From the far end, the same graph is reached through incoming relations.
    const fromVendor = (await api('GET', `/api/v1/assets/${vendor.id}/graph?depth=4`)).json<AssetGraph>();
    expect(fromVendor.nodes).toHaveLength(5);
    expect((await api('GET', `/api/v1/assets/${app.id}/graph?depth=9`)).statusCode).toBe(400);

    expect((await api('DELETE', `/api/v1/assets/${app.id}/relations/${onDc.id}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/api/v1/assets/${dc.id}/relations/${onDc.id}`)).statusCode).toBe(204);
    expect(
      (await api('GET', `/api/v1/assets/${app.id}/graph?depth=4`)).json<AssetGraph>().nodes,
    ).toHaveLength(3);

    // Deleting an asset takes its relations with it.
    expect((await api('DELETE', `/api/v1/assets/${server.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/v1/assets/${server.id}`)).statusCode).toBe(404);
    expect((await api('GET', `/api/v1/assets/${app.id}/graph`)).json<AssetGraph>().edges).toHaveLength(1);
    expect((await audit(server.id)).map((e) => e.action)).toEqual(['asset.delete', 'asset.create']);
  });

  it('dry-runs an inventory CSV reporting every bad row, then commits all rows or none', async () => {
    const good = [
      HEADER,
      'KCARD,KCARD-M-1,Member master,personal_information,Members,APP,C-1,C-2,Tokyo DC,in_use,3,3,2,,contact;payment_card,500000,true,false',
      'KCARD,,Batch server,hardware,,,C-1,,,planned,2,3,2,false,,,false,false',
      'KPAY,KPAY-M-1,Settlement files,information,,,P-1,,,,4,3,3,false,,,true,true',
    ].join('\n');
    const bad = [
      good,
      'KCARD,KCARD-M-2,Bad type,spaceship,,,C-1,,,,1,1,1,,,,,',
      'KCARD,KCARD-M-3,Above scale,software,,,C-1,,,,4,1,1,,,,,',
      'KCARD,KCARD-M-4,Unknown owner,software,,,C-404,,,,1,1,1,,,,,',
      'NOPE,NOPE-1,Unknown company,software,,,C-1,,,,1,1,1,,,,,',
      'KCARD,KCARD-M-5,Unknown department,software,,NOPE,C-1,,,,1,1,1,,,,,',
    ].join('\n');
    const before = await countAssets();
    const dry = await importCsv(bad, false);
    expect(dry).toMatchObject({ committed: false, rows: 8, created: 3, updated: 0, errorsTruncated: false });
    expect(dry.errors.map((e) => e.line)).toEqual([5, 6, 7, 8, 9]);
    expect(dry.errors[0]!.message).toMatch(/asset_type "spaceship"/);
    expect(dry.errors[1]!.message).toBe('confidentiality 4 is outside the scale 1-3 of KCARD');
    expect(dry.errors[2]!.message).toBe('owner_employee_number "C-404" is not a person of KCARD');
    expect(dry.errors[3]!.message).toMatch(/company_code "NOPE" is not a company you can import assets into/);
    expect(dry.errors[4]!.message).toMatch(/department_code "NOPE" does not exist in KCARD/);

    const refused = await importCsv(bad, true);
    expect(refused.committed).toBe(false);
    expect(await countAssets()).toBe(before);

    const ok = await importCsv(good, true);
    expect(ok).toMatchObject({ committed: true, rows: 3, created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(await countAssets()).toBe(before + 3);
    const master = (await api('GET', '/api/v1/assets?q=KCARD-M-1')).json<Page>().items[0]!;
    expect(master).toMatchObject({
      assetType: 'personal_information',
      personalData: true,
      personalDataCategories: ['contact', 'payment_card'],
      personalRecordCount: 500000,
      departmentName: 'Application Development',
      custodianName: 'Suzuki Yui',
      pciScope: true,
    });
    const batch = (await api('GET', '/api/v1/assets?q=Batch%20server')).json<Page>().items[0]!;
    expect(batch.code).toMatch(/^KCARD-A-\d{4}$/);

    // Again with one change: one update (audited with before and after), the rest unchanged.
    const again = await importCsv(
      good
        .replace('Member master', 'Member master file')
        .replace(',,Batch server', `,${batch.code},Batch server`),
      true,
    );
    expect(again).toMatchObject({ committed: true, created: 0, updated: 1, unchanged: 2 });
    const trail = await audit(master.id);
    expect(trail[0]).toMatchObject({
      action: 'asset.update',
      before: { name: 'Member master' },
      after: { name: 'Member master file', version: 2 },
    });
    // A file without the optional columns keeps the asset's values on them.
    const narrow = await importCsv(
      'company_code,asset_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability\nKCARD,KCARD-M-1,Member master file,personal_information,C-1,3,3,3\n',
      true,
    );
    expect(narrow).toMatchObject({ committed: true, updated: 1 });
    expect((await api('GET', `/api/v1/assets/${master.id}`)).json()).toMatchObject({
      availability: 3,
      description: 'Members',
      location: 'Tokyo DC',
      pciScope: true,
      personalRecordCount: 500000,
    });
  });

  it('imports a file of many batches with an audit entry per asset, and the audit chain verifies', async () => {
    const lines = [
      'company_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability',
    ];
    for (let i = 0; i < 1300; i++) lines.push(`KPAY,Terminal ${i},hardware,P-1,1,2,3`);
    const before = await countAssets();
    const r = await importCsv(lines.join('\n'), true);
    expect(r).toMatchObject({ committed: true, created: 1300, errors: [] });
    expect(await countAssets()).toBe(before + 1300);
    const codes = (await api('GET', `/api/v1/assets?companyId=${pay.id}&q=Terminal&limit=200`)).json<Page>();
    expect(codes.items[0]!.code).toMatch(/^KPAY-A-\d{4}$/);
    const created = Number(
      (
        await sql<{
          n: number;
        }>`select count(*) as n from audit_entries where action = 'asset.create' and company_id = ${pay.id}`.execute(
          env.ctx.db.kysely,
        )
      ).rows[0]!.n,
    );
    expect(created).toBeGreaterThanOrEqual(1300);
    const verify = (await api('GET', '/api/v1/audit/verify')).json<{ ok: boolean }>();
    expect(verify.ok).toBe(true);
  });

  it('refuses a file with the wrong columns, and reads Shift_JIS and UTF-8 with a BOM', async () => {
    const wrong = await importCsv('id,title\n1,x\n', true);
    expect(wrong.committed).toBe(false);
    expect(wrong.errors).toEqual([
      {
        line: 1,
        message: expect.stringMatching(/missing column\(s\): company_code, name/),
        issues: [
          expect.objectContaining({ path: 'header', code: 'missing_columns' }),
          expect.objectContaining({
            path: 'header',
            code: 'unknown_columns',
            params: { columns: 'id, title' },
          }),
        ],
      },
    ]);
    expect((await api('POST', '/api/v1/assets/import?commit=true', { not: 'csv' })).statusCode).toBe(400);

    const sjis = Buffer.concat([
      Buffer.from(
        'company_code,asset_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability\r\nKCARD,KCARD-J-1,',
      ),
      Buffer.from([0x8c, 0xda, 0x8b, 0x71, 0x91, 0xe4, 0x92, 0xa0]), // 顧客台帳
      Buffer.from(','),
      Buffer.from([0x8c, 0xc2, 0x90, 0x6c, 0x8f, 0xee, 0x95, 0xf1]), // 個人情報
      Buffer.from(',C-1,3,2,1\r\n'),
    ]);
    const r = await importCsv(sjis, true);
    expect(r).toMatchObject({ committed: true, created: 1, errors: [] });
    expect((await api('GET', '/api/v1/assets?q=KCARD-J-1')).json<Page>().items[0]).toMatchObject({
      name: '顧客台帳',
      assetType: 'personal_information',
      personalData: true,
    });
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        'company_code,asset_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability\nKCARD,KCARD-B-1,社内ネットワーク,ネットワーク,C-1,2,2,3\n',
      ),
    ]);
    const rb = await importCsv(bom, true);
    expect(rb).toMatchObject({ committed: true, created: 1, errors: [] });
    expect((await api('GET', '/api/v1/assets?q=KCARD-B-1')).json<Page>().items[0]).toMatchObject({
      name: '社内ネットワーク',
      assetType: 'network',
    });
  });

  it('exports CSV that imports back unchanged', async () => {
    const exported = await api('GET', '/api/v1/assets/export.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/text\/csv/);
    expect(exported.body.charCodeAt(0)).toBe(0xfeff);
    expect(exported.body.split('\r\n')[0]!.replace('\ufeff', '')).toBe(HEADER);
    expect(exported.body).toContain(
      'KCARD,KCARD-M-1,Member master file,personal_information,Members,APP,C-1,C-2,Tokyo DC,in_use,3,3,3,true,contact;payment_card,500000,true,false',
    );
    const total = await countAssets();
    const back = await importCsv(exported.body, false);
    expect(back).toMatchObject({ rows: total, created: 0, updated: 0, unchanged: total, errors: [] });
    const filtered = await api('GET', '/api/v1/assets/export.csv?companyId=' + pay.id + '&pciScope=true');
    expect(filtered.body.trim().split('\r\n')).toHaveLength(2);
  });

  it('bulk-edits owner and classification of a selection in one transaction, one audit entry per changed asset', async () => {
    const picked = [
      await create({ name: 'Bulk 1' }),
      await create({ name: 'Bulk 2' }),
      await create({ name: 'Bulk 3', confidentiality: 1 }),
    ];
    // Bulk 3 already has the new owner and level: it stays as it is.
    const third = (
      await api('PATCH', `/api/v1/assets/${picked[2]!.id}`, { version: 1, ownerPersonId: custodian.id })
    ).json<AssetDto>();
    const items = [
      { id: picked[0]!.id, version: 1 },
      { id: picked[1]!.id, version: 1 },
      { id: third.id, version: third.version },
    ];
    const wrongOwner = await api('POST', '/api/v1/assets/bulk-update', {
      items,
      set: { ownerPersonId: payOwner.id },
    });
    expect(wrongOwner.statusCode).toBe(422);
    const tooHigh = await api('POST', '/api/v1/assets/bulk-update', { items, set: { integrity: 4 } });
    expect(tooHigh.statusCode).toBe(422);
    const stale = await api('POST', '/api/v1/assets/bulk-update', {
      items: [...items.slice(0, 2), { id: third.id, version: 1 }],
      set: { confidentiality: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect((await api('GET', `/api/v1/assets/${picked[0]!.id}`)).json()).toMatchObject({
      version: 1,
      confidentiality: 3,
    });

    const res = await api('POST', '/api/v1/assets/bulk-update', {
      items,
      set: { ownerPersonId: custodian.id, confidentiality: 1 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ updated: 2, unchanged: 1 });
    for (const a of picked.slice(0, 2)) {
      expect((await api('GET', `/api/v1/assets/${a.id}`)).json()).toMatchObject({
        version: 2,
        confidentiality: 1,
        ownerName: 'Suzuki Yui',
      });
      const trail = await audit(a.id);
      expect(trail).toHaveLength(2);
      expect(trail[0]).toMatchObject({
        action: 'asset.update',
        before: { confidentiality: 3, ownerPersonId: owner.id },
        after: { confidentiality: 1, ownerPersonId: custodian.id, version: 2 },
      });
    }
    expect(await audit(third.id)).toHaveLength(2);
  });

  it('filters by every field, pages with a keyset cursor and summarises C x I', async () => {
    const co = await companyFactory(env.ctx)({ shortCode: 'KFLT' });
    const p = await personFactory(env.ctx)(co.id, { employeeNumber: 'F-1' });
    const rows = [HEADER];
    for (let i = 0; i < 12; i++)
      rows.push(
        [
          'KFLT',
          `F-${String(i).padStart(2, '0')}`,
          i % 2 ? `Server ${i}` : `Mail 50%_${i}`,
          i % 3 === 0 ? 'software' : 'hardware',
          '',
          '',
          'F-1',
          i === 5 ? 'F-1' : '',
          i < 4 ? 'Osaka' : 'Tokyo',
          i === 11 ? 'retired' : 'in_use',
          String((i % 3) + 1),
          String((i % 2) + 1),
          '2',
          i === 7 ? 'true' : 'false',
          i === 7 ? 'government_id' : '',
          '',
          i % 4 === 0 ? 'true' : 'false',
          i === 2 ? 'true' : 'false',
        ].join(','),
      );
    expect(await importCsv(rows.join('\n'), true)).toMatchObject({ committed: true, created: 12 });
    const ids = async (query: string) =>
      (await api('GET', `/api/v1/assets?companyId=${co.id}&limit=200&${query}`))
        .json<Page>()
        .items.map((a) => a.code);
    expect(await ids('assetType=software')).toEqual(['F-00', 'F-03', 'F-06', 'F-09']);
    expect(await ids('confidentiality=1&integrity=2')).toEqual(['F-03', 'F-09']);
    expect(await ids('pciScope=true')).toEqual(['F-00', 'F-04', 'F-08']);
    expect(await ids('specifiedUserInfo=true')).toEqual(['F-02']);
    expect(await ids('personalData=true&personalDataCategory=government_id')).toEqual(['F-07']);
    expect(await ids(`custodianPersonId=${p.id}`)).toEqual(['F-05']);
    expect(await ids(`ownerPersonId=${p.id}&lifecycle=retired`)).toEqual(['F-11']);
    expect(await ids('location=osaka')).toEqual(['F-00', 'F-01', 'F-02', 'F-03']);
    // LIKE wildcards in a search are plain characters.
    expect(await ids(`q=${encodeURIComponent('50%_')}`)).toEqual([
      'F-00',
      'F-02',
      'F-04',
      'F-06',
      'F-08',
      'F-10',
    ]);
    expect(await ids('q=50x')).toEqual([]);
    expect(await ids('assetType=hardware&q=server')).toEqual(['F-01', 'F-05', 'F-07', 'F-11']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await api('GET', `/api/v1/assets?companyId=${co.id}&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((a) => a.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(12);

    const summary = (await api('GET', `/api/v1/assets/summary?companyId=${co.id}`)).json<AssetSummary>();
    expect(summary).toMatchObject({ total: 12, personalData: 1, pciScope: 3, specifiedUserInfo: 1 });
    expect(summary.matrix.reduce((n, c) => n + c.count, 0)).toBe(12);
    expect(summary.matrix.find((c) => c.confidentiality === 1 && c.integrity === 1)).toEqual({
      confidentiality: 1,
      integrity: 1,
      count: 2,
    });
    expect(summary.byType).toEqual(
      expect.arrayContaining([
        { assetType: 'software', count: 4 },
        { assetType: 'hardware', count: 8 },
      ]),
    );
    expect(
      (await api('GET', `/api/v1/assets/summary?companyId=${co.id}&assetType=software`)).json(),
    ).toMatchObject({
      total: 4,
    });
    expect((await api('GET', '/api/v1/assets?confidentiality=9')).statusCode).toBe(400);
  });
});
