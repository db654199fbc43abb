// Risks: where a risk was raised from (an asset, a failing requirement, another module), daily snapshots of each
// company's register for the trend, and indexes for the ranked and filtered views of the register.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('risks').addColumn('source_kind', 'text').execute();
  await db.schema.alterTable('risks').addColumn('source_ref', 'text').execute();
  await db.schema.alterTable('risks').addColumn('source_label', 'text').execute();
  await db.schema
    .createIndex('risks_source_idx')
    .on('risks')
    .columns(['source_kind', 'source_ref'])
    .execute();
  // Top risks: highest residual, then inherent rank.
  await db.schema
    .createIndex('risks_rank_idx')
    .on('risks')
    .columns(['residual_rank', 'inherent_rank', 'company_id'])
    .execute();
  await db.schema
    .createIndex('risks_company_residual_idx')
    .on('risks')
    .columns(['company_id', 'residual_likelihood', 'residual_impact'])
    .execute();

  // A heat-map cell of the register, group-wide (the filter and the counts read only the index).
  for (const side of ['inherent', 'residual'])
    await db.schema
      .createIndex(`risks_${side}_heat_idx`)
      .on('risks')
      .columns([`${side}_likelihood`, `${side}_impact`, `${side}_rank`, 'company_id'])
      .execute();

  // One row per company and day, replaced by every change of that day; days without a change carry the last row.
  await db.schema
    .createTable('risk_snapshots')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('taken_on', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('above_threshold', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('overdue_reviews', 'integer', (c) => c.notNull())
    /** JSON: [{ rank, inherent, residual }] counts per level rank. */
    .addColumn('by_rank', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_snapshots_pk', ['company_id', 'taken_on'])
    .execute();
}
