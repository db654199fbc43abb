// gzip (RFC 1952) decompression that streams, checks each member's CRC and size, stops a decompression bomb
// early, reads concatenated members, and ignores (with a warning) bytes after the last one: node:zlib's Gunzip
// fails on such trailing bytes and drops the output of the write that met them, so members are split here and
// only their deflate data goes through zlib.
import zlib from 'node:zlib';
import { ReportRejection } from '../lib/report-rejection.ts';
import { ByteReader } from './bytes.ts';
import { checkRatio, type IngestLimits } from './limits.ts';

const FTEXT_RESERVED = 0xe0;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const MAX_HEADER = 64 * 1024;
const INFLATE_CHUNK = 64 * 1024;

/** The length of the gzip member header at the start of `b`, 'more' when `b` is too short, 'invalid'. */
export function gzipHeaderLength(b: Uint8Array): number | 'more' | 'invalid' {
  if (b.length < 10) return b.length >= 1 && b[0] !== 0x1f ? 'invalid' : 'more';
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8 || (b[3]! & FTEXT_RESERVED) !== 0) return 'invalid';
  const flags = b[3]!;
  let at = 10;
  if (flags & FEXTRA) {
    if (b.length < at + 2) return 'more';
    at += 2 + (b[at]! | (b[at + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const zero = b.indexOf(0, at);
      if (zero === -1) return b.length > MAX_HEADER ? 'invalid' : 'more';
      at = zero + 1;
    }
  }
  if (flags & FHCRC) at += 2;
  return b.length < at ? 'more' : at;
}

async function readHeader(reader: ByteReader): Promise<number | 'eof' | 'invalid'> {
  for (let want = 16; ; want *= 2) {
    const ahead = await reader.peek(want);
    if (ahead.length === 0) return 'eof';
    const length = gzipHeaderLength(ahead);
    if (length !== 'more') return length;
    if (ahead.length < want || want > MAX_HEADER) return 'invalid';
  }
}

/** Writes the member's deflate data into the inflater until zlib says the member ended; gives back the rest. */
async function pump(reader: ByteReader, inflater: zlib.InflateRaw): Promise<void> {
  let written = 0;
  for (;;) {
    const chunk = await reader.read();
    if (!chunk) {
      inflater.end();
      return;
    }
    written += chunk.length;
    await new Promise<void>((resolve, reject) =>
      inflater.write(chunk, (err) => (err ? reject(err) : resolve())),
    );
    // zlib stops taking input at the end of the deflate stream: what it did not take follows the member.
    const left = written - inflater.bytesWritten;
    if (left > 0) {
      reader.unshift(chunk.subarray(chunk.length - left));
      inflater.end();
      return;
    }
  }
}

function zlibError(err: unknown, what: string): ReportRejection {
  if (err instanceof ReportRejection) return err;
  const code = (err as { code?: string }).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(String((err as Error).message)))
    return new ReportRejection('truncated', `${what} is truncated`, { cause: err });
  return new ReportRejection('corrupt', `${what} is corrupt: ${(err as Error).message}`, { cause: err });
}

export interface GunzipOptions {
  limits: IngestLimits;
  /** What the stream is, for messages ("the gzip stream", "attachment report.xml.gz"). */
  what?: string;
  onWarning?: (message: string) => void;
}

/** The decompressed bytes of a gzip stream (one or more members). Throws ReportRejection. */
export async function* gunzip(
  source: AsyncIterable<Uint8Array>,
  options: GunzipOptions,
): AsyncGenerator<Buffer, void, undefined> {
  const what = options.what ?? 'the gzip stream';
  const reader = new ByteReader(source);
  let out = 0;
  try {
    for (let member = 0; ; member++) {
      const header = await readHeader(reader);
      if (header === 'eof' || header === 'invalid') {
        if (member === 0) {
          throw header === 'eof'
            ? new ReportRejection('empty', `${what} is empty`)
            : new ReportRejection('corrupt', `${what} does not start with a gzip header`);
        }
        if (header === 'invalid') {
          options.onWarning?.(`bytes after the end of ${what} were ignored`);
        }
        return;
      }
      await reader.take(header);
      // Output in 64 KB pieces rather than zlib's 16 KB: each piece is a round trip through the thread pool.
      const inflater = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
      let crc = 0;
      let size = 0;
      const pumping = pump(reader, inflater);
      pumping.catch((err: unknown) => inflater.destroy(err as Error));
      try {
        for await (const chunk of inflater as AsyncIterable<Buffer>) {
          crc = zlib.crc32(chunk, crc);
          size += chunk.length;
          out += chunk.length;
          checkRatio(out, reader.consumed, options.limits, what);
          yield chunk;
        }
        await pumping;
      } catch (err) {
        throw zlibError(err, what);
      } finally {
        inflater.destroy();
      }
      const trailer = await reader.take(8);
      if (trailer.length < 8) throw new ReportRejection('truncated', `${what} is truncated`);
      if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== size % 2 ** 32) {
        throw new ReportRejection('corrupt', `${what} is corrupt (its checksum does not match)`);
      }
    }
  } finally {
    await reader.close();
  }
}
