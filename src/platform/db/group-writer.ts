// Group commit: units of work from many callers run one after another in shared transactions, each write in a
// savepoint of its own. A unit that fails is rolled back alone and its caller gets the error; the others go
// on. Thousands of small writes (one per imported report) then pay for a few commits instead of one each, which
// on SQLite means writing the same index pages once per group rather than once per report.
//
// A unit's result arrives as soon as it has run; a caller's session says when all of its units are committed
// (or rejects when one of those commits failed). A group ends when nothing else is waiting, or at the limits below, so
// the database is never held waiting for a caller. While a writer is in use, its callers must run every query
// of theirs through it: on SQLite a query on the database itself would wait for the group's connection.
import { sql } from 'kysely';
import type { Database, Executor } from './database.ts';

export interface GroupWriterLimits {
  /** Units per transaction. */
  units: number;
  /** How long a transaction may go on taking new units, in milliseconds. */
  ms: number;
  /** How long an open transaction waits for another unit before it commits, in milliseconds. */
  linger: number;
}

interface Job {
  kind: 'read' | 'write';
  run: (tx: Executor) => Promise<unknown>;
  result: PromiseWithResolvers<unknown>;
  committed: PromiseWithResolvers<void>;
}

/** One caller's units. */
export interface WriterSession {
  /** Runs a read in the current group. */
  read<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** Runs a write in a savepoint of the current group: all of it or none of it is kept. */
  write<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** Settles when every unit of this session is committed; rejects when one of those commits failed. */
  flush(): Promise<void>;
}

export interface GroupWriter {
  session(): WriterSession;
  /** Transactions committed (or failed) and units run so far. */
  stats(): { groups: number; units: number };
}

const DEFAULT_LIMITS: GroupWriterLimits = { units: 1000, ms: 250, linger: 2 };

export function createGroupWriter(db: Database, limits: GroupWriterLimits = DEFAULT_LIMITS): GroupWriter {
  const queue: Job[] = [];
  let running = false;
  let groups = 0;
  let units = 0;
  /** Wakes a transaction lingering for another unit. */
  let wake: (() => void) | null = null;

  /** The next unit, waiting up to the linger time for one. */
  async function nextJob(): Promise<Job | undefined> {
    const ready = queue.shift();
    if (ready || limits.linger <= 0) return ready;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, limits.linger);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = null;
    return queue.shift();
  }

  async function runJob(tx: Executor, job: Job): Promise<void> {
    if (job.kind === 'read') {
      try {
        job.result.resolve(await job.run(tx));
      } catch (err) {
        job.result.reject(err);
      }
      return;
    }
    await sql`savepoint group_unit`.execute(tx);
    try {
      const value = await job.run(tx);
      await sql`release savepoint group_unit`.execute(tx);
      job.result.resolve(value);
    } catch (err) {
      await sql`rollback to savepoint group_unit`.execute(tx);
      await sql`release savepoint group_unit`.execute(tx);
      job.result.reject(err);
    }
  }

  async function loop(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const group: Job[] = [];
        groups += 1;
        try {
          await db.transaction(async (tx) => {
            const started = performance.now();
            for (;;) {
              // Callers that were just answered may have more for this group: it waits a moment for them.
              const job = await nextJob();
              if (!job) break;
              group.push(job);
              units += 1;
              await runJob(tx, job);
              if (group.length >= limits.units || performance.now() - started >= limits.ms) break;
            }
          });
          for (const job of group) job.committed.resolve();
        } catch (err) {
          for (const job of group) {
            job.result.reject(err);
            job.committed.reject(err);
          }
        }
      }
    } finally {
      running = false;
    }
  }

  function submit(kind: Job['kind'], run: (tx: Executor) => Promise<unknown>): Job {
    const job: Job = { kind, run, result: Promise.withResolvers(), committed: Promise.withResolvers() };
    // Nobody may be waiting on a commit when it fails: the session's flush() reports it.
    job.committed.promise.catch(() => undefined);
    queue.push(job);
    if (wake) wake();
    else if (!running) void loop();
    return job;
  }

  return {
    stats: () => ({ groups, units }),
    session(): WriterSession {
      const commits: Promise<void>[] = [];
      const unit = <T>(kind: Job['kind'], fn: (tx: Executor) => Promise<T>): Promise<T> => {
        const job = submit(kind, fn);
        if (kind === 'write') commits.push(job.committed.promise);
        return job.result.promise as Promise<T>;
      };
      return {
        read: (fn) => unit('read', fn),
        write: (fn) => unit('write', fn),
        flush: async () => {
          await Promise.all(commits);
        },
      };
    },
  };
}
