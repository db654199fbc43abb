// Companies, departments and people over HTTP on a real database: versions, rules, import and export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import type {
  CompanyDto,
  DepartmentDto,
  PeopleImportReport,
  PersonDto,
} from '../../src/modules/org/index.ts';

const HEADER =
  'company_code,employee_number,name,email,personnel_category,department_code,manager_employee_number,active';

describe.each(dialectsUnderTest())('org on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  let holding: CompanyDto;
  let sub: CompanyDto;

  const api = (method: string, url: string, payload?: object | string, contentType?: string) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: { ...admin.headers, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload !== undefined ? { payload } : {}),
    });
  const audit = async (entityId: string) =>
    (await api('GET', `/api/v1/audit?entityId=${entityId}`)).json<{
      items: {
        action: string;
        before: Record<string, unknown> | null;
        after: Record<string, unknown> | null;
      }[];
    }>().items;
  const importCsv = async (csv: string | Buffer, commit: boolean) =>
    api('POST', `/api/v1/people/import?commit=${commit}`, csv as string, 'text/csv');

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    holding = (
      await api('POST', '/api/v1/companies', { legalName: 'Holding KK', shortCode: 'HOLD', country: 'JP' })
    ).json();
    sub = (
      await api('POST', '/api/v1/companies', {
        legalName: 'Sub GmbH',
        shortCode: 'SUB',
        country: 'DE',
        parentId: holding.id,
      })
    ).json();
  });
  afterAll(() => env?.close());

  it('creates and updates companies with versions, and answers 409 to a stale update', async () => {
    expect(sub).toMatchObject({ parentId: holding.id, version: 1, status: 'active' });
    const dup = await api('POST', '/api/v1/companies', {
      legalName: 'Other',
      shortCode: 'SUB',
      country: 'JP',
    });
    expect(dup.statusCode).toBe(409);
    // The field whose value is taken, for the form to show under it.
    expect(dup.json()).toMatchObject({
      code: 'conflict',
      errors: [{ path: 'shortCode', code: 'taken', params: { value: 'SUB' } }],
    });
    const r1 = await api('PATCH', `/api/v1/companies/${sub.id}`, {
      version: 1,
      legalName: 'Sub Deutschland GmbH',
    });
    expect(r1.json()).toMatchObject({ version: 2, legalName: 'Sub Deutschland GmbH' });
    const stale = await api('PATCH', `/api/v1/companies/${sub.id}`, { version: 1, legalName: 'Lost update' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'stale_version' });
    expect((await api('GET', `/api/v1/companies/${sub.id}`)).json()).toMatchObject({
      legalName: 'Sub Deutschland GmbH',
      version: 2,
    });
    const cycle = await api('PATCH', `/api/v1/companies/${holding.id}`, { version: 1, parentId: sub.id });
    expect(cycle.statusCode).toBe(422);
    const entries = await audit(sub.id);
    expect(entries.map((e) => e.action)).toEqual(['company.update', 'company.create']);
    expect(entries[0]!.before).toMatchObject({ legalName: 'Sub GmbH', version: 1 });
    expect(entries[0]!.after).toMatchObject({ legalName: 'Sub Deutschland GmbH', version: 2 });
  });

  it('keeps departments as a tree per company without cycles, and deletes only empty ones', async () => {
    const root = (
      await api('POST', `/api/v1/companies/${holding.id}/departments`, { name: 'Management', code: 'MGT' })
    ).json<DepartmentDto>();
    const child = (
      await api('POST', `/api/v1/companies/${holding.id}/departments`, {
        name: 'Security',
        code: 'SEC',
        parentId: root.id,
      })
    ).json<DepartmentDto>();
    expect(child.parentId).toBe(root.id);
    expect(
      (await api('POST', `/api/v1/companies/${holding.id}/departments`, { name: 'Again', code: 'MGT' }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await api('POST', `/api/v1/companies/${sub.id}/departments`, {
          name: 'Cross',
          code: 'X',
          parentId: root.id,
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (await api('PATCH', `/api/v1/departments/${root.id}`, { version: 1, parentId: child.id })).statusCode,
    ).toBe(422);
    const busy = await api('DELETE', `/api/v1/departments/${root.id}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'conflict', reason: 'department_not_empty' });
    const list = (await api('GET', `/api/v1/companies/${holding.id}/departments`)).json<{
      items: DepartmentDto[];
    }>();
    expect(list.items.map((d) => d.code).sort()).toEqual(['MGT', 'SEC']);
    expect((await api('DELETE', `/api/v1/departments/${child.id}`)).statusCode).toBe(204);
  });

  it('manages people and the CISO of a company', async () => {
    const p = await api('POST', '/api/v1/people', {
      companyId: holding.id,
      employeeNumber: 'H-1',
      name: 'Sato Haruto',
      email: 'Sato@Example.com',
      personnelCategory: 'director_officer',
    });
    expect(p.statusCode).toBe(201);
    const person = p.json<PersonDto>();
    expect(person.email).toBe('sato@example.com');
    expect(
      (
        await api('POST', '/api/v1/people', {
          companyId: holding.id,
          employeeNumber: 'H-1',
          name: 'Dup',
          personnelCategory: 'regular_employee',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await api('POST', '/api/v1/people', {
          companyId: holding.id,
          employeeNumber: 'H-2',
          name: 'X',
          personnelCategory: 'regular_employee',
          managerId: person.id,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await api('PATCH', `/api/v1/people/${person.id}`, { version: 1, managerId: person.id })).statusCode,
    ).toBe(422);
    const ciso = await api('PUT', `/api/v1/companies/${holding.id}/ciso`, {
      version: (await api('GET', `/api/v1/companies/${holding.id}`)).json<CompanyDto>().version,
      personId: person.id,
    });
    expect(ciso.statusCode).toBe(200);
    expect(ciso.json()).toMatchObject({ cisoPersonId: person.id, cisoName: 'Sato Haruto' });
    const off = await api('PATCH', `/api/v1/people/${person.id}`, { version: 1, active: false });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    const search = (await api('GET', '/api/v1/people?q=sato&active=false')).json<{ items: PersonDto[] }>();
    expect(search.items.map((x) => x.id)).toEqual([person.id]);
  });

  it('pages people with a keyset cursor, without gaps or repeats', async () => {
    const co = (
      await api('POST', '/api/v1/companies', { legalName: 'Paging Co', shortCode: 'PAGE', country: 'JP' })
    ).json<CompanyDto>();
    const names = ['Aoki', 'Aoki', 'Baba', 'Chiba', 'Doi', 'Endo', 'Fujii'];
    for (const [i, name] of names.entries()) {
      await api('POST', '/api/v1/people', {
        companyId: co.id,
        employeeNumber: `P${i}`,
        name,
        personnelCategory: 'part_time_employee',
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: PersonDto[]; nextCursor: string | null } = (
        await api('GET', `/api/v1/people?companyId=${co.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((p) => p.employeeNumber));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('dry-runs an HR CSV, reporting every bad row, and then commits all rows or none', async () => {
    await api('POST', `/api/v1/companies/${sub.id}/departments`, { name: 'IT', code: 'IT' });
    const good = [
      HEADER,
      'SUB,S-1,Lena Schmidt,lena@example.com,regular_employee,IT,,true',
      'SUB,S-2,Jonas Müller,,派遣社員,IT,S-1,true',
      'SUB,S-3,Camille Martin,,outsourced_worker,,S-2,true',
    ].join('\n');
    const bad = `${good}\nSUB,S-4,No Dept,,regular_employee,NOPE,,true\nNOPE,N-1,No Company,,regular_employee,,,true\nSUB,S-5,Bad Manager,,regular_employee,,S-99,true\nSUB,,,,,,,`;
    const before = Number(
      (await sql<{ n: number }>`select count(*) as n from people`.execute(env.ctx.db.kysely)).rows[0]!.n,
    );

    const dry = (await importCsv(bad, false)).json<PeopleImportReport>();
    expect(dry).toMatchObject({ committed: false, rows: 7, created: 3, errorsTruncated: false });
    expect(dry.errors.map((e) => e.line)).toEqual([5, 6, 7, 8]);
    expect(dry.errors[0]!.message).toMatch(/department_code "NOPE"/);
    expect(dry.errors[1]!.message).toMatch(/company_code "NOPE"/);
    expect(dry.errors[2]!.message).toMatch(/manager_employee_number "S-99"/);
    const refused = (await importCsv(bad, true)).json<PeopleImportReport>();
    expect(refused.committed).toBe(false);
    expect(
      Number(
        (await sql<{ n: number }>`select count(*) as n from people`.execute(env.ctx.db.kysely)).rows[0]!.n,
      ),
    ).toBe(before);

    const ok = (await importCsv(good, true)).json<PeopleImportReport>();
    expect(ok).toMatchObject({ committed: true, created: 3, updated: 0, errors: [] });
    const people = (await api('GET', `/api/v1/people?companyId=${sub.id}`)).json<{ items: PersonDto[] }>()
      .items;
    const byNumber = new Map(people.map((p) => [p.employeeNumber, p]));
    expect(byNumber.get('S-2')).toMatchObject({
      personnelCategory: 'temporary_staff',
      managerId: byNumber.get('S-1')!.id,
    });
    expect(byNumber.get('S-3')!.managerId).toBe(byNumber.get('S-2')!.id);

    const again = (
      await importCsv(good.replace('Lena Schmidt', 'Lena Schmidt-Weber'), true)
    ).json<PeopleImportReport>();
    expect(again).toMatchObject({ committed: true, created: 0, updated: 1, unchanged: 2 });
    const trail = await audit(byNumber.get('S-1')!.id);
    expect(trail[0]).toMatchObject({
      action: 'person.update',
      before: { name: 'Lena Schmidt' },
      after: { name: 'Lena Schmidt-Weber' },
    });
  });

  it('reads Shift_JIS exports and exports CSV that imports back unchanged', async () => {
    const sjis = Buffer.concat([
      Buffer.from(`${HEADER}\r\nSUB,S-9,`),
      Buffer.from([0x8e, 0x52, 0x93, 0x63, 0x91, 0xbe, 0x98, 0x59]), // 山田太郎
      Buffer.from(',,'),
      Buffer.from([0x90, 0xb3, 0x8e, 0xd0, 0x88, 0xf5]), // 正社員
      Buffer.from(',,,true\r\n'),
    ]);
    const r = (await importCsv(sjis, true)).json<PeopleImportReport>();
    expect(r).toMatchObject({ committed: true, created: 1, errors: [] });
    const yamada = (await api('GET', '/api/v1/people?q=S-9')).json<{ items: PersonDto[] }>().items[0]!;
    expect(yamada).toMatchObject({ name: '山田太郎', personnelCategory: 'regular_employee' });

    const exported = await api('GET', `/api/v1/people/export.csv?companyId=${sub.id}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/text\/csv/);
    expect(exported.body.charCodeAt(0)).toBe(0xfeff);
    expect(exported.body).toContain('SUB,S-2,Jonas Müller,,temporary_staff,IT,S-1,true');
    const back = (await importCsv(exported.body, false)).json<PeopleImportReport>();
    expect(back).toMatchObject({ created: 0, updated: 0, unchanged: 4, errors: [] });
  });

  it('refuses a CSV with the wrong columns and changes nothing', async () => {
    const r = (await importCsv('id,full_name\n1,x', true)).json<PeopleImportReport>();
    expect(r.committed).toBe(false);
    expect(r.errors[0]).toMatchObject({ line: 1 });
    expect((await api('POST', '/api/v1/people/import?commit=true', { not: 'csv' })).statusCode).toBe(400);
  });

  it('imports into the companies of the importer only', async () => {
    const officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: sub.id }]);
    const csv = `${HEADER}\nHOLD,H-77,Outside,,regular_employee,,,true\nSUB,S-77,Inside,,regular_employee,,,true`;
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/people/import?commit=false',
      headers: { ...officer.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    const r = res.json<PeopleImportReport>();
    expect(r.errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(/company_code "HOLD" is not a company you can import people into/),
        issues: [expect.objectContaining({ path: 'company_code', code: 'not_permitted' })],
      },
    ]);
    expect(r.created).toBe(1);
  });
});
