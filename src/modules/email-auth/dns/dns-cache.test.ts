import { describe, expect, it } from 'vitest';
import type { DnsRecordType, DnsResolver, DnsResponse } from '../lib/dns.ts';
import { createCachingResolver } from './dns-cache.ts';

function fake(responses: Record<string, DnsResponse>) {
  const asked: string[] = [];
  const resolver: DnsResolver = {
    resolve<T extends DnsRecordType>(name: string, type: T) {
      asked.push(`${type} ${name}`);
      return Promise.resolve((responses[name] ?? { rcode: 'NXDOMAIN', answers: [] }) as DnsResponse<T>);
    },
  };
  return { resolver, asked };
}

describe('createCachingResolver', () => {
  it('keeps answers and negatives for their TTL, and failures not at all', async () => {
    let now = 0;
    const { resolver, asked } = fake({
      'a.example': { rcode: 'NOERROR', answers: ['192.0.2.1'], ttl: 60 },
      'gone.example': { rcode: 'NXDOMAIN', answers: [], ttl: 30 },
      'sick.example': { rcode: 'SERVFAIL', answers: [], ttl: 300 },
      'slow.example': { rcode: 'TIMEOUT', answers: [] },
      'nottl.example': { rcode: 'NOERROR', answers: ['192.0.2.2'] },
    });
    const cache = createCachingResolver(resolver, { now: () => now });
    for (let i = 0; i < 2; i++)
      for (const name of [
        'a.example',
        'A.Example.',
        'gone.example',
        'sick.example',
        'slow.example',
        'nottl.example',
      ])
        await cache.resolve(name, 'A');
    expect(asked).toEqual([
      'A a.example',
      'A gone.example',
      'A sick.example',
      'A slow.example',
      'A nottl.example',
      'A sick.example',
      'A slow.example',
      'A nottl.example',
    ]);
    now = 31_000;
    await cache.resolve('gone.example', 'A');
    await cache.resolve('a.example', 'A');
    expect(asked.slice(8)).toEqual(['A gone.example']);
    expect(cache.size).toBe(2);
  });

  it('answers from memory at once what it holds fresh, and nothing else', async () => {
    let now = 0;
    const { resolver, asked } = fake({
      'a.example': { rcode: 'NOERROR', answers: ['192.0.2.1'], ttl: 60 },
      'b.example': { rcode: 'NOERROR', answers: ['192.0.2.2'], ttl: 60 },
      'c.example': { rcode: 'NOERROR', answers: ['192.0.2.3'], ttl: 90 },
    });
    const cache = createCachingResolver(resolver, { maxEntries: 2, now: () => now });
    expect(cache.fromCache('a.example', 'A')).toBeUndefined();
    const a = await cache.resolve('a.example', 'A');
    await cache.resolve('b.example', 'A');
    expect(cache.fromCache('A.EXAMPLE.', 'A')).toBe(a);
    expect(cache.fromCache('a.example', 'TXT')).toBeUndefined();
    await cache.resolve('c.example', 'A'); // a was used more recently than b: b goes
    expect(cache.fromCache('a.example', 'A')).toBe(a);
    expect(cache.fromCache('b.example', 'A')).toBeUndefined();
    now = 61_000;
    expect(cache.fromCache('a.example', 'A')).toBeUndefined();
    expect(asked).toEqual(['A a.example', 'A b.example', 'A c.example']);
  });

  it('forgets everything on clear(), and keeps what a lookup under way brings afterwards', async () => {
    const { resolver, asked } = fake({
      'a.example': { rcode: 'NOERROR', answers: ['192.0.2.1'], ttl: 60 },
      'b.example': { rcode: 'NOERROR', answers: ['192.0.2.2'], ttl: 60 },
    });
    const cache = createCachingResolver(resolver);
    await cache.resolve('a.example', 'A');
    const underWay = cache.resolve('b.example', 'A');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.fromCache('a.example', 'A')).toBeUndefined();
    const b = await underWay;
    expect(cache.fromCache('b.example', 'A')).toBe(b);
    await cache.resolve('a.example', 'A');
    expect(asked).toEqual(['A a.example', 'A b.example', 'A a.example']);
  });

  it('shares one lookup between concurrent identical questions, and evicts the least recently used', async () => {
    const { resolver, asked } = fake({
      'a.example': { rcode: 'NOERROR', answers: ['192.0.2.1'], ttl: 60 },
      'b.example': { rcode: 'NOERROR', answers: ['192.0.2.2'], ttl: 60 },
      'c.example': { rcode: 'NOERROR', answers: ['192.0.2.3'], ttl: 60 },
    });
    const cache = createCachingResolver(resolver, { maxEntries: 2 });
    const [x, y] = await Promise.all([cache.resolve('a.example', 'A'), cache.resolve('a.example', 'A')]);
    expect(x).toBe(y);
    await cache.resolve('b.example', 'A');
    await cache.resolve('a.example', 'A'); // a is now more recent than b
    await cache.resolve('c.example', 'A'); // evicts b
    await cache.resolve('a.example', 'A');
    await cache.resolve('b.example', 'A');
    expect(asked).toEqual(['A a.example', 'A b.example', 'A c.example', 'A b.example']);
    expect(cache.size).toBe(2);
  });
});
