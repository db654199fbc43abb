// Writes audit entries in the same transaction as the change they record, each chained to the one before.
import type { Executor } from '../db/database.ts';
import type { Actor } from '../authz/permissions.ts';
import { newId } from '../ids.ts';
import { canonicalJson, entryHash, type ChainedFields } from './chain.ts';
import { AUDIT_ENTRY_COLUMNS, auditWriteRepository } from './audit.repository.ts';

export interface AuditEvent {
  /** `<entity>.<verb>`, e.g. `person.update`. */
  action: string;
  entityType: string;
  entityId: string | null;
  companyId: string | null;
  before?: unknown;
  after?: unknown;
}

const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : canonicalJson(v));

export async function recordAudit(
  tx: Executor,
  actor: Actor,
  events: AuditEvent | AuditEvent[],
): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  const repo = auditWriteRepository(tx);
  const { lastSeq, prevHash } = await repo.reserve(list.length);
  const occurredAt = new Date().toISOString();
  let prev = prevHash;
  let seq = lastSeq - list.length;
  // Entries go to the insert as flat values (AUDIT_ENTRY_COLUMNS order): no row object is built twice.
  const values: unknown[] = new Array(list.length * AUDIT_ENTRY_COLUMNS.length);
  let p = 0;
  for (const e of list) {
    seq += 1;
    const fields: ChainedFields = {
      seq,
      id: newId(),
      occurredAt,
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      companyId: e.companyId,
      beforeJson: toJson(e.before),
      afterJson: toJson(e.after),
      requestId: actor.requestId ?? null,
    };
    const hash = entryHash(prev, fields);
    values[p++] = fields.seq;
    values[p++] = fields.id;
    values[p++] = fields.occurredAt;
    values[p++] = fields.actorUserId;
    values[p++] = fields.actorLabel;
    values[p++] = fields.action;
    values[p++] = fields.entityType;
    values[p++] = fields.entityId;
    values[p++] = fields.companyId;
    values[p++] = fields.beforeJson;
    values[p++] = fields.afterJson;
    values[p++] = fields.requestId;
    values[p++] = prev;
    values[p++] = hash;
    prev = hash;
  }
  await repo.insert(values, list.length);
  await repo.setHeadHash(prev);
}
