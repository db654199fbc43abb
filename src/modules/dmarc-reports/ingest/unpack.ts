// From a report file to the reports in it. The container is told by its first bytes, never by its name:
// gzip, zip, XML (after a byte order mark or blanks), or a whole email (MIME headers). Containers nest as
// receivers send them (email > zip | gzip | XML; zip > gzip | XML; gzip > XML) and no deeper.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { parseFailureReport, type EmailInfo, type FailureReport } from '../lib/arf-parser.ts';
import { ReportRejection, isReportRejection } from '../lib/report-rejection.ts';
import { ByteReader, spoolToTempFile } from './bytes.ts';
import { emailAttachments, isFeedbackReport, readPartText, type EmailHead } from './email.ts';
import { gunzip } from './gunzip.ts';
import { ByteBudget, type IngestLimits } from './limits.ts';
import { zipEntries } from './unzip.ts';

export type ContainerKind = 'email' | 'zip' | 'gzip';

/** Where in the file a report was found. */
export interface ReportSource {
  /** The containers around the report, outermost first: [] for a plain XML file. */
  containers: ContainerKind[];
  /** The zip entry or email attachment name, when there is one. */
  entry: string | null;
  /** The email that carried the report, when the file is an email. */
  email: EmailInfo | null;
}

export type UnpackedItem =
  | {
      kind: 'aggregate';
      source: ReportSource;
      /** The report's XML bytes; metered against the file's budget. */
      bytes: AsyncIterable<Buffer>;
      /** Warnings of the containers, complete once `bytes` was read to the end. */
      warnings: string[];
      /** An email attachment that may turn out to be some other XML (not a report): then passed over. */
      optional: boolean;
    }
  | { kind: 'failure'; source: ReportSource; report: FailureReport }
  | { kind: 'rejected'; source: ReportSource; rejection: ReportRejection };

export type Sniffed = 'empty' | 'gzip' | 'zip' | 'xml' | 'email' | 'unknown';

const SNIFF_BYTES = 512;
const isBlank = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** The kind of content from its first bytes. `whole` says the bytes are all there is. */
export function sniff(head: Uint8Array, whole = head.length < SNIFF_BYTES): Sniffed {
  if (head.length === 0) return 'empty';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) return 'zip';
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'xml';
  if ((head[0] === 0x3c && head[1] === 0) || (head[0] === 0 && head[1] === 0x3c)) return 'xml';
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (at < head.length && isBlank(head[at])) at++;
  if (at === head.length) return whole ? 'empty' : 'unknown';
  if (head[at] === 0x3c) return 'xml';
  const firstLine = Buffer.from(head.subarray(at, at + 200))
    .toString('latin1')
    .split(/\r?\n/)[0]!;
  if (/^From \S/.test(firstLine) || /^[\x21-\x39\x3b-\x7e]{1,76}:/.test(firstLine)) return 'email';
  return 'unknown';
}

/** A few words on what unrecognised content looks like, for the rejection message. */
export function describeContent(head: Uint8Array): string {
  const text = Buffer.from(head.subarray(0, 8)).toString('latin1');
  if (text.startsWith('%PDF')) return 'a PDF document';
  if (text.startsWith('BZh')) return 'bzip2-compressed data (not supported)';
  if (text.startsWith('\xfd7zXZ')) return 'xz-compressed data (not supported)';
  if (text.startsWith('Rar!')) return 'a RAR archive (not supported)';
  if (text.startsWith('7z\xbc\xaf')) return 'a 7-Zip archive (not supported)';
  if (text.startsWith('{') || text.startsWith('[')) return 'JSON, not XML';
  const sample = head.subarray(0, 64);
  const binary = sample.some((b) => b < 0x09 || (b > 0x0d && b < 0x20));
  return binary ? 'binary data' : 'text that is not XML';
}

interface Context {
  limits: IngestLimits;
  budget: ByteBudget;
}

async function* metered(source: AsyncIterable<Buffer>, budget: ByteBudget): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    budget.charge(chunk.length);
    yield chunk;
  }
}

const rejected = (source: ReportSource, rejection: ReportRejection): UnpackedItem => ({
  kind: 'rejected',
  source,
  rejection,
});

/**
 * The reports in a byte stream whose container is told by sniffing. `allowed` lists what may be found at this
 * level; `file` is the path when the bytes are a whole file on disk (a zip is then read in place), or the whole
 * file's bytes when it was read at once.
 */
async function* itemsOf(
  bytes: AsyncIterable<Buffer>,
  source: ReportSource,
  allowed: readonly Sniffed[],
  ctx: Context,
  file: string | Buffer | null = null,
): AsyncGenerator<UnpackedItem, void, undefined> {
  const reader = new ByteReader(bytes);
  try {
    let head: Buffer;
    try {
      head = await reader.peek(SNIFF_BYTES);
    } catch (err) {
      if (isReportRejection(err)) return yield rejected(source, err);
      throw err;
    }
    const kind = sniff(head);
    if (kind === 'empty') return yield rejected(source, new ReportRejection('empty', 'the report is empty'));
    if (kind === 'unknown') {
      return yield rejected(
        source,
        new ReportRejection('unknown-format', `not a DMARC report: the content is ${describeContent(head)}`),
      );
    }
    if (!allowed.includes(kind)) {
      const code = kind === 'zip' || kind === 'gzip' ? 'nested-archive' : 'unknown-format';
      const an = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
      const inside = source.containers.at(-1) ?? 'file';
      return yield rejected(
        source,
        new ReportRejection(code, `${an(kind)} inside ${an(inside)} is not read`),
      );
    }
    switch (kind) {
      case 'xml': {
        const warnings: string[] = [];
        const optional = source.containers.at(-1) === 'email';
        yield { kind: 'aggregate', source, bytes: metered(reader.rest(), ctx.budget), warnings, optional };
        return;
      }
      case 'gzip': {
        const warnings: string[] = [];
        const what = source.entry ? `the gzip stream "${source.entry}"` : 'the gzip stream';
        const inner = gunzip(reader.rest(), { limits: ctx.limits, what, onWarning: (w) => warnings.push(w) });
        const gz: ReportSource = { ...source, containers: [...source.containers, 'gzip'] };
        for await (const item of itemsOf(inner, gz, ['xml'], ctx)) {
          // The gzip warnings are known only once its bytes were read: share the list.
          yield item.kind === 'aggregate' ? { ...item, warnings, optional: false } : item;
        }
        return;
      }
      case 'zip':
        yield* zipItems(reader, source, ctx, file);
        return;
      case 'email':
        yield* emailItems(reader.rest(), source, ctx);
        return;
    }
  } finally {
    await reader.close();
  }
}

async function* zipItems(
  reader: ByteReader,
  source: ReportSource,
  ctx: Context,
  file: string | Buffer | null,
): AsyncGenerator<UnpackedItem, void, undefined> {
  let path = file;
  let remove: (() => Promise<void>) | null = null;
  if (!path) {
    const spooled = await spoolToTempFile(reader.rest(), ctx.limits.maxArchiveBytes, 'the zip archive');
    path = spooled.file;
    remove = spooled.remove;
  } else {
    await reader.close();
  }
  try {
    const zipSource: ReportSource = { ...source, containers: [...source.containers, 'zip'] };
    let found = 0;
    for await (const entry of zipEntries(path, ctx.limits)) {
      found += 1;
      const entrySource: ReportSource = { ...zipSource, entry: entry.name };
      if ('unsupported' in entry) {
        yield rejected(
          entrySource,
          new ReportRejection(
            'unsupported-compression',
            `the zip entry "${entry.name}": ${entry.unsupported}`,
          ),
        );
        continue;
      }
      yield* itemsOf(entry.bytes, entrySource, ['xml', 'gzip'], ctx);
    }
    if (found === 0) throw new ReportRejection('no-report', 'the zip archive is empty');
  } finally {
    await remove?.();
  }
}

async function* emailItems(
  bytes: AsyncIterable<Buffer>,
  source: ReportSource,
  ctx: Context,
): AsyncGenerator<UnpackedItem, void, undefined> {
  let head: EmailHead | null = null;
  let feedback: string | null = null;
  let originalHeaders: string | null = null;
  let reports = 0;
  const skipped: string[] = [];
  const max = ctx.limits.maxFailurePartBytes;
  const attachments = emailAttachments(bytes, ctx.limits, (h) => {
    head = h;
  });
  for await (const part of attachments) {
    const email = head!;
    const name = part.filename ?? part.contentType;
    if (isFeedbackReport(email)) {
      if (part.contentType === 'message/feedback-report' && feedback === null) {
        feedback = await readPartText(part.content, max, 'the message/feedback-report part');
      } else if (
        (part.contentType === 'text/rfc822-headers' || part.contentType === 'message/global-headers') &&
        originalHeaders === null
      ) {
        originalHeaders = await readPartText(part.content, max, 'the original headers part');
      } else if (
        (part.contentType === 'message/rfc822' || part.contentType === 'message/global') &&
        originalHeaders === null
      ) {
        originalHeaders = await readPartText(part.content, max, 'the original message', true);
      }
      continue;
    }
    const partSource: ReportSource = {
      containers: [...source.containers, 'email'],
      entry: name,
      email: email.info,
    };
    for await (const item of itemsOf(part.content, partSource, ['xml', 'gzip', 'zip'], ctx)) {
      // An attachment that is not a report (a logo, a signature, an empty part) is passed over, not refused.
      if (
        item.kind === 'rejected' &&
        (item.rejection.code === 'unknown-format' || item.rejection.code === 'empty')
      ) {
        skipped.push(name);
        continue;
      }
      reports += 1;
      yield item;
    }
  }
  const email = head as EmailHead | null;
  if (email && isFeedbackReport(email)) {
    const failureSource: ReportSource = {
      containers: [...source.containers, 'email'],
      entry: null,
      email: email.info,
    };
    if (feedback === null) {
      throw new ReportRejection(
        'missing-field',
        'the feedback report email has no message/feedback-report part',
      );
    }
    yield {
      kind: 'failure',
      source: failureSource,
      report: parseFailureReport({ feedbackReport: feedback, originalHeaders, email: email.info }),
    };
    return;
  }
  if (reports === 0) {
    const what =
      email?.contentType === 'multipart/report'
        ? `a ${email.reportType ?? 'delivery'} report, not a DMARC report`
        : skipped.length > 0
          ? `its attachments (${skipped.slice(0, 5).join(', ')}) are not DMARC reports`
          : 'it has no attachment';
    throw new ReportRejection('no-report', `the email holds no DMARC report: ${what}`);
  }
}

/**
 * The bytes of the file at `path` when it has at most `max` of them, read at once and without yielding the
 * thread (a parser worker's, which has nothing else to do meanwhile); null for a larger file.
 */
function readSmallFile(path: string, max: number): Buffer | null {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > max) return null;
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (let n = 1; at < size && n > 0; at += n) n = fs.readSync(fd, bytes, at, size - at, at);
    return bytes.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The reports in a file (a path, read in place) or a stream, one at a time: each item's bytes must be read
 * (or abandoned) before the next item is asked for. Refusals of the whole file are thrown as ReportRejection;
 * refusals of one report in it are yielded as 'rejected' items. With `readAtOnce`, a file of at most that many
 * bytes is read whole and synchronously (a worker thread: one system call instead of a round trip through the
 * thread pool per step); a larger one is streamed all the same.
 */
export async function* unpack(
  input: string | Readable,
  limits: IngestLimits,
  options: { readAtOnce?: number } = {},
): AsyncGenerator<UnpackedItem, void, undefined> {
  const ctx: Context = { limits, budget: new ByteBudget(limits.maxXmlBytes) };
  const top: ReportSource = { containers: [], entry: null, email: null };
  const allowed = ['xml', 'gzip', 'zip', 'email'] as const;
  const file = typeof input === 'string' ? input : null;
  const whole = file !== null && options.readAtOnce ? readSmallFile(file, options.readAtOnce) : null;
  if (whole) {
    yield* itemsOf(oneChunk(whole), top, allowed, ctx, whole);
    return;
  }
  const stream =
    file !== null ? fs.createReadStream(file, { highWaterMark: 64 * 1024 }) : (input as Readable);
  try {
    yield* itemsOf(stream as AsyncIterable<Buffer>, top, allowed, ctx, file);
  } finally {
    stream.destroy();
  }
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  if (bytes.length > 0) yield bytes;
}
