import { describe, expect, it } from 'vitest';
import { readiness } from './readiness.ts';

const base = { policy: 'none' as const, messages: 10_000, pass: 9_990, failingOurs: 10, failingForwarded: 0 };

describe('readiness for the next DMARC step', () => {
  it('moves none to quarantine and quarantine to reject when little legitimate mail would fail', () => {
    expect(readiness(base)).toMatchObject({ verdict: 'ready-quarantine', affected: 1, legitimate: 10_000 });
    expect(readiness({ ...base, policy: 'quarantine' }).verdict).toBe('ready-reject');
  });

  it('holds back when more than 0.5 % of legitimate mail fails, and says why', () => {
    const r = readiness({ ...base, pass: 9_000, failingOurs: 1_000 });
    expect(r).toMatchObject({ verdict: 'not-ready', affected: 100 });
    expect(r.reasons[0]).toMatchObject({ code: 'too-much-failing', params: { affected: 100, limit: 5 } });
    expect(r.reasons[0]!.message).toMatch(/^10\.0 % of legitimate mail fails DMARC/);
  });

  it('needs a record and enough reports, and has nothing to do at p=reject', () => {
    expect(readiness({ ...base, policy: 'missing' }).verdict).toBe('no-record');
    expect(readiness({ ...base, messages: 50, pass: 50, failingOurs: 0 }).verdict).toBe('no-data');
    expect(readiness({ ...base, policy: 'reject' }).verdict).toBe('at-reject');
  });

  it('does not count spoofed or forwarded mail against the domain', () => {
    const r = readiness({ ...base, messages: 50_000, pass: 9_990, failingOurs: 10, failingForwarded: 500 });
    expect(r.verdict).toBe('ready-quarantine');
    expect(r.reasons[0]).toMatchObject({ code: 'affected', params: { forwardedFailing: 500 } });
    expect(r.reasons[0]!.message).toMatch(/500 forwarded messages fail and are not counted/);
  });
});
