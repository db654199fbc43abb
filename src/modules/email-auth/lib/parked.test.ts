import { describe, expect, it } from 'vitest';
import { checkParkedDomain, type ParkedDomainInput } from './parked.ts';

const GOOD: ParkedDomainInput = {
  txt: [['v=spf1 -all'], ['google-site-verification=x']],
  dmarc: 'v=DMARC1; p=reject; rua=mailto:d@example.com',
  mx: [{ preference: 0, exchange: '' }],
};
const codes = (input: Partial<ParkedDomainInput>) =>
  checkParkedDomain({ ...GOOD, ...input }).map((f) => `${f.code}:${f.severity}`);

describe('parked domains', () => {
  it('accepts SPF -all, DMARC reject and a null MX', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ txt: [['V=SPF1  -ALL']], mx: [{ preference: 0, exchange: '.' }] })).toEqual([]);
  });

  it('checks SPF', () => {
    expect(codes({ txt: [] })).toEqual(['parked-spf-missing:error']);
    expect(codes({ txt: [['v=spf1 -all'], ['v=spf1 ~all']] })).toEqual(['parked-spf-multiple:error']);
    expect(codes({ txt: [['v=spf1 ~all']] })).toEqual(['parked-spf-not-reject-all:error']);
    expect(codes({ txt: [['v=spf1 mx -all']] })).toEqual(['parked-spf-not-reject-all:error']);
  });

  it('checks DMARC', () => {
    expect(codes({ dmarc: null })).toEqual(['parked-dmarc-missing:error']);
    expect(codes({ dmarc: 'p=reject' })).toEqual(['parked-dmarc-invalid:error']);
    expect(codes({ dmarc: 'v=DMARC1; p=none' })).toEqual(['parked-dmarc-not-reject:error']);
    expect(codes({ dmarc: 'v=DMARC1' })).toEqual(['parked-dmarc-not-reject:error']);
    expect(codes({ dmarc: 'v=DMARC1; p=reject; sp=quarantine; pct=50; t=y' })).toEqual([
      'parked-dmarc-sp-not-reject:error',
      'parked-dmarc-pct:error',
      'parked-dmarc-testing:warning',
    ]);
  });

  it('checks for a null MX', () => {
    expect(codes({ mx: [] })).toEqual(['parked-null-mx-missing:warning']);
    expect(codes({ mx: [{ preference: 10, exchange: 'mail.example.com' }] })).toEqual([
      'parked-null-mx-missing:error',
    ]);
    expect(
      codes({
        mx: [
          { preference: 0, exchange: '' },
          { preference: 10, exchange: 'mail.example.com' },
        ],
      }),
    ).toEqual(['parked-null-mx-mixed:error']);
    expect(codes({ mx: [{ preference: 10, exchange: '' }] })).toEqual(['parked-null-mx-preference:warning']);
  });
});
