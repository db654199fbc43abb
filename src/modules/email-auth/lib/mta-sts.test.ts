import { describe, expect, it } from 'vitest';
import { isMxPattern, mxMatches, parseMtaStsPolicy, parseMtaStsTxt, selectMtaStsTxt } from './mta-sts.ts';

const txtCodes = (text: string) => parseMtaStsTxt(text).findings.map((f) => `${f.code}:${f.severity}`);
const policyCodes = (text: string) => parseMtaStsPolicy(text).findings.map((f) => `${f.code}:${f.severity}`);
const policy = (lines: string[]) => lines.join('\r\n') + '\r\n';

describe('MTA-STS TXT record', () => {
  it('selects exactly one record', () => {
    expect(selectMtaStsTxt([['v=STSv1; ', 'id=20240101'], ['x']])).toEqual({
      text: 'v=STSv1; id=20240101',
      findings: [],
    });
    expect(selectMtaStsTxt([]).findings.map((f) => f.code)).toEqual(['mta-sts-txt-missing']);
    expect(selectMtaStsTxt([['v=STSv1; id=1'], ['v=STSv1; id=2']]).findings.map((f) => f.code)).toEqual([
      'mta-sts-txt-multiple',
    ]);
  });

  it('reads the id and ignores extension fields', () => {
    expect(parseMtaStsTxt('v=STSv1; id=20240101T000000')).toEqual({
      record: { text: 'v=STSv1; id=20240101T000000', id: '20240101T000000' },
      findings: [],
    });
    expect(txtCodes('v=STSv1; id=abc; ext=1')).toEqual(['mta-sts-txt-unknown-field:info']);
  });

  it('refuses bad versions and ids', () => {
    expect(txtCodes('id=1; v=STSv1')).toEqual(['mta-sts-txt-version:error']);
    expect(txtCodes('v=STSv2; id=1')).toEqual(['mta-sts-txt-version:error']);
    expect(txtCodes('v=STSv1')).toEqual(['mta-sts-txt-id-missing:error']);
    expect(txtCodes('v=STSv1; id=2024-01-01')).toEqual(['mta-sts-txt-id-invalid:error']);
    expect(txtCodes(`v=STSv1; id=${'a'.repeat(33)}`)).toEqual(['mta-sts-txt-id-invalid:error']);
    expect(parseMtaStsTxt('v=STSv1; id=').record).toBeNull();
  });
});

describe('MTA-STS policy file', () => {
  it('reads an enforce policy with several mx lines, LF or CRLF', () => {
    const text = policy([
      'version: STSv1',
      'mode: enforce',
      'mx: mail.example.com',
      'mx: *.example.net',
      'max_age: 604800',
    ]);
    expect(parseMtaStsPolicy(text)).toEqual({
      policy: { mode: 'enforce', mx: ['mail.example.com', '*.example.net'], maxAge: 604800 },
      findings: [],
    });
    expect(parseMtaStsPolicy(text.replaceAll('\r\n', '\n')).policy?.mode).toBe('enforce');
  });

  it('grades modes and short max_age', () => {
    const base = ['version: STSv1', 'mx: mail.example.com'];
    expect(policyCodes(policy([...base, 'mode: testing', 'max_age: 86400']))).toEqual([
      'mta-sts-mode-testing:info',
    ]);
    expect(policyCodes(policy(['version: STSv1', 'mode: none', 'max_age: 86400']))).toEqual([
      'mta-sts-mode-none:warning',
    ]);
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: none', 'max_age: 86400'])).policy).toEqual({
      mode: 'none',
      mx: [],
      maxAge: 86400,
    });
    expect(policyCodes(policy([...base, 'mode: enforce', 'max_age: 300']))).toEqual([
      'mta-sts-max-age-short:warning',
    ]);
    expect(parseMtaStsPolicy(policy([...base, 'mode: enforce', 'max_age: 31557600'])).policy?.maxAge).toBe(
      31557600,
    );
  });

  it('refuses missing and bad fields', () => {
    const cases: [string[], string][] = [
      [['mode: enforce', 'mx: a.example', 'max_age: 86400'], 'mta-sts-policy-version'],
      [['version: STSv2', 'mode: enforce', 'mx: a.example', 'max_age: 86400'], 'mta-sts-policy-version'],
      [['version: STSv1', 'mx: a.example', 'max_age: 86400'], 'mta-sts-policy-mode'],
      [['version: STSv1', 'mode: strict', 'mx: a.example', 'max_age: 86400'], 'mta-sts-policy-mode'],
      [['version: STSv1', 'mode: enforce', 'mx: a.example'], 'mta-sts-policy-max-age'],
      [['version: STSv1', 'mode: enforce', 'mx: a.example', 'max_age: 31557601'], 'mta-sts-policy-max-age'],
      [['version: STSv1', 'mode: enforce', 'mx: a.example', 'max_age: -1'], 'mta-sts-policy-max-age'],
      [['version: STSv1', 'mode: enforce', 'max_age: 86400'], 'mta-sts-mx-missing'],
    ];
    for (const [lines, code] of cases) {
      const r = parseMtaStsPolicy(policy(lines));
      expect(r.policy).toBeNull();
      expect(r.findings.map((f) => `${f.code}:${f.severity}`)).toEqual([`${code}:error`]);
    }
  });

  it('reports bad mx patterns, syntax, duplicates and unknown fields', () => {
    const base = ['version: STSv1', 'mode: enforce', 'max_age: 86400'];
    const r = parseMtaStsPolicy(policy([...base, 'mx: mail.example.com', 'mx: mail.*.example.com']));
    expect(r.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['mta-sts-mx-invalid:error']);
    expect(r.policy?.mx).toEqual(['mail.example.com']);
    expect(policyCodes(policy([...base, 'mx: a.example', 'garbage']))).toEqual([
      'mta-sts-policy-syntax:error',
    ]);
    expect(policyCodes(policy([...base, 'mx: a.example', 'mode: testing']))).toEqual([
      'mta-sts-policy-duplicate:warning',
    ]);
    expect(policyCodes(policy([...base, 'mx: a.example', 'ext: 1']))).toEqual([
      'mta-sts-policy-unknown-field:info',
    ]);
  });
});

describe('MX patterns', () => {
  it('validates patterns', () => {
    expect(isMxPattern('mail.example.com')).toBe(true);
    expect(isMxPattern('*.example.com')).toBe(true);
    expect(isMxPattern('*')).toBe(false);
    expect(isMxPattern('a.*.example.com')).toBe(false);
    expect(isMxPattern('localhost')).toBe(false);
    expect(isMxPattern('-bad.example.com')).toBe(false);
  });

  it('matches one leftmost label for a wildcard', () => {
    expect(mxMatches('mail.example.com', 'MAIL.example.com.')).toBe(true);
    expect(mxMatches('*.example.com', 'mx1.example.com')).toBe(true);
    expect(mxMatches('*.example.com', 'a.mx1.example.com')).toBe(false);
    expect(mxMatches('*.example.com', 'example.com')).toBe(false);
    expect(mxMatches('mail.example.com', 'mx.example.com')).toBe(false);
  });
});
