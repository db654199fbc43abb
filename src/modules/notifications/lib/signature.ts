// The signature of a webhook call: HMAC-SHA256 over the timestamp and the exact body, so that the receiver can
// check that the call comes from this Mamori and is not replayed long after.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-mamori-signature';
export const TIMESTAMP_HEADER = 'x-mamori-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`); timestamp in Unix seconds. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recomputes the signature and compares in constant time, within `toleranceSeconds`. */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds)
    return false;
  const want = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
