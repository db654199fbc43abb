// The HTTPS fetcher against a real TLS server on 127.0.0.1 with a CA made for the test: verification, host map,
// redirects, size cap, timeouts, and the refusal of non-public addresses.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTestCa,
  startHttpsServer,
  type TestCa,
  type TestHttpsServer,
} from '../../../../test/support/https-server.ts';
import type { FetchRequest } from '../lib/fetch.ts';
import { zoneResolver } from '../lib/zonedata.ts';
import { createHttpsFetcher, parseHostMap } from './https-fetcher.ts';

let ca: TestCa;
let server: TestHttpsServer;

const NAMES = ['site.test', 'other.test', 'zoned.test', 'inside.test'];

beforeAll(async () => {
  ca = createTestCa();
  server = await startHttpsServer({
    ...ca.issue(NAMES),
    routes: {
      'site.test/ok.txt': { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hello' },
      'site.test/moved': { status: 301, headers: { location: '/ok.txt' } },
      'site.test/away': { status: 302, headers: { location: 'https://other.test/ok.txt' } },
      'site.test/loop': { status: 302, headers: { location: '/loop' } },
      'site.test/big': { headers: { 'content-length': String(100_000) }, body: Buffer.alloc(100_000, 0x62) },
      'site.test/stream': { streamBytes: 100_000 },
      'site.test/hang': { hang: true },
      'zoned.test/ok.txt': { headers: { 'content-type': 'text/plain' }, body: 'zoned' },
    },
  });
});

afterAll(async () => {
  await server?.close();
  ca?.dispose();
});

const hosts = () =>
  parseHostMap(`site.test=${server.address},other.test=${server.address},wrong.test=${server.address}`);
const fetcher = () => createHttpsFetcher({ extraCa: [ca.cert], hosts: hosts() });
const get = (url: string, extra: Partial<FetchRequest> = {}) =>
  fetcher().fetch({ url, maxBytes: 64 * 1024, timeoutMs: 2000, redirects: 'none', ...extra });

describe('HTTPS fetcher', () => {
  it('fetches through the host map, verifying the certificate for the name with the extra CA', async () => {
    const r = await get('https://site.test/ok.txt');
    expect(r).toMatchObject({ ok: true, status: 200, contentType: 'text/plain; charset=utf-8' });
    expect(r.ok && r.body.toString()).toBe('hello');
    expect(server.requests).toContain('site.test/ok.txt');
  });

  it('makes one TLS context with the extra CA for all its fetches', async () => {
    const made = vi.spyOn(tls, 'createSecureContext');
    try {
      const withCa = fetcher();
      for (const path of ['ok.txt', 'ok.txt', 'moved'])
        expect(
          await withCa.fetch({
            url: `https://site.test/${path}`,
            maxBytes: 1024,
            timeoutMs: 2000,
            redirects: 'same-host',
          }),
        ).toMatchObject({ ok: true });
      expect(made).toHaveBeenCalledTimes(1);
      expect(made.mock.calls[0]![0]?.ca).toContain(ca.cert);
    } finally {
      made.mockRestore();
    }
  });

  it('refuses a certificate from an unknown CA, or one that does not name the host', async () => {
    const untrusted = await createHttpsFetcher({ hosts: hosts() }).fetch({
      url: 'https://site.test/ok.txt',
      maxBytes: 1024,
      timeoutMs: 2000,
      redirects: 'none',
    });
    expect(untrusted).toMatchObject({ ok: false, failure: 'tls' });
    expect(await get('https://wrong.test/ok.txt')).toMatchObject({ ok: false, failure: 'tls' });
  });

  it('follows no redirect when told so, same-host ones otherwise, and never to another host', async () => {
    expect(await get('https://site.test/moved')).toMatchObject({
      ok: false,
      failure: 'redirect',
      status: 301,
      location: '/ok.txt',
    });
    expect(await get('https://site.test/moved', { redirects: 'same-host' })).toMatchObject({
      ok: true,
      url: 'https://site.test/ok.txt',
    });
    expect(await get('https://site.test/away', { redirects: 'same-host' })).toMatchObject({
      ok: false,
      failure: 'redirect',
      message: expect.stringMatching(/another host/),
    });
    expect(await get('https://site.test/loop', { redirects: 'same-host' })).toMatchObject({
      ok: false,
      failure: 'redirect',
      message: 'more than 3 redirects',
    });
  });

  it('stops reading at the size cap, with or without a Content-Length', async () => {
    expect(await get('https://site.test/big')).toMatchObject({ ok: false, failure: 'too-large' });
    expect(await get('https://site.test/stream')).toMatchObject({ ok: false, failure: 'too-large' });
    expect(await get('https://site.test/stream', { maxBytes: 200_000 })).toMatchObject({ ok: true });
  });

  it('gives up at its timeout, or when the caller aborts', async () => {
    let started = Date.now();
    expect(await get('https://site.test/hang', { timeoutMs: 200 })).toMatchObject({
      ok: false,
      failure: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    started = Date.now();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await get('https://site.test/hang', { signal: controller.signal })).toMatchObject({
      ok: false,
      failure: 'timeout',
      message: 'the scan deadline passed',
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers statuses other than 200, and refuses non-https and non-public addresses', async () => {
    expect(await get('https://site.test/nothing')).toMatchObject({
      ok: false,
      failure: 'status',
      status: 404,
    });
    expect(await get('http://site.test/ok.txt')).toMatchObject({ ok: false, failure: 'invalid-url' });
    expect(await get(`https://127.0.0.1:${server.port}/ok.txt`)).toMatchObject({
      ok: false,
      failure: 'blocked-address',
    });
    expect(await get(`https://[::1]:${server.port}/ok.txt`)).toMatchObject({
      ok: false,
      failure: 'blocked-address',
    });
    // A name is resolved first, then refused for where it leads.
    expect(await get(`https://localhost:${server.port}/ok.txt`)).toMatchObject({
      ok: false,
      failure: 'blocked-address',
    });
  });
});

describe('HTTPS fetcher with a DNS resolver', () => {
  it('resolves host names through it, and still refuses the non-public addresses it gives', async () => {
    const resolver = zoneResolver({
      'zoned.test': [{ A: '127.0.0.1' }],
      'inside.test': [{ A: '10.1.2.3' }, { AAAA: 'fd00::1' }],
      'sick.test': [{ RCODE: 'SERVFAIL' }],
    });
    const request = (url: string) => ({ url, maxBytes: 1024, timeoutMs: 2000, redirects: 'none' as const });
    const open = createHttpsFetcher({ extraCa: [ca.cert], resolver, allowPrivateAddresses: true });
    const r = await open.fetch(request(`https://zoned.test:${server.port}/ok.txt`));
    expect(r.ok && r.body.toString()).toBe('zoned');

    const guarded = createHttpsFetcher({ extraCa: [ca.cert], resolver });
    expect(await guarded.fetch(request(`https://inside.test:${server.port}/ok.txt`))).toMatchObject({
      ok: false,
      failure: 'blocked-address',
    });
    expect(await guarded.fetch(request('https://nowhere.test/ok.txt'))).toMatchObject({
      ok: false,
      failure: 'dns',
    });
    expect(await guarded.fetch(request('https://sick.test/ok.txt'))).toMatchObject({
      ok: false,
      failure: 'dns',
      message: expect.stringMatching(/SERVFAIL/),
    });
  });
});

describe('host map', () => {
  it('reads NAME=IP[:PORT] lists', () => {
    expect([...parseHostMap('A.test=127.0.0.1:8443, b.test=[::1]:9443 c.test=192.0.2.1')]).toEqual([
      ['a.test', { host: '127.0.0.1', port: 8443 }],
      ['b.test', { host: '::1', port: 9443 }],
      ['c.test', { host: '192.0.2.1', port: 443 }],
    ]);
    expect(parseHostMap('')).toEqual(new Map());
    for (const bad of ['a.test', 'a.test=host.test:443', 'a.test=127.0.0.1:0', 'a.test=127.0.0.1:70000'])
      expect(() => parseHostMap(bad)).toThrow(RangeError);
  });
});
