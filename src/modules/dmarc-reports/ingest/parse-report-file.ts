// The entry point of report ingestion: one file (or stream) in, each report in it handed to the caller as it
// is read, and an outcome per file. An aggregate report's records stream in batches, so the caller can write
// one report per transaction (and skip a duplicate) without ever holding the report whole.
import type { Readable } from 'node:stream';
import type { AggregateReport, AggregateSummary } from '../lib/aggregate-model.ts';
import { openAggregateStream, type AggregateReportStream } from '../lib/aggregate-parser.ts';
import type { FailureReport } from '../lib/arf-parser.ts';
import { ReportRejection, isReportRejection, type RejectionCode } from '../lib/report-rejection.ts';
import { resolveLimits, type IngestLimits } from './limits.ts';
import { unpack, type ReportSource } from './unpack.ts';
import type { XmlLimits } from '../lib/aggregate-parser.ts';

/** What a handler did with a report: 'skipped' for a duplicate it already has. */
export type HandlerVerdict = 'accepted' | 'skipped';

export interface ParseReportFileOptions {
  limits?: Partial<Omit<IngestLimits, 'xml'>> & { xml?: Partial<XmlLimits> };
  /** Records per batch handed to onAggregate. */
  batchSize?: number;
  /** Characters handed to the XML parser at a time (AggregateParserOptions.pieceLength; for tests). */
  pieceLength?: number;
  /** A file of at most this many bytes is read at once, synchronously (unpack.ts): for a parser worker. */
  readAtOnce?: number;
  /**
   * Called for each aggregate report once its metadata is read. Pull the records with
   * `for await (const batch of stream)`; the loop ends only after the whole report was read and checked, and
   * throws a ReportRejection (roll back) when it cannot be. Returning without reading them all skips the rest.
   * Without a handler the records are read and dropped (a dry run).
   */
  onAggregate?: (stream: AggregateReportStream, source: ReportSource) => Promise<HandlerVerdict | void>;
  onFailure?: (report: FailureReport, source: ReportSource) => Promise<HandlerVerdict | void>;
}

export type ReportOutcome =
  | {
      kind: 'aggregate';
      status: HandlerVerdict;
      source: ReportSource;
      report: AggregateReport;
      /** Null when the report was skipped before its end. */
      summary: AggregateSummary | null;
    }
  | { kind: 'failure'; status: HandlerVerdict; source: ReportSource; report: FailureReport }
  | { kind: 'rejected'; source: ReportSource; code: RejectionCode; reason: string };

export type FileOutcome =
  | { kind: 'aggregate'; reports: ReportOutcome[] }
  | { kind: 'failure'; reports: ReportOutcome[] }
  | { kind: 'rejected'; code: RejectionCode; reason: string; reports: ReportOutcome[] };

/** "zip entry "a.xml": ..." so that a reason names the report it concerns inside its file. */
export function describeSource(source: ReportSource): string {
  if (!source.entry) return '';
  const where = source.containers.includes('zip')
    ? 'zip entry'
    : source.containers.includes('email')
      ? 'attachment'
      : 'entry';
  return `${where} "${source.entry}"`;
}

function rejectedOutcome(source: ReportSource, rejection: ReportRejection): ReportOutcome {
  const where = describeSource(source);
  return {
    kind: 'rejected',
    source,
    code: rejection.code,
    reason:
      where && !rejection.message.includes(`"${source.entry}"`)
        ? `${where}: ${rejection.message}`
        : rejection.message,
  };
}

async function drain(stream: AggregateReportStream): Promise<HandlerVerdict> {
  for await (const _batch of stream) {
    // A dry run: the records are read, checked and dropped.
  }
  return 'accepted';
}

/**
 * Reads every report in a file (path) or stream. Never throws for what the file holds (that is a 'rejected'
 * outcome, or a rejected report among accepted ones); throws for I/O errors and for a handler's own errors.
 */
export async function parseReportFile(
  input: string | Readable,
  options: ParseReportFileOptions = {},
): Promise<FileOutcome> {
  const limits = resolveLimits(options.limits);
  const outcomes: ReportOutcome[] = [];
  const top: ReportSource = { containers: [], entry: null, email: null };
  try {
    for await (const item of unpack(input, limits, { readAtOnce: options.readAtOnce })) {
      if (item.kind === 'rejected') {
        outcomes.push(rejectedOutcome(item.source, item.rejection));
        continue;
      }
      if (item.kind === 'failure') {
        const verdict = (await options.onFailure?.(item.report, item.source)) ?? 'accepted';
        outcomes.push({ kind: 'failure', status: verdict, source: item.source, report: item.report });
        continue;
      }
      let stream: AggregateReportStream;
      try {
        stream = await openAggregateStream(item.bytes, {
          batchSize: options.batchSize,
          pieceLength: options.pieceLength,
          limits: limits.xml,
          sourceWarnings: () => item.warnings,
        });
      } catch (err) {
        if (!isReportRejection(err)) throw err;
        // Some other XML attached to a report email (not a <feedback>) is passed over.
        if (!(item.optional && err.code === 'not-a-report')) outcomes.push(rejectedOutcome(item.source, err));
        continue;
      }
      try {
        const verdict = options.onAggregate
          ? await options.onAggregate(stream, item.source)
          : await drain(stream);
        const status: HandlerVerdict = verdict === 'skipped' || !stream.done ? 'skipped' : 'accepted';
        outcomes.push({
          kind: 'aggregate',
          status,
          source: item.source,
          report: stream.report,
          summary: stream.done ? stream.summary() : null,
        });
      } catch (err) {
        if (!isReportRejection(err)) throw err;
        outcomes.push(rejectedOutcome(item.source, err));
      } finally {
        await stream.close();
      }
    }
  } catch (err) {
    if (!isReportRejection(err)) throw err;
    outcomes.push(rejectedOutcome(top, err));
  }
  return fileOutcome(outcomes);
}

function fileOutcome(reports: ReportOutcome[]): FileOutcome {
  const read = reports.filter((r) => r.kind !== 'rejected');
  if (read.length > 0) {
    return { kind: read.some((r) => r.kind === 'failure') ? 'failure' : 'aggregate', reports };
  }
  const refusals = reports.filter((r) => r.kind === 'rejected');
  const first = refusals[0];
  if (!first) {
    return { kind: 'rejected', code: 'no-report', reason: 'the file holds no DMARC report', reports };
  }
  const reason =
    refusals.length === 1
      ? first.reason
      : `none of the ${refusals.length} reports could be read; ${first.reason}`;
  return { kind: 'rejected', code: first.code, reason, reports };
}
