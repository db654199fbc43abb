// npm run bench:dmarc — DMARC aggregate report ingestion at scale, and the ceilings of this machine in the
// same run. 200 policy domains over 8 companies are registered through the API; 10,000 reports holding
// 1,000,000 records (bench/dmarc-generate.ts: .xml, .xml.gz, .zip) are imported by `mamori dmarc import DIR
// --json` in a child process on a fresh SQLite database (wall time, CPU, peak RSS); the ceilings, each in a
// child process of its own (bench/dmarc-ceilings.ts): the same files parsed alone (saxes by itself, the fixed
// reference; and our parser in a dry run) and the same rows inserted alone with node:sqlite. Also: a sample of
// files uploaded over HTTP, one ~200 MB report imported by the CLI (peak RSS), and the analysis pages timed
// against GET /api/v1/auth/session on the imported database; PostgreSQL once when MAMORI_BENCH_PG_URL (an
// admin URL) is set. Each measure runs BENCH_RUNS times (3), interleaved; the tables show the best run and the
// spread. Sizes: BENCH_DMARC_REPORTS, BENCH_DMARC_RECORDS, BENCH_DMARC_LARGE_MB, BENCH_DMARC_UPLOAD_FILES.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { expandPaths } from '../src/modules/dmarc-reports/dmarc-reports.cli.ts';
import type { FileResult } from '../src/modules/dmarc-reports/index.ts';
import type { InsertMeasure, ParseMeasure } from './dmarc-ceilings.ts';
import {
  BENCH_COMPANIES,
  planBenchCorpus,
  writeCorpus,
  writeLargeReport,
  type Corpus,
} from './dmarc-generate.ts';
import {
  PRODUCT_NODE_FLAGS,
  benchDataDir,
  benchToken,
  latency,
  processRssMb,
  startBenchServer,
} from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMPANIES = BENCH_COMPANIES;
const LARGE_MB = Number(process.env.BENCH_DMARC_LARGE_MB ?? 200);
const UPLOAD_FILES = Number(process.env.BENCH_DMARC_UPLOAD_FILES ?? 500);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const PG_URL = process.env.MAMORI_BENCH_PG_URL;
/** A bounded heap, for the diagnostic run of the large report (not how the product runs). */
const BOUNDED_HEAP = '--max-semi-space-size=16 --max-old-space-size=256';

const TARGET_RATIO = 0.7;
const TARGET_RSS_MB = 300;
const TARGET_LATENCY_RATIO = 10;

const MB = 1024 * 1024;
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'mamori.js');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** A ceiling (bench/dmarc-ceilings.ts) in a child process; its result is its last line of output (JSON). */
async function child<T>(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<T & Proc> {
  const r = await run(process.execPath, [path.join(import.meta.dirname, 'dmarc-ceilings.ts'), ...args], env);
  if (r.code !== 0) throw new Error(`child ${args[0]} exited with ${r.code}: ${r.stderr.slice(-2000)}`);
  return { ...(JSON.parse(r.lines.at(-1)!) as T), ...r };
}

interface Proc {
  code: number;
  lines: string[];
  stderr: string;
  wallSeconds: number;
  /** From /usr/bin/time (wait4), or sampled from /proc when it is missing. */
  maxRssMb: number;
  cpuSeconds: number;
  /** When each line of standard output arrived, in seconds from the start. */
  lineTimes: number[];
}

/** A command under /usr/bin/time -v: its exit code, output lines, wall time, CPU time and peak RSS. */
async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Proc> {
  const stats = path.join(
    os.tmpdir(),
    `mamori-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  const argv = TIME ? ['-v', '-o', stats, command, ...args] : args;
  const started = performance.now();
  const p = spawn(TIME ?? command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let sampledPeak = 0;
  const sampler = TIME
    ? null
    : setInterval(() => {
        const m = processRssMb(p.pid!);
        if (m) sampledPeak = Math.max(sampledPeak, m.peak);
      }, 50);
  const lines: string[] = [];
  const lineTimes: number[] = [];
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const rl = readline.createInterface({ input: p.stdout });
  rl.on('line', (line) => {
    lines.push(line);
    lineTimes.push((performance.now() - started) / 1000);
  });
  const code = await new Promise<number>((resolve) => p.once('close', (c) => resolve(c ?? 1)));
  const wallSeconds = (performance.now() - started) / 1000;
  if (sampler) clearInterval(sampler);
  let maxRssMb = sampledPeak;
  let cpuSeconds = NaN;
  if (TIME) {
    const text = fs.readFileSync(stats, 'utf8');
    fs.rmSync(stats, { force: true });
    const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
    maxRssMb = field('Maximum resident set size \\(kbytes\\)') / 1024;
    cpuSeconds = field('User time \\(seconds\\)') + field('System time \\(seconds\\)');
  }
  return { code, lines, stderr, wallSeconds, maxRssMb, cpuSeconds, lineTimes };
}

// ---------------------------------------------------------------------------------------------------------
// The parent
// ---------------------------------------------------------------------------------------------------------

interface ImportMeasure {
  files: number;
  reports: number;
  records: number;
  statuses: Record<string, number>;
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  /** From the first file's result line to the last: the import without the command's start-up. */
  steadySeconds: number;
  steadyRecords: number;
}

/** `mamori dmarc import PATH --json` as a user runs it, on the database of `env`. */
async function cliImport(target: string, env: NodeJS.ProcessEnv): Promise<ImportMeasure> {
  const r = await run(
    process.execPath,
    [...PRODUCT_NODE_FLAGS, CLI, 'dmarc', 'import', target, '--json'],
    env,
  );
  const results = r.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as FileResult);
  if (results.length === 0)
    throw new Error(`the import printed nothing (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  const statuses: Record<string, number> = {};
  let reports = 0;
  let records = 0;
  for (const x of results) {
    statuses[x.status] = (statuses[x.status] ?? 0) + 1;
    reports += x.reports;
    records += x.records;
  }
  const rejected = results.filter((x) => x.status !== 'imported');
  if (rejected.length > 0)
    console.log(`  ! ${rejected.length} files not imported, e.g. ${JSON.stringify(rejected[0])}`);
  const first = r.lineTimes[0] ?? 0;
  const last = r.lineTimes.at(-1) ?? r.wallSeconds;
  return {
    files: results.length,
    reports,
    records,
    statuses,
    wallSeconds: r.wallSeconds,
    cpuSeconds: r.cpuSeconds,
    maxRssMb: r.maxRssMb,
    steadySeconds: last - first,
    steadyRecords: records - (results[0]?.records ?? 0),
  };
}

interface Series {
  values: number[];
  /** Larger is better (rates), or smaller (times, memory). */
  higherIsBetter: boolean;
}

const best = (s: Series) => (s.higherIsBetter ? Math.max(...s.values) : Math.min(...s.values));
const spread = (s: Series) => {
  const lo = Math.min(...s.values);
  const hi = Math.max(...s.values);
  return `${fmt(lo)}–${fmt(hi)}`;
};
const fmt = (n: number) =>
  !Number.isFinite(n)
    ? '–'
    : Math.abs(n) >= 1000
      ? Math.round(n).toLocaleString('en')
      : Math.abs(n) >= 100
        ? n.toFixed(0)
        : Math.abs(n) >= 10
          ? n.toFixed(1)
          : n.toFixed(2);

class Table {
  readonly rows: { name: string; series: Series; unit: string; note: string }[] = [];
  add(name: string, unit: string, higherIsBetter: boolean, note = ''): Series {
    const series: Series = { values: [], higherIsBetter };
    this.rows.push({ name, series, unit, note });
    return series;
  }
  print(title: string): void {
    console.log(`\n${title}`);
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(
      `${pad('measure', 62)} ${pad('best', 10)} ${pad('spread (min–max)', 20)} ${pad('unit', 10)} note`,
    );
    for (const r of this.rows) {
      if (r.series.values.length === 0) continue;
      console.log(
        `${pad(r.name, 62)} ${pad(fmt(best(r.series)), 10)} ${pad(r.series.values.length > 1 ? spread(r.series) : '', 20)} ${pad(r.unit, 10)} ${r.note}`,
      );
    }
  }
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function setup(env: NodeJS.ProcessEnv): Promise<{
  token: string;
  companies: string[];
}> {
  const ctx = await createContext(loadConfig(env));
  const actor = systemActor('bench');
  const companies: string[] = [];
  for (let i = 0; i < COMPANIES; i++) {
    const c = await ctx.services.org.createCompany(actor, {
      legalName: `DMARC Bench Company ${i + 1}`,
      shortCode: `D${String(i + 1).padStart(3, '0')}`,
      country: 'JP',
      parentId: i === 0 ? null : companies[0]!,
      status: 'active',
    });
    companies.push(c.id);
  }
  const token = await benchToken(ctx, ['email:read', 'email:write', 'identity:read']);
  await ctx.close();
  return { token, companies };
}

async function registerDomains(
  base: string,
  token: string,
  companies: string[],
  corpus: Corpus,
): Promise<void> {
  for (const d of corpus.domains) {
    const res = await fetch(`${base}/api/v1/email/domains`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        companyId: companies[d.company],
        name: d.name,
        service: 'Bench mail',
        raiseRisks: false,
      }),
    });
    if (res.status !== 201)
      throw new Error(`POST /email/domains ${d.name}: ${res.status} ${await res.text()}`);
  }
}

async function uploadSample(
  env: NodeJS.ProcessEnv,
  token: string,
  files: string[],
): Promise<{ files: number; records: number; seconds: number; serverPeakMb: number }> {
  const server = await startBenchServer(env);
  try {
    let records = 0;
    const t = performance.now();
    for (const file of files) {
      const res = await fetch(
        `${server.base}/api/v1/dmarc/files?name=${encodeURIComponent(path.basename(file))}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
          body: fs.readFileSync(file),
        },
      );
      const body = (await res.json()) as FileResult;
      if (res.status !== 200 || body.status !== 'imported')
        throw new Error(`upload ${file}: ${res.status} ${JSON.stringify(body)}`);
      records += body.records;
    }
    const seconds = (performance.now() - t) / 1000;
    return { files: files.length, records, seconds, serverPeakMb: processRssMb(server.pid)?.peak ?? NaN };
  } finally {
    await server.stop();
  }
}

interface LatencyRow {
  name: string;
  /** Per round: the median and the 99th percentile of REQUESTS sequential requests, in ms. */
  medians: number[];
  p99s: number[];
  /** The first request after the import, before the results are kept (the pages keep them per data version). */
  firstMs: number;
}

/** The analysis pages (several domains, a company, the group) and the trivial route, `rounds` times. */
async function analysisTimings(
  env: NodeJS.ProcessEnv,
  token: string,
  companies: string[],
  corpus: Corpus,
  rounds: number,
): Promise<{ rows: LatencyRow[]; missing: string[] }> {
  const server = await startBenchServer(env);
  const headers = { authorization: `Bearer ${token}` };
  try {
    // Domains by records: the busiest, one in the middle, a small one.
    const byRecords = new Map<string, number>();
    for (const f of corpus.files)
      for (const r of f.reports)
        byRecords.set(r.domain.name, (byRecords.get(r.domain.name) ?? 0) + r.records);
    const ranked = [...byRecords.entries()].sort((a, b) => b[1] - a[1]);
    const picks = [ranked[0]!, ranked[Math.floor(ranked.length / 2)]!, ranked.at(-1)!];
    const label = ([name, n]: [string, number]) => `${name} (${n.toLocaleString('en')} rec.)`;
    const companyRecords = ranked
      .filter(([name]) => corpus.domains.find((d) => d.name === name)?.company === 0)
      .reduce((sum, [, n]) => sum + n, 0);
    const urls: { name: string; url: string }[] = [
      { name: 'GET /api/v1/auth/session (trivial, authenticated)', url: '/api/v1/auth/session' },
    ];
    for (const days of [30, 90]) {
      for (const p of picks)
        urls.push({
          name: `analysis ${label(p)}, ${days} d`,
          url: `/api/v1/dmarc/analysis?domain=${p[0]}&days=${days}`,
        });
      urls.push({
        name: `analysis companyId (company 1, ${companyRecords.toLocaleString('en')} rec.), ${days} d`,
        url: `/api/v1/dmarc/analysis?companyId=${companies[0]}&days=${days}`,
      });
      urls.push({ name: `analysis group-wide, ${days} d`, url: `/api/v1/dmarc/analysis?days=${days}` });
      for (const p of picks.slice(0, 2))
        urls.push({
          name: `sources ${label(p)}, ${days} d`,
          url: `/api/v1/dmarc/sources?domain=${p[0]}&days=${days}`,
        });
    }
    const missing: string[] = [];
    const present: (typeof urls)[number][] = [];
    const first = new Map<string, number>();
    for (const u of urls) {
      const started = performance.now();
      const res = await fetch(server.base + u.url, { headers });
      const text = await res.text();
      if (res.status === 404 && /No route|Route .* not found/i.test(text)) {
        const route = u.url.split('?')[0]!;
        if (!missing.includes(route)) missing.push(route);
        continue;
      }
      if (!res.ok) throw new Error(`${u.url} answered ${res.status}: ${text.slice(0, 300)}`);
      first.set(u.url, performance.now() - started);
      present.push(u);
    }
    const rows: LatencyRow[] = present.map((u) => ({
      name: u.name,
      medians: [],
      p99s: [],
      firstMs: first.get(u.url) ?? NaN,
    }));
    for (let round = 0; round < rounds; round++)
      for (const [k, u] of present.entries()) {
        const m = await latency(server.base, u.url, headers, REQUESTS);
        rows[k]!.medians.push(m.median);
        rows[k]!.p99s.push(m.p99);
      }
    return { rows, missing };
  } finally {
    await server.stop();
  }
}

async function postgresImport(dir: string, corpus: Corpus): Promise<ImportMeasure> {
  const name = `mamori_bench_dmarc_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const { env, cleanup } = benchDataDir('dmarc-pg');
  const pgEnv = { ...env, DATABASE_URL: url.toString(), MAMORI_SCAN_SCHEDULER: 'false' };
  try {
    const ctx = await createContext(loadConfig(pgEnv));
    const actor = systemActor('bench');
    const companies: string[] = [];
    for (let i = 0; i < COMPANIES; i++)
      companies.push(
        (
          await ctx.services.org.createCompany(actor, {
            legalName: `DMARC Bench Company ${i + 1}`,
            shortCode: `D${String(i + 1).padStart(3, '0')}`,
            country: 'JP',
            parentId: i === 0 ? null : companies[0]!,
            status: 'active',
          })
        ).id,
      );
    for (const d of corpus.domains)
      await ctx.services.emailAuth.createDomain(actor, {
        companyId: companies[d.company]!,
        name: d.name,
        service: 'Bench mail',
        role: 'sends',
        ownerPersonId: null,
        dkimSelectors: [],
        expectedSources: [],
        scanIntervalHours: 24,
        raiseRisks: false,
      });
    await ctx.close();
    return await cliImport(dir, pgEnv);
  } finally {
    cleanup();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await c.end();
  }
}

async function main(): Promise<void> {
  const today = new Date();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-bench-'));
  const reportsDir = path.join(work, 'reports');
  const largeFile = path.join(work, 'large', 'large-report.xml');
  const { dataDir, env: baseEnv, cleanup } = benchDataDir('dmarc');
  const env = { ...baseEnv, MAMORI_SCAN_SCHEDULER: 'false' };
  const pristine = `${dataDir}-pristine`;
  /** Copies of the prepared database, removed at the end (the last import's is kept with BENCH_KEEP). */
  const made = new Set<string>();
  const runDir = (name: string) => {
    const d = `${dataDir}-${name}`;
    made.add(d);
    fs.rmSync(d, { recursive: true, force: true });
    fs.cpSync(pristine, d, { recursive: true });
    return { dir: d, env: { ...env, MAMORI_DATA_DIR: d } };
  };
  const drop = (dir: string) => {
    fs.rmSync(dir, { recursive: true, force: true });
    made.delete(dir);
  };
  try {
    // ---- corpus and inventory ----
    const corpus = planBenchCorpus(today);
    console.log(
      `Generating ${corpus.reports.toLocaleString('en')} reports, ${corpus.records.toLocaleString('en')} records, ${corpus.domains.length} domains over ${COMPANIES} companies into ${reportsDir} …`,
    );
    const t = performance.now();
    const written = writeCorpus(corpus, reportsDir);
    console.log(
      `  ${written.files.toLocaleString('en')} files (${written.byKind.xml.files} .xml, ${written.byKind.gz.files} .xml.gz, ${written.byKind.zip.files} .zip holding ${written.byKind.zip.reports} reports), ${(written.fileBytes / MB).toFixed(0)} MB on disk, ${(written.xmlBytes / MB).toFixed(0)} MB of XML (${Math.round(written.xmlBytes / corpus.records)} bytes/record), in ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );
    const large = await writeLargeReport(largeFile, corpus.domains[0]!, LARGE_MB * MB, today);
    const largeMb = (large.bytes / MB).toFixed(0);
    console.log(`  one large report: ${largeMb} MB of XML, ${large.records.toLocaleString('en')} records`);

    console.log(`Registering ${corpus.domains.length} domains through POST /api/v1/email/domains …`);
    const { token, companies } = await setup(env);
    const server = await startBenchServer(env);
    try {
      await registerDomains(server.base, token, companies, corpus);
    } finally {
      await server.stop();
    }
    fs.cpSync(dataDir, pristine, { recursive: true });

    // ---- interleaved runs ----
    const table = new Table();
    const xmlMb = written.xmlBytes / MB;
    const s = {
      saxesMbs: table.add('parse alone: saxes (fixed reference), XML', 'MB/s', true),
      saxesRps: table.add('parse alone: saxes (fixed reference)', 'records/s', true),
      oursMbs: table.add('parse alone: ours (parseReportFile, dry run), XML', 'MB/s', true),
      oursRps: table.add('parse alone: ours (parseReportFile, dry run)', 'records/s', true),
      insertRps: table.add('insert alone: node:sqlite 400-row INSERTs, 1 transaction', 'rows/s', true),
      insertPerReport: table.add(
        'insert alone: insertRows (Kysely), 1 transaction/report',
        'rows/s',
        true,
        'diagnostic',
      ),
      importRps: table.add('import: mamori dmarc import DIR --json (whole command)', 'records/s', true),
      importFps: table.add('import: files', 'files/s', true),
      importSteady: table.add('import: without start-up (first to last result)', 'records/s', true),
      importWall: table.add('import: wall time', 's', false),
      importRss: table.add('import: peak RSS', 'MB', false),
      ratioSaxes: table.add('import / min(saxes, insert), per run', '%', true),
      ratioOurs: table.add('import / min(ours, insert), per run', '%', true),
      saxesCpu: table.add('per CPU second (all threads): saxes alone', 'records/s', true),
      oursCpu: table.add('per CPU second (all threads): ours alone', 'records/s', true),
      insertCpu: table.add('per CPU second (all threads): insert alone', 'rows/s', true),
      importCpu: table.add('per CPU second (all threads): import', 'records/s', true),
      uploadRps: table.add(`HTTP upload, ${UPLOAD_FILES} files one by one`, 'records/s', true),
      uploadFps: table.add(`HTTP upload: files`, 'files/s', true),
      uploadRss: table.add(`HTTP upload: server peak RSS`, 'MB', false),
      largeWall: table.add(`one ${largeMb} MB report, CLI import: wall time`, 's', false),
      largeRps: table.add(`one ${largeMb} MB report, CLI import`, 'records/s', true),
      largeRss: table.add(`one ${largeMb} MB report, CLI import: peak RSS`, 'MB', false),
      largeBoundedRss: table.add(
        `one ${largeMb} MB report, bounded heap (below): peak RSS`,
        'MB',
        false,
        'diagnostic',
      ),
      largeBoundedWall: table.add(
        `one ${largeMb} MB report, bounded heap: wall time`,
        's',
        false,
        'diagnostic',
      ),
      largeParseRss: table.add(`one ${largeMb} MB report, parse alone: peak RSS`, 'MB', false, 'diagnostic'),
    };
    const files = expandPaths([reportsDir]);
    const step = Math.max(1, Math.floor(files.length / UPLOAD_FILES));
    const uploads = files.filter((_, i) => i % step === 0).slice(0, UPLOAD_FILES);
    let lastImportDir = '';
    for (let run = 1; run <= RUNS; run++) {
      console.log(`\nRun ${run} of ${RUNS}`);
      const sax = await child<ParseMeasure>(['saxes', reportsDir]);
      if (sax.records !== corpus.records) throw new Error(`saxes counted ${sax.records} records`);
      s.saxesMbs.values.push(xmlMb / sax.seconds);
      s.saxesRps.values.push(sax.records / sax.seconds);
      s.saxesCpu.values.push(sax.records / sax.cpuSeconds);
      console.log(
        `  saxes alone:   ${sax.seconds.toFixed(1)} s, ${(xmlMb / sax.seconds).toFixed(1)} MB/s, ${fmt(sax.records / sax.seconds)} records/s, peak RSS ${sax.maxRssMb.toFixed(0)} MB`,
      );

      const ours = await child<ParseMeasure>(['parse', reportsDir]);
      if (ours.records !== corpus.records || ours.rejected > 0)
        throw new Error(`our parser read ${ours.records} records, ${ours.rejected} rejected`);
      s.oursMbs.values.push(xmlMb / ours.seconds);
      s.oursRps.values.push(ours.records / ours.seconds);
      s.oursCpu.values.push(ours.records / ours.cpuSeconds);
      console.log(
        `  ours alone:    ${ours.seconds.toFixed(1)} s, ${(xmlMb / ours.seconds).toFixed(1)} MB/s, ${fmt(ours.records / ours.seconds)} records/s, peak RSS ${ours.maxRssMb.toFixed(0)} MB`,
      );

      const ins = await child<InsertMeasure>(['insert', today.toISOString(), work]);
      s.insertRps.values.push(ins.rows / ins.seconds);
      s.insertCpu.values.push(ins.rows / ins.cpuSeconds);
      s.insertPerReport.values.push(ins.rows / ins.perReportSeconds);
      console.log(
        `  insert alone:  ${ins.seconds.toFixed(1)} s, ${fmt(ins.rows / ins.seconds)} rows/s; a transaction per report through insertRows ${fmt(ins.rows / ins.perReportSeconds)} rows/s`,
      );

      const target = runDir(`import-${run}`);
      if (lastImportDir) drop(lastImportDir);
      lastImportDir = target.dir;
      const imp = await cliImport(reportsDir, target.env);
      if (imp.records !== corpus.records || imp.reports !== corpus.reports)
        throw new Error(`the import stored ${imp.reports} reports, ${imp.records} records`);
      const importRate = imp.records / imp.wallSeconds;
      s.importRps.values.push(importRate);
      s.importFps.values.push(imp.files / imp.wallSeconds);
      s.importSteady.values.push(imp.steadyRecords / imp.steadySeconds);
      s.importCpu.values.push(imp.records / imp.cpuSeconds);
      s.importWall.values.push(imp.wallSeconds);
      s.importRss.values.push(imp.maxRssMb);
      const insertRate = ins.rows / ins.seconds;
      s.ratioSaxes.values.push((importRate / Math.min(sax.records / sax.seconds, insertRate)) * 100);
      s.ratioOurs.values.push((importRate / Math.min(ours.records / ours.seconds, insertRate)) * 100);
      console.log(
        `  import (CLI):  ${imp.wallSeconds.toFixed(1)} s, ${fmt(importRate)} records/s, ${fmt(imp.files / imp.wallSeconds)} files/s, ${imp.cpuSeconds.toFixed(1)} s CPU, peak RSS ${imp.maxRssMb.toFixed(0)} MB; ${JSON.stringify(imp.statuses)}`,
      );

      const uploadTarget = runDir(`upload-${run}`);
      const up = await uploadSample(uploadTarget.env, token, uploads);
      drop(uploadTarget.dir);
      s.uploadRps.values.push(up.records / up.seconds);
      s.uploadFps.values.push(up.files / up.seconds);
      s.uploadRss.values.push(up.serverPeakMb);
      console.log(
        `  HTTP upload:   ${up.files} files, ${fmt(up.records / up.seconds)} records/s, ${fmt(up.files / up.seconds)} files/s, server peak RSS ${fmt(up.serverPeakMb)} MB`,
      );

      const largeTarget = runDir(`large-${run}`);
      const big = await cliImport(largeFile, largeTarget.env);
      drop(largeTarget.dir);
      if (big.records !== large.records) throw new Error(`the large report stored ${big.records} records`);
      s.largeWall.values.push(big.wallSeconds);
      s.largeRps.values.push(big.records / big.wallSeconds);
      s.largeRss.values.push(big.maxRssMb);
      const boundedTarget = runDir(`large-bounded-${run}`);
      const bounded = await cliImport(largeFile, { ...boundedTarget.env, NODE_OPTIONS: BOUNDED_HEAP });
      drop(boundedTarget.dir);
      s.largeBoundedRss.values.push(bounded.maxRssMb);
      s.largeBoundedWall.values.push(bounded.wallSeconds);
      const bigParse = await child<ParseMeasure>(['parse', largeFile]);
      s.largeParseRss.values.push(bigParse.maxRssMb);
      console.log(
        `  large report:  import ${big.wallSeconds.toFixed(1)} s, peak RSS ${big.maxRssMb.toFixed(0)} MB; bounded heap ${bounded.wallSeconds.toFixed(1)} s, ${bounded.maxRssMb.toFixed(0)} MB; parse alone ${bigParse.seconds.toFixed(1)} s, peak RSS ${bigParse.maxRssMb.toFixed(0)} MB`,
      );
    }

    // ---- PostgreSQL (optional) ----
    const pgImport = PG_URL ? await postgresImport(reportsDir, corpus) : null;

    // ---- analysis, on the last import's database ----
    console.log(`\nTiming the analysis pages on the imported database (${RUNS} rounds) …`);
    const analysis = await analysisTimings(
      { ...env, MAMORI_DATA_DIR: lastImportDir },
      token,
      companies,
      corpus,
      RUNS,
    );

    // ---- report ----
    table.print(
      `DMARC import: ${corpus.reports.toLocaleString('en')} reports / ${corpus.records.toLocaleString('en')} records in ${written.files.toLocaleString('en')} files (${xmlMb.toFixed(0)} MB of XML), SQLite; best of ${RUNS} interleaved runs, spread min–max`,
    );
    const importBest = best(s.importRps);
    const saxesBest = best(s.saxesRps);
    const oursBest = best(s.oursRps);
    const insertBest = best(s.insertRps);
    const ceilingSaxes = Math.min(saxesBest, insertBest);
    const ceilingOurs = Math.min(oursBest, insertBest);
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    const ratio = (name: string, ceiling: number) =>
      `  ceiling = ${name.padEnd(22)} = ${fmt(ceiling).padStart(8)} records/s; import ${fmt(importBest)} records/s = ${pct(importBest / ceiling)} (target >= ${pct(TARGET_RATIO)})  ${verdict(importBest >= TARGET_RATIO * ceiling)}`;
    console.log(`
Import against the ceilings (best runs; the issue names saxes as the fixed reference)
${ratio('min(saxes, insert)', ceilingSaxes)}
${ratio('min(ours, insert)', ceilingOurs)}
  one thread parsing then inserting cannot beat 1 / (1/parse + 1/insert): ${fmt(1 / (1 / saxesBest + 1 / insertBest))} records/s with saxes (${pct(1 / (1 / saxesBest + 1 / insertBest) / ceilingSaxes)} of its ceiling), ${fmt(1 / (1 / oursBest + 1 / insertBest))} with ours (${pct(1 / (1 / oursBest + 1 / insertBest) / ceilingOurs)})
Peak RSS importing one ${largeMb} MB report with \`mamori dmarc import\`: ${fmt(best(s.largeRss))} MB (spread ${spread(s.largeRss)}; target < ${TARGET_RSS_MB} MB)  ${verdict(best(s.largeRss) < TARGET_RSS_MB)}
  (diagnostic, not how the product runs: with NODE_OPTIONS=${BOUNDED_HEAP} ${fmt(best(s.largeBoundedRss))} MB)`);
    if (pgImport)
      console.log(
        `PostgreSQL (one run): ${fmt(pgImport.records / pgImport.wallSeconds)} records/s, ${fmt(pgImport.files / pgImport.wallSeconds)} files/s, ${pgImport.wallSeconds.toFixed(1)} s, peak RSS ${fmt(pgImport.maxRssMb)} MB`,
      );
    else console.log('PostgreSQL: skipped (set MAMORI_BENCH_PG_URL to an admin URL to run it)');

    console.log(
      `\nAnalysis pages: ${REQUESTS} sequential requests per round, ${RUNS} rounds; best round's median and p99, spread of the medians; "x trivial" = best median / the trivial route's best median (target <= ${TARGET_LATENCY_RATIO}x); "first ms" = the first request after the import, computed afresh (later ones are answered from the results kept for the data's version)`,
    );
    const pad = (x: string, n: number) => x.padEnd(n);
    console.log(
      `${pad('route', 72)} ${pad('median ms', 10)} ${pad('spread', 12)} ${pad('p99 ms', 8)} ${pad('first ms', 9)} ${pad('x trivial', 10)}`,
    );
    const trivial = analysis.rows[0] ? Math.min(...analysis.rows[0].medians) : NaN;
    for (const [k, r] of analysis.rows.entries()) {
      const m = Math.min(...r.medians);
      const p99 = r.p99s[r.medians.indexOf(m)]!;
      const x = m / trivial;
      console.log(
        `${pad(r.name, 72)} ${pad(m.toFixed(2), 10)} ${pad(`${Math.min(...r.medians).toFixed(2)}–${Math.max(...r.medians).toFixed(2)}`, 12)} ${pad(p99.toFixed(2), 8)} ${pad(r.firstMs.toFixed(1), 9)} ${pad(`${x.toFixed(1)}x`, 10)} ${k === 0 ? '' : verdict(x <= TARGET_LATENCY_RATIO)}`,
      );
    }
    if (analysis.missing.length > 0)
      console.log(`  not timed: ${analysis.missing.join(', ')} (no such route in this build)`);
  } finally {
    fs.rmSync(pristine, { recursive: true, force: true });
    if (process.env.BENCH_KEEP) console.log(`Kept ${work}, ${dataDir} and ${[...made].join(', ')}`);
    else {
      fs.rmSync(work, { recursive: true, force: true });
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
      cleanup();
    }
  }
}

if (import.meta.main) await main();
