// Anti-phishing: each company's sending and parked domains, and the history of their posture scans.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    /** Lower case, without the trailing dot; one company owns a name. */
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('service', 'text', (c) => c.notNull())
    /** sends | parked */
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('owner_person_id', 'text', (c) => c.references('people.id'))
    /** JSON arrays: DKIM selectors in use; expected sending sources (IP addresses or ranges). */
    .addColumn('dkim_selectors', 'text', (c) => c.notNull())
    .addColumn('expected_sources', 'text', (c) => c.notNull())
    .addColumn('scan_interval_hours', 'integer', (c) => c.notNull())
    /** Raise a risk in the register when a scan finds a regression. */
    .addColumn('raise_risks', 'integer', (c) => c.notNull())
    .addColumn('next_scan_at', 'text', (c) => c.notNull())
    /** Set while a process scans the domain (a crashed scan frees it at this time). */
    .addColumn('claimed_until', 'text')
    .addColumn('last_scan_id', 'text')
    .addColumn('last_scanned_at', 'text')
    .addColumn('last_attempt_at', 'text')
    /** The last scan's roll-up, as columns for the group's counts and the rollout board. */
    .addColumn('spf_status', 'text')
    .addColumn('dmarc_policy', 'text')
    .addColumn('dmarc_pct', 'integer')
    .addColumn('dkim_strong', 'integer')
    .addColumn('mta_sts', 'text')
    .addColumn('tls_rpt', 'integer')
    .addColumn('bimi', 'integer')
    .addColumn('errors', 'integer')
    .addColumn('warnings', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('email_domains_company_idx')
    .on('email_domains')
    .columns(['company_id', 'name'])
    .execute();
  await db.schema.createIndex('email_domains_due_idx').on('email_domains').column('next_scan_at').execute();

  await db.schema
    .createTable('email_domain_scans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('domain_id', 'text', (c) => c.notNull().references('email_domains.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('scanned_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    /** scheduled | manual */
    .addColumn('trigger', 'text', (c) => c.notNull())
    /** 0 when a lookup failed or the deadline cut the scan short: it neither moves the roll-up nor counts for regressions. */
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .addColumn('warnings', 'integer', (c) => c.notNull())
    /** JSON: the roll-up, the regressions against the scan before, the whole report. */
    .addColumn('posture', 'text', (c) => c.notNull())
    .addColumn('regressions', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('email_domain_scans_domain_idx')
    .on('email_domain_scans')
    .columns(['domain_id', 'scanned_at', 'id'])
    .execute();
  await db.schema
    .createIndex('email_domain_scans_company_idx')
    .on('email_domain_scans')
    .columns(['company_id', 'scanned_at'])
    .execute();

  // A scan that found regressions raises an alert: listed until acknowledged, and linked to the risk it raised.
  await db.schema
    .createTable('email_domain_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The scan that found the regressions; null for an alert raised by another source (DMARC reports). */
    .addColumn('scan_id', 'text', (c) => c.references('email_domain_scans.id'))
    .addColumn('domain_id', 'text', (c) => c.notNull().references('email_domains.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('raised_at', 'text', (c) => c.notNull())
    /** The worst severity among the regressions. */
    .addColumn('severity', 'text', (c) => c.notNull())
    /** JSON: the regressions. */
    .addColumn('regressions', 'text', (c) => c.notNull())
    .addColumn('risk_id', 'text')
    /** Why no risk was raised, when none was. */
    .addColumn('risk_note', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('email_domain_alerts_company_idx')
    .on('email_domain_alerts')
    .columns(['company_id', 'raised_at', 'id'])
    .execute();
  await db.schema
    .createIndex('email_domain_alerts_order_idx')
    .on('email_domain_alerts')
    .columns(['raised_at', 'id'])
    .execute();
}
