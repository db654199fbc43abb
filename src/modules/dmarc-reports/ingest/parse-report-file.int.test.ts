// Report files end to end: containers, emails, handlers, and hostile files refused with a clear reason, quickly.
// Every input is built here (the large and hostile ones on the fly, in a temporary folder).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmail, buildZip, smallReport } from '../lib/fixtures/archives.ts';
import { ReportRejection } from '../lib/report-rejection.ts';
import { collectReports } from './collect-reports.ts';
import { parseReportFile, type ParseReportFileOptions } from './parse-report-file.ts';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-test-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function write(name: string, data: Buffer | string): string {
  const file = path.join(dir, `${++fileNo}-${name}`);
  fs.writeFileSync(file, data);
  return file;
}

const report = (id: string, ips = ['192.0.2.1']) =>
  smallReport({ reportId: id, records: ips.map((ip, i) => ({ ip, count: i + 1 })) });

/** The refusal of a file: its code and reason, and how long it took. */
async function refusal(input: string | Readable, options: ParseReportFileOptions = {}) {
  const started = performance.now();
  const outcome = await parseReportFile(input, options);
  const ms = performance.now() - started;
  if (outcome.kind !== 'rejected') throw new Error(`accepted: ${JSON.stringify(outcome.reports)}`);
  return { code: outcome.code, reason: outcome.reason, ms };
}

describe('report files read whole (as a parser worker reads them)', () => {
  it('gives the same outcome as reading the file as a stream, and streams a file above the size given', async () => {
    const gz = zlib.gzipSync(report('whole-gz', ['192.0.2.1', '192.0.2.9']));
    const zip = buildZip([
      { name: 'a.xml', data: report('whole-zip-a') },
      { name: 'b.xml.gz', data: zlib.gzipSync(report('whole-zip-b')), method: 0 },
      { name: '../evil.xml', data: report('never') },
    ]);
    const files = [
      write('w.xml', report('whole-xml', ['192.0.2.1', '2001:db8::1'])),
      write('w.xml.gz', Buffer.concat([gz, Buffer.from('\r\njunk')])),
      write(
        'w.zip',
        buildZip([
          { name: 'a.xml', data: report('whole-zip-a') },
          { name: 'b.xml', data: report('b') },
        ]),
      ),
      write('bad.zip', zip),
      write('cut.zip', zip.subarray(0, zip.length - 30)),
      write('cut.xml.gz', gz.subarray(0, gz.length >> 1)),
      write(
        'w.eml',
        buildEmail({
          subject: 'Report',
          parts: [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gz }],
        }),
      ),
      write('empty.xml', ''),
      write('doc.pdf', '%PDF-1.7'),
    ];
    for (const file of files) {
      const streamed = await collectReports(file);
      expect(await collectReports(file, { readAtOnce: 1024 * 1024 }), file).toEqual(streamed);
      expect(await collectReports(file, { readAtOnce: 16 }), file).toEqual(streamed);
    }
    // What the files hold, so that the comparison is not of two empty outcomes.
    const kinds = await Promise.all(
      files.map(async (f) => (await collectReports(f, { readAtOnce: 1 << 20 })).outcome.kind),
    );
    expect(kinds).toEqual([
      'aggregate',
      'aggregate',
      'aggregate',
      'rejected',
      'rejected',
      'rejected',
      'aggregate',
      'rejected',
      'rejected',
    ]);
  });
});

describe('report files: containers', () => {
  it('reads a plain XML file, by path or as a stream', async () => {
    const file = write('r.xml', report('plain', ['192.0.2.1', '192.0.2.2']));
    const byPath = await collectReports(file);
    expect(byPath.outcome.kind).toBe('aggregate');
    expect(byPath.aggregates[0]!.report.reporter.reportId).toBe('plain');
    expect(byPath.aggregates[0]!.records).toHaveLength(2);
    expect(byPath.aggregates[0]!.source).toEqual({ containers: [], entry: null, email: null });
    const byStream = await collectReports(fs.createReadStream(file));
    expect(byStream.aggregates[0]!.records).toEqual(byPath.aggregates[0]!.records);
  });

  it('tells the container by content, not by the name', async () => {
    const gz = write('report.xml', zlib.gzipSync(report('gz-named-xml')));
    const { aggregates } = await collectReports(gz);
    expect(aggregates[0]!.report.reporter.reportId).toBe('gz-named-xml');
    expect(aggregates[0]!.source.containers).toEqual(['gzip']);
  });

  it('reads a .xml.gz with trailing bytes after the gzip stream, with a warning', async () => {
    const file = write(
      'r.xml.gz',
      Buffer.concat([zlib.gzipSync(report('trailing')), Buffer.from('\r\n\0\0junk')]),
    );
    const { outcome, aggregates } = await collectReports(file);
    expect(outcome.kind).toBe('aggregate');
    expect(aggregates[0]!.summary.warnings).toEqual(['bytes after the end of the gzip stream were ignored']);
  });

  it('reads every report in a zip (XML and gzip entries), from a file or a stream', async () => {
    const zip = buildZip([
      { name: 'reports/', data: '', method: 0 },
      { name: 'reports/a.xml', data: report('zip-a') },
      { name: 'reports/b.xml.gz', data: zlib.gzipSync(report('zip-b')), method: 0 },
      { name: 'c.xml', data: report('zip-c', ['192.0.2.7', '2001:db8::7']), method: 0 },
    ]);
    const file = write('several.zip', zip);
    for (const input of [file, Readable.from([zip])]) {
      const { outcome, aggregates } = await collectReports(input);
      expect(outcome.kind).toBe('aggregate');
      expect(aggregates.map((a) => [a.report.reporter.reportId, a.source.entry, a.records.length])).toEqual([
        ['zip-a', 'reports/a.xml', 1],
        ['zip-b', 'reports/b.xml.gz', 1],
        ['zip-c', 'c.xml', 2],
      ]);
      expect(aggregates[1]!.source.containers).toEqual(['zip', 'gzip']);
    }
  });

  it('keeps the good reports of a zip and names the entry that is refused', async () => {
    const file = write(
      'mixed.zip',
      buildZip([
        { name: 'good.xml', data: report('good') },
        { name: 'bad.xml', data: '<feedback><report_metadata>' },
        { name: 'inner.zip', data: buildZip([{ name: 'x.xml', data: report('x') }]) },
      ]),
    );
    const outcome = await parseReportFile(file);
    expect(outcome.kind).toBe('aggregate');
    expect(outcome.reports.map((r) => (r.kind === 'rejected' ? `${r.code}: ${r.reason}` : r.status))).toEqual(
      [
        'accepted',
        'truncated: zip entry "bad.xml": the XML ends inside <report_metadata>: the report is truncated',
        'nested-archive: zip entry "inner.zip": a zip inside a zip is not read',
      ],
    );
  });
});

describe('report files: emails', () => {
  it('reads the attachments of a report email: zip, gzip as octet-stream, text/xml; decodes the subject', async () => {
    const eml = buildEmail({
      subject: '=?UTF-8?B?UmVwb3J0IERvbWFpbjogZXhhbXBsZS5jb20g4pyJ?=',
      parts: [
        {
          contentType: 'text/plain; charset=utf-8',
          data: 'This is an aggregate report.',
          disposition: 'inline',
        },
        {
          contentType: 'image/png',
          filename: 'logo.png',
          data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
        },
        {
          contentType: 'application/zip',
          filename: 'a.zip',
          data: buildZip([{ name: 'a.xml', data: report('mail-a') }]),
        },
        {
          contentType: 'application/octet-stream',
          filename: 'b.xml.gz',
          data: zlib.gzipSync(report('mail-b')),
        },
        { contentType: 'text/xml', filename: 'c.xml', data: report('mail-c'), encoding: '7bit' },
        {
          contentType: 'text/html',
          filename: 'page.html',
          data: '<html><body>hi</body></html>',
          encoding: '7bit',
        },
      ],
    });
    const { outcome, aggregates } = await collectReports(write('report.eml', eml));
    expect(outcome.kind).toBe('aggregate');
    expect(outcome.reports).toHaveLength(3);
    expect(aggregates.map((a) => [a.report.reporter.reportId, a.source.containers, a.source.entry])).toEqual([
      ['mail-a', ['email', 'zip'], 'a.xml'],
      ['mail-b', ['email', 'gzip'], 'b.xml.gz'],
      ['mail-c', ['email'], 'c.xml'],
    ]);
    expect(aggregates[0]!.source.email).toEqual({
      subject: 'Report Domain: example.com ✉',
      from: 'dmarc-reports@reporter.example',
      date: 1699956000,
      messageId: '<report-1@reporter.example>',
    });
  });

  it('reads a failure report email with its original headers', async () => {
    const eml = buildEmail({
      contentType: 'multipart/report; report-type=feedback-report',
      subject: 'FW: hello',
      parts: [
        { contentType: 'text/plain', data: 'An authentication failure report.', encoding: '7bit' },
        {
          contentType: 'message/feedback-report',
          data: 'Feedback-Type: auth-failure\r\nUser-Agent: T/1\r\nVersion: 1\r\nAuth-Failure: dmarc\r\nSource-IP: 192.0.2.5\r\n',
          encoding: '7bit',
        },
        {
          contentType: 'message/rfc822',
          data: 'From: a@sender.example\r\nSubject: hello\r\n\r\nbody that is not kept\r\n',
          encoding: '7bit',
        },
      ],
    });
    const { outcome, failures } = await collectReports(write('ruf.eml', eml));
    expect(outcome.kind).toBe('failure');
    expect(failures[0]).toMatchObject({
      feedbackType: 'auth-failure',
      authFailure: 'dmarc',
      sourceIp: '192.0.2.5',
      originalHeaders: 'From: a@sender.example\nSubject: hello\n',
      email: { subject: 'FW: hello' },
    });
  });

  it('refuses emails that hold no DMARC report', async () => {
    const plain = buildEmail({
      parts: [{ contentType: 'text/plain', data: 'hello', disposition: 'inline' }],
    });
    expect(await refusal(write('plain.eml', plain))).toMatchObject({
      code: 'no-report',
      reason: 'the email holds no DMARC report: it has no attachment',
    });
    const bounce = buildEmail({
      contentType: 'multipart/report; report-type=delivery-status',
      parts: [
        {
          contentType: 'message/delivery-status',
          data: 'Reporting-MTA: dns; mx.example.com',
          encoding: '7bit',
        },
      ],
    });
    expect((await refusal(write('bounce.eml', bounce))).reason).toMatch(
      /delivery-status report, not a DMARC report/,
    );
    const logo = buildEmail({
      parts: [{ contentType: 'image/png', filename: 'x.png', data: Buffer.alloc(32, 1) }],
    });
    expect((await refusal(write('logo.eml', logo))).reason).toMatch(
      /attachments \(x\.png\) are not DMARC reports/,
    );
    const big = buildEmail({
      parts: [{ contentType: 'application/octet-stream', filename: 'x.bin', data: Buffer.alloc(3000) }],
    });
    expect(await refusal(write('big.eml', big), { limits: { maxEmailBytes: 1024 } })).toMatchObject({
      code: 'too-large',
      reason: 'the email is larger than 1 KiB',
    });
  });
});

describe('report files: handlers', () => {
  const records = Array.from({ length: 5 }, (_, i) => `192.0.2.${i + 1}`);

  it('hands records over in batches; a handler that stops early skips the report', async () => {
    const file = write('batches.xml', report('batches', records));
    const seen: number[] = [];
    const all = await parseReportFile(file, {
      batchSize: 2,
      onAggregate: async (stream) => {
        for await (const batch of stream) seen.push(batch.length);
      },
    });
    expect(seen).toEqual([2, 2, 1]);
    expect(all.reports[0]).toMatchObject({ kind: 'aggregate', status: 'accepted', summary: { records: 5 } });

    const skipped = await parseReportFile(file, { onAggregate: async () => 'skipped' });
    expect(skipped.reports[0]).toMatchObject({ kind: 'aggregate', status: 'skipped', summary: null });
    const early = await parseReportFile(file, {
      batchSize: 2,
      onAggregate: async (stream) => {
        for await (const _batch of stream) break;
      },
    });
    expect(early.reports[0]).toMatchObject({ status: 'skipped' });
  });

  it('fails the records loop (so the transaction rolls back) when the report breaks after some batches', async () => {
    const xml = report('broken', records);
    const file = write('broken.xml', xml.slice(0, xml.lastIndexOf('<record>')));
    let committed = false;
    let batches = 0;
    const outcome = await parseReportFile(file, {
      batchSize: 2,
      // Small pieces: the records before the break are handed over, as with a report of many megabytes.
      pieceLength: 256,
      onAggregate: async (stream) => {
        for await (const _batch of stream) batches += 1;
        committed = true;
      },
    });
    // The last piece (the text after the last cut) is read at the end, where the break is found.
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(committed).toBe(false);
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'truncated' });
  });

  it("lets a handler's own error through", async () => {
    const file = write('own-error.xml', report('e'));
    await expect(
      parseReportFile(file, {
        onAggregate: async () => {
          throw new Error('database is down');
        },
      }),
    ).rejects.toThrow('database is down');
  });
});

describe('report files: hostile input is refused quickly, with a clear reason', () => {
  it('refuses a DOCTYPE with an external entity, reading neither file nor network', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests += 1;
      res.end('<!ENTITY x "y">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const secret = write('secret.txt', 'TOP-SECRET-CONTENT');
      const xml = `<?xml version="1.0"?>
<!DOCTYPE feedback [
  <!ENTITY file SYSTEM "file://${secret}">
  <!ENTITY % remote SYSTEM "http://127.0.0.1:${port}/evil.dtd">
  %remote;
]>
${smallReport({ orgName: '&file;' })}`;
      for (const input of [write('xxe.xml', xml), write('xxe.xml.gz', zlib.gzipSync(xml))]) {
        const r = await refusal(input);
        expect(r).toMatchObject({ code: 'dtd', reason: /DTDs are not allowed/ });
        expect(r.reason).not.toContain('TOP-SECRET');
        expect(r.ms).toBeLessThan(2000);
      }
      const external = write(
        'external.xml',
        `<!DOCTYPE feedback SYSTEM "http://127.0.0.1:${port}/x.dtd">${report('x')}`,
      );
      expect((await refusal(external)).code).toBe('dtd');
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses the billion laughs', async () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ']>',
      smallReport({ orgName: '&lol9;' }),
    ].join('\n');
    const r = await refusal(write('lol.xml', lol));
    expect(r).toMatchObject({ code: 'dtd' });
    expect(r.ms).toBeLessThan(2000);
  });

  it('refuses nesting 10,000 deep', async () => {
    const deep = `<feedback>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}</feedback>`;
    const r = await refusal(write('deep.xml', deep));
    expect(r).toMatchObject({ code: 'too-deep', reason: /nested deeper than 32 levels/ });
    expect(r.ms).toBeLessThan(2000);
  });

  it('refuses a gzip bomb: 1 GiB of zeros', async () => {
    const file = path.join(dir, 'zeros.xml.gz');
    const zero = Buffer.alloc(1024 * 1024);
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 1024; i++) yield zero;
        })(),
      ),
      zlib.createGzip({ level: 9 }),
      fs.createWriteStream(file),
    );
    const r = await refusal(file);
    expect(r.code).toBe('unknown-format');
    expect(r.reason).toBe('not a DMARC report: the content is binary data');
    expect(r.ms).toBeLessThan(2000);
  }, 30_000);

  it('refuses a gzip bomb of well-formed records: by ratio, and by size when the ratio is lifted', async () => {
    // 1 GiB of XML from about 1 MiB: one compressed member of records, repeated (members concatenate).
    const xml = smallReport({ records: Array.from({ length: 4000 }, () => ({ ip: '192.0.2.1', count: 1 })) });
    const open = xml.slice(0, xml.indexOf('  <record>'));
    const records = xml.slice(xml.indexOf('  <record>'), xml.lastIndexOf('</record>') + '</record>\n'.length);
    const member = zlib.gzipSync(records, { level: 9 });
    const copies = Math.ceil((1024 * 1024 * 1024) / records.length);
    const file = path.join(dir, 'records-bomb.xml.gz');
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, zlib.gzipSync(open));
    for (let i = 0; i < copies; i++) fs.writeSync(out, member);
    fs.writeSync(out, zlib.gzipSync('</feedback>'));
    fs.closeSync(out);
    expect(fs.statSync(file).size).toBeLessThan(8 * 1024 * 1024);

    const byRatio = await refusal(file);
    expect(byRatio).toMatchObject({ code: 'compression-ratio', reason: /refused as a decompression bomb/ });
    expect(byRatio.ms).toBeLessThan(3000);
    const bySize = await refusal(file, {
      limits: { maxCompressionRatio: Infinity, maxXmlBytes: 16 * 1024 * 1024 },
    });
    expect(bySize).toMatchObject({
      code: 'too-large',
      reason: 'the reports in this file hold more than 16 MiB of XML once decompressed',
    });
    expect(bySize.ms).toBeLessThan(5000);
  }, 30_000);

  it('refuses zip bombs: declared size, declared ratio, and an entry larger than it declares', async () => {
    const huge = write(
      'huge.zip',
      buildZip([{ name: 'a.xml', data: report('a'), declaredSize: 600 * 1024 * 1024 }]),
    );
    expect(await refusal(huge)).toMatchObject({
      code: 'too-large',
      reason: 'the zip archive declares more than 512 MiB of content',
    });
    const zeros = write('zeros.zip', buildZip([{ name: 'a.xml', data: Buffer.alloc(64 * 1024 * 1024) }]));
    const ratio = await refusal(zeros);
    expect(ratio).toMatchObject({
      code: 'compression-ratio',
      reason: /zip entry "a\.xml" expands more than 200 times/,
    });
    expect(ratio.ms).toBeLessThan(2000);
    const lie = write(
      'lie.zip',
      buildZip([{ name: 'a.xml', data: report('a', ['192.0.2.1', '192.0.2.2']), declaredSize: 400 }]),
    );
    expect(await refusal(lie)).toMatchObject({
      code: 'corrupt',
      reason: 'the zip entry "a.xml" does not have its declared size',
    });
  });

  it('refuses zip entry names that climb out, are absolute or use backslashes, and encrypted entries', async () => {
    const cases: [string, RegExp][] = [
      ['../evil.xml', /"\.\.\/evil\.xml" climbs out of the archive/],
      ['reports/../../evil.xml', /climbs out of the archive/],
      ['/etc/cron.d/evil', /is an absolute path/],
      ['..\\evil.xml', /contains a backslash|is not allowed/],
    ];
    for (const [name, reason] of cases) {
      const file = write(
        'traversal.zip',
        buildZip([
          { name: 'ok.xml', data: report('ok') },
          { name, data: report('evil') },
        ]),
      );
      const r = await refusal(file);
      expect(r.code, name).toBe('unsafe-entry-name');
      expect(r.reason, name).toMatch(reason);
    }
    const encrypted = write(
      'encrypted.zip',
      buildZip([{ name: 'a.xml', data: report('a'), encrypted: true }]),
    );
    expect(await refusal(encrypted)).toMatchObject({ code: 'encrypted', reason: /"a\.xml" is encrypted/ });
  });

  it('refuses truncated gzip and zip files', async () => {
    const gz = zlib.gzipSync(
      report(
        't',
        Array.from({ length: 50 }, (_, i) => `192.0.2.${i}`),
      ),
    );
    expect(await refusal(write('cut.xml.gz', gz.subarray(0, gz.length >> 1)))).toMatchObject({
      code: 'truncated',
      reason: 'the gzip stream is truncated',
    });
    const zip = buildZip([{ name: 'a.xml', data: report('a') }]);
    expect(await refusal(write('cut.zip', zip.subarray(0, zip.length - 30)))).toMatchObject({
      code: 'truncated',
      reason: /zip archive is truncated/,
    });
    expect(await refusal(Readable.from([zip.subarray(0, 40)]))).toMatchObject({ code: 'truncated' });
  });

  it('refuses what is not a report, and empty files', async () => {
    expect(await refusal(write('doc.pdf', '%PDF-1.7\n...'))).toMatchObject({
      code: 'unknown-format',
      reason: 'not a DMARC report: the content is a PDF document',
    });
    expect(await refusal(write('noise.bin', Buffer.from([1, 2, 3, 250, 0, 7, 9])))).toMatchObject({
      code: 'unknown-format',
      reason: 'not a DMARC report: the content is binary data',
    });
    expect(await refusal(write('page.xml', '<html><body/></html>'))).toMatchObject({
      code: 'not-a-report',
      reason: 'the root element is <html>, not <feedback>: this is not a DMARC aggregate report',
    });
    expect(await refusal(write('empty.xml', ''))).toMatchObject({
      code: 'empty',
      reason: 'the report is empty',
    });
    expect(await refusal(write('blank.xml', '\n\n  \n'))).toMatchObject({ code: 'empty' });
    expect(await refusal(write('empty.gz', zlib.gzipSync('')))).toMatchObject({ code: 'empty' });
    expect(await refusal(write('empty.zip', buildZip([])))).toMatchObject({
      code: 'no-report',
      reason: 'the zip archive is empty',
    });
  });

  it('keeps the rejection type for callers', () => {
    expect(new ReportRejection('dtd', 'x')).toBeInstanceOf(Error);
  });
});
