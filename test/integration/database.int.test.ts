// The database layer: a query on the database inside a transaction fails at once instead of deadlocking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';

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
