// Compliance: frameworks adopted per company, the Statement of Applicability, applied controls, evidence,
// score history, certifications and their external audits.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('company_frameworks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('framework_id', 'text', (c) => c.notNull().references('frameworks.id'))
    .addColumn('scope_statement', 'text')
    .addColumn('adopted_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('company_frameworks_uq', ['company_id', 'framework_id'])
    .execute();

  await db.schema
    .createTable('soa_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('framework_id', 'text', (c) => c.notNull().references('frameworks.id'))
    .addColumn('requirement_id', 'text', (c) => c.notNull().references('requirements.id'))
    .addColumn('applicable', 'boolean', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('target_date', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('soa_entries_uq', ['company_id', 'requirement_id'])
    .execute();
  await db.schema
    .createIndex('soa_entries_company_framework_idx')
    .on('soa_entries')
    .columns(['company_id', 'framework_id'])
    .execute();

  await db.schema
    .createTable('applied_controls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('owner_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('applied_controls_code_uq', ['company_id', 'code'])
    .execute();
  await db.schema
    .createIndex('applied_controls_company_name_idx')
    .on('applied_controls')
    .columns(['company_id', 'name', 'id'])
    .execute();

  await db.schema
    .createTable('applied_control_requirements')
    .addColumn('applied_control_id', 'text', (c) => c.notNull().references('applied_controls.id'))
    .addColumn('requirement_id', 'text', (c) => c.notNull().references('requirements.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addPrimaryKeyConstraint('applied_control_requirements_pk', ['applied_control_id', 'requirement_id'])
    .execute();
  await db.schema
    .createIndex('applied_control_requirements_req_idx')
    .on('applied_control_requirements')
    .columns(['company_id', 'requirement_id'])
    .execute();

  await db.schema
    .createTable('evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('applied_control_id', 'text', (c) => c.notNull().references('applied_controls.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('note', 'text')
    .addColumn('file_sha256', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('media_type', 'text')
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_control_idx')
    .on('evidence')
    .columns(['applied_control_id'])
    .execute();
  await db.schema
    .createIndex('evidence_company_valid_idx')
    .on('evidence')
    .columns(['company_id', 'valid_until'])
    .execute();

  await db.schema
    .createTable('compliance_snapshots')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('framework_id', 'text', (c) => c.notNull().references('frameworks.id'))
    .addColumn('taken_on', 'text', (c) => c.notNull())
    // '' for the whole framework, else the ref of a section (a top-level part: an Annex A theme, a PCI requirement…)
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('applicable', 'integer', (c) => c.notNull())
    .addColumn('implemented', 'integer', (c) => c.notNull())
    .addColumn('satisfied', 'integer', (c) => c.notNull())
    .addColumn('evidence_expired', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('compliance_snapshots_pk', ['company_id', 'framework_id', 'taken_on', 'section'])
    .execute();

  // Evidence running out, per company and day: the dashboard sums these instead of scanning the evidence.
  await db.schema
    .createTable('evidence_snapshots')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('taken_on', 'text', (c) => c.notNull())
    .addColumn('expiring', 'integer', (c) => c.notNull())
    .addColumn('expired', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('evidence_snapshots_pk', ['company_id', 'taken_on'])
    .execute();

  await db.schema
    .createTable('certifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('standard', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('certification_body', 'text', (c) => c.notNull())
    .addColumn('certificate_number', 'text')
    .addColumn('first_certified_on', 'text')
    .addColumn('expires_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('certifications_company_idx')
    .on('certifications')
    .columns(['company_id'])
    .execute();

  await db.schema
    .createTable('certification_audits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('certification_id', 'text', (c) => c.notNull().references('certifications.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('planned_on', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('certification_audits_cert_idx')
    .on('certification_audits')
    .columns(['certification_id', 'planned_on'])
    .execute();
}
