// SQL of the identity module: users, grants, sessions, API tokens, recovery codes, login throttle, setup tokens.
import type { Executor } from '../../platform/db/database.ts';
import { keysetAfter } from '../../platform/db/keyset.ts';
import { containing, likeLower } from '../../platform/db/like.ts';
import type { ApiTokenRow, GrantRow, SessionRow, UserRow } from './identity.tables.ts';

const USER_COLUMNS = [
  'id',
  'email',
  'display_name',
  'person_id',
  'password_hash',
  'status',
  'locale',
  'mfa_secret_enc',
  'mfa_pending_secret_enc',
  'mfa_last_step',
  'last_login_at',
  'version',
  'created_at',
  'updated_at',
] as const;

export type UserListFilter = {
  q?: string | undefined;
  status?: string | undefined;
  role?: string | undefined;
  after?: [string, string] | undefined;
  limit: number;
};

export const identityRepository = (db: Executor) => ({
  async countUsers(): Promise<number> {
    const r = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email).executeTakeFirst();
  },

  findUserById(id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  },

  async insertUser(row: UserRow): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },

  /** Applies `patch` when the row is still at `version`; returns the new row, or undefined when stale. */
  async updateUser(id: string, version: number, patch: Partial<UserRow>): Promise<UserRow | undefined> {
    return db
      .updateTable('users')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
  },

  listUsers(f: UserListFilter): Promise<UserRow[]> {
    let q = db.selectFrom('users').select(USER_COLUMNS);
    if (f.q) {
      const like = containing(f.q);
      q = q.where((eb) => eb.or([likeLower(eb, 'email', like), likeLower(eb, 'display_name', like)]));
    }
    if (f.status) q = q.where('status', '=', f.status);
    if (f.role) {
      q = q.where('id', 'in', db.selectFrom('role_grants').select('user_id').where('role', '=', f.role));
    }
    if (f.after) {
      const key = f.after;
      q = q.where((eb) => keysetAfter(eb, 'email', 'id', key));
    }
    return q
      .orderBy('email')
      .orderBy('id')
      .limit(f.limit + 1)
      .execute();
  },

  grantsOf(userIds: readonly string[]): Promise<GrantRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('role_grants')
      .select(['id', 'user_id', 'role', 'company_id', 'granted_by', 'created_at'])
      .where('user_id', 'in', userIds)
      .orderBy('created_at')
      .execute();
  },

  async insertGrant(row: GrantRow): Promise<void> {
    await db.insertInto('role_grants').values(row).execute();
  },

  findGrant(userId: string, grantId: string): Promise<GrantRow | undefined> {
    return db
      .selectFrom('role_grants')
      .select(['id', 'user_id', 'role', 'company_id', 'granted_by', 'created_at'])
      .where('id', '=', grantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  },

  async deleteGrant(id: string): Promise<void> {
    await db.deleteFrom('role_grants').where('id', '=', id).execute();
  },

  async countActiveHoldersOf(role: string): Promise<number> {
    const r = await db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('role_grants.role', '=', role)
      .where('role_grants.company_id', 'is', null)
      .where('users.status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insertSession(row: SessionRow): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  },

  findSession(id: string): Promise<SessionRow | undefined> {
    return db
      .selectFrom('sessions')
      .select([
        'id',
        'user_id',
        'stage',
        'csrf_token',
        'created_at',
        'last_seen_at',
        'expires_at',
        'ip',
        'user_agent',
      ])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async touchSession(id: string, lastSeenAt: string): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();
  },

  async setSessionStage(id: string, stage: SessionRow['stage']): Promise<void> {
    await db.updateTable('sessions').set({ stage }).where('id', '=', id).execute();
  },

  async deleteSession(id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },

  async deleteSessionsOf(userId: string, exceptId?: string): Promise<void> {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    await q.execute();
  },

  async deleteExpiredSessions(now: string, idleBefore: string): Promise<void> {
    await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .execute();
  },

  /** A token with its user in one round trip: the hot path of every API call. */
  async findTokenWithUser(hash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
    const r = await db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id as t_id',
        't.scopes as t_scopes',
        't.expires_at as t_expires_at',
        't.last_used_at as t_last_used_at',
        't.revoked_at as t_revoked_at',
        ...USER_COLUMNS.map((c) => `u.${c}` as const),
      ])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
    if (!r) return undefined;
    const { t_id, t_scopes, t_expires_at, t_last_used_at, t_revoked_at, ...user } = r;
    return {
      token: {
        id: t_id,
        user_id: user.id,
        name: '',
        token_hash: hash,
        prefix: '',
        scopes: t_scopes,
        expires_at: t_expires_at,
        last_used_at: t_last_used_at,
        revoked_at: t_revoked_at,
        created_at: '',
      },
      user: user as UserRow,
    };
  },

  /** A session with its user in one round trip. */
  async findSessionWithUser(id: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
    const r = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.stage as s_stage',
        's.csrf_token as s_csrf_token',
        's.created_at as s_created_at',
        's.last_seen_at as s_last_seen_at',
        's.expires_at as s_expires_at',
        ...USER_COLUMNS.map((c) => `u.${c}` as const),
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    const { s_stage, s_csrf_token, s_created_at, s_last_seen_at, s_expires_at, ...user } = r;
    return {
      session: {
        id,
        user_id: user.id,
        stage: s_stage,
        csrf_token: s_csrf_token,
        created_at: s_created_at,
        last_seen_at: s_last_seen_at,
        expires_at: s_expires_at,
        ip: null,
        user_agent: null,
      },
      user: user as UserRow,
    };
  },

  async insertToken(row: ApiTokenRow): Promise<void> {
    await db.insertInto('api_tokens').values(row).execute();
  },

  async findTokenByHash(hash: string): Promise<ApiTokenRow | undefined> {
    return (await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst()) as ApiTokenRow | undefined;
  },

  async listTokensOf(userId: string): Promise<ApiTokenRow[]> {
    return (await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute()) as ApiTokenRow[];
  },

  async findTokenOf(userId: string, id: string): Promise<ApiTokenRow | undefined> {
    return (await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst()) as ApiTokenRow | undefined;
  },

  async revokeToken(id: string, at: string): Promise<void> {
    await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
  },

  async touchToken(id: string, at: string): Promise<void> {
    await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  },

  async replaceRecoveryCodes(userId: string, rows: { id: string; code_hash: string }[]): Promise<void> {
    await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (rows.length > 0) {
      await db
        .insertInto('recovery_codes')
        .values(rows.map((r) => ({ ...r, user_id: userId, used_at: null })))
        .execute();
    }
  },

  /** Marks an unused recovery code as used; false when there was none with that hash. */
  async useRecoveryCode(userId: string, codeHash: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('recovery_codes')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const r = await db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async findThrottle(
    key: string,
  ): Promise<{ key: string; failures: number; window_started_at: string } | undefined> {
    return (await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst()) as
      { key: string; failures: number; window_started_at: string } | undefined;
  },

  async saveThrottle(key: string, failures: number, windowStartedAt: string): Promise<void> {
    await db
      .insertInto('login_throttle')
      .values({ key, failures, window_started_at: windowStartedAt })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, window_started_at: windowStartedAt }))
      .execute();
  },

  async clearThrottle(key: string): Promise<void> {
    await db.deleteFrom('login_throttle').where('key', '=', key).execute();
  },

  async insertSetupToken(row: { id: string; token_hash: string; expires_at: string }): Promise<void> {
    await db
      .insertInto('setup_tokens')
      .values({ ...row, used_at: null })
      .execute();
  },

  /** Consumes a setup token once; false when it is unknown, used or expired. */
  async consumeSetupToken(hash: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('setup_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async discardSetupTokens(): Promise<void> {
    await db.deleteFrom('setup_tokens').execute();
  },
});

export type IdentityRepository = ReturnType<typeof identityRepository>;
