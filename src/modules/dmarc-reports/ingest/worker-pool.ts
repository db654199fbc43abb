// A pool of parser workers (parse-worker.ts): a ReportReader that reads files on other threads, so that this
// thread only decides and stores. Each worker is given up to a few files at once and reads them one after
// another without waiting for answers; what it sends is routed to the conversation of its file here. A report
// the caller skips, or a file whose caller failed, is dropped as it arrives. The workers stay at most WINDOW
// batches ahead of what this thread has taken (credits), so memory stays bounded.
import { Worker } from 'node:worker_threads';
import type { AggregateReport, AggregateSummary } from '../lib/aggregate-model.ts';
import type { FailureReport } from '../lib/arf-parser.ts';
import type {
  ClaimInfo,
  ClaimSnapshot,
  PrepareContext,
  PreparedBatch,
  PreparedEnd,
} from '../lib/prepare-records.ts';
import { ReportRejection, isReportRejection, type RejectionCode } from '../lib/report-rejection.ts';
import { Inbox } from './inbox.ts';
import type { FileOutcome, HandlerVerdict } from './parse-report-file.ts';
import {
  inlineReader,
  type IncomingReport,
  type ReaderOptions,
  type ReportHandlers,
  type ReportReader,
} from './report-reader.ts';
import type { ReportSource } from './unpack.ts';

export type ToWorker =
  | { type: 'snapshot'; snapshot: ClaimSnapshot }
  | { type: 'read'; file: number; path: string }
  | { type: 'credit'; n: number };

/** What a worker says about one of its files. */
export type FileMessage =
  | {
      type: 'aggregate';
      report: AggregateReport;
      source: ReportSource;
      claim: ClaimInfo | null;
      ctx: PrepareContext;
    }
  | {
      /** A report read to its end before it was sent: its opening, its only batch (if any) and its end. */
      type: 'whole';
      report: AggregateReport;
      source: ReportSource;
      claim: ClaimInfo | null;
      ctx: PrepareContext;
      batch: PreparedBatch | null;
      end: PreparedEnd & { summary: AggregateSummary };
    }
  | { type: 'batch'; batch: PreparedBatch }
  | { type: 'end'; end: PreparedEnd & { summary: AggregateSummary } }
  | { type: 'rejected'; code: RejectionCode; message: string }
  | { type: 'failure'; report: FailureReport; source: ReportSource }
  | { type: 'done'; outcome: FileOutcome }
  | { type: 'error'; message: string };

/** Files given to one worker at a time: it reads the next while this thread stores the one before. */
export const FILES_PER_WORKER = 3;
/** Batches taken before the worker is told (a quarter of its WINDOW): fewer messages, and no stall. */
const CREDIT_EVERY = 4;

interface Channel {
  inbox: Inbox<FileMessage>;
  /** The caller gave up on the file: what still comes is dropped. */
  dropping: boolean;
  /** The worker said its last word on the file (done or error). */
  ended: boolean;
}

interface Slot {
  worker: Worker;
  files: Map<number, Channel>;
  /** The snapshot the worker has, sent once rather than with every file. */
  snapshot: ClaimSnapshot | null;
  /** Batches taken and not yet credited to the worker. */
  owed: number;
}

export interface ParsePool {
  read: ReportReader;
  /** Stops the workers. */
  close(): Promise<void>;
}

const unexpected = (m: FileMessage) =>
  new Error(m.type === 'error' ? m.message : `unexpected ${m.type} from a parser worker`);

export function createParsePool(size: number, options: ReaderOptions): ParsePool {
  const inline = inlineReader(options);
  const slots: Slot[] = [];
  /** Files waiting for room at a worker, served strictly in the order they asked (see acquire). */
  const waiting: {
    file: number;
    ch: Channel;
    resolve: (slot: Slot) => void;
    reject: (err: Error) => void;
  }[] = [];
  let nextFile = 0;
  let closed = false;

  /** Gives waiting files room at the least busy workers, first come first served. */
  function serve(): void {
    while (waiting.length > 0) {
      const slot = slots.reduce((a, b) => (b.files.size < a.files.size ? b : a));
      if (slot.files.size >= FILES_PER_WORKER) return;
      const w = waiting.shift()!;
      slot.files.set(w.file, w.ch);
      w.resolve(slot);
    }
  }

  /** One batch taken (or dropped): the worker may send another. */
  function credit(slot: Slot): void {
    if (++slot.owed < CREDIT_EVERY) return;
    slot.worker.postMessage({ type: 'credit', n: slot.owed } satisfies ToWorker);
    slot.owed = 0;
  }

  function finish(slot: Slot, file: number): void {
    if (slot.files.delete(file)) serve();
  }

  function spawn(): Slot {
    const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { workerData: options });
    const slot: Slot = { worker, files: new Map(), snapshot: null, owed: 0 };
    worker.on('message', ({ file, msg }: { file: number; msg: FileMessage }) => {
      const ch = slot.files.get(file);
      if (!ch || ch.dropping) {
        if (msg.type === 'batch' || msg.type === 'whole') credit(slot);
        if (msg.type === 'done' || msg.type === 'error') finish(slot, file);
        return;
      }
      if (msg.type === 'done' || msg.type === 'error') ch.ended = true;
      ch.inbox.push(msg);
    });
    const lost = (why: string) => {
      if (closed) return;
      const k = slots.indexOf(slot);
      if (k !== -1) slots[k] = spawn();
      for (const [file, ch] of slot.files) {
        ch.ended = true;
        if (!ch.dropping) ch.inbox.push({ type: 'error', message: why });
        finish(slot, file);
      }
      serve();
    };
    worker.on('error', (err) => lost(`a parser worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`a parser worker exited with code ${code}`));
    return slot;
  }
  for (let i = 0; i < Math.max(1, size); i++) slots.push(spawn());

  /**
   * Room for a file at the least busy worker, in the order asked. Callers that store files in order (the
   * import) ask in that order; a later file never takes the room an earlier one waits for, or the later one,
   * waiting for its turn to write, would hold the worker the earlier one needs.
   */
  function acquire(file: number, ch: Channel): Promise<Slot> {
    if (closed) return Promise.reject(new Error('the parser pool is closed'));
    return new Promise((resolve, reject) => {
      waiting.push({ file, ch, resolve, reject });
      serve();
    });
  }

  async function converse(
    slot: Slot,
    file: number,
    ch: Channel,
    handlers: ReportHandlers,
  ): Promise<FileOutcome> {
    const { inbox } = ch;
    const verdicts: HandlerVerdict[] = [];
    for (;;) {
      const m = await inbox.take();
      if (m.type === 'done') {
        // The caller's verdicts, in the order of the reports the worker read.
        let k = 0;
        for (const r of m.outcome.reports)
          if (r.kind !== 'rejected' && k < verdicts.length) r.status = verdicts[k++]!;
        finish(slot, file);
        return m.outcome;
      }
      if (m.type === 'failure') {
        verdicts.push(await handlers.onFailure(m.report, m.source));
        continue;
      }
      if (m.type !== 'aggregate' && m.type !== 'whole') throw unexpected(m);
      // A whole report counts as one batch against the worker's window.
      let whole = m.type === 'whole' ? m : null;
      let finished: (PreparedEnd & { summary: AggregateSummary }) | null = null;
      let rejected = false;
      let started = false;
      const incoming: IncomingReport = {
        report: m.report,
        source: m.source,
        claim: m.claim,
        ctx: m.ctx,
        async *records() {
          if (started) throw new Error('the records of a report can be read only once');
          started = true;
          if (whole) {
            const { batch, end } = whole;
            whole = null;
            credit(slot);
            if (batch) yield batch;
            finished = end;
            return;
          }
          for (;;) {
            const x = await inbox.take();
            if (x.type === 'batch') {
              credit(slot);
              yield x.batch;
            } else if (x.type === 'end') {
              finished = x.end;
              return;
            } else if (x.type === 'rejected') {
              rejected = true;
              throw new ReportRejection(x.code, x.message);
            } else throw unexpected(x);
          }
        },
        end() {
          if (!finished) throw new Error('the report has not been read to the end');
          return finished;
        },
      };
      let verdict: HandlerVerdict;
      try {
        verdict = await handlers.onAggregate(incoming);
      } catch (err) {
        // A report the worker could not read: the file goes on, as with the reader of this thread.
        if (rejected && isReportRejection(err)) continue;
        throw err;
      }
      // Skipped, or not read to the end: the rest of the report is dropped.
      if (whole) {
        whole = null;
        credit(slot);
        finished = m.type === 'whole' ? m.end : null;
      }
      while (!finished && !rejected) {
        const x = await inbox.take();
        if (x.type === 'batch') credit(slot);
        else if (x.type === 'end' || x.type === 'rejected') break;
        else throw unexpected(x);
      }
      verdicts.push(verdict);
    }
  }

  const read: ReportReader = async (input, snapshot, handlers) => {
    if (typeof input !== 'string') return inline(input, snapshot, handlers);
    const file = nextFile++;
    const ch: Channel = { inbox: new Inbox(), dropping: false, ended: false };
    const slot = await acquire(file, ch);
    if (slot.snapshot !== snapshot) {
      slot.worker.postMessage({ type: 'snapshot', snapshot } satisfies ToWorker);
      slot.snapshot = snapshot;
    }
    slot.worker.postMessage({ type: 'read', file, path: input } satisfies ToWorker);
    try {
      return await converse(slot, file, ch, handlers);
    } catch (err) {
      // What the worker already sent for the file is dropped now, what it still sends when it comes.
      ch.dropping = true;
      for (let m = ch.inbox.poll(); m; m = ch.inbox.poll())
        if (m.type === 'batch' || m.type === 'whole') credit(slot);
      if (ch.ended) finish(slot, file);
      throw err;
    }
  };

  return {
    read,
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new Error('the parser pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
