// npm run bench:api — 44 companies and 50,000 people in a fresh SQLite database; the server in a child
// process; autocannon (this process) drives /healthz, the reference route and GET /api/v1/people?limit=50.
import path from 'node:path';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { generateGroup } from './generate.ts';
import { benchDataDir, benchToken, load, printRows, startBenchServer, type Row } from './support.ts';

const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 44);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50_000);

const { dataDir, env, cleanup } = benchDataDir('api');
console.log(
  `Generating ${COMPANIES} companies and ${PEOPLE.toLocaleString('en')} people into ${path.relative(process.cwd(), dataDir)}/mamori.sqlite …`,
);
const ctx = await createContext(loadConfig(env));
const group = await generateGroup(ctx, { companies: COMPANIES, people: PEOPLE });
console.log(
  `  imported ${group.people.toLocaleString('en')} people through the HR CSV import in ${group.importSeconds.toFixed(1)} s (${Math.round(group.people / group.importSeconds).toLocaleString('en')} rows/s, with an audit entry each)`,
);
const token = await benchToken(ctx, ['org:read']);
await ctx.close();

const server = await startBenchServer(env);
async function probe(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.base + url, { headers });
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return body.items?.length ?? 0;
}

try {
  const auth = { authorization: `Bearer ${token}` };
  const realItems = await probe('/api/v1/people?limit=50', auth);
  const refItems = await probe('/api/v1/bench/reference/people');
  if (realItems !== 50 || refItems !== 50)
    throw new Error(`expected 50 rows from both routes, got ${realItems} and ${refItems}`);
  const rows = [
    await load(server.base, '/healthz', '/healthz'),
    await load(
      server.base,
      'reference: same page query, no auth/validation/scope',
      '/api/v1/bench/reference/people',
    ),
    await load(
      server.base,
      'GET /api/v1/people?limit=50 (token, group scope)',
      '/api/v1/people?limit=50',
      auth,
    ),
  ];
  printRows(rows);
  const [healthz, ref, real] = rows as [Row, Row, Row];
  const rpsRatio = real.rps / ref.rps;
  const p99Ratio = real.p99 / Math.max(ref.p99, 1);
  console.log(
    `\nreal / reference requests per second: ${(rpsRatio * 100).toFixed(1)} %   (target >= 80 %)  ${rpsRatio >= 0.8 ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `real / reference p99 latency:        ${p99Ratio.toFixed(2)} x   (target <= 1.5 x) ${p99Ratio <= 1.5 ? 'MET' : 'MISSED'}`,
  );
  console.log(`reference / healthz requests per second: ${((ref.rps / healthz.rps) * 100).toFixed(1)} %`);
} finally {
  await server.stop();
  cleanup();
}
