// Companies, departments and people of the group: permission checks, rules, transactions and audit entries.
import type { Database, Executor } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/rows.ts';
import { recordAudit, type AuditEvent } from '../../platform/audit/audit.ts';
import { can, scopeOf, type Action, type Actor } from '../../platform/authz/permissions.ts';
import {
  conflict,
  forbidden,
  notFound,
  rowError,
  staleVersion,
  stateConflict,
  taken,
  validationFailed,
  type IssueCode,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import { orgRepository, type CompanyWithCiso } from './org.repository.ts';
import type { CompanyRow, DepartmentRow, PersonRow } from './org.tables.ts';
import { decodeCsvBytes, parsePeopleCsv, type RowError } from './lib/people-csv.ts';
import {
  PEOPLE_CSV_COLUMNS,
  type CompanyDto,
  type CreateCompanyInput,
  type CreateDepartmentInput,
  type CreatePersonInput,
  type DepartmentDto,
  type ListCompaniesQuery,
  type ListPeopleQuery,
  type PeopleImportReport,
  type PersonDto,
  type PersonnelCategory,
  type SetCisoInput,
  type UpdateCompanyInput,
  type UpdateDepartmentInput,
  type UpdatePersonInput,
} from './org.contract.ts';

export const companyDto = (c: CompanyWithCiso): CompanyDto => ({
  id: c.id,
  legalName: c.legal_name,
  shortCode: c.short_code,
  country: c.country,
  parentId: c.parent_id,
  status: c.status,
  cisoPersonId: c.ciso_person_id,
  cisoName: c.ciso_name,
  version: c.version,
  createdAt: c.created_at,
  updatedAt: c.updated_at,
});

/** What the audit trail keeps of an object: its DTO without the id and times the entry holds already. */
function snapshot<T extends { id: string; createdAt: string; updatedAt: string }>(dto: T) {
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = dto;
  return rest;
}

const companySnapshot = (c: CompanyRow) => {
  const { cisoName: _derived, ...rest } = snapshot(companyDto({ ...c, ciso_name: null }));
  return rest;
};

export const departmentDto = (d: DepartmentRow): DepartmentDto => ({
  id: d.id,
  companyId: d.company_id,
  parentId: d.parent_id,
  name: d.name,
  code: d.code,
  version: d.version,
  createdAt: d.created_at,
  updatedAt: d.updated_at,
});

export const personDto = (p: PersonRow): PersonDto => ({
  id: p.id,
  companyId: p.company_id,
  departmentId: p.department_id,
  managerId: p.manager_id,
  employeeNumber: p.employee_number,
  name: p.name,
  email: p.email,
  personnelCategory: p.personnel_category as PersonnelCategory,
  active: Boolean(p.active),
  version: p.version,
  createdAt: p.created_at,
  updatedAt: p.updated_at,
});

const personSnapshot = (p: PersonRow) => snapshot(personDto(p));

/** Bad rows listed in an API answer; all of them are counted, and the CLI lists them all. */
const MAX_IMPORT_ERRORS = 1000;

export interface OrgDeps {
  db: Database;
  now?: () => Date;
}

export function createOrgService(deps: OrgDeps) {
  const { db } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const repo = orgRepository(db.kysely);

  /** Read access, or 404: objects of companies outside the actor's scope do not exist for them. */
  function visible(actor: Actor, action: Action, companyId: string): void {
    if (!can(actor, action, companyId)) throw notFound('Company');
  }
  function allowed(actor: Actor, action: Action, companyId: string | null): void {
    if (!can(actor, action, companyId)) throw forbidden();
  }

  async function loadCompany(tx: Executor, actor: Actor, id: string): Promise<CompanyWithCiso> {
    const c = await orgRepository(tx).findCompany(scopeOf(actor, 'company.read'), id);
    if (!c) throw notFound('Company');
    return c;
  }

  async function checkParent(tx: Executor, actor: Actor, companyId: string | null, parentId: string | null) {
    if (parentId === null) return;
    const r = orgRepository(tx);
    if (!(await r.findCompany(scopeOf(actor, 'company.read'), parentId))) {
      throw validationFailed('The parent company does not exist', [
        { path: 'parentId', message: 'not found', code: 'not_found' },
      ]);
    }
    if (companyId && (await r.parentChain(parentId)).includes(companyId)) {
      throw validationFailed('A company cannot be its own ancestor', [
        { path: 'parentId', message: 'would make a cycle', code: 'cycle' },
      ]);
    }
  }

  async function loadDepartment(tx: Executor, actor: Actor, id: string): Promise<DepartmentRow> {
    const d = await orgRepository(tx).findDepartment(scopeOf(actor, 'department.read'), id);
    if (!d) throw notFound('Department');
    return d;
  }

  async function checkDepartmentParent(
    tx: Executor,
    actor: Actor,
    companyId: string,
    id: string | null,
    parentId: string | null,
  ) {
    if (parentId === null) return;
    const r = orgRepository(tx);
    const scope = scopeOf(actor, 'department.read');
    let current: DepartmentRow | undefined = await r.findDepartment(scope, parentId);
    if (!current || current.company_id !== companyId) {
      throw validationFailed('The parent department is not in this company', [
        { path: 'parentId', message: 'not found in this company', code: 'not_in_company' },
      ]);
    }
    for (let depth = 0; current && depth < 100; depth++) {
      if (current.id === id)
        throw validationFailed('A department cannot be its own ancestor', [
          { path: 'parentId', message: 'would make a cycle', code: 'cycle' },
        ]);
      current = current.parent_id ? await r.findDepartment(scope, current.parent_id) : undefined;
    }
  }

  async function checkPersonRefs(
    tx: Executor,
    actor: Actor,
    companyId: string,
    personId: string | null,
    departmentId: string | null | undefined,
    managerId: string | null | undefined,
  ) {
    const r = orgRepository(tx);
    if (departmentId) {
      const d = await r.findDepartment(scopeOf(actor, 'department.read'), departmentId);
      if (!d || d.company_id !== companyId)
        throw validationFailed('The department is not in this company', [
          { path: 'departmentId', message: 'not found in this company', code: 'not_in_company' },
        ]);
    }
    if (managerId) {
      if (managerId === personId)
        throw validationFailed('A person cannot be their own manager', [
          { path: 'managerId', message: 'is the person', code: 'self_reference' },
        ]);
      const m = await r.findPerson(scopeOf(actor, 'person.read'), managerId);
      if (!m || m.company_id !== companyId)
        throw validationFailed('The manager is not in this company', [
          { path: 'managerId', message: 'not found in this company', code: 'not_in_company' },
        ]);
    }
  }

  return {
    // ---------- companies ----------
    async listCompanies(actor: Actor, query: ListCompaniesQuery): Promise<Page<CompanyDto>> {
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listCompanies(scopeOf(actor, 'company.read'), { ...query, after });
      return toPage(rows, query.limit, (c) => [c.legal_name, c.id], companyDto);
    },

    /** The companies of these ids that the actor may see, in one query. */
    async getCompanies(actor: Actor, ids: readonly string[]): Promise<CompanyDto[]> {
      return (await repo.findCompanies(scopeOf(actor, 'company.read'), [...new Set(ids)])).map(companyDto);
    },

    async getCompany(actor: Actor, id: string): Promise<CompanyDto> {
      return companyDto(await loadCompany(db.kysely, actor, id));
    },

    async createCompany(actor: Actor, input: CreateCompanyInput): Promise<CompanyDto> {
      allowed(actor, 'company.create', null);
      return db.transaction(async (tx) => {
        const r = orgRepository(tx);
        await checkParent(tx, actor, null, input.parentId);
        if (await r.companyIdByShortCode(input.shortCode))
          throw conflict(`Short code ${input.shortCode} is already used`, [
            taken('shortCode', input.shortCode),
          ]);
        const at = now();
        const row: CompanyRow = {
          id: newId(),
          legal_name: input.legalName,
          short_code: input.shortCode,
          country: input.country,
          parent_id: input.parentId,
          status: input.status,
          ciso_person_id: null,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertCompany(row);
        await recordAudit(tx, actor, {
          action: 'company.create',
          entityType: 'company',
          entityId: row.id,
          companyId: row.id,
          after: companySnapshot(row),
        });
        return companyDto({ ...row, ciso_name: null });
      });
    },

    async updateCompany(actor: Actor, id: string, input: UpdateCompanyInput): Promise<CompanyDto> {
      return db.transaction(async (tx) => {
        const r = orgRepository(tx);
        const before = await loadCompany(tx, actor, id);
        allowed(actor, 'company.update', id);
        if (input.parentId !== undefined) {
          if (input.parentId !== before.parent_id && !can(actor, 'company.create')) {
            throw forbidden('Only group roles can move a company in the group structure', 'group_only');
          }
          await checkParent(tx, actor, id, input.parentId);
        }
        if (input.shortCode && input.shortCode !== before.short_code) {
          const other = await r.companyIdByShortCode(input.shortCode);
          if (other && other !== id)
            throw conflict(`Short code ${input.shortCode} is already used`, [
              taken('shortCode', input.shortCode),
            ]);
        }
        const patch: Partial<CompanyRow> = {
          ...(input.legalName !== undefined ? { legal_name: input.legalName } : {}),
          ...(input.shortCode !== undefined ? { short_code: input.shortCode } : {}),
          ...(input.country !== undefined ? { country: input.country } : {}),
          ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          updated_at: now(),
        };
        if (!(await r.updateCompany(id, input.version, patch))) throw staleVersion('Company');
        const after = await loadCompany(tx, actor, id);
        await recordAudit(tx, actor, {
          action: 'company.update',
          entityType: 'company',
          entityId: id,
          companyId: id,
          before: companySnapshot(before),
          after: companySnapshot(after),
        });
        return companyDto(after);
      });
    },

    async setCiso(actor: Actor, id: string, input: SetCisoInput): Promise<CompanyDto> {
      return db.transaction(async (tx) => {
        const r = orgRepository(tx);
        const before = await loadCompany(tx, actor, id);
        allowed(actor, 'company.set_ciso', id);
        if (input.personId !== null) {
          const p = await r.findPerson(scopeOf(actor, 'person.read'), input.personId);
          if (!p)
            throw validationFailed('The person does not exist', [
              { path: 'personId', message: 'not found', code: 'not_found' },
            ]);
          if (!p.active)
            throw validationFailed('The person is not active', [
              { path: 'personId', message: 'is not active', code: 'inactive' },
            ]);
        }
        if (
          !(await r.updateCompany(id, input.version, { ciso_person_id: input.personId, updated_at: now() }))
        )
          throw staleVersion('Company');
        const after = await loadCompany(tx, actor, id);
        await recordAudit(tx, actor, {
          action: 'company.set_ciso',
          entityType: 'company',
          entityId: id,
          companyId: id,
          before: { cisoPersonId: before.ciso_person_id },
          after: { cisoPersonId: after.ciso_person_id },
        });
        return companyDto(after);
      });
    },

    /** For other modules: does a company exist (without regard to any actor)? */
    companyExists: (tx: Executor, id: string) => orgRepository(tx).companyExists(id),

    // ---------- departments ----------
    async listDepartments(actor: Actor, companyId: string): Promise<DepartmentDto[]> {
      visible(actor, 'department.read', companyId);
      await loadCompany(db.kysely, actor, companyId).catch(() => {
        throw notFound('Company');
      });
      return (await repo.listDepartments(companyId)).map(departmentDto);
    },

    async createDepartment(
      actor: Actor,
      companyId: string,
      input: CreateDepartmentInput,
    ): Promise<DepartmentDto> {
      visible(actor, 'department.read', companyId);
      allowed(actor, 'department.write', companyId);
      return db.transaction(async (tx) => {
        if (!(await orgRepository(tx).companyExists(companyId))) throw notFound('Company');
        await checkDepartmentParent(tx, actor, companyId, null, input.parentId);
        const at = now();
        const row: DepartmentRow = {
          id: newId(),
          company_id: companyId,
          parent_id: input.parentId,
          name: input.name,
          code: input.code,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        try {
          await orgRepository(tx).insertDepartment(row);
        } catch (err) {
          if (isUniqueViolation(err))
            throw conflict(`Department code ${input.code} is already used in this company`, [
              taken('code', input.code),
            ]);
          throw err;
        }
        await recordAudit(tx, actor, {
          action: 'department.create',
          entityType: 'department',
          entityId: row.id,
          companyId,
          after: snapshot(departmentDto(row)),
        });
        return departmentDto(row);
      });
    },

    async updateDepartment(actor: Actor, id: string, input: UpdateDepartmentInput): Promise<DepartmentDto> {
      return db.transaction(async (tx) => {
        const before = await loadDepartment(tx, actor, id);
        allowed(actor, 'department.write', before.company_id);
        if (input.parentId !== undefined)
          await checkDepartmentParent(tx, actor, before.company_id, id, input.parentId);
        const patch: Partial<DepartmentRow> = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.code !== undefined ? { code: input.code } : {}),
          ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
          updated_at: now(),
        };
        let ok: boolean;
        try {
          ok = await orgRepository(tx).updateDepartment(id, input.version, patch);
        } catch (err) {
          if (isUniqueViolation(err))
            throw conflict(`Department code ${input.code ?? ''} is already used in this company`, [
              taken('code', input.code ?? ''),
            ]);
          throw err;
        }
        if (!ok) throw staleVersion('Department');
        const after = await loadDepartment(tx, actor, id);
        await recordAudit(tx, actor, {
          action: 'department.update',
          entityType: 'department',
          entityId: id,
          companyId: after.company_id,
          before: snapshot(departmentDto(before)),
          after: snapshot(departmentDto(after)),
        });
        return departmentDto(after);
      });
    },

    async deleteDepartment(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const r = orgRepository(tx);
        const before = await loadDepartment(tx, actor, id);
        allowed(actor, 'department.write', before.company_id);
        if (await r.departmentInUse(id))
          throw stateConflict(
            'department_not_empty',
            'The department still has sub-departments or people; move them first',
          );
        try {
          await r.deleteDepartment(id);
        } catch (err) {
          // Other modules' records (information assets) may refer to it too.
          if (/foreign key/i.test((err as Error).message ?? ''))
            throw stateConflict(
              'department_referred',
              'Other records, such as information assets, still refer to the department; move them first',
            );
          throw err;
        }
        await recordAudit(tx, actor, {
          action: 'department.delete',
          entityType: 'department',
          entityId: id,
          companyId: before.company_id,
          before: snapshot(departmentDto(before)),
        });
      });
    },

    // ---------- people ----------
    async listPeople(actor: Actor, query: ListPeopleQuery): Promise<Page<PersonDto>> {
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listPeople(scopeOf(actor, 'person.read'), {
        ...query,
        active: query.active === undefined ? undefined : query.active === 'true',
        after,
      });
      // Rows come in the API's shape; SQLite's 0/1 becomes a boolean in place.
      return toPage(
        rows,
        query.limit,
        (p) => [p.name, p.id],
        (p) => {
          p.active = Boolean(p.active);
          return p as PersonDto;
        },
      );
    },

    async getPerson(actor: Actor, id: string): Promise<PersonDto> {
      if (actor.personId === id && can(actor, 'self.read')) {
        const own = await repo.findPerson({ all: true }, id);
        if (own) return personDto(own);
      }
      const p = await repo.findPerson(scopeOf(actor, 'person.read'), id);
      if (!p) throw notFound('Person');
      return personDto(p);
    },

    async createPerson(actor: Actor, input: CreatePersonInput): Promise<PersonDto> {
      visible(actor, 'person.read', input.companyId);
      allowed(actor, 'person.write', input.companyId);
      return db.transaction(async (tx) => {
        const r = orgRepository(tx);
        if (!(await r.companyExists(input.companyId))) throw notFound('Company');
        await checkPersonRefs(tx, actor, input.companyId, null, input.departmentId, input.managerId);
        if (await r.personIdByEmployeeNumber(input.companyId, input.employeeNumber)) {
          throw conflict(`Employee number ${input.employeeNumber} is already used in this company`, [
            taken('employeeNumber', input.employeeNumber),
          ]);
        }
        const at = now();
        const row: PersonRow = {
          id: newId(),
          company_id: input.companyId,
          department_id: input.departmentId,
          manager_id: input.managerId,
          employee_number: input.employeeNumber,
          name: input.name,
          email: input.email?.toLowerCase() ?? null,
          personnel_category: input.personnelCategory,
          active: input.active,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertPeople([row]);
        await recordAudit(tx, actor, {
          action: 'person.create',
          entityType: 'person',
          entityId: row.id,
          companyId: row.company_id,
          after: personSnapshot(row),
        });
        return personDto(row);
      });
    },

    async updatePerson(actor: Actor, id: string, input: UpdatePersonInput): Promise<PersonDto> {
      return db.transaction(async (tx) => {
        const r = orgRepository(tx);
        const before = await r.findPerson(scopeOf(actor, 'person.read'), id);
        if (!before) throw notFound('Person');
        allowed(actor, 'person.write', before.company_id);
        await checkPersonRefs(tx, actor, before.company_id, id, input.departmentId, input.managerId);
        if (input.employeeNumber && input.employeeNumber !== before.employee_number) {
          const other = await r.personIdByEmployeeNumber(before.company_id, input.employeeNumber);
          if (other && other !== id)
            throw conflict(`Employee number ${input.employeeNumber} is already used in this company`, [
              taken('employeeNumber', input.employeeNumber),
            ]);
        }
        const patch: Partial<PersonRow> = {
          ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
          ...(input.managerId !== undefined ? { manager_id: input.managerId } : {}),
          ...(input.employeeNumber !== undefined ? { employee_number: input.employeeNumber } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.email !== undefined ? { email: input.email?.toLowerCase() ?? null } : {}),
          ...(input.personnelCategory !== undefined ? { personnel_category: input.personnelCategory } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
          updated_at: now(),
        };
        if (!(await r.updatePerson(id, input.version, patch))) throw staleVersion('Person');
        const after = (await r.findPerson({ all: true }, id))!;
        await recordAudit(tx, actor, {
          action: 'person.update',
          entityType: 'person',
          entityId: id,
          companyId: after.company_id,
          before: personSnapshot(before),
          after: personSnapshot(after),
        });
        return personDto(after);
      });
    },

    /** Dry run (commit=false) or all-or-nothing commit of an HR CSV export. */
    async importPeople(
      actor: Actor,
      bytes: Uint8Array,
      commit: boolean,
      maxErrors: number = MAX_IMPORT_ERRORS,
    ): Promise<PeopleImportReport> {
      const writeScope = scopeOf(actor, 'person.write');
      if (!writeScope.all && writeScope.companyIds.length === 0) throw forbidden();
      const parsed = parsePeopleCsv(decodeCsvBytes(bytes), maxErrors);
      const errors: RowError[] = [...parsed.errors];
      let errorCount = parsed.errorCount;
      const fail = (line: number, path: string, code: IssueCode, message: string) => {
        errorCount += 1;
        if (errors.length < maxErrors) errors.push(rowError(line, path, code, message));
      };

      const run = async (tx: Executor) => {
        const r = orgRepository(tx);
        const companies = await r.companiesByShortCode(writeScope);
        const companyIds = [
          ...new Set(
            parsed.rows.map((row) => companies.get(row.companyCode)).filter((x): x is string => !!x),
          ),
        ];
        const departments = await r.departmentsByCode(companyIds);
        const existing = new Map(
          (await r.peopleOfCompanies(companyIds)).map((p) => [
            `${p.company_id}\u0000${p.employee_number}`,
            p,
          ]),
        );
        const inFile = new Map(
          parsed.rows.map((row) => [`${row.companyCode}\u0000${row.employeeNumber}`, row]),
        );
        const at = now();
        const creates: PersonRow[] = [];
        const updates: { before: PersonRow; after: PersonRow }[] = [];
        const managerLinks: { key: string; companyId: string; managerNumber: string | null }[] = [];
        for (const row of parsed.rows) {
          const companyId = companies.get(row.companyCode);
          if (!companyId) {
            fail(
              row.line,
              'company_code',
              'not_permitted',
              `company_code "${row.companyCode}" is not a company you can import people into`,
            );
            continue;
          }
          const departmentId = row.departmentCode
            ? departments.get(`${companyId}\u0000${row.departmentCode}`)
            : null;
          if (row.departmentCode && !departmentId) {
            fail(
              row.line,
              'department_code',
              'not_in_company',
              `department_code "${row.departmentCode}" does not exist in ${row.companyCode}`,
            );
            continue;
          }
          if (row.managerEmployeeNumber) {
            if (row.managerEmployeeNumber === row.employeeNumber) {
              fail(
                row.line,
                'manager_employee_number',
                'self_reference',
                'a person cannot be their own manager',
              );
              continue;
            }
            const known =
              existing.has(`${companyId}\u0000${row.managerEmployeeNumber}`) ||
              inFile.has(`${row.companyCode}\u0000${row.managerEmployeeNumber}`);
            if (!known) {
              fail(
                row.line,
                'manager_employee_number',
                'not_in_company',
                `manager_employee_number "${row.managerEmployeeNumber}" is not a person of ${row.companyCode}`,
              );
              continue;
            }
          }
          const key = `${companyId}\u0000${row.employeeNumber}`;
          const prev = existing.get(key);
          const fields = {
            department_id: departmentId ?? null,
            name: row.name,
            email: row.email,
            personnel_category: row.personnelCategory,
            active: row.active,
          };
          managerLinks.push({ key, companyId, managerNumber: row.managerEmployeeNumber });
          if (!prev) {
            creates.push({
              id: newId(),
              company_id: companyId,
              manager_id: null,
              employee_number: row.employeeNumber,
              version: 1,
              created_at: at,
              updated_at: at,
              ...fields,
            });
          } else {
            updates.push({ before: prev, after: { ...prev, ...fields, active: fields.active } });
          }
        }
        // Resolve managers once every row has an id.
        const ids = new Map<string, string>([...existing].map(([k, p]) => [k, p.id]));
        for (const c of creates) ids.set(`${c.company_id}\u0000${c.employee_number}`, c.id);
        const byKey = new Map<string, PersonRow>();
        for (const c of creates) byKey.set(`${c.company_id}\u0000${c.employee_number}`, c);
        for (const u of updates) byKey.set(`${u.after.company_id}\u0000${u.after.employee_number}`, u.after);
        for (const link of managerLinks) {
          const target = byKey.get(link.key);
          if (target)
            target.manager_id = link.managerNumber
              ? (ids.get(`${link.companyId}\u0000${link.managerNumber}`) ?? null)
              : null;
        }
        const sameAs = (a: PersonRow, b: PersonRow) =>
          JSON.stringify(personSnapshot({ ...a, version: 0 })) ===
          JSON.stringify(personSnapshot({ ...b, version: 0 }));
        const changed = updates.filter((u) => !sameAs(u.before, u.after));
        const unchanged = updates.length - changed.length;
        const report: PeopleImportReport = {
          committed: false,
          rows: parsed.total,
          created: creates.length,
          updated: changed.length,
          unchanged,
          errors: errors.sort((a, b) => a.line - b.line),
          errorsTruncated: errorCount > errors.length,
        };
        if (!commit || errorCount > 0) return report;
        // Insert without managers first (a manager may be a row created later in the file), then link.
        await r.insertPeople(creates.map((c) => ({ ...c, manager_id: null })));
        for (const c of creates) {
          if (c.manager_id) await r.updatePerson(c.id, 1, { manager_id: c.manager_id });
        }
        for (const u of changed) {
          const { id: _id, version: _v, created_at: _c, company_id: _co, ...patch } = u.after;
          void _id;
          void _v;
          void _c;
          void _co;
          if (!(await r.updatePerson(u.before.id, u.before.version, { ...patch, updated_at: at })))
            throw staleVersion('Person');
        }
        const events: AuditEvent[] = [
          ...creates.map((c) => ({
            action: 'person.create',
            entityType: 'person',
            entityId: c.id,
            companyId: c.company_id,
            after: personSnapshot({ ...c, version: 1 }),
          })),
          ...changed.map((u) => ({
            action: 'person.update',
            entityType: 'person',
            entityId: u.before.id,
            companyId: u.before.company_id,
            before: personSnapshot(u.before),
            after: personSnapshot({ ...u.after, version: u.before.version + 1 }),
          })),
          {
            action: 'people.import',
            entityType: 'import',
            entityId: null,
            companyId: null,
            after: {
              rows: report.rows,
              created: report.created,
              updated: report.updated,
              unchanged: report.unchanged,
            },
          },
        ];
        await recordAudit(tx, actor, events);
        return { ...report, committed: true };
      };
      return commit ? db.transaction(run) : run(db.kysely);
    },

    async *exportPeopleCsv(
      actor: Actor,
      query: Omit<ListPeopleQuery, 'limit' | 'cursor'>,
    ): AsyncGenerator<string[]> {
      const scope = scopeOf(actor, 'person.read');
      if (!scope.all && scope.companyIds.length === 0) throw forbidden();
      const companyCodes = new Map(
        [...(await repo.companiesByShortCode(scope))].map(([code, id]) => [id, code]),
      );
      const deptCodes = new Map(
        [...(await repo.departmentsByCode([...companyCodes.keys()]))].map(([key, id]) => [
          id,
          key.split('\u0000')[1]!,
        ]),
      );
      const numbers = new Map<string, string>();
      const rows: PersonRow[] = [];
      for await (const p of repo.streamPeople(scope, {
        ...query,
        active: query.active === undefined ? undefined : query.active === 'true',
      })) {
        rows.push(p);
        numbers.set(p.id, p.employee_number);
      }
      const missingManagers = rows
        .map((p) => p.manager_id)
        .filter((m): m is string => !!m && !numbers.has(m));
      if (missingManagers.length > 0) {
        for (const p of await repo.peopleOfCompanies([...new Set(rows.map((r) => r.company_id))]))
          numbers.set(p.id, p.employee_number);
      }
      yield [...PEOPLE_CSV_COLUMNS];
      for (const p of rows) {
        yield [
          companyCodes.get(p.company_id) ?? '',
          p.employee_number,
          p.name,
          p.email ?? '',
          p.personnel_category,
          p.department_id ? (deptCodes.get(p.department_id) ?? '') : '',
          p.manager_id ? (numbers.get(p.manager_id) ?? '') : '',
          p.active ? 'true' : 'false',
        ];
      }
    },

    async peopleByCategory(actor: Actor): Promise<{ category: string; count: number }[]> {
      return repo.countPeopleByCategory(scopeOf(actor, 'person.read'));
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
