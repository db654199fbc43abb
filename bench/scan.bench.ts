// The posture scan of 500 domains against the benchmark's servers (run by `npm run bench:spf` after the SPF
// figures, or alone: node bench/scan.bench.ts): each domain with the SPF records of bench/spf-zone.ts (providers'
// includes, redirects, a few broken records), DMARC (some with an authorised external destination), two DKIM
// selectors, MX, MTA-STS (the policy served over HTTPS), TLS-RPT and, for some, BIMI (the logo served over HTTPS).
// The DNS and HTTPS servers (a certificate from a CA made for the run) run in a child process; scanMany shares one
// DNS cache between the scans. Target: 500 domains in under 30 s, every scan complete.
import { generateKeyPairSync } from 'node:crypto';
import type { PostureReport } from '../src/modules/email-auth/lib/posture.ts';
import { createScanDeps, scanMany, type ScanInput } from '../src/modules/email-auth/scan/posture-scan.ts';
import { createTestCa, type HttpsRoute } from '../test/support/https-server.ts';
import { startBenchServers } from './servers.ts';
import { generateSpfWorld, random } from './spf-zone.ts';

const DOMAINS = Number(process.env.BENCH_SCAN_DOMAINS ?? 500);
const SCAN_CONCURRENCY = Number(process.env.BENCH_SCAN_CONCURRENCY ?? 32);
const TARGET_SECONDS = 30;
const LOGO_HOST = 'bimi.cdn.example';

const LOGO = (name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<svg version="1.2" baseProfile="tiny-ps" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <title>${name}</title>
  <rect width="100" height="100" fill="#0a6"/>
</svg>`;

/** A TXT record's text as DNS character-strings of at most 255 bytes. */
const strings = (text: string) => text.match(/.{1,255}/g)!;

function postureWorld(domains: number) {
  const world = generateSpfWorld({ senders: domains, pairs: 0, seed: 500 });
  const rnd = random(4711);
  const zone = world.zone;
  const add = (name: string, ...entries: unknown[]) => (zone[name] ??= []).push(...entries);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
  const ed = generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'der' })
    .subarray(-32)
    .toString('base64');
  const routes: Record<string, HttpsRoute> = {};
  const httpsNames = [LOGO_HOST];
  const inputs: ScanInput[] = [];
  for (let i = 0; i < domains; i++) {
    const d = `sender-${i}.example`;
    inputs.push({ domain: d, dkimSelectors: ['s1', 's2'] });
    if (!zone[d]) continue; // a domain that does not exist
    const bimi = rnd() < 0.2;
    const policy = bimi
      ? 'reject'
      : (['reject', 'reject', 'quarantine', 'none'] as const)[Math.floor(rnd() * 4)];
    const external = rnd() < 0.3;
    add(`_dmarc.${d}`, {
      TXT: `v=DMARC1; p=${policy}; rua=mailto:dmarc@${d}${external ? ',mailto:agg@reports.example' : ''}; adkim=r`,
    });
    if (external) add(`${d}._report._dmarc.reports.example`, { TXT: 'v=DMARC1' });
    add(`s1._domainkey.${d}`, { TXT: strings(`v=DKIM1; k=rsa; p=${rsa}`) });
    if (rnd() < 0.9) add(`s2._domainkey.${d}`, { TXT: `v=DKIM1; k=ed25519; p=${ed}` });
    if (rnd() < 0.7) {
      const host = `mta-sts.${d}`;
      add(`_mta-sts.${d}`, { TXT: `v=STSv1; id=2025${String(i).padStart(6, '0')}` });
      httpsNames.push(host);
      routes[`${host}/.well-known/mta-sts.txt`] = {
        headers: { 'content-type': 'text/plain' },
        body: [
          'version: STSv1',
          `mode: ${rnd() < 0.7 ? 'enforce' : 'testing'}`,
          `mx: mx1.${d}`,
          `mx: mx2.${d}`,
          'max_age: 604800',
          '',
        ].join('\r\n'),
      };
    }
    if (rnd() < 0.6) add(`_smtp._tls.${d}`, { TXT: `v=TLSRPTv1; rua=mailto:tlsrpt@${d}` });
    if (bimi) {
      add(`default._bimi.${d}`, { TXT: `v=BIMI1; l=https://${LOGO_HOST}/${d}.svg` });
      routes[`${LOGO_HOST}/${d}.svg`] = { headers: { 'content-type': 'image/svg+xml' }, body: LOGO(d) };
    }
  }
  return { zone, routes, httpsNames, inputs };
}

export async function runScanBench(options: { runs: number }): Promise<void> {
  const { zone, routes, httpsNames, inputs } = postureWorld(DOMAINS);
  const ca = createTestCa('Mamori Bench CA');
  const servers = await startBenchServers({
    zone,
    ttl: 3600,
    https: { ...ca.issue(httpsNames), routes },
  });
  if (!servers?.https) throw new Error('the bench servers did not start');
  const web = servers.https;
  console.log(
    `\nPosture scan: ${DOMAINS} domains (${Object.keys(zone).length.toLocaleString('en')} names, ` +
      `${Object.keys(routes).length} HTTPS resources), ${SCAN_CONCURRENCY} scans at once, one shared DNS cache, ${options.runs} runs`,
  );
  const runs: { seconds: number; queries: number; requests: number; reports: PostureReport[] }[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const deps = createScanDeps({
        dnsServers: [servers.dns],
        extraCa: [ca.cert],
        httpsHosts: new Map(httpsNames.map((h) => [h, web])),
      });
      const before = await servers.count();
      const started = performance.now();
      const reports = await scanMany(inputs, deps, { concurrency: SCAN_CONCURRENCY });
      const seconds = (performance.now() - started) / 1000;
      const after = await servers.count();
      const r = {
        seconds,
        queries: after.queries - before.queries,
        requests: after.requests - before.requests,
        reports,
      };
      runs.push(r);
      console.log(
        `  run ${run}: ${seconds.toFixed(2)} s, ${(DOMAINS / seconds).toFixed(1)} scans/s, ${r.queries.toLocaleString('en')} DNS queries, ` +
          `${r.requests} HTTPS requests, ${reports.filter((x) => !x.complete).length} incomplete`,
      );
    }
  } finally {
    await servers.stop();
    ca.dispose();
  }

  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const times = runs.map((r) => r.seconds);
  const incomplete = runs.flatMap((r) => r.reports.filter((x) => !x.complete));
  const rollUp = (key: 'spf' | 'dmarcPolicy' | 'mtaSts') =>
    tally(best.reports.map((r) => String(r.posture[key])));
  console.log(
    `\n  best of ${runs.length}: ${best.seconds.toFixed(2)} s (spread ${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} s), ` +
      `${(DOMAINS / best.seconds).toFixed(1)} scans/s, ${(best.queries / DOMAINS).toFixed(1)} DNS queries and ` +
      `${(best.requests / DOMAINS).toFixed(2)} HTTPS requests a domain`,
  );
  console.log(`  SPF ${rollUp('spf')}; DMARC ${rollUp('dmarcPolicy')}; MTA-STS ${rollUp('mtaSts')}`);
  console.log(
    `  DKIM strong ${best.reports.filter((r) => r.posture.dkimStrong).length}, TLS-RPT ${best.reports.filter((r) => r.posture.tlsRpt).length}, ` +
      `BIMI ${best.reports.filter((r) => r.posture.bimi).length}`,
  );
  for (const r of incomplete.slice(0, 10))
    console.log(
      `  incomplete: ${r.domain}: ${r.findings
        .filter(
          (f) => f.code.endsWith('temperror') || f.code.startsWith('scan-') || f.code === 'spf-dns-failure',
        )
        .map((f) => `${f.code} (${f.message})`)
        .join('; ')}`,
    );
  console.log(
    `\nTargets:\n  posture scan of ${DOMAINS} domains < ${TARGET_SECONDS} s, all complete`.padEnd(60) +
      ` ${best.seconds < TARGET_SECONDS && incomplete.length === 0 ? 'PASS' : 'MISS'}  ${best.seconds.toFixed(2)} s, ${incomplete.length} incomplete scans in ${runs.length} runs`,
  );
}

function tally(values: string[]) {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
}

if (import.meta.main) await runScanBench({ runs: Number(process.env.BENCH_RUNS ?? 3) });
