// The parser workers against this thread's reader: the same files give the same claims, prepared records,
// roll-ups and outcomes; a report skipped, a report that breaks off, a failure report and a caller's own error
// all leave the pool able to read the next file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmail, buildZip, smallReport } from '../lib/fixtures/archives.ts';
import {
  RECORD_VALUE_COLUMNS,
  rollupRows,
  type ClaimSnapshot,
  type PreparedEnd,
} from '../lib/prepare-records.ts';
import { isReportRejection } from '../lib/report-rejection.ts';
import { inlineReader, type ReportHandlers, type ReportReader } from './report-reader.ts';
import { FILES_PER_WORKER, createParsePool, type ParsePool } from './worker-pool.ts';

// Small pieces of text to the XML parser: a report that breaks off has handed over its first batches.
const OPTIONS = { batchSize: 3, pieceLength: 256, suspectThreshold: 3 };
const STOPPING_WORKER = new URL('../lib/fixtures/stopping-parse-worker.ts', import.meta.url);
const SNAPSHOT: ClaimSnapshot = {
  'example.com': { name: 'example.com', companyId: 'c-1', authorised: ['192.0.2.0/30'] },
};

let dir: string;
let pool: ParsePool;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-pool-'));
  pool = createParsePool(2, OPTIONS);
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function write(name: string, data: Buffer | string): string {
  const file = path.join(dir, `${++fileNo}-${name}`);
  fs.writeFileSync(file, data);
  return file;
}

const ips = (n: number, base = 1) =>
  Array.from({ length: n }, (_, i) => ({ ip: `192.0.2.${base + i}`, count: i + 1 }));

/** Reads a file storing every report (or skipping those `skip` names), and keeps what a store would get. */
async function readAll(reader: ReportReader, file: string, skip: string[] = []) {
  const stored: unknown[] = [];
  const failures: string[] = [];
  const handlers: ReportHandlers = {
    async onAggregate(incoming) {
      const id = incoming.report.reporter.reportId;
      if (skip.includes(id)) return 'skipped';
      const batches: unknown[] = [];
      // The report's id is made where it is read: the same shape, a different value.
      const { reportId, ...ctx } = incoming.ctx;
      expect(reportId).toMatch(/^[0-9a-f-]{36}$/);
      for await (const b of incoming.records()) {
        // The rows do not repeat it: the repository binds it once per statement.
        expect(b.values).not.toContain(reportId);
        batches.push(b);
      }
      stored.push({
        id,
        claim: incoming.claim,
        ctx,
        entry: incoming.source.entry,
        batches,
        end: incoming.end(),
      });
      return 'accepted';
    },
    async onFailure(report) {
      failures.push(report.feedbackType);
      return 'accepted';
    },
  };
  const outcome = await reader(file, SNAPSHOT, handlers);
  return { outcome, stored, failures };
}

describe('parser worker pool', () => {
  const inline = inlineReader(OPTIONS);

  it('claims and prepares as this thread does', async () => {
    const zip = write(
      'two.zip',
      buildZip([
        { name: 'a.xml', data: smallReport({ reportId: 'a', records: ips(7) }) },
        {
          name: 'b.xml.gz',
          data: zlib.gzipSync(
            smallReport({ reportId: 'b', domain: 'mail.shop.example', records: ips(2, 50) }),
          ),
        },
      ]),
    );
    const viaPool = await readAll(pool.read, zip);
    const here = await readAll(inline, zip);
    expect(viaPool).toEqual(here);
    expect(viaPool.outcome.reports.map((r) => r.kind === 'aggregate' && r.status)).toEqual([
      'accepted',
      'accepted',
    ]);
    const [a, b] = viaPool.stored as {
      claim: unknown;
      ctx: unknown;
      batches: { count: number; values: unknown[] }[];
      end: PreparedEnd;
    }[];
    expect(a!.claim).toEqual(SNAPSHOT['example.com']);
    expect(a!.ctx).toMatchObject({
      claimDomain: 'example.com',
      authorised: ['192.0.2.0/30'],
      day: '2023-11-15',
    });
    expect(a!.batches.map((x) => x.count)).toEqual([3, 3, 1]);
    expect(a!.batches[0]!.values.slice(0, 3)).toEqual([0, '192.0.2.1', 1]);
    expect(a!.end).toMatchObject({ records: 7, messages: 28 });
    // Inside the authorised /30 (192.0.2.0–3): ours.
    const ours = Object.fromEntries(rollupRows(a!.end.daily).map((d) => [d.source_ip, d.ours]));
    expect([ours['192.0.2.3'], ours['192.0.2.4']]).toEqual([1, 0]);
    expect(b!.claim).toBeNull();
    expect(b!.ctx).toMatchObject({ claimDomain: null, authorised: [] });
  });

  it('drops a skipped report and goes on after one that breaks off', async () => {
    const truncated = smallReport({ reportId: 'cut', records: ips(5) }).slice(0, -40);
    const zip = write(
      'mixed.zip',
      buildZip([
        { name: '1.xml', data: smallReport({ reportId: 'skip-me', records: ips(20) }) },
        { name: '2.xml', data: truncated },
        { name: '3.xml', data: smallReport({ reportId: 'keep', records: ips(4) }) },
      ]),
    );
    let brokeOff = 0;
    const kept: string[] = [];
    const handlers: ReportHandlers = {
      async onAggregate(incoming) {
        if (incoming.report.reporter.reportId === 'skip-me') return 'skipped';
        try {
          for await (const b of incoming.records())
            kept.push(`${incoming.report.reporter.reportId}:${b.count}`);
        } catch (err) {
          if (isReportRejection(err)) brokeOff += 1;
          throw err;
        }
        return 'accepted';
      },
      onFailure: async () => 'accepted',
    };
    const outcome = await pool.read(zip, SNAPSHOT, handlers);
    expect(brokeOff).toBe(1);
    expect(kept.filter((k) => k.startsWith('keep'))).toEqual(['keep:3', 'keep:1']);
    expect(outcome.reports.map((r) => [r.kind, r.kind === 'rejected' ? r.code : r.status])).toEqual([
      ['aggregate', 'skipped'],
      ['rejected', 'truncated'],
      ['aggregate', 'accepted'],
    ]);
    const inlineOutcome = await inline(zip, SNAPSHOT, handlers);
    expect(outcome.reports.map((r) => (r.kind === 'rejected' ? r.reason : r.status))).toEqual(
      inlineOutcome.reports.map((r) => (r.kind === 'rejected' ? r.reason : r.status)),
    );
  });

  it('hands failure reports over', async () => {
    const arf = write(
      'failure.eml',
      buildEmail({
        contentType: 'multipart/report; report-type=feedback-report',
        parts: [
          { contentType: 'text/plain', data: 'An authentication failure report.', encoding: '7bit' },
          {
            contentType: 'message/feedback-report',
            data: 'Feedback-Type: auth-failure\r\nUser-Agent: T/1\r\nVersion: 1\r\nAuth-Failure: dmarc\r\nSource-IP: 192.0.2.5\r\n',
            encoding: '7bit',
          },
          {
            contentType: 'message/rfc822',
            data: 'From: a@sender.example\r\nSubject: hello\r\n\r\nbody\r\n',
            encoding: '7bit',
          },
        ],
      }),
    );
    const r = await readAll(pool.read, arf);
    expect(r.failures).toEqual(['auth-failure']);
    expect(r.outcome.reports.map((x) => [x.kind, x.kind !== 'rejected' && x.status])).toEqual([
      ['failure', 'accepted'],
    ]);
  });

  it('gives the caller its own error and goes on reading other files', async () => {
    const big = write('big.xml', smallReport({ reportId: 'boom', records: ips(200) }));
    const failing: ReportHandlers = {
      async onAggregate(incoming) {
        for await (const _ of incoming.records()) throw new Error('the disk is full');
        return 'accepted';
      },
      onFailure: async () => 'accepted',
    };
    // More files than the workers hold at once, each failing: the batches still on their way are dropped.
    const failures = await Promise.allSettled(
      Array.from({ length: 2 * FILES_PER_WORKER + 8 }, () => pool.read(big, SNAPSHOT, failing)),
    );
    expect(failures.every((f) => f.status === 'rejected' && /disk is full/.test(String(f.reason)))).toBe(
      true,
    );
    const again = await readAll(pool.read, big);
    expect(again.stored).toHaveLength(1);
    expect((again.stored[0] as { end: { records: number } }).end.records).toBe(200);
  });

  it('keeps a worker within its window on a long report read slowly, and loses no record', async () => {
    // 3 records a batch (OPTIONS): 200 batches, over three times the window of 64.
    const many = Array.from({ length: 600 }, (_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}`, count: 1 }));
    const file = write('long.xml', smallReport({ reportId: 'long', records: many }));
    const seen: unknown[] = [];
    const slow: ReportHandlers = {
      async onAggregate(incoming) {
        for await (const b of incoming.records()) {
          await new Promise((resolve) => setImmediate(resolve));
          for (let r = 0; r < b.count; r++) seen.push(b.values[r * RECORD_VALUE_COLUMNS.length]);
        }
        expect(incoming.end().records).toBe(600);
        return 'accepted';
      },
      onFailure: async () => 'accepted',
    };
    await pool.read(file, SNAPSHOT, slow);
    expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  it('reads many files at once and keeps each conversation apart', async () => {
    const files = Array.from({ length: 2 * FILES_PER_WORKER + 8 }, (_, i) =>
      write(`many-${i}.xml`, smallReport({ reportId: `m-${i}`, records: ips(1 + i) })),
    );
    const results = await Promise.all(files.map((f) => readAll(pool.read, f)));
    expect(results.map((r) => (r.stored[0] as { id: string; end: { records: number } }).end.records)).toEqual(
      files.map((_, i) => 1 + i),
    );
    expect(results.map((r) => (r.stored[0] as { id: string }).id)).toEqual(files.map((_, i) => `m-${i}`));
  });

  it('refuses the file a worker stopped on, and reads the files it had not begun on the next worker', async () => {
    const stopping = createParsePool(1, OPTIONS, STOPPING_WORKER);
    try {
      const files = [
        write('before.xml', smallReport({ reportId: 'before', records: ips(4) })),
        write('stop.xml', smallReport({ reportId: 'stop', records: ips(4) })),
        write('after-1.xml', smallReport({ reportId: 'after-1', records: ips(5) })),
        write('after-2.xml', smallReport({ reportId: 'after-2', records: ips(6) })),
      ];
      // All asked at once: the worker holds three of them when it stops.
      const results = await Promise.all(files.map((f) => readAll(stopping.read, f)));
      expect(results.map((r) => r.outcome.kind)).toEqual(['aggregate', 'rejected', 'aggregate', 'aggregate']);
      expect(results[1]!.outcome).toMatchObject({
        code: 'parser-stopped',
        reason: 'the file could not be read to its end: the parser stopped (exit code 70)',
      });
      expect(results[1]!.stored).toEqual([]);
      expect(results.map((r) => r.stored.length)).toEqual([1, 0, 1, 1]);
      expect((results[3]!.stored[0] as { end: { records: number } }).end.records).toBe(6);
      // The replacing worker goes on serving.
      const again = await readAll(stopping.read, files[0]!);
      expect(again.stored).toHaveLength(1);
    } finally {
      await stopping.close();
    }
  });

  it('keeps the reports of a file stored before its worker stopped, undoes the one it stopped in', async () => {
    const stopping = createParsePool(1, OPTIONS, STOPPING_WORKER);
    try {
      const zip = (last: string) =>
        buildZip([
          { name: 'a.xml', data: smallReport({ reportId: `before-${last}`, records: ips(2) }) },
          // More records than a batch (3): the report is opened, then streamed.
          { name: 'b.xml', data: smallReport({ reportId: last, records: ips(7) }) },
        ]);
      const mid = await readAll(stopping.read, write('mid.zip', zip('stop-mid')));
      expect(mid.stored.map((r) => (r as { id: string }).id)).toEqual(['before-stop-mid']);
      expect(mid.outcome.kind).toBe('aggregate');
      expect(mid.outcome.reports).toEqual([
        expect.objectContaining({ kind: 'rejected', code: 'parser-stopped' }),
      ]);
      const open = await readAll(stopping.read, write('open.zip', zip('stop-open')));
      expect(open.stored.map((r) => (r as { id: string }).id)).toEqual(['before-stop-open']);
      expect(open.outcome.kind).toBe('aggregate');
    } finally {
      await stopping.close();
    }
  });

  it('says a missing file is missing, as the reader of this thread does', async () => {
    const missing = path.join(dir, 'nope.xml');
    await expect(readAll(pool.read, missing)).rejects.toThrow(/ENOENT/);
    await expect(readAll(inline, missing)).rejects.toThrow(/ENOENT/);
  });
});
