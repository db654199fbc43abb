import { describe, expect, it } from 'vitest';
import {
  externalReportAuthorizations,
  isDmarcRecord,
  organizationalDomain,
  parseDmarcRecord,
  parseDmarcUris,
  selectDmarcRecord,
  type DmarcRecord,
} from './dmarc.ts';

const codes = (text: string) => parseDmarcRecord(text).findings.map((f) => `${f.code}:${f.severity}`);

function parse(text: string): DmarcRecord {
  const r = parseDmarcRecord(text);
  if (!r.record) throw new Error(JSON.stringify(r.findings));
  return r.record;
}

describe('DMARC record selection', () => {
  it('recognises v=DMARC1 first, with whitespace around "="', () => {
    expect(isDmarcRecord('v=DMARC1; p=none')).toBe(true);
    expect(isDmarcRecord('v = DMARC1')).toBe(true);
    expect(isDmarcRecord('v=DMARC10; p=none')).toBe(false);
    expect(isDmarcRecord('p=none; v=DMARC1')).toBe(false);
  });

  it('takes exactly one record, joining character-strings', () => {
    expect(selectDmarcRecord([['v=DMARC1; ', 'p=reject'], ['other']])).toEqual({
      text: 'v=DMARC1; p=reject',
      findings: [],
    });
    const none = selectDmarcRecord([['other']]);
    expect(none.text).toBeNull();
    expect(none.findings.map((f) => f.code)).toEqual(['dmarc-missing']);
    const two = selectDmarcRecord([['v=DMARC1; p=none'], ['v=DMARC1; p=reject']]);
    expect(two.text).toBeNull();
    expect(two.findings.map((f) => f.code)).toEqual(['dmarc-multiple']);
  });

  it('points out a lower-case version, which receivers ignore', () => {
    const r = selectDmarcRecord([['v=dmarc1; p=reject']]);
    expect(r.text).toBeNull();
    expect(r.findings.map((f) => f.code)).toEqual(['dmarc-version-case', 'dmarc-missing']);
  });
});

describe('DMARC record parsing', () => {
  it('reads a full record and applies defaults', () => {
    const r = parse(
      'v=DMARC1; p=reject; sp=reject; np=reject; pct=100; adkim=s; aspf=r; rua=mailto:d@example.com!10m; ruf=mailto:f@example.com; fo=1:d; rf=afrf; ri=3600; t=n; psd=n',
    );
    expect(r).toMatchObject({
      p: 'reject',
      sp: 'reject',
      np: 'reject',
      pct: 100,
      adkim: 's',
      aspf: 'r',
      fo: ['1', 'd'],
      rf: ['afrf'],
      ri: 3600,
      testing: false,
      psd: 'n',
    });
    expect(r.rua).toEqual([
      {
        uri: 'mailto:d@example.com',
        scheme: 'mailto',
        address: 'd@example.com',
        domain: 'example.com',
        maxBytes: 10 * 1024 ** 2,
      },
    ]);
    expect(codes(r.text)).toEqual([]);
    expect(parse('v=DMARC1; p=reject')).toMatchObject({
      pct: 100,
      adkim: 'r',
      aspf: 'r',
      ri: 86400,
      fo: ['0'],
      rua: [],
    });
  });

  it('refuses text without a leading v=DMARC1', () => {
    expect(parseDmarcRecord('p=reject; v=DMARC1').record).toBeNull();
    expect(codes('p=reject; v=DMARC1')).toEqual(['dmarc-version:error']);
    expect(codes('v=DMARC2; p=reject')).toEqual(['dmarc-version:error']);
    expect(codes('')).toEqual(['dmarc-version:error']);
  });

  it('grades the policy', () => {
    expect(codes('v=DMARC1; p=none; rua=mailto:a@example.com')).toEqual(['dmarc-policy-none:warning']);
    expect(codes('v=DMARC1; p=quarantine; rua=mailto:a@example.com')).toEqual([
      'dmarc-policy-quarantine:info',
    ]);
    expect(codes('v=DMARC1; rua=mailto:a@example.com')).toEqual(['dmarc-p-missing:error']);
    expect(codes('v=DMARC1; p=block; rua=mailto:a@example.com')).toEqual(['dmarc-p-invalid:error']);
    expect(parse('v=DMARC1; p=REJECT').p).toBe('reject');
  });

  it('flags invalid and weaker subdomain policies', () => {
    expect(codes('v=DMARC1; p=reject; sp=x; np=y; rua=mailto:a@example.com')).toEqual([
      'dmarc-sp-invalid:error',
      'dmarc-np-invalid:error',
    ]);
    expect(codes('v=DMARC1; p=reject; sp=none; np=quarantine; rua=mailto:a@example.com')).toEqual([
      'dmarc-sp-weaker:warning',
      'dmarc-np-weaker:warning',
    ]);
  });

  it('warns about partial pct and refuses bad values', () => {
    expect(codes('v=DMARC1; p=reject; pct=50; rua=mailto:a@example.com')).toEqual([
      'dmarc-pct-partial:warning',
    ]);
    expect(parse('v=DMARC1; p=reject; pct=0').pct).toBe(0);
    for (const pct of ['101', '-1', '5.5', 'all', ''])
      expect(codes(`v=DMARC1; p=reject; pct=${pct}; rua=mailto:a@example.com`)).toEqual([
        'dmarc-pct-invalid:error',
      ]);
  });

  it('refuses bad values of the other tags', () => {
    const rua = 'rua=mailto:a@example.com';
    expect(codes(`v=DMARC1; p=reject; adkim=x; aspf=relaxed; ${rua}`)).toEqual([
      'dmarc-adkim-invalid:error',
      'dmarc-aspf-invalid:error',
    ]);
    expect(codes(`v=DMARC1; p=reject; fo=2; ruf=mailto:f@example.com; ${rua}`)).toEqual([
      'dmarc-fo-invalid:error',
    ]);
    expect(codes(`v=DMARC1; p=reject; fo=1; ${rua}`)).toEqual(['dmarc-fo-without-ruf:info']);
    expect(codes(`v=DMARC1; p=reject; rf=iodef; ${rua}`)).toEqual(['dmarc-rf-invalid:error']);
    expect(codes(`v=DMARC1; p=reject; ri=daily; ${rua}`)).toEqual(['dmarc-ri-invalid:error']);
    expect(codes(`v=DMARC1; p=reject; t=yes; ${rua}`)).toEqual(['dmarc-t-invalid:error']);
    expect(codes(`v=DMARC1; p=reject; psd=x; ${rua}`)).toEqual(['dmarc-psd-invalid:error']);
  });

  it('flags testing mode, unknown tags, missing rua and syntax problems', () => {
    const rua = 'rua=mailto:a@example.com';
    expect(parse(`v=DMARC1; p=reject; t=y; ${rua}`).testing).toBe(true);
    expect(codes(`v=DMARC1; p=reject; t=y; ${rua}`)).toEqual(['dmarc-testing:warning']);
    expect(codes(`v=DMARC1; p=reject; foo=bar; ${rua}`)).toEqual(['dmarc-unknown-tag:warning']);
    expect(codes('v=DMARC1; p=reject')).toEqual(['dmarc-no-rua:info']);
    expect(codes(`v=DMARC1; p=reject; p=none; ${rua}`)).toEqual(['dmarc-tag-duplicate:error']);
    expect(codes(`v=DMARC1; p=reject; garbage; ${rua}`)).toEqual(['dmarc-tag-syntax:error']);
  });
});

describe('DMARC report URIs', () => {
  it('reads several URIs with size limits', () => {
    const r = parseDmarcUris(
      'mailto:a@example.com!10k, mailto:b@Reports.Example.NET!2 ,mailto:c@example.org!1G',
    );
    expect(r.findings).toEqual([]);
    expect(r.uris.map((u) => [u.address, u.domain, u.maxBytes])).toEqual([
      ['a@example.com', 'example.com', 10240],
      ['b@Reports.Example.NET', 'reports.example.net', 2],
      ['c@example.org', 'example.org', 1024 ** 3],
    ]);
  });

  it('warns about other schemes and refuses bad addresses', () => {
    const codes = (v: string) => parseDmarcUris(v, 'ruf').findings.map((f) => `${f.code}:${f.severity}`);
    expect(codes('https://example.com/r')).toEqual(['dmarc-ruf-scheme:warning']);
    expect(codes('a@example.com')).toEqual(['dmarc-ruf-invalid:error']);
    expect(codes('mailto:nobody')).toEqual(['dmarc-ruf-invalid:error']);
    expect(codes('mailto:a@%E0%A4%A')).toEqual(['dmarc-ruf-invalid:error']);
    expect(codes('')).toEqual(['dmarc-ruf-empty:warning']);
    expect(parseDmarcUris('mailto:dmarc%2Breports@example.com').uris[0]!.address).toBe(
      'dmarc+reports@example.com',
    );
  });
});

describe('organisational domains and report authorisation', () => {
  it('takes the last two labels, or three under known multi-label suffixes', () => {
    expect(organizationalDomain('mail.example.com')).toBe('example.com');
    expect(organizationalDomain('Example.COM.')).toBe('example.com');
    expect(organizationalDomain('a.b.example.co.jp')).toBe('example.co.jp');
    expect(organizationalDomain('example.co.uk')).toBe('example.co.uk');
    expect(organizationalDomain('shop.example.com.au')).toBe('example.com.au');
    expect(organizationalDomain('x.example.com.sg')).toBe('example.com.sg');
    expect(organizationalDomain('co.jp')).toBe('co.jp');
    expect(organizationalDomain('localhost')).toBe('localhost');
  });

  it('lists external destinations with the names that must authorise them', () => {
    const { uris } = parseDmarcUris(
      'mailto:d@example.co.jp,mailto:x@sub.example.co.jp,mailto:r@rep.vendor.net,mailto:s@rep.vendor.net!5m,https://h.example/r',
    );
    expect(externalReportAuthorizations('Mail.Example.co.jp.', uris)).toEqual([
      {
        uri: 'mailto:r@rep.vendor.net',
        destinationDomain: 'rep.vendor.net',
        name: 'mail.example.co.jp._report._dmarc.rep.vendor.net',
      },
    ]);
    expect(externalReportAuthorizations('example.co.jp', [])).toEqual([]);
  });
});
