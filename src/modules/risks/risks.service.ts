// Risk management: permission checks, the rules of methods, assessments and acceptance, transactions, audit.
import type { Database, Executor } from '../../platform/db/database.ts';
import { shiftDay } from '../../platform/clock.ts';
import { isUniqueViolation, jsonArray } from '../../platform/db/rows.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import {
  can,
  scopeOf,
  systemActor,
  type Action,
  type Actor,
  type Scope,
} from '../../platform/authz/permissions.ts';
import {
  AppError,
  conflict,
  forbidden,
  notFound,
  staleVersion,
  taken,
  validationFailed,
  type FieldIssue,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import type { OrgService } from '../org/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { ComplianceService } from '../compliance/index.ts';
import { risksRepository } from './risks.repository.ts';
import type { TreatmentPlanReport } from './risks.exports.ts';
import type { CatalogueItemRow, RiskMethodVersionRow, RiskRow, RiskSnapshotRow } from './risks.tables.ts';
import {
  aboveThreshold,
  levelOf,
  validateMethod,
  validateScore,
  type RiskMethodDefinition,
} from './lib/risk-method.ts';
import type {
  AcceptRiskInput,
  CatalogueItemDto,
  CatalogueKind,
  CreateCatalogueItemInput,
  CreateRiskInput,
  DueRisks,
  Heatmap,
  ListRisksQuery,
  RankCounts,
  RiskDto,
  RiskSource,
  TopRisksQuery,
  Trend,
  TrendPoint,
  TrendQuery,
  RiskMethodDto,
  SetRiskMethodInput,
  TaskDto,
  TaskInput,
  Treatment,
  UpdateCatalogueItemInput,
  UpdateRiskInput,
} from './risks.contract.ts';

export interface RisksDeps {
  db: Database;
  org: OrgService;
  assets: AssetsService;
  compliance: ComplianceService;
  now?: () => Date;
}

const parseMethod = (row: RiskMethodVersionRow): RiskMethodDefinition =>
  JSON.parse(row.definition) as RiskMethodDefinition;

export const methodDto = (row: RiskMethodVersionRow): RiskMethodDto => ({
  companyId: row.company_id,
  version: Number(row.version),
  ...parseMethod(row),
  createdAt: row.created_at,
  createdBy: row.created_by,
});

const catalogueDto = (r: CatalogueItemRow): CatalogueItemDto => ({
  id: r.id,
  kind: r.kind as CatalogueKind,
  code: r.code,
  name: r.name,
  description: r.description,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function riskDto(r: RiskRow, method: RiskMethodDefinition | undefined): RiskDto {
  const residualRank = Number(r.residual_rank);
  return {
    id: r.id,
    companyId: r.company_id,
    title: r.title,
    scenario: r.scenario,
    assetIds: jsonArray<string>(r.asset_ids),
    threatId: r.threat_id,
    vulnerabilityId: r.vulnerability_id,
    ownerPersonId: r.owner_person_id,
    methodVersion: Number(r.method_version),
    inherent: {
      likelihood: Number(r.inherent_likelihood),
      impact: Number(r.inherent_impact),
      level: r.inherent_level,
      rank: Number(r.inherent_rank),
    },
    residual: {
      likelihood: Number(r.residual_likelihood),
      impact: Number(r.residual_impact),
      level: r.residual_level,
      rank: residualRank,
    },
    aboveThreshold: method ? aboveThreshold(method, residualRank) : false,
    controlIds: jsonArray<string>(r.control_ids),
    treatment: r.treatment as Treatment,
    tasks: jsonArray<TaskDto>(r.tasks),
    reviewDate: r.review_date,
    acceptance:
      r.accepted_at && r.acceptance_expires_on
        ? {
            acceptedAt: r.accepted_at,
            acceptedBy: r.accepted_by ?? '',
            expiresOn: r.acceptance_expires_on,
            note: r.acceptance_note,
          }
        : null,
    source:
      r.source_kind && r.source_ref
        ? { kind: r.source_kind as RiskSource['kind'], ref: r.source_ref, label: r.source_label ?? '' }
        : null,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** What the audit trail keeps of a risk: its fields without the id and the times. */
function riskSnapshot(r: RiskRow) {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = r;
  return {
    ...rest,
    asset_ids: jsonArray<string>(r.asset_ids),
    control_ids: jsonArray<string>(r.control_ids),
    tasks: jsonArray<TaskDto>(r.tasks),
  };
}

const nextDay = (day: string): string => shiftDay(day, 1);

/** The services of other modules are asked as the system: the actor's right on the company is checked here. */
const lookup = systemActor('risks');

export function createRisksService(deps: RisksDeps) {
  const { db } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const today = () => now().slice(0, 10);
  const repo = risksRepository(db.kysely);

  function visible(actor: Actor, action: Action, companyId: string): void {
    if (!can(actor, action, companyId)) throw notFound('Company');
  }
  function allowed(actor: Actor, action: Action, companyId: string | null): void {
    if (!can(actor, action, companyId)) throw forbidden();
  }
  const readScope = (actor: Actor): Scope => scopeOf(actor, 'risk.read');

  async function loadRisk(actor: Actor, id: string, r = repo): Promise<RiskRow> {
    const row = await r.findRisk(readScope(actor), id);
    if (!row) throw notFound('Risk');
    return row;
  }

  /** The method versions the rows were assessed under, by `company:version`. */
  async function methodsOf(rows: RiskRow[]): Promise<Map<string, RiskMethodDefinition>> {
    const companies = [...new Set(rows.map((r) => r.company_id))];
    const out = new Map<string, RiskMethodDefinition>();
    for (const m of await repo.methodVersions(companies))
      out.set(`${m.company_id}:${Number(m.version)}`, parseMethod(m));
    return out;
  }
  async function dtos(rows: RiskRow[]): Promise<RiskDto[]> {
    const methods = await methodsOf(rows);
    return rows.map((r) => riskDto(r, methods.get(`${r.company_id}:${Number(r.method_version)}`)));
  }

  async function currentMethod(companyId: string): Promise<{ version: number; def: RiskMethodDefinition }> {
    const row = await repo.currentMethod(companyId);
    if (!row)
      throw validationFailed('The company has no risk method yet', [
        { path: 'companyId', message: 'set the risk method of the company first', code: 'no_risk_method' },
      ]);
    return { version: Number(row.version), def: parseMethod(row) };
  }

  /** References a risk makes must exist and belong to its company. Runs before the transaction. */
  async function checkRefs(
    companyId: string,
    refs: {
      ownerPersonId?: string | undefined;
      assetIds?: string[] | undefined;
      controlIds?: string[] | undefined;
      threatId?: string | null | undefined;
      vulnerabilityId?: string | null | undefined;
      tasks?: TaskInput[] | undefined;
    },
  ): Promise<FieldIssue[]> {
    const issues: FieldIssue[] = [];
    const personOf = async (id: string, path: string) => {
      try {
        if ((await deps.org.getPerson(lookup, id)).companyId === companyId) return;
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) throw err;
      }
      issues.push({ path, message: 'not a person of this company', code: 'not_in_company' });
    };
    if (refs.ownerPersonId) await personOf(refs.ownerPersonId, 'ownerPersonId');
    for (const [i, t] of (refs.tasks ?? []).entries())
      if (t.ownerPersonId) await personOf(t.ownerPersonId, `tasks.${i}.ownerPersonId`);
    if (refs.assetIds && refs.assetIds.length > 0) {
      const found = new Map((await deps.assets.assetsByIds(lookup, refs.assetIds)).map((a) => [a.id, a]));
      refs.assetIds.forEach((id, i) => {
        if (found.get(id)?.companyId !== companyId)
          issues.push({
            path: `assetIds.${i}`,
            message: 'not an asset of this company',
            code: 'not_in_company',
          });
      });
    }
    for (const [i, id] of (refs.controlIds ?? []).entries()) {
      let ok = false;
      try {
        ok = (await deps.compliance.getControl(lookup, id)).companyId === companyId;
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) throw err;
      }
      if (!ok)
        issues.push({
          path: `controlIds.${i}`,
          message: 'not an applied control of this company',
          code: 'not_in_company',
        });
    }
    const catalogue = new Map(
      (await repo.catalogueItems([refs.threatId, refs.vulnerabilityId].filter((x): x is string => !!x))).map(
        (c) => [c.id, c.kind],
      ),
    );
    if (refs.threatId && catalogue.get(refs.threatId) !== 'threat')
      issues.push({ path: 'threatId', message: 'not a threat of the catalogue', code: 'not_in_catalogue' });
    if (refs.vulnerabilityId && catalogue.get(refs.vulnerabilityId) !== 'vulnerability')
      issues.push({
        path: 'vulnerabilityId',
        message: 'not a vulnerability of the catalogue',
        code: 'not_in_catalogue',
      });
    return issues;
  }

  const tasksJson = (tasks: TaskInput[]) =>
    JSON.stringify(
      tasks.map((t) => ({
        id: t.id ?? newId(),
        title: t.title,
        ownerPersonId: t.ownerPersonId,
        dueDate: t.dueDate,
        done: t.done,
      })),
    );

  /** Scores, levels and the method version of an assessment under the company's current method. */
  function assess(
    m: { version: number; def: RiskMethodDefinition },
    inherent: { likelihood: number; impact: number },
    residual: { likelihood: number; impact: number },
  ): Partial<RiskRow> {
    const issues = [
      ...validateScore(m.def, 'inherent', inherent.likelihood, inherent.impact),
      ...validateScore(m.def, 'residual', residual.likelihood, residual.impact),
    ];
    const inh = levelOf(m.def, inherent.likelihood, inherent.impact);
    const res = levelOf(m.def, residual.likelihood, residual.impact);
    if (issues.length > 0 || !inh || !res)
      throw validationFailed('The scores are outside the risk method', issues);
    return {
      method_version: m.version,
      inherent_likelihood: inherent.likelihood,
      inherent_impact: inherent.impact,
      inherent_level: inh.name,
      inherent_rank: inh.rank,
      residual_likelihood: residual.likelihood,
      residual_impact: residual.impact,
      residual_level: res.name,
      residual_rank: res.rank,
    };
  }

  /** Treatment "accept" above the threshold needs a sign-off that has not expired. */
  function checkAcceptance(def: RiskMethodDefinition, row: RiskRow): FieldIssue[] {
    if (row.treatment !== 'accept' || !aboveThreshold(def, Number(row.residual_rank))) return [];
    if (row.acceptance_expires_on && row.acceptance_expires_on >= today()) return [];
    return [
      {
        path: 'treatment',
        message: `the residual level ${row.residual_level} is above the acceptance threshold ${def.acceptanceThreshold}: record a sign-off first`,
        code: 'needs_sign_off',
        params: { level: row.residual_level, threshold: def.acceptanceThreshold },
      },
    ];
  }

  const filterOf = (q: Omit<ListRisksQuery, 'limit' | 'cursor'>) => ({
    companyId: q.companyId,
    ownerPersonId: q.ownerPersonId,
    level: q.level,
    treatment: q.treatment,
    reviewBefore: q.overdueReview === 'true' ? today() : undefined,
    q: q.q,
    assetId: q.assetId,
    inherentLikelihood: q.inherentLikelihood,
    inherentImpact: q.inherentImpact,
    residualLikelihood: q.residualLikelihood,
    residualImpact: q.residualImpact,
    inherentRank: q.inherentRank,
    residualRank: q.residualRank,
    sourceKind: q.sourceKind,
    sourceRef: q.sourceRef,
  });

  /** Replaces the company's snapshot of the day with its register as it is now (inside the change's transaction). */
  async function refreshSnapshot(tx: Executor, companyId: string, day = today()): Promise<void> {
    const r = risksRepository(tx);
    const methods = new Map(
      (await r.methodVersions([companyId])).map((m) => [Number(m.version), parseMethod(m)]),
    );
    const ranks = new Map<number, { rank: number; inherent: number; residual: number }>();
    const rankOf = (rank: number) => {
      const e = ranks.get(rank) ?? { rank, inherent: 0, residual: 0 };
      ranks.set(rank, e);
      return e;
    };
    let total = 0;
    let above = 0;
    for (const c of await r.rankCounts(companyId)) {
      total += c.n;
      rankOf(c.inherent_rank).inherent += c.n;
      rankOf(c.residual_rank).residual += c.n;
      const def = methods.get(c.method_version);
      if (def && aboveThreshold(def, c.residual_rank)) above += c.n;
    }
    const due = await r.dueCounts(companyId, day);
    await r.replaceSnapshot({
      company_id: companyId,
      taken_on: day,
      total,
      above_threshold: above,
      accepted: due.accepted,
      overdue_reviews: due.overdue,
      by_rank: JSON.stringify([...ranks.values()].sort((a, b) => a.rank - b.rank)),
    });
  }

  /** Inserts a validated new risk with its audit entry and the day's snapshot. */
  async function insertRisk(actor: Actor, row: RiskRow): Promise<void> {
    await db.transaction(async (tx) => {
      await risksRepository(tx).insertRisk(row);
      await recordAudit(tx, actor, {
        action: 'risk.create',
        entityType: 'risk',
        entityId: row.id,
        companyId: row.company_id,
        after: riskSnapshot(row),
      });
      await refreshSnapshot(tx, row.company_id);
    });
  }

  async function createRisk(actor: Actor, input: CreateRiskInput): Promise<RiskDto> {
    visible(actor, 'risk.read', input.companyId);
    allowed(actor, 'risk.write', input.companyId);
    if (!(await repo.companyExists(input.companyId))) throw notFound('Company');
    const method = await currentMethod(input.companyId);
    const refIssues = await checkRefs(input.companyId, input);
    const scoreIssues = [
      ...validateScore(method.def, 'inherent', input.inherent.likelihood, input.inherent.impact),
      ...validateScore(method.def, 'residual', input.residual.likelihood, input.residual.impact),
    ];
    if (refIssues.length + scoreIssues.length > 0)
      throw validationFailed('The risk is not valid', [...refIssues, ...scoreIssues]);
    const at = now();
    const row: RiskRow = {
      id: newId(),
      company_id: input.companyId,
      title: input.title,
      scenario: input.scenario,
      asset_ids: JSON.stringify([...new Set(input.assetIds)]),
      control_ids: JSON.stringify([...new Set(input.controlIds)]),
      tasks: tasksJson(input.tasks),
      threat_id: input.threatId,
      vulnerability_id: input.vulnerabilityId,
      owner_person_id: input.ownerPersonId,
      ...(assess(method, input.inherent, input.residual) as Pick<
        RiskRow,
        | 'method_version'
        | 'inherent_likelihood'
        | 'inherent_impact'
        | 'inherent_level'
        | 'inherent_rank'
        | 'residual_likelihood'
        | 'residual_impact'
        | 'residual_level'
        | 'residual_rank'
      >),
      treatment: input.treatment,
      review_date: input.reviewDate,
      accepted_at: null,
      accepted_by: null,
      acceptance_expires_on: null,
      acceptance_note: null,
      source_kind: input.source?.kind ?? null,
      source_ref: input.source?.ref ?? null,
      source_label: input.source ? input.source.label || null : null,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    const acc = checkAcceptance(method.def, row);
    if (acc.length > 0) throw validationFailed('The risk is not valid', acc);
    await insertRisk(actor, row);
    return riskDto(row, method.def);
  }

  /** Sums the companies' snapshots per day, each company carrying its last snapshot over days without one. */
  function trendPoints(rows: RiskSnapshotRow[], from: string, to: string): TrendPoint[] {
    const byCompany = new Map<string, RiskSnapshotRow[]>();
    for (const r of rows) byCompany.set(r.company_id, [...(byCompany.get(r.company_id) ?? []), r]);
    for (const list of byCompany.values()) list.sort((a, b) => a.taken_on.localeCompare(b.taken_on));
    const cursor = new Map<string, number>();
    const points: TrendPoint[] = [];
    for (let day = from; day <= to; day = nextDay(day)) {
      const p: TrendPoint = {
        date: day,
        total: 0,
        aboveThreshold: 0,
        accepted: 0,
        overdueReviews: 0,
        byRank: [],
      };
      const ranks = new Map<number, RankCounts[number]>();
      for (const [company, list] of byCompany) {
        let i = cursor.get(company) ?? -1;
        while (i + 1 < list.length && list[i + 1]!.taken_on <= day) i++;
        cursor.set(company, i);
        const snap = list[i];
        if (!snap) continue;
        p.total += Number(snap.total);
        p.aboveThreshold += Number(snap.above_threshold);
        p.accepted += Number(snap.accepted);
        p.overdueReviews += Number(snap.overdue_reviews);
        for (const c of JSON.parse(snap.by_rank) as RankCounts) {
          const e = ranks.get(c.rank) ?? { rank: c.rank, inherent: 0, residual: 0 };
          e.inherent += c.inherent;
          e.residual += c.residual;
          ranks.set(c.rank, e);
        }
      }
      p.byRank = [...ranks.values()].sort((a, b) => a.rank - b.rank);
      points.push(p);
    }
    return points;
  }

  return {
    // ---------- the method ----------
    async getMethod(actor: Actor, companyId: string, version?: number): Promise<RiskMethodDto> {
      visible(actor, 'risk.read', companyId);
      const row =
        version === undefined
          ? await repo.currentMethod(companyId)
          : await repo.methodVersion(companyId, version);
      if (!row) throw notFound('Risk method');
      return methodDto(row);
    },

    /** A new version of the company's method; the versions before stay for the risks assessed under them. */
    async setMethod(actor: Actor, companyId: string, input: SetRiskMethodInput): Promise<RiskMethodDto> {
      visible(actor, 'risk.read', companyId);
      allowed(actor, 'risk.accept', companyId);
      const { version, ...def } = input;
      const issues = validateMethod(def);
      if (issues.length > 0) throw validationFailed('The risk method is not valid', issues);
      return db.transaction(async (tx) => {
        const r = risksRepository(tx);
        if (!(await r.companyExists(companyId))) throw notFound('Company');
        const current = await r.currentMethod(companyId);
        if ((current ? Number(current.version) : 0) !== version) throw staleVersion('Risk method');
        const row: RiskMethodVersionRow = {
          company_id: companyId,
          version: version + 1,
          definition: JSON.stringify(def),
          created_at: now(),
          created_by: actor.label,
        };
        try {
          await r.insertMethodVersion(row);
        } catch (err) {
          if (isUniqueViolation(err)) throw staleVersion('Risk method');
          throw err;
        }
        await recordAudit(tx, actor, {
          action: 'risk_method.update',
          entityType: 'risk_method',
          entityId: null,
          companyId,
          ...(current ? { before: { version: Number(current.version), ...parseMethod(current) } } : {}),
          after: { version: row.version, ...def },
        });
        return methodDto(row);
      });
    },

    // ---------- the catalogue ----------
    async listCatalogue(actor: Actor, kind?: CatalogueKind): Promise<{ items: CatalogueItemDto[] }> {
      const scope = readScope(actor);
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      return { items: (await repo.catalogue(kind)).map(catalogueDto) };
    },

    /** The catalogue is the group's: only a group-wide writer edits it. */
    async createCatalogueItem(actor: Actor, input: CreateCatalogueItemInput): Promise<CatalogueItemDto> {
      allowed(actor, 'risk.write', null);
      return db.transaction(async (tx) => {
        const r = risksRepository(tx);
        if (await r.catalogueIdByCode(input.kind, input.code))
          throw conflict(`The ${input.kind} code ${input.code} is already used`, [taken('code', input.code)]);
        const at = now();
        const row: CatalogueItemRow = {
          id: newId(),
          kind: input.kind,
          code: input.code,
          name: input.name,
          description: input.description || null,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertCatalogueItem(row);
        await recordAudit(tx, actor, {
          action: 'risk_catalogue.create',
          entityType: 'risk_catalogue_item',
          entityId: row.id,
          companyId: null,
          after: { kind: row.kind, code: row.code, name: row.name, description: row.description },
        });
        return catalogueDto(row);
      });
    },

    async updateCatalogueItem(
      actor: Actor,
      id: string,
      input: UpdateCatalogueItemInput,
    ): Promise<CatalogueItemDto> {
      allowed(actor, 'risk.write', null);
      return db.transaction(async (tx) => {
        const r = risksRepository(tx);
        const [before] = await r.catalogueItems([id]);
        if (!before) throw notFound('Catalogue entry');
        if (input.code !== undefined && input.code !== before.code) {
          const other = await r.catalogueIdByCode(before.kind, input.code);
          if (other && other !== id)
            throw conflict(`The ${before.kind} code ${input.code} is already used`, [
              taken('code', input.code),
            ]);
        }
        const patch: Partial<CatalogueItemRow> = {
          ...(input.code !== undefined ? { code: input.code } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description || null } : {}),
          updated_at: now(),
        };
        if (!(await r.updateCatalogueItem(id, input.version, patch))) throw staleVersion('Catalogue entry');
        const [after] = await r.catalogueItems([id]);
        await recordAudit(tx, actor, {
          action: 'risk_catalogue.update',
          entityType: 'risk_catalogue_item',
          entityId: id,
          companyId: null,
          before: { code: before.code, name: before.name, description: before.description },
          after: { code: after!.code, name: after!.name, description: after!.description },
        });
        return catalogueDto(after!);
      });
    },

    // ---------- the register ----------
    async listRisks(actor: Actor, query: ListRisksQuery): Promise<Page<RiskDto>> {
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const { limit, cursor: _c, ...filter } = query;
      const rows = await repo.listRisks(readScope(actor), { ...filterOf(filter), after, limit });
      const page = toPage(
        rows,
        limit,
        (r) => [r.created_at, r.id],
        (r) => r,
      );
      return { items: await dtos(page.items), nextCursor: page.nextCursor };
    },

    async getRisk(actor: Actor, id: string): Promise<RiskDto> {
      const [dto] = await dtos([await loadRisk(actor, id)]);
      return dto!;
    },

    createRisk,

    /**
     * For other modules (email posture, DMARC, incidents): raises a risk from their finding unless the company
     * already has one raised from the same source, which is returned instead (`created: false`).
     */
    async raiseRisk(
      actor: Actor,
      input: CreateRiskInput & { source: RiskSource },
    ): Promise<{ risk: RiskDto; created: boolean }> {
      visible(actor, 'risk.read', input.companyId);
      const existing = await repo.bySource(input.companyId, input.source.kind, input.source.ref);
      if (existing) return { risk: (await dtos([existing]))[0]!, created: false };
      return { risk: await createRisk(actor, input), created: true };
    },

    async updateRisk(actor: Actor, id: string, input: UpdateRiskInput): Promise<RiskDto> {
      const current = await loadRisk(actor, id);
      allowed(actor, 'risk.write', current.company_id);
      const companyId = current.company_id;
      const refIssues = await checkRefs(companyId, input);
      if (refIssues.length > 0) throw validationFailed('The risk is not valid', refIssues);
      const rescored = input.inherent !== undefined || input.residual !== undefined;
      const method = rescored ? await currentMethod(companyId) : undefined;
      return db.transaction(async (tx) => {
        const r = risksRepository(tx);
        const before = await loadRisk(actor, id, r);
        if (Number(before.version) !== input.version) throw staleVersion('Risk');
        const patch: Partial<RiskRow> = {
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.scenario !== undefined ? { scenario: input.scenario } : {}),
          ...(input.assetIds !== undefined
            ? { asset_ids: JSON.stringify([...new Set(input.assetIds)]) }
            : {}),
          ...(input.controlIds !== undefined
            ? { control_ids: JSON.stringify([...new Set(input.controlIds)]) }
            : {}),
          ...(input.tasks !== undefined ? { tasks: tasksJson(input.tasks) } : {}),
          ...(input.threatId !== undefined ? { threat_id: input.threatId } : {}),
          ...(input.vulnerabilityId !== undefined ? { vulnerability_id: input.vulnerabilityId } : {}),
          ...(input.ownerPersonId !== undefined ? { owner_person_id: input.ownerPersonId } : {}),
          ...(input.treatment !== undefined ? { treatment: input.treatment } : {}),
          ...(input.reviewDate !== undefined ? { review_date: input.reviewDate } : {}),
          updated_at: now(),
        };
        if (method) {
          Object.assign(
            patch,
            assess(
              method,
              input.inherent ?? {
                likelihood: Number(before.inherent_likelihood),
                impact: Number(before.inherent_impact),
              },
              input.residual ?? {
                likelihood: Number(before.residual_likelihood),
                impact: Number(before.residual_impact),
              },
            ),
          );
          // A sign-off covers the residual risk it was given for: a new residual score needs a new one.
          if (
            input.residual !== undefined &&
            (input.residual.likelihood !== Number(before.residual_likelihood) ||
              input.residual.impact !== Number(before.residual_impact))
          )
            Object.assign(patch, {
              accepted_at: null,
              accepted_by: null,
              acceptance_expires_on: null,
              acceptance_note: null,
            });
        }
        const merged: RiskRow = { ...before, ...patch };
        const def =
          method?.def ??
          ((await r.methodVersion(companyId, Number(before.method_version))) !== undefined
            ? parseMethod((await r.methodVersion(companyId, Number(before.method_version)))!)
            : undefined);
        const acc = def ? checkAcceptance(def, merged) : [];
        if (acc.length > 0) throw validationFailed('The risk is not valid', acc);
        if (!(await r.updateRisk(id, input.version, patch))) throw staleVersion('Risk');
        const after = await loadRisk(actor, id, r);
        await recordAudit(tx, actor, {
          action: 'risk.update',
          entityType: 'risk',
          entityId: id,
          companyId,
          before: riskSnapshot(before),
          after: riskSnapshot(after),
        });
        await refreshSnapshot(tx, companyId);
        return riskDto(after, def);
      });
    },

    /**
     * Records the sign-off of the residual risk until `expiresOn`. Above the method's acceptance threshold only
     * the risk owner (their user) or a CISO of the company (`risk.accept`) may sign it off.
     */
    async acceptRisk(actor: Actor, id: string, input: AcceptRiskInput): Promise<RiskDto> {
      const current = await loadRisk(actor, id);
      allowed(actor, 'risk.write', current.company_id);
      return db.transaction(async (tx) => {
        const r = risksRepository(tx);
        const before = await loadRisk(actor, id, r);
        const m = await r.methodVersion(before.company_id, Number(before.method_version));
        const def = m ? parseMethod(m) : undefined;
        if (def && aboveThreshold(def, Number(before.residual_rank))) {
          const isOwner = actor.personId !== null && actor.personId === before.owner_person_id;
          if (!isOwner && !can(actor, 'risk.accept', before.company_id))
            throw forbidden(
              'A residual risk above the acceptance threshold is signed off by its owner or the CISO',
            );
        }
        if (input.expiresOn <= today())
          throw validationFailed('The acceptance is not valid', [
            { path: 'expiresOn', message: 'must be after today', code: 'must_be_future' },
          ]);
        const patch: Partial<RiskRow> = {
          accepted_at: now(),
          accepted_by: actor.label,
          acceptance_expires_on: input.expiresOn,
          acceptance_note: input.note || null,
          updated_at: now(),
        };
        if (!(await r.updateRisk(id, input.version, patch))) throw staleVersion('Risk');
        const after = await loadRisk(actor, id, r);
        await recordAudit(tx, actor, {
          action: 'risk.accept',
          entityType: 'risk',
          entityId: id,
          companyId: before.company_id,
          before: riskSnapshot(before),
          after: riskSnapshot(after),
        });
        await refreshSnapshot(tx, before.company_id);
        return riskDto(after, def);
      });
    },

    /** Risks needing attention: expired acceptances and reviews past their date (up to 500 of each). */
    async due(actor: Actor, companyId?: string): Promise<DueRisks> {
      if (companyId) visible(actor, 'risk.read', companyId);
      const scope = readScope(actor);
      const day = today();
      return {
        expiredAcceptances: await dtos(
          await repo.allRisks(scope, { companyId, acceptanceExpiredBefore: day }, 500),
        ),
        overdueReviews: await dtos(await repo.allRisks(scope, { companyId, reviewBefore: day }, 500)),
      };
    },

    /** What the treatment plan export shows: every risk of the company, highest residual level first. */
    async treatmentPlan(actor: Actor, companyId: string): Promise<TreatmentPlanReport> {
      visible(actor, 'risk.read', companyId);
      const company = await deps.org.getCompany(lookup, companyId);
      const risks = await dtos(await repo.topRisks(readScope(actor), companyId, 10_000));
      const people = new Map<string, string>();
      const personIds = new Set(
        risks.flatMap((r) => [r.ownerPersonId, ...r.tasks.map((t) => t.ownerPersonId)]),
      );
      for (const id of personIds) {
        if (!id) continue;
        const p = await deps.org.getPerson(lookup, id).catch(() => undefined);
        if (p) people.set(id, p.name);
      }
      const controls = new Map<string, string>();
      if (risks.some((r) => r.controlIds.length > 0)) {
        let cursor: string | undefined;
        do {
          const page = await deps.compliance.listControls(lookup, { companyId, limit: 200, cursor });
          for (const c of page.items) controls.set(c.id, `${c.code} ${c.name}`);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }
      const method = await repo.currentMethod(companyId);
      return {
        companyName: company.legalName,
        shortCode: company.shortCode,
        methodVersion: method ? Number(method.version) : null,
        acceptanceThreshold: method ? parseMethod(method).acceptanceThreshold : null,
        risks,
        people,
        controls,
        today: today(),
        generatedAt: now(),
      };
    },

    async topRisks(actor: Actor, query: TopRisksQuery): Promise<{ items: RiskDto[] }> {
      if (query.companyId) visible(actor, 'risk.read', query.companyId);
      return { items: await dtos(await repo.topRisks(readScope(actor), query.companyId, query.limit)) };
    },

    /** The register's daily counts over the last `days` days, today's taken now when not yet taken today. */
    async trend(actor: Actor, query: TrendQuery): Promise<Trend> {
      if (query.companyId) visible(actor, 'risk.read', query.companyId);
      const scope = readScope(actor);
      const day = today();
      const missing = await repo.companiesWithoutSnapshot(scope, query.companyId, day);
      if (missing.length > 0)
        await db.transaction(async (tx) => {
          for (const companyId of missing) await refreshSnapshot(tx, companyId, day);
        });
      const from = shiftDay(day, -(query.days - 1));
      return {
        companyId: query.companyId ?? null,
        points: trendPoints(await repo.snapshotsSince(scope, query.companyId, from), from, day),
      };
    },

    /** Company view: the cells of its current method's matrix; group view: counts per level rank only. */
    async heatmap(actor: Actor, companyId?: string): Promise<Heatmap> {
      if (companyId) visible(actor, 'risk.read', companyId);
      const scope = readScope(actor);
      const byRank = new Map<number, { rank: number; inherent: number; residual: number }>();
      const rankOf = (rank: number) => {
        const e = byRank.get(rank) ?? { rank, inherent: 0, residual: 0 };
        byRank.set(rank, e);
        return e;
      };
      let total = 0;
      // The group view needs only the ranks: one pass over the rank index instead of two over the table.
      const counts = companyId ? await repo.heatCounts(scope, companyId) : [];
      if (companyId)
        for (const c of counts) {
          rankOf(c.rank)[c.side] += c.n;
          if (c.side === 'inherent') total += c.n;
        }
      else
        for (const c of await repo.groupRankCounts(scope)) {
          rankOf(c.inherent).inherent += c.n;
          rankOf(c.residual).residual += c.n;
          total += c.n;
        }
      let cells: Heatmap['cells'] = [];
      let methodVersion: number | null = null;
      if (companyId) {
        const row = await repo.currentMethod(companyId);
        if (row) {
          const def = parseMethod(row);
          methodVersion = Number(row.version);
          cells = [...def.matrix]
            .sort((a, b) => a.likelihood - b.likelihood || a.impact - b.impact)
            .map((cell) => {
              const n = (side: 'inherent' | 'residual') =>
                counts
                  .filter(
                    (c) => c.side === side && c.likelihood === cell.likelihood && c.impact === cell.impact,
                  )
                  .reduce((s, c) => s + c.n, 0);
              return {
                likelihood: cell.likelihood,
                impact: cell.impact,
                level: cell.level,
                inherent: n('inherent'),
                residual: n('residual'),
              };
            });
        }
      }
      return {
        companyId: companyId ?? null,
        methodVersion,
        cells,
        byRank: [...byRank.values()].sort((a, b) => a.rank - b.rank),
        total,
      };
    },
  };
}

export type RisksService = ReturnType<typeof createRisksService>;
