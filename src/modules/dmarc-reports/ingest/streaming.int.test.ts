// A 200 MB aggregate report, generated into a temporary file, is read in bounded memory: records arrive in
// batches and nothing holds the report whole. Also through gzip, the way reports usually come.
//
// Each parse runs in a child process that samples its own resident set size. The child's young generation is
// fixed (two 16 MB semi-spaces): by default V8 grows it to two 64 MB semi-spaces on a machine of this size, at
// a pace that depends on the machine's load, and the measure would say more about V8 than about the parser.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticReportXml } from '../lib/fixtures/synthetic-report.ts';

const MB = 1024 * 1024;
const SIZE = Number(process.env.MAMORI_DMARC_STREAM_MB ?? 200) * MB;

const MEASURE = `
import { parseReportFile } from ${JSON.stringify(path.join(import.meta.dirname, 'parse-report-file.ts'))};
const [file, warm] = process.argv.slice(2);
await parseReportFile(warm);
const base = process.memoryUsage().rss;
let peak = base;
const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
const timer = setInterval(sample, 25);
const started = performance.now();
let records = 0;
let batches = 0;
const outcome = await parseReportFile(file, {
  onAggregate: async (stream) => {
    for await (const batch of stream) {
      records += batch.length;
      batches += 1;
      if (batches % 16 === 0) sample();
    }
  },
});
clearInterval(timer);
const report = outcome.reports[0];
console.log(JSON.stringify({
  kind: outcome.kind,
  summary: report && report.kind === 'aggregate' ? report.summary : null,
  records,
  batches,
  seconds: (performance.now() - started) / 1000,
  growth: (peak - base) / ${MB},
}));
`;

let dir: string;
let xmlFile: string;
let warmFile: string;
let script: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-stream-'));
  xmlFile = path.join(dir, 'big.xml');
  warmFile = path.join(dir, 'warm.xml');
  script = path.join(dir, 'measure.ts');
  fs.writeFileSync(script, MEASURE);
  await pipeline(
    Readable.from(syntheticReportXml({ bytes: SIZE, style: 'rfc9990' })),
    fs.createWriteStream(xmlFile),
  );
  // A warm-up parse in the child first (code compiled, modules initialised): the measure counts the parse only.
  await pipeline(Readable.from(syntheticReportXml({ records: 20_000 })), fs.createWriteStream(warmFile));
}, 120_000);
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Measure {
  kind: string;
  summary: { records: number; warnings: string[] } | null;
  records: number;
  batches: number;
  seconds: number;
  growth: number;
}

async function measure(file: string): Promise<Measure> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--max-semi-space-size=16', script, file, warmFile],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measure;
}

describe('streaming a large report', () => {
  it('reads a 200 MB report in bounded memory', async () => {
    const size = fs.statSync(xmlFile).size;
    const r = await measure(xmlFile);
    expect(r.kind).toBe('aggregate');
    expect(r.summary?.records).toBe(r.records);
    expect(r.summary?.warnings).toEqual([]);
    expect(r.records).toBeGreaterThan(SIZE / 1000);
    expect(r.batches).toBe(Math.ceil(r.records / 1000));
    expect(r.growth).toBeLessThan(150);
    console.log(
      `dmarc stream: ${(size / MB).toFixed(0)} MB XML, ${r.records} records in ${r.seconds.toFixed(1)} s ` +
        `(${(size / MB / r.seconds).toFixed(1)} MB/s, ${Math.round(r.records / r.seconds)} records/s), ` +
        `peak RSS growth ${r.growth.toFixed(0)} MB`,
    );
  }, 120_000);

  it('reads the same report gzipped, in bounded memory', async () => {
    const gz = path.join(dir, 'big.xml.gz');
    await pipeline(fs.createReadStream(xmlFile), zlib.createGzip({ level: 1 }), fs.createWriteStream(gz));
    const r = await measure(gz);
    expect(r.kind).toBe('aggregate');
    expect(r.summary?.records).toBe(r.records);
    expect(r.growth).toBeLessThan(150);
    console.log(
      `dmarc stream (gzip): ${(fs.statSync(gz).size / MB).toFixed(1)} MB gzip, ${r.records} records in ` +
        `${r.seconds.toFixed(1)} s, peak RSS growth ${r.growth.toFixed(0)} MB`,
    );
  }, 120_000);
});
