// npm run bench:spf — RFC 7208 check_host() for 100,000 (ip, sender) pairs against a local DNS server serving a
// generated zone (2,000 sender domains including 30 providers' records up to three levels deep), uncached (a fresh
// resolver per evaluation) and cached (one TTL-respecting cache), beside libspf2's spfquery and pyspf on the same
// server and pairs; every engine's results are checked against the RFC's, worked out from the records' structure.
// Then the posture scan of 500 domains (bench/scan.bench.ts). The DNS server runs in a child process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCachingResolver } from '../src/modules/email-auth/dns/dns-cache.ts';
import { createDnsClient } from '../src/modules/email-auth/dns/dns-client.ts';
import { checkSender } from '../src/modules/email-auth/lib/spf/check-host.ts';
import { mapConcurrent } from '../src/modules/email-auth/scan/posture-scan.ts';
import { startBenchServers, type BenchServers } from './servers.ts';
import {
  canUnshareMounts,
  ensureTool,
  pyspf,
  pyspfPresent,
  spfqueryEach,
  spfqueryFile,
  spfqueryPresent,
  writePairs,
  type ExternalRun,
} from './spf-external.ts';
import { generateSpfWorld, type SpfPair } from './spf-zone.ts';
import { runScanBench } from './scan.bench.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 100_000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 2000);
/** Pairs for the engines that evaluate without a cache at a few hundred a second. */
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 2000);
/**
 * Evaluations in flight for our engine. 16: as fast as 64 uncached (the DNS server is the limit there) and faster
 * cached, where 64 suspended evaluations cost about a quarter more CPU each (more live objects for the collector).
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TTL = 3600;

interface Measured {
  engine: string;
  cache: string;
  pairs: SpfPair[];
  inFlight: number;
  /** Evaluations a second, one per run. */
  rates: number[];
  queriesPerEval: number;
  /** The first run's results. */
  results: string[];
  /** Whether later runs gave the same results as the first. */
  stable: boolean;
}

const world = generateSpfWorld({ senders: SENDERS, pairs: PAIRS });
const sampleStep = Math.max(1, Math.floor(PAIRS / SAMPLE));
const sample = world.pairs.filter((_, i) => i % sampleStep === 0).slice(0, SAMPLE);
console.log(
  `SPF: ${SENDERS.toLocaleString('en')} sender domains over ${world.providers} providers (${Object.keys(world.zone).length.toLocaleString('en')} names, TTL ${TTL} s), ` +
    `${PAIRS.toLocaleString('en')} pairs, ${RUNS} runs`,
);
console.log(`  domains: ${[...world.categories].map(([c, n]) => `${c} ${n}`).join(', ')}`);
console.log(`  expected results: ${tally(world.pairs.map((p) => p.expected))}`);

// Port 53 when it can be had: the C library's resolver, and so spfquery, cannot be told another port.
let servers: BenchServers | null = await startBenchServers({ zone: world.zone, ttl: TTL, port: 53 });
const skipped: Record<'spfquery' | 'pyspf', string | null> = { spfquery: null, pyspf: null };
if (!servers) {
  skipped.spfquery = '127.0.0.1:53 is taken, and spfquery can only ask port 53';
  servers = await startBenchServers({ zone: world.zone, ttl: TTL });
}
const server = servers!;
const address = server.dns;
console.log(`  DNS server: ${address.host}:${address.port}, in a child process`);
skipped.spfquery ??=
  ensureTool('spfquery', spfqueryPresent, 'spfquery') ??
  (canUnshareMounts() ? null : 'a private mount namespace (unshare -m) cannot be made here');
skipped.pyspf = ensureTool('pyspf', pyspfPresent, 'python3-spf');
for (const [engine, why] of Object.entries(skipped)) if (why) console.log(`  ${engine} skipped: ${why}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-spf-bench-'));
const allFile = path.join(dir, 'pairs.txt');
const sampleFile = path.join(dir, 'sample.txt');
writePairs(allFile, world.pairs);
writePairs(sampleFile, sample);

/** Our check_host(), `CONCURRENCY` evaluations in flight; cached: one cache for all, else a new client for each. */
async function ours(pairs: SpfPair[], cached: boolean): Promise<ExternalRun> {
  const client = () => createDnsClient({ servers: [address], timeoutMs: 2000, retries: 1 });
  const cache = cached ? createCachingResolver(client()) : null;
  const started = performance.now();
  const results = await mapConcurrent(pairs, CONCURRENCY, async (p) => {
    const outcome = await checkSender({ ip: p.ip, mailFrom: p.sender, helo: p.helo }, cache ?? client());
    return outcome.result;
  });
  return { results, seconds: (performance.now() - started) / 1000 };
}

const engines: {
  engine: string;
  cache: string;
  pairs: SpfPair[];
  inFlight: number;
  run: () => Promise<ExternalRun>;
}[] = [
  {
    engine: 'mamori',
    cache: 'none (a new client each)',
    pairs: world.pairs,
    inFlight: CONCURRENCY,
    run: () => ours(world.pairs, false),
  },
  {
    engine: 'mamori',
    cache: 'shared, TTL-respecting',
    pairs: world.pairs,
    inFlight: CONCURRENCY,
    run: () => ours(world.pairs, true),
  },
  {
    engine: 'mamori',
    cache: 'shared, TTL-respecting',
    pairs: world.pairs,
    inFlight: 1,
    run: async () => {
      const client = createCachingResolver(
        createDnsClient({ servers: [address], timeoutMs: 2000, retries: 1 }),
      );
      const started = performance.now();
      const results: string[] = [];
      for (const p of world.pairs)
        results.push((await checkSender({ ip: p.ip, mailFrom: p.sender, helo: p.helo }, client)).result);
      return { results, seconds: (performance.now() - started) / 1000 };
    },
  },
  {
    engine: 'mamori',
    cache: 'none (a new client each)',
    pairs: sample,
    inFlight: 1,
    run: async () => {
      const started = performance.now();
      const results: string[] = [];
      for (const p of sample) {
        const client = createDnsClient({ servers: [address], timeoutMs: 2000, retries: 1 });
        results.push((await checkSender({ ip: p.ip, mailFrom: p.sender, helo: p.helo }, client)).result);
      }
      return { results, seconds: (performance.now() - started) / 1000 };
    },
  },
  ...(skipped.spfquery
    ? []
    : [
        {
          engine: 'spfquery (libspf2)',
          cache: 'in-process (-file)',
          pairs: world.pairs,
          inFlight: 1,
          run: () => spfqueryFile(dir, allFile, world.pairs.length),
        },
        {
          engine: 'spfquery (libspf2)',
          cache: 'none (a process each)',
          pairs: sample,
          inFlight: 1,
          run: () => spfqueryEach(dir, sampleFile, sample.length),
        },
      ]),
  ...(skipped.pyspf
    ? []
    : [
        {
          engine: 'pyspf',
          cache: 'none (check2 each)',
          pairs: sample,
          inFlight: 1,
          run: () => pyspf(dir, sampleFile, sample.length, address),
        },
      ]),
];

const measured: Measured[] = engines.map((e) => ({
  ...e,
  rates: [],
  queriesPerEval: 0,
  results: [],
  stable: true,
}));
try {
  for (let run = 1; run <= RUNS; run++) {
    console.log(`\nrun ${run} of ${RUNS}`);
    for (const [i, e] of engines.entries()) {
      const m = measured[i]!;
      const before = await server.count();
      const r = await e.run();
      const after = await server.count();
      const rate = e.pairs.length / r.seconds;
      m.rates.push(rate);
      if (run === 1) {
        m.results = r.results;
        m.queriesPerEval = (after.queries - before.queries) / e.pairs.length;
      } else if (r.results.some((x, j) => x !== m.results[j])) m.stable = false;
      console.log(
        `  ${label(m).padEnd(62)} ${r.seconds.toFixed(2).padStart(7)} s  ${fmt(rate).padStart(8)} evals/s  ` +
          `${((after.queries - before.queries) / e.pairs.length).toFixed(2)} queries/eval` +
          (after.tcp > before.tcp ? ` (${after.tcp - before.tcp} over TCP)` : ''),
      );
    }
  }
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

// Our results, to compare the others with: the same pairs evaluated by our first engine (uncached, all pairs).
const oursByPair = new Map<SpfPair, string>(world.pairs.map((p, i) => [p, measured[0]!.results[i]!]));
const agreement = (m: Measured, reference: (p: SpfPair) => string) => {
  const same = m.pairs.filter((p, i) => m.results[i] === reference(p)).length;
  return `${((100 * same) / m.pairs.length).toFixed(2)}% (${m.pairs.length - same} differ)`;
};

console.log(
  `\nSPF evaluations: best of ${RUNS} runs (spread min–max); "RFC" is the result worked out from the records' structure\n`,
);
const header = ['engine, cache', 'pairs', 'in flight', 'evals/s', 'spread', 'DNS q/eval', '= ours', '= RFC'];
const widths = [52, 8, 10, 9, 18, 11, 22, 22];
const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join(' '));
row(header);
for (const m of measured)
  row([
    label(m),
    m.pairs.length.toLocaleString('en'),
    String(m.inFlight),
    fmt(best(m)),
    `${fmt(Math.min(...m.rates))}–${fmt(Math.max(...m.rates))}`,
    m.queriesPerEval.toFixed(2),
    agreement(m, (p) => oursByPair.get(p)!),
    agreement(m, (p) => p.expected) + (m.stable ? '' : ' (varied)'),
  ]);

console.log('\nDisagreements with ours, by sender category (ours → theirs):');
for (const m of measured.slice(1)) {
  const diffs = new Map<string, number>();
  m.pairs.forEach((p, i) => {
    const o = oursByPair.get(p)!;
    if (m.results[i] !== o) {
      const k = `${p.category}: ${o} → ${m.results[i]}`;
      diffs.set(k, (diffs.get(k) ?? 0) + 1);
    }
  });
  console.log(`  ${label(m)}: ${diffs.size === 0 ? 'none' : ''}`);
  for (const [k, n] of [...diffs].sort((a, b) => b[1] - a[1]))
    console.log(`    ${String(n).padStart(6)}  ${k}`);
}

const find = (engine: string, cache: string, inFlight?: number) =>
  measured.find(
    (m) => m.engine === engine && m.cache.startsWith(cache) && (inFlight ?? m.inFlight) === m.inFlight,
  );
const oursUncached = find('mamori', 'none', CONCURRENCY)!;
const oursCached = find('mamori', 'shared', CONCURRENCY)!;
const libspf2Cached = find('spfquery (libspf2)', 'in-process');
const libspf2Each = find('spfquery (libspf2)', 'none');
const pyspfEach = find('pyspf', 'none');
// The others evaluate one pair at a time: ours is compared both as it runs (CONCURRENCY in flight) and one at a time.
const targets: [string, Measured, Measured | undefined][] = [
  [`ours cached (${CONCURRENCY} in flight) > spfquery -file`, oursCached, libspf2Cached],
  ['ours cached (1 in flight) > spfquery -file', find('mamori', 'shared', 1)!, libspf2Cached],
  [`ours uncached (${CONCURRENCY} in flight) > pyspf`, oursUncached, pyspfEach],
  ['ours uncached (1 in flight) > pyspf', find('mamori', 'none', 1)!, pyspfEach],
  [`ours uncached (${CONCURRENCY} in flight) > spfquery, a process each`, oursUncached, libspf2Each],
];
console.log('\nTargets (best of each):');
for (const [name, a, b] of targets)
  console.log(
    `  ${name.padEnd(56)} ${b ? `${best(a) > best(b) ? 'PASS' : 'MISS'}  ${fmt(best(a))} vs ${fmt(best(b))} evals/s (${(best(a) / best(b)).toFixed(2)}x)` : 'SKIPPED'}`,
  );
const exact = measured
  .filter((m) => m.engine === 'mamori')
  .every((m) => m.stable && m.pairs.every((p, i) => m.results[i] === p.expected));
console.log(
  `  ${'ours = RFC on every pair, every run, cached and uncached'.padEnd(56)} ${exact ? 'PASS' : 'MISS'}`,
);

await runScanBench({ runs: RUNS });

function label(m: { engine: string; cache: string; inFlight: number }) {
  return `${m.engine}, ${m.cache}${m.engine === 'mamori' ? `, ${m.inFlight} in flight` : ''}`;
}
function best(m: Measured) {
  return Math.max(...m.rates);
}
function fmt(n: number) {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1);
}
function tally(results: string[]) {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${n.toLocaleString('en')}`)
    .join(', ');
}
