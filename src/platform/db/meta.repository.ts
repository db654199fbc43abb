// Small key/value facts about the installation (e.g. that the demo group was loaded).
import type { Executor } from './database.ts';

export const metaRepository = (db: Executor) => ({
  async get(key: string): Promise<string | undefined> {
    const r = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value as string | undefined;
  },
  async set(key: string, value: string): Promise<void> {
    await db
      .insertInto('app_meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  },
});
