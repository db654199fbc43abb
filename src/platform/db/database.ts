// Opens the product's database on one of its dialects and hands out transactions.
import fs from 'node:fs';
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect, PGliteDialect, sql, type Dialect, type Driver } from 'kysely';
import pg from 'pg';
import type { DatabaseSync } from 'node:sqlite';
import { nodeSqliteDialect, openSqlite } from './sqlite-dialect.ts';
import { OperationalError } from '../errors.ts';

export type DialectName = 'sqlite' | 'postgres';

/** What repositories run queries on: the database itself or a transaction. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Executor = Kysely<any>;

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir?: string };

export interface Database {
  readonly dialect: DialectName;
  readonly kysely: Executor;
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** A consistent copy of an SQLite database while it serves. */
  backupTo(file: string): Promise<void>;
  close(): Promise<void>;
}

// pg: keep counts and big integers exact as numbers where they fit.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Marks the code running inside a transaction. A query issued there on the database itself rather than on the
 * transaction would wait forever for SQLite's one connection (or, on PostgreSQL, read outside the transaction):
 * it fails at once instead, naming the mistake.
 */
const inTransaction = new AsyncLocalStorage<boolean>();

function guarded(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      return new Proxy(driver, {
        get(target, prop, receiver) {
          if (prop === 'acquireConnection') {
            return (...args: unknown[]) => {
              if (inTransaction.getStore()) {
                return Promise.reject(
                  new Error(
                    'A query ran on the database inside a transaction: run it on the transaction (tx) instead',
                  ),
                );
              }
              return (target.acquireConnection as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
  };
}

const runTransaction = <T>(kysely: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> =>
  kysely.transaction().execute((tx) => inTransaction.run(true, () => fn(tx)));

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(target.file), { recursive: true });
    let raw: DatabaseSync;
    try {
      raw = openSqlite(target.file);
    } catch (err) {
      throw new OperationalError(
        `Cannot open SQLite database ${target.file}: ${(err as Error).message}`,
        err,
      );
    }
    const kysely: Executor = new Kysely({ dialect: guarded(nodeSqliteDialect(raw)) });
    return {
      dialect: 'sqlite',
      kysely,
      transaction: (fn) => runTransaction(kysely, fn),
      async backupTo(file) {
        const dest = path.resolve(file);
        if (fs.existsSync(dest)) throw new OperationalError(`${dest} already exists; choose a new file`);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        await sql`VACUUM INTO ${dest}`.execute(kysely);
      },
      close: () => kysely.destroy(),
    };
  }
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    try {
      const client = await pool.connect();
      client.release();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new OperationalError(`Cannot connect to PostgreSQL: ${(err as Error).message}`, err);
    }
    const kysely: Executor = new Kysely({ dialect: guarded(new PostgresDialect({ pool })) });
    return postgresLike(kysely);
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(target.dataDir);
  await pglite.waitReady;
  const kysely: Executor = new Kysely({ dialect: guarded(new PGliteDialect({ pglite })) });
  return postgresLike(kysely);
}

function postgresLike(kysely: Executor): Database {
  return {
    dialect: 'postgres',
    kysely,
    transaction: (fn) => runTransaction(kysely, fn),
    backupTo: () =>
      Promise.reject(
        new OperationalError('mamori backup copies the embedded SQLite database; on PostgreSQL use pg_dump'),
      ),
    close: () => kysely.destroy(),
  };
}
