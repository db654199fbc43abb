// A pool of parser workers (parse-worker.ts): a ReportReader that reads files on other threads, so that this
// thread only decides and stores. Each worker is given up to FILES_PER_WORKER files at once and reads them one
// after another without waiting for answers; what it sends is routed to the conversation of its file here. A
// report the caller skips, or a file whose caller failed, is dropped as it arrives. The workers stay at most
// WINDOW units of records ahead of what this thread has taken (credits), so memory stays bounded.
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
import { Inbox, WINDOW, unitsOf } from './inbox.ts';
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
  /** The file could not be read (an I/O error): thrown to the caller, as the reader of this thread does. */
  | { type: 'error'; message: string }
  /** Not from the worker: the pool's word that the worker stopped while reading the file. */
  | { type: 'stopped'; message: string };

/**
 * Files given to one worker at a time: it reads on while this thread stores the ones before, which are written
 * in order. With a few only, a file slower to read than its neighbours left a worker waiting with its window
 * full and this thread waiting for the slow file. 32 rather than 16 since the parser got faster: a worker then
 * runs through its files sooner (paired runs of the benchmark import, 0.15–0.33 s less of 12.8 s; 64 no better).
 */
export const FILES_PER_WORKER = 32;
/** Units taken before the worker is told (a quarter of its WINDOW): fewer messages, and no stall. */
const CREDIT_EVERY = WINDOW / 4;

/** What a message counts for against the worker's window. */
const unitsIn = (m: FileMessage): number =>
  m.type === 'batch' ? unitsOf(m.batch.count) : m.type === 'whole' ? unitsOf(m.batch?.count ?? 0) : 0;

interface Channel {
  path: string;
  snapshot: ClaimSnapshot;
  /** The worker reading the file: another one when its first stopped before beginning it. */
  slot: Slot | null;
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
  /** Units taken and not yet credited to the worker. */
  owed: number;
}

/** The heap a parser worker may use: reading is streamed, so only a fault of the parser reaches it. */
const WORKER_HEAP_MB = 256;

export interface ParsePool {
  read: ReportReader;
  /** Stops the workers. */
  close(): Promise<void>;
}

const unexpected = (m: FileMessage) =>
  new Error(m.type === 'error' ? m.message : `unexpected ${m.type} from a parser worker`);

const TOP: ReportSource = { containers: [], entry: null, email: null };

/** The outcome of a file whose reading broke off: what was stored of it stays, the rest is refused. */
function brokenOff(why: string, storedBefore: boolean): FileOutcome {
  const reason = `the file could not be read to its end: ${why}`;
  const reports = [{ kind: 'rejected' as const, source: TOP, code: 'parser-stopped' as const, reason }];
  return storedBefore
    ? { kind: 'aggregate', reports }
    : { kind: 'rejected', code: 'parser-stopped', reason, reports };
}

/**
 * `workerModule` is the parser worker's module (parse-worker.ts; tests give one that stops on purpose). A worker
 * that stops (out of memory, a crash) costs the file it was reading, which is refused with the reason; the files
 * it had not begun are read by the worker that replaces it.
 */
export function createParsePool(
  size: number,
  options: ReaderOptions,
  workerModule: URL = new URL('./parse-worker.ts', import.meta.url),
): ParsePool {
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
      w.ch.slot = slot;
      w.resolve(slot);
    }
  }

  /** A message taken (or dropped): the worker may send that much more. */
  function credit(slot: Slot, m: FileMessage): void {
    slot.owed += unitsIn(m);
    if (slot.owed < CREDIT_EVERY) return;
    slot.worker.postMessage({ type: 'credit', n: slot.owed } satisfies ToWorker);
    slot.owed = 0;
  }

  function finish(slot: Slot, file: number): void {
    if (slot.files.delete(file)) serve();
  }

  /** Asks the channel's worker to read its file (with the snapshot first, when that worker lacks it). */
  function start(file: number, ch: Channel): void {
    const slot = ch.slot!;
    if (slot.snapshot !== ch.snapshot) {
      slot.worker.postMessage({ type: 'snapshot', snapshot: ch.snapshot } satisfies ToWorker);
      slot.snapshot = ch.snapshot;
    }
    slot.worker.postMessage({ type: 'read', file, path: ch.path } satisfies ToWorker);
  }

  function spawn(): Slot {
    const worker = new Worker(workerModule, {
      workerData: options,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const slot: Slot = { worker, files: new Map(), snapshot: null, owed: 0 };
    worker.on('message', ({ file, msg }: { file: number; msg: FileMessage }) => {
      const ch = slot.files.get(file);
      if (!ch || ch.dropping) {
        credit(slot, msg);
        if (msg.type === 'done' || msg.type === 'error') finish(slot, file);
        return;
      }
      if (msg.type === 'done' || msg.type === 'error') ch.ended = true;
      ch.inbox.push(msg);
    });
    const lost = (why: string) => {
      if (closed) return;
      const k = slots.indexOf(slot);
      if (k === -1) return;
      const fresh = spawn();
      slots[k] = fresh;
      // A worker reads its files one after another: the first not finished is the one it was reading.
      let reading = true;
      for (const [file, ch] of slot.files) {
        if (reading) {
          reading = false;
          ch.ended = true;
          ch.slot = null;
          if (!ch.dropping) ch.inbox.push({ type: 'stopped', message: why });
        } else if (!ch.dropping) {
          fresh.files.set(file, ch);
          ch.slot = fresh;
          start(file, ch);
        }
      }
      slot.files.clear();
      serve();
    };
    worker.on('error', (err) =>
      lost(
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the parser ran out of memory (${WORKER_HEAP_MB} MB)`
          : `the parser failed (${err.message})`,
      ),
    );
    worker.on('exit', (code) => lost(`the parser stopped (exit code ${code})`));
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

  async function converse(file: number, ch: Channel, handlers: ReportHandlers): Promise<FileOutcome> {
    const { inbox } = ch;
    const verdicts: HandlerVerdict[] = [];
    /** Why the reading broke off in the middle of a report, once it did. */
    let broken: string | null = null;
    const credited = (x: FileMessage) => {
      if (ch.slot) credit(ch.slot, x);
    };
    for (;;) {
      const m = await inbox.take();
      if (m.type === 'done') {
        // The caller's verdicts, in the order of the reports the worker read.
        let k = 0;
        for (const r of m.outcome.reports)
          if (r.kind !== 'rejected' && k < verdicts.length) r.status = verdicts[k++]!;
        if (ch.slot) finish(ch.slot, file);
        return m.outcome;
      }
      if (m.type === 'stopped') return brokenOff(m.message, verdicts.includes('accepted'));
      if (m.type === 'failure') {
        verdicts.push(await handlers.onFailure(m.report, m.source));
        continue;
      }
      if (m.type !== 'aggregate' && m.type !== 'whole') throw unexpected(m);
      // A report sent whole: its batch is already here, and is credited when taken or dropped.
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
            credited(whole);
            whole = null;
            if (batch) yield batch;
            finished = end;
            return;
          }
          for (;;) {
            const x = await inbox.take();
            if (x.type === 'batch') {
              credited(x);
              yield x.batch;
            } else if (x.type === 'end') {
              finished = x.end;
              return;
            } else if (x.type === 'rejected') {
              rejected = true;
              throw new ReportRejection(x.code, x.message);
            } else if (x.type === 'stopped') {
              // The report is undone; the rest of the file is refused.
              rejected = true;
              broken = x.message;
              throw new ReportRejection('parser-stopped', x.message);
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
        if (rejected && isReportRejection(err)) {
          if (broken !== null) return brokenOff(broken, verdicts.includes('accepted'));
          continue;
        }
        throw err;
      }
      // Skipped, or not read to the end: the rest of the report is dropped.
      if (whole) {
        credited(whole);
        whole = null;
        finished = m.type === 'whole' ? m.end : null;
      }
      while (!finished && !rejected) {
        const x = await inbox.take();
        if (x.type === 'batch') credited(x);
        else if (x.type === 'end' || x.type === 'rejected') break;
        else if (x.type === 'stopped') {
          verdicts.push(verdict);
          return brokenOff(x.message, verdicts.includes('accepted'));
        } else throw unexpected(x);
      }
      verdicts.push(verdict);
    }
  }

  const read: ReportReader = async (input, snapshot, handlers) => {
    if (typeof input !== 'string') return inline(input, snapshot, handlers);
    const file = nextFile++;
    const ch: Channel = {
      path: input,
      snapshot,
      slot: null,
      inbox: new Inbox(),
      dropping: false,
      ended: false,
    };
    await acquire(file, ch);
    start(file, ch);
    try {
      return await converse(file, ch, handlers);
    } catch (err) {
      // What the worker already sent for the file is dropped now, what it still sends when it comes.
      ch.dropping = true;
      for (let m = ch.inbox.poll(); m; m = ch.inbox.poll()) if (ch.slot) credit(ch.slot, m);
      if (ch.ended && ch.slot) finish(ch.slot, file);
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
