// The entries of a zip archive, read with yauzl from its central directory (random access on a file). The
// whole directory is checked before any entry is read: unsafe names, encryption, and declared sizes or ratios
// of a bomb refuse the file. yauzl then checks each entry's real size against the declared one.
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ReportRejection, formatBytes } from '../lib/report-rejection.ts';
import type { IngestLimits } from './limits.ts';

export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  /** The entry's decompressed bytes; errors are ReportRejections. */
  bytes: AsyncIterable<Buffer>;
}

/** A name that could escape an extraction folder or hide its meaning: refused even though we never extract. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\\')) return 'contains a backslash';
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the archive with ".."';
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains control characters';
  return null;
}

function zipError(err: unknown): ReportRejection {
  if (err instanceof ReportRejection) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = /^(?:invalid relative path|absolute path|invalid characters in fileName): (.*)$/s.exec(
    message,
  );
  if (name) {
    const why = unsafeEntryName(name[1]!) ?? 'is not allowed';
    return new ReportRejection('unsafe-entry-name', `the zip entry name "${name[1]}" ${why}`, { cause: err });
  }
  if (/end of central directory record signature not found|unexpected EOF|truncated/i.test(message))
    return new ReportRejection(
      'truncated',
      'the zip archive is truncated (its central directory is missing)',
      {
        cause: err,
      },
    );
  return new ReportRejection('corrupt', `the zip archive is corrupt: ${message}`, { cause: err });
}

async function* entryBytes(stream: Readable, name: string): AsyncGenerator<Buffer, void, undefined> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/too many bytes|too few bytes/i.test(message))
      throw new ReportRejection('corrupt', `the zip entry "${name}" does not have its declared size`, {
        cause: err,
      });
    if (/unexpected end/i.test(message))
      throw new ReportRejection('truncated', `the zip entry "${name}" is truncated`, { cause: err });
    throw new ReportRejection('corrupt', `the zip entry "${name}" is corrupt: ${message}`, { cause: err });
  } finally {
    stream.destroy();
  }
}

/**
 * The file entries of the zip at `file` (a path, or the file's bytes already read), in order (directories skipped). Refuses the archive (throws) when any
 * entry is unsafe; an entry with an unsupported compression method is yielded with `unsupported` set.
 */
export async function* zipEntries(
  file: string | Buffer,
  limits: IngestLimits,
): AsyncGenerator<ZipEntry | { name: string; unsupported: string }, void, undefined> {
  let zip: ZipFile;
  const options = { autoClose: false, strictFileNames: true, validateEntrySizes: true, decodeStrings: true };
  try {
    zip =
      typeof file === 'string'
        ? await yauzl.openPromise(file, options)
        : await yauzl.fromBufferPromise(file, options);
  } catch (err) {
    throw zipError(err);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new ReportRejection(
        'too-many-entries',
        `the zip archive has ${zip.entryCount} entries; at most ${limits.maxZipEntries} are read`,
      );
    }
    const entries: Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) entries.push(entry);
    } catch (err) {
      throw zipError(err);
    }
    let declared = 0;
    for (const entry of entries) {
      const name = entry.fileName;
      const unsafe = unsafeEntryName(name);
      if (unsafe) throw new ReportRejection('unsafe-entry-name', `the zip entry name "${name}" ${unsafe}`);
      if (entry.isEncrypted())
        throw new ReportRejection(
          'encrypted',
          `the zip entry "${name}" is encrypted; encrypted archives are refused`,
        );
      if (name.endsWith('/')) continue;
      declared += entry.uncompressedSize;
      if (entry.uncompressedSize > limits.maxXmlBytes || declared > limits.maxXmlBytes) {
        throw new ReportRejection(
          'too-large',
          `the zip archive declares more than ${formatBytes(limits.maxXmlBytes)} of content`,
        );
      }
      if (
        entry.uncompressedSize > limits.ratioGraceBytes &&
        entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
      ) {
        throw new ReportRejection(
          'compression-ratio',
          `the zip entry "${name}" expands more than ${limits.maxCompressionRatio} times (${formatBytes(entry.compressedSize)} to ${formatBytes(entry.uncompressedSize)}): refused as a decompression bomb`,
        );
      }
    }
    for (const entry of entries) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      if (!entry.canDecodeFileData()) {
        yield { name, unsupported: `compression method ${entry.compressionMethod} is not supported` };
        continue;
      }
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (err) {
        throw zipError(err);
      }
      try {
        yield {
          name,
          size: entry.uncompressedSize,
          compressedSize: entry.compressedSize,
          bytes: entryBytes(stream, name),
        };
      } finally {
        stream.destroy();
      }
    }
  } finally {
    zip.close();
  }
}
