// SQL of the risks module. Every query on the company-scoped register takes the actor's scope.
import type { Executor } from '../../platform/db/database.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import type { CatalogueItemRow, RiskMethodVersionRow, RiskRow } from './risks.tables.ts';

export interface RiskFilterRow {
  companyId?: string | undefined;
  ownerPersonId?: string | undefined;
  level?: string | undefined;
  treatment?: string | undefined;
  /** Review date before this day. */
  reviewBefore?: string | undefined;
  /** Acceptance expiry before this day. */
  acceptanceExpiredBefore?: string | undefined;
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
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', key[0]),
            eb.and([eb('created_at', '=', key[0]), eb('id', '<', key[1])]),
          ]),
        );
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
    /** Counts per inherent and residual cell and rank, for the heat map. */
    async heatCounts(
      scope: Scope,
      companyId: string | undefined,
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
          .groupBy([`${side}_likelihood`, `${side}_impact`, `${side}_rank`]);
        if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
        if (companyId) q = q.where('company_id', '=', companyId);
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
