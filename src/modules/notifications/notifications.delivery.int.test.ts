// Webhook calls against a real HTTP server on 127.0.0.1: sent signed when receivers inside the network are allowed,
// refused before any connection when they are not (an address given as such, or a name that resolves to one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type TestWebhookServer } from '../../../test/support/webhook-server.ts';
import { createWebhookPoster, plainlyPrivateHost, type WebhookCall } from './notifications.delivery.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './lib/signature.ts';

let server: TestWebhookServer;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(() => server.close());

const call = (url: string): WebhookCall => ({
  url,
  secret: 'a-test-secret',
  body: JSON.stringify({ kind: 'email_alert', n: 1 }),
  deliveryId: 'd-1',
  kind: 'email_alert',
});

describe('webhook poster', () => {
  const now = () => new Date('2026-11-27T10:00:00Z');

  it('posts the signed event to a receiver inside the network when that is allowed', async () => {
    const post = createWebhookPoster({ now, allowPrivateAddresses: true });
    await post(call(server.url));
    const got = server.calls.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.body).toBe(call(server.url).body);
    const ts = Number(got.headers[TIMESTAMP_HEADER]);
    expect(ts).toBe(Math.floor(now().getTime() / 1000));
    expect(got.headers[SIGNATURE_HEADER]).toBe(signWebhook('a-test-secret', ts, got.body));
    expect(got.headers['x-mamori-delivery']).toBe('d-1');
  });

  it('refuses a loopback or private receiver by default, by address and by name, without calling it', async () => {
    const post = createWebhookPoster({ now });
    const before = server.calls.length;
    await expect(post(call(server.url))).rejects.toThrow(/127\.0\.0\.1 is not a public address/);
    await expect(post(call('http://[::1]:9/hook'))).rejects.toThrow(/::1 is not a public address/);
    await expect(post(call('http://169.254.169.254/latest/meta-data'))).rejects.toThrow(
      /not a public address/,
    );
    const byName = server.url.replace('127.0.0.1', 'localhost');
    await expect(post(call(byName))).rejects.toThrow(/resolves only to non-public addresses/);
    expect(server.calls.length).toBe(before);
  });

  it('says what the receiver answered when it is not 2xx', async () => {
    const post = createWebhookPoster({ now, allowPrivateAddresses: true });
    server.status = 503;
    try {
      await expect(post(call(server.url))).rejects.toThrow('the webhook answered HTTP 503');
    } finally {
      server.status = 200;
    }
  });

  it('tells a URL plainly not public at sight, before any name is resolved', () => {
    expect(plainlyPrivateHost('http://127.0.0.1:9/hook')).toBe('127.0.0.1');
    expect(plainlyPrivateHost('https://[::1]/hook')).toBe('::1');
    expect(plainlyPrivateHost('https://[::ffff:10.0.0.1]/hook')).toBe('::ffff:a00:1');
    // The URL parser reads other spellings of an address as the address.
    expect(plainlyPrivateHost('http://2130706433/hook')).toBe('127.0.0.1');
    expect(plainlyPrivateHost('http://169.254.169.254/latest')).toBe('169.254.169.254');
    expect(plainlyPrivateHost('http://api.localhost/hook')).toBe('api.localhost');
    expect(plainlyPrivateHost('https://8.8.8.8/hook')).toBeNull();
    // A name is checked where it is resolved, at each call.
    expect(plainlyPrivateHost('https://hooks.example.com/mamori')).toBeNull();
  });
});
