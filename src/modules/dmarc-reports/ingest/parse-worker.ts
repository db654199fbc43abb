// A parser worker (see worker-pool.ts): reads the report files it is given, one after another, and sends what
// it finds without waiting for answers: each aggregate report with its claim (from the inventory snapshot that
// came with the file) and its records prepared for storing, in one message when they fit in one batch; each
// failure report; a file's outcome at its end. Only the records not yet taken by the importing thread are
// bounded (inbox.ts WINDOW): the worker waits for credits when it is that far ahead.
import { parentPort, workerData } from 'node:worker_threads';
import { newId } from '../../../platform/ids.ts';
import { isReportRejection } from '../lib/report-rejection.ts';
import { RecordPreparer, contextOf, type ClaimSnapshot, type PreparedBatch } from '../lib/prepare-records.ts';
import { Inbox, WINDOW, unitsOf } from './inbox.ts';
import { parseReportFile } from './parse-report-file.ts';
import { authorisedIn, type ReaderOptions } from './report-reader.ts';
import type { FileMessage, ToWorker } from './worker-pool.ts';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs as a worker thread');
const { suspectThreshold, ...parse } = workerData as ReaderOptions;
const inbox = new Inbox<ToWorker>();
port.on('message', (m: ToWorker) => inbox.push(m));

/**
 * Files up to this size are read whole, synchronously: this thread has nothing else to do meanwhile, and a
 * report file is usually far smaller. A larger one is streamed.
 */
const READ_AT_ONCE = 8 * 1024 * 1024;

let inFlight = 0;
let snapshot: ClaimSnapshot = {};

async function readFile(m: Extract<ToWorker, { type: 'read' }>): Promise<void> {
  const post = (msg: FileMessage) => port!.postMessage({ file: m.file, msg });
  try {
    const outcome = await parseReportFile(m.path, {
      ...parse,
      readAtOnce: READ_AT_ONCE,
      onFailure: async (report, source) => {
        post({ type: 'failure', report, source });
        return 'accepted';
      },
      onAggregate: async (stream, source) => {
        const { claim, ctx } = contextOf(stream.report, snapshot, newId(), suspectThreshold);
        const opening = { report: stream.report, source, claim, ctx };
        const preparer = new RecordPreparer(ctx, authorisedIn(ctx));
        // A report of one batch (most are) goes over in one message; a longer one is opened, then streamed.
        let held: PreparedBatch | null = null;
        let opened = false;
        const open = () => {
          if (!opened) post({ type: 'aggregate', ...opening });
          opened = true;
        };
        /** Counts what was sent against the window, and waits while the window is full. */
        const sent = async (records: number) => {
          inFlight += unitsOf(records) - inbox.takeCredits();
          while (inFlight >= WINDOW) inFlight -= await inbox.credit();
        };
        const send = async (batch: PreparedBatch) => {
          post({ type: 'batch', batch });
          await sent(batch.count);
        };
        try {
          for await (const batch of stream) {
            if (held) {
              open();
              await send(held);
            }
            held = preparer.add(batch);
          }
        } catch (err) {
          if (isReportRejection(err)) {
            open();
            post({ type: 'rejected', code: err.code, message: err.message });
          }
          throw err;
        }
        const end = { ...preparer.end(), summary: stream.summary() };
        if (opened) {
          if (held) await send(held);
          post({ type: 'end', end });
        } else {
          post({ type: 'whole', ...opening, batch: held, end });
          await sent(held?.count ?? 0);
        }
        return 'accepted';
      },
    });
    post({ type: 'done', outcome });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

for (;;) {
  const m = await inbox.take();
  if (m.type === 'snapshot') snapshot = m.snapshot;
  else if (m.type === 'read') await readFile(m);
}
