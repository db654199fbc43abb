// CSV input for every module that imports files: bytes to text, and text to records. Pure: no I/O.
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
  yield* segmentRecords(text, text.charCodeAt(0) === 0xfeff ? 1 : 0, 1);
}

/**
 * The records of CSV bytes (encoding as decodeCsvBytes chooses it), decoded `sliceBytes` at a time: the file
 * is never held as one string beside its bytes, and the fields of a record keep only their slice alive.
 */
export function* csvRecordsOfBytes(bytes: Uint8Array, sliceBytes = 32 * 1024): Generator<CsvRecord> {
  // The encoding is decided on the whole file, as decodeCsvBytes does; the decoder strips a UTF-8 BOM.
  const decoder = new TextDecoder(isUtf8(bytes) ? 'utf-8' : 'shift_jis');
  let pending = '';
  let line = 1;
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    const end = Math.min(at + sliceBytes, bytes.length);
    pending += decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
    if (end === bytes.length) break;
    // Parse up to the last line end outside quotes; the rest waits for the next slice.
    const cut = completeRecordsEnd(pending);
    if (cut === 0) continue;
    line = yield* segmentRecords(pending.slice(0, cut), 0, line);
    pending = pending.slice(cut);
  }
  yield* segmentRecords(pending, 0, line);
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

/** The records of `text` from index `i`, its first line numbered `line`; returns the number of the line after it. */
function* segmentRecords(text: string, i: number, line: number): Generator<CsvRecord, number> {
  const n = text.length;
  // Records of a file have as many fields as the one before, mostly: room for them up front, not grown by push.
  let width = 0;
  while (i < n) {
    const fields: string[] = new Array<string>(width);
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
    const ended = i >= n && text.charCodeAt(n - 1) !== LF && text.charCodeAt(n - 1) !== CR ? line : line - 1;
    fields.length = count;
    if (count === 1 && fields[0] === '') continue;
    width = count;
    yield { fields, line: ended };
  }
  return line;
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
