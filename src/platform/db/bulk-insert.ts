// Multi-row inserts for large batches. Kysely builds and compiles a query tree of every value on each call;
// for a 100,000-row import that costs as much as the inserts themselves. Here the SQL of a chunk is compiled
// once per dialect, table, column list and row count, then reused with fresh parameters.
import { CompiledQuery, sql } from 'kysely';
import type { Executor } from './database.ts';
import { compiledSql, keepCompiled } from './compiled-once.ts';

/**
 * What to do with a row whose `keys` exist already: add the new row's `add` columns to it (counters of a
 * roll-up), or keep the existing row and drop the new one (`add` empty: the rows inserted are counted).
 */
export interface OnConflict {
  keys: readonly string[];
  add: readonly string[];
}

/**
 * A column with the same value in every row (the report a batch of records belongs to): bound once per
 * statement rather than once per row, so it is neither copied nor converted again for each row.
 */
export interface SharedColumn {
  column: string;
  value: unknown;
}

/** Stands for the shared value while the statement is compiled, to find where its placeholders are. */
const SHARED = Symbol('shared column');

/** The name of the shared value's parameter on SQLite. */
const SHARED_NAME = 'shared';

/**
 * Rewrites the placeholders of a multi-row insert of `size` rows whose first column is the shared one. On
 * SQLite every row's first `?` becomes the named parameter `:shared` and the others stay `?` (node:sqlite binds
 * numbered `?NNN` parameters about forty times slower). On PostgreSQL the other values keep `$1`, `$2`, … in
 * order and every row's shared placeholder takes the number after them. The SQL holds no literal: every value
 * is a placeholder, and names are quoted identifiers.
 */
function shareFirstColumn(text: string, width: number, size: number): string {
  const at = text.search(/\svalues\s/i);
  let j = 0;
  const rewritten = text.slice(at).replace(/\?|\$\d+/g, (p) => {
    const k = j % (width + 1);
    const row = Math.floor(j / (width + 1));
    j += 1;
    if (p === '?') return k === 0 ? `:${SHARED_NAME}` : '?';
    return `$${k === 0 ? size * width + 1 : row * width + k}`;
  });
  return text.slice(0, at) + rewritten;
}

/**
 * Inserts the first `count` rows of a flat array of values, `columns.length` of them per row in the order of
 * `columns`, `chunk` rows per statement. What is left after the full chunks goes in chunks of powers of two
 * (100 rows: 64 + 32 + 4), so that every statement is one of a few cached ones, whatever the batch sizes of the
 * caller. A caller that keeps a large batch this way holds no object per row, and may reuse the array. With
 * `shared`, `values` holds the other columns only. Returns the rows inserted or updated.
 */
export async function insertValues(
  db: Executor,
  table: string,
  columns: readonly string[],
  values: readonly unknown[],
  chunk: number,
  count: number = values.length / columns.length,
  onConflict?: OnConflict,
  shared?: SharedColumn,
): Promise<number> {
  const width = columns.length;
  let inserted = 0;
  if (count === 0) return 0;
  if (!Number.isInteger(count) || count * width > values.length)
    throw new Error(`${values.length} values do not hold ${count} rows of ${width} columns`);
  if (shared && onConflict) throw new Error('a shared column is not for inserts that resolve conflicts');
  const prefix = `${table}\u0000${shared ? `${shared.column}=;` : ''}${columns.join(',')}\u0000${onConflict ? `${onConflict.keys.join(',')}+${onConflict.add.join(',')}` : ''}\u0000`;
  for (let i = 0; i < count;) {
    const left = count - i;
    const size = left >= chunk ? chunk : 2 ** Math.floor(Math.log2(left));
    // A fresh array each time: Kysely freezes the parameters of a compiled query.
    const params = values.slice(i * width, (i + size) * width);
    const key = prefix + size;
    let text = compiledSql(db, key);
    if (shared) {
      if (text === undefined) text = compileShared(db, key, table, columns, params, size, shared.column);
      // Named first on SQLite (node:sqlite takes an object of named values, then the anonymous ones); on
      // PostgreSQL the last parameter, which the fresh array takes without another copy.
      const args = text.includes(`:${SHARED_NAME}`)
        ? [{ [SHARED_NAME]: shared.value }, ...params]
        : (params.push(shared.value), params);
      inserted += Number((await db.executeQuery(CompiledQuery.raw(text, args))).numAffectedRows ?? 0);
      i += size;
      continue;
    }
    if (text === undefined) {
      const insert = db.insertInto(table).values(rowObjects(columns, params, size));
      const query = (
        onConflict
          ? insert.onConflict((oc) =>
              onConflict.add.length === 0
                ? oc.columns(onConflict.keys as string[]).doNothing()
                : oc
                    .columns(onConflict.keys as string[])
                    .doUpdateSet(
                      Object.fromEntries(
                        onConflict.add.map((c) => [
                          c,
                          sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`,
                        ]),
                      ),
                    ),
            )
          : insert
      ).compile();
      // The reuse rests on Kysely binding values row by row in the column order given: checked once.
      const kept = keepCompiled(db, key, query, params);
      if (kept === null) {
        inserted += Number((await db.executeQuery(query)).numAffectedRows ?? 0);
        i += size;
        continue;
      }
      text = kept;
    }
    inserted += Number((await db.executeQuery(CompiledQuery.raw(text, params))).numAffectedRows ?? 0);
    i += size;
  }
  return inserted;
}

/** The first `size` rows of a flat array of values as objects, for Kysely to compile; `lead` first in each. */
function rowObjects(
  columns: readonly string[],
  params: readonly unknown[],
  size: number,
  lead?: readonly [string, unknown],
): Record<string, unknown>[] {
  const width = columns.length;
  return Array.from({ length: size }, (_, r) =>
    Object.fromEntries([
      ...(lead ? [lead] : []),
      ...columns.map((c, k) => [c, params[r * width + k]] as const),
    ]),
  );
}

/** Compiles the insert of `size` rows with a shared first column, checks where Kysely put the values, keeps it. */
function compileShared(
  db: Executor,
  key: string,
  table: string,
  columns: readonly string[],
  params: readonly unknown[],
  size: number,
  column: string,
): string {
  const width = columns.length;
  const rows = rowObjects(columns, params, size, [column, SHARED]);
  const query = db.insertInto(table).values(rows).compile();
  const expected = rows.flatMap((row) => Object.values(row));
  const kept = keepCompiled(
    db,
    key,
    CompiledQuery.raw(shareFirstColumn(query.sql, width, size), [...query.parameters]),
    expected,
  );
  if (kept === null) throw new Error(`an insert into ${table} did not compile as expected`);
  return kept;
}

/**
 * Inserts `rows` in chunks of `chunk` rows (see insertValues). Every row must have the same keys in the same
 * order (the first row's). Returns the rows inserted or updated.
 */
export async function insertRows<T extends object>(
  db: Executor,
  table: string,
  rows: readonly T[],
  chunk: number,
  onConflict?: OnConflict,
): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  const columns = Object.keys(first);
  const values: unknown[] = new Array(rows.length * columns.length);
  let p = 0;
  for (const row of rows)
    for (const column of columns) values[p++] = (row as Record<string, unknown>)[column];
  return insertValues(db, table, columns, values, chunk, rows.length, onConflict);
}
