import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7: keyset pagination by id follows creation order. */
export const newId = (): string => uuidv7();

/** A random URL-safe secret with `bytes` bytes of entropy. */
export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');
