import { describe, expect, it } from 'vitest';
import { regressions, type ComparableReport } from './regressions.ts';

const report = (over: Partial<ComparableReport['posture']> = {}, extra: Partial<ComparableReport> = {}) =>
  ({
    role: 'sends',
    posture: {
      spf: 'pass',
      dmarcPolicy: 'reject',
      dmarcPct: 100,
      dkimStrong: true,
      mtaSts: 'enforce',
      tlsRpt: true,
      bimi: true,
      ...over,
    },
    dkim: [
      {
        selector: 's1',
        found: true,
        strong: true,
        revoked: false,
        testing: false,
        keyType: 'rsa',
        bits: 2048,
      },
    ],
    findings: [],
    ...extra,
  }) as unknown as ComparableReport;
const codes = (a: ComparableReport | null, b: ComparableReport) => regressions(a, b).map((r) => r.code);

describe('regressions between two scans', () => {
  it('finds none on a first scan, an unchanged posture, an improvement or a change of role', () => {
    expect(codes(null, report({ dmarcPolicy: 'none' }))).toEqual([]);
    expect(codes(report(), report())).toEqual([]);
    expect(codes(report({ dmarcPolicy: 'none', spf: 'warn' }), report())).toEqual([]);
    expect(codes(report(), report({ dmarcPolicy: 'none' }, { role: 'parked' }))).toEqual([]);
  });

  it('names a weaker DMARC policy, a lower pct, and a record gone', () => {
    expect(regressions(report(), report({ dmarcPolicy: 'quarantine' }))).toEqual([
      {
        code: 'dmarc-weakened',
        severity: 'error',
        message: 'The DMARC policy went from p=reject to p=quarantine',
      },
    ]);
    expect(regressions(report(), report({ dmarcPolicy: 'missing', dmarcPct: null }))[0]!.message).toBe(
      'The DMARC record is gone (it was p=reject)',
    );
    expect(codes(report(), report({ dmarcPct: 50 }))).toEqual(['dmarc-pct-lowered']);
    expect(
      codes(report({ dmarcPolicy: 'none', dmarcPct: 100 }), report({ dmarcPolicy: 'none', dmarcPct: 10 })),
    ).toEqual([]);
  });

  it('names SPF, DKIM, MTA-STS, TLS-RPT and BIMI getting worse', () => {
    const worse = report(
      { spf: 'fail', mtaSts: 'testing', tlsRpt: false, bimi: false, dkimStrong: false },
      {
        dkim: [
          {
            selector: 's1',
            found: true,
            strong: false,
            revoked: false,
            testing: false,
            keyType: 'rsa',
            bits: 1024,
          },
        ] as ComparableReport['dkim'],
      },
    );
    const found = regressions(report(), worse);
    expect(found.map((r) => [r.code, r.severity])).toEqual([
      ['spf-weakened', 'error'],
      ['dkim-key-weakened', 'error'],
      ['mta-sts-weakened', 'warning'],
      ['tls-rpt-gone', 'warning'],
      ['bimi-gone', 'warning'],
    ]);
    expect(found[1]!.message).toBe('The DKIM key of selector s1 is no longer strong (rsa, 1024 bits)');
    const gone = report(
      {},
      { dkim: [{ selector: 's1', found: false, strong: false }] as ComparableReport['dkim'] },
    );
    expect(codes(report(), gone)).toEqual(['dkim-key-gone']);
  });

  it('adds errors not seen before unless a regression already covers their check', () => {
    const err = (check: string, code: string, selector?: string) => ({
      check,
      code,
      severity: 'error',
      message: `${check} ${code}`,
      ...(selector ? { selector } : {}),
    });
    const before = report({}, {
      findings: [err('spf', 'spf-too-many-lookups')],
    } as Partial<ComparableReport>);
    const after = report({ dmarcPolicy: 'none' }, {
      findings: [
        err('spf', 'spf-too-many-lookups'),
        err('dmarc', 'dmarc-policy-none'),
        err('mx', 'mx-missing'),
      ],
    } as Partial<ComparableReport>);
    expect(codes(before, after)).toEqual(['dmarc-weakened', 'new-error:mx:mx-missing']);
  });
});
