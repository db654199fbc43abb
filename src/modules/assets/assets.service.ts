// The information-asset inventory: permission checks, rules, transactions and audit entries.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isUniqueViolation } from '../../platform/db/rows.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { recordAudit, type AuditEvent } from '../../platform/audit/audit.ts';
import { can, scopeOf, type Action, type Actor, type Scope } from '../../platform/authz/permissions.ts';
import {
  conflict,
  forbidden,
  notFound,
  rowError,
  RowIssues,
  staleVersion,
  stateConflict,
  taken,
  validationFailed,
  type FieldIssue,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import { ASSET_ROW_COLUMNS, assetsRepository, type AssetFilterRow } from './assets.repository.ts';
import type { AssetRelationRow, AssetRow, AssetView } from './assets.tables.ts';
import { AssetCsvReader, assetCsvValidator, type AssetCsvRow, type RowError } from './lib/assets-csv.ts';
import {
  ASSET_CSV_COLUMNS,
  DEFAULT_SCALE_LEVELS,
  MAX_GRAPH_NODES,
  PERSONAL_DATA_CATEGORIES,
  type AssetCsvColumn,
  type AssetDto,
  type AssetFilter,
  type AssetGraph,
  type AssetImportReport,
  type AssetScaleDto,
  type AssetSummary,
  type AssetType,
  type BulkUpdateInput,
  type BulkUpdateResult,
  type CreateAssetInput,
  type CreateRelationInput,
  type GraphNode,
  type Lifecycle,
  type ListAssetsQuery,
  type PersonalDataCategory,
  type RelationDto,
  type RelationKind,
  type SetAssetScaleInput,
  type UpdateAssetInput,
} from './assets.contract.ts';

const KNOWN_CATEGORIES = new Set<string>(PERSONAL_DATA_CATEGORIES);

function categoriesOf(json: string): PersonalDataCategory[] {
  // Most assets hold no personal data: an import snapshots 100,000 of them.
  if (json === '[]') return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v)
      ? (v.filter((c) => KNOWN_CATEGORIES.has(c as string)) as PersonalDataCategory[])
      : [];
  } catch {
    return [];
  }
}

export const assetDto = (a: AssetView): AssetDto => ({
  id: a.id,
  companyId: a.company_id,
  code: a.code,
  name: a.name,
  description: a.description,
  assetType: a.asset_type as AssetType,
  departmentId: a.department_id,
  departmentName: a.department_name,
  ownerPersonId: a.owner_person_id,
  ownerName: a.owner_name ?? '',
  custodianPersonId: a.custodian_person_id,
  custodianName: a.custodian_name,
  location: a.location,
  lifecycle: a.lifecycle as Lifecycle,
  confidentiality: Number(a.confidentiality),
  integrity: Number(a.integrity),
  availability: Number(a.availability),
  personalData: Boolean(a.personal_data),
  personalDataCategories: categoriesOf(a.personal_data_categories),
  personalRecordCount: a.personal_record_count === null ? null : Number(a.personal_record_count),
  pciScope: Boolean(a.pci_scope),
  specifiedUserInfo: Boolean(a.specified_user_info),
  version: a.version,
  createdAt: a.created_at,
  updatedAt: a.updated_at,
});

/**
 * What the audit trail keeps of an asset: its fields without the id, the times and the names shown beside ids.
 * Its keys are in sorted order, so that canonical JSON has JSON.stringify write it in one pass (an import writes
 * 100,000).
 */
function assetSnapshot(a: AssetRow) {
  return {
    assetType: a.asset_type as AssetType,
    availability: Number(a.availability),
    code: a.code,
    companyId: a.company_id,
    confidentiality: Number(a.confidentiality),
    custodianPersonId: a.custodian_person_id,
    departmentId: a.department_id,
    description: a.description,
    integrity: Number(a.integrity),
    lifecycle: a.lifecycle as Lifecycle,
    location: a.location,
    name: a.name,
    ownerPersonId: a.owner_person_id,
    pciScope: Boolean(a.pci_scope),
    personalData: Boolean(a.personal_data),
    personalDataCategories: categoriesOf(a.personal_data_categories),
    personalRecordCount: a.personal_record_count === null ? null : Number(a.personal_record_count),
    specifiedUserInfo: Boolean(a.specified_user_info),
    version: a.version,
  };
}

export const relationDto = (r: AssetRelationRow): RelationDto => ({
  id: r.id,
  companyId: r.company_id,
  fromAssetId: r.from_asset_id,
  toAssetId: r.to_asset_id,
  kind: r.kind as RelationKind,
  createdAt: r.created_at,
});

/** The code the import or the form gets when it gives none: `<company short code>-A-0001`. */
export const generatedCode = (companyCode: string, n: number) =>
  `${companyCode}-A-${String(n).padStart(4, '0')}`;

/** Bad rows listed in an API answer; all of them are counted. */
const MAX_IMPORT_ERRORS = 1000;
/**
 * New assets written, and audited, per batch of a committed import: one statement each for the assets and for
 * their audit entries (the audit trail inserts 500 rows a statement). SQLite pays a fixed price per statement
 * (cursors on the table and each of its indexes, the statement's own journal): 100,000 assets take 1.8 s in
 * statements of 500 rows, 2.5 s in statements of 64. Held as flat values until written (`pending`).
 */
const IMPORT_BATCH = 500;
/** Rows read between two pauses for the event loop, so that other requests are served during an import. */
const PAUSE_EVERY = 100;

const toFilterRow = (f: AssetFilter): AssetFilterRow => ({
  ...f,
  personalData: f.personalData === undefined ? undefined : f.personalData === 'true',
  pciScope: f.pciScope === undefined ? undefined : f.pciScope === 'true',
  specifiedUserInfo: f.specifiedUserInfo === undefined ? undefined : f.specifiedUserInfo === 'true',
});

type Classified = Pick<AssetRow, 'confidentiality' | 'integrity' | 'availability'>;
const LEVEL_FIELDS = ['confidentiality', 'integrity', 'availability'] as const;
/** The CSV column of a field checkPersonal names. */
const CSV_COLUMN_OF: Record<string, string> = {
  personalData: 'personal_data',
  personalDataCategories: 'personal_data_categories',
  personalRecordCount: 'personal_record_count',
};

function checkLevels(levels: number, a: Classified, companyCode: string): FieldIssue[] {
  return LEVEL_FIELDS.filter((f) => Number(a[f]) > levels).map((f) => ({
    path: f,
    message: `${a[f]} is outside the scale 1-${levels} of ${companyCode}`,
    code: 'out_of_range',
    params: { min: 1, max: levels },
  }));
}

/** The rules of the personal-information flags, on the asset as it would be saved. */
function checkPersonal(a: AssetRow): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!a.personal_data) {
    if (a.asset_type === 'personal_information')
      issues.push({
        path: 'personalData',
        message: 'must be true for an asset of type personal_information',
        code: 'must_be_true',
      });
    if (categoriesOf(a.personal_data_categories).length > 0)
      issues.push({
        path: 'personalDataCategories',
        message: 'must be empty unless personalData is true',
        code: 'must_be_empty',
      });
    if (a.personal_record_count !== null)
      issues.push({
        path: 'personalRecordCount',
        message: 'must be null unless personalData is true',
        code: 'must_be_empty',
      });
  }
  return issues;
}

/** A good row of an import with its references resolved. */
interface Resolved {
  row: AssetCsvRow;
  companyId: string;
  departmentId: string | null;
  ownerId: string;
  custodianId: string | null;
  /** Its code was in use before the import: it may update an asset. */
  known: boolean;
}

/** What an import needs to know of a company, read once per import. */
interface CompanyRefs {
  levels: number;
  departments: Map<string, string>;
  people: Map<string, string>;
  /** Codes in use before the import: a row whose code is not among them creates an asset. */
  codes: Set<string>;
  counterReady: boolean;
}

/** Carries a refused commit's report out of the transaction, which it rolls back. */
class ImportRefused extends Error {
  readonly report: AssetImportReport;
  constructor(report: AssetImportReport) {
    super('import refused');
    this.report = report;
  }
}

type ImportedFields = Omit<AssetRow, 'id' | 'code' | 'version' | 'created_at' | 'updated_at'>;

/** The row's values; on an update, a column the file leaves out keeps the asset's value. */
function importedFields(
  b: Resolved,
  prev: AssetRow | undefined,
  columns: ReadonlySet<AssetCsvColumn>,
): ImportedFields {
  const row = b.row;
  const keep = prev ? (c: AssetCsvColumn) => !columns.has(c) : () => false;
  return {
    company_id: b.companyId,
    name: row.name,
    asset_type: row.assetType,
    description: keep('description') ? prev!.description : row.description,
    department_id: keep('department_code') ? prev!.department_id : b.departmentId,
    owner_person_id: b.ownerId,
    custodian_person_id: keep('custodian_employee_number') ? prev!.custodian_person_id : b.custodianId,
    location: keep('location') ? prev!.location : row.location,
    lifecycle: keep('lifecycle') ? prev!.lifecycle : row.lifecycle,
    confidentiality: row.confidentiality,
    integrity: row.integrity,
    availability: row.availability,
    personal_data: keep('personal_data') ? prev!.personal_data : row.personalData,
    personal_data_categories: keep('personal_data_categories')
      ? prev!.personal_data_categories
      : JSON.stringify(row.personalDataCategories),
    personal_record_count: keep('personal_record_count')
      ? prev!.personal_record_count
      : row.personalRecordCount,
    pci_scope: keep('pci_scope') ? prev!.pci_scope : row.pciScope,
    specified_user_info: keep('specified_user_info') ? prev!.specified_user_info : row.specifiedUserInfo,
  };
}

const ASSET_WIDTH = ASSET_ROW_COLUMNS.length;

/**
 * Row `k` of assets held as flat values in ASSET_ROW_COLUMNS order, read into `into`: one object serves a whole
 * batch, whose rows are only read to be snapshotted.
 */
function assetAt(values: readonly unknown[], k: number, into: Record<string, unknown>): AssetRow {
  const at = k * ASSET_WIDTH;
  for (let c = 0; c < ASSET_WIDTH; c++) into[ASSET_ROW_COLUMNS[c]!] = values[at + c];
  return into as unknown as AssetRow;
}

/** The row an import creates: every value from the file. */
function newAssetRow(b: Resolved, code: string, at: string): AssetRow {
  const row = b.row;
  return {
    id: newId(),
    company_id: b.companyId,
    code,
    name: row.name,
    description: row.description,
    asset_type: row.assetType,
    department_id: b.departmentId,
    owner_person_id: b.ownerId,
    custodian_person_id: b.custodianId,
    location: row.location,
    lifecycle: row.lifecycle,
    confidentiality: row.confidentiality,
    integrity: row.integrity,
    availability: row.availability,
    personal_data: row.personalData,
    personal_data_categories:
      row.personalDataCategories.length === 0 ? '[]' : JSON.stringify(row.personalDataCategories),
    personal_record_count: row.personalRecordCount,
    pci_scope: row.pciScope,
    specified_user_info: row.specifiedUserInfo,
    version: 1,
    created_at: at,
    updated_at: at,
  };
}

export interface AssetsDeps {
  db: Database;
  now?: () => Date;
}

export function createAssetsService(deps: AssetsDeps) {
  const { db } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const repo = assetsRepository(db.kysely);

  /** Objects of companies outside the actor's read scope do not exist for them: 404. */
  function visible(actor: Actor, action: Action, companyId: string): void {
    if (!can(actor, action, companyId)) throw notFound('Company');
  }
  function allowed(actor: Actor, action: Action, companyId: string | null): void {
    if (!can(actor, action, companyId)) throw forbidden();
  }
  const readScope = (actor: Actor): Scope => scopeOf(actor, 'asset.read');

  async function loadAsset(tx: Executor, actor: Actor, id: string): Promise<AssetView> {
    const a = await assetsRepository(tx).findAsset(readScope(actor), id);
    if (!a) throw notFound('Asset');
    return a;
  }

  async function levelsOf(tx: Executor, companyId: string): Promise<number> {
    return (await assetsRepository(tx).scales([companyId])).get(companyId)?.levels ?? DEFAULT_SCALE_LEVELS;
  }

  /** Department, owner and custodian must belong to the asset's company. */
  async function checkRefs(
    tx: Executor,
    companyId: string,
    refs: { departmentId?: string | null; ownerPersonId?: string; custodianPersonId?: string | null },
  ): Promise<FieldIssue[]> {
    const r = assetsRepository(tx);
    const issues: FieldIssue[] = [];
    if (refs.departmentId) {
      const of = (await r.departmentCompanies([refs.departmentId])).get(refs.departmentId);
      if (of !== companyId)
        issues.push({
          path: 'departmentId',
          message: 'not a department of this company',
          code: 'not_in_company',
        });
    }
    const people = [refs.ownerPersonId, refs.custodianPersonId].filter((x): x is string => !!x);
    const companies = await r.personCompanies(people);
    if (refs.ownerPersonId && companies.get(refs.ownerPersonId) !== companyId)
      issues.push({ path: 'ownerPersonId', message: 'not a person of this company', code: 'not_in_company' });
    if (refs.custodianPersonId && companies.get(refs.custodianPersonId) !== companyId)
      issues.push({
        path: 'custodianPersonId',
        message: 'not a person of this company',
        code: 'not_in_company',
      });
    return issues;
  }

  /** The next generated code of a company that is not taken; the counter row must exist. */
  async function nextFreeCode(tx: Executor, companyId: string, companyCode: string): Promise<string> {
    const r = assetsRepository(tx);
    for (let i = 0; i < 1000; i++) {
      const code = generatedCode(companyCode, await r.reserveCodeNumbers(companyId, 1));
      if (!(await r.assetIdByCode(companyId, code))) return code;
    }
    throw stateConflict('no_free_code', 'No free asset code could be generated; give the code explicitly');
  }

  async function auditRelation(
    tx: Executor,
    actor: Actor,
    verb: 'create' | 'delete',
    rel: AssetRelationRow,
    codes: { from: string; to: string },
  ) {
    const data = {
      fromAssetId: rel.from_asset_id,
      toAssetId: rel.to_asset_id,
      kind: rel.kind,
      fromCode: codes.from,
      toCode: codes.to,
    };
    await recordAudit(tx, actor, {
      action: `asset_relation.${verb}`,
      entityType: 'asset_relation',
      entityId: rel.id,
      companyId: rel.company_id,
      ...(verb === 'create' ? { after: data } : { before: data }),
    });
  }

  return {
    // ---------- the inventory ----------
    async listAssets(actor: Actor, query: ListAssetsQuery): Promise<Page<AssetDto>> {
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const { limit, cursor: _c, ...filter } = query;
      const rows = await repo.listAssets(readScope(actor), { ...toFilterRow(filter), after, limit });
      return toPage(rows, limit, (a) => [a.code, a.id], assetDto);
    },

    async summary(actor: Actor, filter: AssetFilter): Promise<AssetSummary> {
      const groups = await repo.summary(readScope(actor), toFilterRow(filter));
      const matrix = new Map<string, { confidentiality: number; integrity: number; count: number }>();
      const byType = new Map<AssetType, number>();
      const totals = { total: 0, personal: 0, pci: 0, sui: 0 };
      for (const g of groups) {
        const key = `${g.confidentiality}:${g.integrity}`;
        const cell = matrix.get(key) ?? {
          confidentiality: g.confidentiality,
          integrity: g.integrity,
          count: 0,
        };
        cell.count += g.count;
        matrix.set(key, cell);
        byType.set(g.assetType as AssetType, (byType.get(g.assetType as AssetType) ?? 0) + g.count);
        totals.total += g.count;
        totals.personal += g.personal;
        totals.pci += g.pci;
        totals.sui += g.sui;
      }
      return {
        total: totals.total,
        matrix: [...matrix.values()].sort(
          (a, b) => a.confidentiality - b.confidentiality || a.integrity - b.integrity,
        ),
        byType: [...byType].map(([assetType, count]) => ({ assetType, count })),
        personalData: totals.personal,
        pciScope: totals.pci,
        specifiedUserInfo: totals.sui,
      };
    },

    async getAsset(actor: Actor, id: string): Promise<AssetDto> {
      return assetDto(await loadAsset(db.kysely, actor, id));
    },

    async createAsset(actor: Actor, input: CreateAssetInput): Promise<AssetDto> {
      visible(actor, 'asset.read', input.companyId);
      allowed(actor, 'asset.write', input.companyId);
      return db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const companyCode = await r.companyCode(input.companyId);
        if (!companyCode) throw notFound('Company');
        const at = now();
        await r.ensureScale(input.companyId, DEFAULT_SCALE_LEVELS, at);
        const row: AssetRow = {
          id: newId(),
          company_id: input.companyId,
          code: input.code ?? '',
          name: input.name,
          description: input.description || null,
          asset_type: input.assetType,
          department_id: input.departmentId,
          owner_person_id: input.ownerPersonId,
          custodian_person_id: input.custodianPersonId,
          location: input.location || null,
          lifecycle: input.lifecycle,
          confidentiality: input.confidentiality,
          integrity: input.integrity,
          availability: input.availability,
          personal_data: input.personalData,
          personal_data_categories: JSON.stringify(
            PERSONAL_DATA_CATEGORIES.filter((c) => input.personalDataCategories.includes(c)),
          ),
          personal_record_count: input.personalRecordCount,
          pci_scope: input.pciScope,
          specified_user_info: input.specifiedUserInfo,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        const issues = [
          ...checkLevels(await levelsOf(tx, input.companyId), row, companyCode),
          ...checkPersonal(row),
          ...(await checkRefs(tx, input.companyId, input)),
        ];
        if (issues.length > 0) throw validationFailed('The asset is not valid', issues);
        if (input.code) {
          if (await r.assetIdByCode(input.companyId, input.code))
            throw conflict(`Asset code ${input.code} is already used in ${companyCode}`, [
              taken('code', input.code),
            ]);
        } else {
          row.code = await nextFreeCode(tx, input.companyId, companyCode);
        }
        try {
          await r.insertAssets([row]);
        } catch (err) {
          if (isUniqueViolation(err))
            throw conflict(`Asset code ${row.code} is already used in ${companyCode}`, [
              taken('code', row.code),
            ]);
          throw err;
        }
        await recordAudit(tx, actor, {
          action: 'asset.create',
          entityType: 'asset',
          entityId: row.id,
          companyId: row.company_id,
          after: assetSnapshot(row),
        });
        return assetDto(await loadAsset(tx, actor, row.id));
      });
    },

    async updateAsset(actor: Actor, id: string, input: UpdateAssetInput): Promise<AssetDto> {
      return db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const before = await loadAsset(tx, actor, id);
        allowed(actor, 'asset.write', before.company_id);
        const patch: Partial<AssetRow> = {
          ...(input.code !== undefined ? { code: input.code } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description || null } : {}),
          ...(input.assetType !== undefined ? { asset_type: input.assetType } : {}),
          ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
          ...(input.ownerPersonId !== undefined ? { owner_person_id: input.ownerPersonId } : {}),
          ...(input.custodianPersonId !== undefined ? { custodian_person_id: input.custodianPersonId } : {}),
          ...(input.location !== undefined ? { location: input.location || null } : {}),
          ...(input.lifecycle !== undefined ? { lifecycle: input.lifecycle } : {}),
          ...(input.confidentiality !== undefined ? { confidentiality: input.confidentiality } : {}),
          ...(input.integrity !== undefined ? { integrity: input.integrity } : {}),
          ...(input.availability !== undefined ? { availability: input.availability } : {}),
          ...(input.personalData !== undefined ? { personal_data: input.personalData } : {}),
          ...(input.personalDataCategories !== undefined
            ? {
                personal_data_categories: JSON.stringify(
                  PERSONAL_DATA_CATEGORIES.filter((c) => input.personalDataCategories!.includes(c)),
                ),
              }
            : {}),
          ...(input.personalRecordCount !== undefined
            ? { personal_record_count: input.personalRecordCount }
            : {}),
          ...(input.pciScope !== undefined ? { pci_scope: input.pciScope } : {}),
          ...(input.specifiedUserInfo !== undefined ? { specified_user_info: input.specifiedUserInfo } : {}),
          updated_at: now(),
        };
        const merged: AssetRow = { ...before, ...patch };
        const companyCode = (await r.companyCode(before.company_id)) ?? '';
        const issues = [
          ...checkLevels(await levelsOf(tx, before.company_id), merged, companyCode),
          ...checkPersonal(merged),
          ...(await checkRefs(tx, before.company_id, {
            departmentId: input.departmentId,
            ownerPersonId: input.ownerPersonId,
            custodianPersonId: input.custodianPersonId,
          })),
        ];
        if (issues.length > 0) throw validationFailed('The asset is not valid', issues);
        if (input.code !== undefined && input.code !== before.code) {
          const other = await r.assetIdByCode(before.company_id, input.code);
          if (other && other !== id)
            throw conflict(`Asset code ${input.code} is already used in ${companyCode}`, [
              taken('code', input.code),
            ]);
        }
        let ok: boolean;
        try {
          ok = await r.updateAsset(id, input.version, patch);
        } catch (err) {
          if (isUniqueViolation(err))
            throw conflict(`Asset code ${input.code ?? ''} is already used in ${companyCode}`, [
              taken('code', input.code ?? ''),
            ]);
          throw err;
        }
        if (!ok) throw staleVersion('Asset');
        const after = await loadAsset(tx, actor, id);
        await recordAudit(tx, actor, {
          action: 'asset.update',
          entityType: 'asset',
          entityId: id,
          companyId: after.company_id,
          before: assetSnapshot(before),
          after: assetSnapshot(after),
        });
        return assetDto(after);
      });
    },

    /** Deletes the asset and its relations. Retiring it (lifecycle) keeps its history in the inventory. */
    async deleteAsset(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const before = await loadAsset(tx, actor, id);
        allowed(actor, 'asset.write', before.company_id);
        const relations = await r.relationsTouching(before.company_id, [id]);
        const others = new Map(
          (
            await r.findAssets(
              { all: true },
              relations.map((x) => (x.from_asset_id === id ? x.to_asset_id : x.from_asset_id)),
            )
          ).map((a) => [a.id, a.code]),
        );
        for (const rel of relations) {
          await r.deleteRelation(rel.id);
          await auditRelation(tx, actor, 'delete', rel, {
            from: rel.from_asset_id === id ? before.code : (others.get(rel.from_asset_id) ?? ''),
            to: rel.to_asset_id === id ? before.code : (others.get(rel.to_asset_id) ?? ''),
          });
        }
        await r.deleteAsset(id);
        await recordAudit(tx, actor, {
          action: 'asset.delete',
          entityType: 'asset',
          entityId: id,
          companyId: before.company_id,
          before: assetSnapshot(before),
        });
      });
    },

    // ---------- relations and the graph ----------
    async createRelation(actor: Actor, fromId: string, input: CreateRelationInput): Promise<RelationDto> {
      return db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const from = await loadAsset(tx, actor, fromId);
        allowed(actor, 'asset.write', from.company_id);
        const to = await r.findAsset(readScope(actor), input.toAssetId);
        if (!to || to.company_id !== from.company_id)
          throw validationFailed('Relations join assets of the same company', [
            { path: 'toAssetId', message: 'not an asset of this company', code: 'not_in_company' },
          ]);
        if (to.id === from.id)
          throw validationFailed('An asset cannot relate to itself', [
            { path: 'toAssetId', message: 'is this asset', code: 'self_reference' },
          ]);
        if (await r.relationExists(from.id, to.id, input.kind))
          throw stateConflict('relation_exists', `${from.code} already has this relation to ${to.code}`, {
            from: from.code,
            to: to.code,
          });
        const row: AssetRelationRow = {
          id: newId(),
          company_id: from.company_id,
          from_asset_id: from.id,
          to_asset_id: to.id,
          kind: input.kind,
          created_at: now(),
        };
        await r.insertRelation(row);
        await auditRelation(tx, actor, 'create', row, { from: from.code, to: to.code });
        return relationDto(row);
      });
    },

    async deleteRelation(actor: Actor, assetId: string, relationId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const asset = await loadAsset(tx, actor, assetId);
        allowed(actor, 'asset.write', asset.company_id);
        const rel = await r.findRelation(relationId);
        if (!rel || (rel.from_asset_id !== assetId && rel.to_asset_id !== assetId))
          throw notFound('Relation');
        const otherId = rel.from_asset_id === assetId ? rel.to_asset_id : rel.from_asset_id;
        const other = (await r.findAssets({ all: true }, [otherId]))[0]?.code ?? '';
        await r.deleteRelation(rel.id);
        await auditRelation(tx, actor, 'delete', rel, {
          from: rel.from_asset_id === assetId ? asset.code : other,
          to: rel.to_asset_id === assetId ? asset.code : other,
        });
      });
    },

    /** The assets within `depth` relations of one asset (either direction), and the relations between them. */
    async graph(actor: Actor, id: string, depth: number): Promise<AssetGraph> {
      const root = await loadAsset(db.kysely, actor, id);
      const distance = new Map<string, number>([[root.id, 0]]);
      let frontier = [root.id];
      let truncated = false;
      for (let d = 1; d <= depth && frontier.length > 0 && !truncated; d++) {
        const next: string[] = [];
        for (const rel of await repo.relationsTouching(root.company_id, frontier)) {
          for (const end of [rel.from_asset_id, rel.to_asset_id]) {
            if (distance.has(end)) continue;
            if (distance.size >= MAX_GRAPH_NODES) {
              truncated = true;
              continue;
            }
            distance.set(end, d);
            next.push(end);
          }
        }
        frontier = next;
      }
      const ids = [...distance.keys()];
      const nodes: GraphNode[] = (await repo.findAssets(readScope(actor), ids))
        .map((a) => ({
          id: a.id,
          companyId: a.company_id,
          code: a.code,
          name: a.name,
          assetType: a.asset_type as AssetType,
          lifecycle: a.lifecycle as Lifecycle,
          confidentiality: Number(a.confidentiality),
          integrity: Number(a.integrity),
          availability: Number(a.availability),
          distance: distance.get(a.id) ?? 0,
        }))
        .sort((a, b) => a.distance - b.distance || a.code.localeCompare(b.code));
      const shown = new Set(nodes.map((n) => n.id));
      const edges = (await repo.relationsTouching(root.company_id, ids))
        .filter((e) => shown.has(e.from_asset_id) && shown.has(e.to_asset_id))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
        .map(relationDto);
      return { rootId: root.id, depth, nodes, edges, truncated };
    },

    // ---------- bulk edit ----------
    /** Owner, custodian or classification of a selection: one transaction, one audit entry per changed asset. */
    async bulkUpdate(actor: Actor, input: BulkUpdateInput): Promise<BulkUpdateResult> {
      return db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const ids = [...new Set(input.items.map((i) => i.id))];
        const rows = new Map((await r.findAssets(readScope(actor), ids)).map((a) => [a.id, a]));
        if (rows.size !== ids.length) throw notFound('Asset');
        for (const a of rows.values()) allowed(actor, 'asset.write', a.company_id);
        for (const item of input.items)
          if (rows.get(item.id)!.version !== item.version) throw staleVersion('Asset');
        const companyIds = [...new Set([...rows.values()].map((a) => a.company_id))];
        const scales = await r.scales(companyIds);
        const codes = new Map(
          [...(await r.companyCodes({ all: false, companyIds }))].map(([code, cid]) => [cid, code]),
        );
        const { set } = input;
        const people = await r.personCompanies(
          [set.ownerPersonId, set.custodianPersonId].filter((x): x is string => !!x),
        );
        const issues: FieldIssue[] = [];
        for (const companyId of companyIds) {
          const code = codes.get(companyId) ?? companyId;
          if (set.ownerPersonId && people.get(set.ownerPersonId) !== companyId)
            issues.push({
              path: 'set.ownerPersonId',
              message: `not a person of ${code}`,
              code: 'not_in_company',
            });
          if (set.custodianPersonId && people.get(set.custodianPersonId) !== companyId)
            issues.push({
              path: 'set.custodianPersonId',
              message: `not a person of ${code}`,
              code: 'not_in_company',
            });
          const levels = scales.get(companyId)?.levels ?? DEFAULT_SCALE_LEVELS;
          for (const f of LEVEL_FIELDS) {
            const v = set[f];
            if (v !== undefined && v > levels)
              issues.push({
                path: `set.${f}`,
                message: `${v} is outside the scale 1-${levels} of ${code}`,
                code: 'out_of_range',
                params: { min: 1, max: levels },
              });
          }
        }
        if (issues.length > 0) throw validationFailed('The change does not fit every selected asset', issues);
        const at = now();
        const events: AuditEvent[] = [];
        let unchanged = 0;
        for (const before of rows.values()) {
          const patch: Partial<AssetRow> = {};
          if (set.ownerPersonId !== undefined && set.ownerPersonId !== before.owner_person_id)
            patch.owner_person_id = set.ownerPersonId;
          if (set.custodianPersonId !== undefined && set.custodianPersonId !== before.custodian_person_id)
            patch.custodian_person_id = set.custodianPersonId;
          for (const f of LEVEL_FIELDS) {
            const v = set[f];
            if (v !== undefined && v !== Number(before[f])) patch[f] = v;
          }
          if (Object.keys(patch).length === 0) {
            unchanged += 1;
            continue;
          }
          patch.updated_at = at;
          if (!(await r.updateAsset(before.id, before.version, patch))) throw staleVersion('Asset');
          events.push({
            action: 'asset.update',
            entityType: 'asset',
            entityId: before.id,
            companyId: before.company_id,
            before: assetSnapshot(before),
            after: assetSnapshot({ ...before, ...patch, version: before.version + 1 }),
          });
        }
        await recordAudit(tx, actor, events);
        return { updated: events.length, unchanged };
      });
    },

    // ---------- classification scale ----------
    async getScale(actor: Actor, companyId: string): Promise<AssetScaleDto> {
      visible(actor, 'asset.read', companyId);
      if (!(await repo.companyCode(companyId))) throw notFound('Company');
      const s = (await repo.scales([companyId])).get(companyId);
      return s
        ? { companyId, levels: s.levels, version: s.version, updatedAt: s.updated_at }
        : { companyId, levels: DEFAULT_SCALE_LEVELS, version: 0, updatedAt: null };
    },

    async setScale(actor: Actor, companyId: string, input: SetAssetScaleInput): Promise<AssetScaleDto> {
      visible(actor, 'asset.read', companyId);
      allowed(actor, 'asset.write', companyId);
      return db.transaction(async (tx) => {
        const r = assetsRepository(tx);
        const companyCode = await r.companyCode(companyId);
        if (!companyCode) throw notFound('Company');
        const current = (await r.scales([companyId])).get(companyId);
        const version = current?.version ?? 0;
        if (input.version !== version) throw staleVersion('Classification scale');
        const levels = current?.levels ?? DEFAULT_SCALE_LEVELS;
        if (input.levels !== levels) {
          const above = await r.countAboveLevel(companyId, input.levels);
          if (above > 0)
            throw stateConflict(
              'classified_above',
              `${above} asset(s) of ${companyCode} are classified above ${input.levels}; reclassify them first`,
              { count: above, levels: input.levels },
            );
        }
        const at = now();
        if (!current) {
          await r.ensureScale(companyId, input.levels, at);
        } else if (input.levels !== levels) {
          if (!(await r.updateScale(companyId, version, input.levels, at)))
            throw staleVersion('Classification scale');
        } else {
          return { companyId, levels, version, updatedAt: current.updated_at };
        }
        await recordAudit(tx, actor, {
          action: 'asset_scale.update',
          entityType: 'asset_scale',
          entityId: companyId,
          companyId,
          before: { levels },
          after: { levels: input.levels },
        });
        const s = (await r.scales([companyId])).get(companyId)!;
        return { companyId, levels: s.levels, version: s.version, updatedAt: s.updated_at };
      });
    },

    // ---------- CSV import and export ----------
    /**
     * Dry run (commit=false) or all-or-nothing commit of an inventory CSV. The bytes are decoded a slice at a
     * time and checked row by row; a commit writes each batch (and its audit entries) as it goes, inside one
     * transaction that is rolled back when any row turns out bad, so memory stays flat however long the file is.
     * Rows without a code are written in a second pass over the bytes, once every code the file gives is known.
     */
    async importAssets(
      actor: Actor,
      bytes: Uint8Array,
      commit: boolean,
      opts: {
        /** Bad rows listed (all are counted). */
        maxErrors?: number;
        /**
         * The company (id or short code) the file is for: rows of other companies are bad rows, and the file
         * may leave out the company_code column.
         */
        company?: string | undefined;
      } = {},
    ): Promise<AssetImportReport> {
      const maxErrors = opts.maxErrors ?? MAX_IMPORT_ERRORS;
      let writeScope = scopeOf(actor, 'asset.write');
      if (!writeScope.all && writeScope.companyIds.length === 0) throw forbidden();
      let only: { id: string; code: string } | undefined;
      if (opts.company !== undefined) {
        const wanted = opts.company;
        const readable = await repo.companyCodes(scopeOf(actor, 'asset.read'));
        const found = [...readable].find(([code, id]) => code === wanted || id === wanted);
        if (!found) throw notFound(`Company ${wanted}`);
        const [code, id] = found;
        allowed(actor, 'asset.write', id);
        only = { id, code };
        writeScope = { all: false, companyIds: [id] };
      }
      const errors: RowError[] = [];
      let errorCount = 0;
      const fail = (error: RowError) => {
        errorCount += 1;
        if (errors.length < maxErrors) errors.push(error);
      };
      const counts = { rows: 0, created: 0, updated: 0, unchanged: 0 };
      const report = (committed: boolean): AssetImportReport => ({
        committed,
        ...counts,
        errors: errors.sort((a, b) => a.line - b.line),
        errorsTruncated: errorCount > errors.length,
      });

      const run = async (tx: Executor): Promise<AssetImportReport> => {
        const r = assetsRepository(tx);
        const at = now();
        const writing = () => commit && errorCount === 0;
        const companies = await r.companyCodes(writeScope);
        const shortCodes = new Map([...companies].map(([code, id]) => [id, code]));
        const loaded = new Map<string, CompanyRefs>();
        const loadRefs = async (companyId: string): Promise<CompanyRefs> => {
          const c: CompanyRefs = {
            levels: (await r.scales([companyId])).get(companyId)?.levels ?? DEFAULT_SCALE_LEVELS,
            departments: await r.departmentsByCode(companyId),
            people: await r.peopleByNumber(companyId),
            codes: await r.codesOf(companyId),
            counterReady: false,
          };
          loaded.set(companyId, c);
          return c;
        };
        const prepareCounter = async (companyId: string) => {
          const c = loaded.get(companyId)!;
          if (!c.counterReady) {
            await r.ensureScale(companyId, DEFAULT_SCALE_LEVELS, at);
            c.counterReady = true;
          }
        };
        /** The row with its references resolved, or undefined when they do not fit (reported). */
        const resolve = (row: AssetCsvRow, companyId: string, c: CompanyRefs): Resolved | undefined => {
          const problems = new RowIssues();
          for (const f of LEVEL_FIELDS)
            if (row[f] > c.levels)
              problems.add(
                f,
                'out_of_range',
                `${f} ${row[f]} is outside the scale 1-${c.levels} of ${row.companyCode}`,
                { min: 1, max: c.levels },
              );
          const departmentId = row.departmentCode ? c.departments.get(row.departmentCode) : null;
          if (row.departmentCode && !departmentId)
            problems.add(
              'department_code',
              'not_in_company',
              `department_code "${row.departmentCode}" does not exist in ${row.companyCode}`,
            );
          const ownerId = c.people.get(row.ownerEmployeeNumber);
          if (!ownerId)
            problems.add(
              'owner_employee_number',
              'not_in_company',
              `owner_employee_number "${row.ownerEmployeeNumber}" is not a person of ${row.companyCode}`,
            );
          const custodianId = row.custodianEmployeeNumber ? c.people.get(row.custodianEmployeeNumber) : null;
          if (row.custodianEmployeeNumber && !custodianId)
            problems.add(
              'custodian_employee_number',
              'not_in_company',
              `custodian_employee_number "${row.custodianEmployeeNumber}" is not a person of ${row.companyCode}`,
            );
          if (problems.size > 0) {
            fail(problems.error(row.line));
            return undefined;
          }
          return {
            row,
            companyId,
            departmentId: departmentId ?? null,
            ownerId: ownerId!,
            custodianId: custodianId ?? null,
            known: row.assetCode !== null && c.codes.has(row.assetCode),
          };
        };

        // New assets wait for their write as flat values in one array that serves every batch: no object per
        // row is held until the write, and no dead container is left behind holding the strings of the last one.
        const pending: unknown[] = new Array(IMPORT_BATCH * ASSET_WIDTH);
        let pendingRows = 0;
        const writePending = async () => {
          const count = pendingRows;
          if (count === 0) return;
          await r.insertAssetValues(pending, count);
          const events: AuditEvent[] = [];
          const scratch = {};
          for (let k = 0; k < count; k++) {
            const a = assetAt(pending, k, scratch);
            events.push({
              action: 'asset.create',
              entityType: 'asset',
              entityId: a.id,
              companyId: a.company_id,
              after: assetSnapshot(a),
            });
          }
          await recordAudit(tx, actor, events);
          events.length = 0;
          pendingRows = 0;
        };
        const create = async (a: AssetRow) => {
          if (!loaded.get(a.company_id)!.counterReady) await prepareCounter(a.company_id);
          let p = pendingRows * ASSET_WIDTH;
          for (const column of ASSET_ROW_COLUMNS) pending[p++] = a[column];
          pendingRows += 1;
          if (pendingRows >= IMPORT_BATCH) await writePending();
        };

        let columns: ReadonlySet<AssetCsvColumn> = new Set();
        // Rows whose code was in use before the import: an update, unless the asset is unchanged.
        let known: Resolved[] = [];
        let uncoded = 0;

        const flushKnown = async () => {
          const batch = known;
          known = [];
          if (batch.length === 0) return;
          const existing = await r.assetsByCodes(batch.map((b) => [b.companyId, b.row.assetCode!]));
          const updates: { before: AssetRow; after: AssetRow }[] = [];
          for (const b of batch) {
            const prev = existing.get(`${b.companyId}\u0000${b.row.assetCode}`);
            if (!prev) {
              // Deleted since the codes were read: created again.
              counts.created += 1;
              if (writing()) await create(newAssetRow(b, b.row.assetCode!, at));
              continue;
            }
            const after: AssetRow = { ...prev, ...importedFields(b, prev, columns) };
            const personal = checkPersonal(after);
            if (personal.length > 0) {
              const problems = new RowIssues();
              for (const p of personal)
                problems.add(CSV_COLUMN_OF[p.path] ?? p.path, p.code, `${p.path} ${p.message}`, p.params);
              fail(problems.error(b.row.line));
              continue;
            }
            if (JSON.stringify(assetSnapshot(prev)) === JSON.stringify(assetSnapshot(after))) {
              counts.unchanged += 1;
              continue;
            }
            counts.updated += 1;
            updates.push({ before: prev, after: { ...after, updated_at: at } });
          }
          if (!writing()) return;
          for (const u of updates) {
            const { id: _id, version: _v, created_at: _c, company_id: _co, ...patch } = u.after;
            if (!(await r.updateAsset(u.before.id, u.before.version, patch))) throw staleVersion('Asset');
          }
          await recordAudit(
            tx,
            actor,
            updates.map((u) => ({
              action: 'asset.update',
              entityType: 'asset',
              entityId: u.before.id,
              companyId: u.before.company_id,
              before: assetSnapshot(u.before),
              after: assetSnapshot({ ...u.after, version: u.before.version + 1 }),
            })),
          );
        };

        const validator = assetCsvValidator({ companyCode: only?.code });
        const items = new AssetCsvReader(bytes, validator);
        let sinceYield = 0;
        for (let item = items.next(); item !== undefined; item = items.next()) {
          // Let timers and other requests run every few rows (on PostgreSQL they proceed in parallel).
          if (++sinceYield >= PAUSE_EVERY) {
            sinceYield = 0;
            await yieldToLoop();
          }
          if (item.kind === 'header') {
            columns = item.columns;
            continue;
          }
          counts.rows += 1;
          if (item.kind === 'error') {
            fail(item.error);
            continue;
          }
          const row = item.row;
          const companyId = companies.get(row.companyCode);
          if (!companyId) {
            fail(
              rowError(
                row.line,
                'company_code',
                'not_permitted',
                only
                  ? `company_code "${row.companyCode}" is not ${only.code}, the company this import is for`
                  : `company_code "${row.companyCode}" is not a company you can import assets into`,
              ),
            );
            continue;
          }
          const b = resolve(row, companyId, loaded.get(companyId) ?? (await loadRefs(companyId)));
          if (!b) continue;
          if (b.known) {
            known.push(b);
            if (known.length >= IMPORT_BATCH) await flushKnown();
            continue;
          }
          counts.created += 1;
          if (row.assetCode === null) uncoded += 1;
          else if (writing()) await create(newAssetRow(b, row.assetCode, at));
        }
        await flushKnown();
        if (writing()) await writePending();

        if (writing() && uncoded > 0) {
          // The second pass: every row is good, and every code the file gives is known to the validator.
          const counters = new Map<string, { start: number; next: number }>();
          let sincePause = 0;
          const again = new AssetCsvReader(
            bytes,
            assetCsvValidator({ codes: false, companyCode: only?.code }),
          );
          for (let item = again.next(); item !== undefined; item = again.next()) {
            if (item.kind !== 'row' || item.row.assetCode !== null) continue;
            const row = item.row;
            const companyId = companies.get(row.companyCode)!;
            const c = loaded.get(companyId)!;
            let counter = counters.get(companyId);
            if (!counter) {
              await prepareCounter(companyId);
              // Reading the counter locks the company's row (PostgreSQL) until commit; it then moves past what was used.
              const start = await r.reserveCodeNumbers(companyId, 0);
              counter = { start, next: start };
              counters.set(companyId, counter);
            }
            const short = shortCodes.get(companyId)!;
            let code = generatedCode(short, counter.next++);
            while (c.codes.has(code) || validator.hasCode(row.companyCode, code))
              code = generatedCode(short, counter.next++);
            await create(newAssetRow(resolve(row, companyId, c)!, code, at));
            if (++sincePause >= PAUSE_EVERY) {
              sincePause = 0;
              await yieldToLoop();
            }
          }
          await writePending();
          for (const [companyId, counter] of counters)
            await r.reserveCodeNumbers(companyId, counter.next - counter.start);
        }

        if (!commit) return report(false);
        if (errorCount > 0) throw new ImportRefused(report(false));
        await recordAudit(tx, actor, {
          action: 'assets.import',
          entityType: 'import',
          entityId: null,
          companyId: null,
          after: {
            rows: counts.rows,
            created: counts.created,
            updated: counts.updated,
            unchanged: counts.unchanged,
          },
        });
        return report(true);
      };
      if (!commit) return run(db.kysely);
      try {
        return await db.transaction(run);
      } catch (err) {
        if (err instanceof ImportRefused) return err.report;
        throw err;
      }
    },

    /** The inventory as CSV rows (header first), in the columns the import reads. */
    async *exportAssetsCsv(actor: Actor, filter: AssetFilter): AsyncGenerator<string[]> {
      const scope = readScope(actor);
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      yield [...ASSET_CSV_COLUMNS];
      for await (const a of repo.streamForExport(scope, toFilterRow(filter))) {
        const personal = Boolean(a.personal_data);
        yield [
          a.company_code,
          a.code,
          a.name,
          a.asset_type,
          a.description ?? '',
          a.department_code ?? '',
          a.owner_number ?? '',
          a.custodian_number ?? '',
          a.location ?? '',
          a.lifecycle,
          String(a.confidentiality),
          String(a.integrity),
          String(a.availability),
          personal ? 'true' : 'false',
          categoriesOf(a.personal_data_categories).join(';'),
          a.personal_record_count === null ? '' : String(a.personal_record_count),
          a.pci_scope ? 'true' : 'false',
          a.specified_user_info ? 'true' : 'false',
        ];
      }
    },

    /** For other modules (risks): the assets of these ids that the actor may read. */
    async assetsByIds(actor: Actor, ids: string[]): Promise<AssetDto[]> {
      const rows = await repo.findAssets(readScope(actor), ids);
      return rows.map((a) =>
        assetDto({ ...a, department_name: null, owner_name: null, custodian_name: null }),
      );
    },
  };
}

export type AssetsService = ReturnType<typeof createAssetsService>;
