// SQL of the org module. Every query on a company-scoped table takes the actor's scope.
import type { Executor } from '../../platform/db/database.ts';
import { keysetAfter } from '../../platform/db/keyset.ts';
import { containing, likeLower } from '../../platform/db/like.ts';
import type { Scope } from '../../platform/authz/permissions.ts';
import type { CompanyRow, DepartmentRow, PersonRow } from './org.tables.ts';

export type CompanyWithCiso = CompanyRow & { ciso_name: string | null };

const COMPANY_COLUMNS = [
  'companies.id',
  'companies.legal_name',
  'companies.short_code',
  'companies.country',
  'companies.parent_id',
  'companies.status',
  'companies.ciso_person_id',
  'companies.version',
  'companies.created_at',
  'companies.updated_at',
] as const;

const PERSON_COLUMNS = [
  'id',
  'company_id',
  'department_id',
  'manager_id',
  'employee_number',
  'name',
  'email',
  'personnel_category',
  'active',
  'version',
  'created_at',
  'updated_at',
] as const;

const PERSON_LIST_COLUMNS = [
  'id',
  'company_id as companyId',
  'department_id as departmentId',
  'manager_id as managerId',
  'employee_number as employeeNumber',
  'name',
  'email',
  'personnel_category as personnelCategory',
  'active',
  'version',
  'created_at as createdAt',
  'updated_at as updatedAt',
] as const;

export type PersonListRow = {
  id: string;
  companyId: string;
  departmentId: string | null;
  managerId: string | null;
  employeeNumber: string;
  name: string;
  email: string | null;
  personnelCategory: string;
  active: boolean | number;
  version: number;
  createdAt: string;
  updatedAt: string;
};

const DEPARTMENT_COLUMNS = [
  'id',
  'company_id',
  'parent_id',
  'name',
  'code',
  'version',
  'created_at',
  'updated_at',
] as const;

export interface PeopleFilter {
  q?: string | undefined;
  companyId?: string | undefined;
  departmentId?: string | undefined;
  personnelCategory?: string | undefined;
  active?: boolean | undefined;
  after?: [string, string] | undefined;
  limit: number;
}

const isEmpty = (scope: Scope) => !scope.all && scope.companyIds.length === 0;

export const orgRepository = (db: Executor) => {
  const companies = () =>
    db
      .selectFrom('companies')
      .leftJoin('people as ciso', 'ciso.id', 'companies.ciso_person_id')
      .select([...COMPANY_COLUMNS, 'ciso.name as ciso_name']);

  const scopedPeople = (scope: Scope) => {
    let q = db.selectFrom('people').select(PERSON_COLUMNS);
    if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
    return q;
  };

  const peopleFiltered = (
    scope: Scope,
    f: Omit<PeopleFilter, 'after' | 'limit'>,
    columns: readonly string[] = PERSON_COLUMNS,
  ) => {
    let q = db.selectFrom('people').select(columns as typeof PERSON_COLUMNS);
    if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
    if (f.companyId) q = q.where('company_id', '=', f.companyId);
    if (f.departmentId) q = q.where('department_id', '=', f.departmentId);
    if (f.personnelCategory) q = q.where('personnel_category', '=', f.personnelCategory);
    if (f.active !== undefined) q = q.where('active', '=', f.active);
    if (f.q) {
      const like = containing(f.q);
      q = q.where((eb) =>
        eb.or([
          likeLower(eb, 'name', like),
          likeLower(eb, 'email', like),
          likeLower(eb, 'employee_number', like),
        ]),
      );
    }
    return q;
  };

  return {
    // ---- companies (a company's scope is its own id) ----
    async listCompanies(
      scope: Scope,
      f: {
        q?: string | undefined;
        status?: string | undefined;
        country?: string | undefined;
        after?: [string, string] | undefined;
        limit: number;
      },
    ): Promise<CompanyWithCiso[]> {
      if (isEmpty(scope)) return [];
      let q = companies();
      if (!scope.all) q = q.where('companies.id', 'in', scope.companyIds);
      if (f.status) q = q.where('companies.status', '=', f.status);
      if (f.country) q = q.where('companies.country', '=', f.country);
      if (f.q) {
        const like = containing(f.q);
        q = q.where((eb) =>
          eb.or([likeLower(eb, 'companies.legal_name', like), likeLower(eb, 'companies.short_code', like)]),
        );
      }
      if (f.after) {
        const key = f.after;
        q = q.where((eb) => keysetAfter(eb, 'companies.legal_name', 'companies.id', key));
      }
      return (await q
        .orderBy('companies.legal_name')
        .orderBy('companies.id')
        .limit(f.limit + 1)
        .execute()) as CompanyWithCiso[];
    },

    async findCompany(scope: Scope, id: string): Promise<CompanyWithCiso | undefined> {
      if (!scope.all && !scope.companyIds.includes(id)) return undefined;
      return (await companies().where('companies.id', '=', id).executeTakeFirst()) as
        CompanyWithCiso | undefined;
    },

    async findCompanies(scope: Scope, ids: readonly string[]): Promise<CompanyWithCiso[]> {
      const wanted = scope.all ? [...ids] : ids.filter((id) => scope.companyIds.includes(id));
      if (wanted.length === 0) return [];
      return (await companies().where('companies.id', 'in', wanted).execute()) as CompanyWithCiso[];
    },

    async companyIdByShortCode(shortCode: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('companies')
        .select('id')
        .where('short_code', '=', shortCode)
        .executeTakeFirst();
      return r?.id as string | undefined;
    },

    async companiesByShortCode(scope: Scope): Promise<Map<string, string>> {
      if (isEmpty(scope)) return new Map();
      let q = db.selectFrom('companies').select(['id', 'short_code']);
      if (!scope.all) q = q.where('id', 'in', scope.companyIds);
      const rows = await q.execute();
      return new Map(rows.map((r) => [r.short_code as string, r.id as string]));
    },

    async parentChain(id: string): Promise<string[]> {
      const chain: string[] = [];
      let current: string | null = id;
      while (current && chain.length < 100) {
        chain.push(current);
        const r: { parent_id: string | null } | undefined = await db
          .selectFrom('companies')
          .select('parent_id')
          .where('id', '=', current)
          .executeTakeFirst();
        current = r?.parent_id ?? null;
      }
      return chain;
    },

    async insertCompany(row: CompanyRow): Promise<void> {
      await db.insertInto('companies').values(row).execute();
    },

    async updateCompany(id: string, version: number, patch: Partial<CompanyRow>): Promise<boolean> {
      const r = await db
        .updateTable('companies')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    // ---- departments ----
    async listDepartments(companyId: string): Promise<DepartmentRow[]> {
      return (await db
        .selectFrom('departments')
        .select(DEPARTMENT_COLUMNS)
        .where('company_id', '=', companyId)
        .orderBy('name')
        .orderBy('id')
        .execute()) as DepartmentRow[];
    },

    async findDepartment(scope: Scope, id: string): Promise<DepartmentRow | undefined> {
      if (isEmpty(scope)) return undefined;
      let q = db.selectFrom('departments').select(DEPARTMENT_COLUMNS).where('id', '=', id);
      if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
      return (await q.executeTakeFirst()) as DepartmentRow | undefined;
    },

    async departmentsByCode(companyIds: string[]): Promise<Map<string, string>> {
      if (companyIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('departments')
        .select(['id', 'company_id', 'code'])
        .where('company_id', 'in', companyIds)
        .execute();
      return new Map(rows.map((r) => [`${r.company_id as string}\u0000${r.code as string}`, r.id as string]));
    },

    async insertDepartment(row: DepartmentRow): Promise<void> {
      await db.insertInto('departments').values(row).execute();
    },

    async updateDepartment(id: string, version: number, patch: Partial<DepartmentRow>): Promise<boolean> {
      const r = await db
        .updateTable('departments')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async departmentInUse(id: string): Promise<boolean> {
      const child = await db
        .selectFrom('departments')
        .select('id')
        .where('parent_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (child) return true;
      const person = await db
        .selectFrom('people')
        .select('id')
        .where('department_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      return person !== undefined;
    },

    async deleteDepartment(id: string): Promise<void> {
      await db.deleteFrom('departments').where('id', '=', id).execute();
    },

    // ---- people ----
    /** A page of people, already in the API's field names (only `active` needs reading as a boolean). */
    async listPeople(scope: Scope, f: PeopleFilter): Promise<PersonListRow[]> {
      if (isEmpty(scope)) return [];
      let q = peopleFiltered(scope, f, PERSON_LIST_COLUMNS);
      if (f.after) {
        const key = f.after;
        q = q.where((eb) => keysetAfter(eb, 'name', 'id', key));
      }
      return (await q
        .orderBy('name')
        .orderBy('id')
        .limit(f.limit + 1)
        .execute()) as unknown as PersonListRow[];
    },

    /** All matching people in name order, streamed for export. */
    async *streamPeople(scope: Scope, f: Omit<PeopleFilter, 'after' | 'limit'>): AsyncGenerator<PersonRow> {
      if (isEmpty(scope)) return;
      let after: [string, string] | undefined;
      for (;;) {
        let q = peopleFiltered(scope, f);
        if (after) {
          const key = after;
          q = q.where((eb) => keysetAfter(eb, 'name', 'id', key));
        }
        const rows = (await q.orderBy('name').orderBy('id').limit(2000).execute()) as PersonRow[];
        yield* rows;
        const last = rows[rows.length - 1];
        if (rows.length < 2000 || !last) return;
        after = [last.name, last.id];
      }
    },

    async findPerson(scope: Scope, id: string): Promise<PersonRow | undefined> {
      if (isEmpty(scope)) return undefined;
      return (await scopedPeople(scope).where('id', '=', id).executeTakeFirst()) as PersonRow | undefined;
    },

    async personIdByEmployeeNumber(companyId: string, employeeNumber: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('people')
        .select('id')
        .where('company_id', '=', companyId)
        .where('employee_number', '=', employeeNumber)
        .executeTakeFirst();
      return r?.id as string | undefined;
    },

    async peopleOfCompanies(companyIds: string[]): Promise<PersonRow[]> {
      if (companyIds.length === 0) return [];
      return (await db
        .selectFrom('people')
        .select(PERSON_COLUMNS)
        .where('company_id', 'in', companyIds)
        .execute()) as PersonRow[];
    },

    async companiesOfPeople(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('people')
        .select(['id', 'company_id'])
        .where('id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id as string, r.company_id as string]));
    },

    async insertPeople(rows: PersonRow[]): Promise<void> {
      const CHUNK = 400;
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('people')
          .values(rows.slice(i, i + CHUNK))
          .execute();
      }
    },

    async updatePerson(id: string, version: number, patch: Partial<PersonRow>): Promise<boolean> {
      const r = await db
        .updateTable('people')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async companyExists(id: string): Promise<boolean> {
      const r = await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst();
      return r !== undefined;
    },

    async countPeopleByCategory(scope: Scope): Promise<{ category: string; count: number }[]> {
      if (isEmpty(scope)) return [];
      let q = db
        .selectFrom('people')
        .select(['personnel_category', (eb) => eb.fn.countAll().as('n')])
        .where('active', '=', true);
      if (!scope.all) q = q.where('company_id', 'in', scope.companyIds);
      const rows = await q.groupBy('personnel_category').execute();
      return rows.map((r) => ({ category: r.personnel_category as string, count: Number(r.n) }));
    },
  };
};

export type OrgRepository = ReturnType<typeof orgRepository>;
