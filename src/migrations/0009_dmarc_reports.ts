// DMARC reports: aggregate reports with their records, a daily roll-up the analysis reads, failure and abuse
// reports with their original headers, and the import history of files.
import type { Kysely } from 'kysely';

/**
 * A starting list of sending services (fixed ids): the reverse DNS suffixes of their outbound servers, and the
 * SPF records a customer includes to authorise them.
 */
const SERVICE_SEED: [string, string, string[], string[]][] = [
  [
    '00000000-0000-4000-8003-000000000001',
    'Google Workspace / Gmail',
    ['google.com', 'googlemail.com'],
    ['_spf.google.com'],
  ],
  [
    '00000000-0000-4000-8003-000000000002',
    'Microsoft 365 / Outlook',
    ['outbound.protection.outlook.com', 'outlook.com'],
    ['spf.protection.outlook.com'],
  ],
  ['00000000-0000-4000-8003-000000000003', 'Amazon SES', ['amazonses.com'], ['amazonses.com']],
  ['00000000-0000-4000-8003-000000000004', 'SendGrid', ['sendgrid.net'], ['sendgrid.net']],
  [
    '00000000-0000-4000-8003-000000000005',
    'Mailchimp / Mandrill',
    ['mcsv.net', 'rsgsv.net', 'mandrillapp.com'],
    ['servers.mcsv.net', 'spf.mandrillapp.com'],
  ],
  [
    '00000000-0000-4000-8003-000000000006',
    'Salesforce Marketing Cloud',
    ['exacttarget.com', 'salesforce.com'],
    ['cust-spf.exacttarget.com', '_spf.salesforce.com'],
  ],
  ['00000000-0000-4000-8003-000000000007', 'Mailgun', ['mailgun.net', 'mailgun.org'], ['mailgun.org']],
  ['00000000-0000-4000-8003-000000000008', 'SparkPost', ['sparkpostmail.com'], ['sparkpostmail.com']],
  ['00000000-0000-4000-8003-000000000009', 'Zendesk', ['zendesk.com'], ['mail.zendesk.com']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dmarc_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_domain', 'text', (c) => c.notNull())
    /**
     * The inventory's domain the report belongs to: the policy domain or its closest parent in email_domains;
     * its company is the owner. Null while none is inventoried: the report waits in the unclaimed list.
     */
    .addColumn('claim_domain', 'text')
    .addColumn('reporter', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('reporter_email', 'text')
    .addColumn('schema', 'text', (c) => c.notNull())
    /** Epoch seconds. */
    .addColumn('begin_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    /** JSON: the policy published (p, sp, np, pct, adkim, aspf, testing, discovery method). */
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull())
    .addColumn('messages', 'bigint', (c) => c.notNull())
    /** JSON array of the parser's warnings. */
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dmarc_reports_identity_uq', ['reporter', 'report_id', 'policy_domain'])
    .execute();
  await db.schema
    .createIndex('dmarc_reports_claim_idx')
    .on('dmarc_reports')
    .columns(['claim_domain', 'begin_at'])
    .execute();
  await db.schema
    .createIndex('dmarc_reports_domain_idx')
    .on('dmarc_reports')
    .columns(['policy_domain', 'begin_at'])
    .execute();

  // One row per record as the reporter sent it; the analysis reads the daily roll-up below.
  await db.schema
    .createTable('dmarc_records')
    .addColumn('report_id', 'text', (c) => c.notNull().references('dmarc_reports.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('disposition', 'text')
    .addColumn('dkim', 'text')
    .addColumn('spf', 'text')
    .addColumn('header_from', 'text')
    .addColumn('envelope_from', 'text')
    .addColumn('envelope_to', 'text')
    /** JSON: override reasons, DKIM and SPF authentication results. */
    .addColumn('reasons', 'text')
    .addColumn('auth', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmarc_records_pk', ['report_id', 'seq'])
    .execute();

  // Messages per policy domain, day, source and outcome: what every analysis page sums.
  await db.schema
    .createTable('dmarc_daily')
    .addColumn('policy_domain', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('claim_domain', 'text')
    /** pass | fail: the DMARC verdict (aligned DKIM or SPF pass). */
    .addColumn('dmarc', 'text', (c) => c.notNull())
    /** aligned | unaligned (authenticated, not aligned) | fail, for DKIM and for SPF. */
    .addColumn('dkim', 'text', (c) => c.notNull())
    .addColumn('spf', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    /** A forwarding or mailing-list override, or an ARC/forwarding pattern (SPF fails, DKIM passes). */
    .addColumn('forwarded', 'integer', (c) => c.notNull())
    /** From a source of the domain's own: signed by it (DKIM passed), or within its SPF-authorised ranges. */
    .addColumn('ours', 'integer', (c) => c.notNull())
    .addColumn('messages', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmarc_daily_pk', [
      'policy_domain',
      'day',
      'source_ip',
      'dmarc',
      'dkim',
      'spf',
      'disposition',
      'forwarded',
      'ours',
    ])
    .execute();
  await db.schema
    .createIndex('dmarc_daily_claim_idx')
    .on('dmarc_daily')
    .columns(['claim_domain', 'day'])
    .execute();
  await db.schema.createIndex('dmarc_daily_day_idx').on('dmarc_daily').column('day').execute();

  // The same without the source: the time series and breakdowns of a domain, a company or the group.
  await db.schema
    .createTable('dmarc_daily_totals')
    .addColumn('policy_domain', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('claim_domain', 'text')
    .addColumn('dmarc', 'text', (c) => c.notNull())
    .addColumn('dkim', 'text', (c) => c.notNull())
    .addColumn('spf', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('forwarded', 'integer', (c) => c.notNull())
    .addColumn('ours', 'integer', (c) => c.notNull())
    .addColumn('messages', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmarc_daily_totals_pk', [
      'policy_domain',
      'day',
      'dmarc',
      'dkim',
      'spf',
      'disposition',
      'forwarded',
      'ours',
    ])
    .execute();
  await db.schema
    .createIndex('dmarc_daily_totals_claim_idx')
    .on('dmarc_daily_totals')
    .columns(['claim_domain', 'day'])
    .execute();

  // Reverse DNS names of report sources, looked up in the background and kept for a week.
  await db.schema
    .createTable('dmarc_source_names')
    .addColumn('ip', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('looked_up_at', 'text', (c) => c.notNull())
    .execute();

  // Known sending services (an ESP, a CRM, the group's own relays) by the reverse DNS names of their servers.
  await db.schema
    .createTable('dmarc_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    /** JSON array of name suffixes, e.g. ["amazonses.com"]. */
    .addColumn('rdns_suffixes', 'text', (c) => c.notNull())
    /** JSON array of SPF record names that authorise the service, e.g. ["_spf.google.com"]. */
    .addColumn('spf_includes', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const at = new Date().toISOString();
  await db
    .insertInto('dmarc_services')
    .values(
      SERVICE_SEED.map(([id, name, suffixes, includes]) => ({
        id,
        name,
        rdns_suffixes: JSON.stringify(suffixes),
        spf_includes: JSON.stringify(includes),
        version: 1,
        updated_at: at,
      })),
    )
    .execute();

  await db.schema
    .createTable('dmarc_failure_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reported_domain', 'text', (c) => c.notNull())
    .addColumn('claim_domain', 'text')
    /** auth-failure | abuse | … */
    .addColumn('feedback_type', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('arrival_at', 'bigint')
    .addColumn('original_mail_from', 'text')
    .addColumn('auth_failure', 'text')
    .addColumn('delivery_result', 'text')
    /** SHA-256 of the report's content: the same report imported twice is stored once. */
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    /** JSON: every field of the machine-readable part, the DKIM details, the carrying email. */
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('original_headers', 'text')
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dmarc_failure_reports_company_idx')
    .on('dmarc_failure_reports')
    .columns(['claim_domain', 'received_at'])
    .execute();

  // Every file handed in, with its outcome: what the import page and `mamori dmarc import` report.
  await db.schema
    .createTable('dmarc_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** upload | cli | imap */
    .addColumn('channel', 'text', (c) => c.notNull())
    /** imported | duplicate | rejected */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('reports', 'integer', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull())
    .addColumn('messages', 'bigint', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dmarc_files_order_idx')
    .on('dmarc_files')
    .columns(['imported_at', 'id'])
    .execute();
}
