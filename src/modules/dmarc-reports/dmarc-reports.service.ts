// The dmarc-reports module's service: report ingestion (dmarc-reports.import.ts), and what is read of the
// reports: the analysis pages per domain, company and group, readiness for a stricter policy, the reports and
// files lists, failure reports, the editable list of known sending services, and the records as CSV.
import { shiftDay, utcDay } from '../../platform/clock.ts';
import { isUniqueViolation, jsonArray } from '../../platform/db/rows.ts';
import type { Executor } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, scopeOf, type Actor } from '../../platform/authz/permissions.ts';
import { conflict, forbidden, notFound, staleVersion, taken } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import { dmarcReportsRepository } from './dmarc-reports.repository.ts';
import { createReportImport, type ImportDeps } from './dmarc-reports.import.ts';
import type { FailureReportRow, ReportRow, ServiceRow } from './dmarc-reports.tables.ts';
import { decodeAuthResults } from './lib/auth-column.ts';
import { claimCandidates } from './lib/classify.ts';
import { inRanges } from '../email-auth/index.ts';
import { readiness, type Stage } from './lib/readiness.ts';
import { VersionedCache } from './lib/versioned-cache.ts';
import type {
  CreateServiceInput,
  FailureReportDetail,
  FailureReportDto,
  ListFailureReportsQuery,
  RecordsCsvQuery,
  ServiceDto,
  UpdateServiceInput,
  Analysis,
  AnalysisQuery,
  Channel,
  FileResult,
  ImportResult,
  ListReportsQuery,
  ReadinessList,
  ReportDto,
  SourceDto,
  Sources,
  SourcesQuery,
} from './dmarc-reports.contract.ts';

/** Reverse DNS: the name of an address, null when it has none (never throws for DNS trouble). */
export type ReverseLookup = (ip: string) => Promise<string | null>;

export interface DmarcReportsDeps extends ImportDeps {
  /** Names report sources in the background (`nameSources`); without it sources stay unnamed. */
  reverse?: ReverseLookup;
}

const iso = (epochSeconds: number) => new Date(Number(epochSeconds) * 1000).toISOString();

export function createDmarcReportsService(deps: DmarcReportsDeps) {
  const { db } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const repo = dmarcReportsRepository(db.kysely);

  /** The inventoried domain a report belongs to: the policy domain or its closest inventoried parent. */
  async function claimOf(
    domain: string,
    ex: Executor = db.kysely,
  ): Promise<{ name: string; company_id: string } | null> {
    const candidates = claimCandidates(domain);
    const found = new Map((await dmarcReportsRepository(ex).inventoried(candidates)).map((d) => [d.name, d]));
    for (const c of candidates) {
      const hit = found.get(c);
      if (hit) return hit;
    }
    return null;
  }

  /** What the SPF record of a domain authorised at one of its scans. */
  interface SpfView {
    ranges: string[];
    /** Each authorised range with the include chain it comes through. */
    via: { cidr: string; path: string[] }[];
  }
  /** By scan id: a scan's report never changes once written. */
  const spfByScan = new Map<string, SpfView>();
  async function spfOfScan(scanId: string | null, ex: Executor): Promise<SpfView> {
    if (!scanId) return { ranges: [], via: [] };
    const hit = spfByScan.get(scanId);
    if (hit) return hit;
    const report = await dmarcReportsRepository(ex).scanReport(scanId);
    const spf = report
      ? (
          JSON.parse(report) as {
            spf?: {
              authorised?: { ip4?: string[]; ip6?: string[] };
              via?: { cidr: string; path: string[] }[];
            };
          }
        ).spf
      : undefined;
    const view = {
      ranges: [...(spf?.authorised?.ip4 ?? []), ...(spf?.authorised?.ip6 ?? [])],
      via: spf?.via ?? [],
    };
    if (spfByScan.size >= 10_000) spfByScan.delete(spfByScan.keys().next().value!);
    spfByScan.set(scanId, view);
    return view;
  }
  /** The ranges the domain's SPF record authorised at its last complete scan. */
  async function scannedSpf(domain: string, ex: Executor = db.kysely): Promise<SpfView> {
    const d = await dmarcReportsRepository(ex).inventoryDomain(domain);
    return spfOfScan(d?.last_scan_id ?? null, ex);
  }

  const reportDto = (r: ReportRow & { company_id: string | null }): ReportDto => ({
    id: r.id,
    policyDomain: r.policy_domain,
    claimDomain: r.company_id ? r.claim_domain : null,
    companyId: r.company_id,
    reporter: r.reporter,
    reportId: r.report_id,
    reporterEmail: r.reporter_email,
    schema: r.schema,
    begin: iso(r.begin_at),
    end: iso(r.end_at),
    policy: JSON.parse(r.policy) as Record<string, unknown>,
    records: Number(r.records),
    messages: Number(r.messages),
    warnings: jsonArray(r.warnings),
    receivedAt: r.received_at,
  });

  /** Gives unclaimed reports to the domains the inventory has since gained. */
  async function claimNewDomains(): Promise<void> {
    const domains = await repo.unclaimedDomains();
    if (domains.length === 0) return;
    const names = new Set<string>();
    for (const d of domains) {
      const claim = await claimOf(d);
      if (claim) names.add(claim.name);
    }
    for (const name of names) await repo.claim(name);
    if (names.size > 0) await repo.bumpVersion();
  }

  function window(days: number): { from: string; to: string; daysList: string[] } {
    const today = utcDay(deps.now ? deps.now() : new Date());
    const list: string[] = [];
    for (let i = days - 1; i >= 0; i--) list.push(shiftDay(today, -i));
    return { from: list[0]!, to: list[list.length - 1]!, daysList: list };
  }

  /** The inventoried domain, if the actor may read it (404 otherwise: the same for absent and hidden). */
  /**
   * The analysis pages' results, kept while the data stays at the same version (reports come in batches and are
   * read far more often): a page after an import, a claim, a naming round or a change of the inventory or of the
   * known services is computed afresh. The key holds the reader's scope and the window's days.
   */
  const results = new VersionedCache<unknown>({ max: 500, maxAgeMs: 5 * 60_000 });
  async function cachedRead<T>(actor: Actor, key: unknown[], compute: () => Promise<T>): Promise<T> {
    const scope = scopeOf(actor, 'email.read');
    const k = JSON.stringify([scope.all ? 'all' : [...scope.companyIds].sort(), ...key]);
    const version = await repo.dataVersion();
    const hit = results.get(k, version);
    if (hit !== undefined) return hit as T;
    const value = await compute();
    results.set(k, version, value);
    return value;
  }

  async function readableDomain(actor: Actor, name: string) {
    const d = await repo.inventoryDomain(name);
    if (!d || !can(actor, 'email.read', d.company_id)) throw notFound('Domain');
    return d;
  }

  async function analysis(actor: Actor, q: AnalysisQuery): Promise<Analysis> {
    if (q.companyId && !can(actor, 'email.read', q.companyId)) throw notFound('Company');
    if (q.domain) await readableDomain(actor, q.domain);
    const w = window(q.days);
    return cachedRead(actor, ['analysis', q.domain ?? null, q.companyId ?? null, w.from, w.to], async () => {
      const scope = scopeOf(actor, 'email.read');
      const where = { domain: q.domain, companyId: q.companyId, from: w.from };
      const [outcomes, perDomain] = await Promise.all([
        repo.totals(scope, where, ['day', 'dmarc', 'dkim', 'spf', 'disposition', 'forwarded']),
        repo.totals(scope, where, ['claim_domain', 'dmarc']),
      ]);
      const out: Analysis = {
        from: w.from,
        to: w.to,
        messages: 0,
        pass: 0,
        fail: 0,
        passRate: null,
        forwarded: 0,
        dkim: { aligned: 0, unaligned: 0, fail: 0 },
        spf: { aligned: 0, unaligned: 0, fail: 0 },
        dispositions: {},
        series: [],
        domains: [],
      };
      const byDay = new Map(w.daysList.map((d) => [d, { day: d, pass: 0, fail: 0 }]));
      for (const r of outcomes) {
        const n = r.messages;
        const pass = r.dmarc === 'pass';
        out.messages += n;
        if (pass) out.pass += n;
        else out.fail += n;
        if (r.forwarded) out.forwarded += n;
        out.dkim[r.dkim as 'aligned'] += n;
        out.spf[r.spf as 'aligned'] += n;
        out.dispositions[r.disposition] = (out.dispositions[r.disposition] ?? 0) + n;
        const day = byDay.get(r.day);
        if (day) day[pass ? 'pass' : 'fail'] += n;
      }
      const byDomain = new Map<string, Analysis['domains'][number]>();
      for (const r of perDomain) {
        const d = byDomain.get(r.claim_domain) ?? { domain: r.claim_domain, messages: 0, pass: 0, fail: 0 };
        d.messages += r.messages;
        d[r.dmarc === 'pass' ? 'pass' : 'fail'] += r.messages;
        byDomain.set(r.claim_domain, d);
      }
      out.passRate = out.messages > 0 ? Math.round((out.pass * 1000) / out.messages) : null;
      out.series = [...byDay.values()];
      out.domains = [...byDomain.values()].sort((a, b) => b.messages - a.messages).slice(0, 200);
      return out;
    });
  }

  async function sources(actor: Actor, q: SourcesQuery): Promise<Sources> {
    const d = await readableDomain(actor, q.domain);
    const w = window(q.days);
    return cachedRead(actor, ['sources', d.name, w.from, w.to], async () => {
      const spf = await scannedSpf(d.name);
      const authorised = spf.ranges;
      const services = (await repo.services()).map((x) => ({
        name: x.name,
        suffixes: jsonArray(x.rdns_suffixes).map((suffix) => suffix.toLowerCase()),
        includes: new Set(jsonArray(x.spf_includes).map((i) => i.toLowerCase())),
      }));
      const underSuffix = (name: string, suffix: string) => name === suffix || name.endsWith(`.${suffix}`);
      /** By reverse DNS name, else by the include of the domain's SPF record that authorises the address. */
      const serviceOf = (ip: string, name: string | null) => {
        const n = name?.toLowerCase().replace(/\.$/, '');
        const byName = n
          ? services.find((x) => x.suffixes.some((suffix) => underSuffix(n, suffix)))
          : undefined;
        if (byName) return byName.name;
        const paths = spf.via
          .filter((v) => inRanges(ip, [v.cidr]))
          .flatMap((v) => v.path.map((p) => p.toLowerCase()));
        return services.find((x) => paths.some((p) => x.includes.has(p)))?.name ?? null;
      };
      const list: SourceDto[] = (await repo.sources(q.domain, w.from, 1000)).map((r) => ({
        ip: r.source_ip,
        name: r.name,
        service: serviceOf(r.source_ip, r.name),
        messages: r.messages,
        pass: r.pass,
        fail: r.fail,
        failOurs: r.fail_ours,
        failForwarded: r.fail_forwarded,
        spfAuthorised: authorised.length > 0 && inRanges(r.source_ip, authorised),
        firstDay: r.first_day,
        lastDay: r.last_day,
      }));
      const failing = list.filter((x) => x.fail > x.failForwarded).sort((a, b) => b.fail - a.fail);
      const ours = (x: SourceDto) => x.spfAuthorised || x.failOurs > 0;
      return {
        domain: q.domain,
        from: w.from,
        to: w.to,
        ours: failing.filter(ours).slice(0, 100),
        unknown: failing.filter((x) => !ours(x)).slice(0, 100),
        passing: list.filter((x) => x.pass > 0).slice(0, 100),
      };
    });
  }

  /** Each sending domain's verdict for its next DMARC step, from the window's reports. */
  async function readinessList(
    actor: Actor,
    q: { companyId?: string | undefined; days: number },
  ): Promise<ReadinessList> {
    if (q.companyId && !can(actor, 'email.read', q.companyId)) throw notFound('Company');
    const w = window(q.days);
    return cachedRead(actor, ['readiness', q.companyId ?? null, w.from, w.to], async () => {
      const scope = scopeOf(actor, 'email.read');
      const domains = await repo.inventoryDomains(scope, q.companyId);
      const rows = await repo.totals(scope, { companyId: q.companyId, from: w.from }, [
        'claim_domain',
        'dmarc',
        'forwarded',
        'ours',
      ]);
      const sums = new Map<
        string,
        { messages: number; pass: number; failingOurs: number; failingForwarded: number }
      >();
      for (const r of rows) {
        const s = sums.get(r.claim_domain) ?? { messages: 0, pass: 0, failingOurs: 0, failingForwarded: 0 };
        s.messages += r.messages;
        if (r.dmarc === 'pass') s.pass += r.messages;
        else if (r.forwarded) s.failingForwarded += r.messages;
        else if (r.ours) s.failingOurs += r.messages;
        sums.set(r.claim_domain, s);
      }
      return {
        from: w.from,
        to: w.to,
        domains: domains.map((d) => {
          const s = sums.get(d.name) ?? { messages: 0, pass: 0, failingOurs: 0, failingForwarded: 0 };
          const policy = (d.dmarc_policy ?? null) as Stage | null;
          return {
            domain: d.name,
            companyId: d.company_id,
            policy,
            messages: s.messages,
            ...readiness({ policy, ...s }),
          };
        }),
      };
    });
  }

  async function* csvLines(q: RecordsCsvQuery): AsyncGenerator<string[]> {
    const from = Math.floor(Date.parse(`${window(q.days).from}T00:00:00Z`) / 1000);
    yield [
      'report_begin',
      'report_end',
      'reporter',
      'report_id',
      'policy_domain',
      'source_ip',
      'count',
      'disposition',
      'dkim',
      'spf',
      'header_from',
      'envelope_from',
      'envelope_to',
      'dkim_results',
      'spf_results',
    ];
    let after: [number, string, number] | undefined;
    for (;;) {
      const rows = await repo.recordsPage(
        q.domain,
        from,
        { dmarc: q.dmarc, sourceIp: q.sourceIp },
        after,
        2000,
      );
      for (const r of rows) {
        const auth = decodeAuthResults(r.auth);
        yield [
          iso(r.begin_at),
          iso(r.end_at),
          r.reporter,
          r.external_id,
          r.policy_domain,
          r.source_ip,
          String(r.count),
          r.disposition ?? '',
          r.dkim ?? '',
          r.spf ?? '',
          r.header_from ?? '',
          r.envelope_from ?? '',
          r.envelope_to ?? '',
          auth.dkim.map((d) => `${d.domain}${d.selector ? `/${d.selector}` : ''}=${d.result}`).join(' '),
          auth.spf.map((x) => `${x.domain}=${x.result}`).join(' '),
        ];
      }
      if (rows.length < 2000) return;
      const last = rows[rows.length - 1]!;
      after = [Number(last.begin_at), last.report_id, Number(last.seq)];
    }
  }

  const failureDto = (r: FailureReportRow & { company_id: string | null }): FailureReportDto => ({
    id: r.id,
    reportedDomain: r.reported_domain,
    claimDomain: r.company_id ? r.claim_domain : null,
    companyId: r.company_id,
    feedbackType: r.feedback_type,
    sourceIp: r.source_ip,
    arrivalAt: r.arrival_at === null ? null : iso(r.arrival_at),
    originalMailFrom: r.original_mail_from,
    authFailure: r.auth_failure,
    deliveryResult: r.delivery_result,
    receivedAt: r.received_at,
  });
  const serviceDto = (r: ServiceRow): ServiceDto => ({
    id: r.id,
    name: r.name,
    rdnsSuffixes: jsonArray(r.rdns_suffixes),
    spfIncludes: jsonArray(r.spf_includes),
    version: Number(r.version),
    updatedAt: r.updated_at,
  });
  /** The list is the group's: only group-wide writers edit it. */
  function groupWriter(actor: Actor): void {
    if (!can(actor, 'email.manage', null))
      throw forbidden('Only group-wide users edit the list of sending services', 'group_only');
  }

  const { importFile, importFiles } = createReportImport(deps, { spfOfScan });

  return {
    importFile,
    importFiles,
    claimNewDomains,

    async listFailureReports(actor: Actor, q: ListFailureReportsQuery): Promise<Page<FailureReportDto>> {
      if (q.companyId && !can(actor, 'email.read', q.companyId)) throw notFound('Company');
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listFailureReports(
        scopeOf(actor, 'email.read'),
        { companyId: q.companyId, domain: q.domain },
        after,
        q.limit,
      );
      return toPage(rows, q.limit, (r) => [r.received_at, r.id], failureDto);
    },

    async getFailureReport(actor: Actor, id: string): Promise<FailureReportDetail> {
      const r = await repo.findFailureReport(id);
      const scope = scopeOf(actor, 'email.read');
      const visible = r && (r.company_id ? can(actor, 'email.read', r.company_id) : scope.all);
      if (!r || !visible) throw notFound('Failure report');
      return {
        ...failureDto(r),
        details: JSON.parse(r.details) as Record<string, unknown>,
        originalHeaders: r.original_headers,
      };
    },

    async listServices(actor: Actor): Promise<{ items: ServiceDto[] }> {
      const scope = scopeOf(actor, 'email.read');
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      return { items: (await repo.serviceRows()).map(serviceDto) };
    },

    async createService(actor: Actor, input: CreateServiceInput): Promise<ServiceDto> {
      groupWriter(actor);
      const row: ServiceRow = {
        id: newId(),
        name: input.name,
        rdns_suffixes: JSON.stringify([...new Set(input.rdnsSuffixes)]),
        spf_includes: JSON.stringify([...new Set(input.spfIncludes)]),
        version: 1,
        updated_at: now(),
      };
      try {
        await db.transaction(async (tx) => {
          await dmarcReportsRepository(tx).insertService(row);
          await dmarcReportsRepository(tx).bumpVersion();
          await recordAudit(tx, actor, {
            action: 'dmarc_service.create',
            entityType: 'dmarc_service',
            entityId: row.id,
            companyId: null,
            after: {
              name: row.name,
              rdnsSuffixes: jsonArray(row.rdns_suffixes),
              spfIncludes: jsonArray(row.spf_includes),
            },
          });
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw conflict(`A service named ${input.name} exists already`, [taken('name', input.name)]);
        throw err;
      }
      return serviceDto(row);
    },

    async updateService(actor: Actor, id: string, input: UpdateServiceInput): Promise<ServiceDto> {
      groupWriter(actor);
      try {
        return await db.transaction(async (tx) => {
          const r = dmarcReportsRepository(tx);
          const before = await r.serviceRow(id);
          if (!before) throw notFound('Service');
          const patch: Partial<ServiceRow> = {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.rdnsSuffixes !== undefined
              ? { rdns_suffixes: JSON.stringify([...new Set(input.rdnsSuffixes)]) }
              : {}),
            ...(input.spfIncludes !== undefined
              ? { spf_includes: JSON.stringify([...new Set(input.spfIncludes)]) }
              : {}),
            updated_at: now(),
          };
          if (!(await r.updateService(id, input.version, patch))) throw staleVersion('Service');
          await r.bumpVersion();
          const after = (await r.serviceRow(id))!;
          await recordAudit(tx, actor, {
            action: 'dmarc_service.update',
            entityType: 'dmarc_service',
            entityId: id,
            companyId: null,
            before: {
              name: before.name,
              rdnsSuffixes: jsonArray(before.rdns_suffixes),
              spfIncludes: jsonArray(before.spf_includes),
            },
            after: {
              name: after.name,
              rdnsSuffixes: jsonArray(after.rdns_suffixes),
              spfIncludes: jsonArray(after.spf_includes),
            },
          });
          return serviceDto(after);
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw conflict(`A service named ${input.name ?? ''} exists already`, [
            taken('name', input.name ?? ''),
          ]);
        throw err;
      }
    },

    /**
     * The records of a domain's reports as CSV lines (header first), page by page so that a large export never
     * sits in memory whole.
     */
    async recordsCsv(actor: Actor, q: RecordsCsvQuery): Promise<AsyncGenerator<string[]>> {
      await readableDomain(actor, q.domain);
      return csvLines(q);
    },

    /** Looks up the reverse DNS names of the busiest unnamed sources of the last 30 days (background work). */
    async nameSources(limit = 200): Promise<number> {
      if (!deps.reverse) return 0;
      const at = new Date();
      const since = utcDay(new Date(at.getTime() - 30 * 86_400_000));
      const stale = new Date(at.getTime() - 7 * 86_400_000).toISOString();
      const ips = await repo.sourcesToName(since, stale, limit);
      for (const ip of ips) await repo.setSourceName(ip, await deps.reverse(ip), at.toISOString());
      if (ips.length > 0) await repo.bumpVersion();
      return ips.length;
    },
    analysis,
    sources,
    readiness: readinessList,

    async listReports(actor: Actor, query: ListReportsQuery): Promise<Page<ReportDto>> {
      const scope = scopeOf(actor, 'email.read');
      if (query.companyId && !can(actor, 'email.read', query.companyId))
        return { items: [], nextCursor: null };
      const unclaimed = query.unclaimed === 'true';
      if (unclaimed) {
        if (!scope.all)
          throw forbidden('Only group-wide users see the reports no company claims', 'group_only');
        await claimNewDomains();
      }
      const after = decodeCursor(query.cursor, 2) as [number, string] | undefined;
      const rows = await repo.listReports(
        scope,
        { companyId: query.companyId, domain: query.domain, unclaimed },
        after,
        query.limit,
      );
      return toPage(rows, query.limit, (r) => [Number(r.begin_at), r.id], reportDto);
    },

    async listFiles(actor: Actor, query: { limit: number; cursor?: string | undefined }) {
      const scope = scopeOf(actor, 'email.write');
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      // Group-wide importers see every file; others the files they handed in themselves.
      const rows = await repo.listFiles(after, query.limit, scope.all ? undefined : actor.label);
      return toPage(
        rows,
        query.limit,
        (r) => [r.imported_at, r.id],
        (r) => ({
          id: r.id,
          file: r.name,
          channel: r.channel as Channel,
          status: r.status as FileResult['status'],
          reason: r.reason,
          reasonCode: (r.reason_code ?? null) as ImportResult['reasonCode'],
          reports: Number(r.reports),
          records: Number(r.records),
          messages: Number(r.messages),
          importedBy: r.imported_by,
          importedAt: r.imported_at,
        }),
      );
    },
  };
}

export type DmarcReportsService = ReturnType<typeof createDmarcReportsService>;
