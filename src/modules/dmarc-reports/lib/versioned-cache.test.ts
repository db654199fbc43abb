import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.ts';

describe('VersionedCache', () => {
  it('answers only for the version it was given, and not after its time', () => {
    let now = 0;
    const c = new VersionedCache<number>({ max: 10, maxAgeMs: 1000, now: () => now });
    c.set('a', 'v1', 1);
    expect(c.get('a', 'v1')).toBe(1);
    expect(c.get('a', 'v2')).toBeUndefined();
    // A miss on another version drops the entry: the old version never comes back.
    expect(c.get('a', 'v1')).toBeUndefined();
    c.set('a', 'v2', 2);
    now = 1001;
    expect(c.get('a', 'v2')).toBeUndefined();
  });

  it('lets the least recently used go first when full', () => {
    const c = new VersionedCache<string>({ max: 2, maxAgeMs: 60_000 });
    c.set('a', 'v', 'A');
    c.set('b', 'v', 'B');
    expect(c.get('a', 'v')).toBe('A');
    c.set('c', 'v', 'C');
    expect(c.get('b', 'v')).toBeUndefined();
    expect(c.get('a', 'v')).toBe('A');
    expect(c.get('c', 'v')).toBe('C');
    expect(c.size).toBe(2);
  });
});
