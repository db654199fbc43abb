// Browsing and verifying the hash-chained audit trail.
import type { Database } from '../../platform/db/database.ts';
import { can, scopeOf, type Actor } from '../../platform/authz/permissions.ts';
import { forbidden } from '../../platform/errors.ts';
import { ChainVerifier, type ChainRow, type VerifyResult } from '../../platform/audit/chain.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import { auditTrailRepository } from './audit-trail.repository.ts';
import type { AuditEntryDto, ListAuditQuery } from './audit-trail.contract.ts';

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

const entryDto = (r: ChainRow): AuditEntryDto => ({
  seq: r.seq,
  id: r.id,
  occurredAt: r.occurredAt,
  actorUserId: r.actorUserId,
  actorLabel: r.actorLabel,
  action: r.action,
  entityType: r.entityType,
  entityId: r.entityId,
  companyId: r.companyId,
  before: parse(r.beforeJson),
  after: parse(r.afterJson),
  requestId: r.requestId,
  hash: r.hash,
});

export function createAuditTrailService(deps: { db: Database }) {
  const repo = auditTrailRepository(deps.db.kysely);
  return {
    async list(actor: Actor, query: ListAuditQuery): Promise<Page<AuditEntryDto>> {
      const cursor = decodeCursor(query.cursor, 1);
      const beforeSeq = cursor ? Number(cursor[0]) : undefined;
      const rows = await repo.list(scopeOf(actor, 'audit.read'), { ...query, beforeSeq });
      return toPage(rows, query.limit, (r) => [r.seq], entryDto);
    },

    async verify(actor: Actor, onProgress?: (checked: number) => void): Promise<VerifyResult> {
      if (!can(actor, 'audit.verify')) throw forbidden();
      const verifier = new ChainVerifier();
      let n = 0;
      for await (const r of repo.walk()) {
        const ok = verifier.push(r);
        if (!ok) break;
        n += 1;
        if (onProgress && n % 10_000 === 0) onProgress(n);
      }
      return verifier.finish(await repo.head());
    },
  };
}

export type AuditTrailService = ReturnType<typeof createAuditTrailService>;
