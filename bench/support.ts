// Shared pieces of the benchmarks: a fresh data directory, a group CISO with an API token, the server in a
// child process, and autocannon runs printed as one table.
import fs from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';

/** The V8 flags `npm start` and bin/mamori.js run Mamori with (see package.json and bin/mamori.js). */
export const PRODUCT_NODE_FLAGS = [
  '--max-semi-space-size=16',
  '--heap-growing-percent=50',
  '--no-allocation-site-pretenuring',
];
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { AppContext } from '../src/app/context.ts';
import { systemActor, type TokenScope } from '../src/platform/authz/permissions.ts';
import { totpNow } from '../src/platform/auth/totp.ts';

export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

export function benchDataDir(name: string): { dataDir: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const dataDir = path.resolve(import.meta.dirname, '.data', `${name}-${Date.now()}`);
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    dataDir,
    env: {
      ...process.env,
      MAMORI_DATA_DIR: dataDir,
      MAMORI_SECRET_KEY: randomBytes(32).toString('base64'),
      MAMORI_LOG_LEVEL: 'silent',
    },
    cleanup: () => {
      if (!process.env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A group CISO (group-wide scope) with TOTP enrolled, and an API token for the load generator. */
export async function benchToken(ctx: AppContext, scopes: TokenScope[]): Promise<string> {
  const actor = systemActor('bench');
  const email = 'bench.ciso@bench.example';
  const identity = ctx.services.identity;
  const user = await identity.createUserWithRoles(
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
  const { secret } = await identity.startMfaEnrollment(self);
  await identity.confirmMfaEnrollment(
    { actor: self, via: 'session', sessionId: null, csrfToken: null, stage: 'mfa_enrollment' },
    totpNow(secret),
  );
  return (await identity.createTokenForEmail(actor, email, { name: 'bench', scopes, expiresInDays: 1 }))
    .token;
}

/** The real server (plus the benchmark's reference route) in a child process. */
export async function startBenchServer(
  env: NodeJS.ProcessEnv,
): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  // With the V8 flag the product's launchers give (`npm start`, bin/mamori.js).
  const server = fork(path.join(import.meta.dirname, 'api-server.ts'), {
    env,
    stdio: 'inherit',
    execArgv: [...process.execArgv, ...PRODUCT_NODE_FLAGS],
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('message', (m) => resolve((m as { port: number }).port));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: server.pid!,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    },
  };
}

export type Row = { name: string; rps: number; p50: number; p99: number; errors: number };

export async function load(
  base: string,
  name: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<Row> {
  await autocannon({ url: base + url, headers, connections: CONNECTIONS, duration: 2 }); // warm-up
  const r = await autocannon({ url: base + url, headers, connections: CONNECTIONS, duration: DURATION });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

export function printRows(rows: Row[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\nautocannon: ${CONNECTIONS} connections, ${DURATION} s per route after a 2 s warm-up\n`);
  console.log(`${pad('route', 60)} ${pad('req/s', 10)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} errors`);
  for (const r of rows)
    console.log(
      `${pad(r.name, 60)} ${pad(r.rps.toFixed(0), 10)} ${pad(String(r.p50), 8)} ${pad(String(r.p99), 8)} ${r.errors}`,
    );
}

/** Median and 99th percentile latency in ms of `n` sequential requests (finer than autocannon's milliseconds). */
export async function latency(
  base: string,
  url: string,
  headers: Record<string, string> = {},
  n = 200,
): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(base + url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(n / 2)]!, p99: times[Math.min(n - 1, Math.ceil(n * 0.99) - 1)]! };
}

/** Median latency in ms of `n` sequential requests. */
export async function medianLatency(
  base: string,
  url: string,
  headers: Record<string, string> = {},
  n = 200,
): Promise<number> {
  return (await latency(base, url, headers, n)).median;
}

/** A process's resident memory now and its high-water mark since it started, in MB (Linux /proc). */
export function processRssMb(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
