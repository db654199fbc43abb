// The identity module's contract: sign-in, MFA, users, role grants and API tokens.
import { z } from 'zod';
import { ROLES, TOKEN_SCOPES } from '../../platform/authz/permissions.ts';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

const Id = z.uuid();
const Email = z.email().max(254);
export const RoleSchema = z.enum(ROLES);
export const TokenScopeSchema = z.enum(TOKEN_SCOPES);
export const LocaleSchema = z.enum(['en', 'ja']);

export const LoginSchema = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(1024),
  totp: z.string().max(16).optional(),
  recoveryCode: z.string().max(64).optional(),
});
export type LoginInput = z.infer<typeof LoginSchema>;

export const GrantDtoSchema = z.object({
  id: Id,
  userId: Id,
  role: RoleSchema,
  companyId: Id.nullable(),
  createdAt: z.string(),
});
export type GrantDto = z.infer<typeof GrantDtoSchema>;

export const SessionDtoSchema = z.object({
  user: z.object({
    id: Id,
    email: z.string(),
    displayName: z.string(),
    locale: LocaleSchema,
    personId: Id.nullable(),
    mfaEnabled: z.boolean(),
  }),
  grants: z.array(z.object({ role: RoleSchema, companyId: Id.nullable() })),
  stage: z.enum(['full', 'mfa_enrollment']),
  csrfToken: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** The actions of the permission table this user may perform somewhere, for the UI to show or hide. */
  permissions: z.array(z.string()),
});
export type SessionDto = z.infer<typeof SessionDtoSchema>;

export const MfaSetupDtoSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export const MfaConfirmSchema = z.strictObject({ totp: z.string().max(16) });
export const RecoveryCodesDtoSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const MfaDisableSchema = z.strictObject({ password: z.string().max(1024) });

export const UserDtoSchema = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  personId: Id.nullable(),
  status: z.enum(['active', 'disabled']),
  locale: LocaleSchema,
  mfaEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  grants: z.array(GrantDtoSchema),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserDto = z.infer<typeof UserDtoSchema>;

export const CreateUserSchema = z.strictObject({
  email: Email,
  displayName: z.string().trim().min(1).max(200),
  password: z.string().max(256).optional(),
  personId: Id.nullable().default(null),
  locale: LocaleSchema.default('en'),
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z.strictObject({
  version: z.number().int().min(1),
  displayName: z.string().trim().min(1).max(200).optional(),
  personId: Id.nullable().optional(),
  status: z.enum(['active', 'disabled']).optional(),
  locale: LocaleSchema.optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export const UpdateProfileSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  locale: LocaleSchema.optional(),
});
export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(256),
});
export const ResetPasswordSchema = z.strictObject({ newPassword: z.string().max(256) });

export const ListUsersQuerySchema = PageQuerySchema.extend({
  q: z.string().max(200).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  role: RoleSchema.optional(),
}).strict();
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>;
export const UserPageSchema = pageOf(UserDtoSchema);

export const CreateGrantSchema = z.strictObject({ role: RoleSchema, companyId: Id.nullable().default(null) });
export type CreateGrantInput = z.infer<typeof CreateGrantSchema>;
export const UserGrantParamsSchema = z.strictObject({ id: Id, grantId: Id });

export const ApiTokenDtoSchema = z.object({
  id: Id,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(TokenScopeSchema),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiTokenDto = z.infer<typeof ApiTokenDtoSchema>;
export const CreateApiTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(TokenScopeSchema).min(1).max(TOKEN_SCOPES.length),
  expiresInDays: z.number().int().min(1).max(366).default(90),
});
export type CreateApiTokenInput = z.infer<typeof CreateApiTokenSchema>;
export const CreatedApiTokenDtoSchema = z.object({ token: z.string(), apiToken: ApiTokenDtoSchema });
export const ApiTokenListSchema = z.object({ items: z.array(ApiTokenDtoSchema) });

export const SetupSchema = z.strictObject({
  token: z.string().max(200),
  email: Email,
  displayName: z.string().trim().min(1).max(200),
  password: z.string().max(256),
});
export const SetupStatusDtoSchema = z.object({ needsSetup: z.boolean() });
