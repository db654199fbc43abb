// Writes audit entries in the same transaction as the change they record, each chained to the one before.
import type { Executor } from '../db/database.ts';
import type { Actor } from '../authz/permissions.ts';
import { newId } from '../ids.ts';
import { canonicalJson, entryHash, type ChainRow } from './chain.ts';
import { auditWriteRepository } from './audit.repository.ts';

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
  const rows: ChainRow[] = list.map((e) => {
    seq += 1;
    const fields = {
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
    const row = { ...fields, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  await repo.insert(rows);
  await repo.setHeadHash(prev);
}
