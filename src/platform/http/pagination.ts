// Keyset pagination: an opaque cursor carries the sort key of the last row served.
import { z } from 'zod';
import { badRequest } from '../errors.ts';

/** For routes that take no query parameters: an unknown one is refused rather than ignored. */
export const NoQuerySchema = z.strictObject({});

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type Page<T> = { items: T[]; nextCursor: string | null };

export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))
    ) {
      return key as Array<string | number>;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('The cursor is not valid; start again from the first page');
}

/** Rows were fetched with limit + 1: trims the extra row and makes the cursor from the last row served. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => Array<string | number>,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const served = more ? rows.slice(0, limit) : rows;
  const last = served[served.length - 1];
  return { items: served.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}
