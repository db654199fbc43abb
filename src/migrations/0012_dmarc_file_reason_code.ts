// The code of an imported file's reason (lib/report-rejection.ts FILE_REASON_CODES), for the import history to
// word it in the user's language. Files imported before keep their English reason only.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dmarc_files').addColumn('reason_code', 'text').execute();
}
