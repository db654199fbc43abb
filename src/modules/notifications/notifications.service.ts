// Notifications: created in the transaction of the event that causes them, one per recipient user; read state per
// user; each user's choice of mail; the group's webhook; and the outbox delivering mails and webhook calls with
// retries, claimed so that replicas never deliver one twice.
import type { Database, Executor } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/rows.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, type Action, type Actor } from '../../platform/authz/permissions.ts';
import type { SecretBox } from '../../platform/auth/secrets.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { forbidden, notFound, staleVersion, stateConflict, validationFailed } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination.ts';
import { audienceOf } from './lib/recipients.ts';
import { backoffMs, DEFAULT_BACKOFF, givesUp, type BackoffOptions } from './lib/backoff.ts';
import { renderMail, renderTitle, type Locale, type Params } from './lib/messages.ts';
import { notificationsRepository } from './notifications.repository.ts';
import {
  PRIVATE_ADDRESSES_HINT,
  createWebhookPoster,
  plainlyPrivateHost,
  type WebhookPoster,
} from './notifications.delivery.ts';
import type {
  DeliveryRow,
  NotificationListRow,
  NotificationRow,
  SettingsRow,
} from './notifications.tables.ts';
import type {
  Channel,
  DeliveryDto,
  ListDeliveriesQuery,
  ListNotificationsQuery,
  NotificationDto,
  NotificationSeverity,
  PreferencesDto,
  UpdatePreferencesInput,
  UpdateWebhookSettingsInput,
  WebhookEvent,
  WebhookSettingsDto,
} from './notifications.contract.ts';

/** What another module tells, from inside its own transaction. */
export interface NotifyInput {
  /** The company of the object; null for a group-level event. */
  companyId: string | null;
  kind: string;
  severity: NotificationSeverity;
  titleKey: string;
  params: Params;
  /** The UI path of the object. */
  link: string | null;
  entity?: { type: string; id: string } | undefined;
  /**
   * Who is told: every active user who may `action` the company's objects (from the permission table: company
   * grants and group-wide ones), and the users of these people (an object's owner), each once.
   */
  audience: { action: Action; personIds?: (string | null | undefined)[] | undefined };
}

export interface NotificationsDeps {
  db: Database;
  box: SecretBox;
  /** Links in mails and webhook calls start with it. */
  publicUrl: string;
  /** null: this server sends no mail (MAMORI_SMTP_URL is not set). */
  mailer: Mailer | null;
  maxAttempts: number;
  /** The webhook may be on a non-public address (MAMORI_WEBHOOK_PRIVATE_ADDRESSES). */
  webhookPrivateAddresses?: boolean;
  webhook?: WebhookPoster;
  backoff?: BackoffOptions;
  now?: () => Date;
}

/** How long a process holds a delivery it is attempting; one that crashed frees it after this. */
const CLAIM_MS = 5 * 60_000;
const ERROR_MAX = 500;

const parseParams = (text: string): Params => {
  const v: unknown = JSON.parse(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Params) : {};
};

const notificationDto = (r: NotificationListRow): NotificationDto => ({
  id: r.id,
  eventId: r.event_id,
  companyId: r.company_id,
  kind: r.kind,
  severity: r.severity as NotificationSeverity,
  titleKey: r.title_key,
  params: parseParams(r.params),
  link: r.link,
  entityType: r.entity_type,
  entityId: r.entity_id,
  createdAt: r.created_at,
  readAt: r.read_at,
  email: (r.email_status ?? null) as NotificationDto['email'],
});

const deliveryDto = (r: DeliveryRow & { recipient: string | null }): DeliveryDto => {
  const event = JSON.parse(r.payload) as WebhookEvent;
  return {
    id: r.id,
    eventId: r.event_id,
    channel: r.channel as DeliveryDto['channel'],
    status: r.status as DeliveryDto['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    recipient: r.channel === 'email' ? r.recipient : null,
    companyId: r.company_id,
    kind: event.kind,
    severity: event.severity,
    titleKey: event.titleKey,
    params: event.params,
  };
};

const settingsDto = (r: SettingsRow | undefined): WebhookSettingsDto => ({
  webhookUrl: r?.webhook_url ?? null,
  enabled: Boolean(Number(r?.webhook_enabled ?? 0)),
  secretSet: Boolean(r?.webhook_secret_enc),
  version: Number(r?.version ?? 0),
  updatedAt: r?.updated_at ?? null,
  updatedBy: r?.updated_by ?? null,
});

/** What the audit trail keeps of the webhook: where it points, never the secret (nor a URL's own secret path). */
const settingsAudit = (r: SettingsRow | undefined) => ({
  webhook_host: r?.webhook_url ? new URL(r.webhook_url).host : null,
  enabled: Boolean(Number(r?.webhook_enabled ?? 0)),
  secret_set: Boolean(r?.webhook_secret_enc),
});

const webhookActive = (s: SettingsRow | undefined): s is SettingsRow & { webhook_url: string } =>
  !!s && Boolean(Number(s.webhook_enabled)) && !!s.webhook_url && !!s.webhook_secret_enc;

export function createNotificationsService(deps: NotificationsDeps) {
  const { db } = deps;
  const clock = () => (deps.now ? deps.now() : new Date());
  const now = () => clock().toISOString();
  const repo = notificationsRepository(db.kysely);
  const webhook =
    deps.webhook ??
    createWebhookPoster({ now: clock, allowPrivateAddresses: deps.webhookPrivateAddresses ?? false });
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;

  /** The signed-in user the request is for: notifications belong to users, not to system processes. */
  function userOf(actor: Actor): string {
    if (!actor.userId || !can(actor, 'self.read')) throw forbidden();
    return actor.userId;
  }
  function manager(actor: Actor): void {
    if (!can(actor, 'notification.manage')) throw forbidden();
  }
  async function preferences(userId: string): Promise<PreferencesDto> {
    const row = await repo.preference(userId);
    return {
      channel: (row?.channel ?? 'in_app') as Channel,
      emailAvailable: deps.mailer !== null,
      version: Number(row?.version ?? 0),
      updatedAt: row?.updated_at ?? null,
    };
  }

  /** One attempt at a delivery this process has claimed until `until`; records the outcome. */
  async function attempt(d: DeliveryRow, until: string): Promise<'sent' | 'retry' | 'failed'> {
    let error: string | null = null;
    let final = false;
    try {
      if (d.channel === 'email') {
        if (!deps.mailer) throw new Error('this server sends no mail (MAMORI_SMTP_URL is not set)');
        const user = await repo.recipientOf(d);
        const n = d.notification_id ? await repo.notification(d.notification_id) : undefined;
        if (!user || !n || user.status !== 'active') {
          final = true;
          throw new Error('the user is no longer active');
        }
        const mail = renderMail(
          (user.locale === 'ja' ? 'ja' : 'en') as Locale,
          { titleKey: n.title_key, params: parseParams(n.params), severity: n.severity, link: n.link },
          deps.publicUrl,
        );
        await deps.mailer.send({ to: user.email, ...mail, ref: n.id });
      } else {
        const settings = await repo.settings();
        if (!webhookActive(settings)) {
          final = true;
          throw new Error('the webhook is turned off');
        }
        const event = JSON.parse(d.payload) as WebhookEvent;
        await webhook({
          url: settings.webhook_url,
          secret: deps.box.open(settings.webhook_secret_enc!),
          body: d.payload,
          deliveryId: d.id,
          kind: event.kind,
        });
      }
    } catch (err) {
      error = ((err as Error).message || String(err)).slice(0, ERROR_MAX);
    }
    const failures = Number(d.attempts) + 1;
    const at = clock();
    const outcome =
      error === null ? 'sent' : final || givesUp(failures, deps.maxAttempts) ? 'failed' : 'retry';
    await repo.finishAttempt(d.id, until, {
      status: outcome === 'retry' ? 'pending' : outcome,
      attempts: failures,
      next_attempt_at:
        outcome === 'retry'
          ? new Date(at.getTime() + backoffMs(failures, backoff)).toISOString()
          : d.next_attempt_at,
      last_error: error,
      sent_at: outcome === 'sent' ? at.toISOString() : null,
    });
    return outcome;
  }

  return {
    /** Whether this server sends mail. */
    emailAvailable: deps.mailer !== null,

    /**
     * For other modules, inside the transaction of the event: a notification for each recipient, a mail in the
     * outbox for those who asked for mail, and a webhook call when the group has one. Returns the event's id and
     * how many users were told.
     */
    async notifyInTx(tx: Executor, input: NotifyInput): Promise<{ eventId: string; recipients: number }> {
      const r = notificationsRepository(tx);
      const personIds = [...new Set((input.audience.personIds ?? []).filter((p): p is string => !!p))];
      const recipients = await r.recipients(audienceOf(input.audience.action, input.companyId), personIds);
      const settings = await r.settings();
      const eventId = newId();
      const at = now();
      const event: WebhookEvent = {
        id: eventId,
        kind: input.kind,
        severity: input.severity,
        companyId: input.companyId,
        titleKey: input.titleKey,
        title: renderTitle('en', input.titleKey, input.params),
        params: input.params,
        url: input.link ? `${deps.publicUrl}${input.link}` : null,
        entity: input.entity ?? null,
        createdAt: at,
      };
      const payload = JSON.stringify(event);
      const params = JSON.stringify(input.params);
      const rows: NotificationRow[] = recipients.map((u) => ({
        id: newId(),
        event_id: eventId,
        user_id: u.id,
        company_id: input.companyId,
        kind: input.kind,
        severity: input.severity,
        title_key: input.titleKey,
        params,
        link: input.link,
        entity_type: input.entity?.type ?? null,
        entity_id: input.entity?.id ?? null,
        created_at: at,
        read_at: null,
      }));
      const outbox = (channel: 'email' | 'webhook', n: NotificationRow | null): DeliveryRow => ({
        id: newId(),
        event_id: eventId,
        channel,
        notification_id: n?.id ?? null,
        user_id: n?.user_id ?? null,
        company_id: input.companyId,
        payload,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        claimed_until: null,
        last_error: null,
        created_at: at,
        sent_at: null,
      });
      const mails = deps.mailer
        ? rows.filter((_n, i) => recipients[i]!.channel === 'email').map((n) => outbox('email', n))
        : [];
      const calls = webhookActive(settings) ? [outbox('webhook', null)] : [];
      await r.insertNotifications(rows);
      await r.insertDeliveries([...mails, ...calls]);
      return { eventId, recipients: rows.length };
    },

    // ---- a user's own notifications ----
    async list(actor: Actor, query: ListNotificationsQuery): Promise<Page<NotificationDto>> {
      const userId = userOf(actor);
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.list(userId, { unread: query.unread === 'true' }, after, query.limit);
      return toPage(rows, query.limit, (r) => [r.created_at, r.id], notificationDto);
    },

    async unreadCount(actor: Actor): Promise<{ count: number }> {
      return { count: await repo.unreadCount(userOf(actor)) };
    },

    /** Marks one of the user's notifications read (again: no change); another user's answers 404. */
    async markRead(actor: Actor, id: string): Promise<NotificationDto> {
      const userId = userOf(actor);
      const found = await repo.find(userId, id);
      if (!found) throw notFound('Notification');
      if (found.read_at) return notificationDto(found);
      return db.transaction(async (tx) => {
        const r = notificationsRepository(tx);
        if (await r.markRead(userId, id, now()))
          await recordAudit(tx, actor, {
            action: 'notification.read',
            entityType: 'notification',
            entityId: id,
            companyId: found.company_id,
            after: { kind: found.kind, title_key: found.title_key },
          });
        return notificationDto((await r.find(userId, id))!);
      });
    },

    async markAllRead(actor: Actor): Promise<{ updated: number }> {
      const userId = userOf(actor);
      return db.transaction(async (tx) => {
        const updated = await notificationsRepository(tx).markAllRead(userId, now());
        if (updated > 0)
          await recordAudit(tx, actor, {
            action: 'notification.read_all',
            entityType: 'user',
            entityId: userId,
            companyId: null,
            after: { count: updated },
          });
        return { updated };
      });
    },

    async getPreferences(actor: Actor): Promise<PreferencesDto> {
      return preferences(userOf(actor));
    },

    async setPreferences(actor: Actor, input: UpdatePreferencesInput): Promise<PreferencesDto> {
      const userId = userOf(actor);
      if (!can(actor, 'self.write')) throw forbidden();
      if (input.channel === 'email' && !deps.mailer)
        throw validationFailed('This server sends no mail', [
          {
            path: 'channel',
            message: 'mail is not set up on this server (MAMORI_SMTP_URL)',
            code: 'unavailable',
          },
        ]);
      const at = now();
      await db.transaction(async (tx) => {
        const r = notificationsRepository(tx);
        const before = await r.preference(userId);
        if (Number(before?.version ?? 0) !== input.version) throw staleVersion('Notification preference');
        if (!before) {
          try {
            await r.insertPreference({ user_id: userId, channel: input.channel, version: 1, updated_at: at });
          } catch (err) {
            if (isUniqueViolation(err)) throw staleVersion('Notification preference');
            throw err;
          }
        } else if (!(await r.updatePreference(userId, input.version, input.channel, at)))
          throw staleVersion('Notification preference');
        await recordAudit(tx, actor, {
          action: 'notification_preference.update',
          entityType: 'user',
          entityId: userId,
          companyId: null,
          before: { channel: before?.channel ?? 'in_app' },
          after: { channel: input.channel },
        });
      });
      return preferences(userId);
    },

    // ---- the group's webhook and the outbox ----
    async getSettings(actor: Actor): Promise<WebhookSettingsDto> {
      manager(actor);
      return settingsDto(await repo.settings());
    },

    async updateSettings(actor: Actor, input: UpdateWebhookSettingsInput): Promise<WebhookSettingsDto> {
      manager(actor);
      return db.transaction(async (tx) => {
        const r = notificationsRepository(tx);
        const before = await r.settings();
        if (Number(before?.version ?? 0) !== input.version) throw staleVersion('Notification settings');
        const secretEnc =
          input.secret !== undefined ? deps.box.seal(input.secret) : (before?.webhook_secret_enc ?? null);
        if (input.enabled && !input.webhookUrl)
          throw validationFailed('The webhook is not valid', [
            { path: 'webhookUrl', message: 'a webhook that is on needs a URL', code: 'required' },
          ]);
        if (input.webhookUrl && !secretEnc)
          throw validationFailed('The webhook is not valid', [
            { path: 'secret', message: 'a webhook needs a signing secret', code: 'required' },
          ]);
        const privateHost =
          input.webhookUrl && !deps.webhookPrivateAddresses ? plainlyPrivateHost(input.webhookUrl) : null;
        if (privateHost)
          throw validationFailed('The webhook is not valid', [
            {
              path: 'webhookUrl',
              message: `${privateHost} is not a public address; ${PRIVATE_ADDRESSES_HINT}`,
              code: 'not_public_address',
              params: { host: privateHost },
            },
          ]);
        const patch = {
          webhook_url: input.webhookUrl,
          webhook_secret_enc: secretEnc,
          webhook_enabled: input.enabled ? 1 : 0,
          updated_at: now(),
          updated_by: actor.label,
        };
        if (!before) {
          try {
            await r.insertSettings({ ...patch, version: 1 });
          } catch (err) {
            if (isUniqueViolation(err)) throw staleVersion('Notification settings');
            throw err;
          }
        } else if (!(await r.updateSettings(input.version, patch)))
          throw staleVersion('Notification settings');
        const after = await r.settings();
        await recordAudit(tx, actor, {
          action: 'notification_settings.update',
          entityType: 'notification_settings',
          entityId: null,
          companyId: null,
          before: before ? settingsAudit(before) : null,
          after: { ...settingsAudit(after), secret_changed: input.secret !== undefined },
        });
        return settingsDto(after);
      });
    },

    async listDeliveries(actor: Actor, query: ListDeliveriesQuery): Promise<Page<DeliveryDto>> {
      manager(actor);
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.deliveries(
        { status: query.status, channel: query.channel },
        after,
        query.limit,
      );
      return toPage(rows, query.limit, (r) => [r.created_at, r.id], deliveryDto);
    },

    /** Tries a delivery that was given up again, from its first attempt. */
    async retryDelivery(actor: Actor, id: string): Promise<DeliveryDto> {
      manager(actor);
      return db.transaction(async (tx) => {
        const r = notificationsRepository(tx);
        const [found] = await r.deliveries({ id }, undefined, 1);
        if (!found) throw notFound('Delivery');
        if (!(await r.requeue(id, now())))
          throw stateConflict('not_given_up', 'Only a delivery that was given up can be retried');
        await recordAudit(tx, actor, {
          action: 'notification_delivery.retry',
          entityType: 'notification_delivery',
          entityId: id,
          companyId: found.company_id,
          before: { status: found.status, attempts: Number(found.attempts), last_error: found.last_error },
        });
        return deliveryDto((await r.deliveries({ id }, undefined, 1))[0]!);
      });
    },

    /**
     * One round of the outbox: takes up to `limit` due deliveries, each claimed with a conditional update so that
     * another process does not deliver it too, and attempts them `concurrency` at a time.
     */
    async deliverDue(opts: { limit: number; concurrency?: number }): Promise<{
      sent: number;
      retried: number;
      failed: number;
    }> {
      const at = clock();
      const due = await repo.dueDeliveries(at.toISOString(), opts.limit);
      const until = new Date(at.getTime() + CLAIM_MS).toISOString();
      const mine: DeliveryRow[] = [];
      for (const d of due)
        if (await repo.claim(d.id, Number(d.attempts), at.toISOString(), until)) mine.push(d);
      const counts = { sent: 0, retried: 0, failed: 0 };
      let next = 0;
      const worker = async () => {
        while (next < mine.length) {
          const outcome = await attempt(mine[next++]!, until);
          counts[outcome === 'retry' ? 'retried' : outcome] += 1;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
      return counts;
    },

    close(): void {
      deps.mailer?.close();
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
