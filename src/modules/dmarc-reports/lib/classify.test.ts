import { describe, expect, it } from 'vitest';
import { claimCandidates, classifyRecord, reportDay, signedByUs } from './classify.ts';
import type { AggregateRecord } from './aggregate-model.ts';

const record = (over: {
  dkim?: 'pass' | 'fail' | null;
  spf?: 'pass' | 'fail' | null;
  auth?: { dkim?: [string, string][]; spf?: [string, string][] };
  reasons?: string[];
  from?: string;
  disposition?: 'none' | 'quarantine' | 'reject' | null;
}): AggregateRecord => ({
  sourceIp: '192.0.2.1',
  count: 3,
  policyEvaluated: {
    disposition: over.disposition === undefined ? 'none' : over.disposition,
    dkim: over.dkim === undefined ? 'pass' : over.dkim,
    spf: over.spf === undefined ? 'pass' : over.spf,
    reasons: (over.reasons ?? []).map((type) => ({ type: type as 'forwarded', comment: null })),
  },
  identifiers: { headerFrom: over.from ?? 'shop.example', envelopeFrom: null, envelopeTo: null },
  authResults: {
    dkim: (over.auth?.dkim ?? []).map(([domain, result]) => ({
      domain,
      selector: 's1',
      result: result as 'pass',
      humanResult: null,
    })),
    spf: (over.auth?.spf ?? []).map(([domain, result]) => ({
      domain,
      scope: 'mfrom' as const,
      result: result as 'pass',
      humanResult: null,
    })),
  },
});

describe('classifying a record', () => {
  it('takes the reporter’s verdicts: aligned, authenticated but unaligned, or failed', () => {
    expect(classifyRecord(record({ auth: { dkim: [['shop.example', 'pass']] } }), 'shop.example')).toEqual({
      dmarc: 'pass',
      dkim: 'aligned',
      spf: 'aligned',
      disposition: 'none',
      forwarded: false,
    });
    const esp = record({
      dkim: 'fail',
      spf: 'fail',
      disposition: 'reject',
      auth: { dkim: [['esp.example', 'pass']], spf: [['bounces.esp.example', 'pass']] },
    });
    expect(classifyRecord(esp, 'shop.example')).toEqual({
      dmarc: 'fail',
      dkim: 'unaligned',
      spf: 'unaligned',
      disposition: 'reject',
      forwarded: false,
    });
    expect(classifyRecord(record({ dkim: 'fail', spf: 'fail' }), 'shop.example')).toMatchObject({
      dmarc: 'fail',
      dkim: 'fail',
      spf: 'fail',
    });
  });

  it('infers alignment from the results when the reporter left the verdicts out', () => {
    const r = record({
      dkim: null,
      spf: null,
      auth: { dkim: [['mail.shop.example', 'pass']], spf: [['other.example', 'pass']] },
    });
    expect(classifyRecord(r, 'shop.example')).toMatchObject({
      dmarc: 'pass',
      dkim: 'aligned',
      spf: 'unaligned',
    });
  });

  it('marks forwarding by the override reason, or by DKIM surviving where SPF cannot', () => {
    expect(
      classifyRecord(record({ reasons: ['mailing_list'], dkim: 'fail', spf: 'fail' }), 'x.example').forwarded,
    ).toBe(true);
    const forwarded = record({
      spf: 'fail',
      auth: { dkim: [['shop.example', 'pass']], spf: [['forwarder.example', 'fail']] },
    });
    expect(classifyRecord(forwarded, 'shop.example')).toMatchObject({ dmarc: 'pass', forwarded: true });
  });
});

describe('signatures of our own', () => {
  it('counts a passing signature by the inventoried domain or a name under it', () => {
    const r = (domain: string, result = 'pass') => record({ auth: { dkim: [[domain, result]] } });
    expect(signedByUs(r('mail.shop.example'), 'shop.example')).toBe(true);
    expect(signedByUs(r('shop.example'), 'shop.example')).toBe(true);
    expect(signedByUs(r('shop.example', 'fail'), 'shop.example')).toBe(false);
    expect(signedByUs(r('badshop.example'), 'shop.example')).toBe(false);
    expect(signedByUs(r('shop.example'), null)).toBe(false);
  });
});

describe('days and claims', () => {
  it('counts a report on the UTC day of the middle of its period', () => {
    expect(reportDay(Date.UTC(2026, 10, 1) / 1000, Date.UTC(2026, 10, 1, 23, 59, 59) / 1000)).toBe(
      '2026-11-01',
    );
    expect(reportDay(Date.UTC(2026, 10, 1, 20) / 1000, Date.UTC(2026, 10, 2, 20) / 1000)).toBe('2026-11-02');
  });

  it('offers the domain, then its parents down to two labels', () => {
    expect(claimCandidates('News.Mail.Shop.Example.')).toEqual([
      'news.mail.shop.example',
      'mail.shop.example',
      'shop.example',
    ]);
    expect(claimCandidates('example')).toEqual([]);
  });
});
