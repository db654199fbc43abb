// Multi-row inserts with SQL compiled once per shape, on a real SQLite file, on PGlite and on a real PostgreSQL
// server when MAMORI_TEST_PG_URL is set: every row lands with its values in place whatever the batch size, a
// roll-up row met again has its counters added to, and on PostgreSQL each shape is prepared once per connection.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DB_KINDS, openTestDatabase, type DbKind } from '../../../test/support/test-database.ts';
import type { Database } from './database.ts';
import { insertValues } from './bulk-insert.ts';

async function open(kind: DbKind): Promise<Database> {
  const db = await openTestDatabase(kind);
  await db.kysely.schema
    .createTable('counts')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('messages', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('counts_pk', ['day', 'source'])
    .execute();
  return db;
}

const rowsOf = async (db: Database) =>
  (await db.kysely.selectFrom('counts').selectAll().orderBy('day').orderBy('source').execute()).map((r) => ({
    ...r,
    messages: Number(r.messages),
  }));

describe.each(DB_KINDS)('insertValues on %s', (kind) => {
  const COLUMNS = ['day', 'source', 'note', 'messages'] as const;

  it('inserts any number of rows in chunks and leftovers, each value in its column', async () => {
    const db = await open(kind);
    const values = Array.from({ length: 13 }, (_, i) => [
      `d${String(i).padStart(2, '0')}`,
      's',
      i % 2 ? null : `n${i}`,
      i,
    ]).flat();
    await insertValues(db.kysely, 'counts', COLUMNS, values, 4);
    const rows = await rowsOf(db);
    expect(rows).toHaveLength(13);
    expect(rows[12]).toEqual({ day: 'd12', source: 's', note: 'n12', messages: 12 });
    expect(rows[3]).toEqual({ day: 'd03', source: 's', note: null, messages: 3 });
  });

  it('binds a column the same in every row once per statement, whatever the batch and its value', async () => {
    const db = await open(kind);
    const others = ['source', 'note', 'messages'] as const;
    const rows = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => [
        `s${String(from + i).padStart(2, '0')}`,
        i % 3 ? null : `n${i}`,
        i,
      ]).flat();
    // 7 rows (4 + 2 + 1), then 5 rows (4 + 1) of another day through the same statements.
    expect(
      await insertValues(db.kysely, 'counts', others, rows(7, 0), 4, 7, undefined, {
        column: 'day',
        value: 'd1',
      }),
    ).toBe(7);
    await insertValues(db.kysely, 'counts', others, rows(5, 10), 4, 5, undefined, {
      column: 'day',
      value: 'd2',
    });
    const stored = (await rowsOf(db)) as {
      day: string;
      source: string;
      note: string | null;
      messages: number;
    }[];
    expect(stored).toHaveLength(12);
    expect(stored.filter((r) => r.day === 'd1').map((r) => r.source)).toEqual([
      's00',
      's01',
      's02',
      's03',
      's04',
      's05',
      's06',
    ]);
    expect(stored.find((r) => r.source === 's13')).toEqual({
      day: 'd2',
      source: 's13',
      note: 'n3',
      messages: 3,
    });
    expect(stored.find((r) => r.source === 's05')).toEqual({
      day: 'd1',
      source: 's05',
      note: null,
      messages: 5,
    });
  });

  it('adds the counters of a row met again, and leaves its other columns', async () => {
    const db = await open(kind);
    const conflict = { keys: ['day', 'source'], add: ['messages'] };
    await insertValues(
      db.kysely,
      'counts',
      COLUMNS,
      ['d1', 'a', 'first', 5, 'd1', 'b', null, 1],
      400,
      2,
      conflict,
    );
    await insertValues(
      db.kysely,
      'counts',
      COLUMNS,
      ['d1', 'a', 'second', 7, 'd2', 'a', null, 2],
      400,
      2,
      conflict,
    );
    // The same shape again: answered by the SQL compiled the first time.
    await insertValues(
      db.kysely,
      'counts',
      COLUMNS,
      ['d1', 'a', 'third', 1, 'd1', 'b', null, 1],
      400,
      2,
      conflict,
    );
    expect(await rowsOf(db)).toEqual([
      { day: 'd1', source: 'a', note: 'first', messages: 13 },
      { day: 'd1', source: 'b', note: null, messages: 2 },
      { day: 'd2', source: 'a', note: null, messages: 2 },
    ]);
    // Without the conflict rule the same row is refused, not added to.
    await expect(insertValues(db.kysely, 'counts', COLUMNS, ['d2', 'a', null, 1], 400)).rejects.toThrow();
  });

  it('keeps the row there already when nothing is to be added, and counts the rows it inserted', async () => {
    const db = await open(kind);
    const keep = { keys: ['day', 'source'], add: [] };
    expect(await insertValues(db.kysely, 'counts', COLUMNS, ['d1', 'a', 'first', 5], 1, 1, keep)).toBe(1);
    const again = ['d1', 'a', 'second', 7, 'd3', 'a', null, 1];
    expect(await insertValues(db.kysely, 'counts', COLUMNS, again, 400, 2, keep)).toBe(1);
    expect(await insertValues(db.kysely, 'counts', COLUMNS, again, 400, 2, keep)).toBe(0);
    expect(await rowsOf(db)).toEqual([
      { day: 'd1', source: 'a', note: 'first', messages: 5 },
      { day: 'd3', source: 'a', note: null, messages: 1 },
    ]);
  });

  it.runIf(kind === 'postgres')(
    'runs each statement shape as a prepared statement of its connection',
    async () => {
      const db = await open(kind);
      const prepared = async () =>
        (
          await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db.kysely)
        ).rows.map((r) => r.statement);
      const row = (i: number) => [`d${i}`, 's', null, i];
      // Two rows: one shape of two rows. Then three: a shape of two again, and one of a single row.
      await insertValues(db.kysely, 'counts', COLUMNS, [...row(1), ...row(2)], 2);
      await insertValues(db.kysely, 'counts', COLUMNS, [...row(3), ...row(4), ...row(5)], 2);
      const statements = await prepared();
      expect(statements.filter((s) => s.startsWith('insert into "counts"'))).toHaveLength(2);
      expect((await rowsOf(db)).map((r) => r.messages)).toEqual([1, 2, 3, 4, 5]);
      // Other queries are not kept prepared.
      expect(statements.some((s) => s.startsWith('select'))).toBe(false);
    },
  );
});
