import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './pagination.ts';
import { AppError } from '../errors.ts';

describe('keyset cursors', () => {
  it('round-trips a key', () => {
    expect(decodeCursor(encodeCursor(['Tanaka', 'id-1']), 2)).toEqual(['Tanaka', 'id-1']);
  });

  it.each([
    'garbage',
    encodeCursor(['only-one']),
    Buffer.from('{"a":1}').toString('base64url'),
    encodeCursor([{} as unknown as string, 'x']),
  ])('refuses a bad cursor %s with a 400', (c) => {
    expect(() => decodeCursor(c, 2)).toThrowError(AppError);
    try {
      decodeCursor(c, 2);
    } catch (e) {
      expect((e as AppError).status).toBe(400);
    }
  });

  it('trims the look-ahead row and points the cursor at the last row served', () => {
    const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
    const page = toPage(
      rows,
      2,
      (r) => [r.k],
      (r) => r.k,
    );
    expect(page.items).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual(['b']);
    expect(
      toPage(
        rows,
        3,
        (r) => [r.k],
        (r) => r.k,
      ).nextCursor,
    ).toBeNull();
  });
});
