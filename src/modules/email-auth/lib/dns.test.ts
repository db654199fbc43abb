import { describe, expect, it } from 'vitest';
import { isQueryableName } from './dns.ts';

describe('isQueryableName', () => {
  it('takes labels of 1 to 63 octets, with or without the trailing dot', () => {
    expect(isQueryableName('example.com')).toBe(true);
    expect(isQueryableName('example.com.')).toBe(true);
    expect(isQueryableName('localhost')).toBe(true);
    expect(isQueryableName(`${'a'.repeat(63)}.example`)).toBe(true);
    expect(isQueryableName(`${'a'.repeat(64)}.example`)).toBe(false);
  });

  it('refuses empty names and empty labels', () => {
    for (const name of ['', '.', '..', 'example..com', '.example.com', 'example.com..'])
      expect(isQueryableName(name), name).toBe(false);
  });

  it('takes at most 253 octets in all, not counting the trailing dot', () => {
    const name = (length: number) =>
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.`.padEnd(length, 'd');
    expect(isQueryableName(name(253))).toBe(true);
    expect(isQueryableName(`${name(253)}.`)).toBe(true);
    expect(isQueryableName(name(254))).toBe(false);
  });

  it('counts other characters in UTF-8 octets', () => {
    expect(isQueryableName(`${'é'.repeat(31)}a.example`)).toBe(true); // 63 octets
    expect(isQueryableName(`${'é'.repeat(32)}.example`)).toBe(false); // 64
    expect(isQueryableName(`${'😀'.repeat(15)}abc.example`)).toBe(true); // 15 × 4 + 3
    expect(isQueryableName(`${'😀'.repeat(16)}.example`)).toBe(false); // 64
    // A lone surrogate counts as the three octets of U+FFFD.
    expect(isQueryableName(`${'\ud800'.repeat(21)}.example`)).toBe(true);
    expect(isQueryableName(`${'\ud800'.repeat(21)}a.example`)).toBe(false);
  });
});
