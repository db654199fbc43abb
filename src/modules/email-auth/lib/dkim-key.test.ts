import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDkimKey } from './dkim-key.ts';

const rsa = (bits: number, type: 'spki' | 'pkcs1' = 'spki'): string =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ format: 'der', type })
    .toString('base64');

const RSA2048 = rsa(2048);
const RSA1024 = rsa(1024);
const RSA512 = rsa(512);
const ED25519_SPKI = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
/** RFC 8463 publishes the bare 32 bytes: the end of the SubjectPublicKeyInfo. */
const ED25519 = ED25519_SPKI.subarray(-32).toString('base64');

const codes = (text: string) => parseDkimKey(text).findings.map((f) => `${f.code}:${f.severity}`);

describe('DKIM key records', () => {
  it('reads a 2048-bit RSA key without findings, with defaults', () => {
    const r = parseDkimKey(`v=DKIM1; k=rsa; p=${RSA2048}`);
    expect(r.findings).toEqual([]);
    expect(r.key).toMatchObject({
      keyType: 'rsa',
      bits: 2048,
      revoked: false,
      testing: false,
      strictIdentity: false,
      serviceTypes: ['*'],
    });
    expect(parseDkimKey(`p=${RSA2048}`).key?.keyType).toBe('rsa');
  });

  it('accepts keys split by whitespace, and bare RSAPublicKey data', () => {
    const split = RSA2048.match(/.{1,200}/g)!.join(' ');
    expect(parseDkimKey(`v=DKIM1; p=${split}`).key?.bits).toBe(2048);
    expect(parseDkimKey(`v=DKIM1; p=${rsa(2048, 'pkcs1')}`).key?.bits).toBe(2048);
  });

  it('grades RSA key sizes', () => {
    expect(codes(`v=DKIM1; p=${RSA1024}`)).toEqual(['dkim-key-short:warning']);
    expect(codes(`v=DKIM1; p=${RSA512}`)).toEqual(['dkim-key-too-short:error']);
    expect(parseDkimKey(`v=DKIM1; p=${RSA512}`).key?.bits).toBe(512);
  });

  it('accepts ed25519 keys of 32 bytes only', () => {
    expect(codes(`v=DKIM1; k=ed25519; p=${ED25519}`)).toEqual([]);
    expect(parseDkimKey(`v=DKIM1; k=ed25519; p=${ED25519}`).key?.keyType).toBe('ed25519');
    expect(codes(`v=DKIM1; k=ed25519; p=${ED25519_SPKI.toString('base64')}`)).toEqual([
      'dkim-key-invalid:error',
    ]);
  });

  it('reports revoked keys and testing mode', () => {
    const revoked = parseDkimKey('v=DKIM1; k=rsa; p=');
    expect(revoked.key?.revoked).toBe(true);
    expect(revoked.findings.map((f) => f.code)).toEqual(['dkim-revoked']);
    const testing = parseDkimKey(`v=DKIM1; t=y:s; p=${RSA2048}`);
    expect(testing.key).toMatchObject({ testing: true, strictIdentity: true });
    expect(testing.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['dkim-testing:warning']);
    expect(codes(`v=DKIM1; t=s:x; p=${RSA2048}`)).toEqual(['dkim-unknown-flag:info']);
  });

  it('checks h=, s= and unknown tags', () => {
    expect(parseDkimKey(`v=DKIM1; h=sha1:sha256; p=${RSA2048}`).key?.hashAlgorithms).toEqual([
      'sha1',
      'sha256',
    ]);
    expect(codes(`v=DKIM1; h=sha1; p=${RSA2048}`)).toEqual(['dkim-hash-weak:warning']);
    expect(codes(`v=DKIM1; s=email; p=${RSA2048}`)).toEqual([]);
    expect(codes(`v=DKIM1; s=tlsrpt; p=${RSA2048}`)).toEqual(['dkim-service-type:error']);
    expect(codes(`v=DKIM1; n=notes; g=*; p=${RSA2048}`)).toEqual(['dkim-unknown-tag:info']);
  });

  it('refuses unusable records', () => {
    for (const [text, code] of [
      [`k=rsa; v=DKIM1; p=${RSA2048}`, 'dkim-version'],
      [`v=DKIM2; p=${RSA2048}`, 'dkim-version'],
      [`v=DKIM1; k=dsa; p=${RSA2048}`, 'dkim-key-type'],
      ['v=DKIM1; k=rsa', 'dkim-p-missing'],
    ] as const) {
      const r = parseDkimKey(text);
      expect(r.key).toBeNull();
      expect(r.findings.map((f) => `${f.code}:${f.severity}`)).toEqual([`${code}:error`]);
    }
  });

  it('reports keys that do not decode', () => {
    expect(codes('v=DKIM1; p=not*base64')).toEqual(['dkim-key-invalid:error']);
    expect(codes('v=DKIM1; p=abc')).toEqual(['dkim-key-invalid:error']);
    expect(codes('v=DKIM1; p=AAAA')).toEqual(['dkim-key-invalid:error']);
    expect(codes(`v=DKIM1; k=rsa; p=${ED25519_SPKI.toString('base64')}`)).toEqual([
      'dkim-key-mismatch:error',
    ]);
  });
});
