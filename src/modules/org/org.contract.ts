// The org module's contract: zod schemas are its types, its validation and its OpenAPI entries.
import { z } from 'zod';
import { RowErrorSchema } from '../../platform/http/field-issue.ts';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

export const PERSONNEL_CATEGORIES = [
  'director_officer',
  'regular_employee',
  'contract_employee',
  'temporary_staff',
  'partner_staff',
  'outsourced_worker',
  'part_time_employee',
] as const;
export const PersonnelCategorySchema = z.enum(PERSONNEL_CATEGORIES);
export type PersonnelCategory = z.infer<typeof PersonnelCategorySchema>;

export const COMPANY_STATUSES = ['active', 'inactive', 'closed'] as const;
export const CompanyStatusSchema = z.enum(COMPANY_STATUSES);

const Id = z.uuid();
const Name = z.string().trim().min(1).max(200);
const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as JP or US');
const ShortCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,19}$/, 'must be 2-20 capital letters, digits, _ or -');
const Version = z.number().int().min(1);
const Timestamp = z.string();

export const IdParamsSchema = z.strictObject({ id: Id });

export const CompanyDtoSchema = z.object({
  id: Id,
  legalName: z.string(),
  shortCode: z.string(),
  country: z.string(),
  parentId: Id.nullable(),
  status: CompanyStatusSchema,
  cisoPersonId: Id.nullable(),
  cisoName: z.string().nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CompanyDto = z.infer<typeof CompanyDtoSchema>;

export const CreateCompanySchema = z.strictObject({
  legalName: Name,
  shortCode: ShortCode,
  country: CountryCode,
  parentId: Id.nullable().default(null),
  status: CompanyStatusSchema.default('active'),
});
export type CreateCompanyInput = z.infer<typeof CreateCompanySchema>;

export const UpdateCompanySchema = z.strictObject({
  version: Version,
  legalName: Name.optional(),
  shortCode: ShortCode.optional(),
  country: CountryCode.optional(),
  parentId: Id.nullable().optional(),
  status: CompanyStatusSchema.optional(),
});
export type UpdateCompanyInput = z.infer<typeof UpdateCompanySchema>;

export const SetCisoSchema = z.strictObject({ version: Version, personId: Id.nullable() });
export type SetCisoInput = z.infer<typeof SetCisoSchema>;

export const ListCompaniesQuerySchema = PageQuerySchema.extend({
  q: z.string().max(200).optional(),
  status: CompanyStatusSchema.optional(),
  country: CountryCode.optional(),
}).strict();
export type ListCompaniesQuery = z.infer<typeof ListCompaniesQuerySchema>;
export const CompanyPageSchema = pageOf(CompanyDtoSchema);

export const DepartmentDtoSchema = z.object({
  id: Id,
  companyId: Id,
  parentId: Id.nullable(),
  name: z.string(),
  code: z.string(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DepartmentDto = z.infer<typeof DepartmentDtoSchema>;

const DeptCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\s/]+$/, 'must not contain spaces or /');

export const CreateDepartmentSchema = z.strictObject({
  name: Name,
  code: DeptCode,
  parentId: Id.nullable().default(null),
});
export type CreateDepartmentInput = z.infer<typeof CreateDepartmentSchema>;

export const UpdateDepartmentSchema = z.strictObject({
  version: Version,
  name: Name.optional(),
  code: DeptCode.optional(),
  parentId: Id.nullable().optional(),
});
export type UpdateDepartmentInput = z.infer<typeof UpdateDepartmentSchema>;

export const CompanyIdParamsSchema = z.strictObject({ companyId: Id });
export const DepartmentListSchema = z.object({ items: z.array(DepartmentDtoSchema) });

export const PersonDtoSchema = z.object({
  id: Id,
  companyId: Id,
  departmentId: Id.nullable(),
  managerId: Id.nullable(),
  employeeNumber: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  personnelCategory: PersonnelCategorySchema,
  active: z.boolean(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PersonDto = z.infer<typeof PersonDtoSchema>;

const EmployeeNumber = z.string().trim().min(1).max(50);
const Email = z.email().max(254);

export const CreatePersonSchema = z.strictObject({
  companyId: Id,
  departmentId: Id.nullable().default(null),
  managerId: Id.nullable().default(null),
  employeeNumber: EmployeeNumber,
  name: Name,
  email: Email.nullable().default(null),
  personnelCategory: PersonnelCategorySchema,
  active: z.boolean().default(true),
});
export type CreatePersonInput = z.infer<typeof CreatePersonSchema>;

export const UpdatePersonSchema = z.strictObject({
  version: Version,
  departmentId: Id.nullable().optional(),
  managerId: Id.nullable().optional(),
  employeeNumber: EmployeeNumber.optional(),
  name: Name.optional(),
  email: Email.nullable().optional(),
  personnelCategory: PersonnelCategorySchema.optional(),
  active: z.boolean().optional(),
});
export type UpdatePersonInput = z.infer<typeof UpdatePersonSchema>;

export const ListPeopleQuerySchema = PageQuerySchema.extend({
  q: z.string().max(200).optional(),
  companyId: Id.optional(),
  departmentId: Id.optional(),
  personnelCategory: PersonnelCategorySchema.optional(),
  active: z.enum(['true', 'false']).optional(),
}).strict();
export type ListPeopleQuery = z.infer<typeof ListPeopleQuerySchema>;
export const PersonPageSchema = pageOf(PersonDtoSchema);

/** Columns of the HR CSV export that Mamori imports and exports. */
export const PEOPLE_CSV_COLUMNS = [
  'company_code',
  'employee_number',
  'name',
  'email',
  'personnel_category',
  'department_code',
  'manager_employee_number',
  'active',
] as const;

export const ImportRowErrorSchema = RowErrorSchema;
export const PeopleImportReportSchema = z.object({
  committed: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(ImportRowErrorSchema),
  /** More errors were found than listed. */
  errorsTruncated: z.boolean(),
});
export type PeopleImportReport = z.infer<typeof PeopleImportReportSchema>;
export const ImportQuerySchema = z.strictObject({ commit: z.enum(['true', 'false']).default('false') });
