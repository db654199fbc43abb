// Statements whose SQL is compiled once per dialect and run again and again with fresh parameters. Kysely builds
// and compiles a query tree on every call; for a statement run for each of thousands of rows or reports (the
// audit chain's head, a bulk insert's chunks) that costs as much as running it. On PostgreSQL the text becomes a
// named prepared statement too (database.ts markReused), parsed and planned once per connection.
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import { markReused, type Executor } from './database.ts';

/** Per dialect adapter (shared by a database and its transactions): SQL text by the caller's key. */
const compiled = new WeakMap<object, Map<string, string>>();

function cacheOf(db: Executor): Map<string, string> {
  const adapter = db.getExecutor().adapter;
  let cache = compiled.get(adapter);
  if (!cache) {
    cache = new Map();
    compiled.set(adapter, cache);
  }
  return cache;
}

/** The SQL kept under `key` for the executor's dialect, if any. */
export const compiledSql = (db: Executor, key: string): string | undefined => cacheOf(db).get(key);

/**
 * Keeps the SQL of `query` under `key` when its parameters are `params`, in that order: the reuse rests on the
 * builder binding the values where the caller expects them, so this is checked on the first use. Returns the
 * SQL, or null when the check fails (the caller then runs `query` itself, uncached).
 */
export function keepCompiled(
  db: Executor,
  key: string,
  query: CompiledQuery,
  params: readonly unknown[],
): string | null {
  if (query.parameters.length !== params.length || query.parameters.some((v, k) => !Object.is(v, params[k])))
    return null;
  cacheOf(db).set(key, query.sql);
  markReused(query.sql);
  return query.sql;
}

/**
 * Runs the statement `build` makes, with the values `params` in the order they appear in it, compiling it only
 * the first time for each dialect. `key` names the statement's shape: the same key must always build the same
 * SQL.
 */
export async function runCompiledOnce<R>(
  db: Executor,
  key: string,
  params: readonly unknown[],
  build: () => Compilable<R>,
): Promise<QueryResult<R>> {
  let text = compiledSql(db, key);
  if (text === undefined) {
    const query = build().compile();
    text = keepCompiled(db, key, query, params) ?? undefined;
    if (text === undefined) return db.executeQuery(query as CompiledQuery<R>);
  }
  return db.executeQuery(CompiledQuery.raw(text, [...params]) as CompiledQuery<R>);
}
