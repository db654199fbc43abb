// Factories that build and insert org objects through the real services.
import { randomBytes } from 'node:crypto';
import { systemActor } from '../../src/platform/authz/permissions.ts';
import type { AppContext } from '../../src/app/context.ts';
import type { CompanyDto, DepartmentDto, PersonDto, PersonnelCategory } from '../../src/modules/org/index.ts';

const seed = () => randomBytes(3).toString('hex').toUpperCase();
export const factoryActor = systemActor('test-factory');

export function companyFactory(ctx: AppContext) {
  return (
    over: Partial<{ legalName: string; shortCode: string; country: string; parentId: string | null }> = {},
  ): Promise<CompanyDto> => {
    const s = seed();
    return ctx.services.org.createCompany(factoryActor, {
      legalName: over.legalName ?? `Test Company ${s}`,
      shortCode: over.shortCode ?? `T${s}`,
      country: over.country ?? 'JP',
      parentId: over.parentId ?? null,
      status: 'active',
    });
  };
}

export function departmentFactory(ctx: AppContext) {
  return (
    companyId: string,
    over: Partial<{ name: string; code: string; parentId: string | null }> = {},
  ): Promise<DepartmentDto> => {
    const s = seed();
    return ctx.services.org.createDepartment(factoryActor, companyId, {
      name: over.name ?? `Dept ${s}`,
      code: over.code ?? `D${s}`,
      parentId: over.parentId ?? null,
    });
  };
}

export function personFactory(ctx: AppContext) {
  return (
    companyId: string,
    over: Partial<{
      name: string;
      employeeNumber: string;
      email: string | null;
      personnelCategory: PersonnelCategory;
      departmentId: string | null;
      managerId: string | null;
      active: boolean;
    }> = {},
  ): Promise<PersonDto> => {
    const s = seed();
    return ctx.services.org.createPerson(factoryActor, {
      companyId,
      name: over.name ?? `Person ${s}`,
      employeeNumber: over.employeeNumber ?? `E${s}`,
      email: over.email === undefined ? `p${s.toLowerCase()}@example.com` : over.email,
      personnelCategory: over.personnelCategory ?? 'regular_employee',
      departmentId: over.departmentId ?? null,
      managerId: over.managerId ?? null,
      active: over.active ?? true,
    });
  };
}
