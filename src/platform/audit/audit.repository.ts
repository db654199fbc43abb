// SQL of the audit trail's write path: advance the chain head and append entries, inside the caller's transaction.
import type { Executor } from '../db/database.ts';
import type { ChainRow } from './chain.ts';
import { insertRows } from '../db/bulk-insert.ts';

export const auditWriteRepository = (db: Executor) => ({
  /** Reserves `count` sequence numbers; in PostgreSQL this also locks the head row until commit. */
  async reserve(count: number): Promise<{ lastSeq: number; prevHash: string }> {
    const row = await db
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', count) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    return { lastSeq: Number(row.seq), prevHash: String(row.hash) };
  },

  async setHeadHash(hash: string): Promise<void> {
    await db.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  },

  async insert(rows: ChainRow[]): Promise<void> {
    // A large batch (an import) reuses one compiled statement per 500 entries.
    await insertRows(
      db,
      'audit_entries',
      rows.map((r) => ({
        seq: r.seq,
        id: r.id,
        occurred_at: r.occurredAt,
        actor_user_id: r.actorUserId,
        actor_label: r.actorLabel,
        action: r.action,
        entity_type: r.entityType,
        entity_id: r.entityId,
        company_id: r.companyId,
        before_json: r.beforeJson,
        after_json: r.afterJson,
        request_id: r.requestId,
        prev_hash: r.prevHash,
        hash: r.hash,
      })),
      500,
    );
  },
});
