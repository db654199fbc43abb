// SQL of the compliance module. Every query on a company-scoped table takes the actor's scope or a company
// the service has already checked.
import type { Executor } from '../../platform/db/database.ts';
import { keysetAfter } from '../../platform/db/keyset.ts';
import { containing, likeLower } from '../../platform/db/like.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import type {
  AdoptionRow,
  AppliedControlRow,
  CertificationAuditRow,
  CertificationRow,
  EvidenceRow,
  SnapshotRow,
  SoaEntryRow,
} from './compliance.tables.ts';

const none = (scope: Scope) => !scope.all && scope.companyIds.length === 0;
const CHUNK = 300;

export const complianceRepository = (db: Executor) => {
  const versioned = async (table: string, id: string, version: number, patch: Record<string, unknown>) => {
    const r = await db
      .updateTable(table)
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  };
  const inScope = <Q extends { where: (...a: never[]) => Q }>(
    q: Q,
    scope: Scope,
    column = 'company_id',
  ): Q =>
    scope.all
      ? q
      : (q.where as unknown as (c: string, op: string, v: unknown) => Q)(column, 'in', scope.companyIds);

  return {
    // ---- adoption and the SoA ----
    async adoptions(scope: Scope, companyId?: string): Promise<AdoptionRow[]> {
      if (none(scope)) return [];
      let q = inScope(db.selectFrom('company_frameworks').selectAll(), scope);
      if (companyId) q = q.where('company_id', '=', companyId);
      return (await q.orderBy('adopted_at').execute()) as AdoptionRow[];
    },

    async adoption(companyId: string, frameworkId: string): Promise<AdoptionRow | undefined> {
      return (await db
        .selectFrom('company_frameworks')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('framework_id', '=', frameworkId)
        .executeTakeFirst()) as AdoptionRow | undefined;
    },

    async insertAdoption(row: AdoptionRow): Promise<void> {
      await db.insertInto('company_frameworks').values(row).execute();
    },

    async insertSoaEntries(rows: SoaEntryRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK)
        await db
          .insertInto('soa_entries')
          .values(rows.slice(i, i + CHUNK))
          .execute();
    },

    async soaEntries(companyId: string, frameworkId?: string): Promise<SoaEntryRow[]> {
      let q = db.selectFrom('soa_entries').selectAll().where('company_id', '=', companyId);
      if (frameworkId) q = q.where('framework_id', '=', frameworkId);
      return (await q.execute()) as SoaEntryRow[];
    },

    async soaEntry(scope: Scope, id: string): Promise<SoaEntryRow | undefined> {
      if (none(scope)) return undefined;
      return (await inScope(
        db.selectFrom('soa_entries').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst()) as SoaEntryRow | undefined;
    },

    updateSoaEntry: (id: string, version: number, patch: Partial<SoaEntryRow>) =>
      versioned('soa_entries', id, version, patch),

    /**
     * For each requirement of a company that has evidence (through its applied controls): whether any of it is
     * valid on `today`. Requirements without evidence are absent.
     */
    async evidenceStates(
      companyId: string,
      today: string,
    ): Promise<{ requirement_id: string; valid: number }[]> {
      const rows = await db
        .selectFrom('applied_control_requirements as acr')
        .innerJoin('evidence as e', 'e.applied_control_id', 'acr.applied_control_id')
        .select((eb) => [
          'acr.requirement_id',
          eb.fn
            .max(
              eb
                .case()
                .when(
                  eb.and([
                    eb('e.valid_from', '<=', today),
                    eb.or([eb('e.valid_until', 'is', null), eb('e.valid_until', '>=', today)]),
                  ]),
                )
                .then(1)
                .else(0)
                .end(),
            )
            .as('valid'),
        ])
        .where('acr.company_id', '=', companyId)
        .groupBy('acr.requirement_id')
        .execute();
      return rows.map((r) => ({ requirement_id: r.requirement_id as string, valid: Number(r.valid) }));
    },

    async controlsByRequirement(
      companyId: string,
    ): Promise<{ requirement_id: string; id: string; code: string; name: string }[]> {
      return (await db
        .selectFrom('applied_control_requirements as acr')
        .innerJoin('applied_controls as c', 'c.id', 'acr.applied_control_id')
        .select(['acr.requirement_id', 'c.id', 'c.code', 'c.name'])
        .where('acr.company_id', '=', companyId)
        .orderBy('c.code')
        .execute()) as { requirement_id: string; id: string; code: string; name: string }[];
    },

    // ---- applied controls ----
    async listControls(
      scope: Scope,
      f: {
        companyId?: string | undefined;
        q?: string | undefined;
        requirementId?: string | undefined;
        after?: [string, string] | undefined;
        limit: number;
      },
    ): Promise<AppliedControlRow[]> {
      if (none(scope)) return [];
      let q = inScope(db.selectFrom('applied_controls').selectAll(), scope);
      if (f.companyId) q = q.where('company_id', '=', f.companyId);
      if (f.requirementId) {
        q = q.where(
          'id',
          'in',
          db
            .selectFrom('applied_control_requirements')
            .select('applied_control_id')
            .where('requirement_id', '=', f.requirementId),
        );
      }
      if (f.q) {
        const like = containing(f.q);
        q = q.where((eb) => eb.or([likeLower(eb, 'name', like), likeLower(eb, 'code', like)]));
      }
      if (f.after) {
        const key = f.after;
        q = q.where((eb) => keysetAfter(eb, 'name', 'id', key));
      }
      return (await q
        .orderBy('name')
        .orderBy('id')
        .limit(f.limit + 1)
        .execute()) as AppliedControlRow[];
    },

    async control(scope: Scope, id: string): Promise<AppliedControlRow | undefined> {
      if (none(scope)) return undefined;
      return (await inScope(
        db.selectFrom('applied_controls').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst()) as AppliedControlRow | undefined;
    },

    async controlCodeTaken(companyId: string, code: string, exceptId?: string): Promise<boolean> {
      let q = db
        .selectFrom('applied_controls')
        .select('id')
        .where('company_id', '=', companyId)
        .where('code', '=', code);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return (await q.executeTakeFirst()) !== undefined;
    },

    async insertControl(row: AppliedControlRow): Promise<void> {
      await db.insertInto('applied_controls').values(row).execute();
    },

    updateControl: (id: string, version: number, patch: Partial<AppliedControlRow>) =>
      versioned('applied_controls', id, version, patch),

    async controlRequirementIds(
      controlIds: readonly string[],
    ): Promise<{ applied_control_id: string; requirement_id: string }[]> {
      if (controlIds.length === 0) return [];
      return (await db
        .selectFrom('applied_control_requirements')
        .select(['applied_control_id', 'requirement_id'])
        .where('applied_control_id', 'in', controlIds)
        .execute()) as { applied_control_id: string; requirement_id: string }[];
    },

    async setControlRequirements(
      controlId: string,
      companyId: string,
      requirementIds: readonly string[],
    ): Promise<void> {
      await db
        .deleteFrom('applied_control_requirements')
        .where('applied_control_id', '=', controlId)
        .execute();
      const rows = [...new Set(requirementIds)].map((requirement_id) => ({
        applied_control_id: controlId,
        requirement_id,
        company_id: companyId,
      }));
      for (let i = 0; i < rows.length; i += CHUNK)
        await db
          .insertInto('applied_control_requirements')
          .values(rows.slice(i, i + CHUNK))
          .execute();
    },

    // ---- evidence ----
    async insertEvidence(row: EvidenceRow): Promise<void> {
      await db.insertInto('evidence').values(row).execute();
    },

    async insertEvidenceBatch(rows: EvidenceRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK)
        await db
          .insertInto('evidence')
          .values(rows.slice(i, i + CHUNK))
          .execute();
    },

    async evidence(scope: Scope, id: string): Promise<EvidenceRow | undefined> {
      if (none(scope)) return undefined;
      return (await inScope(
        db.selectFrom('evidence').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst()) as EvidenceRow | undefined;
    },

    updateEvidence: (id: string, version: number, patch: Partial<EvidenceRow>) =>
      versioned('evidence', id, version, patch),

    async evidenceOfControls(controlIds: readonly string[]): Promise<EvidenceRow[]> {
      if (controlIds.length === 0) return [];
      return (await db
        .selectFrom('evidence')
        .selectAll()
        .where('applied_control_id', 'in', controlIds)
        .orderBy('valid_from', 'desc')
        .execute()) as EvidenceRow[];
    },

    /** Evidence whose validity ends between `from` and `until` (recently expired ones included), soonest first. */
    async expiring(
      scope: Scope,
      from: string,
      until: string,
      companyId?: string,
      limit = 500,
    ): Promise<(EvidenceRow & { control_code: string; control_name: string })[]> {
      if (none(scope)) return [];
      let q = db
        .selectFrom('evidence as e')
        .innerJoin('applied_controls as c', 'c.id', 'e.applied_control_id')
        .selectAll('e')
        .select(['c.code as control_code', 'c.name as control_name'])
        .where('e.valid_until', '>=', from)
        .where('e.valid_until', '<=', until);
      if (!scope.all) q = q.where('e.company_id', 'in', scope.companyIds);
      if (companyId) q = q.where('e.company_id', '=', companyId);
      return (await q.orderBy('e.valid_until').orderBy('e.id').limit(limit).execute()) as (EvidenceRow & {
        control_code: string;
        control_name: string;
      })[];
    },

    /** Evidence that ended from `from` up to today, and that ends from today up to `until`. */
    /** A company's evidence that ended from `from` up to today, and that ends from today up to `until`. */
    async countExpiring(
      companyId: string,
      from: string,
      today: string,
      until: string,
    ): Promise<{ expired: number; expiring: number }> {
      const r = await db
        .selectFrom('evidence')
        .select((eb) => [
          eb.fn.sum(eb.case().when('valid_until', '<', today).then(1).else(0).end()).as('expired'),
          eb.fn.sum(eb.case().when('valid_until', '>=', today).then(1).else(0).end()).as('expiring'),
        ])
        .where('company_id', '=', companyId)
        .where('valid_until', '>=', from)
        .where('valid_until', '<=', until)
        .executeTakeFirstOrThrow();
      return { expired: Number(r.expired ?? 0), expiring: Number(r.expiring ?? 0) };
    },

    async replaceEvidenceSnapshot(
      companyId: string,
      takenOn: string,
      counts: { expired: number; expiring: number },
    ): Promise<void> {
      await db
        .deleteFrom('evidence_snapshots')
        .where('company_id', '=', companyId)
        .where('taken_on', '=', takenOn)
        .execute();
      await db
        .insertInto('evidence_snapshots')
        .values({ company_id: companyId, taken_on: takenOn, ...counts })
        .execute();
    },

    async evidenceSnapshotTotals(
      scope: Scope,
      takenOn: string,
    ): Promise<{ expired: number; expiring: number }> {
      if (none(scope)) return { expired: 0, expiring: 0 };
      const r = await inScope(
        db
          .selectFrom('evidence_snapshots')
          .select((eb) => [eb.fn.sum('expired').as('expired'), eb.fn.sum('expiring').as('expiring')])
          .where('taken_on', '=', takenOn),
        scope,
      ).executeTakeFirstOrThrow();
      return { expired: Number(r.expired ?? 0), expiring: Number(r.expiring ?? 0) };
    },

    // ---- score snapshots ----
    async replaceSnapshots(companyId: string, takenOn: string, rows: SnapshotRow[]): Promise<void> {
      await db
        .deleteFrom('compliance_snapshots')
        .where('company_id', '=', companyId)
        .where('taken_on', '=', takenOn)
        .execute();
      for (let i = 0; i < rows.length; i += CHUNK)
        await db
          .insertInto('compliance_snapshots')
          .values(rows.slice(i, i + CHUNK))
          .execute();
    },

    async snapshotsOn(scope: Scope, takenOn: string): Promise<SnapshotRow[]> {
      if (none(scope)) return [];
      return (await inScope(
        db.selectFrom('compliance_snapshots').selectAll().where('taken_on', '=', takenOn),
        scope,
      ).execute()) as SnapshotRow[];
    },

    async history(companyId: string, frameworkId: string, from: string, to: string): Promise<SnapshotRow[]> {
      return (await db
        .selectFrom('compliance_snapshots')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('framework_id', '=', frameworkId)
        .where('section', '=', '')
        .where('taken_on', '>=', from)
        .where('taken_on', '<=', to)
        .orderBy('taken_on')
        .execute()) as SnapshotRow[];
    },

    // ---- certifications ----
    async certifications(scope: Scope, companyId?: string): Promise<CertificationRow[]> {
      if (none(scope)) return [];
      let q = inScope(db.selectFrom('certifications').selectAll(), scope);
      if (companyId) q = q.where('company_id', '=', companyId);
      return (await q.orderBy('standard').orderBy('id').execute()) as CertificationRow[];
    },

    async certification(scope: Scope, id: string): Promise<CertificationRow | undefined> {
      if (none(scope)) return undefined;
      return (await inScope(
        db.selectFrom('certifications').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst()) as CertificationRow | undefined;
    },

    async insertCertification(row: CertificationRow): Promise<void> {
      await db.insertInto('certifications').values(row).execute();
    },

    updateCertification: (id: string, version: number, patch: Partial<CertificationRow>) =>
      versioned('certifications', id, version, patch),

    async auditsOf(certificationIds: readonly string[]): Promise<CertificationAuditRow[]> {
      if (certificationIds.length === 0) return [];
      return (await db
        .selectFrom('certification_audits')
        .selectAll()
        .where('certification_id', 'in', certificationIds)
        .orderBy('planned_on')
        .execute()) as CertificationAuditRow[];
    },

    async certificationAudit(scope: Scope, id: string): Promise<CertificationAuditRow | undefined> {
      if (none(scope)) return undefined;
      return (await inScope(
        db.selectFrom('certification_audits').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst()) as CertificationAuditRow | undefined;
    },

    async insertCertificationAudit(row: CertificationAuditRow): Promise<void> {
      await db.insertInto('certification_audits').values(row).execute();
    },

    updateCertificationAudit: (id: string, version: number, patch: Partial<CertificationAuditRow>) =>
      versioned('certification_audits', id, version, patch),
  };
};

export type ComplianceRepository = ReturnType<typeof complianceRepository>;
