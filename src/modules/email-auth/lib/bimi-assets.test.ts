import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../../../../test/support/https-server.ts';
import { checkBimiEvidence, checkBimiSvg } from './bimi-assets.ts';

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('checkBimiSvg', () => {
  it('takes an SVG Tiny PS logo', () => {
    const r = checkBimiSvg(
      '\uFEFF<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
        "version='1.2' baseProfile='tiny-ps' viewBox=\"0 0 64 64\"><title>Example</title>" +
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="64" height="64"/><use xlink:href="#g"/></svg>',
    );
    expect(r).toEqual({
      svg: { svg: true, baseProfile: 'tiny-ps', version: '1.2', title: 'Example', tinyPs: true },
      findings: [],
    });
  });

  it('names what keeps a logo from being SVG Tiny PS', () => {
    const r = checkBimiSvg(
      '<!DOCTYPE svg [<!ENTITY x "y">]><svg version="1.1" x="0" viewBox="0 0 200 100" onload="go()">' +
        '<script>alert(1)</script><image href="https://tracker.example/p.png"/><animate/><a href="javascript:x()"/></svg>',
    );
    expect(codes(r)).toEqual([
      'bimi-svg-entity',
      'bimi-svg-profile',
      'bimi-svg-version',
      'bimi-svg-root-position',
      'bimi-svg-title',
      'bimi-svg-script',
      'bimi-svg-forbidden-element',
      'bimi-svg-external-reference',
      'bimi-svg-not-square',
    ]);
    expect(r.svg.tinyPs).toBe(false);
    expect(r.findings.find((f) => f.code === 'bimi-svg-forbidden-element')?.message).toBe(
      'SVG Tiny PS does not allow <image>, <animate>, <a>',
    );
  });

  it('refuses what is not SVG at all', () => {
    expect(codes(checkBimiSvg('\x89PNG\r\n'))).toEqual(['bimi-svg-not-svg']);
    expect(codes(checkBimiSvg('<html><body><svg/></body></html>'))).toEqual(['bimi-svg-not-svg']);
  });
});

describe('checkBimiEvidence', () => {
  let ca: TestCa;
  let mark: string;
  let plain: string;
  beforeAll(() => {
    ca = createTestCa();
    mark = ca.issue(
      ['example.com', 'www.example.com'],
      ['extendedKeyUsage=1.3.6.1.5.5.7.3.31', '1.3.6.1.5.5.7.1.12=DER:3000'],
    ).cert;
    plain = ca.issue(['other.example']).cert;
  });
  afterAll(() => ca.dispose());

  it('reads a mark certificate in force that names the domain', () => {
    const r = checkBimiEvidence(`${mark}${ca.cert}`, ['example.com'], new Date());
    expect(r.findings).toEqual([]);
    expect(r.evidence).toMatchObject({
      certificates: 2,
      names: ['example.com', 'www.example.com'],
      bimiUsage: true,
      logotype: true,
    });
  });

  it('reports expiry, a future start, another domain, and a certificate that is no mark certificate', () => {
    const later = new Date(Date.now() + 5 * 86400_000);
    const earlier = new Date(Date.now() - 5 * 86400_000);
    expect(codes(checkBimiEvidence(mark, ['example.com'], later))).toEqual(['bimi-evidence-expired']);
    expect(codes(checkBimiEvidence(mark, ['example.com'], earlier))).toEqual(['bimi-evidence-not-yet-valid']);
    expect(codes(checkBimiEvidence(plain, ['example.com'], new Date()))).toEqual([
      'bimi-evidence-domain',
      'bimi-evidence-not-mark',
      'bimi-evidence-no-logotype',
    ]);
    expect(codes(checkBimiEvidence('<html>', ['example.com'], new Date()))).toEqual([
      'bimi-evidence-not-pem',
    ]);
    expect(
      codes(
        checkBimiEvidence(
          '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
          ['example.com'],
          new Date(),
        ),
      ),
    ).toEqual(['bimi-evidence-invalid']);
  });
});
