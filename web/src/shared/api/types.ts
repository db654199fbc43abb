// The wire types of the API, taken from the backend's zod contracts (types only; nothing of zod is bundled).
export type {
  CompanyDto,
  DepartmentDto,
  PersonDto,
  PersonnelCategory,
  PeopleImportReport,
  CreateCompanyInput,
  UpdateCompanyInput,
  CreatePersonInput,
  UpdatePersonInput,
} from '../../../../src/modules/org/org.contract.ts';
export type {
  SessionDto,
  UserDto,
  GrantDto,
  ApiTokenDto,
  CreateUserInput,
  UpdateUserInput,
} from '../../../../src/modules/identity/identity.contract.ts';
export type { AuditEntryDto } from '../../../../src/modules/audit-trail/audit-trail.contract.ts';
import type { ApiTokenDto, UserDto } from '../../../../src/modules/identity/identity.contract.ts';
import type { PersonnelCategory } from '../../../../src/modules/org/org.contract.ts';

export type Role = UserDto['grants'][number]['role'];
export type TokenScope = ApiTokenDto['scopes'][number];

/** The actions of the permission table; SessionDto.permissions lists those the user holds somewhere. */
export type Action =
  | 'company.read'
  | 'company.create'
  | 'company.update'
  | 'company.set_ciso'
  | 'department.read'
  | 'department.write'
  | 'person.read'
  | 'person.write'
  | 'user.read'
  | 'user.manage'
  | 'audit.read'
  | 'audit.verify'
  | 'framework.read'
  | 'framework.manage'
  | 'self.read'
  | 'self.write';

// Value lists mirrored from the contracts: importing the values would pull zod into the bundle.
export const PERSONNEL_CATEGORIES = [
  'director_officer',
  'regular_employee',
  'contract_employee',
  'temporary_staff',
  'partner_staff',
  'outsourced_worker',
  'part_time_employee',
] as const;

export const COMPANY_STATUSES = ['active', 'inactive', 'closed'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export const ROLES = [
  'group_admin',
  'group_ciso',
  'company_ciso',
  'security_officer',
  'auditor',
  'security_champion',
  'employee',
] as const;

/** Roles the backend grants group-wide only. */
export const GROUP_ONLY_ROLES: readonly (typeof ROLES)[number][] = ['group_admin', 'group_ciso'];

export const TOKEN_SCOPES = [
  'org:read',
  'org:write',
  'identity:read',
  'identity:write',
  'audit:read',
  'compliance:read',
  'compliance:write',
] as const;

export interface VerifyResultDto {
  ok: boolean;
  entries: number;
  brokenSeq: number | null;
  brokenId: string | null;
  reason: string | null;
}

// Compile-time proof that the mirrored lists above equal the contracts' own.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const mirrors: [
  Same<(typeof PERSONNEL_CATEGORIES)[number], PersonnelCategory>,
  Same<(typeof ROLES)[number], Role>,
  Same<(typeof TOKEN_SCOPES)[number], TokenScope>,
  Same<CompanyStatus, import('../../../../src/modules/org/org.contract.ts').CompanyDto['status']>,
] = [true, true, true, true];
void mirrors;
