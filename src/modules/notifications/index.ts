// Public face of the notifications module: `notifyInTx` for the modules whose events tell people, the service,
// its routes and its contract.
export {
  createNotificationsService,
  type NotificationsService,
  type NotifyInput,
} from './notifications.service.ts';
export { createWebhookPoster, type WebhookCall, type WebhookPoster } from './notifications.delivery.ts';
export { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhook } from './lib/signature.ts';
export { notificationsRoutes } from './notifications.routes.ts';
export * from './notifications.contract.ts';
