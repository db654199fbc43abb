// Calls to the notifications module: the signed-in user's notifications, unread count and preference; the group's
// webhook settings and the delivery outbox.
import { api } from '../../shared/api/client.ts';
import type {
  DeliveryDto,
  NotificationChannel,
  NotificationDto,
  PreferencesDto,
  UpdateWebhookSettingsInput,
  WebhookSettingsDto,
} from '../../shared/api/types.ts';

export const notificationKeys = {
  all: ['notifications'] as const,
  list: ['notifications', 'list'] as const,
  latest: ['notifications', 'latest'] as const,
  unread: ['notifications', 'unread'] as const,
  preferences: ['notifications', 'preferences'] as const,
  settings: ['notifications', 'settings'] as const,
  deliveries: ['notifications', 'deliveries'] as const,
};

export const getUnreadCount = (signal?: AbortSignal) =>
  api.get<{ count: number }>('/notifications/unread-count', undefined, signal);
export const getLatest = (signal?: AbortSignal) =>
  api.get<{ items: NotificationDto[] }>('/notifications', { limit: 6 }, signal);
export const markRead = (id: string) => api.post<NotificationDto>(`/notifications/${id}/read`);
export const markAllRead = () => api.post<{ updated: number }>('/notifications/read-all');
export const getPreferences = () => api.get<PreferencesDto>('/notifications/preferences');
export const setPreferences = (channel: NotificationChannel, version: number) =>
  api.put<PreferencesDto>('/notifications/preferences', { channel, version });
export const getSettings = () => api.get<WebhookSettingsDto>('/notifications/settings');
export const updateSettings = (input: UpdateWebhookSettingsInput) =>
  api.put<WebhookSettingsDto>('/notifications/settings', input);
export const retryDelivery = (id: string) => api.post<DeliveryDto>(`/notifications/deliveries/${id}/retry`);
