// Pure hash-chain arithmetic of the audit trail: canonical JSON and SHA-256 links. No I/O.
import { hash as digest } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** Keys recur in every entry: their JSON form with the colon is kept (a bounded number of them). */
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A member `"key":value`, or '' when the value is undefined (left out). */
function member(key: string, v: unknown): string {
  if (v === undefined) return '';
  return quoteKey(key) + (typeof v === 'object' && v !== null ? canonicalJson(v) : JSON.stringify(v));
}

/**
 * JSON with object keys sorted at every level, so the same value always hashes the same. Written for speed
 * (an import hashes 100,000 entries); canonical-json.test.ts holds it to the simple definition. An object whose
 * own keys come in sorted order already (the audit snapshots are built that way) is written as it is enumerated:
 * no key array is made and nothing sorted.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole or an unserialisable element (a function) joins as nothing, as Array#join has it.
      if (i in value) out += (canonicalJson(value[i]) as string | undefined) ?? '';
    }
    return `[${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '';
  let last: string | undefined;
  let sorted = true;
  // for...in walks the own keys in Object.keys order (then inherited ones, which send it to the sorting path).
  for (const key in obj) {
    // Default sort compares UTF-16 code units, as `<` does on strings.
    if (!hasOwn.call(obj, key) || (last !== undefined && !(last < key))) {
      sorted = false;
      break;
    }
    last = key;
    const m = member(key, obj[key]);
    if (m !== '') out += out.length > 0 ? `,${m}` : m;
  }
  if (!sorted) {
    out = '';
    for (const key of Object.keys(obj).sort()) {
      const m = member(key, obj[key]);
      if (m !== '') out += out.length > 0 ? `,${m}` : m;
    }
  }
  return `{${out}}`;
}

/** The fields of an entry that its hash covers, exactly as stored. */
export interface ChainedFields {
  seq: number;
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  companyId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  requestId: string | null;
}

/** The keys of ChainedFields in canonical (sorted) order; the `satisfies` keeps the list complete. */
const CHAINED_KEYS = Object.keys({
  seq: 0,
  id: 0,
  occurredAt: 0,
  actorUserId: 0,
  actorLabel: 0,
  action: 0,
  entityType: 0,
  entityId: 0,
  companyId: 0,
  beforeJson: 0,
  afterJson: 0,
  requestId: 0,
} satisfies Record<keyof ChainedFields, 0>).sort() as (keyof ChainedFields)[];

/**
 * SHA-256 (hex) of `prevHash`, a line feed and the canonical JSON of the fields, as canonicalJson(fields) writes
 * it for an object of exactly these fields (other properties of the argument, such as a row's own hash, are not
 * covered), without listing and sorting keys: one string, hashed once.
 */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  let out = '';
  for (const key of CHAINED_KEYS) {
    const m = member(key, fields[key]);
    if (m !== '') out += out.length > 0 ? `,${m}` : m;
  }
  return digest('sha256', `${prevHash}\n{${out}}`, 'hex');
}

export type ChainRow = ChainedFields & { prevHash: string; hash: string };

export type VerifyResult =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; brokenSeq: number; brokenId: string | null; reason: string };

/**
 * Walks rows in seq order from the start of the trail. `head` is the recorded end of the chain, so that
 * deleting the newest entries is detected too.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private failure: VerifyResult | null = null;

  push(row: ChainRow): boolean {
    if (this.failure) return false;
    if (row.seq !== this.expectedSeq) {
      this.failure = this.fail(
        this.expectedSeq,
        null,
        `entry #${this.expectedSeq} is missing (next found is #${row.seq})`,
      );
      return false;
    }
    if (row.prevHash !== this.prevHash) {
      this.failure = this.fail(row.seq, row.id, `entry #${row.seq} does not link to the entry before it`);
      return false;
    }
    if (entryHash(this.prevHash, row) !== row.hash) {
      this.failure = this.fail(
        row.seq,
        row.id,
        `entry #${row.seq} was altered: its content does not match its hash`,
      );
      return false;
    }
    this.prevHash = row.hash;
    this.expectedSeq += 1;
    this.count += 1;
    return true;
  }

  finish(head: { seq: number; hash: string }): VerifyResult {
    if (this.failure) return this.failure;
    if (head.seq !== this.count || head.hash !== this.prevHash) {
      return this.fail(
        this.count + 1,
        null,
        head.seq > this.count
          ? `entries #${this.count + 1} to #${head.seq} are missing from the end of the trail`
          : `the recorded head of the trail (#${head.seq}) does not match its last entry (#${this.count})`,
      );
    }
    return { ok: true, entries: this.count, headHash: this.prevHash };
  }

  private fail(seq: number, id: string | null, reason: string): VerifyResult {
    return { ok: false, entries: this.count, brokenSeq: seq, brokenId: id, reason };
  }
}
