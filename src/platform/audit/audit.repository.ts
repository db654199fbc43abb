// SQL of the audit trail's write path: advance the chain head and append entries, inside the caller's transaction.
import type { Executor } from '../db/database.ts';
import { insertValues } from '../db/bulk-insert.ts';
import { runCompiledOnce } from '../db/compiled-once.ts';

/** The columns of an entry in the order `insert` takes its values. */
export const AUDIT_ENTRY_COLUMNS = [
  'seq',
  'id',
  'occurred_at',
  'actor_user_id',
  'actor_label',
  'action',
  'entity_type',
  'entity_id',
  'company_id',
  'before_json',
  'after_json',
  'request_id',
  'prev_hash',
  'hash',
] as const;

export const auditWriteRepository = (db: Executor) => ({
  /** Reserves `count` sequence numbers; in PostgreSQL this also locks the head row until commit. */
  // Both run for every change recorded (an import records thousands): their SQL is compiled once.
  async reserve(count: number): Promise<{ lastSeq: number; prevHash: string }> {
    const { rows } = await runCompiledOnce<{ seq: number | string; hash: string }>(
      db,
      'audit_head.reserve',
      [count, 1],
      () =>
        db
          .updateTable('audit_head')
          .set((eb) => ({ seq: eb('seq', '+', count) }))
          .where('id', '=', 1)
          .returning(['seq', 'hash']),
    );
    const row = rows[0];
    if (!row) throw new Error('the audit chain has no head row');
    return { lastSeq: Number(row.seq), prevHash: String(row.hash) };
  },

  async setHeadHash(hash: string): Promise<void> {
    await runCompiledOnce(db, 'audit_head.hash', [hash, 1], () =>
      db.updateTable('audit_head').set({ hash }).where('id', '=', 1),
    );
  },

  /** Appends `count` entries held as flat values, AUDIT_ENTRY_COLUMNS.length a row in that order. */
  async insert(values: readonly unknown[], count: number): Promise<void> {
    // A large batch (an import) reuses one compiled statement per 500 entries.
    await insertValues(db, 'audit_entries', AUDIT_ENTRY_COLUMNS, values, 500, count);
  },
});
