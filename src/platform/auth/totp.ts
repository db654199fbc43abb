// RFC 6238 TOTP (30 s steps, 6 digits, SHA-1: what authenticator apps expect) through otplib.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

export const newTotpSecret = (): string => generateSecret();

export const totpUri = (secret: string, account: string): string =>
  generateURI({ issuer: 'Mamori', label: account, secret });

export const totpNow = (secret: string, epochMs: number = Date.now()): string =>
  generateSync({ secret, epoch: Math.floor(epochMs / 1000) });

/** The time step a code matches (±1 step of clock drift), or null. The caller refuses a step already used. */
export function matchTotp(secret: string, code: string, epochMs: number = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(epochMs / 1000);
  const step = Math.floor(epoch / 30);
  for (const delta of [0, -1, 1]) {
    const at = (step + delta) * 30;
    const r = verifySync({ secret, token: code, epoch: at });
    if (r.valid) return step + delta;
  }
  return null;
}
