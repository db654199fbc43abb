// The notifications feature's public face: the bell of the header, the pages, the preference card of the
// profile, and the icons of their navigation entries.
export { NotificationBell } from './notification-bell.tsx';
export { NotificationsPage } from './notifications-page.tsx';
export { WebhookSettingsPage } from './webhook-settings-page.tsx';
export { NotificationPreferencesCard } from './notification-preferences-card.tsx';
export { BellIcon, WebhookIcon } from './ui/icons.tsx';
