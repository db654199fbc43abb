// CSV input for every module that imports files: bytes to text, and text to records. Pure: no I/O.
import { RowIssues, type RowError } from './errors.ts';
import { isUtf8 } from 'node:buffer';

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise Shift_JIS, as Japanese exports often are. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

export interface CsvRecord {
  fields: string[];
  /** The line the record ends on (a quoted field may span lines), counting from 1. */
  line: number;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) n += 1;
  return n;
}

/**
 * RFC 4180 records, read one at a time so that a large file is never held as rows: comma-separated,
 * fields optionally in double quotes ("" inside them is a quote), CRLF or LF line ends. Unquoted fields
 * are trimmed; empty lines are skipped. A stray or unclosed quote throws a CsvSyntaxError with its line.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  const reader = new CsvReader(text);
  for (let fields = reader.next(); fields !== undefined; fields = reader.next())
    yield { fields, line: reader.line };
}

/**
 * The records of CSV bytes (encoding as decodeCsvBytes chooses it), decoded `sliceBytes` at a time: the file
 * is never held as one string beside its bytes, and the fields of a record keep only their slice alive.
 */
export function* csvRecordsOfBytes(bytes: Uint8Array, sliceBytes = 32 * 1024): Generator<CsvRecord> {
  const reader = new CsvReader(bytes, sliceBytes);
  for (let fields = reader.next(); fields !== undefined; fields = reader.next())
    yield { fields, line: reader.line };
}

/**
 * The reader under csvRecords and csvRecordsOfBytes, for loops over many records: `next()` returns the fields
 * of the next record and keeps no reference to them. A record that a generator yields is stored in the suspended
 * generator, and while V8 marks the heap, everything so stored is kept to the end of that collection: then V8
 * takes every record for long-lived and allocates them in the old generation, where a 100,000-row import leaves
 * them as garbage until the next full collection.
 */
export class CsvReader {
  /** The line the record last returned ends on (a quoted field may span lines), counting from 1. */
  line = 0;
  /** The complete records being read, and where in them. */
  #text = '';
  #i = 0;
  /** The line #i is on. */
  #at = 1;
  /** Fields of the record before: room for as many up front. */
  #width = 0;
  #bytes: Uint8Array | undefined;
  #decoder: TextDecoder | undefined;
  #sliceBytes: number;
  #offset = 0;
  /** Decoded text after the last complete record. */
  #pending = '';

  /** From text (a leading byte-order mark is skipped), or from bytes decoded `sliceBytes` at a time. */
  constructor(source: string | Uint8Array, sliceBytes = 32 * 1024) {
    this.#sliceBytes = sliceBytes;
    if (typeof source === 'string') {
      this.#text = source;
      this.#i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    } else {
      this.#bytes = source;
      // The encoding is decided on the whole file, as decodeCsvBytes does; the decoder strips a UTF-8 BOM.
      this.#decoder = new TextDecoder(isUtf8(source) ? 'utf-8' : 'shift_jis');
    }
  }

  /** The fields of the next record, or undefined after the last. */
  next(): string[] | undefined {
    for (;;) {
      while (this.#i < this.#text.length) {
        const fields = this.#record();
        if (fields !== undefined) return fields;
      }
      if (!this.#refill()) return undefined;
    }
  }

  /** Decodes slices until complete records are at hand (or the end); false when there is nothing more. */
  #refill(): boolean {
    const bytes = this.#bytes;
    const decoder = this.#decoder;
    if (!bytes || !decoder) return false;
    while (this.#offset < bytes.length || this.#pending !== '') {
      const at = this.#offset;
      const end = Math.min(at + this.#sliceBytes, bytes.length);
      this.#offset = end;
      if (end > at) this.#pending += decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
      let text: string;
      if (end === bytes.length) {
        text = this.#pending;
        this.#pending = '';
      } else {
        // Parse up to the last line end outside quotes; the rest waits for the next slice.
        const cut = completeRecordsEnd(this.#pending);
        if (cut === 0) continue;
        text = this.#pending.slice(0, cut);
        this.#pending = this.#pending.slice(cut);
      }
      this.#text = text;
      this.#i = 0;
      if (text !== '') return true;
    }
    this.#bytes = undefined;
    return false;
  }

  /** Reads the record at #i: its fields, or undefined for an empty line. */
  #record(): string[] | undefined {
    const text = this.#text;
    const n = text.length;
    let i = this.#i;
    let line = this.#at;
    const fields: string[] = new Array<string>(this.#width);
    let count = 0;
    for (;;) {
      let c = text.charCodeAt(i);
      while (c === SPACE || c === TAB) c = text.charCodeAt(++i);
      if (c === QUOTE) {
        const opened = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) throw new CsvSyntaxError('A quoted field is not closed', opened);
          line += countLines(text, from, q);
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        c = text.charCodeAt(i);
        while (c === SPACE || c === TAB) c = text.charCodeAt(++i);
        if (i < n && c !== COMMA && c !== LF && c !== CR)
          throw new CsvSyntaxError('Unexpected text after the closing quote of a field', line);
        fields[count++] = value;
      } else {
        const start = i;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE)
            throw new CsvSyntaxError('A quote inside an unquoted field; quote the whole field', line);
          i += 1;
        }
        fields[count++] = text.slice(start, i).trim();
      }
      if (i >= n) break;
      if (c === COMMA) {
        i += 1;
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line += 1;
      break;
    }
    this.#i = i;
    this.#at = line;
    fields.length = count;
    if (count === 1 && fields[0] === '') return undefined;
    this.#width = count;
    this.line = i >= n && text.charCodeAt(n - 1) !== LF && text.charCodeAt(n - 1) !== CR ? line : line - 1;
    return fields;
  }
}

/**
 * Where the complete records of `text` (which starts at a record) end: just after its last line feed outside
 * quotes, or 0. A stray quote only moves the cut; the parser then reports it at its line.
 */
function completeRecordsEnd(text: string): number {
  let cut = 0;
  let from = 0;
  let lf = text.indexOf('\n');
  for (;;) {
    const open = text.indexOf('"', from);
    const stretchEnd = open === -1 ? text.length : open;
    while (lf !== -1 && lf < stretchEnd) {
      cut = lf + 1;
      lf = text.indexOf('\n', lf + 1);
    }
    if (open === -1) return cut;
    const close = text.indexOf('"', open + 1);
    if (close === -1) return cut;
    from = close + 1;
    if (lf !== -1 && lf < from) lf = text.indexOf('\n', from);
  }
}

/**
 * A cell that a spreadsheet would read as a formula (=, +, -, @, tab or carriage return first) gets a leading
 * apostrophe, so that text from outside (DMARC reports, imported names) never runs as a formula on opening.
 */
export const spreadsheetSafe = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** How every CSV export is written: UTF-8 with a BOM (for Excel), CRLF, formulas neutralised. */
export const CSV_EXPORT_OPTIONS = {
  bom: true,
  record_delimiter: 'windows',
  cast: { string: spreadsheetSafe },
} as const;

/**
 * The error of a CSV header with missing, unknown or repeated columns: one issue for each kind, on line 1, the
 * message naming the expected columns.
 */
export function headerError(
  missing: readonly string[],
  unknown: readonly string[],
  repeated: readonly string[],
  expected: readonly string[],
): RowError {
  const row = new RowIssues();
  if (missing.length)
    row.add('header', 'missing_columns', `missing column(s): ${missing.join(', ')}`, {
      columns: missing.join(', '),
    });
  if (unknown.length)
    row.add('header', 'unknown_columns', `unknown column(s): ${unknown.join(', ')}`, {
      columns: unknown.join(', '),
    });
  if (repeated.length)
    row.add('header', 'repeated_columns', `repeated column(s): ${repeated.join(', ')}`, {
      columns: repeated.join(', '),
    });
  const error = row.error(1);
  return { ...error, message: `Header: ${error.message}. Expected columns: ${expected.join(', ')}` };
}
