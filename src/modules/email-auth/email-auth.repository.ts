// SQL of the email-auth module: the domain inventory and the scan history. Company-scoped queries take a Scope.
import type { Executor } from '../../platform/db/database.ts';
import { keysetBefore } from '../../platform/db/keyset.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import { containing, likeLower } from '../../platform/db/like.ts';
import type { AlertListRow, AlertRow, EmailDomainRow, ScanRow, ScanSummaryRow } from './email-auth.tables.ts';

export interface DomainFilterRow {
  companyId?: string | undefined;
  role?: string | undefined;
  q?: string | undefined;
  dmarcPolicy?: string | undefined;
  failing?: boolean | undefined;
}

const isEmpty = (scope: Scope) => !scope.all && scope.companyIds.length === 0;
const SUMMARY = [
  'email_domain_scans.id',
  'email_domain_scans.domain_id',
  'email_domain_scans.company_id',
  'email_domain_scans.scanned_at',
  'email_domain_scans.duration_ms',
  'email_domain_scans.trigger',
  'email_domain_scans.complete',
  'email_domain_scans.errors',
  'email_domain_scans.warnings',
  'email_domain_scans.posture',
  'email_domain_scans.regressions',
  'email_domains.name as domain',
] as const;

export const emailAuthRepository = (db: Executor) => {
  const domains = (scope: Scope, f: DomainFilterRow) => {
    let q = db.selectFrom('email_domains').selectAll();
    if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
    if (f.companyId) q = q.where('company_id', '=', f.companyId);
    if (f.role) q = q.where('role', '=', f.role);
    if (f.q) {
      const pattern = containing(f.q);
      q = q.where((eb) => eb.or([likeLower(eb, 'name', pattern), likeLower(eb, 'service', pattern)]));
    }
    if (f.dmarcPolicy === 'missing')
      q = q.where((eb) => eb.or([eb('dmarc_policy', '=', 'missing'), eb('dmarc_policy', 'is', null)]));
    else if (f.dmarcPolicy) q = q.where('dmarc_policy', '=', f.dmarcPolicy);
    if (f.failing === true) q = q.where('errors', '>', 0);
    if (f.failing === false) q = q.where((eb) => eb.or([eb('errors', '=', 0), eb('errors', 'is', null)]));
    return q;
  };
  const summaries = () =>
    db
      .selectFrom('email_domain_scans')
      .innerJoin('email_domains', 'email_domains.id', 'email_domain_scans.domain_id')
      .select([...SUMMARY]);

  return {
    async listDomains(
      scope: Scope,
      f: DomainFilterRow & { after?: string | undefined; limit: number },
    ): Promise<EmailDomainRow[]> {
      if (isEmpty(scope)) return [];
      let q = domains(scope, f);
      if (f.after) q = q.where('name', '>', f.after);
      return (await q
        .orderBy('name')
        .limit(f.limit + 1)
        .execute()) as EmailDomainRow[];
    },
    /** Every domain in scope, for the roll-up and the board. */
    async allDomains(scope: Scope, f: DomainFilterRow): Promise<EmailDomainRow[]> {
      if (isEmpty(scope)) return [];
      return (await domains(scope, f).orderBy('name').execute()) as EmailDomainRow[];
    },
    async findDomain(scope: Scope, id: string): Promise<EmailDomainRow | undefined> {
      if (isEmpty(scope)) return undefined;
      return (await domains(scope, {}).where('id', '=', id).executeTakeFirst()) as EmailDomainRow | undefined;
    },
    async domainIdByName(name: string): Promise<string | undefined> {
      const r = await db.selectFrom('email_domains').select('id').where('name', '=', name).executeTakeFirst();
      return r?.id as string | undefined;
    },
    async insertDomain(row: EmailDomainRow): Promise<void> {
      await db.insertInto('email_domains').values(row).execute();
    },
    async updateDomain(id: string, version: number, patch: Partial<EmailDomainRow>): Promise<boolean> {
      const r = await db
        .updateTable('email_domains')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** The last scan's results: not a change by a person, so the version stays. */
    async setScanResult(id: string, patch: Partial<EmailDomainRow>): Promise<void> {
      await db.updateTable('email_domains').set(patch).where('id', '=', id).execute();
    },

    // ---- the schedule ----
    async dueDomains(at: string, limit: number): Promise<EmailDomainRow[]> {
      return (await db
        .selectFrom('email_domains')
        .selectAll()
        .where('next_scan_at', '<=', at)
        .orderBy('next_scan_at')
        .limit(limit)
        .execute()) as EmailDomainRow[];
    },
    /** Takes a due domain for this process until `until`: true only if no other process took it first. */
    async claim(id: string, expectedNext: string, at: string, until: string): Promise<boolean> {
      const r = await db
        .updateTable('email_domains')
        .set({ next_scan_at: until, claimed_until: until })
        .where('id', '=', id)
        .where('next_scan_at', '=', expectedNext)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Makes the domains due now, except those a process is scanning. */
    async makeDue(scope: Scope, companyId: string | undefined, at: string): Promise<number> {
      if (isEmpty(scope)) return 0;
      let q = db
        .updateTable('email_domains')
        .set({ next_scan_at: at })
        .where('next_scan_at', '>', at)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]));
      if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
      if (companyId) q = q.where('company_id', '=', companyId);
      return Number((await q.executeTakeFirst()).numUpdatedRows);
    },
    async countDue(scope: Scope, companyId: string | undefined, at: string): Promise<number> {
      if (isEmpty(scope)) return 0;
      let q = db
        .selectFrom('email_domains')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('next_scan_at', '<=', at);
      if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
      if (companyId) q = q.where('company_id', '=', companyId);
      return Number(((await q.executeTakeFirst()) as { n: number }).n);
    },

    // ---- scans ----
    async insertScan(row: ScanRow): Promise<void> {
      await db.insertInto('email_domain_scans').values(row).execute();
    },
    async scanReport(id: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('email_domain_scans')
        .select('report')
        .where('id', '=', id)
        .executeTakeFirst();
      return r?.report as string | undefined;
    },
    /** Newest first. */
    async listScans(
      domainId: string,
      after: [string, string] | undefined,
      limit: number,
    ): Promise<ScanSummaryRow[]> {
      let q = summaries().where('email_domain_scans.domain_id', '=', domainId);
      if (after)
        q = q.where((eb) =>
          keysetBefore(eb, 'email_domain_scans.scanned_at', 'email_domain_scans.id', after),
        );
      return (await q
        .orderBy('email_domain_scans.scanned_at', 'desc')
        .orderBy('email_domain_scans.id', 'desc')
        .limit(limit + 1)
        .execute()) as ScanSummaryRow[];
    },
    async findScan(scope: Scope, id: string): Promise<(ScanSummaryRow & { report: string }) | undefined> {
      if (isEmpty(scope)) return undefined;
      let q = summaries().select('email_domain_scans.report').where('email_domain_scans.id', '=', id);
      if (!scope.all) q = q.where('email_domain_scans.company_id', 'in', scope.companyIds);
      return (await q.executeTakeFirst()) as (ScanSummaryRow & { report: string }) | undefined;
    },
    // ---- alerts ----
    async insertAlert(row: AlertRow): Promise<void> {
      await db.insertInto('email_domain_alerts').values(row).execute();
    },
    /** Codes of the domain's alerts raised since `since`. */
    async recentAlertCodes(domainId: string, since: string): Promise<string[]> {
      const rows = await db
        .selectFrom('email_domain_alerts')
        .select('regressions')
        .where('domain_id', '=', domainId)
        .where('raised_at', '>=', since)
        .execute();
      return rows.flatMap((r) =>
        (JSON.parse(r.regressions as string) as { code: string }[]).map((x) => x.code),
      );
    },
    async domainByName(name: string): Promise<EmailDomainRow | undefined> {
      return (await db
        .selectFrom('email_domains')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst()) as EmailDomainRow | undefined;
    },
    async setAlertRisk(id: string, riskId: string | null, note: string | null): Promise<void> {
      await db
        .updateTable('email_domain_alerts')
        .set({ risk_id: riskId, risk_note: note })
        .where('id', '=', id)
        .execute();
    },
    async findAlert(scope: Scope, id: string): Promise<AlertListRow | undefined> {
      if (isEmpty(scope)) return undefined;
      let q = db
        .selectFrom('email_domain_alerts')
        .innerJoin('email_domains', 'email_domains.id', 'email_domain_alerts.domain_id')
        .selectAll('email_domain_alerts')
        .select('email_domains.name as domain')
        .where('email_domain_alerts.id', '=', id);
      if (!scope.all) q = q.where('email_domain_alerts.company_id', 'in', scope.companyIds);
      return (await q.executeTakeFirst()) as AlertListRow | undefined;
    },
    async acknowledgeAlert(id: string, version: number, at: string, by: string): Promise<boolean> {
      const r = await db
        .updateTable('email_domain_alerts')
        .set({ acknowledged_at: at, acknowledged_by: by, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Newest first; `open` leaves out the acknowledged ones. */
    async alerts(
      scope: Scope,
      f: { companyId?: string | undefined; domainId?: string | undefined; open?: boolean | undefined },
      after: [string, string] | undefined,
      limit: number,
    ): Promise<AlertListRow[]> {
      if (isEmpty(scope)) return [];
      let q = db
        .selectFrom('email_domain_alerts')
        .innerJoin('email_domains', 'email_domains.id', 'email_domain_alerts.domain_id')
        .selectAll('email_domain_alerts')
        .select('email_domains.name as domain');
      if (!scope.all) q = q.where('email_domain_alerts.company_id', 'in', scope.companyIds);
      if (f.companyId) q = q.where('email_domain_alerts.company_id', '=', f.companyId);
      if (f.domainId) q = q.where('email_domain_alerts.domain_id', '=', f.domainId);
      if (f.open) q = q.where('email_domain_alerts.acknowledged_at', 'is', null);
      if (after)
        q = q.where((eb) =>
          keysetBefore(eb, 'email_domain_alerts.raised_at', 'email_domain_alerts.id', after),
        );
      return (await q
        .orderBy('email_domain_alerts.raised_at', 'desc')
        .orderBy('email_domain_alerts.id', 'desc')
        .limit(limit + 1)
        .execute()) as AlertListRow[];
    },
    async companyExists(companyId: string): Promise<boolean> {
      return !!(await db.selectFrom('companies').select('id').where('id', '=', companyId).executeTakeFirst());
    },
  };
};
