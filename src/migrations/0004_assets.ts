// Information-asset inventory: assets, the relations between them, and each company's classification scale.
// Dialect-neutral: text ids, ISO-8601 text times, booleans written as JS booleans.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('asset_classification_scales')
    .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
    .addColumn('levels', 'integer', (c) => c.notNull())
    .addColumn('next_code_number', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('asset_type', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('owner_person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('custodian_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('location', 'text')
    .addColumn('lifecycle', 'text', (c) => c.notNull())
    .addColumn('confidentiality', 'integer', (c) => c.notNull())
    .addColumn('integrity', 'integer', (c) => c.notNull())
    .addColumn('availability', 'integer', (c) => c.notNull())
    .addColumn('personal_data', 'boolean', (c) => c.notNull())
    .addColumn('personal_data_categories', 'text', (c) => c.notNull())
    .addColumn('personal_record_count', 'integer')
    .addColumn('pci_scope', 'boolean', (c) => c.notNull())
    .addColumn('specified_user_info', 'boolean', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // The import's lookup key, and the company's own order.
    .addUniqueConstraint('assets_company_code_uq', ['company_id', 'code'])
    .execute();
  // The list's keyset order group-wide (per company, the unique index above serves it), and the owner, the
  // filter that picks a few assets out of many ("what does this person own"). The other filters ride on the
  // code order; each further index costs the 100,000-row import some 5 % of its time.
  await db.schema.createIndex('assets_code_idx').on('assets').columns(['code', 'id']).execute();
  await db.schema.createIndex('assets_owner_idx').on('assets').column('owner_person_id').execute();
  // Covers the summary (C x I heat map, counts per type and flag): an index-only scan, not the whole table.
  await db.schema
    .createIndex('assets_summary_idx')
    .on('assets')
    .columns([
      'confidentiality',
      'integrity',
      'asset_type',
      'company_id',
      'personal_data',
      'pci_scope',
      'specified_user_info',
    ])
    .execute();

  await db.schema
    .createTable('asset_relations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('from_asset_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('to_asset_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('asset_relations_uq', ['from_asset_id', 'to_asset_id', 'kind'])
    .execute();
  await db.schema.createIndex('asset_relations_to_idx').on('asset_relations').column('to_asset_id').execute();
}
