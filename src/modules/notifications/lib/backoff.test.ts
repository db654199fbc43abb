import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_BACKOFF, givesUp } from './backoff.ts';

const none = () => 0;

describe('delivery backoff', () => {
  it('doubles the wait after each failure from the base, up to the ceiling', () => {
    const opts = { baseMs: 1000, capMs: 60_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, opts, none))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect(backoffMs(10_000, opts, none)).toBe(60_000);
    expect(backoffMs(0, opts, none)).toBe(1000);
  });

  it('takes up to the jitter share off at random', () => {
    const opts = { baseMs: 1000, capMs: 60_000, jitter: 0.2 };
    expect(backoffMs(1, opts, () => 0)).toBe(1000);
    expect(backoffMs(1, opts, () => 0.5)).toBe(900);
    expect(backoffMs(1, opts, () => 0.999999)).toBe(800);
    for (let i = 0; i < 100; i++) {
      const ms = backoffMs(3, opts);
      expect(ms).toBeGreaterThanOrEqual(3200);
      expect(ms).toBeLessThanOrEqual(4000);
    }
  });

  it('waits 30 s first and at most 6 hours by default', () => {
    expect(backoffMs(1, DEFAULT_BACKOFF, none)).toBe(30_000);
    expect(backoffMs(30, DEFAULT_BACKOFF, none)).toBe(6 * 3_600_000);
  });

  it('gives up once the attempts are used up', () => {
    expect(givesUp(7, 8)).toBe(false);
    expect(givesUp(8, 8)).toBe(true);
    expect(givesUp(1, 1)).toBe(true);
  });
});
