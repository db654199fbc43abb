import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  PERMISSIONS,
  ROLES,
  can,
  scopeOf,
  systemActor,
  type Actor,
  type Grant,
} from './permissions.ts';

const actor = (grants: Grant[], tokenScopes: Actor['tokenScopes'] = null): Actor => ({
  kind: 'user',
  userId: 'u',
  label: 'u',
  personId: null,
  grants,
  tokenScopes,
});

describe('permission table', () => {
  it('names only known roles, and every action has at least one role', () => {
    for (const a of ACTIONS) {
      expect(PERMISSIONS[a].roles.length).toBeGreaterThan(0);
      for (const r of PERMISSIONS[a].roles) expect(ROLES).toContain(r);
    }
  });

  it('gives employees self-service only', () => {
    const e = actor([{ role: 'employee', companyId: 'A' }]);
    expect(ACTIONS.filter((a) => can(e, a, 'A'))).toEqual(['self.read', 'self.write']);
  });

  it('keeps auditors read-only', () => {
    const a = actor([{ role: 'auditor', companyId: null }]);
    const allowed = ACTIONS.filter((x) => can(a, x, 'A'));
    expect(allowed.filter((x) => !/\.(read|verify)$/.test(x))).toEqual(['self.write']);
  });

  it('limits a company grant to its company', () => {
    const c = actor([{ role: 'company_ciso', companyId: 'A' }]);
    expect(can(c, 'person.write', 'A')).toBe(true);
    expect(can(c, 'person.write', 'B')).toBe(false);
    expect(scopeOf(c, 'person.read')).toEqual({ all: false, companyIds: ['A'] });
    expect(can(c, 'company.create')).toBe(false);
  });

  it('lets group-wide grants reach every company', () => {
    const g = actor([{ role: 'group_ciso', companyId: null }]);
    expect(can(g, 'person.write', 'Z')).toBe(true);
    expect(scopeOf(g, 'company.read')).toEqual({ all: true });
  });

  it('never lets a company grant satisfy a group-scope action', () => {
    const c = actor([{ role: 'auditor', companyId: 'A' }]);
    expect(can(c, 'audit.verify', 'A')).toBe(false);
    expect(can(c, 'user.read', 'A')).toBe(false);
  });

  it('narrows an actor to its API token scopes', () => {
    const g = actor([{ role: 'group_admin', companyId: null }], ['org:read']);
    expect(can(g, 'person.read', 'A')).toBe(true);
    expect(can(g, 'person.write', 'A')).toBe(false);
    expect(scopeOf(g, 'audit.read')).toEqual({ all: false, companyIds: [] });
  });

  it('lets the system actor do anything', () => {
    expect(ACTIONS.every((a) => can(systemActor('t'), a, 'A'))).toBe(true);
  });
});
