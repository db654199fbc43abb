import { describe, expect, it } from 'vitest';
import { reportKey, isIpAddress, type AggregateRecord, type AggregateReport } from './aggregate-model.ts';
import {
  AggregateParser,
  openAggregateStream,
  sniffXmlEncoding,
  type AggregateParserOptions,
} from './aggregate-parser.ts';
import { smallReport } from './fixtures/archives.ts';
import { ReportRejection, type RejectionCode } from './report-rejection.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Parses with the push parser, `chunk` bytes at a time. */
function parse(input: string | Uint8Array, options: AggregateParserOptions = {}, chunk = 4096) {
  const data = typeof input === 'string' ? bytes(input) : input;
  const parser = new AggregateParser(options);
  let report: AggregateReport | null = null;
  const records: AggregateRecord[] = [];
  const order: string[] = [];
  const take = (events: ReturnType<AggregateParser['write']>) => {
    for (const e of events) {
      order.push(e.type);
      if (e.type === 'report') report = e.report;
      else records.push(...e.records);
    }
  };
  for (let at = 0; at < data.length; at += chunk) take(parser.write(data.subarray(at, at + chunk)));
  const end = parser.end();
  take(end.events);
  return { report: report as AggregateReport | null, records, summary: end.summary, order };
}

function refusal(input: string | Uint8Array, options: AggregateParserOptions = {}, chunk = 4096) {
  try {
    parse(input, options, chunk);
  } catch (err) {
    if (err instanceof ReportRejection) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the report was accepted');
}

const expectRefused = (input: string | Uint8Array, code: RejectionCode, message?: RegExp) => {
  const r = refusal(input);
  expect(r.code).toBe(code);
  if (message) expect(r.message).toMatch(message);
};

describe('aggregate parser: schemas', () => {
  it('reads an RFC 7489 report', () => {
    const { report, records, summary } = parse(smallReport({ records: [{ ip: '192.0.2.1', count: 3 }] }));
    expect(report).toEqual({
      schema: 'rfc7489',
      version: null,
      reporter: {
        orgName: 'Reporter Inc.',
        email: 'dmarc@reporter.example',
        extraContact: null,
        reportId: 'r-1',
        dateRange: { begin: 1700000000, end: 1700086399 },
        errors: [],
        generator: null,
      },
      policyPublished: {
        domain: 'example.com',
        adkim: null,
        aspf: null,
        p: 'reject',
        sp: null,
        np: null,
        pct: null,
        fo: null,
        testing: null,
        discoveryMethod: null,
      },
    });
    expect(records).toEqual([
      {
        sourceIp: '192.0.2.1',
        count: 3,
        policyEvaluated: { disposition: 'none', dkim: 'pass', spf: 'pass', reasons: [] },
        identifiers: { headerFrom: 'example.com', envelopeFrom: null, envelopeTo: null },
        authResults: {
          dkim: [],
          spf: [{ domain: 'example.com', scope: null, result: 'pass', humanResult: null }],
        },
      },
    ]);
    expect(summary).toEqual({ records: 1, messages: 3, skippedRecords: 0, warnings: [] });
  });

  it('tells the schema by namespace, prefixed or not', () => {
    const ns = (namespace?: string) => parse(smallReport({ namespace })).report!.schema;
    expect(ns()).toBe('rfc7489');
    expect(ns('http://dmarc.org/dmarc-xml/0.1')).toBe('rfc7489');
    expect(ns('http://dmarc.org/dmarc-xml/0.2')).toBe('draft');
    expect(ns('urn:ietf:params:xml:ns:dmarc-2.0')).toBe('rfc9990');
    const prefixed = smallReport()
      .replace('<feedback>', '<d:feedback xmlns:d="urn:ietf:params:xml:ns:dmarc-2.0">')
      .replace('</feedback>', '</d:feedback>')
      .replace(
        /<(\/?)(report_metadata|org_name|report_id|email|date_range|begin|end|policy_published|domain|p)>/g,
        '<$1d:$2>',
      );
    const { report } = parse(prefixed);
    expect(report?.schema).toBe('rfc9990');
    expect(report?.reporter.reportId).toBe('r-1');
    const odd = parse(smallReport({ namespace: 'urn:example:other' }));
    expect(odd.report?.schema).toBe('rfc7489');
    expect(odd.summary.warnings).toEqual(['unknown XML namespace "urn:example:other"; read as RFC 7489']);
  });

  it('reads the RFC 9990 additions: np, testing, discovery_method, generator, pass disposition', () => {
    const xml = `<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0"><version>1.0</version>
      <report_metadata><org_name>R</org_name><email>r@example.net</email><report_id>x</report_id>
        <date_range><begin>1</begin><end>2</end></date_range><generator>Gen 1.2</generator>
        <error>one</error><error>two</error></report_metadata>
      <policy_published><domain>Example.COM.</domain><p>quarantine</p><sp>none</sp><np>reject</np>
        <testing>y</testing><discovery_method>treewalk</discovery_method><fo>1</fo></policy_published>
      <record><row><source_ip>2001:DB8::1</source_ip><count>7</count>
        <policy_evaluated><disposition>pass</disposition><dkim>pass</dkim><spf>fail</spf>
          <reason><type>policy_test_mode</type></reason></policy_evaluated></row>
        <identifiers><header_from>example.com</header_from><envelope_from>bounce.example.com</envelope_from>
          <envelope_to>example.org</envelope_to></identifiers>
        <auth_results><dkim><domain>example.com</domain><selector>s1</selector><result>pass</result>
          <human_result>good</human_result></dkim>
          <spf><domain>bounce.example.com</domain><scope>mfrom</scope><result>fail</result></spf></auth_results>
      </record></feedback>`;
    const { report, records } = parse(xml);
    expect(report?.schema).toBe('rfc9990');
    expect(report?.version).toBe('1.0');
    expect(report?.reporter.generator).toBe('Gen 1.2');
    expect(report?.reporter.errors).toEqual(['one', 'two']);
    expect(report?.policyPublished).toMatchObject({
      domain: 'example.com',
      np: 'reject',
      testing: true,
      discoveryMethod: 'treewalk',
      fo: '1',
    });
    expect(records[0]).toMatchObject({
      sourceIp: '2001:db8::1',
      policyEvaluated: { disposition: 'pass', reasons: [{ type: 'policy_test_mode', comment: null }] },
      identifiers: { envelopeFrom: 'bounce.example.com', envelopeTo: 'example.org' },
      authResults: {
        dkim: [{ domain: 'example.com', selector: 's1', result: 'pass', humanResult: 'good' }],
        spf: [{ domain: 'bounce.example.com', scope: 'mfrom', result: 'fail', humanResult: null }],
      },
    });
  });
});

describe('aggregate parser: the usual deviations', () => {
  it('normalises upper-case and padded values', () => {
    const xml = smallReport({
      records: [{ ip: ' 192.0.2.9 ', count: 1, disposition: 'QUARANTINE', dkim: 'Pass', spf: ' FAIL ' }],
    })
      .replace('<p>reject</p>', '<p>REJECT</p><adkim>Relaxed</adkim><aspf>S</aspf>')
      .replace('<result>pass</result></spf>', '<result>SoftFail</result><scope>MailFrom</scope></spf>');
    const { report, records, summary } = parse(xml);
    expect(report?.policyPublished).toMatchObject({ p: 'reject', adkim: 'r', aspf: 's' });
    expect(records[0]).toMatchObject({
      sourceIp: '192.0.2.9',
      policyEvaluated: { disposition: 'quarantine', dkim: 'pass', spf: 'fail' },
      authResults: { spf: [{ result: 'softfail', scope: 'mfrom' }] },
    });
    expect(summary.warnings).toEqual([]);
  });

  it('accepts an empty org_name with a warning, and keys the report on the email domain', () => {
    const { report, summary } = parse(smallReport({ orgName: '' }));
    expect(report?.reporter.orgName).toBe('');
    expect(summary.warnings).toContain('feedback/report_metadata/org_name is empty');
    expect(reportKey(report!)).toEqual({
      reporter: 'reporter.example',
      reportId: 'r-1',
      domain: 'example.com',
    });
  });

  it('ignores unknown elements, extensions and attributes at any level', () => {
    const xml = smallReport({
      extra:
        '<extensions><extension name="x" definition="https://e.example"><data><p>none</p></data></extension></extensions>',
    })
      .replace('<report_id>', '<unknown-tag1><unknown-tag2 a="1">t</unknown-tag2></unknown-tag1><report_id>')
      .replace(
        '<row>',
        '<vendor:stuff xmlns:vendor="urn:v"><domain>evil.example</domain></vendor:stuff><row>',
      );
    const { report, records } = parse(xml);
    expect(report?.policyPublished.p).toBe('reject');
    expect(report?.policyPublished.domain).toBe('example.com');
    expect(records).toHaveLength(1);
  });

  it('maps unknown enumerated values to "unknown", listing the raw values once with their count', () => {
    const xml = smallReport({
      records: [
        { ip: '192.0.2.1', count: 1, dkim: 'maybe' },
        { ip: '192.0.2.2', count: 1, dkim: 'maybe' },
        { ip: '192.0.2.3', count: 1, disposition: 'discard' },
      ],
    });
    const { records, summary } = parse(xml);
    expect(records.map((r) => r.policyEvaluated.dkim)).toEqual(['unknown', 'unknown', 'pass']);
    expect(records[2]!.policyEvaluated.disposition).toBe('unknown');
    expect(summary.warnings).toEqual([
      'feedback/record/row/policy_evaluated/dkim: unknown value "maybe" read as "unknown" (2 times)',
      'feedback/record/row/policy_evaluated/disposition: unknown value "discard" read as "unknown"',
    ]);
  });

  it('replaces invalid UTF-8 with U+FFFD and carries on, with a warning', () => {
    const xml = bytes(smallReport({ orgName: 'Repor@ter' }));
    const at = xml.indexOf('@'.charCodeAt(0));
    const broken = new Uint8Array([...xml.subarray(0, at), 0xff, 0xc3, ...xml.subarray(at + 1)]);
    const { report, summary } = parse(broken, {}, 7);
    expect(report?.reporter.orgName).toBe('Repor\uFFFD\uFFFDter');
    expect(summary.warnings).toContain('2 invalid UTF-8 byte sequences were replaced with U+FFFD');
  });

  it('replaces control characters that XML forbids', () => {
    const { report, summary } = parse(smallReport({ orgName: 'Bell\u0007Corp' }));
    expect(report?.reporter.orgName).toBe('Bell\uFFFDCorp');
    expect(summary.warnings).toEqual(['1 control characters (not allowed in XML) were replaced with U+FFFD']);
  });

  it('decodes the encoding the XML declaration names, and UTF-16 with a byte order mark', () => {
    const latin1 = Buffer.from(
      smallReport({ orgName: 'Société Générale' }).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      'latin1',
    );
    expect(parse(latin1).report?.reporter.orgName).toBe('Société Générale');
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(smallReport({ orgName: '日本郵便' }), 'utf16le'),
    ]);
    expect(parse(utf16, {}, 3).report?.reporter.orgName).toBe('日本郵便');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(smallReport())]);
    expect(parse(bom).report?.reporter.reportId).toBe('r-1');
    expect(sniffXmlEncoding(bytes('<?xml version="1.0" encoding="UTF-16"?>'))).toBe('utf-8');
    expect(sniffXmlEncoding(bytes('<?xml version="1.0" encoding=\'windows-1252\'?>'))).toBe('windows-1252');
    const unknown = parse(smallReport().replace('encoding="UTF-8"', 'encoding="x-klingon"'));
    expect(unknown.summary.warnings).toContain(
      'the declared encoding "x-klingon" is not supported; read as UTF-8',
    );
  });

  it('reads entities, character references and CDATA', () => {
    const { report } = parse(smallReport({ orgName: '&quot;A&amp;B&#x263A;<![CDATA[<c>]]>' }));
    expect(report?.reporter.orgName).toBe('"A&B☺<c>');
  });

  it('skips a record without source_ip or count, with a warning naming it', () => {
    const xml = smallReport({
      records: [
        { ip: '', count: 1 },
        { ip: '192.0.2.2', count: 2 },
      ],
    }).replace('<count>2</count>', '<count>two</count>');
    const { records, summary } = parse(xml);
    expect(records).toEqual([]);
    expect(summary.skippedRecords).toBe(2);
    expect(summary.warnings).toEqual([
      'record 1: feedback/record/row/source_ip is missing; the record is skipped',
      'record 2: feedback/record/row/count "two" is not a count; the record is skipped',
    ]);
  });

  it('keeps a source_ip that is not an address, with a warning', () => {
    const { records, summary } = parse(smallReport({ records: [{ ip: 'mail.example.com', count: 1 }] }));
    expect(records[0]!.sourceIp).toBe('mail.example.com');
    expect(summary.warnings).toEqual([
      'record 1: feedback/record/row/source_ip "mail.example.com" is not an IP address',
    ]);
  });

  it('checks IP addresses', () => {
    for (const ip of [
      '192.0.2.1',
      '0.0.0.0',
      '::',
      '::1',
      '2001:db8::1',
      'fe80::1%eth0',
      '::ffff:192.0.2.1',
      '1:2:3:4:5:6:7:8',
    ])
      expect(isIpAddress(ip), ip).toBe(true);
    for (const ip of [
      '256.1.1.1',
      '1.2.3',
      '1:2:3:4:5:6:7:8:9',
      '2001:db8:::1',
      '::1::',
      'g::1',
      'example.com',
      '',
    ])
      expect(isIpAddress(ip), ip).toBe(false);
  });
});

describe('aggregate parser: streaming', () => {
  it('emits the metadata first, then records in batches, whatever the chunk size', () => {
    const records = Array.from({ length: 25 }, (_, i) => ({ ip: `192.0.2.${i}`, count: i + 1 }));
    const xml = smallReport({ records });
    const whole = parse(xml, { batchSize: 10 }, xml.length);
    const byteByByte = parse(xml, { batchSize: 10 }, 1);
    expect(whole.order).toEqual(['report', 'records', 'records', 'records']);
    expect(byteByByte).toEqual(whole);
    expect(whole.records.map((r) => r.count)).toEqual(records.map((r) => r.count));
    expect(whole.summary.messages).toBe((25 * 26) / 2);
  });

  it('reads the same whatever the pieces of text handed to the XML parser, cut after a tag or not', () => {
    const records = Array.from({ length: 30 }, (_, i) => ({
      ip: `2001:db8::${i.toString(16)}`,
      count: i + 1,
    }));
    const xml = smallReport({
      orgName: '株式会社レポーター &amp; 1 &gt; 0',
      records,
      extra: '<!-- a > b --><x a=">">t > u<![CDATA[>]]></x>',
    });
    const whole = parse(xml, {}, xml.length);
    expect(whole.report?.reporter.orgName).toBe('株式会社レポーター & 1 > 0');
    expect(whole.records).toHaveLength(30);
    for (const pieceLength of [1, 7, 64, 333])
      for (const chunk of [5, 100, xml.length])
        expect(parse(xml, { pieceLength }, chunk), `pieces of ${pieceLength}, chunks of ${chunk}`).toEqual(
          whole,
        );
  });

  it('holds records that come before the metadata until it is read', () => {
    const xml = `<feedback><record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>
      <report_metadata><org_name>o</org_name><email>e@x.example</email><report_id>i</report_id>
      <date_range><begin>1</begin><end>2</end></date_range></report_metadata>
      <policy_published><domain>example.com</domain><p>none</p></policy_published></feedback>`;
    const { order, records } = parse(xml);
    expect(order).toEqual(['report', 'records']);
    expect(records).toHaveLength(1);
    expect(refusal(xml, { maxPendingRecords: 0 }).code).toBe('missing-field');
  });

  it('hands the records over as an async iterable that ends after the whole document was checked', async () => {
    const xml = smallReport({
      records: [
        { ip: '192.0.2.1', count: 1 },
        { ip: '192.0.2.2', count: 2 },
      ],
    });
    async function* chunks() {
      yield bytes(xml);
    }
    const stream = await openAggregateStream(chunks(), { batchSize: 1 });
    expect(stream.report.reporter.reportId).toBe('r-1');
    expect(() => stream.summary()).toThrow(/not been read to the end/);
    const seen: number[] = [];
    for await (const batch of stream) seen.push(...batch.map((r) => r.count));
    expect(seen).toEqual([1, 2]);
    expect(stream.done).toBe(true);
    expect(stream.summary().messages).toBe(3);

    async function* truncated() {
      yield bytes(xml.slice(0, xml.lastIndexOf('</record>')));
    }
    // Read in small pieces, the records before the break are handed over first.
    const broken = await openAggregateStream(truncated(), { pieceLength: 256 });
    await expect(
      (async () => {
        for await (const _ of broken) {
          // reading
        }
      })(),
    ).rejects.toMatchObject({ code: 'truncated' });
  });
});

describe('aggregate parser: refusals', () => {
  it('refuses any DOCTYPE, before reading it', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <feedback><report_metadata><org_name>&xxe;</org_name></report_metadata></feedback>`;
    expectRefused(xxe, 'dtd', /DTDs are not allowed/);
    expect(refusal(xxe, {}, 1).code).toBe('dtd');
    expectRefused('<!DOCTYPE feedback SYSTEM "http://127.0.0.1:9/evil.dtd"><feedback/>', 'dtd');
    // A DTD too large for one chunk is refused at its start, not buffered.
    expectRefused(`<!DOCTYPE feedback [${'<!-- pad -->'.repeat(100_000)}]><feedback/>`, 'dtd');
    // Far into a long prolog, and cut in two by where the text is handed to saxes.
    for (const pad of [40_000, 16 * 1024 - 5])
      expectRefused(`<!--${'x'.repeat(pad)}--><!DOCTYPE feedback [<!ENTITY a "b">]><feedback/>`, 'dtd');
    // Inside the root element saxes refuses it by itself, as a DTD all the same.
    expectRefused('<feedback><!DOCTYPE feedback [<!ENTITY a "b">]></feedback>', 'dtd');
  });

  it('refuses the billion laughs', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ']>',
      '<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>',
    ].join('\n');
    expectRefused(lol, 'dtd');
  });

  it('refuses an undeclared entity', () => {
    expectRefused(smallReport({ orgName: '&xxe;' }), 'malformed-xml', /undefined entity/i);
    // Also in an element it does not read, and in the few forms XML has no entity for.
    expectRefused(smallReport({ extra: '<note>&nbsp;</note>' }), 'malformed-xml', /undefined entity/i);
    expectRefused(smallReport({ orgName: 'A &AMP; B' }), 'malformed-xml', /undefined entity/i);
  });

  it("reads XML's five entities and character references, and refuses a bare ampersand", () => {
    const read = (orgName: string) => parse(smallReport({ orgName })).report?.reporter.orgName;
    expect(read('A &amp; B &lt;x&gt; &quot;q&quot; &apos;s&apos;')).toBe(`A & B <x> "q" 's'`);
    expect(read('&#26085;&#x672C; &#x1F600;')).toBe('日本 😀');
    expect(read('<![CDATA[a & <b>]]> and c')).toBe('a & <b> and c');
    expect(read('split<!-- a comment -->text')).toBe('splittext');
    expectRefused(smallReport({ orgName: 'A & B' }), 'malformed-xml', /bare "&"/);
    expectRefused(smallReport({ orgName: 'AT&T' }), 'malformed-xml', /bare "&"/);
    expectRefused(smallReport({ orgName: 'A &nbsp; B' }), 'malformed-xml', /undefined entity &nbsp;/);
    expectRefused(
      smallReport({ orgName: '&averyveryverylongname;' }),
      'malformed-xml',
      /undefined entity &averyveryvery/,
    );
    expectRefused(smallReport({ orgName: '&#0;' }), 'malformed-xml', /not a character/);
    expectRefused(smallReport({ orgName: '&#xD800;' }), 'malformed-xml', /not a character/);
  });

  it('refuses markup XML does not allow where it stands', () => {
    expectRefused(`${smallReport()}<feedback/>`, 'malformed-xml', /second root element/);
    expectRefused(`${smallReport()}trailing text`, 'malformed-xml');
    expectRefused(smallReport({ extra: '<!ELEMENT x ANY>' }), 'malformed-xml', /unexpected markup/);
    expectRefused(smallReport({ extra: '<a><b></a></b>' }), 'malformed-xml');
  });

  it('refuses nesting deeper than 32 levels, at once', () => {
    const deep = `<feedback>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</feedback>`;
    const started = performance.now();
    expectRefused(deep, 'too-deep', /deeper than 32 levels/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(
      parse(
        `<feedback>${'<a>'.repeat(30)}${'</a>'.repeat(30)}</feedback>`.replace(
          '</feedback>',
          smallReport().slice(smallReport().indexOf('<report_metadata>')),
        ),
      ).report,
    ).not.toBeNull();
  });

  it('refuses element text and other runs of markup over 64 KiB', () => {
    expectRefused(
      smallReport({ orgName: 'a'.repeat(70_000) }),
      'text-too-long',
      /org_name is longer than 64 KiB/,
    );
    expectRefused(smallReport({ extra: `<!--${'<'.repeat(200_000)}-->` }), 'text-too-long');
    expectRefused(smallReport({ extra: `<![CDATA[${'x'.repeat(200_000)}]]>` }), 'text-too-long');
    // A tag is held whole by the XML parser: one that runs over a whole piece handed to it (64 KiB) is refused.
    expectRefused(smallReport({ extra: `<x a="${'y'.repeat(2_200_000)}"/>` }), 'text-too-long');
    expectRefused(`<feedback${' '.repeat(2_200_000)}>`, 'text-too-long');
    // 60 KiB of text is fine.
    expect(parse(smallReport({ orgName: 'a'.repeat(60_000) })).report?.reporter.orgName).toHaveLength(60_000);
  });

  it('refuses a missing report_id, policy domain or date range, naming the element', () => {
    expectRefused(
      smallReport().replace(/<report_id>.*<\/report_id>/, ''),
      'missing-field',
      /^feedback\/report_metadata\/report_id is missing$/,
    );
    expectRefused(
      smallReport().replace(/<domain>example.com<\/domain><p>/, '<p>'),
      'missing-field',
      /^feedback\/policy_published\/domain is missing$/,
    );
    expectRefused(
      smallReport().replace(/<policy_published>.*<\/policy_published>/, ''),
      'missing-field',
      /^feedback\/policy_published is missing$/,
    );
    expectRefused(
      smallReport().replace('<begin>1700000000</begin>', ''),
      'missing-field',
      /date_range\/begin is missing/,
    );
    expectRefused(
      smallReport().replace('<end>1700086399</end>', '<end>yesterday</end>'),
      'invalid-field',
      /date_range\/end is not a time/,
    );
  });

  it('refuses what is not an aggregate report', () => {
    expectRefused('', 'empty');
    expectRefused('   \n', 'not-xml');
    expectRefused('<html><body>hi</body></html>', 'not-a-report', /root element is <html>/);
    expectRefused('hello', 'malformed-xml');
    expectRefused('<feedback><report_metadata>', 'truncated', /inside <report_metadata>/);
    expectRefused(
      smallReport().replace('</policy_published>', '</policy>'),
      'malformed-xml',
      /line \d+, column \d+/,
    );
    expectRefused(`${smallReport()}<feedback/>`, 'malformed-xml');
  });
});
