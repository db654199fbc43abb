// Kysely's SQLite dialect over Node's built-in node:sqlite (no native addon to build).
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

const bindOne = (p: unknown): SQLInputValue =>
  typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : (p as SQLInputValue);

/** The parameters as node:sqlite takes them; the array itself when none needs converting (a bulk insert's). */
const bind = (params: ReadonlyArray<unknown>): SQLInputValue[] => {
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (typeof p === 'boolean' || p === undefined) return params.map(bindOne);
  }
  return params as SQLInputValue[];
};

export function openSqlite(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 10000');
  // 16 MB of page cache (the default is 2 MB): large imports rewrite the same index pages many times.
  db.exec('PRAGMA cache_size = -16384');
  // Temporary data in memory, not in files: the journal of each savepoint (an imported report is one) copies
  // every page it changes, and in a file each copy cost a system call.
  db.exec('PRAGMA temp_store = MEMORY');
  return db;
}

const STATEMENT_CACHE_SIZE = 500;

export function nodeSqliteDialect(db: DatabaseSync): SqliteDialect {
  // Compiling a statement costs as much as running a small query: keep the most recent ones, keyed by SQL text.
  const cache = new Map<string, StatementSync>();
  const statement = (sql: string): StatementSync => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = db.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  const adapter: SqliteDatabase = {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const stmt = statement(sql);
      return {
        reader: stmt.columns().length > 0,
        all: (params) => stmt.all(...bind(params)),
        run: (params) => {
          const r = stmt.run(...bind(params));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => stmt.iterate(...bind(params)) as IterableIterator<unknown>,
      };
    },
  };
  return new SqliteDialect({ database: adapter });
}
