// The database layer: a query on the database inside a transaction fails at once instead of deadlocking;
// connections that PostgreSQL ends are replaced, never fatal.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { openTestDatabase } from '../support/test-database.ts';

describe.each(dialectsUnderTest())('database on %s', (dialect) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(dialect);
  });
  afterAll(() => env?.close());

  it('refuses a query outside the transaction from inside it, and rolls the transaction back', async () => {
    const db = env.ctx.db;
    await expect(
      db.transaction(async (tx) => {
        await tx.insertInto('app_meta').values({ key: 'guard-test', value: '1' }).execute();
        await sql`select 1`.execute(db.kysely);
      }),
    ).rejects.toThrow(/inside a transaction: run it on the transaction/);
    const row = await db.kysely
      .selectFrom('app_meta')
      .select('value')
      .where('key', '=', 'guard-test')
      .executeTakeFirst();
    expect(row).toBeUndefined();
    // Outside a transaction, and concurrently with one, the database answers as usual.
    const [a, b] = await Promise.all([
      db.transaction(async (tx) => (await sql<{ n: number }>`select 1 as n`.execute(tx)).rows[0]!.n),
      sql<{ n: number }>`select 2 as n`.execute(db.kysely).then((r) => r.rows[0]!.n),
    ]);
    expect([Number(a), Number(b)]).toEqual([1, 2]);
  });
});

describe.runIf(process.env.MAMORI_TEST_PG_URL)('database on the PostgreSQL server', () => {
  it('goes on after the server ends its idle connections', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const db = await openTestDatabase('postgres');
      const pid = async () =>
        Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely)).rows[0]!.pid);
      const before = await pid();
      const admin = new pg.Client({ connectionString: process.env.MAMORI_TEST_PG_URL });
      await admin.connect();
      try {
        const ended = await admin.query('select pg_terminate_backend($1) as ok', [before]);
        expect(ended.rows[0].ok).toBe(true);
      } finally {
        await admin.end();
      }
      await vi.waitFor(() =>
        expect(warn).toHaveBeenCalledWith(expect.stringMatching(/closed an idle connection/)),
      );
      expect(await pid()).not.toBe(before);
    } finally {
      warn.mockRestore();
    }
  });
});
