// Statements of Applicability, applied controls, evidence, scores and certifications, per company and for the group.
import type { Database, Executor } from '../../platform/db/database.ts';
import { shiftDay } from '../../platform/clock.ts';
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
  stateConflict,
  taken,
  unsupportedMediaType,
  validationFailed,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import type { FileStore } from '../../platform/files/file-store.ts';
import { ACCEPTED_EVIDENCE, detectMediaType } from '../../platform/files/media-type.ts';
import type { OrgService } from '../org/index.ts';
import type { Catalog, FrameworksService } from '../frameworks/index.ts';
import { complianceRepository } from './compliance.repository.ts';
import type {
  AdoptionRow,
  AppliedControlRow,
  CertificationAuditRow,
  CertificationRow,
  EvidenceRow,
  SnapshotRow,
  SoaEntryRow,
} from './compliance.tables.ts';
import {
  daysUntil,
  effectiveStatus,
  evidenceState,
  scoreOf,
  todayUtc,
  type EffectiveStatus,
  type EvidenceState,
  type ImplementationStatus,
  type ScoreCounts,
} from './lib/score.ts';
import type {
  AdoptInput,
  AdoptionDto,
  AppliedControlDto,
  CertificationAuditDto,
  CertificationDto,
  CreateAppliedControlInput,
  CreateCertificationAuditInput,
  CreateCertificationInput,
  CreateEvidenceInput,
  DashboardDto,
  EvidenceDto,
  ListAppliedControlsQuery,
  SoaEntryDto,
  SoaQuery,
  UpdateAppliedControlInput,
  UpdateCertificationAuditInput,
  UpdateCertificationInput,
  UpdateEvidenceInput,
  UpdateSoaEntryInput,
} from './compliance.contract.ts';

export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;
/** Evidence that ends within this many days is listed as expiring. */
export const EXPIRING_WITHIN_DAYS = 30;
/** Evidence that ended this many days ago or less is listed as recently expired (older records are history). */
export const RECENTLY_EXPIRED_DAYS = 90;

export interface ComplianceDeps {
  db: Database;
  files: FileStore;
  org: OrgService;
  frameworks: FrameworksService;
  now?: () => Date;
}

const zeroScore = (): ScoreCounts => ({
  applicable: 0,
  implemented: 0,
  satisfied: 0,
  evidenceExpired: 0,
  score: 0,
});
const fromSnapshot = (s: SnapshotRow | undefined): ScoreCounts =>
  s
    ? {
        applicable: s.applicable,
        implemented: s.implemented,
        satisfied: s.satisfied,
        evidenceExpired: s.evidence_expired,
        score: s.score,
      }
    : zeroScore();

const evidenceDto = (e: EvidenceRow, today: string): EvidenceDto => ({
  id: e.id,
  companyId: e.company_id,
  appliedControlId: e.applied_control_id,
  kind: e.kind,
  title: e.title,
  url: e.url,
  note: e.note,
  file: e.file_sha256
    ? {
        sha256: e.file_sha256,
        name: e.file_name ?? 'evidence',
        size: Number(e.file_size ?? 0),
        mediaType: e.media_type ?? 'application/octet-stream',
      }
    : null,
  validFrom: e.valid_from,
  validUntil: e.valid_until,
  state:
    e.valid_from > today
      ? 'not_yet_valid'
      : e.valid_until !== null && e.valid_until < today
        ? 'expired'
        : 'valid',
  version: e.version,
  createdAt: e.created_at,
});

const auditDto = (a: CertificationAuditRow): CertificationAuditDto => ({
  id: a.id,
  certificationId: a.certification_id,
  kind: a.kind as CertificationAuditDto['kind'],
  plannedOn: a.planned_on,
  heldOn: a.held_on,
  outcome: a.outcome as CertificationAuditDto['outcome'],
  notes: a.notes,
  version: a.version,
});

export function createComplianceService(deps: ComplianceDeps) {
  const { db, files, org, frameworks } = deps;
  const today = () => todayUtc(deps.now ? deps.now() : new Date());
  const isoNow = () => (deps.now ? deps.now() : new Date()).toISOString();
  const repo = complianceRepository(db.kysely);

  function visible(actor: Actor, companyId: string, what = 'Company'): void {
    if (!can(actor, 'compliance.read', companyId)) throw notFound(what);
  }
  function allowed(actor: Actor, action: Action, companyId: string): void {
    if (!can(actor, action, companyId)) throw forbidden();
  }
  async function catalogOf(frameworkId: string): Promise<Catalog> {
    const c = await frameworks.catalog(frameworkId);
    if (!c) throw notFound('Framework');
    return c;
  }
  async function checkPerson(
    actor: Actor,
    companyId: string,
    personId: string | null | undefined,
    path: string,
  ): Promise<void> {
    if (!personId) return;
    try {
      const p = await org.getPerson(actor, personId);
      if (p.companyId !== companyId) throw new Error('other company');
    } catch {
      throw validationFailed('The person is not in this company', [
        { path, message: 'not found in this company', code: 'not_in_company' },
      ]);
    }
  }

  // ---------- scores ----------
  /** Effective status of every SoA entry of a company, per framework, as of `date`. */
  async function effectiveStatuses(tx: Executor, companyId: string, date: string) {
    const r = complianceRepository(tx);
    const evidence = new Map<string, EvidenceState>(
      (await r.evidenceStates(companyId, date)).map((x) => [x.requirement_id, x.valid ? 'valid' : 'expired']),
    );
    const entries = await r.soaEntries(companyId);
    return entries.map((e) => ({
      entry: e,
      effective: effectiveStatus(
        { applicable: Boolean(e.applicable), status: e.status as ImplementationStatus },
        evidence.get(e.requirement_id) ?? 'none',
      ),
    }));
  }

  /** Recomputes and stores a company's scores for `date`: per adopted framework, whole and per section. */
  async function refreshScores(tx: Executor, companyId: string, date = today()): Promise<void> {
    const statuses = await effectiveStatuses(tx, companyId, date);
    const byFramework = new Map<string, { section: string; effective: EffectiveStatus }[]>();
    for (const { entry, effective } of statuses) {
      const catalog = await catalogOf(entry.framework_id);
      const req = catalog.requirements.get(entry.requirement_id);
      const list = byFramework.get(entry.framework_id) ?? [];
      list.push({ section: req?.section ?? '', effective });
      byFramework.set(entry.framework_id, list);
    }
    const rows: SnapshotRow[] = [];
    const adoptions = await complianceRepository(tx).adoptions({ all: true }, companyId);
    for (const a of adoptions) {
      const list = byFramework.get(a.framework_id) ?? [];
      const groups = new Map<string, EffectiveStatus[]>([['', list.map((x) => x.effective)]]);
      for (const x of list) groups.set(x.section, [...(groups.get(x.section) ?? []), x.effective]);
      for (const [section, effs] of groups) {
        const s = scoreOf(effs);
        rows.push({
          company_id: companyId,
          framework_id: a.framework_id,
          taken_on: date,
          section,
          applicable: s.applicable,
          implemented: s.implemented,
          satisfied: s.satisfied,
          evidence_expired: s.evidenceExpired,
          score: s.score,
        });
      }
    }
    await complianceRepository(tx).replaceSnapshots(companyId, date, rows);
    const counts = await complianceRepository(tx).countExpiring(
      companyId,
      shiftDay(date, -RECENTLY_EXPIRED_DAYS),
      date,
      shiftDay(date, EXPIRING_WITHIN_DAYS),
    );
    await complianceRepository(tx).replaceEvidenceSnapshot(companyId, date, counts);
  }

  /** Today's scores for the companies in scope, computing those not yet taken today (the first call of a day). */
  async function currentSnapshots(actor: Actor, companyId?: string): Promise<SnapshotRow[]> {
    const scope: Scope = companyId
      ? { all: false, companyIds: [companyId] }
      : scopeOf(actor, 'compliance.read');
    const date = today();
    const adoptions = await repo.adoptions(scope);
    let snaps = await repo.snapshotsOn(scope, date);
    const have = new Set(
      snaps.filter((s) => s.section === '').map((s) => `${s.company_id}/${s.framework_id}`),
    );
    const stale = [
      ...new Set(
        adoptions.filter((a) => !have.has(`${a.company_id}/${a.framework_id}`)).map((a) => a.company_id),
      ),
    ];
    if (stale.length > 0) {
      await db.transaction(async (tx) => {
        for (const companyId of stale) await refreshScores(tx, companyId, date);
      });
      snaps = await repo.snapshotsOn(scope, date);
    }
    return snaps;
  }

  async function adoptionDto(a: AdoptionRow, snap: SnapshotRow | undefined): Promise<AdoptionDto> {
    const c = await catalogOf(a.framework_id);
    return {
      id: a.id,
      companyId: a.company_id,
      frameworkId: a.framework_id,
      frameworkRef: c.framework.ref,
      frameworkName: c.framework.name,
      scopeStatement: a.scope_statement,
      adoptedAt: a.adopted_at,
      score: fromSnapshot(snap),
      version: a.version,
    };
  }

  async function controlDtos(rows: AppliedControlRow[]): Promise<AppliedControlDto[]> {
    const ids = rows.map((c) => c.id);
    const links = await repo.controlRequirementIds(ids);
    const evidence = await repo.evidenceOfControls(ids);
    const date = today();
    const out: AppliedControlDto[] = [];
    // Requirement details of the frameworks each company adopted, looked up once per company.
    const catalogsOf = new Map<string, Catalog[]>();
    for (const companyId of new Set(rows.map((c) => c.company_id))) {
      const adoptions = await repo.adoptions({ all: true }, companyId);
      catalogsOf.set(companyId, await Promise.all(adoptions.map((a) => catalogOf(a.framework_id))));
    }
    for (const c of rows) {
      const requirements: AppliedControlDto['requirements'] = [];
      for (const l of links.filter((x) => x.applied_control_id === c.id)) {
        for (const catalog of catalogsOf.get(c.company_id) ?? []) {
          const req = catalog.requirements.get(l.requirement_id);
          if (req)
            requirements.push({
              id: req.id,
              frameworkId: catalog.framework.id,
              ref: req.ref,
              title: req.title,
            });
        }
      }
      out.push({
        id: c.id,
        companyId: c.company_id,
        code: c.code,
        name: c.name,
        description: c.description,
        ownerPersonId: c.owner_person_id,
        status: c.status as AppliedControlDto['status'],
        requirements,
        evidenceState: evidenceState(
          evidence
            .filter((e) => e.applied_control_id === c.id)
            .map((e) => ({ validFrom: e.valid_from, validUntil: e.valid_until })),
          date,
        ),
        version: c.version,
        createdAt: c.created_at,
        updatedAt: c.updated_at,
      });
    }
    return out;
  }

  /** Requirements an applied control may satisfy: assessable ones of the frameworks the company adopted. */
  async function checkRequirements(
    tx: Executor,
    companyId: string,
    requirementIds: readonly string[],
  ): Promise<void> {
    if (requirementIds.length === 0) return;
    const adoptions = await complianceRepository(tx).adoptions({ all: true }, companyId);
    const known = new Set<string>();
    for (const a of adoptions)
      for (const [id, r] of (await catalogOf(a.framework_id)).requirements) if (r.assessable) known.add(id);
    const unknown = requirementIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw validationFailed(
        'Some requirements are not in a framework this company adopted',
        unknown.slice(0, 10).map((id) => ({
          path: 'requirementIds',
          message: `${id} is not an assessable requirement of an adopted framework`,
          code: 'not_found' as const,
        })),
      );
    }
  }

  async function loadControl(tx: Executor, actor: Actor, id: string): Promise<AppliedControlRow> {
    const c = await complianceRepository(tx).control(scopeOf(actor, 'compliance.read'), id);
    if (!c) throw notFound('Applied control');
    return c;
  }

  async function certificationDtos(rows: CertificationRow[]): Promise<CertificationDto[]> {
    const audits = await repo.auditsOf(rows.map((c) => c.id));
    const date = today();
    const names = await companyNames(rows.map((r) => r.company_id));
    return rows.map((c) => {
      const own = audits.filter((a) => a.certification_id === c.id);
      const next = own.find((a) => a.outcome === 'planned') ?? null;
      const overdue =
        (next !== null && next.planned_on < date) ||
        (c.status === 'active' && c.expires_on !== null && c.expires_on < date);
      return {
        id: c.id,
        companyId: c.company_id,
        companyName: names.get(c.company_id) ?? '',
        standard: c.standard,
        scope: c.scope,
        certificationBody: c.certification_body,
        certificateNumber: c.certificate_number,
        firstCertifiedOn: c.first_certified_on,
        expiresOn: c.expires_on,
        status: c.status as CertificationDto['status'],
        audits: own.map(auditDto),
        nextAudit: next ? auditDto(next) : null,
        overdue,
        version: c.version,
      };
    });
  }

  /** Names of companies the caller has already been allowed to see. */
  async function companyNames(ids: readonly string[]): Promise<Map<string, string>> {
    return new Map((await org.getCompanies(systemActor('compliance'), ids)).map((c) => [c.id, c.legalName]));
  }

  async function loadCertification(tx: Executor, actor: Actor, id: string): Promise<CertificationRow> {
    const c = await complianceRepository(tx).certification(scopeOf(actor, 'compliance.read'), id);
    if (!c) throw notFound('Certification');
    return c;
  }

  async function soa(actor: Actor, companyId: string, frameworkId: string, query: SoaQuery = {}) {
    visible(actor, companyId);
    const adoption = await repo.adoption(companyId, frameworkId);
    if (!adoption) throw notFound('Statement of Applicability');
    const catalog = await catalogOf(frameworkId);
    const date = today();
    const statuses = (await effectiveStatuses(db.kysely, companyId, date)).filter(
      (s) => s.entry.framework_id === frameworkId,
    );
    const controls = await repo.controlsByRequirement(companyId);
    const q = query.q?.toLowerCase();
    const items: SoaEntryDto[] = [];
    for (const { entry, effective } of statuses) {
      const req = catalog.requirements.get(entry.requirement_id)!;
      if (query.section && req.section !== query.section) continue;
      if (query.effectiveStatus && effective !== query.effectiveStatus) continue;
      if (q && !`${req.ref} ${req.title}`.toLowerCase().includes(q)) continue;
      items.push({
        id: entry.id,
        companyId,
        frameworkId,
        requirementId: entry.requirement_id,
        requirementRef: req.ref,
        requirementTitle: req.title,
        section: req.section,
        applicable: Boolean(entry.applicable),
        justification: entry.justification,
        status: entry.status as ImplementationStatus,
        effectiveStatus: effective,
        ownerPersonId: entry.owner_person_id,
        targetDate: entry.target_date,
        appliedControls: controls
          .filter((c) => c.requirement_id === entry.requirement_id)
          .map((c) => ({ id: c.id, code: c.code, name: c.name })),
        version: entry.version,
        updatedAt: entry.updated_at,
      });
    }
    items.sort(
      (a, b) =>
        catalog.requirements.get(a.requirementId)!.position -
        catalog.requirements.get(b.requirementId)!.position,
    );
    const snap = (await currentSnapshots(actor, companyId)).find(
      (s) => s.company_id === companyId && s.framework_id === frameworkId && s.section === '',
    );
    return { adoption: await adoptionDto(adoption, snap), sections: catalog.sections, items };
  }

  return {
    refreshScores: (companyId: string) => db.transaction((tx) => refreshScores(tx, companyId)),

    // ---------- adoption and SoA ----------
    async listAdoptions(actor: Actor, companyId: string): Promise<AdoptionDto[]> {
      visible(actor, companyId);
      await org.getCompany(actor, companyId);
      const snaps = await currentSnapshots(actor, companyId);
      const rows = await repo.adoptions(scopeOf(actor, 'compliance.read'), companyId);
      return Promise.all(
        rows.map((a) =>
          adoptionDto(
            a,
            snaps.find(
              (s) => s.company_id === a.company_id && s.framework_id === a.framework_id && s.section === '',
            ),
          ),
        ),
      );
    },

    async adopt(actor: Actor, companyId: string, input: AdoptInput): Promise<AdoptionDto> {
      visible(actor, companyId);
      allowed(actor, 'compliance.write', companyId);
      await org.getCompany(actor, companyId);
      const catalog = await frameworks.catalog(input.frameworkId);
      if (!catalog)
        throw validationFailed('The framework does not exist', [
          { path: 'frameworkId', message: 'not found', code: 'not_found' },
        ]);
      return db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        if (await r.adoption(companyId, input.frameworkId))
          throw stateConflict(
            'framework_adopted',
            `The company has already adopted ${catalog.framework.name}`,
            {
              name: catalog.framework.name,
            },
          );
        const at = isoNow();
        const row: AdoptionRow = {
          id: newId(),
          company_id: companyId,
          framework_id: input.frameworkId,
          scope_statement: input.scopeStatement,
          adopted_at: at,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertAdoption(row);
        const entries: SoaEntryRow[] = [...catalog.requirements.values()]
          .filter((q) => q.assessable && !q.withdrawn)
          .map((q) => ({
            id: newId(),
            company_id: companyId,
            framework_id: input.frameworkId,
            requirement_id: q.id,
            applicable: true,
            justification: null,
            status: 'not_started',
            owner_person_id: null,
            target_date: null,
            version: 1,
            created_at: at,
            updated_at: at,
          }));
        await r.insertSoaEntries(entries);
        await recordAudit(tx, actor, {
          action: 'framework.adopt',
          entityType: 'company_framework',
          entityId: row.id,
          companyId,
          after: {
            framework: catalog.framework.ref,
            scopeStatement: row.scope_statement,
            soaEntries: entries.length,
          },
        });
        await refreshScores(tx, companyId);
        const snap = (
          await complianceRepository(tx).snapshotsOn({ all: false, companyIds: [companyId] }, today())
        ).find((s) => s.framework_id === input.frameworkId && s.section === '');
        return adoptionDto(row, snap);
      });
    },

    soa,

    async updateSoaEntry(actor: Actor, id: string, input: UpdateSoaEntryInput): Promise<SoaEntryDto> {
      const entry = await repo.soaEntry(scopeOf(actor, 'compliance.read'), id);
      if (!entry) throw notFound('SoA entry');
      allowed(actor, 'compliance.write', entry.company_id);
      await checkPerson(actor, entry.company_id, input.ownerPersonId, 'ownerPersonId');
      const applicable = input.applicable ?? Boolean(entry.applicable);
      const justification = input.justification === undefined ? entry.justification : input.justification;
      if (!applicable && !justification) {
        throw validationFailed('Say why a requirement does not apply', [
          {
            path: 'justification',
            message: 'is required when the requirement is not applicable',
            code: 'required',
          },
        ]);
      }
      let status = (input.status ?? entry.status) as ImplementationStatus;
      if (!applicable) status = 'not_applicable';
      else if (status === 'not_applicable')
        status = input.status === 'not_applicable' ? status : 'not_started';
      if (applicable && status === 'not_applicable') {
        throw validationFailed('An applicable requirement needs an implementation status', [
          { path: 'status', message: 'cannot be not_applicable while applicable', code: 'invalid_option' },
        ]);
      }
      await db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        const ok = await r.updateSoaEntry(id, input.version, {
          applicable,
          justification,
          status,
          ...(input.ownerPersonId !== undefined ? { owner_person_id: input.ownerPersonId } : {}),
          ...(input.targetDate !== undefined ? { target_date: input.targetDate } : {}),
          updated_at: isoNow(),
        });
        if (!ok) throw staleVersion('SoA entry');
        const after = (await r.soaEntry({ all: true }, id))!;
        const snap = (e: SoaEntryRow) => ({
          applicable: Boolean(e.applicable),
          justification: e.justification,
          status: e.status,
          ownerPersonId: e.owner_person_id,
          targetDate: e.target_date,
          version: e.version,
        });
        await recordAudit(tx, actor, {
          action: 'soa_entry.update',
          entityType: 'soa_entry',
          entityId: id,
          companyId: entry.company_id,
          before: snap(entry),
          after: snap(after),
        });
        await refreshScores(tx, entry.company_id);
      });
      const page = await soa(actor, entry.company_id, entry.framework_id);
      return page.items.find((i) => i.id === id)!;
    },

    async scoreHistory(
      actor: Actor,
      companyId: string,
      frameworkId: string,
      range: { from?: string | undefined; to?: string | undefined },
    ) {
      visible(actor, companyId);
      if (!(await repo.adoption(companyId, frameworkId))) throw notFound('Statement of Applicability');
      await currentSnapshots(actor, companyId);
      const to = range.to ?? today();
      const from = range.from ?? todayUtc(new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000));
      return (await repo.history(companyId, frameworkId, from, to)).map((s) => ({
        date: s.taken_on,
        ...fromSnapshot(s),
      }));
    },

    // ---------- applied controls ----------
    async listControls(actor: Actor, query: ListAppliedControlsQuery): Promise<Page<AppliedControlDto>> {
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listControls(scopeOf(actor, 'compliance.read'), { ...query, after });
      const page = toPage(
        rows,
        query.limit,
        (c) => [c.name, c.id],
        (c) => c,
      );
      return { items: await controlDtos(page.items), nextCursor: page.nextCursor };
    },

    async getControl(actor: Actor, id: string): Promise<AppliedControlDto & { evidence: EvidenceDto[] }> {
      const c = await loadControl(db.kysely, actor, id);
      const [dto] = await controlDtos([c]);
      const date = today();
      return { ...dto!, evidence: (await repo.evidenceOfControls([id])).map((e) => evidenceDto(e, date)) };
    },

    async createControl(actor: Actor, input: CreateAppliedControlInput): Promise<AppliedControlDto> {
      visible(actor, input.companyId);
      allowed(actor, 'compliance.write', input.companyId);
      await org.getCompany(actor, input.companyId);
      await checkPerson(actor, input.companyId, input.ownerPersonId, 'ownerPersonId');
      const row = await db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        await checkRequirements(tx, input.companyId, input.requirementIds);
        if (await r.controlCodeTaken(input.companyId, input.code))
          throw conflict(`Applied control code ${input.code} is already used in this company`, [
            taken('code', input.code),
          ]);
        const at = isoNow();
        const row: AppliedControlRow = {
          id: newId(),
          company_id: input.companyId,
          code: input.code,
          name: input.name,
          description: input.description,
          owner_person_id: input.ownerPersonId,
          status: input.status,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertControl(row);
        await r.setControlRequirements(row.id, row.company_id, input.requirementIds);
        await recordAudit(tx, actor, {
          action: 'applied_control.create',
          entityType: 'applied_control',
          entityId: row.id,
          companyId: row.company_id,
          after: {
            code: row.code,
            name: row.name,
            status: row.status,
            ownerPersonId: row.owner_person_id,
            requirementIds: [...new Set(input.requirementIds)].sort(),
          },
        });
        await refreshScores(tx, row.company_id);
        return row;
      });
      return (await controlDtos([row]))[0]!;
    },

    async updateControl(
      actor: Actor,
      id: string,
      input: UpdateAppliedControlInput,
    ): Promise<AppliedControlDto> {
      const before = await loadControl(db.kysely, actor, id);
      allowed(actor, 'compliance.write', before.company_id);
      await checkPerson(actor, before.company_id, input.ownerPersonId, 'ownerPersonId');
      await db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        if (input.code && (await r.controlCodeTaken(before.company_id, input.code, id)))
          throw conflict(`Applied control code ${input.code} is already used in this company`, [
            taken('code', input.code),
          ]);
        const beforeReqs = (await r.controlRequirementIds([id])).map((x) => x.requirement_id).sort();
        const ok = await r.updateControl(id, input.version, {
          ...(input.code !== undefined ? { code: input.code } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.ownerPersonId !== undefined ? { owner_person_id: input.ownerPersonId } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          updated_at: isoNow(),
        });
        if (!ok) throw staleVersion('Applied control');
        if (input.requirementIds) {
          await checkRequirements(tx, before.company_id, input.requirementIds);
          await r.setControlRequirements(id, before.company_id, input.requirementIds);
        }
        const after = (await r.control({ all: true }, id))!;
        const snap = (c: AppliedControlRow, reqs: string[]) => ({
          code: c.code,
          name: c.name,
          description: c.description,
          status: c.status,
          ownerPersonId: c.owner_person_id,
          requirementIds: reqs,
          version: c.version,
        });
        await recordAudit(tx, actor, {
          action: 'applied_control.update',
          entityType: 'applied_control',
          entityId: id,
          companyId: before.company_id,
          before: snap(before, beforeReqs),
          after: snap(after, input.requirementIds ? [...new Set(input.requirementIds)].sort() : beforeReqs),
        });
        await refreshScores(tx, before.company_id);
      });
      return (await controlDtos([(await repo.control({ all: true }, id))!]))[0]!;
    },

    // ---------- evidence ----------
    async addEvidence(actor: Actor, controlId: string, input: CreateEvidenceInput): Promise<EvidenceDto> {
      const c = await loadControl(db.kysely, actor, controlId);
      allowed(actor, 'compliance.write', c.company_id);
      return storeEvidence(actor, c, {
        kind: input.kind,
        title: input.title,
        url: input.kind === 'link' ? input.url : null,
        note: input.kind === 'note' ? input.note : null,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
      });
    },

    async addEvidenceFile(
      actor: Actor,
      controlId: string,
      meta: { title: string; fileName: string; validFrom: string; validUntil?: string | undefined },
      bytes: Uint8Array,
    ): Promise<EvidenceDto> {
      const c = await loadControl(db.kysely, actor, controlId);
      allowed(actor, 'compliance.write', c.company_id);
      if (bytes.byteLength === 0)
        throw validationFailed('The file is empty', [
          { path: 'body', message: 'is empty', code: 'required' },
        ]);
      if (bytes.byteLength > MAX_EVIDENCE_BYTES)
        throw new AppError(
          'payload_too_large',
          413,
          `Evidence files are limited to ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
        );
      const mediaType = detectMediaType(bytes, meta.fileName);
      if (!mediaType)
        throw unsupportedMediaType(
          `This kind of file is not accepted as evidence. Accepted: ${ACCEPTED_EVIDENCE}`,
        );
      const stored = await files.put(bytes);
      return storeEvidence(actor, c, {
        kind: 'file',
        title: meta.title,
        url: null,
        note: null,
        validFrom: meta.validFrom,
        validUntil: meta.validUntil ?? null,
        file: { ...stored, name: meta.fileName, mediaType },
      });
    },

    async evidenceFile(
      actor: Actor,
      id: string,
    ): Promise<{ bytes: Buffer; name: string; mediaType: string }> {
      const e = await repo.evidence(scopeOf(actor, 'compliance.read'), id);
      if (!e || !e.file_sha256) throw notFound('Evidence file');
      return {
        bytes: await files.read(e.file_sha256),
        name: e.file_name ?? 'evidence',
        mediaType: e.media_type ?? 'application/octet-stream',
      };
    },

    async updateEvidence(actor: Actor, id: string, input: UpdateEvidenceInput): Promise<EvidenceDto> {
      const before = await repo.evidence(scopeOf(actor, 'compliance.read'), id);
      if (!before) throw notFound('Evidence');
      allowed(actor, 'compliance.write', before.company_id);
      const validFrom = input.validFrom ?? before.valid_from;
      const validUntil = input.validUntil === undefined ? before.valid_until : input.validUntil;
      if (validUntil !== null && validUntil < validFrom)
        throw validationFailed('The validity ends before it starts', [
          { path: 'validUntil', message: 'is before validFrom', code: 'ends_before_start' },
        ]);
      return db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        const ok = await r.updateEvidence(id, input.version, {
          ...(input.title !== undefined ? { title: input.title } : {}),
          valid_from: validFrom,
          valid_until: validUntil,
          updated_at: isoNow(),
        });
        if (!ok) throw staleVersion('Evidence');
        const after = (await r.evidence({ all: true }, id))!;
        const snap = (e: EvidenceRow) => ({
          title: e.title,
          validFrom: e.valid_from,
          validUntil: e.valid_until,
          version: e.version,
        });
        await recordAudit(tx, actor, {
          action: 'evidence.update',
          entityType: 'evidence',
          entityId: id,
          companyId: before.company_id,
          before: snap(before),
          after: snap(after),
        });
        await refreshScores(tx, before.company_id);
        return evidenceDto(after, today());
      });
    },

    async expiringEvidence(actor: Actor, query: { companyId?: string | undefined; days: number }) {
      if (query.companyId) visible(actor, query.companyId);
      const date = today();
      const rows = await repo.expiring(
        scopeOf(actor, 'compliance.read'),
        shiftDay(date, -RECENTLY_EXPIRED_DAYS),
        shiftDay(date, query.days),
        query.companyId,
      );
      const names = await companyNames(rows.map((r) => r.company_id));
      return rows.map((e) => ({
        ...evidenceDto(e, date),
        companyName: names.get(e.company_id) ?? '',
        controlCode: e.control_code,
        controlName: e.control_name,
        daysLeft: daysUntil(e.valid_until!, date),
      }));
    },

    // ---------- certifications ----------
    async listCertifications(actor: Actor, companyId?: string): Promise<CertificationDto[]> {
      if (companyId) visible(actor, companyId);
      return certificationDtos(await repo.certifications(scopeOf(actor, 'compliance.read'), companyId));
    },

    async createCertification(actor: Actor, input: CreateCertificationInput): Promise<CertificationDto> {
      visible(actor, input.companyId);
      allowed(actor, 'certification.write', input.companyId);
      await org.getCompany(actor, input.companyId);
      const row = await db.transaction(async (tx) => {
        const at = isoNow();
        const row: CertificationRow = {
          id: newId(),
          company_id: input.companyId,
          standard: input.standard,
          scope: input.scope,
          certification_body: input.certificationBody,
          certificate_number: input.certificateNumber,
          first_certified_on: input.firstCertifiedOn,
          expires_on: input.expiresOn,
          status: input.status,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await complianceRepository(tx).insertCertification(row);
        await recordAudit(tx, actor, {
          action: 'certification.create',
          entityType: 'certification',
          entityId: row.id,
          companyId: row.company_id,
          after: input,
        });
        return row;
      });
      return (await certificationDtos([row]))[0]!;
    },

    async updateCertification(
      actor: Actor,
      id: string,
      input: UpdateCertificationInput,
    ): Promise<CertificationDto> {
      const before = await loadCertification(db.kysely, actor, id);
      allowed(actor, 'certification.write', before.company_id);
      await db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        const patch: Partial<CertificationRow> = {
          ...(input.standard !== undefined ? { standard: input.standard } : {}),
          ...(input.scope !== undefined ? { scope: input.scope } : {}),
          ...(input.certificationBody !== undefined ? { certification_body: input.certificationBody } : {}),
          ...(input.certificateNumber !== undefined ? { certificate_number: input.certificateNumber } : {}),
          ...(input.firstCertifiedOn !== undefined ? { first_certified_on: input.firstCertifiedOn } : {}),
          ...(input.expiresOn !== undefined ? { expires_on: input.expiresOn } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          updated_at: isoNow(),
        };
        if (!(await r.updateCertification(id, input.version, patch))) throw staleVersion('Certification');
        const after = (await r.certification({ all: true }, id))!;
        const snap = (c: CertificationRow) => ({
          standard: c.standard,
          scope: c.scope,
          certificationBody: c.certification_body,
          certificateNumber: c.certificate_number,
          firstCertifiedOn: c.first_certified_on,
          expiresOn: c.expires_on,
          status: c.status,
          version: c.version,
        });
        await recordAudit(tx, actor, {
          action: 'certification.update',
          entityType: 'certification',
          entityId: id,
          companyId: before.company_id,
          before: snap(before),
          after: snap(after),
        });
      });
      return (await certificationDtos([(await repo.certification({ all: true }, id))!]))[0]!;
    },

    async addCertificationAudit(
      actor: Actor,
      certificationId: string,
      input: CreateCertificationAuditInput,
    ): Promise<CertificationAuditDto> {
      const cert = await loadCertification(db.kysely, actor, certificationId);
      allowed(actor, 'certification.write', cert.company_id);
      return db.transaction(async (tx) => {
        const at = isoNow();
        const row: CertificationAuditRow = {
          id: newId(),
          certification_id: certificationId,
          company_id: cert.company_id,
          kind: input.kind,
          planned_on: input.plannedOn,
          held_on: input.heldOn,
          outcome: input.outcome,
          notes: input.notes,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await complianceRepository(tx).insertCertificationAudit(row);
        await recordAudit(tx, actor, {
          action: 'certification_audit.create',
          entityType: 'certification_audit',
          entityId: row.id,
          companyId: cert.company_id,
          after: input,
        });
        return auditDto(row);
      });
    },

    async updateCertificationAudit(
      actor: Actor,
      id: string,
      input: UpdateCertificationAuditInput,
    ): Promise<CertificationAuditDto> {
      const before = await repo.certificationAudit(scopeOf(actor, 'compliance.read'), id);
      if (!before) throw notFound('Certification audit');
      allowed(actor, 'certification.write', before.company_id);
      return db.transaction(async (tx) => {
        const r = complianceRepository(tx);
        const patch: Partial<CertificationAuditRow> = {
          ...(input.plannedOn !== undefined ? { planned_on: input.plannedOn } : {}),
          ...(input.heldOn !== undefined ? { held_on: input.heldOn } : {}),
          ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
          ...(input.notes !== undefined ? { notes: input.notes } : {}),
          updated_at: isoNow(),
        };
        if (!(await r.updateCertificationAudit(id, input.version, patch)))
          throw staleVersion('Certification audit');
        const after = (await r.certificationAudit({ all: true }, id))!;
        await recordAudit(tx, actor, {
          action: 'certification_audit.update',
          entityType: 'certification_audit',
          entityId: id,
          companyId: before.company_id,
          before: auditDto(before),
          after: auditDto(after),
        });
        return auditDto(after);
      });
    },

    // ---------- group roll-up ----------
    async dashboard(actor: Actor, opts: { heatmapFramework: string }): Promise<DashboardDto> {
      const scope = scopeOf(actor, 'compliance.read');
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      const date = today();
      const snaps = await currentSnapshots(actor);
      const adoptions = await repo.adoptions(scope);
      const companyIds = [...new Set(adoptions.map((a) => a.company_id))];
      const certRows = await repo.certifications(scope);
      const companies: DashboardDto['companies'] = (
        await org.getCompanies(systemActor('compliance'), [
          ...companyIds,
          ...certRows.map((c) => c.company_id),
        ])
      )
        .map((c) => ({ id: c.id, name: c.legalName, shortCode: c.shortCode }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const frameworkIds = [...new Set(adoptions.map((a) => a.framework_id))];
      const fws = await Promise.all(frameworkIds.map((id) => catalogOf(id)));
      const matrix = snaps
        .filter((s) => s.section === '')
        .map((s) => ({ companyId: s.company_id, frameworkId: s.framework_id, ...fromSnapshot(s) }));
      const heat = fws.find((f) => f.framework.ref === opts.heatmapFramework) ?? null;
      const heatmap = heat
        ? {
            frameworkId: heat.framework.id,
            sections: heat.sections,
            cells: snaps
              .filter((s) => s.framework_id === heat.framework.id && s.section !== '')
              .map((s) => ({ companyId: s.company_id, section: s.section, ...fromSnapshot(s) })),
          }
        : null;
      const certs = await certificationDtos(certRows);
      const calendar: DashboardDto['calendar'] = [];
      for (const c of certs) {
        for (const a of c.audits.filter((x) => x.outcome === 'planned')) {
          calendar.push({
            companyId: c.companyId,
            certificationId: c.id,
            standard: c.standard,
            kind: a.kind,
            date: a.plannedOn,
            overdue: a.plannedOn < date,
          });
        }
        if (c.expiresOn && c.status === 'active')
          calendar.push({
            companyId: c.companyId,
            certificationId: c.id,
            standard: c.standard,
            kind: 'expiry',
            date: c.expiresOn,
            overdue: c.expiresOn < date,
          });
      }
      calendar.sort((a, b) => a.date.localeCompare(b.date));
      const counts = await repo.evidenceSnapshotTotals(scope, date);
      return {
        date,
        companies,
        frameworks: fws.map((f) => ({ id: f.framework.id, ref: f.framework.ref, name: f.framework.name })),
        matrix,
        heatmap,
        calendar,
        expiringEvidence: counts.expiring,
        expiredEvidence: counts.expired,
      };
    },
  };

  async function storeEvidence(
    actor: Actor,
    control: AppliedControlRow,
    e: {
      kind: EvidenceRow['kind'];
      title: string;
      url: string | null;
      note: string | null;
      validFrom: string;
      validUntil: string | null;
      file?: { sha256: string; size: number; name: string; mediaType: string };
    },
  ): Promise<EvidenceDto> {
    if (e.validUntil !== null && e.validUntil < e.validFrom)
      throw validationFailed('The validity ends before it starts', [
        { path: 'validUntil', message: 'is before validFrom', code: 'ends_before_start' },
      ]);
    return db.transaction(async (tx) => {
      const at = isoNow();
      const row: EvidenceRow = {
        id: newId(),
        company_id: control.company_id,
        applied_control_id: control.id,
        kind: e.kind,
        title: e.title,
        url: e.url,
        note: e.note,
        file_sha256: e.file?.sha256 ?? null,
        file_name: e.file?.name ?? null,
        file_size: e.file?.size ?? null,
        media_type: e.file?.mediaType ?? null,
        valid_from: e.validFrom,
        valid_until: e.validUntil,
        version: 1,
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
      };
      await complianceRepository(tx).insertEvidence(row);
      const dto = evidenceDto(row, today());
      await recordAudit(tx, actor, {
        action: 'evidence.create',
        entityType: 'evidence',
        entityId: row.id,
        companyId: row.company_id,
        after: { ...dto, state: undefined, createdAt: undefined },
      });
      await refreshScores(tx, control.company_id);
      return dto;
    });
  }
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
