// Who is told of an event: the holders of a permission on the event's company, read from the permission table.
import { PERMISSIONS, type Action, type Grant, type Role } from '../../../platform/authz/permissions.ts';

/**
 * The grants that make a user a recipient: one of `roles`, granted group-wide, or for `companyId` when the
 * action is company-scoped, or for any company when it is group-wide reference data ('any').
 */
export interface Audience {
  roles: Role[];
  companyId: string | null;
  grants: 'group' | 'company' | 'any';
}

/** The audience of an event on an object of `companyId` (null: a group-level object) for those who may `action` it. */
export function audienceOf(action: Action, companyId: string | null): Audience {
  const def: { roles: readonly Role[]; scope: string } = PERMISSIONS[action];
  if (def.scope === 'self') throw new Error(`${action} is held on one's own records: it names no audience`);
  const grants =
    def.scope === 'any' ? 'any' : def.scope === 'company' && companyId !== null ? 'company' : 'group';
  return { roles: [...def.roles], companyId, grants };
}

/** Whether one grant puts its user in the audience (what the repository's query selects, row by row). */
export function grantMatches(audience: Audience, grant: Grant): boolean {
  if (!audience.roles.includes(grant.role)) return false;
  if (grant.companyId === null || audience.grants === 'any') return true;
  return audience.grants === 'company' && grant.companyId === audience.companyId;
}

/** Ids without repeats, in their first order: recipients named by several rules are told once. */
export const distinct = (ids: Iterable<string>): string[] => [...new Set(ids)];
