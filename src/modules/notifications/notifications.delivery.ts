// Webhook calls: the event as JSON, POSTed with its HMAC-SHA256 signature, no redirects followed, under a deadline.
// The receiver must be on the public Internet: the name is resolved by a lookup that drops non-public addresses,
// and the connection goes to the address so checked (a name cannot be re-pointed between the check and the call).
// MAMORI_WEBHOOK_PRIVATE_ADDRESSES=true lifts that for a receiver inside the group's own network.
import http from 'node:http';
import https from 'node:https';
import { isPublicAddress } from '../../platform/net/address-scope.ts';
import { publicLookup } from '../../platform/net/public-lookup.ts';
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

export interface WebhookPosterOptions {
  timeoutMs?: number;
  now?: () => Date;
  /** Also call receivers on loopback, private and other non-public addresses. */
  allowPrivateAddresses?: boolean;
}

const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');
const isAddress = (host: string) => /^[\d.]+$|:/.test(host);

/**
 * The host of a webhook URL when it is plainly not public: an address literal outside the public Internet, or
 * localhost. Null otherwise; a name is checked when it is resolved, at each call.
 */
export function plainlyPrivateHost(url: string): string | null {
  const host = hostOf(url);
  if (isAddress(host)) return isPublicAddress(host) ? null : host;
  return host === 'localhost' || host.endsWith('.localhost') ? host : null;
}

export const PRIVATE_ADDRESSES_HINT =
  'set MAMORI_WEBHOOK_PRIVATE_ADDRESSES=true for a receiver inside your network';

export function createWebhookPoster(opts: WebhookPosterOptions = {}): WebhookPoster {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const allowPrivate = opts.allowPrivateAddresses ?? false;
  return async (call) => {
    const timestamp = Math.floor((opts.now ? opts.now() : new Date()).getTime() / 1000);
    const url = new URL(call.url);
    // An address is checked here; a name, by the lookup below, against every address it resolves to.
    const host = hostOf(call.url);
    if (!allowPrivate && isAddress(host) && !isPublicAddress(host))
      throw new Error(
        `the webhook could not be reached: ${host} is not a public address (${PRIVATE_ADDRESSES_HINT})`,
      );
    const status = await new Promise<number>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(call.body),
            'user-agent': 'Mamori-Webhook/1',
            'x-mamori-event': call.kind,
            'x-mamori-delivery': call.deliveryId,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhook(call.secret, timestamp, call.body),
          },
          ...(allowPrivate ? {} : { lookup: publicLookup }),
          // A redirect is not followed: it would send the signed event somewhere the group did not configure.
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(call.body);
    }).catch((err: unknown) => {
      const e = err as NodeJS.ErrnoException;
      const reason =
        e.name === 'AbortError' || e.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : e.code === 'EMAMORIBLOCKED'
            ? `${e.message} (${PRIVATE_ADDRESSES_HINT})`
            : e.message;
      throw new Error(`the webhook could not be reached: ${reason}`, { cause: err });
    });
    if (status < 200 || status > 299) throw new Error(`the webhook answered HTTP ${status}`);
  };
}
