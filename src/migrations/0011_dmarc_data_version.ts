// A version of the DMARC report data, raised by every change the analysis pages read (an imported file, claimed
// reports, named sources, the known sending services), so that their results can be kept until it moves.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dmarc_data_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('dmarc_data_version').values({ id: 'all', version: 0 }).execute();
}
