// Control catalogs over HTTP and the CLI on a real database: built-ins, OSCAL import/export, hostile files.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { tinyCatalog } from '../support/route-cases.ts';
import { conformanceFile, hasConformance } from '../support/conformance.ts';
import type { FrameworkDto, RequirementDto } from '../../src/modules/frameworks/index.ts';

const SP80053 = conformanceFile('oscal', 'NIST_SP-800-53_rev5_catalog.json');

describe.each(dialectsUnderTest())('frameworks on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  const api = (method: string, url: string, payload?: string, contentType = 'application/json') =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: { ...admin.headers, 'content-type': contentType },
      ...(payload !== undefined ? { payload } : {}),
    });
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(env.ctx.db.kysely))
        .rows[0]!.n,
    );

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
  });
  afterAll(() => env?.close());

  it('ships ISO/IEC 27001:2022, PCI DSS v4.0 and NIST CSF 2.0 with their structure', async () => {
    const { items } = (await api('GET', '/api/v1/frameworks')).json<{ items: FrameworkDto[] }>();
    const byRef = new Map(items.map((f) => [f.ref, f]));
    expect([...byRef.keys()]).toEqual(
      expect.arrayContaining(['iso27001-2022', 'nist-csf-2.0', 'pci-dss-4.0']),
    );
    const iso = (await api('GET', `/api/v1/frameworks/${byRef.get('iso27001-2022')!.id}/requirements`)).json<{
      items: RequirementDto[];
    }>().items;
    const themes = iso.filter((r) => r.kind === 'theme');
    expect(
      themes.map((t) => [t.ref, iso.filter((c) => c.parentId === t.id && c.kind === 'control').length]),
    ).toEqual([
      ['A.5', 37],
      ['A.6', 8],
      ['A.7', 14],
      ['A.8', 34],
    ]);
    expect(iso.filter((r) => r.kind === 'control')).toHaveLength(93);
    const clauses = iso.filter((r) => r.depth === 1 && r.kind === 'clause').map((r) => r.ref);
    expect(clauses).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    const csf = (await api('GET', `/api/v1/frameworks/${byRef.get('nist-csf-2.0')!.id}/requirements`)).json<{
      items: RequirementDto[];
    }>().items;
    expect([
      csf.filter((r) => r.kind === 'function').length,
      csf.filter((r) => r.kind === 'category').length,
      csf.filter((r) => r.kind === 'subcategory').length,
    ]).toEqual([6, 22, 106]);
    expect(byRef.get('nist-csf-2.0')!.requirements).toBe(106);
    const pci = (await api('GET', `/api/v1/frameworks/${byRef.get('pci-dss-4.0')!.id}/requirements`)).json<{
      items: RequirementDto[];
    }>().items;
    expect(pci.filter((r) => r.kind === 'goal')).toHaveLength(6);
    expect(pci.filter((r) => r.kind === 'requirement').map((r) => r.ref)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);
    expect(pci.find((r) => r.ref === '8.4.2')).toMatchObject({
      kind: 'numbered-requirement',
      assessable: true,
    });
  });

  it.runIf(hasConformance)(
    'imports SP 800-53 rev5 completely and exports it back to the same OSCAL document',
    async () => {
      const text = fs.readFileSync(SP80053, 'utf8');
      const res = await api('POST', '/api/v1/frameworks/import?ref=nist-sp-800-53-rev5', text);
      expect(res.statusCode).toBe(201);
      const f = res.json<FrameworkDto>();
      expect(f).toMatchObject({
        ref: 'nist-sp-800-53-rev5',
        edition: '5.0.1',
        requirements: 1189,
        source: 'oscal',
      });
      const reqs = (await api('GET', `/api/v1/frameworks/${f.id}/requirements`)).json<{
        items: RequirementDto[];
      }>().items;
      expect(reqs.filter((r) => r.kind === 'group')).toHaveLength(20);
      const ac = reqs.find((r) => r.ref === 'ac')!;
      expect(reqs.find((r) => r.ref === 'ac-2')!.parentId).toBe(ac.id);
      expect(reqs.filter((r) => r.withdrawn)).toHaveLength(182);
      const exported = await api('GET', `/api/v1/frameworks/${f.id}/oscal`);
      expect(exported.json()).toEqual(JSON.parse(text));
      expect((await api('POST', '/api/v1/frameworks/import?ref=nist-sp-800-53-rev5', text)).statusCode).toBe(
        409,
      );
    },
  );

  it('refuses hostile or wrong files with where they are wrong, and stores nothing', async () => {
    const before = [await count('frameworks'), await count('requirements')];
    const bad = async (payload: string, pattern: RegExp, status = 422) => {
      const res = await api('POST', '/api/v1/frameworks/import', payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json<{ detail: string }>().detail).toMatch(pattern);
    };
    await bad('this is not json', /not JSON/);
    await bad('{"profile": {"uuid": "x"}}', /OSCAL "profile", not a catalog/);
    await bad('['.repeat(5_000_000), /nests deeper than 64/);
    const dup = JSON.parse(tinyCatalog());
    dup.catalog.groups[0].controls[1].id = 'c-1';
    await bad(JSON.stringify(dup), /groups\[0\]\.controls\[1\]: duplicated id "c-1"/);
    const wrong = JSON.parse(tinyCatalog());
    delete wrong.catalog.groups[0].controls[0].title;
    await bad(JSON.stringify(wrong), /\$\.catalog\.groups\[0\]\.controls\[0\]\.title/);
    const huge = await api('POST', '/api/v1/frameworks/import', ' '.repeat(51 * 1024 * 1024));
    expect(huge.statusCode).toBe(413);
    expect([await count('frameworks'), await count('requirements')]).toEqual(before);
  });

  it('lets only group administrators and CISOs import', async () => {
    const officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: null }]);
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/frameworks/import',
      headers: { ...officer.headers, 'content-type': 'application/json' },
      payload: tinyCatalog(),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe.runIf(hasConformance)('mamori frameworks CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-fw-'));
  const run = (args: string[]) =>
    spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/mamori.js'), ...args], {
      env: { ...process.env, MAMORI_DATA_DIR: dir, MAMORI_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });

  it('lists, imports with progress, and exports as OSCAL (the contract scripts depend on)', () => {
    const imported = run(['frameworks', 'import', SP80053, '--ref', 'nist-sp-800-53-rev5']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/1209\/1209 requirements/);
    const list = run(['frameworks', 'list', '--json']);
    expect(list.status).toBe(0);
    const items = JSON.parse(list.stdout) as {
      ref: string;
      name: string;
      version: string;
      requirements: number;
    }[];
    for (const f of items) expect(Object.keys(f).sort()).toEqual(['name', 'ref', 'requirements', 'version']);
    expect(items.find((f) => f.ref === 'nist-sp-800-53-rev5')).toMatchObject({
      version: '5.0.1',
      requirements: 1189,
    });
    expect(items.find((f) => f.ref === 'iso27001-2022')).toMatchObject({ requirements: 123 });
    const exported = run(['frameworks', 'export', 'nist-sp-800-53-rev5', '--format', 'oscal']);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(JSON.parse(fs.readFileSync(SP80053, 'utf8')));
    const iso = JSON.parse(run(['frameworks', 'export', 'iso27001-2022', '--format', 'oscal']).stdout);
    expect(iso.catalog.metadata).toMatchObject({ title: 'ISO/IEC 27001:2022', version: '2022' });
    const bad = run(['frameworks', 'import', conformanceFile('oscal', 'README.md')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not JSON/);
    expect(run(['frameworks', 'export', 'nope']).status).toBe(1);
    expect(run(['frameworks', 'frobnicate']).status).toBe(2);
  });
});

describe.each(dialectsUnderTest())('requirement mappings on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  const api = (method: string, url: string, payload?: object | string, contentType?: string) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: { ...admin.headers, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload !== undefined ? { payload } : {}),
    });
  const requirementId = async (frameworkRef: string, ref: string) => {
    const { items } = (await api('GET', '/api/v1/frameworks')).json<{ items: FrameworkDto[] }>();
    const f = items.find((x) => x.ref === frameworkRef)!;
    return (await api('GET', `/api/v1/frameworks/${f.id}/requirements`))
      .json<{ items: RequirementDto[] }>()
      .items.find((r) => r.ref === ref)!.id;
  };

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
  });
  afterAll(() => env?.close());

  it('maps requirements across frameworks, lists them on both sides, and edits them with versions', async () => {
    const a85 = await requirementId('iso27001-2022', 'A.8.5');
    const p842 = await requirementId('pci-dss-4.0', '8.4.2');
    const created = await api('POST', '/api/v1/requirement-mappings', {
      sourceRequirementId: a85,
      targetRequirementId: p842,
      relation: 'intersects',
      note: 'MFA',
    });
    expect(created.statusCode).toBe(201);
    const m = created.json<{
      id: string;
      version: number;
      source: { ref: string };
      target: { frameworkRef: string; ref: string };
    }>();
    expect(m.target).toMatchObject({ frameworkRef: 'pci-dss-4.0', ref: '8.4.2' });
    expect(
      (
        await api('POST', '/api/v1/requirement-mappings', {
          sourceRequirementId: p842,
          targetRequirementId: a85,
          relation: 'equivalent',
        })
      ).statusCode,
    ).toBe(409);
    const a86 = await requirementId('iso27001-2022', 'A.8.6');
    expect(
      (
        await api('POST', '/api/v1/requirement-mappings', {
          sourceRequirementId: a85,
          targetRequirementId: a86,
          relation: 'equivalent',
        })
      ).statusCode,
    ).toBe(422);
    const fromPci = (await api('GET', `/api/v1/requirements/${p842}/mappings`)).json<{
      items: { source: { ref: string } }[];
    }>().items;
    expect(fromPci.map((x) => x.source.ref)).toEqual(['A.8.5']);
    expect(
      (
        await api('PATCH', `/api/v1/requirement-mappings/${m.id}`, { version: m.version, relation: 'subset' })
      ).json(),
    ).toMatchObject({ relation: 'subset', version: 2 });
    expect(
      (await api('PATCH', `/api/v1/requirement-mappings/${m.id}`, { version: 1, relation: 'equivalent' }))
        .statusCode,
    ).toBe(409);
  });

  it('imports mappings from CSV after a dry run that names every bad line, and exports them', async () => {
    const csv = [
      'source_framework,source_ref,target_framework,target_ref,relation,note',
      'iso27001-2022,A.5.1,pci-dss-4.0,12.1.1,equivalent,Policy',
      'iso27001-2022,A.8.8,nist-csf-2.0,ID.RA-01,intersects,',
      'iso27001-2022,A.99.1,pci-dss-4.0,1.1.1,equivalent,',
      'iso27001-2022,A.5.1,nope,1,equivalent,',
      'iso27001-2022,A.5.2,pci-dss-4.0,12.1.3,overlaps,',
    ].join('\n');
    const dry = (await api('POST', '/api/v1/requirement-mappings/import?commit=true', csv, 'text/csv')).json<{
      committed: boolean;
      errors: { line: number; message: string; issues: { path: string; code: string }[] }[];
    }>();
    expect(dry.committed).toBe(false);
    expect(dry.errors.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(dry.errors[0]!.message).toMatch(/requirement "A.99.1" is not in iso27001-2022/);
    expect(dry.errors[1]!.message).toMatch(/framework "nope"/);
    expect(dry.errors[2]!.message).toMatch(/relation "overlaps"/);
    // Each with the column at fault and a code for the screens.
    expect(dry.errors.map((e) => e.issues.map((i) => `${i.path}:${i.code}`))).toEqual([
      ['source_ref:not_found'],
      ['target_framework:not_found'],
      ['relation:invalid_option'],
    ]);
    const good = csv.split('\n').slice(0, 3).join('\n');
    const done = (
      await api('POST', '/api/v1/requirement-mappings/import?commit=true', good, 'text/csv')
    ).json();
    expect(done).toMatchObject({ committed: true, created: 2, errors: [] });
    expect(
      (await api('POST', '/api/v1/requirement-mappings/import?commit=false', good, 'text/csv')).json(),
    ).toMatchObject({ created: 0, unchanged: 2 });
    const out = await api('GET', '/api/v1/requirement-mappings/export.csv?framework=nist-csf-2.0');
    expect(out.body).toContain('iso27001-2022,A.8.8,nist-csf-2.0,ID.RA-01,intersects,');
    expect(out.body).not.toContain('12.1.1');
  });
});
