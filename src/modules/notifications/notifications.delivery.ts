// Webhook calls: the event as JSON, POSTed with its HMAC-SHA256 signature, no redirects followed, under a deadline.
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './lib/signature.ts';

export interface WebhookCall {
  url: string;
  secret: string;
  /** The exact bytes signed and sent. */
  body: string;
  deliveryId: string;
  kind: string;
}

/** Posts one call; resolves when the receiver answered 2xx, throws with the reason otherwise. */
export type WebhookPoster = (call: WebhookCall) => Promise<void>;

export function createWebhookPoster(opts: { timeoutMs?: number; now?: () => Date } = {}): WebhookPoster {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return async (call) => {
    const timestamp = Math.floor((opts.now ? opts.now() : new Date()).getTime() / 1000);
    let res: Response;
    try {
      res = await fetch(call.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Mamori-Webhook/1',
          'x-mamori-event': call.kind,
          'x-mamori-delivery': call.deliveryId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(call.secret, timestamp, call.body),
        },
        body: call.body,
        // A redirect would send the signed event somewhere the group did not configure.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason =
        e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.message ?? e.message);
      throw new Error(`the webhook could not be reached: ${reason}`, { cause: err });
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`the webhook answered HTTP ${res.status}`);
  };
}
