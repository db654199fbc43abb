// A parser worker (see worker-pool.ts): reads the report files it is given, one at a time, and holds a
// conversation with the importing thread about each report. It offers an aggregate report's metadata and waits
// to be told what it counts for (or to skip it), then sends its records prepared for storing, a few batches
// ahead at most; it sends a failure report and waits for the verdict; at the end of a file, its outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { isReportRejection } from '../lib/report-rejection.ts';
import { RecordPreparer } from '../lib/prepare-records.ts';
import { Inbox } from './inbox.ts';
import { parseReportFile, type HandlerVerdict } from './parse-report-file.ts';
import { authorisedIn, type ReaderOptions } from './report-reader.ts';
import type { ToMain, ToWorker } from './worker-pool.ts';

/** Batches sent and not yet taken by the importing thread. */
const WINDOW = 4;

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs as a worker thread');
const options = workerData as ReaderOptions;
const inbox = new Inbox<ToWorker>();
port.on('message', (m: ToWorker) => inbox.push(m));
const post = (m: ToMain) => port.postMessage(m);

let inFlight = 0;

async function readFile(path: string): Promise<void> {
  const outcome = await parseReportFile(path, {
    ...options,
    onFailure: async (report, source) => {
      post({ type: 'failure', report, source });
      const reply = await inbox.take();
      if (reply.type !== 'verdict') throw new Error(`expected a verdict, got ${reply.type}`);
      return reply.verdict;
    },
    onAggregate: async (stream, source): Promise<HandlerVerdict> => {
      post({ type: 'aggregate', report: stream.report, source });
      const reply = await inbox.take();
      if (reply.type === 'skip') return 'skipped';
      if (reply.type !== 'admit') throw new Error(`expected admit or skip, got ${reply.type}`);
      const preparer = new RecordPreparer(reply.ctx, authorisedIn(reply.ctx));
      try {
        for await (const batch of stream) {
          post({ type: 'batch', batch: preparer.add(batch) });
          inFlight += 1 - inbox.takeCredits();
          while (inFlight >= WINDOW) {
            await inbox.credit();
            inFlight -= 1;
          }
        }
      } catch (err) {
        if (isReportRejection(err)) post({ type: 'rejected', code: err.code, message: err.message });
        throw err;
      }
      post({ type: 'end', end: { ...preparer.end(), summary: stream.summary() } });
      return 'accepted';
    },
  });
  post({ type: 'done', outcome });
}

for (;;) {
  const m = await inbox.take();
  if (m.type !== 'read') {
    post({ type: 'error', message: `expected a file to read, got ${m.type}` });
    continue;
  }
  try {
    await readFile(m.path);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
