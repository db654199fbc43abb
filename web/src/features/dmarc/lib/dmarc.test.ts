import { describe, expect, it } from 'vitest';
import {
  alignmentRows,
  barWidth,
  batchProgress,
  domainPath,
  byUrgency,
  detailEntries,
  dispositionSlices,
  isGroupWideReader,
  percent,
  policySummary,
  rate,
  rateColor,
} from './dmarc.ts';
import type { DmarcReadiness } from '../../../shared/api/types.ts';

describe('DMARC screen helpers', () => {
  it('computes and formats per mille rates', () => {
    expect(rate(800, 841)).toBe(951);
    expect(rate(1, 0)).toBeNull();
    expect(percent(951)).toBe('95.1');
    expect(percent(null)).toBe('—');
    expect(barWidth(1000)).toBe(100);
    expect(barWidth(null)).toBe(0);
    expect([rateColor(990), rateColor(950), rateColor(500), rateColor(null)]).toEqual([
      'teal',
      'yellow',
      'red',
      'gray',
    ]);
  });

  it('orders dispositions known first, drops empty ones', () => {
    expect(dispositionSlices({ reject: 3, none: 10, discard: 1, quarantine: 0 })).toEqual([
      { name: 'none', value: 10 },
      { name: 'reject', value: 3 },
      { name: 'discard', value: 1 },
    ]);
  });

  it('makes the DKIM and SPF rows of the alignment chart', () => {
    const split = { aligned: 1, unaligned: 2, fail: 3 };
    expect(alignmentRows({ dkim: split, spf: split }).map((r) => r.mechanism)).toEqual(['DKIM', 'SPF']);
  });

  it('puts the verdicts asking for action first', () => {
    const r = (domain: string, verdict: DmarcReadiness['verdict'], affected = 0): DmarcReadiness => ({
      domain,
      companyId: 'c',
      policy: 'none',
      verdict,
      messages: 0,
      legitimate: 0,
      affected,
      reasons: [],
    });
    const sorted = byUrgency([
      r('a', 'at-reject'),
      r('b', 'ready-quarantine'),
      r('c', 'not-ready', 10),
      r('d', 'not-ready', 80),
      r('e', 'no-record'),
    ]);
    expect(sorted.map((x) => x.domain)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('writes the published policy in one line', () => {
    expect(policySummary({ domain: 'x.example', aspf: 'r', p: 'none', pct: 100, sp: null, adkim: 's' })).toBe(
      'p=none pct=100 adkim=s aspf=r',
    );
    expect(policySummary({ p: 'reject', testing: false, discoveryMethod: 'treewalk' })).toBe(
      'p=reject t=n discoveryMethod=treewalk',
    );
  });

  it('follows a batch of uploads by bytes', () => {
    expect(batchProgress([])).toBe(0);
    expect(
      batchProgress([
        { size: 100, state: 'done', percent: 100 },
        { size: 100, state: 'uploading', percent: 50 },
      ]),
    ).toBe(75);
    expect(batchProgress([{ size: 10, state: 'processing', percent: 100 }])).toBe(99);
    expect(batchProgress([{ size: 0, state: 'failed', percent: 0 }])).toBe(100);
  });

  it('links to the domain view with a trailing slash, so that the server answers with the UI', () => {
    expect(domainPath('shop.example', 30)).toBe('/dmarc/domains/shop.example/?days=30');
    expect(domainPath('shop.example')).toBe('/dmarc/domains/shop.example/');
  });

  it('flattens a failure report’s fields into lines of text', () => {
    expect(
      detailEntries({
        userAgent: 'Receiver/1.0',
        dkim: { domain: 'x.example', selector: null },
        fields: [
          { name: 'Feedback-Type', value: 'auth-failure' },
          { name: 'Source-IP', value: '203.0.113.5' },
        ],
        warnings: [],
        incidents: 1,
        rcpt: ['a@x', 'b@x'],
      }),
    ).toEqual([
      ['dkim.domain', 'x.example'],
      ['fields', 'Feedback-Type: auth-failure\nSource-IP: 203.0.113.5'],
      ['incidents', '1'],
      ['rcpt', 'a@x, b@x'],
      ['userAgent', 'Receiver/1.0'],
    ]);
  });

  it('knows who sees unclaimed reports', () => {
    expect(isGroupWideReader([{ role: 'auditor', companyId: null }])).toBe(true);
    expect(isGroupWideReader([{ role: 'security_officer', companyId: 'c' }])).toBe(false);
    expect(isGroupWideReader([{ role: 'employee', companyId: null }])).toBe(false);
  });
});
