// HTTP face of the notifications module: the signed-in user's notifications and delivery preference, and the
// group's webhook settings and delivery outbox for group administrators.
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import type { NotificationsService } from './notifications.service.ts';
import {
  DeliveryDtoSchema,
  DeliveryIdParamsSchema,
  DeliveryPageSchema,
  ListDeliveriesQuerySchema,
  ListNotificationsQuerySchema,
  NotificationDtoSchema,
  NotificationIdParamsSchema,
  NotificationPageSchema,
  PreferencesDtoSchema,
  ReadAllResultSchema,
  UnreadCountSchema,
  UpdatePreferencesSchema,
  UpdateWebhookSettingsSchema,
  WebhookSettingsDtoSchema,
} from './notifications.contract.ts';

export function notificationsRoutes(app: ApiApp, svc: NotificationsService): void {
  const tags = ['notifications'];
  app.get(
    '/notifications',
    {
      config: { access: 'self.read' },
      schema: {
        tags,
        description: 'The signed-in user’s notifications, newest first; `unread=true` leaves out those read.',
        querystring: ListNotificationsQuerySchema,
        response: { 200: NotificationPageSchema },
      },
    },
    (req) => svc.list(actorOf(req), req.query),
  );
  app.get(
    '/notifications/unread-count',
    {
      config: { access: 'self.read' },
      schema: { tags, querystring: NoQuerySchema, response: { 200: UnreadCountSchema } },
    },
    (req) => svc.unreadCount(actorOf(req)),
  );
  app.post(
    '/notifications/:id/read',
    {
      config: { access: 'self.write' },
      schema: {
        tags,
        description: 'Marks one of the signed-in user’s notifications read; another user’s answers 404.',
        params: NotificationIdParamsSchema,
        response: { 200: NotificationDtoSchema },
      },
    },
    (req) => svc.markRead(actorOf(req), req.params.id),
  );
  app.post(
    '/notifications/read-all',
    {
      config: { access: 'self.write' },
      schema: { tags, response: { 200: ReadAllResultSchema } },
    },
    (req) => svc.markAllRead(actorOf(req)),
  );
  app.get(
    '/notifications/preferences',
    {
      config: { access: 'self.read' },
      schema: { tags, querystring: NoQuerySchema, response: { 200: PreferencesDtoSchema } },
    },
    (req) => svc.getPreferences(actorOf(req)),
  );
  app.put(
    '/notifications/preferences',
    {
      config: { access: 'self.write' },
      schema: {
        tags,
        description: 'In the app only, or by mail too (when the server sends mail).',
        body: UpdatePreferencesSchema,
        response: { 200: PreferencesDtoSchema },
      },
    },
    (req) => svc.setPreferences(actorOf(req), req.body),
  );
  app.get(
    '/notifications/settings',
    {
      config: { access: 'notification.manage' },
      schema: {
        tags,
        description: 'The group’s webhook; whether a signing secret is set, never the secret.',
        querystring: NoQuerySchema,
        response: { 200: WebhookSettingsDtoSchema },
      },
    },
    (req) => svc.getSettings(actorOf(req)),
  );
  app.put(
    '/notifications/settings',
    {
      config: { access: 'notification.manage' },
      schema: {
        tags,
        description:
          'Sets the webhook every notification event is POSTed to, signed with HMAC-SHA256 (`x-mamori-signature: sha256=<hex>` of `<x-mamori-timestamp>.<body>`). A secret left out keeps the stored one.',
        body: UpdateWebhookSettingsSchema,
        response: { 200: WebhookSettingsDtoSchema },
      },
    },
    (req) => svc.updateSettings(actorOf(req), req.body),
  );
  app.get(
    '/notifications/deliveries',
    {
      config: { access: 'notification.manage' },
      schema: {
        tags,
        description:
          'The outbox of mails and webhook calls, newest first: pending, sent, or failed (given up).',
        querystring: ListDeliveriesQuerySchema,
        response: { 200: DeliveryPageSchema },
      },
    },
    (req) => svc.listDeliveries(actorOf(req), req.query),
  );
  app.post(
    '/notifications/deliveries/:id/retry',
    {
      config: { access: 'notification.manage' },
      schema: {
        tags,
        description: 'Makes a delivery that was given up due again, its attempts counted from zero.',
        params: DeliveryIdParamsSchema,
        response: { 200: DeliveryDtoSchema },
      },
    },
    (req) => svc.retryDelivery(actorOf(req), req.params.id),
  );
}
