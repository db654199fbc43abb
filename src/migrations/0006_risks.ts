// Risk management (ISO/IEC 27001 6.1.2, 6.1.3, 8.2, 8.3): each company's versioned risk method, the group's
// threat and vulnerability catalogue (seeded) and the risk register. Dialect-neutral: text ids and times.
import type { Kysely } from 'kysely';
import { THREAT_SEED, VULNERABILITY_SEED } from './0006_risk_catalogue_seed.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row per method version of a company; old versions stay so that old assessments remain readable.
  await db.schema
    .createTable('risk_method_versions')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    /** JSON: likelihood and impact scales, risk levels, matrix and acceptance threshold. */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_method_versions_pk', ['company_id', 'version'])
    .execute();

  await db.schema
    .createTable('risk_catalogue_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('risk_catalogue_items_code_uq', ['kind', 'code'])
    .execute();

  await db.schema
    .createTable('risks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('scenario', 'text', (c) => c.notNull())
    /** JSON arrays of ids: assets, applied controls; treatment tasks as JSON objects. */
    .addColumn('asset_ids', 'text', (c) => c.notNull())
    .addColumn('control_ids', 'text', (c) => c.notNull())
    .addColumn('tasks', 'text', (c) => c.notNull())
    .addColumn('threat_id', 'text', (c) => c.references('risk_catalogue_items.id'))
    .addColumn('vulnerability_id', 'text', (c) => c.references('risk_catalogue_items.id'))
    .addColumn('owner_person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('method_version', 'integer', (c) => c.notNull())
    .addColumn('inherent_likelihood', 'integer', (c) => c.notNull())
    .addColumn('inherent_impact', 'integer', (c) => c.notNull())
    .addColumn('inherent_level', 'text', (c) => c.notNull())
    .addColumn('inherent_rank', 'integer', (c) => c.notNull())
    .addColumn('residual_likelihood', 'integer', (c) => c.notNull())
    .addColumn('residual_impact', 'integer', (c) => c.notNull())
    .addColumn('residual_level', 'text', (c) => c.notNull())
    .addColumn('residual_rank', 'integer', (c) => c.notNull())
    .addColumn('treatment', 'text', (c) => c.notNull())
    .addColumn('review_date', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_by', 'text')
    .addColumn('acceptance_expires_on', 'text')
    .addColumn('acceptance_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('risks_company_idx')
    .on('risks')
    .columns(['company_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('risks_order_idx').on('risks').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('risks_owner_idx').on('risks').column('owner_person_id').execute();

  const at = new Date().toISOString();
  const seed = [
    ...THREAT_SEED.map((t) => ({ ...t, kind: 'threat' })),
    ...VULNERABILITY_SEED.map((v) => ({ ...v, kind: 'vulnerability' })),
  ];
  await db
    .insertInto('risk_catalogue_items')
    .values(
      seed.map((s) => ({
        id: s.id,
        kind: s.kind,
        code: s.code,
        name: s.name,
        description: s.description,
        version: 1,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}
