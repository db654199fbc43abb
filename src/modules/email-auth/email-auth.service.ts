// The sending-domain inventory and its posture scans: permission checks, the schedule, history, regressions
// turned into alerts and risks, the group's roll-up and the DMARC rollout board.
import type { Database, Executor } from '../../platform/db/database.ts';
import { isUniqueViolation, jsonArray } from '../../platform/db/rows.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import {
  can,
  scopeOf,
  systemActor,
  type Action,
  type Actor,
  type Scope,
} from '../../platform/authz/permissions.ts';
import {
  AppError,
  conflict,
  forbidden,
  notFound,
  staleVersion,
  taken,
  validationFailed,
  type FieldIssue,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import type { OrgService } from '../org/index.ts';
import type { RisksService } from '../risks/index.ts';
import type { NotificationsService } from '../notifications/index.ts';
import { emailAuthRepository } from './email-auth.repository.ts';
import type { AlertListRow, AlertRow, EmailDomainRow, ScanRow, ScanSummaryRow } from './email-auth.tables.ts';
import type { PostureReport } from './lib/posture.ts';
import { regressions, type ComparableReport } from './lib/regressions.ts';
import { parseClientIp } from '../../platform/net/ip.ts';
import { worstSeverity } from './lib/findings.ts';
import type {
  AlertDto,
  AlertsQuery,
  CreateEmailDomainInput,
  DmarcStage,
  EmailDomainDto,
  ListEmailDomainsQuery,
  PostureDto,
  Regression,
  Rollup,
  RolloutBoard,
  ScanDetail,
  ScanDto,
  UpdateEmailDomainInput,
} from './email-auth.contract.ts';

/** What a scan is asked to look at. */
export interface ScanTarget {
  domain: string;
  role: 'sends' | 'parked';
  dkimSelectors: string[];
  expectedSources: string[];
}
/** Runs a posture scan over DNS and HTTPS; never throws for what it finds (findings say it). */
export type DomainScanner = (target: ScanTarget) => Promise<PostureReport>;

export interface EmailAuthDeps {
  db: Database;
  org: OrgService;
  risks: RisksService;
  /** Alerts tell the company's email readers and the domain's owner, in the alert's transaction. */
  notifications: Pick<NotificationsService, 'notifyInTx'>;
  scanner: DomainScanner;
  now?: () => Date;
}

const HOUR = 3_600_000;
const lookup = systemActor('email-auth');

function postureOf(r: EmailDomainRow): PostureDto | null {
  if (!r.last_scan_id) return null;
  return {
    spf: (r.spf_status ?? 'missing') as PostureDto['spf'],
    dmarcPolicy: (r.dmarc_policy ?? 'missing') as DmarcStage,
    dmarcPct: r.dmarc_pct === null ? null : Number(r.dmarc_pct),
    dkimStrong: Boolean(Number(r.dkim_strong)),
    mtaSts: (r.mta_sts ?? 'missing') as PostureDto['mtaSts'],
    tlsRpt: Boolean(Number(r.tls_rpt)),
    bimi: Boolean(Number(r.bimi)),
  };
}

export const domainDto = (r: EmailDomainRow): EmailDomainDto => ({
  id: r.id,
  companyId: r.company_id,
  name: r.name,
  service: r.service,
  role: r.role as EmailDomainDto['role'],
  ownerPersonId: r.owner_person_id,
  dkimSelectors: jsonArray<string>(r.dkim_selectors),
  expectedSources: jsonArray<string>(r.expected_sources),
  scanIntervalHours: Number(r.scan_interval_hours),
  raiseRisks: Boolean(Number(r.raise_risks)),
  nextScanAt: r.next_scan_at,
  lastScanId: r.last_scan_id,
  lastScannedAt: r.last_scanned_at,
  lastAttemptAt: r.last_attempt_at,
  posture: postureOf(r),
  errors: r.errors === null ? null : Number(r.errors),
  warnings: r.warnings === null ? null : Number(r.warnings),
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const scanDto = (r: ScanSummaryRow): ScanDto => ({
  id: r.id,
  domainId: r.domain_id,
  domain: r.domain,
  companyId: r.company_id,
  scannedAt: r.scanned_at,
  durationMs: Number(r.duration_ms),
  trigger: r.trigger as ScanDto['trigger'],
  complete: Boolean(Number(r.complete)),
  errors: Number(r.errors),
  warnings: Number(r.warnings),
  posture: JSON.parse(r.posture) as PostureDto,
  regressions: jsonArray<Regression>(r.regressions),
});

const alertDto = (r: AlertListRow): AlertDto => ({
  id: r.id,
  scanId: r.scan_id,
  domainId: r.domain_id,
  domain: r.domain,
  companyId: r.company_id,
  raisedAt: r.raised_at,
  severity: r.severity as AlertDto['severity'],
  regressions: jsonArray<Regression>(r.regressions),
  riskId: r.risk_id,
  riskNote: r.risk_note,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  version: Number(r.version),
});

/** What the audit trail keeps of a domain. */
const domainAudit = (r: EmailDomainRow) => ({
  name: r.name,
  service: r.service,
  role: r.role,
  owner_person_id: r.owner_person_id,
  dkim_selectors: jsonArray<string>(r.dkim_selectors),
  expected_sources: jsonArray<string>(r.expected_sources),
  scan_interval_hours: Number(r.scan_interval_hours),
  raise_risks: Boolean(Number(r.raise_risks)),
});

/** Expected sources are addresses or CIDR ranges; the paths of those that are not. */
function sourceIssues(sources: string[] | undefined): FieldIssue[] {
  return (sources ?? []).flatMap((s, i) => {
    const [ip, prefix, ...rest] = s.split('/');
    const parsed = ip ? parseClientIp(ip) : null;
    const max = parsed?.bytes.length === 16 ? 128 : 32;
    const ok =
      parsed !== null &&
      rest.length === 0 &&
      (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
    return ok
      ? []
      : [
          {
            path: `expectedSources.${i}`,
            message: 'must be an IPv4 or IPv6 address or range',
            code: 'invalid_format' as const,
            params: { format: 'ip_or_range' },
          },
        ];
  });
}

export function createEmailAuthService(deps: EmailAuthDeps) {
  const { db } = deps;
  const clock = () => (deps.now ? deps.now() : new Date());
  const now = () => clock().toISOString();
  const repo = emailAuthRepository(db.kysely);

  function visible(actor: Actor, action: Action, companyId: string): void {
    if (!can(actor, action, companyId)) throw notFound('Company');
  }
  function allowed(actor: Actor, action: Action, companyId: string): void {
    if (!can(actor, action, companyId)) throw forbidden();
  }
  const readScope = (actor: Actor): Scope => scopeOf(actor, 'email.read');

  async function loadDomain(actor: Actor, id: string, r = repo): Promise<EmailDomainRow> {
    const row = await r.findDomain(readScope(actor), id);
    if (!row) throw notFound('Domain');
    return row;
  }

  async function checkOwner(companyId: string, personId: string | null | undefined): Promise<FieldIssue[]> {
    if (!personId) return [];
    try {
      if ((await deps.org.getPerson(lookup, personId)).companyId === companyId) return [];
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
    }
    return [{ path: 'ownerPersonId', message: 'not a person of this company', code: 'not_in_company' }];
  }

  /** Notifications of a new alert, in its transaction: to whoever may read the company's domains, and the owner. */
  const notifyAlert = (
    tx: Executor,
    domain: EmailDomainRow,
    alert: AlertRow,
    found: Regression[],
    source: 'scan' | 'reports',
  ) =>
    deps.notifications.notifyInTx(tx, {
      companyId: domain.company_id,
      kind: 'email_alert',
      severity: alert.severity as Regression['severity'],
      titleKey: `email_alert.${source}`,
      params: {
        domain: domain.name,
        count: found.length,
        codes: found.map((f) => f.code),
        messages: found.slice(0, 10).map((f) => f.message),
      },
      link: `/email/domains/${domain.id}`,
      entity: { type: 'email_domain_alert', id: alert.id },
      audience: { action: 'email.read', personIds: [domain.owner_person_id] },
    });

  /** The register's risk for a regression: owned by the domain's owner or else the company's CISO. */
  async function raiseRisk(
    domain: EmailDomainRow,
    found: Regression[],
  ): Promise<{ riskId: string | null; note: string | null }> {
    if (!Number(domain.raise_risks)) return { riskId: null, note: 'raising risks is off for this domain' };
    if (!found.some((f) => f.severity === 'error'))
      return { riskId: null, note: 'only warnings: no risk is raised for them' };
    const owner =
      domain.owner_person_id ?? (await deps.org.getCompany(lookup, domain.company_id)).cisoPersonId;
    if (!owner)
      return { riskId: null, note: 'the domain has no owner and the company no CISO to own the risk' };
    let method;
    try {
      method = await deps.risks.getMethod(lookup, domain.company_id);
    } catch (err) {
      if (err instanceof AppError && err.status === 404)
        return { riskId: null, note: 'the company has no risk method yet' };
      throw err;
    }
    const likely = method.likelihood[Math.floor(method.likelihood.length / 2)]!.level;
    const severe = method.impact[method.impact.length - 1]!.level;
    const review = new Date(clock().getTime() + 14 * 24 * HOUR).toISOString().slice(0, 10);
    const { risk } = await deps.risks.raiseRisk(systemActor('email-scan'), {
      companyId: domain.company_id,
      title: `Mail from ${domain.name} can be spoofed more easily`,
      scenario: [
        `A posture scan of ${domain.name} (${domain.service}) found that its email authentication got weaker:`,
        ...found.map((r) => `- ${r.message}`),
        'Phishing mail using the domain is more likely to reach customers.',
      ].join('\n'),
      assetIds: [],
      threatId: null,
      vulnerabilityId: null,
      ownerPersonId: owner,
      inherent: { likelihood: likely, impact: severe },
      residual: { likelihood: likely, impact: severe },
      controlIds: [],
      treatment: 'mitigate',
      tasks: [],
      reviewDate: review,
      source: { kind: 'email-domain', ref: domain.name, label: domain.name },
    });
    return { riskId: risk.id, note: null };
  }

  /** Scans one domain, stores the scan, updates the domain's roll-up, and raises an alert and a risk on regressions. */
  async function scan(
    actor: Actor,
    domain: EmailDomainRow,
    trigger: 'manual' | 'scheduled',
  ): Promise<ScanDto> {
    const report = await deps.scanner({
      domain: domain.name,
      role: domain.role as ScanTarget['role'],
      dkimSelectors: jsonArray<string>(domain.dkim_selectors),
      expectedSources: jsonArray<string>(domain.expected_sources),
    });
    const previousJson = domain.last_scan_id ? await repo.scanReport(domain.last_scan_id) : undefined;
    const previous = previousJson ? (JSON.parse(previousJson) as ComparableReport) : null;
    // An incomplete scan (DNS failing, deadline reached) says nothing reliable about what changed.
    const found = report.complete ? regressions(previous, report) : [];
    const instant = clock();
    const at = instant.toISOString();
    const row: ScanRow = {
      id: newId(),
      domain_id: domain.id,
      company_id: domain.company_id,
      scanned_at: at,
      duration_ms: Math.round(report.durationMs),
      trigger,
      complete: report.complete ? 1 : 0,
      errors: report.summary.error,
      warnings: report.summary.warning,
      posture: JSON.stringify(report.posture),
      regressions: JSON.stringify(found),
      report: JSON.stringify(report),
    };
    const alert: AlertRow | null =
      found.length > 0
        ? {
            id: newId(),
            scan_id: row.id,
            domain_id: domain.id,
            company_id: domain.company_id,
            raised_at: at,
            severity: worstSeverity(found) ?? 'warning',
            regressions: row.regressions,
            risk_id: null,
            risk_note: null,
            acknowledged_at: null,
            acknowledged_by: null,
            version: 1,
          }
        : null;
    await db.transaction(async (tx) => {
      const r = emailAuthRepository(tx);
      await r.insertScan(row);
      const next = new Date(instant.getTime() + Number(domain.scan_interval_hours) * HOUR).toISOString();
      await r.setScanResult(domain.id, { last_attempt_at: at, next_scan_at: next, claimed_until: null });
      if (report.complete)
        await r.setScanResult(domain.id, {
          last_scan_id: row.id,
          last_scanned_at: at,
          spf_status: report.posture.spf,
          dmarc_policy: report.posture.dmarcPolicy,
          dmarc_pct: report.posture.dmarcPct,
          dkim_strong: report.posture.dkimStrong ? 1 : 0,
          mta_sts: report.posture.mtaSts,
          tls_rpt: report.posture.tlsRpt ? 1 : 0,
          bimi: report.posture.bimi ? 1 : 0,
          errors: report.summary.error,
          warnings: report.summary.warning,
        });
      if (alert) {
        await r.insertAlert(alert);
        await notifyAlert(tx, domain, alert, found, 'scan');
      }
      await recordAudit(tx, actor, {
        action: 'email_domain.scan',
        entityType: 'email_domain',
        entityId: domain.id,
        companyId: domain.company_id,
        after: {
          scan: row.id,
          trigger,
          complete: report.complete,
          posture: report.posture,
          errors: row.errors,
          warnings: row.warnings,
          regressions: found.map((f) => f.code),
        },
      });
    });
    // The risk register has its own transaction: the scan and its alert stand even if raising the risk fails.
    if (alert) {
      const raised = await raiseRisk(domain, found).catch((err: unknown) => ({
        riskId: null,
        note: `raising the risk failed: ${(err as Error).message}`,
      }));
      await repo.setAlertRisk(alert.id, raised.riskId, raised.note);
    }
    return scanDto({ ...row, domain: domain.name });
  }

  return {
    /**
     * For other modules (DMARC reports): raises an alert on an inventoried domain, and a risk when an error is
     * among the findings and the domain allows it. An alert with one of these codes raised within `quietHours`
     * is not repeated. Returns the alert's id, or null when nothing was raised.
     */
    async raiseAlert(
      actor: Actor,
      input: { domain: string; findings: Regression[]; quietHours?: number },
    ): Promise<string | null> {
      const domain = await repo.domainByName(input.domain);
      if (!domain || input.findings.length === 0) return null;
      allowed(actor, 'email.write', domain.company_id);
      const since = new Date(clock().getTime() - (input.quietHours ?? 24) * HOUR).toISOString();
      const recent = new Set(await repo.recentAlertCodes(domain.id, since));
      const fresh = input.findings.filter((f) => !recent.has(f.code));
      if (fresh.length === 0) return null;
      const alert: AlertRow = {
        id: newId(),
        scan_id: null,
        domain_id: domain.id,
        company_id: domain.company_id,
        raised_at: now(),
        severity: worstSeverity(fresh) ?? 'warning',
        regressions: JSON.stringify(fresh),
        risk_id: null,
        risk_note: null,
        acknowledged_at: null,
        acknowledged_by: null,
        version: 1,
      };
      await db.transaction(async (tx) => {
        await emailAuthRepository(tx).insertAlert(alert);
        await notifyAlert(tx, domain, alert, fresh, 'reports');
        await recordAudit(tx, actor, {
          action: 'email_alert.raise',
          entityType: 'email_domain_alert',
          entityId: alert.id,
          companyId: domain.company_id,
          after: { domain: domain.name, findings: fresh.map((f) => f.code) },
        });
      });
      const raised = await raiseRisk(domain, fresh).catch((err: unknown) => ({
        riskId: null,
        note: `raising the risk failed: ${(err as Error).message}`,
      }));
      await repo.setAlertRisk(alert.id, raised.riskId, raised.note);
      return alert.id;
    },

    async listDomains(actor: Actor, query: ListEmailDomainsQuery): Promise<Page<EmailDomainDto>> {
      if (query.companyId) visible(actor, 'email.read', query.companyId);
      const after = decodeCursor(query.cursor, 1) as [string] | undefined;
      const rows = await repo.listDomains(readScope(actor), {
        companyId: query.companyId,
        role: query.role,
        q: query.q,
        dmarcPolicy: query.dmarcPolicy,
        failing: query.failing === undefined ? undefined : query.failing === 'true',
        after: after?.[0],
        limit: query.limit,
      });
      return toPage(rows, query.limit, (r) => [r.name], domainDto);
    },

    async getDomain(actor: Actor, id: string): Promise<EmailDomainDto> {
      return domainDto(await loadDomain(actor, id));
    },

    async createDomain(actor: Actor, input: CreateEmailDomainInput): Promise<EmailDomainDto> {
      visible(actor, 'email.read', input.companyId);
      allowed(actor, 'email.write', input.companyId);
      if (!(await repo.companyExists(input.companyId))) throw notFound('Company');
      const issues = [
        ...(await checkOwner(input.companyId, input.ownerPersonId)),
        ...sourceIssues(input.expectedSources),
      ];
      if (issues.length > 0) throw validationFailed('The domain is not valid', issues);
      const at = now();
      const row: EmailDomainRow = {
        id: newId(),
        company_id: input.companyId,
        name: input.name,
        service: input.service,
        role: input.role,
        owner_person_id: input.ownerPersonId,
        dkim_selectors: JSON.stringify([...new Set(input.dkimSelectors)]),
        expected_sources: JSON.stringify([...new Set(input.expectedSources)]),
        scan_interval_hours: input.scanIntervalHours,
        raise_risks: input.raiseRisks ? 1 : 0,
        // A new domain is scanned at the scheduler's next round.
        next_scan_at: at,
        claimed_until: null,
        last_scan_id: null,
        last_scanned_at: null,
        last_attempt_at: null,
        spf_status: null,
        dmarc_policy: null,
        dmarc_pct: null,
        dkim_strong: null,
        mta_sts: null,
        tls_rpt: null,
        bimi: null,
        errors: null,
        warnings: null,
        version: 1,
        created_at: at,
        updated_at: at,
      };
      return db.transaction(async (tx) => {
        const r = emailAuthRepository(tx);
        if (await r.domainIdByName(row.name))
          throw conflict(`The domain ${row.name} is already in the inventory`, [taken('name', row.name)]);
        try {
          await r.insertDomain(row);
        } catch (err) {
          if (isUniqueViolation(err))
            throw conflict(`The domain ${row.name} is already in the inventory`, [taken('name', row.name)]);
          throw err;
        }
        await recordAudit(tx, actor, {
          action: 'email_domain.create',
          entityType: 'email_domain',
          entityId: row.id,
          companyId: row.company_id,
          after: domainAudit(row),
        });
        return domainDto(row);
      });
    },

    async updateDomain(actor: Actor, id: string, input: UpdateEmailDomainInput): Promise<EmailDomainDto> {
      const current = await loadDomain(actor, id);
      allowed(actor, 'email.write', current.company_id);
      const issues = [
        ...(await checkOwner(current.company_id, input.ownerPersonId)),
        ...sourceIssues(input.expectedSources),
      ];
      if (issues.length > 0) throw validationFailed('The domain is not valid', issues);
      return db.transaction(async (tx) => {
        const r = emailAuthRepository(tx);
        const before = await loadDomain(actor, id, r);
        if (Number(before.version) !== input.version) throw staleVersion('Domain');
        const patch: Partial<EmailDomainRow> = {
          ...(input.service !== undefined ? { service: input.service } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
          ...(input.ownerPersonId !== undefined ? { owner_person_id: input.ownerPersonId } : {}),
          ...(input.dkimSelectors !== undefined
            ? { dkim_selectors: JSON.stringify([...new Set(input.dkimSelectors)]) }
            : {}),
          ...(input.expectedSources !== undefined
            ? { expected_sources: JSON.stringify([...new Set(input.expectedSources)]) }
            : {}),
          ...(input.scanIntervalHours !== undefined ? { scan_interval_hours: input.scanIntervalHours } : {}),
          ...(input.raiseRisks !== undefined ? { raise_risks: input.raiseRisks ? 1 : 0 } : {}),
          updated_at: now(),
        };
        if (!(await r.updateDomain(id, input.version, patch))) throw staleVersion('Domain');
        const after = await loadDomain(actor, id, r);
        await recordAudit(tx, actor, {
          action: 'email_domain.update',
          entityType: 'email_domain',
          entityId: id,
          companyId: before.company_id,
          before: domainAudit(before),
          after: domainAudit(after),
        });
        return domainDto(after);
      });
    },

    /** Scans the domain now and returns the scan; the schedule restarts from now. */
    async scanNow(actor: Actor, id: string): Promise<ScanDto> {
      const domain = await loadDomain(actor, id);
      allowed(actor, 'email.write', domain.company_id);
      return scan(actor, domain, 'manual');
    },

    /** Makes every domain in scope (or of one company) due: the scheduler scans them at its next rounds. */
    async rescanAll(actor: Actor, companyId?: string): Promise<{ queued: number }> {
      if (companyId) {
        visible(actor, 'email.read', companyId);
        allowed(actor, 'email.write', companyId);
      }
      const scope = scopeOf(actor, 'email.write');
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      const at = now();
      await repo.makeDue(scope, companyId, at);
      return { queued: await repo.countDue(scope, companyId, at) };
    },

    async listScans(actor: Actor, domainId: string, query: { limit: number; cursor?: string | undefined }) {
      await loadDomain(actor, domainId);
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listScans(domainId, after, query.limit);
      return toPage(rows, query.limit, (r) => [r.scanned_at, r.id], scanDto);
    },

    async getScan(actor: Actor, id: string): Promise<ScanDetail> {
      const row = await repo.findScan(readScope(actor), id);
      if (!row) throw notFound('Scan');
      const report = JSON.parse(row.report) as PostureReport;
      return {
        ...scanDto(row),
        findings: report.findings,
        report: report as unknown as Record<string, unknown>,
      };
    },

    async listAlerts(actor: Actor, query: AlertsQuery): Promise<Page<AlertDto>> {
      if (query.companyId) visible(actor, 'email.read', query.companyId);
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.alerts(
        readScope(actor),
        { companyId: query.companyId, domainId: query.domainId, open: query.open === 'true' },
        after,
        query.limit,
      );
      return toPage(rows, query.limit, (r) => [r.raised_at, r.id], alertDto);
    },

    async acknowledgeAlert(actor: Actor, id: string, version: number): Promise<AlertDto> {
      const alert = await repo.findAlert(readScope(actor), id);
      if (!alert) throw notFound('Alert');
      allowed(actor, 'email.write', alert.company_id);
      return db.transaction(async (tx) => {
        const r = emailAuthRepository(tx);
        if (!(await r.acknowledgeAlert(id, version, now(), actor.label))) throw staleVersion('Alert');
        const after = (await r.findAlert(readScope(actor), id))!;
        await recordAudit(tx, actor, {
          action: 'email_alert.acknowledge',
          entityType: 'email_domain_alert',
          entityId: id,
          companyId: alert.company_id,
          after: {
            domain: alert.domain,
            regressions: jsonArray<Regression>(alert.regressions).map((x) => x.code),
          },
        });
        return alertDto(after);
      });
    },

    /** Counts over the domains in scope (or of one company), from each domain's last scan. */
    async rollup(actor: Actor, companyId?: string): Promise<Rollup> {
      if (companyId) visible(actor, 'email.read', companyId);
      const rows = await repo.allDomains(readScope(actor), { companyId });
      const stages = () => ({ missing: 0, none: 0, quarantine: 0, reject: 0 });
      const out: Rollup = {
        domains: rows.length,
        sending: 0,
        parked: 0,
        scanned: 0,
        sendingScanned: 0,
        spf: { pass: 0, warn: 0, fail: 0, missing: 0 },
        dmarc: stages(),
        dkimStrong: 0,
        mtaSts: { enforce: 0, testing: 0, none: 0, missing: 0 },
        tlsRpt: 0,
        bimi: 0,
        parkedLocked: 0,
        withErrors: 0,
        companies: [],
      };
      const perCompany = new Map<string, Rollup['companies'][number]>();
      for (const r of rows) {
        const c = perCompany.get(r.company_id) ?? {
          companyId: r.company_id,
          domains: 0,
          dmarc: stages(),
          withErrors: 0,
        };
        perCompany.set(r.company_id, c);
        c.domains += 1;
        if (r.role === 'parked') out.parked += 1;
        else out.sending += 1;
        const p = postureOf(r);
        if (!p) continue;
        out.scanned += 1;
        if (r.role !== 'parked') out.sendingScanned += 1;
        out.spf[p.spf] += 1;
        out.dmarc[p.dmarcPolicy] += 1;
        c.dmarc[p.dmarcPolicy] += 1;
        if (p.dkimStrong) out.dkimStrong += 1;
        out.mtaSts[p.mtaSts] += 1;
        if (p.tlsRpt) out.tlsRpt += 1;
        if (p.bimi) out.bimi += 1;
        const errors = Number(r.errors ?? 0);
        if (errors > 0) {
          out.withErrors += 1;
          c.withErrors += 1;
        }
        if (r.role === 'parked' && p.dmarcPolicy === 'reject' && p.spf !== 'missing' && errors === 0)
          out.parkedLocked += 1;
      }
      out.companies = [...perCompany.values()];
      return out;
    },

    /** The sending domains by the DMARC policy that applies to them; unscanned ones count as missing. */
    async rolloutBoard(actor: Actor, companyId?: string): Promise<RolloutBoard> {
      if (companyId) visible(actor, 'email.read', companyId);
      const rows = await repo.allDomains(readScope(actor), { companyId, role: 'sends' });
      const columns: RolloutBoard['columns'] = (['missing', 'none', 'quarantine', 'reject'] as const).map(
        (stage) => ({ stage, domains: [] }),
      );
      for (const r of rows) {
        const stage = (r.dmarc_policy ?? 'missing') as DmarcStage;
        columns
          .find((c) => c.stage === stage)!
          .domains.push({
            id: r.id,
            companyId: r.company_id,
            name: r.name,
            service: r.service,
            lastScannedAt: r.last_scanned_at,
            errors: r.errors === null ? null : Number(r.errors),
            warnings: r.warnings === null ? null : Number(r.warnings),
            dmarcPct: r.dmarc_pct === null ? null : Number(r.dmarc_pct),
          });
      }
      return { columns };
    },

    /**
     * One round of the schedule: takes up to `limit` due domains (each claimed so that another process does not
     * scan it too) and scans `concurrency` at a time. Returns how many were scanned.
     */
    async runDueScans(opts: { limit: number; concurrency: number }): Promise<number> {
      const at = now();
      const due = await repo.dueDomains(at, opts.limit);
      const mine: EmailDomainRow[] = [];
      for (const d of due) {
        // Claimed until the scan ends; a crashed scan makes the domain due again after an hour.
        if (await repo.claim(d.id, d.next_scan_at, at, new Date(clock().getTime() + HOUR).toISOString()))
          mine.push(d);
      }
      const actor = systemActor('email-scan');
      let next = 0;
      let done = 0;
      const worker = async () => {
        while (next < mine.length) {
          const d = mine[next++]!;
          try {
            await scan(actor, d, 'scheduled');
            done += 1;
          } catch (err) {
            console.error(`Scan of ${d.name} failed: ${(err as Error).message}`);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
      return done;
    },
  };
}

export type EmailAuthService = ReturnType<typeof createEmailAuthService>;
