// SQL of the audit trail's read side: browsing (scoped) and a full walk for verification.
import type { Executor } from '../../platform/db/database.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import type { ChainRow } from '../../platform/audit/chain.ts';

interface AuditRow {
  seq: number;
  id: string;
  occurred_at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  company_id: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** A stored entry with exactly the fields its hash covers, as the chain verifier reads them. */
const toChainRow = (r: AuditRow): ChainRow => ({
  seq: Number(r.seq),
  id: r.id,
  occurredAt: r.occurred_at,
  actorUserId: r.actor_user_id,
  actorLabel: r.actor_label,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  companyId: r.company_id,
  beforeJson: r.before_json,
  afterJson: r.after_json,
  requestId: r.request_id,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export interface AuditFilter {
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorUserId?: string | undefined;
  companyId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

export const auditTrailRepository = (db: Executor) => ({
  async list(scope: Scope, f: AuditFilter): Promise<ChainRow[]> {
    if (!scope.all && scope.companyIds.length === 0) return [];
    let q = db.selectFrom('audit_entries').selectAll();
    // Group-level entries (no company) are visible to group-wide scopes only.
    if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
    if (f.action) q = q.where('action', '=', f.action);
    if (f.entityType) q = q.where('entity_type', '=', f.entityType);
    if (f.entityId) q = q.where('entity_id', '=', f.entityId);
    if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
    if (f.companyId) q = q.where('company_id', '=', f.companyId);
    if (f.from) q = q.where('occurred_at', '>=', f.from);
    if (f.to) q = q.where('occurred_at', '<=', f.to);
    if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
    const rows = (await q
      .orderBy('seq', 'desc')
      .limit(f.limit + 1)
      .execute()) as AuditRow[];
    return rows.map(toChainRow);
  },

  async head(): Promise<{ seq: number; hash: string }> {
    const r = await db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(r.seq), hash: String(r.hash) };
  },

  /** Every entry in seq order, in pages, so memory stays flat on a long trail. */
  async *walk(pageSize = 5000): AsyncGenerator<ChainRow> {
    let after = 0;
    for (;;) {
      const rows = (await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute()) as AuditRow[];
      yield* rows.map(toChainRow);
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      after = Number(last.seq);
    }
  },
});
