// SQL of the risks module. Every query on the company-scoped register takes the actor's scope.
import type { Executor } from '../../platform/db/database.ts';
import { keysetBefore } from '../../platform/db/keyset.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import { containing, likeLower } from '../../platform/db/like.ts';
import type { CatalogueItemRow, RiskMethodVersionRow, RiskRow, RiskSnapshotRow } from './risks.tables.ts';

export interface RiskFilterRow {
  companyId?: string | undefined;
  ownerPersonId?: string | undefined;
  level?: string | undefined;
  treatment?: string | undefined;
  /** Review date before this day. */
  reviewBefore?: string | undefined;
  /** Acceptance expiry before this day. */
  acceptanceExpiredBefore?: string | undefined;
  q?: string | undefined;
  assetId?: string | undefined;
  inherentLikelihood?: number | undefined;
  inherentImpact?: number | undefined;
  residualLikelihood?: number | undefined;
  residualImpact?: number | undefined;
  inherentRank?: number | undefined;
  residualRank?: number | undefined;
  sourceKind?: string | undefined;
  sourceRef?: string | undefined;
}

/** Counts of one company's register per method version and inherent x residual rank. */
export interface RankCountRow {
  method_version: number;
  inherent_rank: number;
  residual_rank: number;
  n: number;
}

const isEmpty = (scope: Scope) => !scope.all && scope.companyIds.length === 0;

export const risksRepository = (db: Executor) => {
  const filtered = (scope: Scope, f: RiskFilterRow) => {
    let q = db.selectFrom('risks').selectAll();
    if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
    if (f.companyId) q = q.where('company_id', '=', f.companyId);
    if (f.ownerPersonId) q = q.where('owner_person_id', '=', f.ownerPersonId);
    if (f.level) q = q.where('residual_level', '=', f.level);
    if (f.treatment) q = q.where('treatment', '=', f.treatment);
    if (f.reviewBefore) q = q.where('review_date', '<', f.reviewBefore);
    if (f.acceptanceExpiredBefore) q = q.where('acceptance_expires_on', '<', f.acceptanceExpiredBefore);
    if (f.q) {
      const pattern = containing(f.q);
      q = q.where((eb) => eb.or([likeLower(eb, 'title', pattern), likeLower(eb, 'scenario', pattern)]));
    }
    // Ids are uuids: their quoted form cannot occur in the JSON array except as that element.
    if (f.assetId) q = q.where('asset_ids', 'like', `%"${f.assetId}"%`);
    if (f.inherentLikelihood !== undefined) q = q.where('inherent_likelihood', '=', f.inherentLikelihood);
    if (f.inherentImpact !== undefined) q = q.where('inherent_impact', '=', f.inherentImpact);
    if (f.residualLikelihood !== undefined) q = q.where('residual_likelihood', '=', f.residualLikelihood);
    if (f.residualImpact !== undefined) q = q.where('residual_impact', '=', f.residualImpact);
    if (f.inherentRank !== undefined) q = q.where('inherent_rank', '=', f.inherentRank);
    if (f.residualRank !== undefined) q = q.where('residual_rank', '=', f.residualRank);
    if (f.sourceKind) q = q.where('source_kind', '=', f.sourceKind);
    if (f.sourceRef) q = q.where('source_ref', '=', f.sourceRef);
    return q;
  };

  return {
    // ---- methods ----
    async currentMethod(companyId: string): Promise<RiskMethodVersionRow | undefined> {
      return (await db
        .selectFrom('risk_method_versions')
        .selectAll()
        .where('company_id', '=', companyId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst()) as RiskMethodVersionRow | undefined;
    },
    async methodVersion(companyId: string, version: number): Promise<RiskMethodVersionRow | undefined> {
      return (await db
        .selectFrom('risk_method_versions')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('version', '=', version)
        .executeTakeFirst()) as RiskMethodVersionRow | undefined;
    },
    /** The method versions of these companies that risks refer to. */
    async methodVersions(companyIds: string[]): Promise<RiskMethodVersionRow[]> {
      if (companyIds.length === 0) return [];
      return (await db
        .selectFrom('risk_method_versions')
        .selectAll()
        .where('company_id', 'in', companyIds)
        .execute()) as RiskMethodVersionRow[];
    },
    async insertMethodVersion(row: RiskMethodVersionRow): Promise<void> {
      await db.insertInto('risk_method_versions').values(row).execute();
    },

    // ---- catalogue ----
    async catalogue(kind?: string): Promise<CatalogueItemRow[]> {
      let q = db.selectFrom('risk_catalogue_items').selectAll();
      if (kind) q = q.where('kind', '=', kind);
      return (await q.orderBy('kind').orderBy('code').execute()) as CatalogueItemRow[];
    },
    async catalogueItems(ids: string[]): Promise<CatalogueItemRow[]> {
      if (ids.length === 0) return [];
      return (await db
        .selectFrom('risk_catalogue_items')
        .selectAll()
        .where('id', 'in', ids)
        .execute()) as CatalogueItemRow[];
    },
    async catalogueIdByCode(kind: string, code: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('risk_catalogue_items')
        .select('id')
        .where('kind', '=', kind)
        .where('code', '=', code)
        .executeTakeFirst();
      return r?.id as string | undefined;
    },
    async insertCatalogueItem(row: CatalogueItemRow): Promise<void> {
      await db.insertInto('risk_catalogue_items').values(row).execute();
    },
    async updateCatalogueItem(
      id: string,
      version: number,
      patch: Partial<CatalogueItemRow>,
    ): Promise<boolean> {
      const r = await db
        .updateTable('risk_catalogue_items')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    // ---- register ----
    async listRisks(
      scope: Scope,
      f: RiskFilterRow & { after?: [string, string] | undefined; limit: number },
    ): Promise<RiskRow[]> {
      if (isEmpty(scope)) return [];
      let q = filtered(scope, f);
      if (f.after) {
        const key = f.after;
        // Newest first: the keyset walks created_at, id downwards.
        q = q.where((eb) => keysetBefore(eb, 'created_at', 'id', key));
      }
      return (await q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit + 1)
        .execute()) as RiskRow[];
    },
    async allRisks(scope: Scope, f: RiskFilterRow, limit: number): Promise<RiskRow[]> {
      if (isEmpty(scope)) return [];
      return (await filtered(scope, f)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute()) as RiskRow[];
    },
    /** Counts per inherent and residual cell and rank, for a company's heat map. */
    async heatCounts(
      scope: Scope,
      companyId: string,
    ): Promise<
      { side: 'inherent' | 'residual'; likelihood: number; impact: number; rank: number; n: number }[]
    > {
      if (isEmpty(scope)) return [];
      const out: {
        side: 'inherent' | 'residual';
        likelihood: number;
        impact: number;
        rank: number;
        n: number;
      }[] = [];
      for (const side of ['inherent', 'residual'] as const) {
        let q = db
          .selectFrom('risks')
          .select((eb) => [
            `${side}_likelihood as likelihood`,
            `${side}_impact as impact`,
            `${side}_rank as rank`,
            eb.fn.countAll().as('n'),
          ])
          .where('company_id', '=', companyId)
          .groupBy([`${side}_likelihood`, `${side}_impact`, `${side}_rank`]);
        if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
        for (const r of (await q.execute()) as {
          likelihood: number;
          impact: number;
          rank: number;
          n: number;
        }[])
          out.push({
            side,
            likelihood: Number(r.likelihood),
            impact: Number(r.impact),
            rank: Number(r.rank),
            n: Number(r.n),
          });
      }
      return out;
    },
    /** Counts per inherent x residual rank over the companies in scope (one pass over the rank index). */
    async groupRankCounts(scope: Scope): Promise<{ inherent: number; residual: number; n: number }[]> {
      if (isEmpty(scope)) return [];
      let q = db
        .selectFrom('risks')
        .select((eb) => ['residual_rank', 'inherent_rank', eb.fn.countAll().as('n')])
        .groupBy(['residual_rank', 'inherent_rank']);
      if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
      return (await q.execute()).map((r) => ({
        inherent: Number(r.inherent_rank),
        residual: Number(r.residual_rank),
        n: Number(r.n),
      }));
    },
    /** Highest residual rank first, then inherent rank, then the most recently changed. */
    async topRisks(scope: Scope, companyId: string | undefined, limit: number): Promise<RiskRow[]> {
      if (isEmpty(scope)) return [];
      return (await filtered(scope, { companyId })
        .orderBy('residual_rank', 'desc')
        .orderBy('inherent_rank', 'desc')
        .orderBy('updated_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute()) as RiskRow[];
    },
    /** The newest risk of a company raised from this source. */
    async bySource(companyId: string, kind: string, ref: string): Promise<RiskRow | undefined> {
      return (await db
        .selectFrom('risks')
        .selectAll()
        .where('source_kind', '=', kind)
        .where('source_ref', '=', ref)
        .where('company_id', '=', companyId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()) as RiskRow | undefined;
    },

    // ---- snapshots ----
    async rankCounts(companyId: string): Promise<RankCountRow[]> {
      const rows = await db
        .selectFrom('risks')
        .select((eb) => ['method_version', 'inherent_rank', 'residual_rank', eb.fn.countAll().as('n')])
        .where('company_id', '=', companyId)
        .groupBy(['method_version', 'inherent_rank', 'residual_rank'])
        .execute();
      return rows.map((r) => ({
        method_version: Number(r.method_version),
        inherent_rank: Number(r.inherent_rank),
        residual_rank: Number(r.residual_rank),
        n: Number(r.n),
      }));
    },
    /** Valid acceptances and reviews past their date on this day. */
    async dueCounts(companyId: string, day: string): Promise<{ accepted: number; overdue: number }> {
      const count = async (build: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
        Number(
          (
            (await build(base())
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst()) as { n: number }
          ).n,
        );
      const base = () => db.selectFrom('risks').where('company_id', '=', companyId);
      return {
        accepted: await count((q) =>
          q.where('accepted_at', 'is not', null).where('acceptance_expires_on', '>=', day),
        ),
        overdue: await count((q) => q.where('review_date', '<', day)),
      };
    },
    async replaceSnapshot(row: RiskSnapshotRow): Promise<void> {
      await db
        .deleteFrom('risk_snapshots')
        .where('company_id', '=', row.company_id)
        .where('taken_on', '=', row.taken_on)
        .execute();
      await db.insertInto('risk_snapshots').values(row).execute();
    },
    /** The snapshots from `from` on, and each company's last one before it (what the first days carry). */
    async snapshotsSince(
      scope: Scope,
      companyId: string | undefined,
      from: string,
    ): Promise<RiskSnapshotRow[]> {
      if (isEmpty(scope)) return [];
      let recent = db.selectFrom('risk_snapshots').selectAll().where('taken_on', '>=', from);
      let before = db
        .selectFrom('risk_snapshots')
        .select((eb) => ['company_id', eb.fn.max('taken_on').as('taken_on')])
        .where('taken_on', '<', from)
        .groupBy('company_id');
      if (!scope.all) {
        recent = recent.where('company_id', 'in', scope.companyIds);
        before = before.where('company_id', 'in', scope.companyIds);
      }
      if (companyId) {
        recent = recent.where('company_id', '=', companyId);
        before = before.where('company_id', '=', companyId);
      }
      const last = (await before.execute()) as { company_id: string; taken_on: string }[];
      const carried: RiskSnapshotRow[] = [];
      for (const l of last)
        carried.push(
          ...((await db
            .selectFrom('risk_snapshots')
            .selectAll()
            .where('company_id', '=', l.company_id)
            .where('taken_on', '=', l.taken_on)
            .execute()) as RiskSnapshotRow[]),
        );
      const rows = (await recent.orderBy('taken_on').execute()) as RiskSnapshotRow[];
      return [...carried, ...rows];
    },
    /** Companies in scope with risks but no snapshot on this day. */
    async companiesWithoutSnapshot(
      scope: Scope,
      companyId: string | undefined,
      day: string,
    ): Promise<string[]> {
      if (isEmpty(scope)) return [];
      let q = db
        .selectFrom('risks')
        .select('company_id')
        .distinct()
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('risk_snapshots')
                .select('taken_on')
                .whereRef('risk_snapshots.company_id', '=', 'risks.company_id')
                .where('taken_on', '=', day),
            ),
          ),
        );
      if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
      if (companyId) q = q.where('company_id', '=', companyId);
      return ((await q.execute()) as { company_id: string }[]).map((r) => r.company_id);
    },

    async findRisk(scope: Scope, id: string): Promise<RiskRow | undefined> {
      if (isEmpty(scope)) return undefined;
      return (await filtered(scope, {}).where('id', '=', id).executeTakeFirst()) as RiskRow | undefined;
    },
    async insertRisk(row: RiskRow): Promise<void> {
      await db.insertInto('risks').values(row).execute();
    },
    async updateRisk(id: string, version: number, patch: Partial<RiskRow>): Promise<boolean> {
      const r = await db
        .updateTable('risks')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async companyExists(companyId: string): Promise<boolean> {
      return !!(await db.selectFrom('companies').select('id').where('id', '=', companyId).executeTakeFirst());
    },
  };
};
