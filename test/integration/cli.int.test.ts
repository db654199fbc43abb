// The `mamori` command as an operator runs it: real processes on a real SQLite file (and PostgreSQL when available).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { createContext } from '../../src/app/context.ts';
import { loadConfig } from '../../src/platform/config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'mamori.js');

type Target = { name: string; env: Record<string, string>; exec: (sqlText: string) => Promise<void> };

function run(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, MAMORI_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    input: input ?? '',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function targets(): Promise<Target[]> {
  const list: Target[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-cli-'));
  list.push({
    name: 'sqlite',
    env: { MAMORI_DATA_DIR: dir },
    exec: async (sqlText) => {
      const db = new DatabaseSync(path.join(dir, 'mamori.sqlite'));
      db.exec(sqlText);
      db.close();
    },
  });
  const adminUrl = process.env.MAMORI_TEST_PG_URL;
  if (adminUrl && (process.env.MAMORI_TEST_DIALECTS ?? 'postgres').includes('postgres')) {
    const name = `mamori_cli_${randomBytes(5).toString('hex')}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    list.push({
      name: 'postgres',
      env: {
        MAMORI_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-cli-pg-')),
        DATABASE_URL: url.toString(),
      },
      exec: async (sqlText) => {
        const cl = new pg.Client({ connectionString: url.toString() });
        await cl.connect();
        await cl.query(sqlText);
        await cl.end();
      },
    });
  }
  return list.filter((t) =>
    process.env.MAMORI_TEST_DIALECTS
      ? process.env.MAMORI_TEST_DIALECTS.includes(t.name) || t.name === 'sqlite'
      : true,
  );
}

const all = await targets();

describe.each(all)('mamori CLI on $name', (t) => {
  beforeAll(() => {
    const r = run(['demo'], {
      ...t.env,
      MAMORI_ADMIN_EMAIL: 'root@example.com',
      MAMORI_ADMIN_PASSWORD: 'correct-horse-battery-staple',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Demo group loaded: 14 companies, 112 departments, 350 people, 7 users/);
  });

  it('loads the demo only once', () => {
    expect(run(['demo'], t.env).stdout).toMatch(/already loaded/);
  });

  it('verifies an intact audit trail, then names the first entry edited or deleted', async () => {
    const ok = run(['audit', 'verify'], t.env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit trail intact: \d+ entries/);

    await t.exec(`update audit_entries set after_json = '{"legalName":"Forged"}' where seq = 5`);
    const edited = run(['audit', 'verify'], t.env);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/BROKEN at entry #5 .*altered/);

    await t.exec(`delete from audit_entries where seq = 5`);
    const deleted = run(['audit', 'verify'], t.env);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(/BROKEN at entry #5: entry #5 is missing/);
  });

  it('imports people from a file: dry run, errors with line numbers and exit 1, then --commit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-csv-'));
    const good = path.join(dir, 'good.csv');
    const bad = path.join(dir, 'bad.csv');
    const header =
      'company_code,employee_number,name,email,personnel_category,department_code,manager_employee_number,active';
    fs.writeFileSync(good, `\ufeff${header}\nKCARD,CLI-1,Kato Mei,,パート・アルバイト,HR,,true\n`);
    fs.writeFileSync(
      bad,
      `${header}\nKCARD,CLI-2,Bad,,astronaut,,,true\nKCARD,CLI-3,,,regular_employee,,,true\n`,
    );
    const dry = run(['people', 'import', good], t.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/1 rows: 1 to create.*\n.*Dry run only/);
    const refused = run(['people', 'import', bad, '--commit'], t.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 2: personnel_category "astronaut"/);
    expect(refused.stderr).toMatch(/line 3: name is empty/);
    expect(refused.stderr).toMatch(/Nothing was imported/);
    const done = run(['people', 'import', good, '--commit'], t.env);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Imported/);
    const missing = run(['people', 'import', path.join(dir, 'nope.csv')], t.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/File not found/);
  });

  it('creates a user and prints an API token that the API accepts', async () => {
    const created = run(
      ['user', 'create', '--email', 'ops@example.com', '--name', 'Ops', '--role', 'auditor'],
      { ...t.env, MAMORI_NEW_PASSWORD: 'correct-horse-battery-staple' },
    );
    expect(created.code).toBe(0);
    const token = run(
      ['token', 'create', '--email', 'ops@example.com', '--name', 'siem', '--expires-days', '7'],
      t.env,
    );
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^mmr_[A-Za-z0-9_-]{40,}$/);
    const ctx = await createContext(loadConfig({ ...t.env, MAMORI_LOG_LEVEL: 'silent' }));
    try {
      const auth = await ctx.services.identity.authenticateToken(token.stdout.trim());
      expect(auth?.actor).toMatchObject({
        label: 'ops@example.com',
        grants: [{ role: 'auditor', companyId: null }],
      });
    } finally {
      await ctx.close();
    }
    expect(run(['token', 'create', '--email', 'nobody@example.com', '--name', 'x'], t.env)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/User nobody@example.com not found/),
    });
    expect(
      run(['token', 'create', '--email', 'ops@example.com', '--name', 'x', '--expires-days', 'soon'], t.env)
        .code,
    ).toBe(2);
  });

  it('answers usage errors with exit 2', () => {
    expect(run(['frobnicate'], t.env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown command: frobnicate/),
    });
    expect(run(['people', 'import'], t.env).code).toBe(2);
    expect(run(['serve', '--bogus'], t.env).code).toBe(2);
  });

  it.runIf(t.name === 'sqlite')('writes a consistent backup that opens on its own', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-bak-')), 'copy.sqlite');
    const r = run(['backup', file], t.env);
    expect(r.code).toBe(0);
    const copy = new DatabaseSync(file, { readOnly: true });
    const n = copy.prepare('select count(*) as n from people').get() as { n: number };
    copy.close();
    expect(n.n).toBeGreaterThanOrEqual(350);
    expect(run(['backup', file], t.env)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already exists/),
    });
  });
});

describe('start-up', () => {
  const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).length : 0);

  it('keeps the compiled modules beside the installed packages, or where NODE_COMPILE_CACHE says', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-cli-cache-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MAMORI_DATA_DIR: dir, MAMORI_LOG_LEVEL: 'silent' };
    delete env.NODE_COMPILE_CACHE;
    const beside = path.join(ROOT, 'node_modules', '.cache', 'mamori-compile');
    fs.rmSync(beside, { recursive: true, force: true });
    expect(spawnSync(process.execPath, [BIN, 'frobnicate'], { env }).status).toBe(2);
    expect(files(beside)).toBeGreaterThan(50);

    const chosen = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-ccache-'));
    expect(run(['frobnicate'], { MAMORI_DATA_DIR: dir, NODE_COMPILE_CACHE: chosen }).code).toBe(2);
    expect(files(chosen)).toBeGreaterThan(50);

    const unused = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-ccache-'));
    const off = { MAMORI_DATA_DIR: dir, NODE_COMPILE_CACHE: unused, NODE_DISABLE_COMPILE_CACHE: '1' };
    expect(run(['frobnicate'], off)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown command/),
    });
    expect(files(unused)).toBe(0);
  });
});

describe('Node.js version guard', () => {
  let oldNode: string | undefined;
  beforeAll(() => {
    for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
      try {
        const v = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
        if (Number(v.slice(1).split('.')[0]) < 24) oldNode = candidate;
      } catch {
        // not installed
      }
    }
  });
  afterAll(() => undefined);

  it('refuses to start on Node.js older than 24 with a clear message', (ctx) => {
    if (!oldNode) ctx.skip();
    const r = spawnSync(oldNode!, [BIN, 'migrate'], {
      encoding: 'utf8',
      env: { ...process.env, MAMORI_DATA_DIR: os.tmpdir() },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/needs Node.js 24 or later/);
  });
});
