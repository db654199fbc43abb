// Sign-in, sessions, MFA, users, role grants and API tokens. Every method checks permission and audits changes.
import { randomBytes } from 'node:crypto';
import type { Database, Executor } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import {
  ACTIONS,
  GROUP_ONLY_ROLES,
  MFA_REQUIRED_ROLES,
  can,
  scopeOf,
  PERMISSIONS,
  type Actor,
  type Role,
  type TokenScope,
} from '../../platform/authz/permissions.ts';
import {
  AppError,
  conflict,
  forbidden,
  notFound,
  staleVersion,
  stateConflict,
  taken,
  tooManyRequests,
  validationFailed,
} from '../../platform/errors.ts';
import { newId, randomSecret } from '../../platform/ids.ts';
import {
  assertAcceptablePassword,
  burnPasswordCheck,
  hashPassword,
  verifyPassword,
} from '../../platform/auth/passwords.ts';
import { sha256Hex, type SecretBox } from '../../platform/auth/secrets.ts';
import { matchTotp, newTotpSecret, totpUri } from '../../platform/auth/totp.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import type { AuthContext } from '../../platform/http/app.ts';
import { identityRepository } from './identity.repository.ts';
import type { GrantRow, SessionRow, UserRow, ApiTokenRow } from './identity.tables.ts';
import type {
  ApiTokenDto,
  CreateApiTokenInput,
  CreateGrantInput,
  CreateUserInput,
  GrantDto,
  ListUsersQuery,
  LoginInput,
  SessionDto,
  UpdateUserInput,
  UserDto,
} from './identity.contract.ts';

export interface IdentityDeps {
  db: Database;
  box: SecretBox;
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; windowMinutes: number };
  companyExists: (tx: Executor, companyId: string) => Promise<boolean>;
  /**
   * Resolved credentials are kept this long, so that a burst of API calls does not read the token, user and
   * grants again for each call. Any change made through this process (sign-out, revocation, role or status
   * change, MFA) clears the cache at once; another replica's change reaches this one within this time.
   */
  authCacheMs: number;
  now?: () => Date;
}

export const API_TOKEN_PREFIX = 'mmr_';
const AUTH_CACHE_MAX = 10_000;
const TOUCH_EVERY_MS = 60_000;
const RECOVERY_CODE_COUNT = 10;
const INVALID_CREDENTIALS = 'Email or password is incorrect';

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

const grantDto = (g: GrantRow): GrantDto => ({
  id: g.id,
  userId: g.user_id,
  role: g.role as Role,
  companyId: g.company_id,
  createdAt: g.created_at,
});

const userDto = (u: UserRow, grants: GrantRow[]): UserDto => ({
  id: u.id,
  email: u.email,
  displayName: u.display_name,
  personId: u.person_id,
  status: u.status,
  locale: u.locale,
  mfaEnabled: u.mfa_secret_enc !== null,
  lastLoginAt: u.last_login_at,
  grants: grants.map(grantDto),
  version: u.version,
  createdAt: u.created_at,
  updatedAt: u.updated_at,
});

/** What the audit trail keeps of a user: never hashes or secrets. */
const userSnapshot = (u: UserRow) => ({
  email: u.email,
  displayName: u.display_name,
  personId: u.person_id,
  status: u.status,
  locale: u.locale,
  mfaEnabled: u.mfa_secret_enc !== null,
  version: u.version,
});

const tokenDto = (t: ApiTokenRow): ApiTokenDto => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: JSON.parse(t.scopes) as TokenScope[],
  expiresAt: t.expires_at,
  lastUsedAt: t.last_used_at,
  revokedAt: t.revoked_at,
  createdAt: t.created_at,
});

const newRecoveryCode = (): string => {
  const raw = randomBytes(8).toString('hex');
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12)}`;
};
const recoveryHash = (code: string): string => sha256Hex(code.replace(/[^0-9a-f]/gi, '').toLowerCase());

export function createIdentityService(deps: IdentityDeps) {
  const { db, box } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = identityRepository(db.kysely);

  const authCache = new Map<string, { auth: AuthContext; until: number }>();
  const cached = (key: string): AuthContext | null => {
    if (deps.authCacheMs === 0) return null;
    const hit = authCache.get(key);
    if (!hit) return null;
    if (hit.until <= now().getTime()) {
      authCache.delete(key);
      return null;
    }
    // Each request gets its own actor object (the HTTP layer stamps the request id on it).
    return { ...hit.auth, actor: { ...hit.auth.actor } };
  };
  const remember = (key: string, auth: AuthContext, validUntil: number): AuthContext => {
    if (deps.authCacheMs === 0) return auth;
    if (authCache.size >= AUTH_CACHE_MAX) authCache.delete(authCache.keys().next().value!);
    authCache.set(key, { auth, until: Math.min(now().getTime() + deps.authCacheMs, validUntil) });
    return { ...auth, actor: { ...auth.actor } };
  };
  /** Every change to identity data drops what was resolved before it. */
  const transaction = <T>(fn: (tx: Executor) => Promise<T>): Promise<T> => {
    authCache.clear();
    return db.transaction(fn).finally(() => authCache.clear());
  };

  const actorFor = (user: UserRow, grants: GrantRow[], tokenScopes: TokenScope[] | null): Actor => ({
    kind: 'user',
    userId: user.id,
    label: user.email,
    personId: user.person_id,
    grants: grants.map((g) => ({ role: g.role as Role, companyId: g.company_id })),
    tokenScopes,
  });

  const needsMfa = (grants: GrantRow[]) => grants.some((g) => MFA_REQUIRED_ROLES.includes(g.role as Role));

  function requireUser(actor: Actor): string {
    if (!actor.userId) throw forbidden('Only a signed-in user can do this', 'signed_in_only');
    return actor.userId;
  }

  function require(actor: Actor, action: keyof typeof PERMISSIONS) {
    if (!can(actor, action)) throw forbidden();
  }

  // ---- login throttle ----
  async function checkThrottle(keys: string[]): Promise<void> {
    const windowMs = deps.login.windowMinutes * 60_000;
    for (const key of keys) {
      const t = await repo.findThrottle(key);
      const limit = key.startsWith('ip:') ? deps.login.maxFailures * 5 : deps.login.maxFailures;
      if (t && t.failures >= limit && now().getTime() - Date.parse(t.window_started_at) < windowMs) {
        throw tooManyRequests('Too many failed sign-in attempts; wait a few minutes and try again');
      }
    }
  }

  async function noteFailure(keys: string[]): Promise<void> {
    const windowMs = deps.login.windowMinutes * 60_000;
    for (const key of keys) {
      const t = await repo.findThrottle(key);
      const fresh = !t || now().getTime() - Date.parse(t.window_started_at) >= windowMs;
      await repo.saveThrottle(
        key,
        fresh ? 1 : t.failures + 1,
        fresh ? now().toISOString() : t.window_started_at,
      );
    }
  }

  async function verifySecondFactor(user: UserRow, input: LoginInput, tx: Executor): Promise<boolean> {
    const r = identityRepository(tx);
    if (input.recoveryCode) {
      return r.useRecoveryCode(user.id, recoveryHash(input.recoveryCode), now().toISOString());
    }
    if (!input.totp || !user.mfa_secret_enc) return false;
    const step = matchTotp(box.open(user.mfa_secret_enc), input.totp.trim(), now().getTime());
    if (step === null || (user.mfa_last_step !== null && step <= user.mfa_last_step)) return false;
    const updated = await r.updateUser(user.id, user.version, { mfa_last_step: step });
    return updated !== undefined;
  }

  async function sessionDtoFor(
    user: UserRow,
    grants: GrantRow[],
    session: SessionRow | null,
  ): Promise<SessionDto> {
    const actor = actorFor(user, grants, null);
    return {
      user: {
        id: user.id,
        email: user.email,
        displayName: user.display_name,
        locale: user.locale,
        personId: user.person_id,
        mfaEnabled: user.mfa_secret_enc !== null,
      },
      grants: actor.grants.map((g) => ({ role: g.role, companyId: g.companyId })),
      stage: session?.stage ?? 'full',
      csrfToken: session?.csrf_token ?? null,
      expiresAt: session?.expires_at ?? null,
      permissions: ACTIONS.filter((a) => {
        if (PERMISSIONS[a].scope === 'self') return can(actor, a);
        const s = scopeOf(actor, a);
        return s.all || s.companyIds.length > 0;
      }),
    };
  }

  function newSession(user: UserRow, stage: SessionRow['stage'], meta: { ip?: string; userAgent?: string }) {
    const token = randomSecret(32);
    const at = now();
    const row: SessionRow = {
      id: sha256Hex(token),
      user_id: user.id,
      stage,
      csrf_token: randomSecret(24),
      created_at: at.toISOString(),
      last_seen_at: at.toISOString(),
      expires_at: new Date(at.getTime() + deps.session.absoluteHours * 3_600_000).toISOString(),
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    };
    return { token, row };
  }

  /** Creates a token in the caller's transaction and records it; the secret is returned once, never stored. */
  async function issueApiToken(
    tx: Executor,
    actor: Actor,
    userId: string,
    input: { name: string; scopes: TokenScope[]; expiresInDays: number },
  ): Promise<{ token: string; apiToken: ApiTokenDto }> {
    const secret = randomSecret(32);
    const token = `${API_TOKEN_PREFIX}${secret}`;
    const at = now();
    const row: ApiTokenRow = {
      id: newId(),
      user_id: userId,
      name: input.name,
      token_hash: sha256Hex(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      scopes: JSON.stringify([...new Set(input.scopes)]),
      expires_at: new Date(at.getTime() + input.expiresInDays * 86_400_000).toISOString(),
      last_used_at: null,
      revoked_at: null,
      created_at: at.toISOString(),
    };
    await identityRepository(tx).insertToken(row);
    await recordAudit(tx, actor, {
      action: 'api_token.create',
      entityType: 'api_token',
      entityId: row.id,
      companyId: null,
      after: tokenDto(row),
    });
    return { token, apiToken: tokenDto(row) };
  }

  async function loadUser(tx: Executor, id: string): Promise<{ user: UserRow; grants: GrantRow[] }> {
    const r = identityRepository(tx);
    const user = await r.findUserById(id);
    if (!user) throw notFound('User');
    return { user, grants: await r.grantsOf([id]) };
  }

  async function createUserRow(tx: Executor, actor: Actor, input: CreateUserInput): Promise<UserRow> {
    const r = identityRepository(tx);
    const email = normaliseEmail(input.email);
    if (await r.findUserByEmail(email))
      throw conflict(`A user with email ${email} already exists`, [taken('email', email)]);
    if (input.password !== undefined) assertAcceptablePassword(input.password, email);
    const at = now().toISOString();
    const row: UserRow = {
      id: newId(),
      email,
      display_name: input.displayName,
      person_id: input.personId,
      password_hash: input.password !== undefined ? await hashPassword(input.password) : null,
      status: 'active',
      locale: input.locale,
      mfa_secret_enc: null,
      mfa_pending_secret_enc: null,
      mfa_last_step: null,
      last_login_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    await r.insertUser(row);
    await recordAudit(tx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: row.id,
      companyId: null,
      after: userSnapshot(row),
    });
    return row;
  }

  async function addGrant(
    tx: Executor,
    actor: Actor,
    userId: string,
    input: CreateGrantInput,
  ): Promise<GrantRow> {
    const r = identityRepository(tx);
    if (GROUP_ONLY_ROLES.includes(input.role) && input.companyId !== null) {
      throw validationFailed('This role is granted group-wide only', [
        { path: 'companyId', message: 'must be null for this role', code: 'must_be_empty' },
      ]);
    }
    if (input.role === 'company_ciso' && input.companyId === null) {
      throw validationFailed('A company CISO is granted for one company', [
        { path: 'companyId', message: 'is required for this role', code: 'required' },
      ]);
    }
    if (input.companyId !== null && !(await deps.companyExists(tx, input.companyId)))
      throw notFound('Company');
    const existing = await r.grantsOf([userId]);
    if (existing.some((g) => g.role === input.role && g.company_id === input.companyId)) {
      throw stateConflict('role_held', 'The user already holds this role at this scope');
    }
    const row: GrantRow = {
      id: newId(),
      user_id: userId,
      role: input.role,
      company_id: input.companyId,
      granted_by: actor.userId,
      created_at: now().toISOString(),
    };
    await r.insertGrant(row);
    await recordAudit(tx, actor, {
      action: 'role.grant',
      entityType: 'user',
      entityId: userId,
      companyId: input.companyId,
      after: { role: row.role, companyId: row.company_id },
    });
    return row;
  }

  async function sessionInfo(auth: AuthContext): Promise<SessionDto> {
    const { user, grants } = await loadUser(db.kysely, requireUser(auth.actor));
    const session = auth.sessionId ? ((await repo.findSession(auth.sessionId)) ?? null) : null;
    return sessionDtoFor(user, grants, session);
  }

  return {
    // ---------- authentication ----------
    async login(input: LoginInput, meta: { ip?: string; userAgent?: string }) {
      const email = normaliseEmail(input.email);
      const keys = [`email:${email}`, ...(meta.ip ? [`ip:${meta.ip}`] : [])];
      await checkThrottle(keys);
      const user = await repo.findUserByEmail(email);
      const passwordOk = user?.password_hash
        ? await verifyPassword(user.password_hash, input.password)
        : (await burnPasswordCheck(input.password), false);
      if (!user || !passwordOk || user.status !== 'active') {
        await noteFailure(keys);
        throw new AppError('invalid_credentials', 401, INVALID_CREDENTIALS);
      }
      const grants = await repo.grantsOf([user.id]);
      if (user.mfa_secret_enc && !input.totp && !input.recoveryCode) {
        throw new AppError('mfa_required', 401, 'Enter the code from your authenticator app');
      }
      const outcome = await transaction(async (tx) => {
        const actor = actorFor(user, grants, null);
        if (user.mfa_secret_enc) {
          if (!(await verifySecondFactor(user, input, tx))) return null;
          if (input.recoveryCode) {
            await recordAudit(tx, actor, {
              action: 'auth.recovery_code_used',
              entityType: 'user',
              entityId: user.id,
              companyId: null,
            });
          }
        }
        const r = identityRepository(tx);
        await r.clearThrottle(`email:${email}`);
        const stage = !user.mfa_secret_enc && needsMfa(grants) ? 'mfa_enrollment' : 'full';
        const { token, row } = newSession(user, stage, meta);
        await r.insertSession(row);
        const fresh = (await r.findUserById(user.id))!;
        const updated =
          (await r.updateUser(user.id, fresh.version, { last_login_at: row.created_at })) ?? fresh;
        await recordAudit(tx, actor, {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          companyId: null,
          after: { ip: row.ip, stage },
        });
        return { token, session: await sessionDtoFor(updated, grants, row) };
      });
      if (!outcome) {
        await noteFailure(keys);
        throw new AppError('invalid_mfa_code', 401, 'The authentication code is not valid');
      }
      return outcome;
    },

    async logout(auth: AuthContext): Promise<void> {
      if (auth.via !== 'session' || !auth.sessionId) return;
      await transaction(async (tx) => {
        await identityRepository(tx).deleteSession(auth.sessionId!);
        await recordAudit(tx, auth.actor, {
          action: 'auth.logout',
          entityType: 'user',
          entityId: auth.actor.userId,
          companyId: null,
        });
      });
    },

    /** Resolves a session cookie to its user; expired or idle sessions are deleted and answer null. */
    async authenticateSession(token: string): Promise<AuthContext | null> {
      if (token.length > 100) return null;
      const id = sha256Hex(token);
      const hit = cached(`s:${id}`);
      if (hit) return hit;
      const found = await repo.findSessionWithUser(id);
      if (!found) return null;
      const { session: s, user } = found;
      const at = now().getTime();
      if (
        Date.parse(s.expires_at) <= at ||
        at - Date.parse(s.last_seen_at) > deps.session.idleMinutes * 60_000
      ) {
        await repo.deleteSession(id);
        return null;
      }
      if (user.status !== 'active') return null;
      if (at - Date.parse(s.last_seen_at) > TOUCH_EVERY_MS)
        await repo.touchSession(id, new Date(at).toISOString());
      const grants = await repo.grantsOf([user.id]);
      const validUntil = Math.min(
        Date.parse(s.expires_at),
        Date.parse(s.last_seen_at) + deps.session.idleMinutes * 60_000,
      );
      return remember(
        `s:${id}`,
        {
          actor: actorFor(user, grants, null),
          via: 'session',
          sessionId: id,
          csrfToken: s.csrf_token,
          stage: s.stage,
        },
        validUntil,
      );
    },

    async authenticateToken(token: string): Promise<AuthContext | null> {
      if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
      const hash = sha256Hex(token);
      const hit = cached(`t:${hash}`);
      if (hit) return hit;
      const found = await repo.findTokenWithUser(hash);
      const at = now().getTime();
      if (!found) return null;
      const { token: t, user } = found;
      if (t.revoked_at || Date.parse(t.expires_at) <= at || user.status !== 'active') return null;
      const grants = await repo.grantsOf([user.id]);
      // An administrator must have enrolled MFA before their tokens work.
      if (!user.mfa_secret_enc && needsMfa(grants)) return null;
      if (!t.last_used_at || at - Date.parse(t.last_used_at) > TOUCH_EVERY_MS) {
        await repo.touchToken(t.id, new Date(at).toISOString());
      }
      return remember(
        `t:${hash}`,
        {
          actor: actorFor(user, grants, JSON.parse(t.scopes) as TokenScope[]),
          via: 'token',
          sessionId: null,
          csrfToken: null,
          stage: 'full',
        },
        Date.parse(t.expires_at),
      );
    },

    sessionInfo,

    async purgeExpiredSessions(): Promise<void> {
      const at = now();
      await repo.deleteExpiredSessions(
        at.toISOString(),
        new Date(at.getTime() - deps.session.idleMinutes * 60_000).toISOString(),
      );
    },

    // ---------- MFA ----------
    async startMfaEnrollment(actor: Actor): Promise<{ secret: string; otpauthUri: string }> {
      require(actor, 'self.write');
      const userId = requireUser(actor);
      return transaction(async (tx) => {
        const { user } = await loadUser(tx, userId);
        if (user.mfa_secret_enc)
          throw stateConflict(
            'mfa_enrolled',
            'Multi-factor authentication is already enrolled; disable it first',
          );
        const secret = newTotpSecret();
        const updated = await identityRepository(tx).updateUser(user.id, user.version, {
          mfa_pending_secret_enc: box.seal(secret),
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        return { secret, otpauthUri: totpUri(secret, user.email) };
      });
    },

    async confirmMfaEnrollment(auth: AuthContext, code: string): Promise<{ recoveryCodes: string[] }> {
      require(auth.actor, 'self.write');
      const userId = requireUser(auth.actor);
      return transaction(async (tx) => {
        const r = identityRepository(tx);
        const { user } = await loadUser(tx, userId);
        if (!user.mfa_pending_secret_enc) throw stateConflict('mfa_not_started', 'Start the enrolment first');
        const secret = box.open(user.mfa_pending_secret_enc);
        const step = matchTotp(secret, code.trim(), now().getTime());
        if (step === null)
          throw validationFailed('The code does not match', [
            { path: 'totp', message: 'does not match the authenticator', code: 'incorrect' },
          ]);
        const updated = await r.updateUser(user.id, user.version, {
          mfa_secret_enc: user.mfa_pending_secret_enc,
          mfa_pending_secret_enc: null,
          mfa_last_step: step,
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
        await r.replaceRecoveryCodes(
          user.id,
          codes.map((c) => ({ id: newId(), code_hash: recoveryHash(c) })),
        );
        if (auth.sessionId) await r.setSessionStage(auth.sessionId, 'full');
        await r.deleteSessionsOf(user.id, auth.sessionId ?? undefined);
        await recordAudit(tx, auth.actor, {
          action: 'user.mfa_enable',
          entityType: 'user',
          entityId: user.id,
          companyId: null,
          before: userSnapshot(user),
          after: userSnapshot(updated),
        });
        return { recoveryCodes: codes };
      });
    },

    async regenerateRecoveryCodes(actor: Actor): Promise<{ recoveryCodes: string[] }> {
      require(actor, 'self.write');
      const userId = requireUser(actor);
      return transaction(async (tx) => {
        const { user } = await loadUser(tx, userId);
        if (!user.mfa_secret_enc)
          throw stateConflict('mfa_not_enrolled', 'Enrol multi-factor authentication first');
        const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
        await identityRepository(tx).replaceRecoveryCodes(
          user.id,
          codes.map((c) => ({ id: newId(), code_hash: recoveryHash(c) })),
        );
        await recordAudit(tx, actor, {
          action: 'user.recovery_codes_regenerate',
          entityType: 'user',
          entityId: user.id,
          companyId: null,
        });
        return { recoveryCodes: codes };
      });
    },

    async disableMfa(actor: Actor, password: string): Promise<void> {
      require(actor, 'self.write');
      const userId = requireUser(actor);
      await transaction(async (tx) => {
        const { user, grants } = await loadUser(tx, userId);
        if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) {
          throw validationFailed('The password is not correct', [
            { path: 'password', message: 'is not correct', code: 'incorrect' },
          ]);
        }
        if (needsMfa(grants))
          throw forbidden(
            'Your roles require multi-factor authentication; it cannot be disabled',
            'mfa_required',
          );
        const updated = await identityRepository(tx).updateUser(user.id, user.version, {
          mfa_secret_enc: null,
          mfa_pending_secret_enc: null,
          mfa_last_step: null,
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        await identityRepository(tx).replaceRecoveryCodes(user.id, []);
        await recordAudit(tx, actor, {
          action: 'user.mfa_disable',
          entityType: 'user',
          entityId: user.id,
          companyId: null,
          before: userSnapshot(user),
          after: userSnapshot(updated),
        });
      });
    },

    // ---------- self-service ----------
    async updateProfile(
      auth: AuthContext,
      patch: { displayName?: string | undefined; locale?: 'en' | 'ja' | undefined },
    ): Promise<SessionDto> {
      require(auth.actor, 'self.write');
      const userId = requireUser(auth.actor);
      await transaction(async (tx) => {
        const { user } = await loadUser(tx, userId);
        const updated = await identityRepository(tx).updateUser(user.id, user.version, {
          ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        await recordAudit(tx, auth.actor, {
          action: 'user.update',
          entityType: 'user',
          entityId: user.id,
          companyId: null,
          before: userSnapshot(user),
          after: userSnapshot(updated),
        });
      });
      return sessionInfo(auth);
    },

    async changePassword(auth: AuthContext, current: string, next: string): Promise<void> {
      require(auth.actor, 'self.write');
      const userId = requireUser(auth.actor);
      await transaction(async (tx) => {
        const { user } = await loadUser(tx, userId);
        if (!user.password_hash || !(await verifyPassword(user.password_hash, current))) {
          throw validationFailed('The current password is not correct', [
            { path: 'currentPassword', message: 'is not correct', code: 'incorrect' },
          ]);
        }
        assertAcceptablePassword(next, user.email);
        const updated = await identityRepository(tx).updateUser(user.id, user.version, {
          password_hash: await hashPassword(next),
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        await identityRepository(tx).deleteSessionsOf(user.id, auth.sessionId ?? undefined);
        await recordAudit(tx, auth.actor, {
          action: 'user.password_change',
          entityType: 'user',
          entityId: user.id,
          companyId: null,
        });
      });
    },

    // ---------- API tokens ----------
    async listTokens(actor: Actor): Promise<ApiTokenDto[]> {
      require(actor, 'self.read');
      return (await repo.listTokensOf(requireUser(actor))).map(tokenDto);
    },

    async createToken(
      actor: Actor,
      input: CreateApiTokenInput,
    ): Promise<{ token: string; apiToken: ApiTokenDto }> {
      require(actor, 'self.write');
      const userId = requireUser(actor);
      if (actor.tokenScopes && input.scopes.some((s) => !actor.tokenScopes!.includes(s))) {
        throw forbidden('A token cannot create a token with wider scopes than its own', 'token_scope');
      }
      return transaction((tx) => issueApiToken(tx, actor, userId, input));
    },

    async revokeToken(actor: Actor, id: string): Promise<void> {
      require(actor, 'self.write');
      const userId = requireUser(actor);
      await transaction(async (tx) => {
        const r = identityRepository(tx);
        const t = await r.findTokenOf(userId, id);
        if (!t) throw notFound('API token');
        if (t.revoked_at) return;
        await r.revokeToken(id, now().toISOString());
        await recordAudit(tx, actor, {
          action: 'api_token.revoke',
          entityType: 'api_token',
          entityId: id,
          companyId: null,
          before: tokenDto(t),
        });
      });
    },

    /** The operator's path (CLI, direct database access): a token for the user with that email. */
    async createTokenForEmail(
      actor: Actor,
      email: string,
      input: { name: string; scopes: TokenScope[]; expiresInDays: number },
    ) {
      const user = await repo.findUserByEmail(normaliseEmail(email));
      if (!user) throw notFound(`User ${normaliseEmail(email)}`);
      if (user.status !== 'active') throw stateConflict('user_disabled', 'The user is disabled');
      return transaction((tx) => issueApiToken(tx, actor, user.id, input));
    },

    // ---------- users and roles ----------
    async listUsers(actor: Actor, query: ListUsersQuery): Promise<Page<UserDto>> {
      require(actor, 'user.read');
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listUsers({
        q: query.q,
        status: query.status,
        role: query.role,
        after,
        limit: query.limit,
      });
      const grants = await repo.grantsOf(rows.slice(0, query.limit).map((u) => u.id));
      return toPage(
        rows,
        query.limit,
        (u) => [u.email, u.id],
        (u) =>
          userDto(
            u,
            grants.filter((g) => g.user_id === u.id),
          ),
      );
    },

    async getUser(actor: Actor, id: string): Promise<UserDto> {
      if (actor.userId !== id) require(actor, 'user.read');
      const { user, grants } = await loadUser(db.kysely, id);
      return userDto(user, grants);
    },

    async createUser(actor: Actor, input: CreateUserInput): Promise<UserDto> {
      require(actor, 'user.manage');
      return transaction(async (tx) => userDto(await createUserRow(tx, actor, input), []));
    },

    async updateUser(actor: Actor, id: string, input: UpdateUserInput): Promise<UserDto> {
      require(actor, 'user.manage');
      return transaction(async (tx) => {
        const r = identityRepository(tx);
        const { user, grants } = await loadUser(tx, id);
        if (input.status === 'disabled' && id === actor.userId)
          throw stateConflict('own_account', 'You cannot disable your own account');
        const updated = await r.updateUser(id, input.version, {
          ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
          ...(input.personId !== undefined ? { person_id: input.personId } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          ...(input.locale !== undefined ? { locale: input.locale } : {}),
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        if (updated.status === 'disabled') await r.deleteSessionsOf(id);
        await recordAudit(tx, actor, {
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          companyId: null,
          before: userSnapshot(user),
          after: userSnapshot(updated),
        });
        return userDto(updated, grants);
      });
    },

    async resetPassword(actor: Actor, id: string, newPassword: string): Promise<void> {
      require(actor, 'user.manage');
      await transaction(async (tx) => {
        const { user } = await loadUser(tx, id);
        assertAcceptablePassword(newPassword, user.email);
        const updated = await identityRepository(tx).updateUser(id, user.version, {
          password_hash: await hashPassword(newPassword),
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        await identityRepository(tx).deleteSessionsOf(id);
        await recordAudit(tx, actor, {
          action: 'user.password_reset',
          entityType: 'user',
          entityId: id,
          companyId: null,
        });
      });
    },

    async resetMfa(actor: Actor, id: string): Promise<void> {
      require(actor, 'user.manage');
      await transaction(async (tx) => {
        const { user } = await loadUser(tx, id);
        const updated = await identityRepository(tx).updateUser(id, user.version, {
          mfa_secret_enc: null,
          mfa_pending_secret_enc: null,
          mfa_last_step: null,
          updated_at: now().toISOString(),
        });
        if (!updated) throw staleVersion('User');
        await identityRepository(tx).replaceRecoveryCodes(id, []);
        await identityRepository(tx).deleteSessionsOf(id);
        await recordAudit(tx, actor, {
          action: 'user.mfa_reset',
          entityType: 'user',
          entityId: id,
          companyId: null,
          before: userSnapshot(user),
          after: userSnapshot(updated),
        });
      });
    },

    async grantRole(actor: Actor, userId: string, input: CreateGrantInput): Promise<GrantDto> {
      require(actor, 'user.manage');
      return transaction(async (tx) => {
        await loadUser(tx, userId);
        return grantDto(await addGrant(tx, actor, userId, input));
      });
    },

    async revokeRole(actor: Actor, userId: string, grantId: string): Promise<void> {
      require(actor, 'user.manage');
      await transaction(async (tx) => {
        const r = identityRepository(tx);
        const g = await r.findGrant(userId, grantId);
        if (!g) throw notFound('Role grant');
        if (
          g.role === 'group_admin' &&
          g.company_id === null &&
          (await r.countActiveHoldersOf('group_admin')) <= 1
        ) {
          throw stateConflict(
            'last_admin',
            'This is the last group administrator; grant the role to someone else first',
          );
        }
        await r.deleteGrant(grantId);
        await recordAudit(tx, actor, {
          action: 'role.revoke',
          entityType: 'user',
          entityId: userId,
          companyId: g.company_id,
          before: { role: g.role, companyId: g.company_id },
        });
      });
    },

    // ---------- first start ----------
    async needsSetup(): Promise<boolean> {
      return (await repo.countUsers()) === 0;
    },

    /** Creates a group administrator without a session (first start, CLI, demo). */
    async createUserWithRoles(
      actor: Actor,
      input: CreateUserInput,
      roles: CreateGrantInput[],
    ): Promise<UserDto> {
      return transaction(async (tx) => {
        const user = await createUserRow(tx, actor, input);
        const grants: GrantRow[] = [];
        for (const g of roles) grants.push(await addGrant(tx, actor, user.id, g));
        return userDto(user, grants);
      });
    },

    async issueSetupToken(validHours = 24): Promise<string> {
      const token = randomSecret(24);
      await transaction(async (tx) => {
        const r = identityRepository(tx);
        await r.discardSetupTokens();
        await r.insertSetupToken({
          id: newId(),
          token_hash: sha256Hex(token),
          expires_at: new Date(now().getTime() + validHours * 3_600_000).toISOString(),
        });
      });
      return token;
    },

    async completeSetup(
      actor: Actor,
      input: { token: string; email: string; displayName: string; password: string },
    ): Promise<void> {
      await transaction(async (tx) => {
        const r = identityRepository(tx);
        if ((await r.countUsers()) > 0) throw stateConflict('already_set_up', 'Mamori is already set up');
        if (!(await r.consumeSetupToken(sha256Hex(input.token), now().toISOString()))) {
          throw new AppError(
            'invalid_setup_token',
            403,
            'The setup link is not valid or has expired; restart Mamori for a new one',
          );
        }
        const user = await createUserRow(tx, actor, {
          email: input.email,
          displayName: input.displayName,
          password: input.password,
          personId: null,
          locale: 'en',
        });
        await addGrant(tx, actor, user.id, { role: 'group_admin', companyId: null });
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
