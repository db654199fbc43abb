// A fresh, empty database of each dialect for the tests of platform/db: a real SQLite file, PGlite, and a
// database on the real PostgreSQL server of MAMORI_TEST_PG_URL when it is set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { freshPostgres } from './harness.ts';

export type DbKind = 'sqlite' | 'pglite' | 'postgres';

export const DB_KINDS: DbKind[] = process.env.MAMORI_TEST_PG_URL
  ? ['sqlite', 'pglite', 'postgres']
  : ['sqlite', 'pglite'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A new database of `kind`, closed (and its file or server database removed) after the test. */
export async function openTestDatabase(kind: DbKind): Promise<Database> {
  let db: Database;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-db-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    db = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.sqlite') });
  } else if (kind === 'postgres') {
    const { url, drop } = await freshPostgres();
    cleanups.push(drop);
    db = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
  } else db = await openDatabase({ kind: 'pglite' });
  cleanups.push(() => db.close());
  return db;
}
