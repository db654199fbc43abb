// npm run bench:assets — the inventory at group scale. 44 companies and their people (bench/generate.ts) in a
// fresh SQLite database; an inventory CSV of 100,000 assets written to a temp file; the file imported through
// the real service (dry run, then the all-or-nothing commit with an audit entry per asset) in a child process
// whose peak RSS is its own; then the server in a child process and autocannon on the filtered list against
// GET /api/v1/auth/session, the cheapest authenticated route.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { totpNow } from '../src/platform/auth/totp.ts';
import { generateGroup, writeInventoryCsv } from './generate.ts';
import { PRODUCT_NODE_FLAGS } from './support.ts';

const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 44);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const TARGET_ROWS_PER_SECOND = 20_000;
const TARGET_RSS_MB = 300;
/** Heap limits for a server process (NODE_OPTIONS): the young generation and the old one kept small. */

interface ImportResult {
  /** CPU time of the commit (user + system): the machine may be shared, the wall clock then says less. */
  commitCpuSeconds: number;
  baselineRssMb: number;
  sampledPeakRssMb: number;
  maxRssMb: number;
  samples: number;
  dryRunSeconds: number;
  commitSeconds: number;
  rows: number;
  created: number;
  auditEntries: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** The child: open the prepared database, import the file twice (dry run, commit), report time and memory. */
async function importChild(csvFile: string): Promise<void> {
  let peak = process.memoryUsage.rss();
  let samples = 0;
  // The import yields to the event loop between batches, so a timer sees the process as it works.
  const sampler = setInterval(() => {
    samples += 1;
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const ctx = await createContext(loadConfig());
  const actor = systemActor('bench-assets');
  const baseline = process.memoryUsage.rss();
  const bytes = fs.readFileSync(csvFile);
  let t = performance.now();
  const dry = await ctx.services.assets.importAssets(actor, bytes, false);
  const dryRunSeconds = (performance.now() - t) / 1000;
  if (dry.errors.length > 0)
    throw new Error(`dry run found errors: ${JSON.stringify(dry.errors.slice(0, 3))}`);
  peak = Math.max(peak, process.memoryUsage.rss());
  t = performance.now();
  const cpu = process.cpuUsage();
  const report = await ctx.services.assets.importAssets(actor, bytes, true);
  const commitSeconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage.rss());
  clearInterval(sampler);
  if (!report.committed) throw new Error('the commit was refused');
  const { count } = await countAuditEntries(ctx);
  await ctx.close();
  const result: ImportResult = {
    commitCpuSeconds: (used.user + used.system) / 1e6,
    baselineRssMb: mb(baseline),
    sampledPeakRssMb: mb(peak),
    // getrusage: the high-water mark of the whole child process, whatever the sampler missed.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    samples,
    dryRunSeconds,
    commitSeconds,
    rows: report.rows,
    created: report.created,
    auditEntries: count,
  };
  process.send!(result);
}

async function countAuditEntries(ctx: Awaited<ReturnType<typeof createContext>>) {
  const { sql } = await import('kysely');
  const r = await sql<{
    n: number;
  }>`select count(*) as n from audit_entries where action = 'asset.create'`.execute(ctx.db.kysely);
  return { count: Number(r.rows[0]!.n) };
}

async function main(): Promise<void> {
  const dataDir = path.resolve(import.meta.dirname, '.data', `assets-${Date.now()}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const env = {
    ...process.env,
    MAMORI_DATA_DIR: dataDir,
    MAMORI_SECRET_KEY: randomBytes(32).toString('base64'),
    MAMORI_LOG_LEVEL: 'silent',
  };
  const csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-assets-')), 'assets.csv');
  try {
    console.log(
      `Generating ${COMPANIES} companies and ${PEOPLE.toLocaleString('en')} people into ${path.relative(process.cwd(), dataDir)}/mamori.sqlite …`,
    );
    const ctx = await createContext(loadConfig(env));
    const group = await generateGroup(ctx, { companies: COMPANIES, people: PEOPLE });
    const actor = systemActor('bench');
    const email = 'bench.ciso@bench.example';
    const user = await ctx.services.identity.createUserWithRoles(
      actor,
      {
        email,
        displayName: 'Bench CISO',
        password: 'bench-password-long-enough',
        personId: null,
        locale: 'en',
      },
      [{ role: 'group_ciso', companyId: null }],
    );
    const self = {
      kind: 'user' as const,
      userId: user.id,
      label: email,
      personId: null,
      grants: [{ role: 'group_ciso' as const, companyId: null }],
      tokenScopes: null,
    };
    const { secret } = await ctx.services.identity.startMfaEnrollment(self);
    await ctx.services.identity.confirmMfaEnrollment(
      { actor: self, via: 'session', sessionId: null, csrfToken: null, stage: 'mfa_enrollment' },
      totpNow(secret),
    );
    const { token } = await ctx.services.identity.createTokenForEmail(actor, email, {
      name: 'bench',
      scopes: ['assets:read', 'identity:read'],
      expiresInDays: 1,
    });
    await ctx.close();

    const size = writeInventoryCsv(csvFile, group.companies, PEOPLE, ASSETS);
    console.log(
      `Wrote ${ASSETS.toLocaleString('en')} assets to ${csvFile} (${mb(size).toFixed(1)} MB); importing in a child process …`,
    );

    // The same import twice, on copies of the same database: as the product runs it (`npm start`, bin/mamori.js:
    // a young generation of at most 2 x 16 MB), and with V8's default heap sizing for comparison.
    const pristine = `${dataDir}-pristine`;
    fs.cpSync(dataDir, pristine, { recursive: true });
    const runs: { label: string; execArgv: string[]; dir: string }[] = [
      {
        label: `as the product runs it: node ${PRODUCT_NODE_FLAGS.join(' ')}`,
        execArgv: PRODUCT_NODE_FLAGS,
        dir: dataDir,
      },
      { label: 'V8 default heap sizing (for comparison)', execArgv: [], dir: pristine },
    ];
    for (const run of runs) {
      const child = fork(import.meta.filename, ['import-child', csvFile], {
        env: { ...env, MAMORI_DATA_DIR: run.dir },
        execArgv: [...process.execArgv, ...run.execArgv],
        stdio: 'inherit',
      });
      const result = await new Promise<ImportResult>((resolve, reject) => {
        child.once('message', (m) => resolve(m as ImportResult));
        child.once('exit', (code) => reject(new Error(`the import child exited with ${code}`)));
      });
      await new Promise((r) => child.once('exit', r));
      const rowsPerSecond = result.rows / result.commitSeconds;
      const peak = Math.max(result.sampledPeakRssMb, result.maxRssMb);
      console.log(`
import of ${result.rows.toLocaleString('en')} rows, ${run.label}
  (${result.created.toLocaleString('en')} created, ${result.auditEntries.toLocaleString('en')} asset.create audit entries)
  dry run:  ${result.dryRunSeconds.toFixed(2)} s   ${Math.round(result.rows / result.dryRunSeconds).toLocaleString('en')} rows/s
  commit:   ${result.commitSeconds.toFixed(2)} s   ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s   (target >= ${TARGET_ROWS_PER_SECOND.toLocaleString('en')})  ${rowsPerSecond >= TARGET_ROWS_PER_SECOND ? 'MET' : 'MISSED'}
            ${result.commitCpuSeconds.toFixed(2)} s of CPU   ${Math.round(result.rows / result.commitCpuSeconds).toLocaleString('en')} rows per CPU second
  both:     ${(result.dryRunSeconds + result.commitSeconds).toFixed(2)} s   ${Math.round(result.rows / (result.dryRunSeconds + result.commitSeconds)).toLocaleString('en')} rows/s
  RSS:      ${result.baselineRssMb.toFixed(0)} MB after start-up, sampled peak ${result.sampledPeakRssMb.toFixed(0)} MB (${result.samples} samples), getrusage max ${result.maxRssMb.toFixed(0)} MB   (target < ${TARGET_RSS_MB} MB)  ${peak < TARGET_RSS_MB ? 'MET' : 'MISSED'}`);
    }
    fs.rmSync(pristine, { recursive: true, force: true });

    await loadTest(env, token, group.companies[1]!.id);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`Kept ${dataDir} and ${csvFile}`);
    else {
      fs.rmSync(path.dirname(csvFile), { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function loadTest(env: NodeJS.ProcessEnv, token: string, companyId: string): Promise<void> {
  const server = fork(path.join(import.meta.dirname, 'api-server.ts'), { env, stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('message', (m) => resolve((m as { port: number }).port));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}` };
  type Row = { name: string; rps: number; p50: number; p99: number; errors: number };
  const load = async (name: string, url: string): Promise<Row> => {
    const probe = await fetch(base + url, { headers });
    if (probe.status !== 200) throw new Error(`${url} answered ${probe.status}: ${await probe.text()}`);
    await autocannon({ url: base + url, headers, connections: CONNECTIONS, duration: 2 }); // warm-up
    const r = await autocannon({ url: base + url, headers, connections: CONNECTIONS, duration: DURATION });
    return {
      name,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
    };
  };
  try {
    const first = (await (await fetch(`${base}/api/v1/assets?limit=1`, { headers })).json()) as {
      items: { ownerPersonId: string }[];
    };
    const owner = first.items[0]!.ownerPersonId;
    console.log(`\nautocannon: ${CONNECTIONS} connections, ${DURATION} s per route after a 2 s warm-up\n`);
    const rows = [
      await load('GET /api/v1/auth/session (baseline)', '/api/v1/auth/session'),
      await load(
        'assets: company + type + C=3, limit 50',
        `/api/v1/assets?companyId=${companyId}&assetType=software&confidentiality=3&limit=50`,
      ),
      await load('assets: group-wide, pciScope=true, limit 50', '/api/v1/assets?pciScope=true&limit=50'),
      await load('assets: owner (group-wide), limit 50', `/api/v1/assets?ownerPersonId=${owner}&limit=50`),
      await load('assets: search q=payroll, limit 50', '/api/v1/assets?q=payroll&limit=50'),
      await load('assets/summary: group-wide C x I', '/api/v1/assets/summary'),
    ];
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(
      `${pad('route', 46)} ${pad('req/s', 9)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('vs session', 11)} errors`,
    );
    const baseline = rows[0]!.rps;
    for (const r of rows)
      console.log(
        `${pad(r.name, 46)} ${pad(r.rps.toFixed(0), 9)} ${pad(String(r.p50), 7)} ${pad(String(r.p99), 7)} ${pad(`${((r.rps / baseline) * 100).toFixed(0)} %`, 11)} ${r.errors}`,
      );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

if (import.meta.main) {
  if (process.argv[2] === 'import-child') await importChild(process.argv[3]!);
  else await main();
}
