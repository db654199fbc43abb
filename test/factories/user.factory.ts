// Factories for users with roles: administrators get TOTP enrolled, and every user gets an API token.
import { randomBytes } from 'node:crypto';
import {
  MFA_REQUIRED_ROLES,
  TOKEN_SCOPES,
  type Role,
  type TokenScope,
} from '../../src/platform/authz/permissions.ts';
import { totpNow } from '../../src/platform/auth/totp.ts';
import type { AppContext } from '../../src/app/context.ts';
import type { AuthContext } from '../../src/platform/http/app.ts';
import { factoryActor } from './org.factory.ts';

export const TEST_PASSWORD = 'Sufficiently-Long-Passw0rd';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  /** TOTP secret when MFA is enrolled. */
  totpSecret: string | null;
  headers: { authorization: string };
}

export function userFactory(ctx: AppContext) {
  return async (
    grants: { role: Role; companyId: string | null }[],
    opts: { scopes?: TokenScope[]; mfa?: boolean; email?: string; personId?: string | null } = {},
  ): Promise<TestUser> => {
    const email = opts.email ?? `u${randomBytes(4).toString('hex')}@example.com`;
    const identity = ctx.services.identity;
    const user = await identity.createUserWithRoles(
      factoryActor,
      { email, displayName: email, password: TEST_PASSWORD, personId: opts.personId ?? null, locale: 'en' },
      grants,
    );
    let totpSecret: string | null = null;
    if (opts.mfa ?? grants.some((g) => MFA_REQUIRED_ROLES.includes(g.role))) {
      const actor = {
        kind: 'user' as const,
        userId: user.id,
        label: email,
        personId: null,
        grants: grants.map((g) => ({ role: g.role, companyId: g.companyId })),
        tokenScopes: null,
      };
      const auth: AuthContext = {
        actor,
        via: 'session',
        sessionId: null,
        csrfToken: null,
        stage: 'mfa_enrollment',
      };
      const { secret } = await identity.startMfaEnrollment(actor);
      // Enrol with the previous step's code, so a sign-in in the same 30 s step is not refused as a replay.
      await identity.confirmMfaEnrollment(auth, totpNow(secret, Date.now() - 30_000));
      totpSecret = secret;
    }
    const { token } = await identity.createTokenForEmail(factoryActor, email, {
      name: 'test',
      scopes: opts.scopes ?? [...TOKEN_SCOPES],
      expiresInDays: 30,
    });
    return { id: user.id, email, token, totpSecret, headers: { authorization: `Bearer ${token}` } };
  };
}
