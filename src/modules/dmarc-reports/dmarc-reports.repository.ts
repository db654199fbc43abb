// SQL of the dmarc-reports module. A report belongs to the company owning its claim domain in the inventory
// (email_domains); queries scoped to companies join it, and the unclaimed list is what no company owns.
import type { Executor } from '../../platform/db/database.ts';
import { keysetBefore } from '../../platform/db/keyset.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import { insertRows, insertValues } from '../../platform/db/bulk-insert.ts';
import { runCompiledOnce } from '../../platform/db/compiled-once.ts';
import { DAILY_COLUMNS, RECORD_VALUE_COLUMNS, TOTAL_COLUMNS, type Rollup } from './lib/prepare-records.ts';
import type { FailureReportRow, FileRow, RecordRow, ReportRow, ServiceRow } from './dmarc-reports.tables.ts';

/** The outcome columns of the daily totals, by which the analysis sums. */
export interface TotalsRow {
  claim_domain: string;
  day: string;
  dmarc: string;
  dkim: string;
  spf: string;
  disposition: string;
  forwarded: number;
  ours: number;
}
export type TotalsColumn = keyof TotalsRow;

const isEmpty = (scope: Scope) => !scope.all && scope.companyIds.length === 0;
const RECORD_CHUNK = 400;
/** Sources asked about in one query (firstSeen). */
const FIRST_SEEN_CHUNK = 500;
const DAILY_CHUNK = 400;
/** What a daily roll-up row is counted by (with the source for dmarc_daily). */
const DAILY_KEY = [
  'policy_domain',
  'day',
  'dmarc',
  'dkim',
  'spf',
  'disposition',
  'forwarded',
  'ours',
] as const;

/** The unique identity of an aggregate report (dmarc_reports_identity_uq): a second copy is not stored. */
const REPORT_IDENTITY = { keys: ['reporter', 'report_id', 'policy_domain'], add: [] };

export const dmarcReportsRepository = (db: Executor) => ({
  /** The inventoried domains among these names, with their companies. */
  async inventoried(
    names: string[],
  ): Promise<{ name: string; company_id: string; dkim_selectors: string }[]> {
    if (names.length === 0) return [];
    return (await db
      .selectFrom('email_domains')
      .select(['name', 'company_id', 'dkim_selectors'])
      .where('name', 'in', names)
      .execute()) as { name: string; company_id: string; dkim_selectors: string }[];
  },
  /** False when the report (reporter, report id, policy domain) is there already: nothing is written then. */
  async insertReport(row: ReportRow): Promise<boolean> {
    return (await insertRows(db, 'dmarc_reports', [row], 1, REPORT_IDENTITY)) === 1;
  },
  async finishReport(id: string, patch: Pick<ReportRow, 'records' | 'messages' | 'warnings'>): Promise<void> {
    await db.updateTable('dmarc_reports').set(patch).where('id', '=', id).execute();
  },
  /** Rows of one report's dmarc_records as one flat array of values in the order of RECORD_VALUE_COLUMNS. */
  async insertRecordValues(reportId: string, values: readonly unknown[], count: number): Promise<void> {
    await insertValues(db, 'dmarc_records', RECORD_VALUE_COLUMNS, values, RECORD_CHUNK, count, undefined, {
      column: 'report_id',
      value: reportId,
    });
  },
  /** Adds the messages to the day's rows by source (DAILY_COLUMNS), creating those not there yet. */
  async addDaily(rows: Rollup): Promise<void> {
    await insertValues(db, 'dmarc_daily', DAILY_COLUMNS, rows.values, DAILY_CHUNK, rows.count, {
      keys: [...DAILY_KEY, 'source_ip'],
      add: ['messages'],
    });
  },
  /** Adds the messages to the day's totals by class (TOTAL_COLUMNS), creating those not there yet. */
  async addTotals(rows: Rollup): Promise<void> {
    await insertValues(db, 'dmarc_daily_totals', TOTAL_COLUMNS, rows.values, DAILY_CHUNK, rows.count, {
      keys: DAILY_KEY,
      add: ['messages'],
    });
  },
  async failureExists(fingerprint: string): Promise<boolean> {
    return !!(await db
      .selectFrom('dmarc_failure_reports')
      .select('id')
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst());
  },
  async insertFailure(row: FailureReportRow): Promise<void> {
    await db.insertInto('dmarc_failure_reports').values(row).execute();
  },
  async insertFile(row: FileRow): Promise<void> {
    await insertRows(db, 'dmarc_files', [row], 1);
  },

  /** Gives the unclaimed reports of this inventoried domain (or of its subdomains) to it. */
  async claim(name: string): Promise<number> {
    let claimed = 0;
    for (const table of [
      'dmarc_reports',
      'dmarc_failure_reports',
      'dmarc_daily',
      'dmarc_daily_totals',
    ] as const) {
      const column = table === 'dmarc_failure_reports' ? 'reported_domain' : 'policy_domain';
      const r = await db
        .updateTable(table)
        .set({ claim_domain: name })
        .where('claim_domain', 'is', null)
        .where((eb) => eb.or([eb(column, '=', name), eb(column, 'like', `%.${name}`)]))
        .executeTakeFirst();
      if (table === 'dmarc_reports') claimed = Number(r.numUpdatedRows);
    }
    return claimed;
  },
  /** Policy domains of unclaimed reports. */
  async unclaimedDomains(): Promise<string[]> {
    const rows = await db
      .selectFrom('dmarc_reports')
      .select('policy_domain')
      .distinct()
      .where('claim_domain', 'is', null)
      .execute();
    return rows.map((r) => r.policy_domain as string);
  },

  // ---- lists ----
  async listReports(
    scope: Scope,
    f: { companyId?: string | undefined; domain?: string | undefined; unclaimed?: boolean | undefined },
    after: [number, string] | undefined,
    limit: number,
  ): Promise<(ReportRow & { company_id: string | null })[]> {
    if (isEmpty(scope)) return [];
    let q = db
      .selectFrom('dmarc_reports')
      .leftJoin('email_domains', 'email_domains.name', 'dmarc_reports.claim_domain')
      .selectAll('dmarc_reports')
      .select('email_domains.company_id');
    if (f.unclaimed) q = q.where('email_domains.company_id', 'is', null);
    else if (!scope.all) q = q.where('email_domains.company_id', 'in', scope.companyIds);
    if (f.companyId) q = q.where('email_domains.company_id', '=', f.companyId);
    if (f.domain) q = q.where('dmarc_reports.policy_domain', '=', f.domain);
    if (after) q = q.where((eb) => keysetBefore(eb, 'dmarc_reports.begin_at', 'dmarc_reports.id', after));
    return (await q
      .orderBy('dmarc_reports.begin_at', 'desc')
      .orderBy('dmarc_reports.id', 'desc')
      .limit(limit + 1)
      .execute()) as (ReportRow & { company_id: string | null })[];
  },
  async listFiles(after: [string, string] | undefined, limit: number, by?: string): Promise<FileRow[]> {
    let q = db.selectFrom('dmarc_files').selectAll();
    if (by) q = q.where('imported_by', '=', by);
    if (after) q = q.where((eb) => keysetBefore(eb, 'imported_at', 'id', after));
    return (await q
      .orderBy('imported_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute()) as FileRow[];
  },

  // ---- alerts ----
  /** Whether the source sent as the domain on a day before `day`. */
  /** The first day before `before` on which each of these sources sent for the domain; absent if none. */
  async firstSeen(claimDomain: string, ips: readonly string[], before: string): Promise<Map<string, string>> {
    const first = new Map<string, string>();
    for (let i = 0; i < ips.length; i += FIRST_SEEN_CHUNK) {
      const rows = await db
        .selectFrom('dmarc_daily')
        .select(['source_ip', (eb) => eb.fn.min<string>('day').as('day')])
        .where('claim_domain', '=', claimDomain)
        .where('source_ip', 'in', ips.slice(i, i + FIRST_SEEN_CHUNK))
        .where('day', '<', before)
        .groupBy('source_ip')
        .execute();
      for (const r of rows as { source_ip: string; day: string }[]) first.set(r.source_ip, r.day);
    }
    return first;
  },
  async passCounts(
    claimDomain: string,
    from: string,
    to: string,
  ): Promise<{ messages: number; pass: number }> {
    const r = await db
      .selectFrom('dmarc_daily_totals')
      .select((eb) => [
        eb.fn.sum<number>('messages').as('messages'),
        eb.fn
          .sum<number>(eb.case().when('dmarc', '=', 'pass').then(eb.ref('messages')).else(0).end())
          .as('pass'),
      ])
      .where('claim_domain', '=', claimDomain)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .executeTakeFirst();
    return { messages: Number(r?.messages ?? 0), pass: Number(r?.pass ?? 0) };
  },

  // ---- analysis (over the daily roll-ups) ----
  /** The inventoried domain with its company, posture and last complete scan. */
  async inventoryDomain(
    name: string,
  ): Promise<
    { name: string; company_id: string; dmarc_policy: string | null; last_scan_id: string | null } | undefined
  > {
    return (await db
      .selectFrom('email_domains')
      .select(['name', 'company_id', 'dmarc_policy', 'last_scan_id'])
      .where('name', '=', name)
      .executeTakeFirst()) as
      | { name: string; company_id: string; dmarc_policy: string | null; last_scan_id: string | null }
      | undefined;
  },
  /** Raises the version of the report data (see dataVersion). */
  /** Run for every imported file: compiled once. */
  async bumpVersion(): Promise<void> {
    await runCompiledOnce(db, 'dmarc_data_version.bump', [1, 'all'], () =>
      db
        .updateTable('dmarc_data_version')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', 'all'),
    );
  },
  /**
   * What the analysis reads, as one value that moves whenever any of it changes: the report data's version, and
   * the inventory's domains (added, removed, moved to another company, scanned).
   */
  async dataVersion(): Promise<string> {
    const r = (await db
      .selectFrom('email_domains')
      .select((eb) => [
        eb.selectFrom('dmarc_data_version').select('version').where('id', '=', 'all').as('version'),
        eb.fn.countAll().as('domains'),
        eb.fn.max('updated_at').as('updated'),
        eb.fn.max('last_scan_id').as('scan'),
      ])
      .executeTakeFirstOrThrow()) as Record<string, unknown>;
    return `${String(r.version)}|${String(r.domains)}|${String(r.updated)}|${String(r.scan)}`;
  },
  /** Every inventoried domain, with its company and last complete scan. */
  async claimable(): Promise<{ name: string; company_id: string; last_scan_id: string | null }[]> {
    return (await db
      .selectFrom('email_domains')
      .select(['name', 'company_id', 'last_scan_id'])
      .execute()) as { name: string; company_id: string; last_scan_id: string | null }[];
  },
  async scanReport(scanId: string): Promise<string | undefined> {
    const r = await db
      .selectFrom('email_domain_scans')
      .select('report')
      .where('id', '=', scanId)
      .executeTakeFirst();
    return r?.report as string | undefined;
  },
  /** The inventory's sending domains in scope, with the policy they publish. */
  async inventoryDomains(
    scope: Scope,
    companyId: string | undefined,
  ): Promise<{ name: string; company_id: string; dmarc_policy: string | null }[]> {
    if (isEmpty(scope)) return [];
    let q = db
      .selectFrom('email_domains')
      .select(['name', 'company_id', 'dmarc_policy'])
      .where('role', '=', 'sends');
    if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
    if (companyId) q = q.where('company_id', '=', companyId);
    return (await q.orderBy('name').execute()) as {
      name: string;
      company_id: string;
      dmarc_policy: string | null;
    }[];
  },
  /** Messages per claim domain, day and outcome since `from`, for one domain or the domains of the scope. */
  /**
   * Messages since `from` summed in SQL by the columns asked for, for one domain or the domains of the scope (or
   * one company): the pages get a few hundred rows whatever the number of domains and days.
   */
  async totals<C extends TotalsColumn>(
    scope: Scope,
    f: { domain?: string | undefined; companyId?: string | undefined; from: string },
    by: readonly C[],
  ): Promise<(Pick<TotalsRow, C> & { messages: number })[]> {
    if (isEmpty(scope)) return [];
    let q = db
      .selectFrom('dmarc_daily_totals')
      .select((eb) => [...by, eb.fn.sum<number>('messages').as('messages')])
      .where('day', '>=', f.from)
      .groupBy([...by]);
    if (f.domain) q = q.where('claim_domain', '=', f.domain);
    else {
      let names = db.selectFrom('email_domains').select('name');
      if (!scope.all) names = names.where('company_id', 'in', scope.companyIds);
      if (f.companyId) names = names.where('company_id', '=', f.companyId);
      q = q.where('claim_domain', 'in', names);
    }
    const rows = (await q.execute()) as Record<string, unknown>[];
    return rows.map((r) => {
      const out: Record<string, unknown> = { ...r, messages: Number(r.messages) };
      if ('forwarded' in r) out.forwarded = Number(r.forwarded);
      if ('ours' in r) out.ours = Number(r.ours);
      return out;
    }) as (Pick<TotalsRow, C> & { messages: number })[];
  },
  /** A domain's sources since `from`: messages, passing, failing, failing signed by us, failing forwarded. */
  async sources(
    domain: string,
    from: string,
    limit: number,
  ): Promise<
    {
      source_ip: string;
      messages: number;
      pass: number;
      fail: number;
      fail_ours: number;
      fail_forwarded: number;
      first_day: string;
      last_day: string;
      name: string | null;
    }[]
  > {
    // Grouped and cut to the busiest sources first; their names are joined to those few rows only.
    const grouped = db
      .selectFrom('dmarc_daily')
      .select((eb) => [
        'dmarc_daily.source_ip',
        eb.fn.sum<number>('dmarc_daily.messages').as('messages'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when('dmarc_daily.dmarc', '=', 'pass')
              .then(eb.ref('dmarc_daily.messages'))
              .else(0)
              .end(),
          )
          .as('pass'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when('dmarc_daily.dmarc', '=', 'fail')
              .then(eb.ref('dmarc_daily.messages'))
              .else(0)
              .end(),
          )
          .as('fail'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('dmarc_daily.dmarc', '=', 'fail'), eb('dmarc_daily.ours', '=', 1)]))
              .then(eb.ref('dmarc_daily.messages'))
              .else(0)
              .end(),
          )
          .as('fail_ours'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('dmarc_daily.dmarc', '=', 'fail'), eb('dmarc_daily.forwarded', '=', 1)]))
              .then(eb.ref('dmarc_daily.messages'))
              .else(0)
              .end(),
          )
          .as('fail_forwarded'),
        eb.fn.min<string>('dmarc_daily.day').as('first_day'),
        eb.fn.max<string>('dmarc_daily.day').as('last_day'),
      ])
      .where('dmarc_daily.claim_domain', '=', domain)
      .where('dmarc_daily.day', '>=', from)
      .groupBy('dmarc_daily.source_ip')
      .orderBy('messages', 'desc')
      .limit(limit);
    const rows = await db
      .selectFrom(grouped.as('s'))
      .leftJoin('dmarc_source_names', 'dmarc_source_names.ip', 's.source_ip')
      .selectAll('s')
      .select('dmarc_source_names.name')
      .orderBy('s.messages', 'desc')
      .execute();
    return rows.map((r) => ({
      ...r,
      messages: Number(r.messages),
      pass: Number(r.pass),
      fail: Number(r.fail),
      fail_ours: Number(r.fail_ours),
      fail_forwarded: Number(r.fail_forwarded),
    })) as never;
  },
  async services(): Promise<{ name: string; rdns_suffixes: string; spf_includes: string }[]> {
    return (await db
      .selectFrom('dmarc_services')
      .select(['name', 'rdns_suffixes', 'spf_includes'])
      .orderBy('name')
      .execute()) as { name: string; rdns_suffixes: string; spf_includes: string }[];
  },

  // ---- failure reports ----
  async listFailureReports(
    scope: Scope,
    f: { companyId?: string | undefined; domain?: string | undefined },
    after: [string, string] | undefined,
    limit: number,
  ): Promise<(FailureReportRow & { company_id: string | null })[]> {
    if (isEmpty(scope)) return [];
    let q = db
      .selectFrom('dmarc_failure_reports')
      .leftJoin('email_domains', 'email_domains.name', 'dmarc_failure_reports.claim_domain')
      .selectAll('dmarc_failure_reports')
      .select('email_domains.company_id');
    if (!scope.all) q = q.where('email_domains.company_id', 'in', scope.companyIds);
    if (f.companyId) q = q.where('email_domains.company_id', '=', f.companyId);
    if (f.domain) q = q.where('dmarc_failure_reports.claim_domain', '=', f.domain);
    if (after)
      q = q.where((eb) =>
        keysetBefore(eb, 'dmarc_failure_reports.received_at', 'dmarc_failure_reports.id', after),
      );
    return (await q
      .orderBy('dmarc_failure_reports.received_at', 'desc')
      .orderBy('dmarc_failure_reports.id', 'desc')
      .limit(limit + 1)
      .execute()) as (FailureReportRow & { company_id: string | null })[];
  },
  async findFailureReport(
    id: string,
  ): Promise<(FailureReportRow & { company_id: string | null }) | undefined> {
    return (await db
      .selectFrom('dmarc_failure_reports')
      .leftJoin('email_domains', 'email_domains.name', 'dmarc_failure_reports.claim_domain')
      .selectAll('dmarc_failure_reports')
      .select('email_domains.company_id')
      .where('dmarc_failure_reports.id', '=', id)
      .executeTakeFirst()) as (FailureReportRow & { company_id: string | null }) | undefined;
  },

  // ---- known services ----
  async serviceRows(): Promise<ServiceRow[]> {
    return (await db.selectFrom('dmarc_services').selectAll().orderBy('name').execute()) as ServiceRow[];
  },
  async serviceRow(id: string): Promise<ServiceRow | undefined> {
    return (await db.selectFrom('dmarc_services').selectAll().where('id', '=', id).executeTakeFirst()) as
      ServiceRow | undefined;
  },
  async insertService(row: ServiceRow): Promise<void> {
    await db.insertInto('dmarc_services').values(row).execute();
  },
  async updateService(id: string, version: number, patch: Partial<ServiceRow>): Promise<boolean> {
    const r = await db
      .updateTable('dmarc_services')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  // ---- reverse DNS names ----
  /** Sources of the last days without a name looked up in the last week, most messages first. */
  async sourcesToName(since: string, staleBefore: string, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('dmarc_daily')
      .leftJoin('dmarc_source_names', 'dmarc_source_names.ip', 'dmarc_daily.source_ip')
      .select((eb) => ['dmarc_daily.source_ip', eb.fn.sum<number>('dmarc_daily.messages').as('n')])
      .where('dmarc_daily.day', '>=', since)
      .where((eb) =>
        eb.or([
          eb('dmarc_source_names.ip', 'is', null),
          eb('dmarc_source_names.looked_up_at', '<', staleBefore),
        ]),
      )
      .groupBy('dmarc_daily.source_ip')
      .orderBy('n', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.source_ip as string);
  },
  async setSourceName(ip: string, name: string | null, at: string): Promise<void> {
    await db
      .insertInto('dmarc_source_names')
      .values({ ip, name, looked_up_at: at })
      .onConflict((oc) => oc.column('ip').doUpdateSet({ name, looked_up_at: at }))
      .execute();
  },

  // ---- export ----
  /** The records of a domain's reports since `from` (epoch seconds), oldest report first; streamed in pages. */
  async recordsPage(
    claimDomain: string,
    from: number,
    f: { dmarc?: 'pass' | 'fail' | undefined; sourceIp?: string | undefined },
    after: [number, string, number] | undefined,
    limit: number,
  ): Promise<
    (RecordRow & {
      begin_at: number;
      end_at: number;
      policy_domain: string;
      reporter: string;
      external_id: string;
    })[]
  > {
    let q = db
      .selectFrom('dmarc_records')
      .innerJoin('dmarc_reports', 'dmarc_reports.id', 'dmarc_records.report_id')
      .selectAll('dmarc_records')
      .select([
        'dmarc_reports.begin_at',
        'dmarc_reports.end_at',
        'dmarc_reports.policy_domain',
        'dmarc_reports.reporter',
        'dmarc_reports.report_id as external_id',
      ])
      .where('dmarc_reports.claim_domain', '=', claimDomain)
      .where('dmarc_reports.begin_at', '>=', from);
    if (f.sourceIp) q = q.where('dmarc_records.source_ip', '=', f.sourceIp);
    if (f.dmarc === 'pass')
      q = q.where((eb) =>
        eb.or([eb('dmarc_records.dkim', '=', 'pass'), eb('dmarc_records.spf', '=', 'pass')]),
      );
    if (f.dmarc === 'fail')
      q = q.where((eb) =>
        eb.and([
          eb.or([eb('dmarc_records.dkim', 'is', null), eb('dmarc_records.dkim', '<>', 'pass')]),
          eb.or([eb('dmarc_records.spf', 'is', null), eb('dmarc_records.spf', '<>', 'pass')]),
        ]),
      );
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('dmarc_reports.begin_at', '>', after[0]),
          eb.and([eb('dmarc_reports.begin_at', '=', after[0]), eb('dmarc_records.report_id', '>', after[1])]),
          eb.and([
            eb('dmarc_reports.begin_at', '=', after[0]),
            eb('dmarc_records.report_id', '=', after[1]),
            eb('dmarc_records.seq', '>', after[2]),
          ]),
        ]),
      );
    return (await q
      .orderBy('dmarc_reports.begin_at')
      .orderBy('dmarc_records.report_id')
      .orderBy('dmarc_records.seq')
      .limit(limit)
      .execute()) as never;
  },
});
