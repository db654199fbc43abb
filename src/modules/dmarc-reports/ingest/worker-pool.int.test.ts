// The parser workers against this thread's reader: the same files give the same prepared records, roll-ups and
// outcomes; a report skipped, a report that breaks off, a failure report and a caller's own error all leave the
// pool able to read the next file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmail, buildZip, smallReport } from '../lib/fixtures/archives.ts';
import type { PrepareContext } from '../lib/prepare-records.ts';
import { isReportRejection } from '../lib/report-rejection.ts';
import { inlineReader, type ReportHandlers, type ReportReader } from './report-reader.ts';
import { createParsePool, type ParsePool } from './worker-pool.ts';

let dir: string;
let pool: ParsePool;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-pool-'));
  pool = createParsePool(2, { batchSize: 3 });
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

const context = (reportId: string, domain: string): PrepareContext => ({
  reportId,
  policyDomain: domain,
  claimDomain: domain,
  day: '2023-11-15',
  authorised: ['192.0.2.0/30'],
  suspectThreshold: 3,
});

/** Reads a file storing every report (or skipping those `skip` names), and keeps what a store would get. */
async function readAll(reader: ReportReader, file: string, skip: string[] = []) {
  const stored: unknown[] = [];
  const failures: string[] = [];
  const handlers: ReportHandlers = {
    async onAggregate(incoming) {
      const id = incoming.report.reporter.reportId;
      if (skip.includes(id)) return 'skipped';
      const batches: unknown[] = [];
      for await (const b of incoming.records(context(`row-${id}`, incoming.report.policyPublished.domain)))
        batches.push(b);
      stored.push({ id, entry: incoming.source.entry, batches, end: incoming.end() });
      return 'accepted';
    },
    async onFailure(report) {
      failures.push(report.feedbackType);
      return 'accepted';
    },
  };
  const outcome = await reader(file, handlers);
  return { outcome, stored, failures };
}

describe('parser worker pool', () => {
  const inline = inlineReader({ batchSize: 3 });

  it('prepares the same records, roll-ups and outcomes as this thread', async () => {
    const zip = write(
      'two.zip',
      buildZip([
        { name: 'a.xml', data: smallReport({ reportId: 'a', records: ips(7) }) },
        {
          name: 'b.xml.gz',
          data: zlib.gzipSync(smallReport({ reportId: 'b', domain: 'shop.example', records: ips(2, 50) })),
        },
      ]),
    );
    const viaPool = await readAll(pool.read, zip);
    const here = await readAll(inline, zip);
    expect(viaPool).toEqual(here);
    expect(viaPool.stored).toHaveLength(2);
    expect(viaPool.outcome.reports.map((r) => r.kind === 'aggregate' && r.status)).toEqual([
      'accepted',
      'accepted',
    ]);
    const first = viaPool.stored[0] as {
      batches: { count: number; values: unknown[] }[];
      end: { records: number; messages: number; suspects: unknown[] };
    };
    expect(first.batches.map((b) => b.count)).toEqual([3, 3, 1]);
    expect(first.batches[0]!.values.slice(0, 4)).toEqual(['row-a', 0, '192.0.2.1', 1]);
    expect(first.end).toMatchObject({ records: 7, messages: 28 });
  });

  it('goes on with a file after a skipped report and after one that breaks off', async () => {
    const truncated = smallReport({ reportId: 'cut', records: ips(5) }).slice(0, -40);
    const zip = write(
      'mixed.zip',
      buildZip([
        { name: '1.xml', data: smallReport({ reportId: 'skip-me', records: ips(9) }) },
        { name: '2.xml', data: truncated },
        { name: '3.xml', data: smallReport({ reportId: 'keep', records: ips(4) }) },
      ]),
    );
    let brokeOff = 0;
    const handlers: ReportHandlers = {
      async onAggregate(incoming) {
        if (incoming.report.reporter.reportId === 'skip-me') return 'skipped';
        try {
          for await (const _ of incoming.records(context('x', 'example.com'))) {
            // stored
          }
        } catch (err) {
          if (isReportRejection(err)) brokeOff += 1;
          throw err;
        }
        return 'accepted';
      },
      onFailure: async () => 'accepted',
    };
    const outcome = await pool.read(zip, handlers);
    expect(brokeOff).toBe(1);
    expect(outcome.reports.map((r) => [r.kind, r.kind === 'rejected' ? r.code : r.status])).toEqual([
      ['aggregate', 'skipped'],
      ['rejected', 'truncated'],
      ['aggregate', 'accepted'],
    ]);
    const inlineOutcome = await inline(zip, handlers);
    expect(outcome).toEqual(inlineOutcome);
  });

  it('hands failure reports over and takes the verdict back', async () => {
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

  it('gives the caller its own error and reads the next file with a fresh worker', async () => {
    const file = write('one.xml', smallReport({ reportId: 'boom', records: ips(8) }));
    const failing: ReportHandlers = {
      async onAggregate(incoming) {
        for await (const _ of incoming.records(context('x', 'example.com')))
          throw new Error('the disk is full');
        return 'accepted';
      },
      onFailure: async () => 'accepted',
    };
    await expect(pool.read(file, failing)).rejects.toThrow('the disk is full');
    await expect(pool.read(file, { ...failing, onAggregate: async () => 'skipped' })).resolves.toMatchObject({
      kind: 'aggregate',
    });
    const again = await readAll(pool.read, file);
    expect(again.stored).toHaveLength(1);
  });

  it('refuses a missing file as the reader of this thread does', async () => {
    const missing = path.join(dir, 'nope.xml');
    await expect(readAll(pool.read, missing)).rejects.toThrow(/ENOENT/);
    await expect(readAll(inline, missing)).rejects.toThrow(/ENOENT/);
  });
});
