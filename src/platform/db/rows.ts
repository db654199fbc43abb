// Reading what repositories return, on every dialect: JSON array columns, and a unique constraint's refusal.

/** A JSON array stored as text; anything else reads as an empty array. */
export function jsonArray<T = string>(text: string): T[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Whether an insert or update failed on a unique constraint (SQLite's and PostgreSQL's messages). */
export const isUniqueViolation = (err: unknown): boolean =>
  /unique|duplicate key/i.test((err as Error).message ?? '');
