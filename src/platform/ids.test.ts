import { describe, expect, it } from 'vitest';
import { UUID, uuidv7obj } from 'uuidv7';
import { newId, uuidText } from './ids.ts';

describe('newId', () => {
  it('writes UUIDs as the uuidv7 package does', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7obj();
      expect(uuidText(id.bytes)).toBe(id.toString());
    }
    const edges = [
      new Uint8Array(16),
      new Uint8Array(16).fill(0xff),
      Uint8Array.from({ length: 16 }, (_, i) => i * 17),
    ];
    for (const bytes of edges) expect(uuidText(bytes)).toBe(UUID.ofInner(bytes).toString());
  });

  it('gives version 7 ids in creation order', () => {
    const ids = Array.from({ length: 5000 }, newId);
    expect(
      ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
