import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { AggregateRecord } from './aggregate-model.ts';
import {
  DAILY_COLUMNS,
  RECORD_VALUE_COLUMNS,
  RecordPreparer,
  TOTAL_COLUMNS,
  rollupRows,
  type PrepareContext,
} from './prepare-records.ts';

const rec = (
  ip: string,
  count: number,
  over: Partial<AggregateRecord['policyEvaluated']> = {},
  dkim: string[] = [],
): AggregateRecord => ({
  sourceIp: ip,
  count,
  policyEvaluated: { disposition: 'none', dkim: 'fail', spf: 'fail', reasons: [], ...over },
  identifiers: { headerFrom: 'shop.example', envelopeFrom: null, envelopeTo: null },
  authResults: {
    dkim: dkim.map((domain) => ({ domain, selector: 's1', result: 'pass' as const, humanResult: null })),
    spf: [],
  },
});

const ctx: PrepareContext = {
  reportId: 'rep-1',
  policyDomain: 'shop.example',
  claimDomain: 'shop.example',
  day: '2026-11-01',
  authorised: ['198.51.100.0/24'],
  suspectThreshold: 100,
};
const authorised = (ip: string) => ip.startsWith('198.51.100.');

describe('RecordPreparer', () => {
  it('lays the rows out in the order of RECORD_VALUE_COLUMNS, numbered across batches', () => {
    const p = new RecordPreparer(ctx, authorised);
    const a = p.add([rec('192.0.2.1', 5, { reasons: [{ type: 'forwarded', comment: null }] })]);
    const b = p.add([rec('192.0.2.2', 7, { dkim: 'pass' })]);
    expect(a.count).toBe(1);
    expect(a.values).toHaveLength(RECORD_VALUE_COLUMNS.length);
    const row = Object.fromEntries(RECORD_VALUE_COLUMNS.map((c, i) => [c, b.values[i]]));
    expect(row).toEqual({
      seq: 1,
      source_ip: '192.0.2.2',
      count: 7,
      disposition: 'none',
      dkim: 'pass',
      spf: 'fail',
      header_from: 'shop.example',
      envelope_from: null,
      envelope_to: null,
      reasons: null,
      auth: '[[],[]]',
    });
    expect(a.values[9]).toBe(JSON.stringify([{ type: 'forwarded', comment: null }]));
    expect(p.end()).toMatchObject({ records: 2, messages: 12 });
  });

  it('rolls messages up by source and class, and tells ours from unknown sources', () => {
    const p = new RecordPreparer(ctx, authorised);
    p.add([
      rec('203.0.113.9', 80),
      rec('203.0.113.9', 30),
      rec('198.51.100.7', 500),
      rec('192.0.2.50', 400, {}, ['mail.shop.example']),
      rec('192.0.2.60', 99),
      rec('192.0.2.70', 1000, { dkim: 'pass' }),
    ]);
    const end = p.end();
    const byIp = Object.fromEntries(rollupRows(end.daily).map((d) => [d.source_ip, d]));
    expect(byIp['203.0.113.9']).toMatchObject({ messages: 110, dmarc: 'fail', ours: 0, day: '2026-11-01' });
    expect(byIp['198.51.100.7']).toMatchObject({ ours: 1 });
    expect(byIp['192.0.2.50']).toMatchObject({ ours: 1, dkim: 'unaligned' });
    expect(byIp['192.0.2.70']).toMatchObject({ dmarc: 'pass' });
    // Over the threshold, failing, not ours: only the first (two records summed); 99 is under it.
    expect(end.suspects).toEqual([{ ip: '203.0.113.9', messages: 110 }]);
    // The totals hold the same messages by class, whatever the source.
    const totals = rollupRows(end.totals, TOTAL_COLUMNS);
    expect(totals.reduce((n, t) => n + Number(t.messages), 0)).toBe(2109);
    expect(totals.every((t) => !('source_ip' in t) && t.day === '2026-11-01')).toBe(true);
    const failingUnknown = totals.filter((t) => t.dmarc === 'fail' && t.ours === 0);
    expect(failingUnknown.map((t) => t.messages)).toEqual([209]);
  });

  it('hands the roll-up over early when a report has very many sources, without losing messages', () => {
    const p = new RecordPreparer({ ...ctx, authorised: [] }, () => true);
    const batch = Array.from({ length: 25_000 }, (_, i) =>
      rec(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1),
    );
    const first = p.add(batch);
    expect(first.daily?.count).toBe(25_000);
    expect(first.daily?.values).toHaveLength(25_000 * DAILY_COLUMNS.length);
    const second = p.add(batch.slice(0, 10));
    expect(second.daily).toBeNull();
    const end = p.end();
    expect(end.daily.count).toBe(10);
    expect(rollupRows(first.daily!).every((d) => d.ours === 0)).toBe(true);
    expect(end.messages).toBe(25_010);
    // The totals are the report's whole, handed over at its end.
    expect(rollupRows(end.totals, TOTAL_COLUMNS)).toEqual([
      expect.objectContaining({ messages: 25_010, ours: 0 }),
    ]);
  });

  it('builds what crosses to the importing thread without holes, so that V8 copies it as a plain list', () => {
    // V8's serialisation tags an array copied value by value 'A', one copied index by index 'a'.
    const tag = (values: unknown[]) => String.fromCharCode(serialize(values)[2]!);
    expect(tag(new Array(1).fill(0))).toBe('A');
    const holey = new Array(1);
    holey[0] = 0;
    expect(tag(holey)).toBe('a');

    const p = new RecordPreparer(ctx, authorised);
    const batch = p.add([rec('198.51.100.7', 3), rec('203.0.113.9', 2)]);
    expect(tag(batch.values)).toBe('A');
    const end = p.end();
    expect(tag(end.daily.values)).toBe('A');
    expect(tag(end.totals.values)).toBe('A');
  });
});
