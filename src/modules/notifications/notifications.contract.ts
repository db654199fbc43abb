// The notifications module's contract: a user's own notifications and delivery preference, the group's webhook
// settings, and the outbox of mails and webhook calls.
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

const Id = z.uuid();
const Timestamp = z.string();

export const NOTIFICATION_SEVERITIES = ['info', 'warning', 'error'] as const;
export const NotificationSeveritySchema = z.enum(NOTIFICATION_SEVERITIES);
export type NotificationSeverity = z.infer<typeof NotificationSeveritySchema>;
/** in_app: only in Mamori (the bell); email: by mail too. */
export const CHANNELS = ['in_app', 'email'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** Parameters of a title: words and numbers, and lists of words (the findings). */
export const ParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]));

export const NotificationDtoSchema = z.object({
  id: Id,
  /** Shared by the notifications of all recipients of one event, and by its webhook call. */
  eventId: Id,
  companyId: Id.nullable(),
  kind: z.string(),
  severity: NotificationSeveritySchema,
  /** A message key: the UI and the mails translate it with `params`. */
  titleKey: z.string(),
  params: ParamsSchema,
  /** The UI path of the object. */
  link: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
  /** The mail sent for it, when the user asked for mail. */
  email: DeliveryStatusSchema.nullable(),
});
export type NotificationDto = z.infer<typeof NotificationDtoSchema>;
export const NotificationPageSchema = pageOf(NotificationDtoSchema);

export const ListNotificationsQuerySchema = PageQuerySchema.extend({
  /** true: only those not yet read. */
  unread: z.enum(['true', 'false']).optional(),
}).strict();
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuerySchema>;
export const NotificationIdParamsSchema = z.strictObject({ id: Id });
export const UnreadCountSchema = z.object({ count: z.number().int() });
export const ReadAllResultSchema = z.object({ updated: z.number().int() });

export const PreferencesDtoSchema = z.object({
  channel: ChannelSchema,
  /** Whether this server sends mail (MAMORI_SMTP_URL is set). */
  emailAvailable: z.boolean(),
  /** 0 until the user first changes it. */
  version: z.number().int(),
  updatedAt: Timestamp.nullable(),
});
export type PreferencesDto = z.infer<typeof PreferencesDtoSchema>;
export const UpdatePreferencesSchema = z.strictObject({
  channel: ChannelSchema,
  version: z.number().int().min(0),
});
export type UpdatePreferencesInput = z.infer<typeof UpdatePreferencesSchema>;

export const WebhookSettingsDtoSchema = z.object({
  webhookUrl: z.string().nullable(),
  enabled: z.boolean(),
  /** Whether a signing secret is stored; the secret itself is never returned. */
  secretSet: z.boolean(),
  /** 0 until first saved. */
  version: z.number().int(),
  updatedAt: Timestamp.nullable(),
  updatedBy: z.string().nullable(),
});
export type WebhookSettingsDto = z.infer<typeof WebhookSettingsDtoSchema>;
export const UpdateWebhookSettingsSchema = z.strictObject({
  webhookUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2000)
    .nullable(),
  enabled: z.boolean(),
  /** The HMAC-SHA256 signing secret: write-only; left out, the stored one is kept. */
  secret: z.string().min(16, 'must have at least 16 characters').max(256).optional(),
  version: z.number().int().min(0),
});
export type UpdateWebhookSettingsInput = z.infer<typeof UpdateWebhookSettingsSchema>;

export const DeliveryDtoSchema = z.object({
  id: Id,
  eventId: Id,
  channel: z.enum(DELIVERY_CHANNELS),
  status: DeliveryStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: Timestamp,
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
  /** The user mailed (their address); null for a webhook call. */
  recipient: z.string().nullable(),
  companyId: Id.nullable(),
  kind: z.string(),
  severity: NotificationSeveritySchema,
  titleKey: z.string(),
  params: ParamsSchema,
});
export type DeliveryDto = z.infer<typeof DeliveryDtoSchema>;
export const DeliveryPageSchema = pageOf(DeliveryDtoSchema);
export const ListDeliveriesQuerySchema = PageQuerySchema.extend({
  status: DeliveryStatusSchema.optional(),
  channel: z.enum(DELIVERY_CHANNELS).optional(),
}).strict();
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuerySchema>;
export const DeliveryIdParamsSchema = z.strictObject({ id: Id });

/** The body of a webhook call (also kept in the outbox): one event, whoever its recipients are. */
export const WebhookEventSchema = z.object({
  id: Id,
  kind: z.string(),
  severity: NotificationSeveritySchema,
  companyId: Id.nullable(),
  titleKey: z.string(),
  /** The title in English, for receivers that show text as it comes (chat channels). */
  title: z.string(),
  params: ParamsSchema,
  /** Absolute URL of the object in Mamori. */
  url: z.string().nullable(),
  entity: z.object({ type: z.string(), id: z.string() }).nullable(),
  createdAt: Timestamp,
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
