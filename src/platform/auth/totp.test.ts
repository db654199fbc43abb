import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, totpNow, totpUri } from './totp.ts';
import { secretBox, sha256Hex } from './secrets.ts';
import { randomBytes } from 'node:crypto';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const t = Date.UTC(2026, 10, 27, 12, 0, 15);

  it('matches the current step and one step of drift, not more', () => {
    const step = Math.floor(t / 30_000);
    expect(matchTotp(secret, totpNow(secret, t), t)).toBe(step);
    expect(matchTotp(secret, totpNow(secret, t - 30_000), t)).toBe(step - 1);
    expect(matchTotp(secret, totpNow(secret, t + 30_000), t)).toBe(step + 1);
    expect(matchTotp(secret, totpNow(secret, t - 120_000), t)).toBeNull();
  });

  it('refuses codes that are not six digits', () => {
    expect(matchTotp(secret, '12345', t)).toBeNull();
    expect(matchTotp(secret, 'abcdef', t)).toBeNull();
  });

  it('builds an otpauth URI for authenticator apps', () => {
    expect(totpUri(secret, 'a@example.com')).toMatch(/^otpauth:\/\/totp\/Mamori:a%40example\.com\?.*secret=/);
  });
});

describe('secretBox', () => {
  it('seals and opens, and refuses a tampered or foreign value', () => {
    const box = secretBox(randomBytes(32));
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => secretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('hashes tokens one way', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
