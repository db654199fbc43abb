// npm run bench:api — 44 companies and 50,000 people in a fresh SQLite database; the server in a child
// process; autocannon (this process) drives /healthz, the reference route and GET /api/v1/people?limit=50.
import fs from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { totpNow } from '../src/platform/auth/totp.ts';
import { generateGroup } from './generate.ts';

const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 44);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const dataDir = path.resolve(import.meta.dirname, '.data', `api-${Date.now()}`);
fs.mkdirSync(dataDir, { recursive: true });
const env = {
  ...process.env,
  MAMORI_DATA_DIR: dataDir,
  MAMORI_SECRET_KEY: randomBytes(32).toString('base64'),
  MAMORI_LOG_LEVEL: 'silent',
};

console.log(
  `Generating ${COMPANIES} companies and ${PEOPLE.toLocaleString('en')} people into ${path.relative(process.cwd(), dataDir)}/mamori.sqlite …`,
);
const ctx = await createContext(loadConfig(env));
const group = await generateGroup(ctx, { companies: COMPANIES, people: PEOPLE });
console.log(
  `  imported ${group.people.toLocaleString('en')} people through the HR CSV import in ${group.importSeconds.toFixed(1)} s (${Math.round(group.people / group.importSeconds).toLocaleString('en')} rows/s, with an audit entry each)`,
);

// A group CISO (group-wide scope) with TOTP enrolled, and an API token for the load generator.
const actor = systemActor('bench');
const email = 'bench.ciso@bench.example';
const user = await ctx.services.identity.createUserWithRoles(
  actor,
  { email, displayName: 'Bench CISO', password: 'bench-password-long-enough', personId: null, locale: 'en' },
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
  scopes: ['org:read'],
  expiresInDays: 1,
});
await ctx.close();

const server = fork(path.join(import.meta.dirname, 'api-server.ts'), { env, stdio: 'inherit' });
const port = await new Promise<number>((resolve, reject) => {
  server.once('message', (m) => resolve((m as { port: number }).port));
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}`;

async function probe(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + url, { headers });
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return body.items?.length ?? 0;
}

type Row = { name: string; rps: number; p50: number; p99: number; errors: number };
async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
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

try {
  const auth = { authorization: `Bearer ${token}` };
  const realItems = await probe('/api/v1/people?limit=50', auth);
  const refItems = await probe('/api/v1/bench/reference/people');
  if (realItems !== 50 || refItems !== 50)
    throw new Error(`expected 50 rows from both routes, got ${realItems} and ${refItems}`);
  console.log(`\nautocannon: ${CONNECTIONS} connections, ${DURATION} s per route after a 2 s warm-up\n`);
  const rows = [
    await load('/healthz', '/healthz'),
    await load('reference: same page query, no auth/validation/scope', '/api/v1/bench/reference/people'),
    await load('GET /api/v1/people?limit=50 (token, group scope)', '/api/v1/people?limit=50', auth),
  ];
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad('route', 56)} ${pad('req/s', 10)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} errors`);
  for (const r of rows)
    console.log(
      `${pad(r.name, 56)} ${pad(r.rps.toFixed(0), 10)} ${pad(String(r.p50), 8)} ${pad(String(r.p99), 8)} ${r.errors}`,
    );
  const [, ref, real] = rows as [Row, Row, Row];
  const rpsRatio = real.rps / ref.rps;
  const p99Ratio = real.p99 / Math.max(ref.p99, 1);
  console.log(
    `\nreal / reference requests per second: ${(rpsRatio * 100).toFixed(1)} %   (target >= 80 %)  ${rpsRatio >= 0.8 ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `real / reference p99 latency:        ${p99Ratio.toFixed(2)} x   (target <= 1.5 x) ${p99Ratio <= 1.5 ? 'MET' : 'MISSED'}`,
  );
  console.log(`reference / healthz requests per second: ${((ref.rps / rows[0]!.rps) * 100).toFixed(1)} %`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (!process.env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
}
