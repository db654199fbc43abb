// Multi-row inserts for large batches. Kysely builds and compiles a query tree of every value on each call;
// for a 100,000-row import that costs as much as the inserts themselves. Here the SQL of a full chunk is
// compiled once per dialect, table, column list and chunk size, then reused with fresh parameters.
import { CompiledQuery } from 'kysely';
import type { Executor } from './database.ts';

/** Per dialect adapter (shared by a database and its transactions): SQL text by table, columns and row count. */
const compiled = new WeakMap<object, Map<string, string>>();

/**
 * Inserts `rows` in chunks of `chunk` rows. Every row must have the same keys in the same order (the first
 * row's); a full chunk's statement is cached, a shorter last chunk is compiled as usual.
 */
export async function insertRows<T extends object>(
  db: Executor,
  table: string,
  rows: readonly T[],
  chunk: number,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const adapter = db.getExecutor().adapter;
  let cache = compiled.get(adapter);
  if (!cache) {
    cache = new Map();
    compiled.set(adapter, cache);
  }
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    if (part.length < chunk) {
      await db.insertInto(table).values(part).execute();
      continue;
    }
    const params: unknown[] = new Array(part.length * columns.length);
    let p = 0;
    for (const row of part)
      for (const column of columns) params[p++] = (row as Record<string, unknown>)[column];
    const key = `${table}\u0000${columns.join(',')}\u0000${chunk}`;
    let text = cache.get(key);
    if (text === undefined) {
      const query = db.insertInto(table).values(part).compile();
      // The reuse rests on Kysely binding values row by row in the first row's column order: check it once.
      if (
        query.parameters.length !== params.length ||
        query.parameters.some((v, k) => !Object.is(v, params[k]))
      ) {
        await db.executeQuery(query);
        continue;
      }
      text = query.sql;
      cache.set(key, text);
    }
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}
