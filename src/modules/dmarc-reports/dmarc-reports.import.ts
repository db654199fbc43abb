// DMARC report ingestion: files in (upload, CLI, mailbox), each report stored all or nothing with its records,
// its daily roll-ups and its audit entry (a savepoint of a group commit); duplicates kept once; reports for
// domains no company owns kept unclaimed. Alerts on what an import brought in are checked once it is stored.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { shiftDay } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { createGroupWriter, type WriterSession } from '../../platform/db/group-writer.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, scopeOf, type Actor } from '../../platform/authz/permissions.ts';
import { forbidden } from '../../platform/errors.ts';
import { isUniqueViolation } from '../../platform/db/rows.ts';
import { newId } from '../../platform/ids.ts';
import { dmarcReportsRepository } from './dmarc-reports.repository.ts';
import type { FileRow, ReportRow } from './dmarc-reports.tables.ts';
import type { Channel, ImportResult } from './dmarc-reports.contract.ts';
import type { FileReasonCode } from './lib/report-rejection.ts';
import type { ParseReportFileOptions } from './ingest/parse-report-file.ts';
import { reportKey } from './lib/aggregate-model.ts';
import type { FailureReport } from './lib/arf-parser.ts';
import { claimIn, type ClaimInfo, type ClaimSnapshot, type PreparedBatch } from './lib/prepare-records.ts';
import { inlineReader, type ReportReader } from './ingest/report-reader.ts';
import { FILES_PER_WORKER, createParsePool } from './ingest/worker-pool.ts';

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

export interface ImportDeps {
  db: Database;
  /** Alerts (and risks) for unknown sources, pass-rate drops and failure reports; none without it. */
  alerts?: DomainAlerts;
  /** Failing messages from one new unknown source in one report that raise an alert. Default 100. */
  unknownSourceThreshold?: number;
  now?: () => Date;
  /** Parser limits and batch size (tests and benchmarks). */
  parse?: Pick<ParseReportFileOptions, 'limits' | 'batchSize'>;
}

/** Why a report of a file was not stored. */
interface Reason {
  code: FileReasonCode;
  text: string;
}

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

/** What the import needs of the rest of the module: the ranges a scan of a domain's SPF authorised. */
export interface ImportHelpers {
  spfOfScan(scanId: string | null, ex: Executor): Promise<{ ranges: string[] }>;
}

export function createReportImport(deps: ImportDeps, helpers: ImportHelpers) {
  const { db } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const repo = dmarcReportsRepository(db.kysely);
  const { spfOfScan } = helpers;

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
  function mayStore(actor: Actor, claim: { companyId: string } | null): Reason | null {
    if (claim)
      return can(actor, 'email.write', claim.companyId)
        ? null
        : { code: 'not-permitted', text: 'not a domain of a company you may import reports for' };
    return scopeOf(actor, 'email.write').all
      ? null
      : {
          code: 'unclaimed-not-permitted',
          text: 'no company has this domain in its inventory; only group-wide users may keep such reports',
        };
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
      // One query for all the file's suspects of the domain: the first day each sent before the latest.
      const latestSuspect = seen.suspects.reduce((d, x) => (x.day > d ? x.day : d), '');
      const first = await repo.firstSeen(domain, [...new Set(seen.suspects.map((x) => x.ip))], latestSuspect);
      for (const x of seen.suspects) {
        const since = first.get(x.ip);
        if (since !== undefined && since < x.day) continue;
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
  ): Promise<ImportResult> {
    const reader = via.reader ?? defaultReader;
    const ses = via.session ?? createGroupWriter(db).session();
    const snapshot = via.snapshot ?? (await ses.read(claimSnapshot));
    const turn = via.turn ?? (() => Promise.resolve());
    const writeScope = scopeOf(actor, 'email.write');
    if (!writeScope.all && writeScope.companyIds.length === 0) throw forbidden();
    const fileId = newId();
    const result: ImportResult = {
      file: meta.name,
      status: 'rejected',
      reason: null,
      reasonCode: null,
      reports: 0,
      records: 0,
      messages: 0,
    };
    let duplicates = 0;
    const refusals: Reason[] = [];
    /** Per claim domain: the days the file's reports covered, heavy failing sources, failure reports. */
    const watch: Watch = via.watch ?? new Map();
    const receivedAt = now();

    const outcome = await reader(input, snapshot, {
      onAggregate: async (incoming) => {
        const key = reportKey(incoming.report);
        const { claim, ctx } = incoming;
        const refused = mayStore(actor, claim);
        if (refused) {
          refusals.push({ code: refused.code, text: `${key.domain}: ${refused.text}` });
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
              await r.insertRecordValues(row.id, batch.values, batch.count);
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
          refusals.push({ code: refused.code, text: `${domain || 'failure report'}: ${refused.text}` });
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
    const reasons: Reason[] = [
      ...outcome.reports.flatMap((r) => (r.kind === 'rejected' ? [{ code: r.code, text: r.reason }] : [])),
      ...refusals,
    ];
    if (result.reports > 0) {
      result.status = 'imported';
      result.reason =
        reasons.length > 0 ? `${reasons.length} report(s) not stored: ${reasons[0]!.text}` : null;
      result.reasonCode = reasons[0]?.code ?? null;
    } else if (duplicates > 0 && reasons.length === 0) {
      result.status = 'duplicate';
    } else {
      result.status = 'rejected';
      const why: Reason =
        outcome.kind === 'rejected' && refusals.length === 0
          ? { code: outcome.code, text: outcome.reason }
          : (reasons[0] ?? { code: 'no-report', text: 'the file holds no DMARC report' });
      result.reason = why.text;
      result.reasonCode = why.code;
    }
    const file: FileRow = {
      id: fileId,
      name: meta.name,
      channel: meta.channel,
      status: result.status,
      reason: result.reason,
      reason_code: result.reasonCode,
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
    options: { channel: Channel; workers: number; onResult: (result: ImportResult, index: number) => void },
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
    const done = new Map<number, ImportResult>();
    /** Settled when a file has handed its last write over, so that the next one may write (see importFile). */
    const finished = files.map(() => Promise.withResolvers<void>());
    let next = 0;
    let emitted = 0;
    /** The files' commits: a lane goes on to its next file while the group its writes are in is still open. */
    const commits: Promise<void>[] = [];
    let failed = false;
    const one = async (i: number): Promise<void> => {
      const file = files[i]!;
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
        done.set(i, {
          file,
          status: 'rejected',
          reason: 'no such file',
          reasonCode: 'no-such-file',
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

  return { importFile, importFiles };
}
