import { randomBytes } from 'node:crypto';
import { uuidv7obj } from 'uuidv7';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** The text of the id being written; copied out as a string, so it can serve every call. */
const text = Buffer.alloc(36);

/** The 8-4-4-4-12 lowercase hexadecimal form of 16 bytes, written as one string (an import makes 200,000). */
export function uuidText(bytes: Uint8Array): string {
  let p = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[p++] = 0x2d;
    const b = bytes[i]!;
    text[p++] = HEX_DIGITS[b >>> 4]!;
    text[p++] = HEX_DIGITS[b & 15]!;
  }
  return text.toString('latin1', 0, 36);
}

/** Time-ordered UUIDv7: keyset pagination by id follows creation order. */
export const newId = (): string => uuidText(uuidv7obj().bytes);

/** A random URL-safe secret with `bytes` bytes of entropy. */
export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');
