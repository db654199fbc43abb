// DMARC report ingestion: files in (upload, CLI, mailbox), one transaction per report with its records, its
// daily roll-up and its audit entry; duplicates kept once; reports for domains no company owns kept unclaimed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { shiftDay, utcDay } from '../../platform/clock.ts';
import { isUniqueViolation, jsonArray } from '../../platform/db/rows.ts';
import type { Readable } from 'node:stream';
import type { Database, Executor } from '../../platform/db/database.ts';
import { createGroupWriter, type WriterSession } from '../../platform/db/group-writer.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, scopeOf, type Actor } from '../../platform/authz/permissions.ts';
import { conflict, forbidden, notFound, staleVersion } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import { dmarcReportsRepository } from './dmarc-reports.repository.ts';
import type { FailureReportRow, FileRow, ReportRow, ServiceRow } from './dmarc-reports.tables.ts';
import { reportKey } from './lib/aggregate-model.ts';
import type { FailureReport } from './lib/arf-parser.ts';
import { claimCandidates } from './lib/classify.ts';
import type { ParseReportFileOptions } from './ingest/parse-report-file.ts';
import { inlineReader, type ReportReader } from './ingest/report-reader.ts';
import { FILES_PER_WORKER, createParsePool } from './ingest/worker-pool.ts';
import { claimIn, type ClaimInfo, type ClaimSnapshot, type PreparedBatch } from './lib/prepare-records.ts';
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
  ListReportsQuery,
  ReadinessList,
  ReportDto,
  SourceDto,
  Sources,
  SourcesQuery,
} from './dmarc-reports.contract.ts';

/** What this module asks of the email-auth module: alerts on an inventoried domain. */
export interface DomainAlerts {
  raiseAlert(
    actor: Actor,
    input: {
      domain: string;
      findings: { code: string; severity: 'info' | 'warning' | 'error'; message: string }[];
      quietHours?: number;
    },
  ): Promise<string | null>;
}

/** Reverse DNS: the name of an address, null when it has none (never throws for DNS trouble). */
export type ReverseLookup = (ip: string) => Promise<string | null>;

export interface DmarcReportsDeps {
  /** Names report sources in the background (`nameSources`); without it sources stay unnamed. */
  reverse?: ReverseLookup;
  db: Database;
  /** Alerts (and risks) for unknown sources, pass-rate drops and failure reports; none without it. */
  alerts?: DomainAlerts;
  /** Failing messages from one new unknown source in one report that raise an alert. Default 100. */
  unknownSourceThreshold?: number;
  now?: () => Date;
  /** Parser limits and batch size (tests and benchmarks). */
  parse?: Pick<ParseReportFileOptions, 'limits' | 'batchSize'>;
}

const iso = (epochSeconds: number) => new Date(Number(epochSeconds) * 1000).toISOString();

type Watch = Map<
  string,
  {
    days: Set<string>;
    suspects: { ip: string; messages: number; day: string; policyDomain: string }[];
    failureReports: number;
  }
>;

/** Records of a report read before its transaction opens (see importFile). */
const RECORDS_AHEAD = 5000;

/** The report is stored already (found when inserting it): its unit is undone, nothing of it written. */
class DuplicateReport extends Error {}

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

  /** The inventory as an import claims reports against it (lib/prepare-records.ts). */
  async function claimSnapshot(ex: Executor): Promise<ClaimSnapshot> {
    const out: Record<string, ClaimInfo> = {};
    for (const d of await dmarcReportsRepository(ex).claimable())
      out[d.name] = {
        name: d.name,
        companyId: d.company_id,
        authorised: (await spfOfScan(d.last_scan_id, ex)).ranges,
      };
    return out;
  }

  /** Whether the actor may store a report for this claim: its company's writer, or a group-wide one when unclaimed. */
  function mayStore(actor: Actor, claim: { companyId: string } | null): string | null {
    if (claim)
      return can(actor, 'email.write', claim.companyId)
        ? null
        : 'not a domain of a company you may import reports for';
    return scopeOf(actor, 'email.write').all
      ? null
      : 'no company has this domain in its inventory; only group-wide users may keep such reports';
  }

  const failureFingerprint = (r: FailureReport) =>
    createHash('sha256')
      .update(JSON.stringify([r.fields, r.originalHeaders, r.email?.messageId ?? null]))
      .digest('hex');

  const unknownThreshold = deps.unknownSourceThreshold ?? 100;
  const defaultReader = inlineReader({ ...deps.parse, suspectThreshold: unknownThreshold });

  /** After a file: new unknown sources, a drop of the pass rate, failure reports, as alerts on the domains. */
  /** checkAlerts once reports are stored: an alert that cannot be raised does not fail the import. */
  async function alertsAfter(actor: Actor, watch: Watch, what: string): Promise<void> {
    await checkAlerts(actor, watch).catch((err: unknown) => {
      console.error(`DMARC alerts after ${what} failed: ${(err as Error).message}`);
    });
  }

  async function checkAlerts(actor: Actor, watch: Watch): Promise<void> {
    if (!deps.alerts) return;
    for (const [domain, seen] of watch) {
      const findings: { code: string; severity: 'warning' | 'error'; message: string }[] = [];
      for (const x of seen.suspects) {
        if (await repo.sourceSeenBefore(domain, x.ip, x.day)) continue;
        findings.push({
          code: 'dmarc-unknown-source',
          severity: 'error',
          message: `A new unknown source, ${x.ip}, sent ${x.messages} messages failing DMARC as ${x.policyDomain} on ${x.day}: likely spoofing`,
        });
      }
      const latest = [...seen.days].sort().at(-1);
      if (latest) {
        const day = (offset: number) => shiftDay(latest, -offset);
        const recent = await repo.passCounts(domain, day(6), latest);
        const before = await repo.passCounts(domain, day(29), day(7));
        if (recent.messages >= 200 && before.messages >= 200) {
          const now = (recent.pass * 100) / recent.messages;
          const was = (before.pass * 100) / before.messages;
          if (was - now >= 10)
            findings.push({
              code: 'dmarc-pass-rate-drop',
              severity: 'warning',
              message: `The DMARC pass rate of ${domain} fell from ${was.toFixed(1)} % to ${now.toFixed(1)} % over the last 7 days`,
            });
        }
      }
      if (seen.failureReports > 0)
        findings.push({
          code: 'dmarc-failure-reports',
          severity: 'warning',
          message: `${seen.failureReports} DMARC failure report(s) received for ${domain}`,
        });
      if (findings.length > 0) await deps.alerts.raiseAlert(actor, { domain, findings });
    }
  }

  /**
   * Imports one report file: each report all or nothing (a savepoint of a group commit, platform/db/
   * group-writer.ts), with its records, its daily roll-up and its audit entry; the result is returned once all
   * of it is committed. `via.reader` reads the file (a pool of parser workers in the CLI); by default this
   * thread does. `via.session` shares a group writer with other files (the CLI); by default the file has one
   * of its own. `via.turn`, when given, is awaited before the first write, and `via.submitted` is called once
   * the last write is handed to the writer: files read side by side still write in their order, so that of two
   * copies of a report the earlier file's is the one kept.
   */
  async function importFile(
    actor: Actor,
    input: string | Readable,
    meta: { name: string; channel: Channel },
    via: {
      reader?: ReportReader;
      session?: WriterSession;
      snapshot?: ClaimSnapshot;
      turn?: () => Promise<void>;
      submitted?: () => void;
      /** Collects what alerts look at, for the caller to check once for many files; by default after this one. */
      watch?: Watch;
      /** 'caller': return once the last write is handed over; the caller awaits the session's flush(). */
      commit?: 'here' | 'caller';
    } = {},
  ): Promise<FileResult> {
    const reader = via.reader ?? defaultReader;
    const ses = via.session ?? createGroupWriter(db).session();
    const snapshot = via.snapshot ?? (await ses.read(claimSnapshot));
    const turn = via.turn ?? (() => Promise.resolve());
    const writeScope = scopeOf(actor, 'email.write');
    if (!writeScope.all && writeScope.companyIds.length === 0) throw forbidden();
    const fileId = newId();
    const result: FileResult = {
      file: meta.name,
      status: 'rejected',
      reason: null,
      reports: 0,
      records: 0,
      messages: 0,
    };
    let duplicates = 0;
    const refusals: string[] = [];
    /** Per claim domain: the days the file's reports covered, heavy failing sources, failure reports. */
    const watch: Watch = via.watch ?? new Map();
    const receivedAt = now();

    const outcome = await reader(input, snapshot, {
      onAggregate: async (incoming) => {
        const key = reportKey(incoming.report);
        const { claim, ctx } = incoming;
        const refused = mayStore(actor, claim);
        if (refused) {
          refusals.push(`${key.domain}: ${refused}`);
          return 'skipped';
        }
        const { reporter, policyPublished: p } = incoming.report;
        const day = ctx.day;
        const row: ReportRow = {
          id: ctx.reportId,
          policy_domain: key.domain,
          claim_domain: ctx.claimDomain,
          reporter: key.reporter,
          report_id: key.reportId,
          reporter_email: reporter.email,
          schema: incoming.report.schema,
          begin_at: reporter.dateRange.begin,
          end_at: reporter.dateRange.end,
          policy: JSON.stringify({
            p: p.p,
            sp: p.sp,
            np: p.np,
            pct: p.pct,
            adkim: p.adkim,
            aspf: p.aspf,
            fo: p.fo,
            testing: p.testing,
            discoveryMethod: p.discoveryMethod,
          }),
          records: 0,
          messages: 0,
          warnings: '[]',
          file_id: fileId,
          received_at: receivedAt,
        };
        const records = incoming.records()[Symbol.asyncIterator]();
        // The first batches are read before the transaction opens: a usual report is then written at once,
        // without holding the database while its file is read. A larger one goes on streaming inside it.
        const ahead: PreparedBatch[] = [];
        let exhausted = false;
        for (let held = 0; held < RECORDS_AHEAD;) {
          const next = await records.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          ahead.push(next.value);
          held += next.value.count;
        }
        let suspects: { ip: string; messages: number }[] = [];
        await turn();
        try {
          await ses.write(async (tx) => {
            const r = dmarcReportsRepository(tx);
            // A report read whole already goes in with its totals; a longer one gets them at its end.
            const whole = exhausted;
            const totals = (end: ReturnType<typeof incoming.end>) => ({
              records: end.records,
              messages: end.messages,
              warnings: JSON.stringify(end.summary.warnings),
            });
            if (!(await r.insertReport(whole ? { ...row, ...totals(incoming.end()) } : row)))
              throw new DuplicateReport();
            const write = async (batch: PreparedBatch) => {
              await r.insertRecordValues(batch.values, batch.count);
              if (batch.daily) await r.addDaily(batch.daily);
            };
            for (const batch of ahead.splice(0)) await write(batch);
            if (!exhausted)
              for (let next = await records.next(); !next.done; next = await records.next())
                await write(next.value);
            exhausted = true;
            const end = incoming.end();
            if (!whole) await r.finishReport(row.id, totals(end));
            await r.addDaily(end.daily);
            await r.addTotals(end.totals);
            await recordAudit(tx, actor, {
              action: 'dmarc_report.import',
              entityType: 'dmarc_report',
              entityId: row.id,
              companyId: claim?.companyId ?? null,
              after: {
                reporter: key.reporter,
                reportId: key.reportId,
                domain: key.domain,
                records: end.records,
                messages: end.messages,
                file: meta.name,
                channel: meta.channel,
              },
            });
            suspects = end.suspects;
            result.reports += 1;
            result.records += end.records;
            result.messages += end.messages;
          });
        } catch (err) {
          if (err instanceof DuplicateReport) {
            // Read to the end all the same: a reader on another thread expects it.
            if (!exhausted) for (let next = await records.next(); !next.done; next = await records.next());
            duplicates += 1;
            return 'skipped';
          }
          throw err;
        }
        if (row.claim_domain) {
          const seen = watch.get(row.claim_domain) ?? {
            days: new Set<string>(),
            suspects: [],
            failureReports: 0,
          };
          seen.days.add(day);
          for (const x of suspects) seen.suspects.push({ ...x, day, policyDomain: key.domain });
          watch.set(row.claim_domain, seen);
        }
        return 'accepted';
      },
      onFailure: async (report) => {
        const domain = report.reportedDomains[0] ?? report.dkim.domain ?? '';
        const claim = domain ? claimIn(snapshot, domain) : null;
        const refused = mayStore(actor, claim);
        if (refused) {
          refusals.push(`${domain || 'failure report'}: ${refused}`);
          return 'skipped';
        }
        const fingerprint = failureFingerprint(report);
        if (await ses.read((tx) => dmarcReportsRepository(tx).failureExists(fingerprint))) {
          duplicates += 1;
          return 'skipped';
        }
        const id = newId();
        await turn();
        try {
          await ses.write(async (tx) => {
            await dmarcReportsRepository(tx).insertFailure({
              id,
              reported_domain: domain || '(unknown)',
              claim_domain: claim?.name ?? null,
              feedback_type: report.feedbackType,
              source_ip: report.sourceIp,
              arrival_at: report.arrivalDate,
              original_mail_from: report.originalMailFrom,
              auth_failure: report.authFailure,
              delivery_result: report.deliveryResult,
              fingerprint,
              details: JSON.stringify({
                userAgent: report.userAgent,
                originalRcptTo: report.originalRcptTo,
                reportingMta: report.reportingMta,
                identityAlignment: report.identityAlignment,
                authenticationResults: report.authenticationResults,
                dkim: report.dkim,
                spfDns: report.spfDns,
                incidents: report.incidents,
                fields: report.fields,
                email: report.email,
                warnings: report.warnings,
              }),
              original_headers: report.originalHeaders,
              file_id: fileId,
              received_at: receivedAt,
            });
            await recordAudit(tx, actor, {
              action: 'dmarc_failure_report.import',
              entityType: 'dmarc_failure_report',
              entityId: id,
              companyId: claim?.companyId ?? null,
              after: {
                domain,
                feedbackType: report.feedbackType,
                sourceIp: report.sourceIp,
                file: meta.name,
              },
            });
          });
        } catch (err) {
          if (isUniqueViolation(err)) {
            duplicates += 1;
            return 'skipped';
          }
          throw err;
        }
        result.reports += 1;
        if (claim) {
          const seen = watch.get(claim.name) ?? { days: new Set<string>(), suspects: [], failureReports: 0 };
          seen.failureReports += 1;
          watch.set(claim.name, seen);
        }
        return 'accepted';
      },
    });
    const rejected = outcome.reports.filter((r) => r.kind === 'rejected');
    const reasons = [...rejected.map((r) => (r.kind === 'rejected' ? r.reason : '')), ...refusals];
    if (result.reports > 0) {
      result.status = 'imported';
      result.reason = reasons.length > 0 ? `${reasons.length} report(s) not stored: ${reasons[0]}` : null;
    } else if (duplicates > 0 && reasons.length === 0) {
      result.status = 'duplicate';
    } else {
      result.status = 'rejected';
      result.reason =
        outcome.kind === 'rejected' && refusals.length === 0
          ? outcome.reason
          : (reasons[0] ?? 'the file holds no DMARC report');
    }
    const file: FileRow = {
      id: fileId,
      name: meta.name,
      channel: meta.channel,
      status: result.status,
      reason: result.reason,
      reports: result.reports,
      records: result.records,
      messages: result.messages,
      imported_by: actor.label,
      imported_at: receivedAt,
    };
    await turn();
    const stored = ses.write(async (tx) => {
      const r = dmarcReportsRepository(tx);
      await r.insertFile(file);
      if (result.reports > 0) await r.bumpVersion();
    });
    via.submitted?.();
    await stored;
    if (via.commit === 'caller') return result;
    await ses.flush();
    if (!via.watch) await alertsAfter(actor, watch, meta.name);
    return result;
  }

  /**
   * Imports many files (the CLI): up to `workers` parser threads read files ahead while this thread stores
   * them, all files sharing one group writer. A single file is read on this thread: a second heap would cost
   * more memory than the overlap gains. Each file's result is handed to `onResult` in the order of `files`, as
   * soon as it and those before it are done. A path that is not a file is a rejected result, not an error.
   */
  async function importFiles(
    actor: Actor,
    files: readonly string[],
    options: { channel: Channel; workers: number; onResult: (result: FileResult, index: number) => void },
  ): Promise<void> {
    const workers = files.length > 1 ? Math.max(0, Math.min(options.workers, files.length)) : 0;
    const pool =
      workers > 0 ? createParsePool(workers, { ...deps.parse, suspectThreshold: unknownThreshold }) : null;
    // Files in flight: those the workers are reading, and more that wait for their turn to write, so that the
    // workers read on meanwhile. A waiting file holds little more than its result.
    const lanes = pool ? Math.min(files.length, workers * FILES_PER_WORKER * 2) : 1;
    // Larger groups than an upload's, kept open a little while the workers catch up: no lane waits for a
    // commit, and every commit writes the log's pages again.
    const writer = createGroupWriter(db, { units: 5000, ms: 1000, linger: 20 });
    const snapshot = await claimSnapshot(db.kysely);
    /** What the alerts look at, checked once after the last file. */
    const watch: Watch = new Map();
    const done = new Map<number, FileResult>();
    /** Settled when a file has handed its last write over, so that the next one may write (see importFile). */
    const finished = files.map(() => Promise.withResolvers<void>());
    let next = 0;
    let emitted = 0;
    /** The files' commits: a lane goes on to its next file while the group its writes are in is still open. */
    const commits: Promise<void>[] = [];
    let failed = false;
    const one = async (i: number): Promise<void> => {
      const file = files[i]!;
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        done.set(i, {
          file,
          status: 'rejected',
          reason: 'no such file',
          reports: 0,
          records: 0,
          messages: 0,
        });
        return;
      }
      const session = writer.session();
      const result = await importFile(
        actor,
        file,
        { name: file, channel: options.channel },
        {
          reader: pool?.read ?? defaultReader,
          session,
          snapshot,
          turn: () => (i === 0 ? Promise.resolve() : finished[i - 1]!.promise),
          submitted: () => finished[i]!.resolve(),
          watch,
          commit: 'caller',
        },
      );
      // A result is told only once its file is committed.
      const committed = session.flush().then(
        () => {
          done.set(i, result);
          emit();
        },
        (err: unknown) => {
          failed = true;
          throw err;
        },
      );
      committed.catch(() => undefined);
      commits.push(committed);
    };
    const emit = () => {
      for (let r = done.get(emitted); r; r = done.get(emitted)) {
        done.delete(emitted);
        options.onResult(r, emitted++);
      }
    };
    const lane = async () => {
      while (next < files.length && !failed) {
        const i = next++;
        try {
          await one(i);
        } finally {
          finished[i]!.resolve();
        }
        emit();
      }
    };
    try {
      await db.bulk(async () => {
        await Promise.all(Array.from({ length: lanes }, lane));
        await Promise.all(commits);
      });
    } finally {
      await pool?.close();
    }
    await alertsAfter(actor, watch, `${files.length} files`);
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
        const auth = JSON.parse(r.auth) as {
          dkim: { domain: string; selector: string | null; result: string }[];
          spf: { domain: string; result: string }[];
        };
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
      throw forbidden('Only group-wide users edit the list of sending services');
  }

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
        if (isUniqueViolation(err)) throw conflict(`A service named ${input.name} exists already`);
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
        if (isUniqueViolation(err)) throw conflict(`A service named ${input.name ?? ''} exists already`);
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
        if (!scope.all) throw forbidden('Only group-wide users see the reports no company claims');
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
