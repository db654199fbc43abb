import { describe, expect, it } from 'vitest';
import { parseTlsRptRecord, selectTlsRptRecord } from './tlsrpt.ts';

const codes = (text: string) => parseTlsRptRecord(text).findings.map((f) => `${f.code}:${f.severity}`);

describe('TLS-RPT records', () => {
  it('selects exactly one record', () => {
    expect(selectTlsRptRecord([['v=TLSRPTv1;', 'rua=mailto:t@example.com'], ['x']]).text).toBe(
      'v=TLSRPTv1;rua=mailto:t@example.com',
    );
    expect(selectTlsRptRecord([]).findings.map((f) => `${f.code}:${f.severity}`)).toEqual([
      'tlsrpt-missing:info',
    ]);
    expect(
      selectTlsRptRecord([
        ['v=TLSRPTv1; rua=mailto:a@example.com'],
        ['v=TLSRPTv1; rua=mailto:b@example.com'],
      ]).findings.map((f) => f.code),
    ).toEqual(['tlsrpt-multiple']);
  });

  it('reads mailto and https destinations', () => {
    expect(
      parseTlsRptRecord('v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.com/tls'),
    ).toEqual({
      record: {
        text: 'v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.com/tls',
        rua: ['mailto:tls@example.com', 'https://reports.example.com/tls'],
      },
      findings: [],
    });
    expect(codes('v=TLSRPTv1; rua=mailto:tls@example.com; ext=1')).toEqual(['tlsrpt-unknown-field:info']);
  });

  it('refuses bad records and destinations', () => {
    expect(codes('rua=mailto:a@example.com; v=TLSRPTv1')).toEqual(['tlsrpt-version:error']);
    expect(codes('v=TLSRPTv1')).toEqual(['tlsrpt-rua-missing:error']);
    expect(codes('v=TLSRPTv1; rua=http://example.com/r')).toEqual([
      'tlsrpt-rua-http:error',
      'tlsrpt-rua-none:error',
    ]);
    expect(codes('v=TLSRPTv1; rua=ftp://example.com/r')).toEqual([
      'tlsrpt-rua-invalid:error',
      'tlsrpt-rua-none:error',
    ]);
    expect(codes('v=TLSRPTv1; rua=mailto:nobody,https://r.example/x')).toEqual(['tlsrpt-rua-invalid:error']);
    expect(parseTlsRptRecord('v=TLSRPTv1; rua=mailto:nobody,https://r.example/x').record?.rua).toEqual([
      'https://r.example/x',
    ]);
  });
});
