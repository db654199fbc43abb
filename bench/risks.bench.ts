// npm run bench:risks — the risk register at group scale, all through the HTTP API of one server process.
// 44 companies and 20,000 people (bench/generate.ts) in a fresh SQLite database; then the real server in a
// child process: an inventory CSV of 100,000 assets imported with POST /api/v1/assets/import (dry run, then the
// all-or-nothing commit: rows per second, and the server's resident memory while it works); a risk method per
// company (PUT /api/v1/companies/:id/risk-method); 20,000 risks on random assets with random scores and
// treatments (POST /api/v1/risks, a few in flight); then sequential latencies (median, p99) of the filtered
// register list, the heat cell filter and the group and company heat maps, against a trivial authenticated
// endpoint in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { TREATMENTS, type SetRiskMethodInput, type Treatment } from '../src/modules/risks/index.ts';
import { generateGroup, rng, writeInventoryCsv } from './generate.ts';
import { benchDataDir, benchToken, latency, processRssMb, startBenchServer } from './support.ts';

const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 44);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 100_000);
const RISKS = Number(process.env.BENCH_RISKS ?? 20_000);
/** Risk creations in flight at once. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const TARGET_ROWS_PER_SECOND = 20_000;
const TARGET_RSS_MB = 300;
const TARGET_HEATMAP_RATIO = 10;

/** 5 x 5, four levels; a residual level above `medium` needs a sign-off before it may be accepted. */
const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
const levelOf = (likelihood: number, impact: number) => {
  const p = likelihood * impact;
  return p >= 15 ? 'critical' : p >= 8 ? 'high' : p >= 4 ? 'medium' : 'low';
};
const METHOD: Omit<SetRiskMethodInput, 'version'> = {
  likelihood: [1, 2, 3, 4, 5].map((level) => ({ level, name: `L${level}`, criteria: `likelihood ${level}` })),
  impact: [1, 2, 3, 4, 5].map((level) => ({ level, name: `I${level}`, criteria: `impact ${level}` })),
  levels: LEVELS.map((name, i) => ({ name, rank: i + 1 })),
  matrix: [1, 2, 3, 4, 5].flatMap((likelihood) =>
    [1, 2, 3, 4, 5].map((impact) => ({ likelihood, impact, level: levelOf(likelihood, impact) })),
  ),
  acceptanceThreshold: 'medium',
};

const mb = (n: number) => `${n.toFixed(0)} MB`;
const ms = (n: number) => n.toFixed(2).padStart(8);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

type Api = <T>(method: string, url: string, body?: unknown, contentType?: string) => Promise<T>;

function client(base: string, token: string): Api {
  return async <T>(method: string, url: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(base + url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body:
        body === undefined
          ? undefined
          : contentType === 'application/json'
            ? JSON.stringify(body)
            : new Uint8Array(body as Buffer),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  };
}

interface ImportReport {
  committed: boolean;
  rows: number;
  created: number;
  errors: { line: number; message: string }[];
}

/** Posts the file and samples the server's RSS while it works. */
async function timedImport(api: Api, pid: number, bytes: Buffer, commit: boolean) {
  let sampled = 0;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, processRssMb(pid)?.rss ?? 0);
  }, 10);
  const t = performance.now();
  const report = await api<ImportReport>('POST', `/api/v1/assets/import?commit=${commit}`, bytes, 'text/csv');
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  if (report.errors.length > 0 || (commit && !report.committed))
    throw new Error(`the import was refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
  return { report, seconds, sampledRssMb: sampled, after: processRssMb(pid) };
}

async function main(): Promise<void> {
  const { dataDir, env, cleanup } = benchDataDir('risks');
  const csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-risks-')), 'assets.csv');
  try {
    console.log(
      `Generating ${COMPANIES} companies and ${PEOPLE.toLocaleString('en')} people into ${path.relative(process.cwd(), dataDir)}/mamori.sqlite …`,
    );
    const ctx = await createContext(loadConfig(env));
    const group = await generateGroup(ctx, { companies: COMPANIES, people: PEOPLE });
    const token = await benchToken(ctx, [
      'org:read',
      'identity:read',
      'assets:read',
      'assets:write',
      'risks:read',
      'risks:write',
    ]);
    await ctx.close();
    const size = writeInventoryCsv(csvFile, group.companies, PEOPLE, ASSETS);
    console.log(
      `Wrote ${ASSETS.toLocaleString('en')} assets to ${csvFile} (${(size / 1024 / 1024).toFixed(1)} MB)`,
    );

    const server = await startBenchServer(env);
    try {
      const api = client(server.base, token);
      await api('GET', '/api/v1/auth/session');
      const started = processRssMb(server.pid);

      // ---- the import, as the web UI does it: a dry run, then the commit ----
      const bytes = fs.readFileSync(csvFile);
      const dry = await timedImport(api, server.pid, bytes, false);
      const commit = await timedImport(api, server.pid, bytes, true);
      const rowsPerSecond = commit.report.rows / commit.seconds;
      const peak = Math.max(commit.after?.peak ?? 0, commit.sampledRssMb, dry.sampledRssMb);
      console.log(`
import of ${commit.report.rows.toLocaleString('en')} rows through POST /api/v1/assets/import (server process)
  dry run:  ${dry.seconds.toFixed(2)} s   ${Math.round(dry.report.rows / dry.seconds).toLocaleString('en')} rows/s
  commit:   ${commit.seconds.toFixed(2)} s   ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s   (target >= ${TARGET_ROWS_PER_SECOND.toLocaleString('en')})  ${verdict(rowsPerSecond >= TARGET_ROWS_PER_SECOND)}
  RSS:      ${mb(started?.rss ?? 0)} when serving, ${mb(dry.sampledRssMb)} at most in the dry run, ${mb(commit.sampledRssMb)} in the commit, peak (VmHWM) ${mb(commit.after?.peak ?? 0)}   (target < ${TARGET_RSS_MB} MB)  ${verdict(peak < TARGET_RSS_MB)}`);

      // ---- a risk method per company ----
      const t0 = performance.now();
      for (const c of group.companies)
        await api('PUT', `/api/v1/companies/${c.id}/risk-method`, { ...METHOD, version: 0 });

      // ---- 20,000 risks on random assets, owners, scores and treatments ----
      const rand = rng(11);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
      const refs = await Promise.all(
        group.companies.map(async (c) => {
          const assets = await api<{ items: { id: string }[] }>(
            'GET',
            `/api/v1/assets?companyId=${c.id}&limit=200`,
          );
          const people = await api<{ items: { id: string }[] }>(
            'GET',
            `/api/v1/people?companyId=${c.id}&limit=200`,
          );
          return { id: c.id, assets: assets.items.map((a) => a.id), people: people.items.map((p) => p.id) };
        }),
      );
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const riskInput = (k: number) => {
        const c = refs[k % refs.length]!;
        const il = 1 + Math.floor(rand() * 5);
        const ii = 1 + Math.floor(rand() * 5);
        const rl = 1 + Math.floor(rand() * il);
        const ri = 1 + Math.floor(rand() * ii);
        let treatment: Treatment = pick(TREATMENTS);
        // Accepting a residual level above the threshold needs a sign-off first: those are mitigated instead.
        if (treatment === 'accept' && LEVELS.indexOf(levelOf(rl, ri)) > LEVELS.indexOf('medium'))
          treatment = 'mitigate';
        const assets = new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(c.assets)));
        return {
          companyId: c.id,
          title: `Risk ${k}: ${pick(['Data leak', 'Outage', 'Fraud', 'Ransomware', 'Insider misuse'])}`,
          scenario: `Scenario of risk ${k}`,
          assetIds: [...assets],
          ownerPersonId: pick(c.people),
          inherent: { likelihood: il, impact: ii },
          residual: { likelihood: rl, impact: ri },
          treatment,
          reviewDate: day(Math.floor(rand() * 400) - 100),
        };
      };
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let k = next++; k < RISKS; k = next++) await api('POST', '/api/v1/risks', riskInput(k));
        }),
      );
      const riskSeconds = (performance.now() - t0) / 1000;
      console.log(
        `\n${COMPANIES} risk methods and ${RISKS.toLocaleString('en')} risks created through the API in ${riskSeconds.toFixed(1)} s (${Math.round(RISKS / riskSeconds)} risks/s, ${IN_FLIGHT} in flight)`,
      );

      // ---- latencies, sequential, against the trivial authenticated endpoint ----
      const auth = { authorization: `Bearer ${token}` };
      const one = group.companies[1]!.id;
      const routes: { name: string; url: string; optional?: boolean }[] = [
        { name: 'GET /auth/session (trivial, authenticated)', url: '/api/v1/auth/session' },
        {
          name: 'register: company + level + treatment, limit 50',
          url: `/api/v1/risks?companyId=${one}&level=high&treatment=mitigate&limit=50`,
        },
        { name: 'register: group-wide, limit 50', url: '/api/v1/risks?limit=50' },
        {
          name: 'register: residual cell 3 x 3, limit 50',
          url: '/api/v1/risks?residualLikelihood=3&residualImpact=3&limit=50',
          optional: true,
        },
        { name: 'heat map: group', url: '/api/v1/risks/heatmap' },
        { name: 'heat map: one company', url: `/api/v1/risks/heatmap?companyId=${one}` },
      ];
      const rows: { name: string; median: number; p99: number }[] = [];
      for (const r of routes) {
        const probe = await fetch(server.base + r.url, { headers: auth });
        await probe.arrayBuffer();
        if (r.optional && probe.status === 400) {
          console.log(`  skipped (the API answers 400, not supported yet): ${r.name}`);
          continue;
        }
        await latency(server.base, r.url, auth, 20); // warm-up
        rows.push({ name: r.name, ...(await latency(server.base, r.url, auth, SAMPLES)) });
      }
      const trivial = rows[0]!.median;
      console.log(`\nsequential requests, ${SAMPLES} each after 20 to warm up\n`);
      console.log(`${'route'.padEnd(50)} ${'median ms'.padStart(9)} ${'p99 ms'.padStart(8)}  vs trivial`);
      for (const r of rows)
        console.log(
          `${r.name.padEnd(50)} ${ms(r.median).padStart(9)} ${ms(r.p99)}  ${(r.median / trivial).toFixed(1).padStart(6)} x`,
        );
      const group_ = rows.find((r) => r.name === 'heat map: group')!;
      const ratio = group_.median / trivial;
      console.log(`
targets
  import:           ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s (>= ${TARGET_ROWS_PER_SECOND.toLocaleString('en')})  ${verdict(rowsPerSecond >= TARGET_ROWS_PER_SECOND)}
  import memory:    peak RSS ${mb(peak)} (< ${TARGET_RSS_MB} MB)  ${verdict(peak < TARGET_RSS_MB)}
  group heat map:   ${ratio.toFixed(1)} x the trivial endpoint's median (<= ${TARGET_HEATMAP_RATIO} x)  ${verdict(ratio <= TARGET_HEATMAP_RATIO)}`);
    } finally {
      await server.stop();
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`Kept ${dataDir} and ${csvFile}`);
    else fs.rmSync(path.dirname(csvFile), { recursive: true, force: true });
    cleanup();
  }
}

await main();
