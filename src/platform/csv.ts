// CSV input for every module that imports files: bytes to text, and text to records. Pure: no I/O.

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
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const fields: string[] = [];
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
        fields.push(value);
      } else {
        const start = i;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE)
            throw new CsvSyntaxError('A quote inside an unquoted field; quote the whole field', line);
          i += 1;
        }
        fields.push(text.slice(start, i).trim());
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
    if (fields.length === 1 && fields[0] === '') continue;
    yield { fields, line: ended };
  }
}
