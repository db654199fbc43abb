// Byte streams as async iterables: a reader that can look ahead and give bytes back, and small adapters.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ReportRejection, formatBytes } from '../lib/report-rejection.ts';

/** Pulls chunks from a source; bytes can be looked at before they are taken, and given back. */
export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>;
  #pending: Buffer[] = [];
  #ended = false;
  #consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** Bytes taken so far (given-back bytes not counted). */
  get consumed(): number {
    return this.#consumed;
  }

  async #pull(): Promise<Buffer | null> {
    if (this.#ended) return null;
    for (;;) {
      const next = await this.#source.next();
      if (next.done) {
        this.#ended = true;
        return null;
      }
      if (next.value.length > 0)
        return Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
    }
  }

  /** The next chunk, or null at the end. */
  async read(): Promise<Buffer | null> {
    const chunk = this.#pending.shift() ?? (await this.#pull());
    if (chunk) this.#consumed += chunk.length;
    return chunk;
  }

  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#pending.unshift(chunk);
    this.#consumed -= chunk.length;
  }

  /** At least `n` bytes ahead (fewer at the end), without taking them. */
  async peek(n: number): Promise<Buffer> {
    let have = this.#pending.reduce((sum, c) => sum + c.length, 0);
    while (have < n) {
      const chunk = await this.#pull();
      if (!chunk) break;
      this.#pending.push(chunk);
      have += chunk.length;
    }
    if (this.#pending.length > 1) this.#pending = [Buffer.concat(this.#pending)];
    return this.#pending[0] ?? Buffer.alloc(0);
  }

  /** Exactly `n` bytes, or what is left when the source ends first. */
  async take(n: number): Promise<Buffer> {
    const ahead = await this.peek(n);
    const out = ahead.subarray(0, n);
    const rest = ahead.subarray(out.length);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#consumed += out.length;
    return out;
  }

  async *rest(): AsyncGenerator<Buffer, void, undefined> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) yield chunk;
  }

  /** Stops the source (a file is closed, a stream destroyed). */
  async close(): Promise<void> {
    this.#pending = [];
    if (!this.#ended) {
      this.#ended = true;
      await this.#source.return?.();
    }
  }
}

/** Counts bytes as they pass, refusing past `max`. */
export async function* capped(
  source: AsyncIterable<Uint8Array>,
  max: number,
  what: string,
): AsyncGenerator<Buffer, void, undefined> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw new ReportRejection('too-large', `${what} is larger than ${formatBytes(max)}`);
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  }
}

/** Copies a stream to a private temporary file (at most `max` bytes); remove() deletes it. */
export async function spoolToTempFile(
  source: AsyncIterable<Uint8Array>,
  max: number,
  what: string,
): Promise<{ file: string; size: number; remove: () => Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mamori-dmarc-'));
  const file = path.join(dir, 'spool');
  const remove = () => fsp.rm(dir, { recursive: true, force: true });
  try {
    let size = 0;
    const counted = async function* () {
      for await (const chunk of capped(source, max, what)) {
        size += chunk.length;
        yield chunk;
      }
    };
    await pipeline(Readable.from(counted()), fs.createWriteStream(file, { mode: 0o600 }));
    return { file, size, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
