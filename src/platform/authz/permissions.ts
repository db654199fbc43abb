// The one permission table of Mamori: which roles may perform which action, at which scope.
// Tests enumerate it; every service method and every route names one of these actions.

export const ROLES = [
  'group_admin',
  'group_ciso',
  'company_ciso',
  'security_officer',
  'auditor',
  'security_champion',
  'employee',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that only make sense group-wide: granting them for one company is refused. */
export const GROUP_ONLY_ROLES: readonly Role[] = ['group_admin', 'group_ciso'];

/** Administrator roles: a user holding one must enrol TOTP before doing anything else. */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['group_admin', 'group_ciso', 'company_ciso'];

export const TOKEN_SCOPES = [
  'org:read',
  'org:write',
  'identity:read',
  'identity:write',
  'audit:read',
  'compliance:read',
  'compliance:write',
  'assets:read',
  'assets:write',
  'risks:read',
  'risks:write',
  'email:read',
  'email:write',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * scope 'company': allowed by a group-wide grant of one of the roles, or by a grant for the object's company.
 * scope 'group': allowed only by a group-wide grant.
 * scope 'any': every holder of one of the roles, whatever company the grant is for (group-wide reference data).
 * scope 'self': every signed-in user, on their own records only.
 */
type PermissionDef = {
  roles: readonly Role[];
  scope: 'company' | 'group' | 'any' | 'self';
  tokenScope: TokenScope;
};

const ORG_READERS: readonly Role[] = [
  'group_admin',
  'group_ciso',
  'company_ciso',
  'security_officer',
  'auditor',
  'security_champion',
];
const ORG_WRITERS: readonly Role[] = ['group_admin', 'group_ciso', 'company_ciso', 'security_officer'];
const EVERYONE: readonly Role[] = ROLES;

export const PERMISSIONS = {
  'company.read': { roles: ORG_READERS, scope: 'company', tokenScope: 'org:read' },
  'company.create': { roles: ['group_admin', 'group_ciso'], scope: 'group', tokenScope: 'org:write' },
  'company.update': {
    roles: ['group_admin', 'group_ciso', 'company_ciso'],
    scope: 'company',
    tokenScope: 'org:write',
  },
  'company.set_ciso': { roles: ['group_admin', 'group_ciso'], scope: 'company', tokenScope: 'org:write' },
  'department.read': { roles: ORG_READERS, scope: 'company', tokenScope: 'org:read' },
  'department.write': { roles: ORG_WRITERS, scope: 'company', tokenScope: 'org:write' },
  'person.read': {
    roles: ['group_admin', 'group_ciso', 'company_ciso', 'security_officer', 'auditor'],
    scope: 'company',
    tokenScope: 'org:read',
  },
  'person.write': { roles: ORG_WRITERS, scope: 'company', tokenScope: 'org:write' },
  'user.read': {
    roles: ['group_admin', 'group_ciso', 'auditor'],
    scope: 'group',
    tokenScope: 'identity:read',
  },
  'user.manage': { roles: ['group_admin'], scope: 'group', tokenScope: 'identity:write' },
  'audit.read': {
    roles: ['group_admin', 'group_ciso', 'company_ciso', 'auditor'],
    scope: 'company',
    tokenScope: 'audit:read',
  },
  'audit.verify': {
    roles: ['group_admin', 'group_ciso', 'auditor'],
    scope: 'group',
    tokenScope: 'audit:read',
  },
  'framework.read': { roles: ORG_READERS, scope: 'any', tokenScope: 'compliance:read' },
  'framework.manage': {
    roles: ['group_admin', 'group_ciso'],
    scope: 'group',
    tokenScope: 'compliance:write',
  },
  'compliance.read': { roles: ORG_READERS, scope: 'company', tokenScope: 'compliance:read' },
  'compliance.write': { roles: ORG_WRITERS, scope: 'company', tokenScope: 'compliance:write' },
  'certification.write': {
    roles: ['group_admin', 'group_ciso', 'company_ciso'],
    scope: 'company',
    tokenScope: 'compliance:write',
  },
  'asset.read': { roles: ORG_READERS, scope: 'company', tokenScope: 'assets:read' },
  'asset.write': { roles: ORG_WRITERS, scope: 'company', tokenScope: 'assets:write' },
  'risk.read': { roles: ORG_READERS, scope: 'company', tokenScope: 'risks:read' },
  'risk.write': { roles: ORG_WRITERS, scope: 'company', tokenScope: 'risks:write' },
  /** Sets the risk method and signs off residual risks above the acceptance threshold. */
  'risk.accept': {
    roles: ['group_admin', 'group_ciso', 'company_ciso'],
    scope: 'company',
    tokenScope: 'risks:write',
  },
  'email.read': { roles: ORG_READERS, scope: 'company', tokenScope: 'email:read' },
  /** Domains of the inventory, and scans (which record history). */
  'email.write': { roles: ORG_WRITERS, scope: 'company', tokenScope: 'email:write' },
  /** Group-wide reference data of the email programme: the list of known sending services. */
  'email.manage': { roles: ['group_admin', 'group_ciso'], scope: 'group', tokenScope: 'email:write' },
  /** The group's outbound notification settings (the webhook) and the delivery outbox. */
  'notification.manage': { roles: ['group_admin'], scope: 'group', tokenScope: 'identity:write' },
  /** One's own account, and one's own notifications and their delivery preference. */
  'self.read': { roles: EVERYONE, scope: 'self', tokenScope: 'identity:read' },
  'self.write': { roles: EVERYONE, scope: 'self', tokenScope: 'identity:write' },
} as const satisfies Record<string, PermissionDef>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export type Grant = { role: Role; companyId: string | null };

export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  /** Shown in the audit trail: the user's email, or the name of a system process. */
  label: string;
  personId: string | null;
  grants: readonly Grant[];
  /** Scopes of the API token the request came with; null when the actor is not limited by a token. */
  tokenScopes: readonly TokenScope[] | null;
  requestId?: string | undefined;
}

export const systemActor = (label: string): Actor => ({
  kind: 'system',
  userId: null,
  label,
  personId: null,
  grants: [],
  tokenScopes: null,
});

export type Scope = { all: true } | { all: false; companyIds: string[] };

function tokenAllows(actor: Actor, action: Action): boolean {
  return actor.tokenScopes === null || actor.tokenScopes.includes(PERMISSIONS[action].tokenScope);
}

/** May the actor perform `action` on an object of `companyId` (null: a group-level object)? */
export function can(actor: Actor, action: Action, companyId: string | null = null): boolean {
  if (!tokenAllows(actor, action)) return false;
  if (actor.kind === 'system') return true;
  const def: PermissionDef = PERMISSIONS[action];
  return actor.grants.some(
    (g) =>
      def.roles.includes(g.role) &&
      (def.scope === 'self' ||
        def.scope === 'any' ||
        g.companyId === null ||
        (def.scope === 'company' && companyId !== null && g.companyId === companyId)),
  );
}

/** The companies in which the actor may perform `action`: all of them, or a list (possibly empty). */
export function scopeOf(actor: Actor, action: Action): Scope {
  if (!tokenAllows(actor, action)) return { all: false, companyIds: [] };
  if (actor.kind === 'system') return { all: true };
  const def: PermissionDef = PERMISSIONS[action];
  const grants = actor.grants.filter((g) => def.roles.includes(g.role));
  if (grants.some((g) => g.companyId === null) || (def.scope === 'any' && grants.length > 0))
    return { all: true };
  if (def.scope !== 'company') return { all: false, companyIds: [] };
  return { all: false, companyIds: [...new Set(grants.map((g) => g.companyId as string))] };
}

export const inScope = (scope: Scope, companyId: string): boolean =>
  scope.all || scope.companyIds.includes(companyId);
