import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  PERMISSIONS,
  ROLES,
  can,
  type Actor,
  type Grant,
} from '../../../platform/authz/permissions.ts';
import { audienceOf, distinct, grantMatches } from './recipients.ts';

const holder = (grant: Grant): Actor => ({
  kind: 'user',
  userId: 'u',
  label: 'u',
  personId: null,
  grants: [grant],
  tokenScopes: null,
});

describe('recipient policy', () => {
  it('tells of an email alert the email readers of the company and the group-wide ones, no one else', () => {
    const a = audienceOf('email.read', 'A');
    expect(a).toEqual({ roles: [...PERMISSIONS['email.read'].roles], companyId: 'A', grants: 'company' });
    expect(grantMatches(a, { role: 'company_ciso', companyId: 'A' })).toBe(true);
    expect(grantMatches(a, { role: 'security_officer', companyId: 'A' })).toBe(true);
    expect(grantMatches(a, { role: 'group_ciso', companyId: null })).toBe(true);
    expect(grantMatches(a, { role: 'company_ciso', companyId: 'B' })).toBe(false);
    expect(grantMatches(a, { role: 'employee', companyId: 'A' })).toBe(false);
    expect(grantMatches(a, { role: 'employee', companyId: null })).toBe(false);
  });

  it('selects exactly the grants that the permission table allows on the company, for every action and role', () => {
    for (const action of ACTIONS) {
      if (PERMISSIONS[action].scope === 'self') {
        expect(() => audienceOf(action, 'A')).toThrow(/names no audience/);
        continue;
      }
      for (const companyId of ['A', null]) {
        const audience = audienceOf(action, companyId);
        for (const role of ROLES)
          for (const grantCompany of ['A', 'B', null]) {
            const grant = { role, companyId: grantCompany };
            expect(grantMatches(audience, grant), `${action} ${role}@${grantCompany} on ${companyId}`).toBe(
              can(holder(grant), action, companyId),
            );
          }
      }
    }
  });

  it('names each recipient once', () => {
    expect(distinct(['a', 'b', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c']);
  });
});
