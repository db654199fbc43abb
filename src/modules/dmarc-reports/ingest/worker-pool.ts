// A pool of parser workers (parse-worker.ts): a ReportReader that reads files on other threads, so that this
// thread only decides and stores. Several files may be read at once, one per worker; within a file the
// conversation is the same as with the inline reader: a report is offered, the caller says what it counts for
// (by reading its records) or skips it, and the records arrive prepared, a few batches ahead at most.
import { Worker } from 'node:worker_threads';
import type { AggregateReport, AggregateSummary } from '../lib/aggregate-model.ts';
import type { FailureReport } from '../lib/arf-parser.ts';
import type { PrepareContext, PreparedBatch, PreparedEnd } from '../lib/prepare-records.ts';
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
  | { type: 'read'; path: string }
  | { type: 'admit'; ctx: PrepareContext }
  | { type: 'skip' }
  | { type: 'credit' }
  | { type: 'verdict'; verdict: HandlerVerdict };

export type ToMain =
  | { type: 'aggregate'; report: AggregateReport; source: ReportSource }
  | { type: 'batch'; batch: PreparedBatch }
  | { type: 'end'; end: PreparedEnd & { summary: AggregateSummary } }
  | { type: 'rejected'; code: RejectionCode; message: string }
  | { type: 'failure'; report: FailureReport; source: ReportSource }
  | { type: 'done'; outcome: FileOutcome }
  | { type: 'error'; message: string };

interface Slot {
  worker: Worker;
  inbox: Inbox<ToMain>;
}

export interface ParsePool {
  read: ReportReader;
  /** Stops the workers. */
  close(): Promise<void>;
}

/** A worker stopped in the middle of a conversation: it is replaced, and the file fails with this error. */
class ConversationBroken extends Error {}

export function createParsePool(size: number, options: ReaderOptions = {}): ParsePool {
  const inline = inlineReader(options);
  const idle: Slot[] = [];
  const waiting: ((slot: Slot) => void)[] = [];
  const all = new Set<Slot>();
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { workerData: options });
    const inbox = new Inbox<ToMain>();
    const slot = { worker, inbox };
    worker.on('message', (m: ToMain) => inbox.push(m));
    worker.on('error', (err) =>
      inbox.push({ type: 'error', message: `parser worker failed: ${err.message}` }),
    );
    worker.on('exit', (code) => {
      all.delete(slot);
      if (!closed) inbox.push({ type: 'error', message: `parser worker exited with code ${code}` });
    });
    all.add(slot);
    return slot;
  };
  for (let i = 0; i < Math.max(1, size); i++) idle.push(spawn());

  const acquire = (): Promise<Slot> => {
    const slot = idle.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (slot: Slot) => {
    const next = waiting.shift();
    if (next) next(slot);
    else idle.push(slot);
  };
  /** A worker left mid-conversation cannot be reused: it is stopped and a fresh one takes its place. */
  const replace = (slot: Slot): Slot => {
    all.delete(slot);
    void slot.worker.terminate();
    return spawn();
  };

  async function converse(slot: Slot, path: string, handlers: ReportHandlers): Promise<FileOutcome> {
    const { worker, inbox } = slot;
    const send = (m: ToWorker) => worker.postMessage(m);
    const broken = (m: ToMain) =>
      new ConversationBroken(m.type === 'error' ? m.message : `unexpected ${m.type} from the parser worker`);
    const verdicts: HandlerVerdict[] = [];
    send({ type: 'read', path });
    for (;;) {
      const m = await inbox.take();
      if (m.type === 'done') {
        // The caller's verdicts, in the order of the reports the worker read.
        let k = 0;
        for (const r of m.outcome.reports)
          if (r.kind !== 'rejected' && k < verdicts.length) r.status = verdicts[k++]!;
        return m.outcome;
      }
      if (m.type === 'failure') {
        const verdict = await handlers.onFailure(m.report, m.source);
        verdicts.push(verdict);
        send({ type: 'verdict', verdict });
        continue;
      }
      if (m.type !== 'aggregate') throw broken(m);
      let admitted = false;
      let finished: (PreparedEnd & { summary: AggregateSummary }) | null = null;
      let rejected = false;
      const incoming: IncomingReport = {
        report: m.report,
        source: m.source,
        async *records(ctx) {
          if (admitted) throw new Error('the records of a report can be read only once');
          admitted = true;
          send({ type: 'admit', ctx });
          for (;;) {
            const x = await inbox.take();
            if (x.type === 'batch') {
              send({ type: 'credit' });
              yield x.batch;
            } else if (x.type === 'end') {
              finished = x.end;
              return;
            } else if (x.type === 'rejected') {
              rejected = true;
              throw new ReportRejection(x.code, x.message);
            } else throw broken(x);
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
        // A report the worker could not read: it goes on with the file, as the inline reader does.
        if (rejected && isReportRejection(err)) continue;
        throw err;
      }
      if (!admitted) send({ type: 'skip' });
      else if (!finished) throw new ConversationBroken('the records of a report were not read to the end');
      verdicts.push(verdict);
    }
  }

  const read: ReportReader = async (input, handlers) => {
    if (typeof input !== 'string') return inline(input, handlers);
    if (closed) throw new Error('the parser pool is closed');
    let slot = await acquire();
    try {
      return await converse(slot, input, handlers);
    } catch (err) {
      slot = replace(slot);
      throw err instanceof ConversationBroken ? new Error(err.message) : err;
    } finally {
      release(slot);
    }
  };

  return {
    read,
    async close() {
      closed = true;
      await Promise.all([...all].map((s) => s.worker.terminate()));
      all.clear();
    },
  };
}
