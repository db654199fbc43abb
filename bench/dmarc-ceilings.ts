// The ceilings of `npm run bench:dmarc`, each run as a child process of its own (time, CPU and memory its
// own, and none of the application's modules loaded that it does not need): saxes alone on the report files,
// our reader alone (parseReportFile, a dry run), and the corpus's rows inserted alone with node:sqlite.
// Usage: node bench/dmarc-ceilings.ts saxes DIR | parse PATH… | insert TODAY WORKDIR; prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { openSqlite } from '../src/platform/db/sqlite-dialect.ts';
import { insertRows } from '../src/platform/db/bulk-insert.ts';
import { migrations } from '../src/migrations/index.ts';
import { parseReportFile } from '../src/modules/dmarc-reports/ingest/parse-report-file.ts';
import { expandPaths } from '../src/modules/dmarc-reports/dmarc-reports.cli.ts';
import { RECORD_COLUMNS, planBenchCorpus, recordRows } from './dmarc-generate.ts';

/** As the import: the multi-row INSERT size of dmarc_records (dmarc-reports.repository.ts). */
const INSERT_CHUNK = 400;

export interface ParseMeasure {
  files: number;
  /** XML bytes, after decompression (saxes only; the generator counts them for ours). */
  xmlBytes: number;
  records: number;
  seconds: number;
  cpuSeconds: number;
  rejected: number;
}

const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** saxes alone on the files, fed from gunzip and unzip streams: elements counted, nothing kept. */
async function saxes(dir: string): Promise<ParseMeasure> {
  const files = expandPaths([dir]);
  let xmlBytes = 0;
  let records = 0;
  let elements = 0;
  const feed = async (stream: AsyncIterable<Buffer>) => {
    const sax = new SaxesParser();
    const decoder = new TextDecoder();
    sax.on('opentag', (tag) => {
      elements += 1;
      if (tag.name === 'record') records += 1;
    });
    sax.on('text', () => {});
    sax.on('closetag', () => {});
    for await (const chunk of stream) {
      xmlBytes += chunk.length;
      sax.write(decoder.decode(chunk, { stream: true }));
    }
    sax.write(decoder.decode());
    sax.close();
  };
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (const file of files) {
    const head = Buffer.alloc(2);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, 2, 0);
    fs.closeSync(fd);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      await feed(fs.createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(zlib.createGunzip()));
    } else if (head[0] === 0x50 && head[1] === 0x4b) {
      const zip = await yauzl.openPromise(file, { autoClose: false });
      try {
        for await (const entry of zip.eachEntry()) await feed(await zip.openReadStreamPromise(entry));
      } finally {
        zip.close();
      }
    } else {
      await feed(fs.createReadStream(file, { highWaterMark: 64 * 1024 }));
    }
  }
  const seconds = (performance.now() - t) / 1000;
  if (elements === 0) throw new Error('saxes saw no element');
  return { files: files.length, xmlBytes, records, seconds, cpuSeconds: cpuSince(cpu), rejected: 0 };
}

/** Our reader (unpack, gunzip, unzip, AggregateParser) in a dry run: records read, checked and dropped. */
async function parse(paths: string[]): Promise<ParseMeasure> {
  const files = expandPaths(paths);
  let records = 0;
  let rejected = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (const file of files) {
    const outcome = await parseReportFile(file);
    for (const r of outcome.reports) {
      if (r.kind === 'aggregate') records += r.summary?.records ?? 0;
      else if (r.kind === 'rejected') rejected += 1;
    }
  }
  const seconds = (performance.now() - t) / 1000;
  return { files: files.length, xmlBytes: NaN, records, seconds, cpuSeconds: cpuSince(cpu), rejected };
}

export interface InsertMeasure {
  rows: number;
  /** One transaction, node:sqlite prepared 400-row INSERTs: the ceiling. */
  seconds: number;
  cpuSeconds: number;
  /** The import's own shape: a transaction per report, platform/db insertRows through Kysely. */
  perReportSeconds: number;
}

/** The corpus's rows into a fresh, migrated dmarc_records table, without parsing. */
async function insert(today: string, dir: string): Promise<InsertMeasure> {
  const reports = planBenchCorpus(new Date(today)).files.flatMap((f) => f.reports);
  const columns = RECORD_COLUMNS.length;

  const fresh = async (name: string) => {
    const file = path.join(dir, name);
    const db = await openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(db, migrations);
    await db.close();
    const sqlite = openSqlite(file);
    // The reports the records belong to (a foreign key), not timed.
    const parent = sqlite.prepare(
      `insert into dmarc_reports (id, policy_domain, claim_domain, reporter, report_id, reporter_email, schema, begin_at, end_at, policy, records, messages, warnings, file_id, received_at) values (?, ?, ?, ?, ?, ?, 'rfc7489', ?, ?, '{}', 0, 0, '[]', 'f', '2024-01-01')`,
    );
    sqlite.exec('begin');
    for (const r of reports)
      parent.run(
        `r${r.index}`,
        r.policyDomain,
        r.domain.name,
        r.reporter.org,
        r.reportId,
        r.reporter.email,
        r.begin,
        r.end,
      );
    sqlite.exec('commit');
    return { sqlite, file };
  };

  // The values of every row, in INSERT_CHUNK-row arrays built before the clock starts.
  const chunks: (string | number | null)[][] = [];
  const perReport: (string | number | null)[][] = [];
  let current: (string | number | null)[] = [];
  let rows = 0;
  for (const r of reports) {
    const values: (string | number | null)[] = [];
    rows += recordRows(r, `r${r.index}`, values);
    perReport.push(values);
    for (const v of values) {
      current.push(v);
      if (current.length === INSERT_CHUNK * columns) {
        chunks.push(current);
        current = [];
      }
    }
  }
  if (current.length > 0) chunks.push(current);

  /** Every chunk in one transaction, with prepared statements; the time and CPU time it took. */
  const oneTransaction = async (name: string) => {
    const { sqlite } = await fresh(name);
    const statements = new Map<number, ReturnType<typeof sqlite.prepare>>();
    const statement = (n: number) => {
      let st = statements.get(n);
      if (!st) {
        const row = `(${RECORD_COLUMNS.map(() => '?').join(', ')})`;
        st = sqlite.prepare(
          `insert into dmarc_records (${RECORD_COLUMNS.join(', ')}) values ${Array.from({ length: n }, () => row).join(', ')}`,
        );
        statements.set(n, st);
      }
      return st;
    };
    statement(INSERT_CHUNK);
    const cpu = process.cpuUsage();
    const t = performance.now();
    sqlite.exec('begin');
    for (const c of chunks) statement(c.length / columns).run(...c);
    sqlite.exec('commit');
    const seconds = (performance.now() - t) / 1000;
    const cpuSeconds = cpuSince(cpu);
    const count = (sqlite.prepare('select count(*) as n from dmarc_records').get() as { n: number }).n;
    sqlite.close();
    if (Number(count) !== rows) throw new Error(`inserted ${count} rows, expected ${rows}`);
    return { seconds, cpuSeconds };
  };
  const ceiling = await oneTransaction('insert-ceiling.sqlite');

  // The same rows the way the import writes them: a transaction per report, insertRows over Kysely.
  const b = await fresh('insert-per-report.sqlite');
  b.sqlite.close();
  const db = await openDatabase({ kind: 'sqlite', file: b.file });
  const t = performance.now();
  for (const values of perReport) {
    const objects: Record<string, unknown>[] = [];
    for (let k = 0; k < values.length; k += columns) {
      const o: Record<string, unknown> = {};
      for (let c = 0; c < columns; c++) o[RECORD_COLUMNS[c]!] = values[k + c];
      objects.push(o);
    }
    await db.transaction((tx) => insertRows(tx, 'dmarc_records', objects, INSERT_CHUNK));
  }
  const perReportSeconds = (performance.now() - t) / 1000;
  await db.close();
  for (const f of fs.readdirSync(dir))
    if (f.startsWith('insert-')) fs.rmSync(path.join(dir, f), { force: true });
  return {
    rows,
    seconds: ceiling.seconds,
    cpuSeconds: ceiling.cpuSeconds,
    perReportSeconds,
  };
}

if (import.meta.main) {
  const [mode, ...args] = process.argv.slice(2);
  const result =
    mode === 'saxes'
      ? await saxes(args[0]!)
      : mode === 'parse'
        ? await parse(args)
        : mode === 'insert'
          ? await insert(args[0]!, args[1]!)
          : null;
  if (!result) throw new Error(`unknown mode ${mode}`);
  console.log(JSON.stringify(result));
}
