// Notifications: one row per recipient user of each event, each user's delivery preference, the group's webhook,
// and the outbox of mails and webhook calls delivered by `mamori serve`.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** One event notifies many users: their rows share it, and so does its webhook call. */
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    /** The company of the object; null for a group-level event. */
    .addColumn('company_id', 'text', (c) => c.references('companies.id'))
    /** e.g. email_alert */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** info | warning | error */
    .addColumn('severity', 'text', (c) => c.notNull())
    /** A message key the UI and the mails translate, and its parameters (JSON object). */
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    /** The UI path of the object, e.g. /email/domains/<id>. */
    .addColumn('link', 'text')
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .columns(['user_id', 'read_at'])
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    /** in_app | email (in the app and by mail too) */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // One row (id 'group'), written at the first change: the webhook every event is posted to.
  await db.schema
    .createTable('notification_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_url', 'text')
    /** Sealed with the server's secret key; never returned by the API. */
    .addColumn('webhook_secret_enc', 'text')
    .addColumn('webhook_enabled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // The outbox: written in the event's transaction, delivered (claimed, retried with backoff) by `mamori serve`.
  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    /** email | webhook */
    .addColumn('channel', 'text', (c) => c.notNull())
    /** The notification mailed (email); null for a webhook call, which carries the event. */
    .addColumn('notification_id', 'text', (c) => c.references('notifications.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('company_id', 'text', (c) => c.references('companies.id'))
    /** JSON: the event as the webhook posts it. */
    .addColumn('payload', 'text', (c) => c.notNull())
    /** pending | sent | failed (gave up) */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    /** Set while a process delivers it (a crashed delivery frees it at this time). */
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_deliveries_due_idx')
    .on('notification_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_order_idx')
    .on('notification_deliveries')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_notification_idx')
    .on('notification_deliveries')
    .column('notification_id')
    .execute();
}
