// Mappings between requirements of different frameworks (equivalent / subset / superset / intersects).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('requirement_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_requirement_id', 'text', (c) => c.notNull().references('requirements.id'))
    .addColumn('target_requirement_id', 'text', (c) => c.notNull().references('requirements.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('requirement_mappings_uq', ['source_requirement_id', 'target_requirement_id'])
    .execute();
  await db.schema
    .createIndex('requirement_mappings_target_idx')
    .on('requirement_mappings')
    .column('target_requirement_id')
    .execute();
}
