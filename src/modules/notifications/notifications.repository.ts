// SQL of the notifications module: notifications per user, preferences, the group's webhook settings and the
// delivery outbox. The audience query reads the identity module's users and role grants (in the event's own
// transaction, one set-based query whatever the size of the group).
import type { Executor } from '../../platform/db/database.ts';
import { keysetBefore } from '../../platform/db/keyset.ts';
import type { Audience } from './lib/recipients.ts';
import type {
  DeliveryRow,
  NotificationListRow,
  NotificationRow,
  PreferenceRow,
  RecipientRow,
  SettingsRow,
} from './notifications.tables.ts';

const SETTINGS_ID = 'group';

/** A user's notifications, each with the status of its mail (null when none was to be sent). */
const ownNotifications = (db: Executor, userId: string) =>
  db
    .selectFrom('notifications')
    .leftJoin('notification_deliveries', (j) =>
      j
        .onRef('notification_deliveries.notification_id', '=', 'notifications.id')
        .on('notification_deliveries.channel', '=', 'email'),
    )
    .selectAll('notifications')
    .select('notification_deliveries.status as email_status')
    .where('notifications.user_id', '=', userId);

export const notificationsRepository = (db: Executor) => ({
  /**
   * The active users holding a role of the audience (as `grantMatches` reads it), and the users linked to
   * `personIds`, each once, with their delivery preference.
   */
  async recipients(audience: Audience, personIds: string[]): Promise<RecipientRow[]> {
    return (await db
      .selectFrom('users')
      .leftJoin('notification_preferences', 'notification_preferences.user_id', 'users.id')
      .select([
        'users.id as id',
        'users.email as email',
        'users.locale as locale',
        'notification_preferences.channel as channel',
      ])
      .where('users.status', '=', 'active')
      .where((eb) => {
        let holders = eb
          .selectFrom('role_grants')
          .select('role_grants.user_id')
          .where('role_grants.role', 'in', audience.roles);
        if (audience.grants === 'company')
          holders = holders.where((g) =>
            g.or([
              g('role_grants.company_id', 'is', null),
              g('role_grants.company_id', '=', audience.companyId),
            ]),
          );
        else if (audience.grants === 'group') holders = holders.where('role_grants.company_id', 'is', null);
        return eb.or([
          eb('users.id', 'in', holders),
          ...(personIds.length > 0 ? [eb('users.person_id', 'in', personIds)] : []),
        ]);
      })
      .orderBy('users.id')
      .execute()) as RecipientRow[];
  },

  async insertNotifications(rows: NotificationRow[]): Promise<void> {
    // Bounded batches: every dialect takes this many parameters in one statement.
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('notifications')
        .values(rows.slice(i, i + 200))
        .execute();
  },
  async insertDeliveries(rows: DeliveryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('notification_deliveries')
        .values(rows.slice(i, i + 200))
        .execute();
  },

  // ---- a user's own ----
  /** Newest first. */
  async list(
    userId: string,
    f: { unread: boolean },
    after: [string, string] | undefined,
    limit: number,
  ): Promise<NotificationListRow[]> {
    let q = ownNotifications(db, userId);
    if (f.unread) q = q.where('notifications.read_at', 'is', null);
    if (after) q = q.where((eb) => keysetBefore(eb, 'notifications.created_at', 'notifications.id', after));
    return (await q
      .orderBy('notifications.created_at', 'desc')
      .orderBy('notifications.id', 'desc')
      .limit(limit + 1)
      .execute()) as NotificationListRow[];
  },
  async find(userId: string, id: string): Promise<NotificationListRow | undefined> {
    return (await ownNotifications(db, userId).where('notifications.id', '=', id).executeTakeFirst()) as
      NotificationListRow | undefined;
  },
  async unreadCount(userId: string): Promise<number> {
    const r = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number((r as { n: number | string }).n);
  },
  /** True when it was unread and is now read. */
  async markRead(userId: string, id: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async markAllRead(userId: string, at: string): Promise<number> {
    const r = await db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async preference(userId: string): Promise<PreferenceRow | undefined> {
    return (await db
      .selectFrom('notification_preferences')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst()) as PreferenceRow | undefined;
  },
  async insertPreference(row: PreferenceRow): Promise<void> {
    await db.insertInto('notification_preferences').values(row).execute();
  },
  async updatePreference(userId: string, version: number, channel: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('notification_preferences')
      .set({ channel, version: version + 1, updated_at: at })
      .where('user_id', '=', userId)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  // ---- the group's settings ----
  async settings(): Promise<SettingsRow | undefined> {
    return (await db
      .selectFrom('notification_settings')
      .selectAll()
      .where('id', '=', SETTINGS_ID)
      .executeTakeFirst()) as SettingsRow | undefined;
  },
  async insertSettings(row: Omit<SettingsRow, 'id'>): Promise<void> {
    await db
      .insertInto('notification_settings')
      .values({ ...row, id: SETTINGS_ID })
      .execute();
  },
  async updateSettings(version: number, patch: Omit<SettingsRow, 'id' | 'version'>): Promise<boolean> {
    const r = await db
      .updateTable('notification_settings')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', SETTINGS_ID)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  // ---- the outbox ----
  async dueDeliveries(at: string, limit: number): Promise<DeliveryRow[]> {
    return (await db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute()) as DeliveryRow[];
  },
  /** Takes a due delivery for this process until `until`: true only if no other process took it first. */
  async claim(id: string, attempts: number, at: string, until: string): Promise<boolean> {
    const r = await db
      .updateTable('notification_deliveries')
      .set({ claimed_until: until })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('attempts', '=', attempts)
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** Records an attempt of a delivery this process holds (claimed until `claimedUntil`). */
  async finishAttempt(
    id: string,
    claimedUntil: string,
    patch: Pick<DeliveryRow, 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'sent_at'>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('notification_deliveries')
      .set({ ...patch, claimed_until: null })
      .where('id', '=', id)
      .where('claimed_until', '=', claimedUntil)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** Makes a failed delivery due again with its attempts counted from zero. */
  async requeue(id: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('notification_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at, claimed_until: null, last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async recipientOf(
    delivery: DeliveryRow,
  ): Promise<{ email: string; locale: string; status: string } | undefined> {
    if (!delivery.user_id) return undefined;
    return (await db
      .selectFrom('users')
      .select(['email', 'locale', 'status'])
      .where('id', '=', delivery.user_id)
      .executeTakeFirst()) as { email: string; locale: string; status: string } | undefined;
  },
  async notification(id: string): Promise<NotificationRow | undefined> {
    return (await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst()) as
      NotificationRow | undefined;
  },
  /** Newest first, with the address of the user mailed. */
  async deliveries(
    f: { status?: string | undefined; channel?: string | undefined; id?: string | undefined },
    after: [string, string] | undefined,
    limit: number,
  ): Promise<(DeliveryRow & { recipient: string | null })[]> {
    let q = db
      .selectFrom('notification_deliveries')
      .leftJoin('users', 'users.id', 'notification_deliveries.user_id')
      .selectAll('notification_deliveries')
      .select('users.email as recipient');
    if (f.id) q = q.where('notification_deliveries.id', '=', f.id);
    if (f.status) q = q.where('notification_deliveries.status', '=', f.status);
    if (f.channel) q = q.where('notification_deliveries.channel', '=', f.channel);
    if (after)
      q = q.where((eb) =>
        keysetBefore(eb, 'notification_deliveries.created_at', 'notification_deliveries.id', after),
      );
    return (await q
      .orderBy('notification_deliveries.created_at', 'desc')
      .orderBy('notification_deliveries.id', 'desc')
      .limit(limit + 1)
      .execute()) as (DeliveryRow & { recipient: string | null })[];
  },
});
