// Opens the product's database on one of its dialects and hands out transactions.
import fs from 'node:fs';
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect, PGliteDialect, sql, type KyselyPlugin } from 'kysely';
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
  /**
   * Runs a bulk write (a large import). On SQLite the write-ahead log is folded back into the database once, at
   * the end, rather than every 4 MB: a checkpoint rewrites the same hot index pages each time, and on a large
   * import those repeated rewrites cost more than the inserts. The log grows by what the import writes until
   * then. Nothing changes on PostgreSQL.
   */
  bulk<T>(fn: () => Promise<T>): Promise<T>;
  /** A consistent copy of an SQLite database while it serves. */
  backupTo(file: string): Promise<void>;
  close(): Promise<void>;
}

// pg: keep counts and big integers exact as numbers where they fit.
pg.types.setTypeParser(20, (v) => Number(v));

/** SQL texts run again and again (bulk-insert.ts), by the name of their prepared statement on PostgreSQL. */
const reused = new Map<string, string>();

/**
 * Marks an SQL text that is run many times with fresh parameters (the few statement shapes of a bulk insert). On
 * PostgreSQL it becomes a named prepared statement of each connection, parsed and planned once there instead of
 * on every call: a 400-row INSERT of 6,000 parameters costs the server more to parse than to run. Only a bounded
 * set of texts may be marked, as each stays prepared for the life of a connection.
 */
export function markReused(text: string): void {
  if (!reused.has(text)) reused.set(text, `mamori_${reused.size + 1}`);
}

/** Runs the marked texts of a pool's clients as named prepared statements (pg prepares each once per client). */
function prepareReused(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((first: unknown, ...rest: unknown[]) => {
      const name = typeof first === 'string' ? reused.get(first) : undefined;
      return name ? query({ name, text: first, values: rest[0] }) : query(first, ...rest);
    }) as typeof client.query;
  });
}

/**
 * Marks the code running inside a transaction. A query issued there on the database itself rather than on the
 * transaction would wait forever for SQLite's one connection (or, on PostgreSQL, read outside the transaction):
 * it fails at once instead, naming the mistake.
 */
const inTransaction = new AsyncLocalStorage<boolean>();

const guard: KyselyPlugin = {
  transformQuery(args) {
    if (inTransaction.getStore()) {
      throw new Error(
        'A query ran on the database inside a transaction: run it on the transaction (tx) instead',
      );
    }
    return args.node;
  },
  transformResult: (args) => Promise.resolve(args.result),
};

/** The database as repositories see it (guarded), and transactions begun on the unguarded instance. */
function withGuard(base: Executor): { kysely: Executor; transaction: Database['transaction'] } {
  return {
    kysely: base.withPlugin(guard),
    transaction: (fn) => base.transaction().execute((tx) => inTransaction.run(true, () => fn(tx))),
  };
}

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
    const base: Executor = new Kysely({ dialect: nodeSqliteDialect(raw) });
    const { kysely, transaction } = withGuard(base);
    let bulks = 0;
    return {
      dialect: 'sqlite',
      kysely,
      transaction,
      async bulk(fn) {
        if (bulks++ === 0) raw.exec('PRAGMA wal_autocheckpoint = 0');
        try {
          return await fn();
        } finally {
          if (--bulks === 0) {
            raw.exec('PRAGMA wal_autocheckpoint = 1000');
            try {
              // Folds the log back as far as no reader holds it; the automatic checkpoints do the rest.
              raw.exec('PRAGMA wal_checkpoint(PASSIVE)');
            } catch {
              // A transaction is open on the connection: the next automatic checkpoint folds the log back.
            }
          }
        }
      },
      async backupTo(file) {
        const dest = path.resolve(file);
        if (fs.existsSync(dest)) throw new OperationalError(`${dest} already exists; choose a new file`);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        await sql`VACUUM INTO ${dest}`.execute(kysely);
      },
      close: () => base.destroy(),
    };
  }
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // A connection lost while idle in the pool (the server restarted, an administrator ended it, the network
    // dropped it) is reported here; without a listener it would end the process. The pool has already let it
    // go, and the next query opens a new one.
    pool.on('error', (err) => {
      console.warn(`PostgreSQL closed an idle connection (${err.message}); a new one is opened when needed`);
    });
    prepareReused(pool);
    try {
      const client = await pool.connect();
      client.release();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new OperationalError(`Cannot connect to PostgreSQL: ${(err as Error).message}`, err);
    }
    return postgresLike(new Kysely({ dialect: new PostgresDialect({ pool }) }));
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(target.dataDir);
  await pglite.waitReady;
  return postgresLike(new Kysely({ dialect: new PGliteDialect({ pglite }) }));
}

function postgresLike(base: Executor): Database {
  const { kysely, transaction } = withGuard(base);
  return {
    dialect: 'postgres',
    kysely,
    transaction,
    bulk: (fn) => fn(),
    backupTo: () =>
      Promise.reject(
        new OperationalError('mamori backup copies the embedded SQLite database; on PostgreSQL use pg_dump'),
      ),
    close: () => base.destroy(),
  };
}
