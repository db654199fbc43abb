import { describe, expect, it } from 'vitest';
import type { ScanDto } from '../../../shared/api/types.ts';
import { barValue, groupFindings, rescanned, scanSeries, share, snapshotOf, worst } from './posture.ts';

const scan = (id: string, at: string, over: Partial<ScanDto> = {}): ScanDto => ({
  id,
  domainId: 'd',
  domain: 'shop.example',
  companyId: 'c',
  scannedAt: at,
  durationMs: 10,
  trigger: 'manual',
  complete: true,
  errors: 0,
  warnings: 0,
  posture: {
    spf: 'pass',
    dmarcPolicy: 'reject',
    dmarcPct: 100,
    dkimStrong: true,
    mtaSts: 'missing',
    tlsRpt: false,
    bimi: false,
  },
  regressions: [],
  ...over,
});

describe('email posture helpers', () => {
  it('computes shares without dividing by zero', () => {
    expect(share(1, 3)).toBe(33);
    expect(share(0, 0)).toBeNull();
    expect(barValue(5, 4)).toBe(100);
    expect(barValue(1, 0)).toBe(0);
  });

  it('groups findings by check in report order, the worst first', () => {
    const groups = groupFindings([
      { check: 'dkim', severity: 'info', code: 'a', message: 'a' },
      { check: 'spf', severity: 'warning', code: 'b', message: 'b' },
      { check: 'dkim', severity: 'error', code: 'c', message: 'c' },
      { check: 'spf', severity: 'error', code: 'd', message: 'd' },
      { check: 'spf', severity: 'warning', code: 'e', message: 'e' },
    ]);
    expect(groups.map((g) => [g.check, g.findings.map((f) => f.code)])).toEqual([
      ['spf', ['d', 'b', 'e']],
      ['dkim', ['c', 'a']],
    ]);
    expect(worst(groups[0]!.findings)).toBe('error');
    expect(worst([])).toBeNull();
  });

  it('turns the timeline into a series, oldest first', () => {
    const series = scanSeries([
      scan('2', '2026-02-02T00:00:00Z', {
        errors: 2,
        regressions: [{ code: 'dmarc-weakened', severity: 'error', message: 'x' }],
      }),
      scan('1', '2026-02-01T00:00:00Z', { warnings: 1 }),
    ]);
    expect(series.map((p) => [p.id, p.errors, p.warnings, p.regressions])).toEqual([
      ['1', 0, 1, 0],
      ['2', 2, 0, 1],
    ]);
  });

  it('counts the domains scanned since the snapshot, complete or not, by the server’s timestamps', () => {
    const day1 = '2026-01-01T00:00:00Z';
    const day2 = '2026-01-02T00:00:00Z';
    const snapshot = snapshotOf([
      { id: 'a', lastScannedAt: null, lastAttemptAt: null },
      { id: 'b', lastScannedAt: day1, lastAttemptAt: day1 },
      { id: 'c', lastScannedAt: day1, lastAttemptAt: day1 },
      { id: 'd', lastScannedAt: day1, lastAttemptAt: day1 },
    ]);
    expect(
      rescanned(snapshot, [
        { id: 'a', lastScannedAt: day2, lastAttemptAt: day2 },
        { id: 'b', lastScannedAt: day1, lastAttemptAt: day1 },
        // Incomplete: the attempt moved, the last complete scan did not.
        { id: 'c', lastScannedAt: day1, lastAttemptAt: day2 },
        { id: 'new', lastScannedAt: day2, lastAttemptAt: day2 },
      ]),
    ).toBe(2);
  });
});
