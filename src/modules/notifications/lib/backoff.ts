// When a failed delivery is tried again: exponential backoff with a ceiling and some jitter.

export interface BackoffOptions {
  /** The wait after the first failure. */
  baseMs: number;
  /** No wait is longer. */
  capMs: number;
  /** Up to this share of the wait is taken off at random, so replicas retrying together spread out (0..1). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, capMs: 6 * 3_600_000, jitter: 0.2 };

/** The wait before attempt `failures + 1`, after `failures` (>= 1) failed ones; `random` gives a number in [0, 1). */
export function backoffMs(
  failures: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^(n-1) grows past any ceiling quickly; stop doubling once the cap is reached.
  const full = Math.min(opts.capMs, opts.baseMs * 2 ** Math.min(n - 1, 40));
  return Math.round(full * (1 - opts.jitter * random()));
}

/** Whether a delivery that has now failed `failures` times is given up. */
export const givesUp = (failures: number, maxAttempts: number): boolean => failures >= maxAttempts;
