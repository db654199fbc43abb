// What the import service reads a file through: each aggregate report offered with its metadata and its claim
// (from a snapshot of the inventory), and its records prepared for storing (lib/prepare-records.ts). Two
// readers give the same thing: this thread's (an upload, a mail), and a pool of parser workers (worker-pool.ts)
// that reads files ahead on other threads while this thread stores (the CLI).
import type { Readable } from 'node:stream';
import { inRanges } from '../../../platform/net/ip.ts';
import { newId } from '../../../platform/ids.ts';
import type { AggregateReport, AggregateSummary } from '../lib/aggregate-model.ts';
import type { FailureReport } from '../lib/arf-parser.ts';
import {
  RecordPreparer,
  contextOf,
  type ClaimInfo,
  type ClaimSnapshot,
  type PrepareContext,
  type PreparedBatch,
  type PreparedEnd,
} from '../lib/prepare-records.ts';
import {
  parseReportFile,
  type FileOutcome,
  type HandlerVerdict,
  type ParseReportFileOptions,
} from './parse-report-file.ts';
import type { ReportSource } from './unpack.ts';

/**
 * An aggregate report being read: store it by reading `records()` to the end, or skip it by not reading them
 * (a reader on another thread then drops what it has already prepared).
 */
export interface IncomingReport {
  readonly report: AggregateReport;
  readonly source: ReportSource;
  /** The inventoried domain the report belongs to in the snapshot, null when none. */
  readonly claim: ClaimInfo | null;
  /** What the records were prepared with; `ctx.reportId` is the id the report must be stored under. */
  readonly ctx: PrepareContext;
  /** The records in prepared batches; throws a ReportRejection when the rest of the report cannot be read. */
  records(): AsyncIterable<PreparedBatch>;
  /** Once the records were read to the end: the totals, the rest of the roll-up and the report's summary. */
  end(): PreparedEnd & { summary: AggregateSummary };
}

export interface ReportHandlers {
  onAggregate(report: IncomingReport): Promise<HandlerVerdict>;
  onFailure(report: FailureReport, source: ReportSource): Promise<HandlerVerdict>;
}

/** Reads one file (a path, or a stream in this thread only) and hands each report to the handlers. */
export type ReportReader = (
  input: string | Readable,
  snapshot: ClaimSnapshot,
  handlers: ReportHandlers,
) => Promise<FileOutcome>;

export interface ReaderOptions extends Pick<ParseReportFileOptions, 'limits' | 'batchSize' | 'pieceLength'> {
  /** Failing messages from one unknown source in a report that make it a suspect. */
  suspectThreshold: number;
}

/** Whether an address is inside the authorised ranges of a context. */
export const authorisedIn =
  (ctx: PrepareContext) =>
  (ip: string): boolean =>
    inRanges(ip, ctx.authorised);

/** The reader of this thread. */
export function inlineReader(options: ReaderOptions): ReportReader {
  const { suspectThreshold, ...parse } = options;
  return (input, snapshot, handlers) =>
    parseReportFile(input, {
      ...parse,
      onFailure: (report, source) => handlers.onFailure(report, source),
      onAggregate: async (stream, source) => {
        const { claim, ctx } = contextOf(stream.report, snapshot, newId(), suspectThreshold);
        let started = false;
        let last: PreparedEnd | null = null;
        return handlers.onAggregate({
          report: stream.report,
          source,
          claim,
          ctx,
          async *records() {
            if (started) throw new Error('the records of a report can be read only once');
            started = true;
            const preparer = new RecordPreparer(ctx, authorisedIn(ctx));
            for await (const batch of stream) yield preparer.add(batch);
            last = preparer.end();
          },
          end() {
            if (!last) throw new Error('the report has not been read to the end');
            return { ...last, summary: stream.summary() };
          },
        });
      },
    });
}
