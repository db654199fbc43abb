// SQL of the assets module. Every query on its company-scoped tables takes the actor's scope.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { keysetAfter } from '../../platform/db/keyset.ts';
import { insertRows, insertValues } from '../../platform/db/bulk-insert.ts';
import { containing, likeLower } from '../../platform/db/like.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import type { AssetRelationRow, AssetRow, AssetScaleRow, AssetView } from './assets.tables.ts';

const ASSET_COLUMNS = [
  'assets.id',
  'assets.company_id',
  'assets.code',
  'assets.name',
  'assets.description',
  'assets.asset_type',
  'assets.department_id',
  'assets.owner_person_id',
  'assets.custodian_person_id',
  'assets.location',
  'assets.lifecycle',
  'assets.confidentiality',
  'assets.integrity',
  'assets.availability',
  'assets.personal_data',
  'assets.personal_data_categories',
  'assets.personal_record_count',
  'assets.pci_scope',
  'assets.specified_user_info',
  'assets.version',
  'assets.created_at',
  'assets.updated_at',
] as const;

/** The columns of an asset row in the order insertAssetValues takes its values. */
export const ASSET_ROW_COLUMNS = [
  'id',
  'company_id',
  'code',
  'name',
  'description',
  'asset_type',
  'department_id',
  'owner_person_id',
  'custodian_person_id',
  'location',
  'lifecycle',
  'confidentiality',
  'integrity',
  'availability',
  'personal_data',
  'personal_data_categories',
  'personal_record_count',
  'pci_scope',
  'specified_user_info',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof AssetRow)[];

const RELATION_COLUMNS = ['id', 'company_id', 'from_asset_id', 'to_asset_id', 'kind', 'created_at'] as const;

export interface AssetFilterRow {
  q?: string | undefined;
  companyId?: string | undefined;
  departmentId?: string | undefined;
  assetType?: string | undefined;
  lifecycle?: string | undefined;
  ownerPersonId?: string | undefined;
  custodianPersonId?: string | undefined;
  location?: string | undefined;
  confidentiality?: number | undefined;
  integrity?: number | undefined;
  availability?: number | undefined;
  personalData?: boolean | undefined;
  personalDataCategory?: string | undefined;
  pciScope?: boolean | undefined;
  specifiedUserInfo?: boolean | undefined;
}

/** The columns of the inventory CSV that are not on the asset row itself. */
export type AssetExportRow = AssetRow & {
  company_code: string;
  department_code: string | null;
  owner_number: string | null;
  custodian_number: string | null;
};

const isEmpty = (scope: Scope) => !scope.all && scope.companyIds.length === 0;

export const assetsRepository = (db: Executor) => {
  const filtered = (scope: Scope, f: AssetFilterRow) => {
    let q = db.selectFrom('assets');
    if (!scope.all) q = q.where('assets.company_id', 'in', scope.companyIds);
    if (f.companyId) q = q.where('assets.company_id', '=', f.companyId);
    if (f.departmentId) q = q.where('assets.department_id', '=', f.departmentId);
    if (f.assetType) q = q.where('assets.asset_type', '=', f.assetType);
    if (f.lifecycle) q = q.where('assets.lifecycle', '=', f.lifecycle);
    if (f.ownerPersonId) q = q.where('assets.owner_person_id', '=', f.ownerPersonId);
    if (f.custodianPersonId) q = q.where('assets.custodian_person_id', '=', f.custodianPersonId);
    if (f.confidentiality !== undefined) q = q.where('assets.confidentiality', '=', f.confidentiality);
    if (f.integrity !== undefined) q = q.where('assets.integrity', '=', f.integrity);
    if (f.availability !== undefined) q = q.where('assets.availability', '=', f.availability);
    if (f.personalData !== undefined) q = q.where('assets.personal_data', '=', f.personalData);
    if (f.pciScope !== undefined) q = q.where('assets.pci_scope', '=', f.pciScope);
    if (f.specifiedUserInfo !== undefined)
      q = q.where('assets.specified_user_info', '=', f.specifiedUserInfo);
    if (f.personalDataCategory)
      q = q.where('assets.personal_data_categories', 'like', `%"${f.personalDataCategory}"%`);
    if (f.location) {
      const pattern = containing(f.location);
      q = q.where((eb) => likeLower(eb, 'assets.location', pattern));
    }
    if (f.q) {
      const pattern = containing(f.q);
      q = q.where((eb) =>
        eb.or([
          likeLower(eb, 'assets.code', pattern),
          likeLower(eb, 'assets.name', pattern),
          likeLower(eb, 'assets.description', pattern),
          likeLower(eb, 'assets.location', pattern),
        ]),
      );
    }
    return q;
  };

  const withNames = (scope: Scope, f: AssetFilterRow) =>
    filtered(scope, f)
      .leftJoin('departments', 'departments.id', 'assets.department_id')
      .leftJoin('people as owner', 'owner.id', 'assets.owner_person_id')
      .leftJoin('people as custodian', 'custodian.id', 'assets.custodian_person_id')
      .select([
        ...ASSET_COLUMNS,
        'departments.name as department_name',
        'owner.name as owner_name',
        'custodian.name as custodian_name',
      ]);

  return {
    async listAssets(
      scope: Scope,
      f: AssetFilterRow & { after?: [string, string] | undefined; limit: number },
    ): Promise<AssetView[]> {
      if (isEmpty(scope)) return [];
      let q = withNames(scope, f);
      if (f.after) {
        const key = f.after;
        q = q.where((eb) => keysetAfter(eb, 'assets.code', 'assets.id', key));
      }
      return (await q
        .orderBy('assets.code')
        .orderBy('assets.id')
        .limit(f.limit + 1)
        .execute()) as AssetView[];
    },

    /** All matching assets in code order with the codes the CSV shows, read in pages for the export. */
    async *streamForExport(scope: Scope, f: AssetFilterRow): AsyncGenerator<AssetExportRow> {
      if (isEmpty(scope)) return;
      let after: [string, string] | undefined;
      for (;;) {
        let q = filtered(scope, f)
          .innerJoin('companies', 'companies.id', 'assets.company_id')
          .leftJoin('departments', 'departments.id', 'assets.department_id')
          .leftJoin('people as owner', 'owner.id', 'assets.owner_person_id')
          .leftJoin('people as custodian', 'custodian.id', 'assets.custodian_person_id')
          .select([
            ...ASSET_COLUMNS,
            'companies.short_code as company_code',
            'departments.code as department_code',
            'owner.employee_number as owner_number',
            'custodian.employee_number as custodian_number',
          ]);
        if (after) {
          const key = after;
          q = q.where((eb) => keysetAfter(eb, 'assets.code', 'assets.id', key));
        }
        const rows = (await q
          .orderBy('assets.code')
          .orderBy('assets.id')
          .limit(2000)
          .execute()) as AssetExportRow[];
        yield* rows;
        const last = rows[rows.length - 1];
        if (rows.length < 2000 || !last) return;
        after = [last.code, last.id];
      }
    },

    /** Counts per confidentiality, integrity and type, with the flags summed: one pass over the index. */
    async summary(scope: Scope, f: AssetFilterRow) {
      if (isEmpty(scope)) return [];
      const flag = (column: string) =>
        sql<number>`sum(case when ${sql.ref(column)} = ${true} then 1 else 0 end)`;
      const rows = await filtered(scope, f)
        .select((eb) => [
          'assets.confidentiality',
          'assets.integrity',
          'assets.asset_type',
          eb.fn.countAll().as('n'),
          flag('assets.personal_data').as('personal'),
          flag('assets.pci_scope').as('pci'),
          flag('assets.specified_user_info').as('sui'),
        ])
        .groupBy(['assets.confidentiality', 'assets.integrity', 'assets.asset_type'])
        .execute();
      return rows.map((r) => ({
        confidentiality: Number(r.confidentiality),
        integrity: Number(r.integrity),
        assetType: r.asset_type as string,
        count: Number(r.n),
        personal: Number(r.personal ?? 0),
        pci: Number(r.pci ?? 0),
        sui: Number(r.sui ?? 0),
      }));
    },

    async findAsset(scope: Scope, id: string): Promise<AssetView | undefined> {
      if (isEmpty(scope)) return undefined;
      return (await withNames(scope, {}).where('assets.id', '=', id).executeTakeFirst()) as
        AssetView | undefined;
    },

    async findAssets(scope: Scope, ids: string[]): Promise<AssetRow[]> {
      if (isEmpty(scope) || ids.length === 0) return [];
      const out: AssetRow[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        out.push(
          ...((await filtered(scope, {})
            .select(ASSET_COLUMNS)
            .where('assets.id', 'in', ids.slice(i, i + 500))
            .execute()) as AssetRow[]),
        );
      }
      return out;
    },

    async assetIdByCode(companyId: string, code: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('assets')
        .select('id')
        .where('company_id', '=', companyId)
        .where('code', '=', code)
        .executeTakeFirst();
      return r?.id as string | undefined;
    },

    /** The codes a company uses: an import asks for the rows of those of its codes that exist only. */
    async codesOf(companyId: string): Promise<Set<string>> {
      const rows = await db.selectFrom('assets').select('code').where('company_id', '=', companyId).execute();
      const codes = new Set<string>();
      for (const r of rows) codes.add(r.code as string);
      return codes;
    },

    /** The assets of these (company, code) pairs, keyed `${companyId}\0${code}`: the import's lookup. */
    async assetsByCodes(pairs: [string, string][]): Promise<Map<string, AssetRow>> {
      const byCompany = new Map<string, string[]>();
      for (const [companyId, code] of pairs) {
        const list = byCompany.get(companyId);
        if (list) list.push(code);
        else byCompany.set(companyId, [code]);
      }
      const out = new Map<string, AssetRow>();
      for (const [companyId, codes] of byCompany) {
        for (let i = 0; i < codes.length; i += 500) {
          const rows = (await db
            .selectFrom('assets')
            .select(ASSET_COLUMNS)
            .where('company_id', '=', companyId)
            .where('code', 'in', codes.slice(i, i + 500))
            .execute()) as AssetRow[];
          for (const r of rows) out.set(`${r.company_id}\u0000${r.code}`, r);
        }
      }
      return out;
    },

    async insertAssets(rows: AssetRow[]): Promise<void> {
      // 22 columns a row: 500 rows (11,000 parameters) stay well under both dialects' limits.
      await insertRows(db, 'assets', rows, 500);
    },

    /**
     * Inserts the first `count` assets of `values`, ASSET_ROW_COLUMNS.length values a row in that order (an
     * import's batch).
     */
    async insertAssetValues(values: unknown[], count: number): Promise<void> {
      await insertValues(db, 'assets', ASSET_ROW_COLUMNS, values, 500, count);
    },

    async updateAsset(id: string, version: number, patch: Partial<AssetRow>): Promise<boolean> {
      const r = await db
        .updateTable('assets')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async deleteAsset(id: string): Promise<void> {
      await db.deleteFrom('assets').where('id', '=', id).execute();
    },

    /** How many assets of a company are classified above `levels` on any of C, I, A. */
    async countAboveLevel(companyId: string, levels: number): Promise<number> {
      const r = await db
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('company_id', '=', companyId)
        .where((eb) =>
          eb.or([
            eb('confidentiality', '>', levels),
            eb('integrity', '>', levels),
            eb('availability', '>', levels),
          ]),
        )
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    // ---- relations ----
    async relationsTouching(companyId: string, assetIds: string[]): Promise<AssetRelationRow[]> {
      if (assetIds.length === 0) return [];
      const out = new Map<string, AssetRelationRow>();
      for (let i = 0; i < assetIds.length; i += 400) {
        const ids = assetIds.slice(i, i + 400);
        const rows = (await db
          .selectFrom('asset_relations')
          .select(RELATION_COLUMNS)
          .where('company_id', '=', companyId)
          .where((eb) => eb.or([eb('from_asset_id', 'in', ids), eb('to_asset_id', 'in', ids)]))
          .execute()) as AssetRelationRow[];
        for (const r of rows) out.set(r.id, r);
      }
      return [...out.values()];
    },

    async findRelation(id: string): Promise<AssetRelationRow | undefined> {
      return (await db
        .selectFrom('asset_relations')
        .select(RELATION_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst()) as AssetRelationRow | undefined;
    },

    async relationExists(fromId: string, toId: string, kind: string): Promise<boolean> {
      const r = await db
        .selectFrom('asset_relations')
        .select('id')
        .where('from_asset_id', '=', fromId)
        .where('to_asset_id', '=', toId)
        .where('kind', '=', kind)
        .executeTakeFirst();
      return r !== undefined;
    },

    async insertRelation(row: AssetRelationRow): Promise<void> {
      await db.insertInto('asset_relations').values(row).execute();
    },

    async deleteRelation(id: string): Promise<void> {
      await db.deleteFrom('asset_relations').where('id', '=', id).execute();
    },

    // ---- classification scales and code counters ----
    async scales(companyIds: string[]): Promise<Map<string, AssetScaleRow>> {
      if (companyIds.length === 0) return new Map();
      const rows = (await db
        .selectFrom('asset_classification_scales')
        .selectAll()
        .where('company_id', 'in', companyIds)
        .execute()) as AssetScaleRow[];
      return new Map(rows.map((r) => [r.company_id, r]));
    },

    /** Creates the company's row with the default scale unless it has one (safe when two requests race). */
    async ensureScale(companyId: string, levels: number, at: string): Promise<void> {
      await db
        .insertInto('asset_classification_scales')
        .values({
          company_id: companyId,
          levels,
          next_code_number: 1,
          version: 1,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column('company_id').doNothing())
        .execute();
    },

    /** Reserves `count` consecutive code numbers of the company and returns the first (row must exist). */
    async reserveCodeNumbers(companyId: string, count: number): Promise<number> {
      const r = await db
        .updateTable('asset_classification_scales')
        .set((eb) => ({ next_code_number: eb('next_code_number', '+', count) }))
        .where('company_id', '=', companyId)
        .returning('next_code_number')
        .executeTakeFirstOrThrow();
      return Number(r.next_code_number) - count;
    },

    async updateScale(companyId: string, version: number, levels: number, at: string): Promise<boolean> {
      const r = await db
        .updateTable('asset_classification_scales')
        .set({ levels, version: version + 1, updated_at: at })
        .where('company_id', '=', companyId)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    // ---- references into the org module's tables, read for validation and for the import ----
    async companyCodes(scope: Scope): Promise<Map<string, string>> {
      if (isEmpty(scope)) return new Map();
      let q = db.selectFrom('companies').select(['id', 'short_code']);
      if (!scope.all) q = q.where('id', 'in', scope.companyIds);
      const rows = await q.execute();
      return new Map(rows.map((r) => [r.short_code as string, r.id as string]));
    },

    async companyCode(id: string): Promise<string | undefined> {
      const r = await db.selectFrom('companies').select('short_code').where('id', '=', id).executeTakeFirst();
      return r?.short_code as string | undefined;
    },

    async departmentCompanies(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('departments')
        .select(['id', 'company_id'])
        .where('id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id as string, r.company_id as string]));
    },

    async personCompanies(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('people')
        .select(['id', 'company_id'])
        .where('id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id as string, r.company_id as string]));
    },

    /** Department code -> id, in one company. */
    async departmentsByCode(companyId: string): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom('departments')
        .select(['id', 'code'])
        .where('company_id', '=', companyId)
        .execute();
      const byCode = new Map<string, string>();
      for (const r of rows) byCode.set(r.code as string, r.id as string);
      return byCode;
    },

    /** Employee number -> person id, in one company. */
    async peopleByNumber(companyId: string): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom('people')
        .select(['id', 'employee_number'])
        .where('company_id', '=', companyId)
        .execute();
      // A loop, not a map of [key, value] pairs: the import reads thousands of people at its start.
      const byNumber = new Map<string, string>();
      for (const r of rows) byNumber.set(r.employee_number as string, r.id as string);
      return byNumber;
    },
  };
};

export type AssetsRepository = ReturnType<typeof assetsRepository>;
