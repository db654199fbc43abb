import { describe, expect, it } from 'vitest';
import { parseBimiRecord } from './bimi.ts';

const codes = (text: string) => parseBimiRecord(text).findings.map((f) => `${f.code}:${f.severity}`);

describe('BIMI records', () => {
  it('reads a logo and evidence document', () => {
    expect(parseBimiRecord('v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem')).toEqual(
      {
        record: {
          text: 'v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem',
          logo: 'https://example.com/logo.svg',
          evidence: 'https://example.com/vmc.pem',
          declined: false,
        },
        findings: [],
      },
    );
  });

  it('recognises a declination', () => {
    const r = parseBimiRecord('v=BIMI1; l=; a=;');
    expect(r.record?.declined).toBe(true);
    expect(r.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['bimi-declined:info']);
  });

  it('warns without evidence, or when the logo is not SVG', () => {
    expect(codes('v=BIMI1; l=https://example.com/logo.svg')).toEqual(['bimi-evidence-missing:warning']);
    expect(codes('v=BIMI1; l=https://example.com/logo.png; a=https://example.com/v.pem')).toEqual([
      'bimi-logo-not-svg:warning',
    ]);
  });

  it('refuses missing, http and invalid URLs', () => {
    expect(codes('v=BIMI1; a=https://example.com/v.pem')).toEqual(['bimi-logo-missing:error']);
    expect(codes('v=BIMI1; l=; a=https://example.com/v.pem')).toEqual(['bimi-logo-missing:error']);
    expect(codes('v=BIMI1; l=http://example.com/logo.svg; a=http://example.com/v.pem')).toEqual([
      'bimi-logo-http:error',
      'bimi-evidence-http:error',
    ]);
    expect(codes('v=BIMI1; l=logo.svg; a=ftp://example.com/v.pem')).toEqual([
      'bimi-logo-invalid:error',
      'bimi-evidence-invalid:error',
    ]);
  });

  it('refuses other versions and notes unknown tags', () => {
    expect(parseBimiRecord('v=BIMI2; l=https://example.com/l.svg').record).toBeNull();
    expect(codes('l=https://example.com/l.svg; v=BIMI1')).toEqual(['bimi-version:error']);
    expect(codes('v=BIMI1; l=https://example.com/l.svg; a=https://example.com/v.pem; z=1')).toEqual([
      'bimi-unknown-tag:info',
    ]);
  });
});
