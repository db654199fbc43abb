// The DNS client against a real DNS server on 127.0.0.1, well-behaved and not, and the RFC 7208 suite over the wire.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFile, hasConformance } from '../../../../test/support/conformance.ts';
import { startDnsServer, type TestDnsServer } from '../../../../test/support/dns-server.ts';
import { checkHost } from '../lib/spf/check-host.ts';
import { parseSuite, runSuiteCase } from '../lib/spf/suite.ts';
import { createCachingResolver } from './dns-cache.ts';
import { createDnsClient } from './dns-client.ts';

const HUGE = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')}${'x'.repeat(252)}`);

// Over 512 bytes as an answer, under 1232: fits EDNS(0) UDP, needs TCP without it.
const MEDIUM = Array.from({ length: 3 }, (_, i) => `${i}${'m'.repeat(229)}`);

let server: TestDnsServer;
const client = (options: { timeoutMs?: number; retries?: number } = {}) =>
  createDnsClient({
    servers: [{ host: server.host, port: server.port }],
    timeoutMs: 1000,
    retries: 0,
    ...options,
  });

beforeAll(async () => {
  server = await startDnsServer({
    zone: {
      'example.com': [
        { TXT: ['v=spf1 ip4:192.0.2.0/24', ' -all'] },
        { TXT: 'other' },
        { A: '192.0.2.1' },
        { A: '192.0.2.2' },
        { AAAA: '2001:db8::1' },
        { MX: [10, 'mx.example.com'] },
        { MX: [0, ''] },
      ],
      '1.2.0.192.in-addr.arpa': [{ PTR: 'host.example.com.' }],
      'www.example.com': [{ CNAME: 'web.example.com' }],
      'web.example.com': [{ CNAME: 'example.com' }],
      'loop.example.com': [{ CNAME: 'loop.example.com' }],
      'huge.example.com': [{ TXT: HUGE }],
      'monster.example.com': [{ TXT: HUGE }, { TXT: HUGE }, { TXT: 'v=spf1 -all' }],
      'slow.example.com': ['TIMEOUT'],
      'sick.example.com': [{ RCODE: 'SERVFAIL' }],
      'odd.example.com': [{ TXT: 'caf\u00e9 \u00ff' }],
      'garbage.example.com': [{ A: '192.0.2.9' }],
      'cut.example.com': [{ TXT: 'v=spf1 -all' }],
      'cuttxt.example.com': [{ TXT: 'v=BIMI1; l=https://bimi.example.com/logo.svg' }],
      'wrongid.example.com': [{ A: '192.0.2.9' }],
      'other.example.com': [{ A: '192.0.2.9' }],
      'tcpcut.example.com': [{ A: '192.0.2.9' }],
      'medium.example.com': [{ TXT: MEDIUM }],
      'old.example.net': [{ A: '192.0.2.10' }, { TXT: MEDIUM }],
      'www.old.example.net': [{ A: '192.0.2.11' }],
      'notimp.example.net': [{ A: '192.0.2.12' }],
    },
    rejectEdns: { 'old.example.net': 'FORMERR', 'notimp.example.net': 'NOTIMP' },
    faults: {
      'garbage.example.com': 'garbage',
      'cut.example.com': 'cut',
      'cuttxt.example.com': 'cut',
      'wrongid.example.com': 'wrong-id',
      'other.example.com': 'other-question',
      'tcpcut.example.com': 'tcp-cut',
    },
  });
});

afterAll(() => server.close());

describe('DNS client', () => {
  it('reads every record type the resolver interface has, in the interface form', async () => {
    const dns = client();
    expect(await dns.resolve('Example.COM.', 'A')).toEqual({
      rcode: 'NOERROR',
      answers: ['192.0.2.1', '192.0.2.2'],
      ttl: 300,
    });
    expect((await dns.resolve('example.com', 'AAAA')).answers).toEqual(['2001:db8::1']);
    expect((await dns.resolve('example.com', 'MX')).answers).toEqual([
      { preference: 10, exchange: 'mx.example.com' },
      { preference: 0, exchange: '' },
    ]);
    expect((await dns.resolve('example.com', 'TXT')).answers).toEqual([
      ['v=spf1 ip4:192.0.2.0/24', ' -all'],
      ['other'],
    ]);
    expect((await dns.resolve('1.2.0.192.in-addr.arpa', 'PTR')).answers).toEqual(['host.example.com']);
    expect((await dns.resolve('odd.example.com', 'TXT')).answers).toEqual([['caf\u00e9 \u00ff']]);
  });

  it('tells NXDOMAIN from NODATA and passes error rcodes on, with the SOA TTL for negatives', async () => {
    const dns = client();
    expect(await dns.resolve('nowhere.example.com', 'A')).toEqual({
      rcode: 'NXDOMAIN',
      answers: [],
      ttl: 300,
    });
    expect(await dns.resolve('1.2.0.192.in-addr.arpa', 'A')).toEqual({
      rcode: 'NOERROR',
      answers: [],
      ttl: 300,
    });
    expect(await dns.resolve('sick.example.com', 'A')).toMatchObject({ rcode: 'SERVFAIL', answers: [] });
  });

  it('follows CNAME chains, and a loop ends in SERVFAIL', async () => {
    const dns = client();
    expect((await dns.resolve('www.example.com', 'A')).answers).toEqual(['192.0.2.1', '192.0.2.2']);
    expect((await dns.resolve('loop.example.com', 'A')).rcode).toBe('SERVFAIL');
  });

  it('asks again over TCP when the UDP answer is truncated, and takes a huge TXT record that way', async () => {
    const dns = client();
    server.queries.length = 0;
    const huge = await dns.resolve('huge.example.com', 'TXT');
    expect(huge.rcode).toBe('NOERROR');
    expect(huge.answers[0]?.join('')).toBe(HUGE.join(''));
    expect(server.queries.map((q) => q.transport)).toEqual(['udp', 'tcp']);

    // Past 64 KiB nothing can carry the answer, not even TCP: an error, and SPF's temperror.
    expect(await dns.resolve('monster.example.com', 'TXT')).toMatchObject({
      rcode: 'ERROR',
      error: 'the answer was truncated over TCP too',
    });
    expect(
      await checkHost('192.0.2.1', 'monster.example.com', 'a@monster.example.com', 'h', dns),
    ).toMatchObject({
      result: 'temperror',
    });

    server.options.truncateUdp = true;
    try {
      expect((await dns.resolve('example.com', 'A')).answers).toEqual(['192.0.2.1', '192.0.2.2']);
    } finally {
      server.options.truncateUdp = false;
    }
  });

  it('turns silence, garbage, cut answers, wrong ids and mismatched questions into TIMEOUT or ERROR', async () => {
    const dns = client({ timeoutMs: 150 });
    const started = Date.now();
    const [slow, garbage, cut, wrongId, other, tcpCut] = await Promise.all(
      ['slow', 'garbage', 'cut', 'wrongid', 'other', 'tcpcut'].map((n) =>
        dns.resolve(`${n}.example.com`, 'A'),
      ),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(slow).toEqual({ rcode: 'TIMEOUT', answers: [] });
    expect(garbage).toMatchObject({ rcode: 'ERROR', error: expect.stringMatching(/^malformed response/) });
    expect(cut).toMatchObject({ rcode: 'ERROR', error: expect.stringMatching(/^malformed response/) });
    expect(wrongId).toEqual({ rcode: 'TIMEOUT', answers: [] });
    expect(other).toMatchObject({ rcode: 'ERROR', error: 'the response is for another question' });
    // Cut inside a character-string, the message still decodes, to a shorter string: refused all the same.
    expect(await dns.resolve('cuttxt.example.com', 'TXT')).toMatchObject({
      rcode: 'ERROR',
      error: 'malformed response: the message ends inside its last record',
    });
    expect(tcpCut).toMatchObject({
      rcode: 'ERROR',
      error: 'the TCP connection closed before a full response',
    });
  });

  it('advertises EDNS(0), so a 700-byte answer comes over UDP in one exchange', async () => {
    server.queries.length = 0;
    const r = await client().resolve('medium.example.com', 'TXT');
    expect(r.answers[0]?.join('')).toBe(MEDIUM.join(''));
    expect(server.queries).toEqual([
      { name: 'medium.example.com', type: 'TXT', transport: 'udp', edns: true },
    ]);
  });

  it('asks again without EDNS when a server answers FORMERR or NOTIMP to the OPT record, then over TCP on TC', async () => {
    server.queries.length = 0;
    expect(await client().resolve('www.old.example.net', 'A')).toEqual({
      rcode: 'NOERROR',
      answers: ['192.0.2.11'],
      ttl: 300,
    });
    expect(server.queries.map((q) => `${q.transport} ${q.edns ? 'edns' : 'plain'}`)).toEqual([
      'udp edns',
      'udp plain',
    ]);

    server.queries.length = 0;
    const medium = await client().resolve('old.example.net', 'TXT');
    expect(medium.answers[0]?.join('')).toBe(MEDIUM.join(''));
    expect(server.queries.map((q) => `${q.transport} ${q.edns ? 'edns' : 'plain'}`)).toEqual([
      'udp edns',
      'udp plain',
      'tcp plain',
    ]);

    server.queries.length = 0;
    expect((await client().resolve('notimp.example.net', 'A')).answers).toEqual(['192.0.2.12']);
    expect(server.queries.map((q) => q.edns)).toEqual([true, false]);
  });

  it('sends plain queries when EDNS is off, and a FORMERR to a plain query is an answer, not a retry', async () => {
    const plain = createDnsClient({
      servers: [{ host: server.host, port: server.port }],
      timeoutMs: 300,
      retries: 0,
      edns: false,
    });
    server.queries.length = 0;
    expect((await plain.resolve('example.com', 'A')).answers).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(server.queries.map((q) => q.edns)).toEqual([false]);

    server.queries.length = 0;
    expect(await client().resolve('sick.example.com', 'A')).toMatchObject({ rcode: 'SERVFAIL' });
    expect(server.queries).toHaveLength(1);
  });

  it('refuses names that cannot be put in a query, without asking', async () => {
    server.queries.length = 0;
    expect(await client().resolve(`${'a'.repeat(64)}.example.com`, 'A')).toMatchObject({ rcode: 'ERROR' });
    expect(await client().resolve('a..example.com', 'A')).toMatchObject({ rcode: 'ERROR' });
    expect(server.queries).toEqual([]);
  });

  it('retries, and moves on to the next server when one does not answer', async () => {
    const silent = await startDnsServer({ zone: { 'example.com': ['TIMEOUT'] } });
    try {
      const dns = createDnsClient({
        servers: [
          { host: silent.host, port: silent.port },
          { host: server.host, port: server.port },
        ],
        timeoutMs: 100,
        retries: 1,
      });
      expect((await dns.resolve('example.com', 'A')).answers).toEqual(['192.0.2.1', '192.0.2.2']);
      const alone = createDnsClient({
        servers: [{ host: silent.host, port: silent.port }],
        timeoutMs: 50,
        retries: 2,
      });
      silent.queries.length = 0;
      expect((await alone.resolve('example.com', 'A')).rcode).toBe('TIMEOUT');
      expect(silent.queries).toHaveLength(3);
    } finally {
      await silent.close();
    }
  });

  it('answers hundreds of concurrent queries over the sockets it shares, each with its own answer', async () => {
    const dns = client({ timeoutMs: 2000 });
    const names = Array.from({ length: 250 }, (_, i) =>
      i % 3 === 0 ? 'example.com' : i % 3 === 1 ? 'www.old.example.net' : `nowhere${i}.example.com`,
    );
    const answers = await Promise.all(names.map((n) => dns.resolve(n, 'A')));
    answers.forEach((r, i) =>
      expect(r).toMatchObject(
        i % 3 === 0
          ? { rcode: 'NOERROR', answers: ['192.0.2.1', '192.0.2.2'] }
          : i % 3 === 1
            ? { rcode: 'NOERROR', answers: ['192.0.2.11'] }
            : { rcode: 'NXDOMAIN', answers: [] },
      ),
    );
  });

  it('serves repeated lookups from the cache within the TTL', async () => {
    const cached = createCachingResolver(client());
    server.queries.length = 0;
    for (let i = 0; i < 3; i++) await cached.resolve('example.com', 'MX');
    expect(server.queries).toHaveLength(1);
  });

  it('evaluates SPF over the wire, through a CNAME to the record', async () => {
    expect(
      await checkHost('192.0.2.77', 'www.example.com', 'a@www.example.com', 'h', client()),
    ).toMatchObject({
      result: 'pass',
      mechanism: 'ip4:192.0.2.0/24',
    });
    expect(await checkHost('198.51.100.1', 'example.com', 'a@example.com', 'h', client())).toMatchObject({
      result: 'fail',
      mechanism: '-all',
    });
  });
});

// The whole conformance suite through the real client and server. Every case can be expressed on the wire: names
// with spaces, "%" or ":" travel as raw label bytes, non-ASCII TXT as the bytes the YAML escapes stand for, TIMEOUT
// as silence (hence the short client timeout), and the CNAME loop as the server's SERVFAIL. Only names that cannot
// be put in a query (labels over 63 octets) never reach the server, as they never would reach a real one.
describe.runIf(hasConformance)('RFC 7208 test suite over the wire', () => {
  const scenarios = hasConformance
    ? parseSuite(fs.readFileSync(conformanceFile('spf', 'rfc7208-tests.yml'), 'utf8'))
    : [];

  it.each(scenarios.map((s) => ({ ...s, count: s.cases.length })))(
    '$description ($count cases)',
    async ({ zonedata, cases }) => {
      const wire = await startDnsServer({ zone: zonedata });
      try {
        const dns = createDnsClient({
          servers: [{ host: wire.host, port: wire.port }],
          timeoutMs: 100,
          retries: 0,
        });
        const outcomes = await Promise.all(cases.map((c) => runSuiteCase(c, dns)));
        const failed = outcomes.filter((o) => !o.passed).map((o) => `${o.case.name}: ${o.reason}`);
        expect(failed).toEqual([]);
        expect(wire.queries.length).toBeGreaterThan(0);
      } finally {
        await wire.close();
      }
    },
  );
});
