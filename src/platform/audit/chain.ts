// Pure hash-chain arithmetic of the audit trail: canonical JSON and SHA-256 links. No I/O.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** Keys recur in every entry: their JSON form is kept (a bounded number of them). */
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether JSON.stringify writes `value` byte for byte as canonicalJson does: at every level, plain objects whose
 * own keys come in sorted order, arrays without holes, and no functions, symbols, big integers, toJSON methods
 * or other kinds of object. Walking a value costs far less than writing it, and makes no garbage.
 */
function stringifiesCanonically(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined': // left out as a member, null as an element, by both
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++)
      if (!(i in value) || !stringifiesCanonically(value[i])) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const obj = value as Record<string, unknown>;
  let last: string | undefined;
  // for...in gives the own keys in the order JSON.stringify writes them; an inherited key ends the fast path.
  for (const key in obj) {
    // Sorted as Array#sort sorts strings: by UTF-16 code units, as `<` compares them.
    if (!hasOwn.call(obj, key) || (last !== undefined && !(last < key))) return false;
    last = key;
    if (!stringifiesCanonically(obj[key])) return false;
  }
  return true;
}

/**
 * JSON with object keys sorted at every level, so the same value always hashes the same. canonical-json.test.ts
 * holds it to the simple definition. An import hashes 100,000 entries: a value built with its keys in sorted
 * order (the audit snapshots and entries are) is written by JSON.stringify in one pass.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && stringifiesCanonically(value))
    return JSON.stringify(value);
  return sortedJson(value);
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole or an unserialisable element (a function) joins as nothing, as Array#join has it.
      if (i in value) out += (sortedJson(value[i]) as string | undefined) ?? '';
    }
    return `[${out}]`;
  }
  const obj = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(obj).sort();
  let out = '';
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    out += `${out.length > 0 ? ',' : ''}${quoteKey(key)}:${typeof v === 'object' && v !== null ? sortedJson(v) : JSON.stringify(v)}`;
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

/**
 * SHA-256 (hex) of `prevHash`, a line feed and canonicalJson of the chained fields (other properties of the
 * argument, such as a row's own hash, are not covered). The fields are copied in sorted order, so that
 * canonicalJson writes them in one pass.
 */
export function entryHash(prevHash: string, f: ChainedFields): string {
  const sorted = {
    action: f.action,
    actorLabel: f.actorLabel,
    actorUserId: f.actorUserId,
    afterJson: f.afterJson,
    beforeJson: f.beforeJson,
    companyId: f.companyId,
    entityId: f.entityId,
    entityType: f.entityType,
    id: f.id,
    occurredAt: f.occurredAt,
    requestId: f.requestId,
    seq: f.seq,
  } satisfies Record<keyof ChainedFields, unknown>;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(sorted)).digest('hex');
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
