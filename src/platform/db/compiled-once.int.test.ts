// Statements compiled once per dialect and run with fresh values, on a real SQLite file, on PGlite and on a real
// PostgreSQL server when MAMORI_TEST_PG_URL is set.
import { describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDatabase, type DbKind } from '../../../test/support/test-database.ts';
import type { Database } from './database.ts';
import { compiledSql, runCompiledOnce } from './compiled-once.ts';

async function open(kind: DbKind): Promise<Database> {
  const db = await openTestDatabase(kind);
  await db.kysely.schema
    .createTable('counters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute();
  await db.kysely
    .insertInto('counters')
    .values([
      { id: 'a', n: 0 },
      { id: 'b', n: 0 },
    ])
    .execute();
  return db;
}

describe.each(DB_KINDS)('runCompiledOnce on %s', (kind) => {
  const add = (db: Database, id: string, by: number) =>
    runCompiledOnce<{ n: number }>(db.kysely, 'counters.add', [by, id], () =>
      db.kysely
        .updateTable('counters')
        .set((eb) => ({ n: eb('n', '+', by) }))
        .where('id', '=', id)
        .returning('n'),
    );

  it('compiles a statement once and runs it with each call’s values', async () => {
    const db = await open(kind);
    expect(compiledSql(db.kysely, 'counters.add')).toBeUndefined();
    expect((await add(db, 'a', 2)).rows.map((r) => Number(r.n))).toEqual([2]);
    const sqlText = compiledSql(db.kysely, 'counters.add');
    expect(sqlText).toMatch(/^update "counters"/);
    expect((await add(db, 'a', 5)).rows.map((r) => Number(r.n))).toEqual([7]);
    expect((await add(db, 'b', 1)).rows.map((r) => Number(r.n))).toEqual([1]);
    // Inside a transaction too (the same dialect, the same text).
    await db.transaction(async (tx) => {
      await runCompiledOnce(tx, 'counters.add', [10, 'b'], () => {
        throw new Error('compiled already: not built again');
      });
    });
    const rows = await db.kysely.selectFrom('counters').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.id, Number(r.n)])).toEqual([
      ['a', 7],
      ['b', 11],
    ]);
  });

  it('does not keep a statement whose values are not where the caller said, and runs it all the same', async () => {
    const db = await open(kind);
    // The values given in the wrong order: the check of the first use refuses to keep the SQL.
    const wrong = () =>
      runCompiledOnce(db.kysely, 'counters.wrong', ['a', 3], () =>
        db.kysely
          .updateTable('counters')
          .set((eb) => ({ n: eb('n', '+', 3) }))
          .where('id', '=', 'a'),
      );
    await wrong();
    expect(compiledSql(db.kysely, 'counters.wrong')).toBeUndefined();
    await wrong();
    const a = await db.kysely
      .selectFrom('counters')
      .select('n')
      .where('id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(Number(a.n)).toBe(6);
  });
});
