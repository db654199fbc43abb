// Row shapes of the notifications module's tables.
export interface NotificationRow {
  id: string;
  event_id: string;
  user_id: string;
  company_id: string | null;
  kind: string;
  severity: string;
  title_key: string;
  /** JSON object. */
  params: string;
  link: string | null;
  entity_type: string | null;
  entity_id: string | null;
  created_at: string;
  read_at: string | null;
}

/** A notification with the state of its mail, when one was sent for it. */
export type NotificationListRow = NotificationRow & { email_status: string | null };

export interface PreferenceRow {
  user_id: string;
  channel: string;
  version: number;
  updated_at: string;
}

export interface SettingsRow {
  id: string;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  webhook_enabled: number;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  channel: string;
  notification_id: string | null;
  user_id: string | null;
  company_id: string | null;
  /** JSON: the event as the webhook posts it. */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A recipient as the audience query finds them. */
export interface RecipientRow {
  id: string;
  email: string;
  locale: string;
  channel: string | null;
}
