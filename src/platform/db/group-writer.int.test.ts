// Group commit on a real SQLite file and on PGlite: units of several callers share transactions, a failing
// write is undone alone, and a session's flush means committed (another connection sees the rows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type DatabaseTarget } from './database.ts';
import { createGroupWriter } from './group-writer.ts';

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function open(kind: 'sqlite' | 'pglite'): Promise<{ db: Database; target: DatabaseTarget }> {
  let target: DatabaseTarget = { kind: 'pglite' };
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-group-'));
    dirs.push(dir);
    target = { kind: 'sqlite', file: path.join(dir, 'g.sqlite') };
  }
  const db = await openDatabase(target);
  opened.push(db);
  await db.kysely.schema
    .createTable('items')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('note', 'text')
    .execute();
  return { db, target };
}

const ids = async (db: Database) =>
  (await db.kysely.selectFrom('items').select('id').orderBy('id').execute()).map((r) => Number(r.id));

describe.each(['sqlite', 'pglite'] as const)('group writer on %s', (kind) => {
  it('runs the units of several callers in shared transactions, at most `units` each', async () => {
    const { db } = await open(kind);
    const writer = createGroupWriter(db, { units: 3, ms: 10_000, linger: 20 });
    const a = writer.session();
    const b = writer.session();
    const writes = [1, 2, 3, 4, 5, 6, 7].map((id) =>
      (id % 2 ? a : b).write((tx) => tx.insertInto('items').values({ id, note: 'x' }).execute()),
    );
    await Promise.all(writes);
    await Promise.all([a.flush(), b.flush()]);
    expect(writer.stats()).toEqual({ groups: 3, units: 7 });
    expect(await ids(db)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('undoes a failing write alone and tells its caller, the others stay', async () => {
    const { db } = await open(kind);
    const writer = createGroupWriter(db, { units: 100, ms: 10_000, linger: 20 });
    const s = writer.session();
    const one = s.write((tx) => tx.insertInto('items').values({ id: 1 }).execute());
    const two = s.write(async (tx) => {
      await tx.insertInto('items').values({ id: 2 }).execute();
      await tx.insertInto('items').values({ id: 1 }).execute(); // a duplicate key
    });
    const three = s.write(async (tx) => {
      await tx.insertInto('items').values({ id: 3 }).execute();
      return (await tx.selectFrom('items').select('id').execute()).length;
    });
    await expect(one).resolves.toBeDefined();
    await expect(two).rejects.toThrow();
    await expect(three).resolves.toBe(2);
    await s.flush();
    expect(writer.stats().groups).toBe(1);
    expect(await ids(db)).toEqual([1, 3]);
  });

  it('reads in the group see its writes; flush means committed', async () => {
    const { db, target } = await open(kind);
    const writer = createGroupWriter(db, { units: 100, ms: 10_000, linger: 50 });
    const s = writer.session();
    void s.write((tx) => tx.insertInto('items').values({ id: 9, note: 'nine' }).execute());
    const seen = await s.read((tx) =>
      tx.selectFrom('items').select('note').where('id', '=', 9).executeTakeFirst(),
    );
    expect(seen?.note).toBe('nine');
    await s.flush();
    if (target.kind === 'sqlite') {
      // Another connection to the file sees the committed row.
      const other = await openDatabase(target);
      opened.push(other);
      expect(await ids(other)).toEqual([9]);
    } else {
      expect(await ids(db)).toEqual([9]);
    }
  });
});

describe('bulk writes on SQLite', () => {
  it('leaves the checkpoint interval as it was, and the log folded back', async () => {
    const { db } = await open('sqlite');
    const interval = async () =>
      Number(Object.values((await sql`pragma wal_autocheckpoint`.execute(db.kysely)).rows[0] as object)[0]);
    const inside = await db.bulk(async () => {
      await db.transaction((tx) => tx.insertInto('items').values({ id: 1 }).execute());
      return interval();
    });
    expect(inside).toBe(0);
    expect(await interval()).toBe(1000);
    expect(await ids(db)).toEqual([1]);
  });
});
