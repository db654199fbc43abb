// `mamori assets import` as an operator runs it: real processes, real files in a temp dir, a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../src/app/context.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { systemActor } from '../../src/platform/authz/permissions.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'mamori.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-assets-cli-'));
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-assets-csv-'));
const env = { MAMORI_DATA_DIR: dataDir };

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, MAMORI_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(files, name);
  fs.writeFileSync(p, content);
  return p;
}

/** The assets of KCARD whose code or name matches `q`, read through the service. */
async function kcardAssets(q: string) {
  const ctx = await createContext(loadConfig({ ...env, MAMORI_LOG_LEVEL: 'silent' }));
  try {
    const actor = systemActor('test');
    const kcard = (await ctx.services.org.listCompanies(actor, { q: 'KCARD', limit: 10 })).items.find(
      (c) => c.shortCode === 'KCARD',
    )!;
    const page = await ctx.services.assets.listAssets(actor, { companyId: kcard.id, q, limit: 200 });
    return { kcardId: kcard.id, items: page.items };
  } finally {
    await ctx.close();
  }
}

// The demo group: KCARD has departments APP, INF, … and people KCARD-0001 …; KPAY is another company.
const HEADER =
  'asset_code,name,asset_type,department_code,owner_employee_number,confidentiality,integrity,availability';

describe('mamori assets import', () => {
  beforeAll(() => {
    const r = run(['demo']);
    expect(r.code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('dry-runs a file, listing every bad row with its line and reason, and exits 1', async () => {
    const bad = file(
      'bad.csv',
      [
        'company_code,asset_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability',
        'KCARD,CLI-B-1,Good row,software,KCARD-0001,1,1,1',
        'KCARD,CLI-B-2,Bad type,spaceship,KCARD-0001,1,1,1',
        'KPAY,CLI-B-3,Other company,software,KPAY-0001,1,1,1',
        'KCARD,CLI-B-4,Unknown owner,software,NOBODY,1,1,9',
        'KCARD,CLI-B-1,Repeated code,software,KCARD-0001,1,1,1',
      ].join('\n'),
    );
    const dry = run(['assets', 'import', bad, '--company', 'KCARD', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/^5 rows: 1 to create, 0 to update, 0 unchanged, 4 with errors/);
    const lines = dry.stderr.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      expect.stringMatching(/^line 3: asset_type "spaceship" is not one of/),
      'line 4: company_code "KPAY" is not KCARD, the company this import is for',
      expect.stringMatching(
        /^line 5: availability 9 is outside the scale 1-4 of KCARD; owner_employee_number "NOBODY" is not a person of KCARD$/,
      ),
      'line 6: asset CLI-B-1 of KCARD already appears on line 2',
    ]);
    expect(lines[4]).toMatch(/Fix the rows above/);

    // Without --dry-run nothing is stored either.
    const refused = run(['assets', 'import', bad, '--company', 'KCARD']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Nothing was imported/);
    expect((await kcardAssets('CLI-B-')).items).toEqual([]);
  });

  it('imports a file without a company column, prints the count, and an unchanged file again', async () => {
    const good = file(
      'good.csv',
      `\ufeff${HEADER}\nCLI-G-1,Card vault,hardware,INF,KCARD-0001,3,3,3\n,Spare terminal,hardware,,KCARD-0002,1,1,1\n`,
    );
    const dry = run(['assets', 'import', good, '--company', 'KCARD', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/2 rows: 2 to create, 0 to update, 0 unchanged, 0 with errors\nDry run only/);
    expect((await kcardAssets('CLI-G-1')).items).toEqual([]);

    const done = run(['assets', 'import', good, '--company', 'KCARD']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /2 rows: 2 created, 0 updated, 0 unchanged, 0 with errors\nImported 2 assets into KCARD\./,
    );
    const { kcardId, items } = await kcardAssets('Spare terminal');
    expect(items).toHaveLength(1);
    expect(items[0]!.code).toMatch(/^KCARD-A-\d{4}$/);
    expect((await kcardAssets('CLI-G-1')).items[0]).toMatchObject({
      name: 'Card vault',
      departmentName: expect.any(String),
    });

    // The company by id, and the same file again: the coded row is unchanged, the uncoded one a new asset.
    const again = run(['assets', 'import', good, '--company', kcardId, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      file: good,
      company: kcardId,
      dryRun: false,
      committed: true,
      rows: 2,
      created: 1,
      updated: 0,
      unchanged: 1,
      errors: [],
      errorsTruncated: false,
    });

    const verify = run(['audit', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit trail intact/);
  });

  it('gives rows without a code the next free codes, skipping the codes the file gives further down', async () => {
    const spares = (await kcardAssets('Spare terminal')).items.map((a) => Number(a.code.slice(-4)));
    const next = Math.max(...spares) + 1;
    const code = (n: number) => `KCARD-A-${String(n).padStart(4, '0')}`;
    const f = file(
      'gaps.csv',
      `${HEADER}\n,Gap filler,hardware,,KCARD-0001,1,1,1\n${code(next)},Explicit,hardware,,KCARD-0001,1,1,1\n`,
    );
    const r = run(['assets', 'import', f, '--company', 'KCARD']);
    expect(r.code).toBe(0);
    expect((await kcardAssets('Explicit')).items.map((a) => a.code)).toEqual([code(next)]);
    expect((await kcardAssets('Gap filler')).items.map((a) => a.code)).toEqual([code(next + 1)]);
  });

  it('reads a Shift_JIS file', async () => {
    const sjis = file(
      'sjis.csv',
      Buffer.concat([
        Buffer.from(`${HEADER}\r\nCLI-J-1,`),
        Buffer.from([0x8c, 0xda, 0x8b, 0x71, 0x91, 0xe4, 0x92, 0xa0]), // 顧客台帳
        Buffer.from(','),
        Buffer.from([0x8c, 0xc2, 0x90, 0x6c, 0x8f, 0xee, 0x95, 0xf1]), // 個人情報
        Buffer.from(',APP,KCARD-0003,3,2,1\r\n'),
      ]),
    );
    const r = run(['assets', 'import', sjis, '--company', 'KCARD']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await kcardAssets('CLI-J-1')).items[0]).toMatchObject({
      name: '顧客台帳',
      assetType: 'personal_information',
      personalData: true,
      confidentiality: 3,
    });
  });

  it('refuses a file with the wrong columns, as one error on line 1 (also with --json)', () => {
    const wrong = file('wrong.csv', 'id,title,colour\n1,Laptop,red\n');
    const r = run(['assets', 'import', wrong, '--company', 'KCARD']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^line 1: Header: missing column\(s\): name, asset_type, owner_employee_number/);
    expect(r.stderr).toMatch(/unknown column\(s\): id, title, colour/);
    const json = run(['assets', 'import', wrong, '--company', 'KCARD', '--dry-run', '--json']);
    expect(json.code).toBe(1);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      dryRun: true,
      committed: false,
      errors: [{ line: 1, message: expect.stringMatching(/^Header: missing column/) }],
    });
  });

  it('answers bad arguments with a clear message and a non-zero exit', () => {
    const good = path.join(files, 'good.csv');
    const noCompany = run(['assets', 'import', good]);
    expect(noCompany.code).toBe(2);
    expect(noCompany.stderr).toMatch(/^mamori: assets import needs --company ID\|CODE/);
    const unknown = run(['assets', 'import', good, '--company', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('mamori: Company NOPE not found\n');
    const missing = run(['assets', 'import', path.join(files, 'nope.csv'), '--company', 'KCARD']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/File not found/);
    expect(run(['assets', 'import', good, good, '--company', 'KCARD']).stderr).toMatch(/exactly one FILE/);
    expect(run(['assets', 'import', good, '--company', 'KCARD', '--commit']).code).toBe(2);
    expect(run(['assets', 'export']).stderr).toMatch(/Unknown assets command: export/);
  });
});
