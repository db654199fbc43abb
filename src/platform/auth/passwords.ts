// Password hashing with Argon2id (memory-hard), parameters after OWASP's recommendation.
import { hash, verify } from '@node-rs/argon2';
import { validationFailed, type FieldIssue, type IssueCode } from '../errors.ts';

const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function assertAcceptablePassword(password: string, email?: string): void {
  const issues: FieldIssue[] = [];
  const issue = (message: string, code: IssueCode, params?: FieldIssue['params']) =>
    issues.push({ path: 'password', message, code, ...(params ? { params } : {}) });
  if (password.length < MIN_PASSWORD_LENGTH)
    issue(`must have at least ${MIN_PASSWORD_LENGTH} characters`, 'too_short', {
      minimum: MIN_PASSWORD_LENGTH,
    });
  if (password.length > 256) issue('must have at most 256 characters', 'too_long', { maximum: 256 });
  const local = email?.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 3 && password.toLowerCase().includes(local)) {
    issue('must not contain your email name', 'contains_email_name');
  }
  if (new Set(password).size < 5)
    issue('uses too few different characters', 'too_few_distinct', { minimum: 5 });
  if (issues.length > 0) throw validationFailed('The password is too weak', issues);
}

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check, for unknown accounts, so timing does not tell which emails exist. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('mamori-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
}
