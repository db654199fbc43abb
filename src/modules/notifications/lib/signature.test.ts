import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.ts';

const SECRET = 'a-webhook-secret-of-the-group';
const BODY = '{"id":"0190","kind":"email_alert","title":"shop.example: …"}';

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>" in hex', () => {
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, 1_700_000_000, BODY)).toBe(`sha256=${expected}`);
    // A known vector, so a receiver written in another language can check its own code against it.
    expect(signWebhook('key', 0, 'body')).toBe(
      `sha256=${createHmac('sha256', 'key').update('0.body').digest('hex')}`,
    );
  });

  it('verifies the exact body, secret and a recent timestamp only', () => {
    const sig = signWebhook(SECRET, 1_700_000_000, BODY);
    const headers = { signature: sig, timestamp: '1700000000' };
    expect(verifyWebhook(SECRET, headers, BODY, 1_700_000_100)).toBe(true);
    expect(verifyWebhook(SECRET, headers, `${BODY} `, 1_700_000_100)).toBe(false);
    expect(verifyWebhook('another-secret-entirely', headers, BODY, 1_700_000_100)).toBe(false);
    expect(verifyWebhook(SECRET, { ...headers, timestamp: '1700000001' }, BODY, 1_700_000_100)).toBe(false);
    expect(verifyWebhook(SECRET, headers, BODY, 1_700_000_000 + 301)).toBe(false);
    expect(
      verifyWebhook(SECRET, { signature: undefined, timestamp: '1700000000' }, BODY, 1_700_000_000),
    ).toBe(false);
    expect(verifyWebhook(SECRET, { signature: 'sha256=00', timestamp: 'x' }, BODY, 1_700_000_000)).toBe(
      false,
    );
  });
});
