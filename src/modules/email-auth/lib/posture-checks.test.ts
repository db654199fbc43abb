import { describe, expect, it } from 'vitest';
import type { DnsResponse } from './dns.ts';
import type { FetchOutcome } from './fetch.ts';
import {
  assessDmarc,
  assessMtaSts,
  chooseSpfProbe,
  dmarcFallbackDomain,
  locateDmarc,
  normalizeDomain,
  parseSourceAddress,
} from './posture-checks.ts';
import type { SpfFlattening } from './spf/flatten.ts';

const txt = (...records: string[]): DnsResponse<'TXT'> => ({
  rcode: 'NOERROR',
  answers: records.map((r) => [r]),
});
const NX: DnsResponse<'TXT'> = { rcode: 'NXDOMAIN', answers: [] };
const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

describe('normalizeDomain', () => {
  it.each([
    ['Example.COM.', 'example.com'],
    [' mail.example.co.jp ', 'mail.example.co.jp'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('%j is %j', (text, domain) => expect(normalizeDomain(text)).toBe(domain));
  it.each([
    'localhost',
    'a..example',
    'exa mple.com',
    '192.0.2.1',
    '-a.example',
    '_dmarc.example.com',
    'a@b.example',
    '',
  ])('refuses %j', (text) => expect(normalizeDomain(text)).toBeNull());
});

describe('SPF probe and sources', () => {
  const flattening = (cidrs: string[]) =>
    ({
      ranges: cidrs.map((cidr) => ({ cidr, qualifier: '+', domain: 'd', term: 't', path: [] })),
    }) as unknown as SpfFlattening;
  it('picks a documentation address no listed range covers, "all" aside', () => {
    expect(chooseSpfProbe(null)).toBe('192.0.2.254');
    expect(chooseSpfProbe(flattening(['0.0.0.0/0', '192.0.2.0/24']))).toBe('198.51.100.254');
    expect(chooseSpfProbe(flattening(['192.0.0.0/2']))).toBe('192.0.2.254');
  });
  it('reads expected sources as an address or a range', () => {
    expect(parseSourceAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(parseSourceAddress('2001:db8::/32')).toBe('2001:db8::');
    expect(parseSourceAddress('192.0.2.0/33')).toBeNull();
    expect(parseSourceAddress('mail.example.com')).toBeNull();
  });
});

describe('DMARC discovery', () => {
  it('falls back to the organisational domain only when the domain has no record', () => {
    expect(dmarcFallbackDomain('a.b.example.com', NX)).toBe('example.com');
    expect(dmarcFallbackDomain('a.example.com', txt('v=DMARC1; p=none'))).toBeNull();
    expect(dmarcFallbackDomain('example.com', NX)).toBeNull();
    expect(dmarcFallbackDomain('a.example.com', { rcode: 'SERVFAIL', answers: [] })).toBeNull();
  });

  it('applies the organisational record’s sp= to a subdomain, and checks its external destinations', () => {
    const located = locateDmarc('news.example.com', NX, {
      domain: 'example.com',
      txt: txt('v=DMARC1; p=reject; sp=quarantine; rua=mailto:a@example.com,mailto:b@reports.example.net'),
    });
    expect(located).toMatchObject({ recordDomain: 'example.com', inherited: true });
    expect(located.authorisations).toEqual([
      {
        uri: 'mailto:b@reports.example.net',
        destinationDomain: 'reports.example.net',
        name: 'example.com._report._dmarc.reports.example.net',
      },
    ]);
    const section = assessDmarc(
      'news.example.com',
      'sends',
      located,
      new Map([['example.com._report._dmarc.reports.example.net', txt('v=DMARC1;')]]),
    );
    expect(section.policy).toMatchObject({ p: 'reject', sp: 'quarantine', effective: 'quarantine' });
    expect(section.rua.map((d) => [d.domain, d.external, d.authorised])).toEqual([
      ['example.com', false, null],
      ['reports.example.net', true, true],
    ]);
    expect(codes(section.findings)).toEqual(['dmarc-inherited', 'dmarc-sp-weaker']);
  });

  it('stops at several records, at a failed lookup, and says where none was found', () => {
    const several = locateDmarc('a.example.com', txt('v=DMARC1; p=none', 'v=DMARC1; p=reject'), null);
    expect(codes(several.findings)).toEqual(['dmarc-multiple']);
    const failed = locateDmarc('a.example.com', NX, {
      domain: 'example.com',
      txt: { rcode: 'TIMEOUT', answers: [] },
    });
    expect(codes(failed.findings)).toEqual(['dmarc-temperror']);
    const none = locateDmarc('a.example.com', NX, { domain: 'example.com', txt: NX });
    expect(none.findings).toEqual([
      {
        code: 'dmarc-missing',
        severity: 'error',
        message: 'no DMARC record is published at _dmarc.a.example.com or _dmarc.example.com',
      },
    ]);
    // A parked domain's own check says it better.
    expect(assessDmarc('a.example.com', 'parked', none, new Map()).findings).toEqual([]);
  });
});

describe('MTA-STS assessment', () => {
  const record = txt('v=STSv1; id=1');
  const mx: DnsResponse<'MX'> = {
    rcode: 'NOERROR',
    answers: [
      { preference: 10, exchange: 'mx1.example.com' },
      { preference: 20, exchange: 'backup.other.net' },
    ],
  };
  const served = (body: string, contentType = 'text/plain; charset=utf-8'): FetchOutcome => ({
    ok: true,
    url: 'https://mta-sts.example.com/.well-known/mta-sts.txt',
    status: 200,
    contentType,
    body: Buffer.from(body),
  });
  const policy = (mode: string) => `version: STSv1\nmode: ${mode}\nmx: *.example.com\nmax_age: 86400\n`;

  it('checks each MX host against the patterns: an error under enforce, a warning under testing', () => {
    const enforce = assessMtaSts({
      domain: 'example.com',
      txt: record,
      fetch: served(policy('enforce')),
      mx,
    });
    expect(enforce.mxHosts).toEqual([
      { host: 'mx1.example.com', matched: true },
      { host: 'backup.other.net', matched: false },
    ]);
    expect(enforce.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['error mta-sts-mx-unmatched']);
    const testing = assessMtaSts({
      domain: 'example.com',
      txt: record,
      fetch: served(policy('testing')),
      mx,
    });
    expect(testing.findings.map((f) => `${f.severity} ${f.code}`)).toEqual([
      'info mta-sts-mode-testing',
      'warning mta-sts-mx-unmatched',
    ]);
  });

  it('refuses a policy served as anything but text/plain, or not served', () => {
    const html = assessMtaSts({
      domain: 'example.com',
      txt: record,
      fetch: served(policy('enforce'), 'text/html'),
      mx,
    });
    expect(codes(html.findings)).toEqual(['mta-sts-policy-content-type']);
    expect(html.policy).toBeNull();
    const gone = assessMtaSts({
      domain: 'example.com',
      txt: record,
      fetch: {
        ok: false,
        url: 'https://mta-sts.example.com/.well-known/mta-sts.txt',
        failure: 'status',
        message: 'HTTP status 404',
        status: 404,
      },
      mx,
    });
    expect(gone.findings).toEqual([
      {
        code: 'mta-sts-policy-status',
        severity: 'error',
        message: 'the policy at https://mta-sts.example.com/.well-known/mta-sts.txt: HTTP status 404',
      },
    ]);
    expect(gone.fetch).toMatchObject({ status: 404, error: 'HTTP status 404' });
  });
});
