import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CsvSyntaxError, csvRecords, csvRecordsOfBytes, decodeCsvBytes, spreadsheetSafe } from './csv.ts';

describe('decodeCsvBytes', () => {
  const text = 'code,name\nA-1,顧客データベース\n';

  it('reads UTF-8 with and without a byte-order mark, dropping the mark', () => {
    expect(decodeCsvBytes(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
  });

  it('falls back to Shift_JIS when the bytes are not UTF-8', () => {
    // 顧客 in Shift_JIS
    const sjis = Buffer.concat([
      Buffer.from('name\n'),
      Buffer.from([0x8c, 0xda, 0x8b, 0x71]),
      Buffer.from('\n'),
    ]);
    expect(decodeCsvBytes(sjis)).toBe('name\n顧客\n');
  });
});

const all = (text: string) => [...csvRecords(text)];

describe('csvRecords', () => {
  it('reads fields, quotes, escaped quotes, line breaks in quotes, CRLF and a missing last line end', () => {
    expect(all('a,b,c\r\n"x, y","say ""hi""",\n"two\nlines", 3 ,z')).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['x, y', 'say "hi"', ''], line: 2 },
      { fields: ['two\nlines', '3', 'z'], line: 4 },
    ]);
  });

  it('skips empty lines and a byte-order mark, and keeps counting lines', () => {
    expect(all('\ufeffh1,h2\n\n\r\nv1,v2\n\n')).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['v1', 'v2'], line: 4 },
    ]);
    expect(all('')).toEqual([]);
  });

  it('keeps spaces inside quotes and trims them outside', () => {
    expect(all('  a  , " b " ,c')).toEqual([{ fields: ['a', ' b ', 'c'], line: 1 }]);
  });

  it('refuses unclosed quotes, stray quotes and text after a closing quote, naming the line', () => {
    const fail = (text: string) => {
      try {
        all(text);
      } catch (err) {
        return err as CsvSyntaxError;
      }
      throw new Error('no error');
    };
    expect(fail('a,b\nc,"open').line).toBe(2);
    expect(fail('a,b\nc,d"e').message).toMatch(/quote inside an unquoted field/);
    expect(fail('"a"b,c').message).toMatch(/after the closing quote/);
  });

  it('reads what csv-parse reads, on a file with every feature', () => {
    const rows: string[] = ['code,name,note'];
    for (let i = 0; i < 300; i++)
      rows.push(
        [
          `A-${i}`,
          i % 3 ? `Name ${i}` : `"Name, ${i}"`,
          i % 5 ? `  note ${i} ` : `"multi\nline ""${i}"""`,
        ].join(','),
      );
    for (const end of ['\n', '\r\n']) {
      const text = rows.join(end);
      const reference = parse(text, {
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      }) as string[][];
      expect(all(text).map((r) => r.fields)).toEqual(reference);
    }
  });
});

describe('csvRecordsOfBytes', () => {
  const sample = (end: string) => {
    const rows: string[] = ['code,name,note'];
    for (let i = 0; i < 120; i++)
      rows.push(
        [
          `A-${i}`,
          i % 3 ? `名前 ${i}` : `"Name, ${i}"`,
          i % 5 ? `  note ${i} ` : `"multi${end}line ""${i}"""`,
        ].join(','),
      );
    return `${rows.join(end)}${end}${end}last,"row",without end`;
  };

  it('reads what csvRecords reads from the text, whatever the slice size', () => {
    for (const end of ['\n', '\r\n']) {
      const text = sample(end);
      const expected = [...csvRecords(text)];
      for (const slice of [1, 2, 3, 7, 64, 1000, 1 << 20])
        expect([...csvRecordsOfBytes(Buffer.from(text), slice)]).toEqual(expected);
    }
  });

  it('decodes Shift_JIS and a UTF-8 byte-order mark across slices', () => {
    const sjis = Buffer.concat([
      Buffer.from('name,n\n'),
      Buffer.from([0x8c, 0xda, 0x8b, 0x71]),
      Buffer.from(',1\n"'),
      Buffer.from([0x8c, 0xda, 0x8b, 0x71]),
      Buffer.from('\n",2\n'),
    ]);
    for (const slice of [1, 3, 5])
      expect([...csvRecordsOfBytes(sjis, slice)]).toEqual([
        { fields: ['name', 'n'], line: 1 },
        { fields: ['顧客', '1'], line: 2 },
        { fields: ['顧客\n', '2'], line: 4 },
      ]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('h\n顧客\n')]);
    for (const slice of [1, 2, 4])
      expect([...csvRecordsOfBytes(bom, slice)]).toEqual([
        { fields: ['h'], line: 1 },
        { fields: ['顧客'], line: 2 },
      ]);
  });

  it('reports broken CSV at the same line as csvRecords, after the same records', () => {
    for (const text of ['a,b\nc,d\ne,"open\nf,g\n', 'a,b\nc,d"e\nf,g\n"h,i\n', 'a\n"x"y,z\nq\n']) {
      const read = (it: () => Iterable<unknown>) => {
        const got: unknown[] = [];
        try {
          for (const r of it()) got.push(r);
        } catch (err) {
          got.push((err as CsvSyntaxError).message);
        }
        return got;
      };
      const expected = read(() => csvRecords(text));
      for (const slice of [1, 2, 5, 100])
        expect(read(() => csvRecordsOfBytes(Buffer.from(text), slice))).toEqual(expected);
    }
  });
});

describe('spreadsheetSafe', () => {
  it('neutralises what a spreadsheet would run as a formula, and leaves other text alone', () => {
    expect(spreadsheetSafe('=HYPERLINK("http://x.example","click")')).toBe(
      '\'=HYPERLINK("http://x.example","click")',
    );
    expect(['+1', '-1+2', '@SUM(A1)', '\tx', '\rx'].map(spreadsheetSafe)).toEqual([
      "'+1",
      "'-1+2",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
    ]);
    expect(['Sato Haruto', 'a=b', '2001:db8::1', '', '佐藤'].map(spreadsheetSafe)).toEqual([
      'Sato Haruto',
      'a=b',
      '2001:db8::1',
      '',
      '佐藤',
    ]);
  });
});
