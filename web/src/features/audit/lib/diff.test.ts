import { describe, expect, it } from 'vitest';
import { diffFields, formatValue } from './diff.ts';

describe('diffFields', () => {
  it('marks changed, unchanged, added and removed fields', () => {
    const rows = diffFields({ name: 'A', code: 'X', gone: 1 }, { name: 'B', code: 'X', added: true });
    const kinds = Object.fromEntries(rows.map((r) => [r.field, r.kind]));
    expect(kinds).toEqual({ name: 'changed', code: 'same', gone: 'removed', added: 'added' });
  });

  it('treats a creation (before null) as all fields added', () => {
    expect(diffFields(null, { a: 1 }).map((r) => r.kind)).toEqual(['added']);
  });

  it('compares nested values regardless of key order', () => {
    expect(diffFields({ x: { a: 1, b: 2 } }, { x: { b: 2, a: 1 } })[0]?.kind).toBe('same');
  });

  it('formats values for display', () => {
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue({ a: 1 })).toContain('"a": 1');
  });
});
