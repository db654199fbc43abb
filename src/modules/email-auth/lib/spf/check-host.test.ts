import { describe, expect, it } from 'vitest';
import { createCachingResolver } from '../../dns/dns-cache.ts';
import type { DnsRecordType, DnsResolver, DnsResponse } from '../dns.ts';
import { zoneResolver, type ZoneData } from '../zonedata.ts';
import { checkHost, checkSender, type ImmediateResolver } from './check-host.ts';

/** A zone resolver that records what it was asked. */
function counting(zone: ZoneData) {
  const inner = zoneResolver(zone);
  const asked: string[] = [];
  const resolver: DnsResolver = {
    resolve<T extends DnsRecordType>(name: string, type: T) {
      asked.push(`${type} ${name}`);
      return inner.resolve(name, type);
    },
  };
  return { resolver, asked };
}

describe('checkHost', () => {
  it('passes, fails and reports the deciding term and the lookups spent', async () => {
    const { resolver } = counting({
      'example.com': [
        { TXT: 'v=spf1 a mx include:_spf.example.net -all' },
        { A: '192.0.2.10' },
        { MX: [10, 'mx.example.com'] },
      ],
      'mx.example.com': [{ A: '192.0.2.20' }],
      '_spf.example.net': [{ TXT: 'v=spf1 ip4:198.51.100.0/24 ?all' }],
    });
    const check = (ip: string) => checkHost(ip, 'example.com', 'a@example.com', 'mx.example.com', resolver);
    expect(await check('192.0.2.10')).toEqual({ result: 'pass', mechanism: 'a', lookups: 1, voidLookups: 0 });
    expect(await check('192.0.2.20')).toMatchObject({ result: 'pass', mechanism: 'mx', lookups: 2 });
    expect(await check('198.51.100.7')).toMatchObject({
      result: 'pass',
      mechanism: 'include:_spf.example.net',
      lookups: 3,
    });
    expect(await check('203.0.113.1')).toMatchObject({ result: 'fail', mechanism: '-all', lookups: 3 });
  });

  it('takes what a resolver holds in memory at once, asking it nothing', async () => {
    const zone = zoneResolver({
      'example.com': [{ TXT: 'v=spf1 include:_spf.example.net mx -all' }, { MX: [10, 'mx.example.com'] }],
      'mx.example.com': [{ A: '192.0.2.20' }],
      '_spf.example.net': [{ TXT: 'v=spf1 ip4:198.51.100.0/24 ?all' }],
    });
    const held = new Map<string, DnsResponse>();
    for (const [name, type] of [
      ['example.com', 'TXT'],
      ['_spf.example.net', 'TXT'],
      ['example.com', 'MX'],
      ['mx.example.com', 'A'],
    ] as const)
      held.set(`${type} ${name}`, await zone.resolve(name, type));
    const memory: ImmediateResolver = {
      resolve: () => Promise.reject(new Error('asked')),
      fromCache: <T extends DnsRecordType>(name: string, type: T) =>
        held.get(`${type} ${name}`) as DnsResponse<T> | undefined,
    };
    const check = (ip: string) => checkHost(ip, 'example.com', 'a@example.com', 'h', memory);
    expect(await check('198.51.100.7')).toMatchObject({ result: 'pass', lookups: 1 });
    expect(await check('192.0.2.20')).toMatchObject({ result: 'pass', mechanism: 'mx', lookups: 2 });
    expect(await check('203.0.113.1')).toMatchObject({ result: 'fail', lookups: 2 });
    // What it does not hold is asked for, as of any resolver.
    expect(await checkHost('192.0.2.1', 'other.example', 'a@other.example', 'h', memory)).toMatchObject({
      result: 'temperror',
    });
  });

  it('ends in temperror at its deadline when DNS never answers', async () => {
    const resolver: DnsResolver = { resolve: () => new Promise<never>(() => undefined) };
    const started = Date.now();
    const r = await checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h.example.com', resolver, {
      deadlineMs: 50,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r).toMatchObject({ result: 'temperror', problems: ['SPF evaluation took longer than 50 ms'] });
  });

  it('ends in temperror at its deadline with a slow resolver, even inside ptr where DNS errors are skipped', async () => {
    const zone = zoneResolver({
      'example.com': [{ TXT: 'v=spf1 ptr -all' }],
      '1.2.0.192.in-addr.arpa': Array.from({ length: 10 }, (_, i) => ({ PTR: `h${i}.example.com` })),
    });
    const slow: DnsResolver = {
      resolve: (name, type) => new Promise((r) => setTimeout(() => r(zone.resolve(name, type)), 20)),
    };
    const r = await checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h', slow, { deadlineMs: 70 });
    expect(r.result).toBe('temperror');
  });

  it('treats a resolver that throws as a DNS error', async () => {
    const resolver: DnsResolver = { resolve: () => Promise.reject(new Error('socket exploded')) };
    expect(await checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h', resolver)).toMatchObject({
      result: 'temperror',
      problems: ['TXT lookup of example.com ERROR (socket exploded)'],
    });
  });

  it('stops hostile include fan-out at the 11th DNS-querying term', async () => {
    const zone: ZoneData = {};
    for (let i = 0; i < 200; i++) {
      const children = Array.from({ length: 10 }, (_, j) => `include:n${(i * 10 + j + 1) % 200}.example.com`);
      zone[`n${i}.example.com`] = [{ TXT: `v=spf1 ${children.join(' ')} -all` }];
    }
    const { resolver, asked } = counting(zone);
    const r = await checkHost('192.0.2.1', 'n0.example.com', 'a@n0.example.com', 'h', resolver);
    expect(r).toMatchObject({ result: 'permerror', lookups: 11 });
    expect(r.problems?.at(-1)).toMatch(/DNS-querying term number 11; the limit is 10/);
    expect(asked.length).toBeLessThanOrEqual(11);
  });

  it('fetches the explanation once, for the final fail only, and never through include', async () => {
    const { resolver, asked } = counting({
      'example.com': [{ TXT: 'v=spf1 include:inner.example.com -all exp=why.%{d}' }],
      'inner.example.com': [{ TXT: 'v=spf1 -all exp=inner-why.example.com' }],
      'why.example.com': [{ TXT: 'Not from %{i}, %{l}.' }],
      'inner-why.example.com': [{ TXT: 'never read' }],
    });
    const r = await checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h', resolver);
    expect(r).toMatchObject({ result: 'fail', explanation: 'Not from 192.0.2.1, a.' });
    expect(asked).not.toContain('TXT inner-why.example.com');
    expect(asked.filter((q) => q === 'TXT why.example.com')).toHaveLength(1);
  });

  it('looks the PTR names up once for ptr and %{p} together, and keeps the first 10', async () => {
    const ptrs = Array.from({ length: 12 }, (_, i) => ({ PTR: `h${i}.example.com` }));
    const zone: ZoneData = {
      'example.com': [{ TXT: 'v=spf1 ptr:nowhere.example.org exists:%{p}.ok.example.com ptr -all' }],
      '1.2.0.192.in-addr.arpa': ptrs,
      'h11.example.com': [{ A: '192.0.2.1' }],
      'h3.example.com': [{ A: '192.0.2.1' }],
      'h3.example.com.ok.example.com': [{ A: '127.0.0.2' }],
    };
    const { resolver, asked } = counting(zone);
    const r = await checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h', resolver);
    expect(r).toMatchObject({ result: 'pass', mechanism: 'exists:%{p}.ok.example.com' });
    expect(asked.filter((q) => q.startsWith('PTR'))).toHaveLength(1);
    expect(asked).not.toContain('A h11.example.com');
    expect(r.problems).toEqual(['192.0.2.1 has 12 PTR names; only the first 10 were checked']);
  });

  it('skips a failed PTR lookup, but ends in temperror when an MX host cannot be looked up', async () => {
    const { resolver } = counting({
      'ptr.example.com': [{ TXT: 'v=spf1 ptr ?all' }],
      '1.2.0.192.in-addr.arpa': ['TIMEOUT'],
      'mx.example.com': [{ TXT: 'v=spf1 mx -all' }, { MX: [10, 'broken.example.com'] }],
      'broken.example.com': [{ RCODE: 'SERVFAIL' }],
    });
    expect((await checkHost('192.0.2.1', 'ptr.example.com', 'a@ptr.example.com', 'h', resolver)).result).toBe(
      'neutral',
    );
    expect(await checkHost('192.0.2.1', 'mx.example.com', 'a@mx.example.com', 'h', resolver)).toMatchObject({
      result: 'temperror',
      problems: ['mx: address lookup of broken.example.com SERVFAIL (SERVFAIL (RCODE in the zone data))'],
    });
  });

  it('lets the caller set the limits, the receiver and the clock', async () => {
    const { resolver } = counting({
      'example.com': [{ TXT: 'v=spf1 a:one.example.com a:two.example.com -all exp=why.example.com' }],
      'why.example.com': [{ TXT: '%{r} refused %{c} at %{t}' }],
    });
    const strict = await checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h', resolver, {
      maxVoidLookups: 1,
    });
    expect(strict).toMatchObject({ result: 'permerror', voidLookups: 2 });
    const r = await checkHost('2001:db8::1', 'example.com', 'a@example.com', 'h', resolver, {
      receiver: 'mx.mamori.test',
      now: () => 1_234_567_890_000,
    });
    expect(r).toMatchObject({
      result: 'fail',
      explanation: 'mx.mamori.test refused 2001:db8::1 at 1234567890',
    });
  });

  it('refuses a client address that is not one', async () => {
    await expect(checkHost('192.0.2', 'example.com', 'a@example.com', 'h', zoneResolver({}))).rejects.toThrow(
      RangeError,
    );
  });
});

describe('checkHost through a TTL-respecting cache', () => {
  /** Zone data whose every answer may be kept for a minute, behind a cache on a clock the test moves. */
  function cachedZone(zone: ZoneData) {
    let data = zone;
    const asked: string[] = [];
    let now = 0;
    const inner: DnsResolver = {
      async resolve<T extends DnsRecordType>(name: string, type: T) {
        asked.push(`${type} ${name}`);
        return { ...(await zoneResolver(data).resolve(name, type)), ttl: 60 };
      },
    };
    const cache = createCachingResolver(inner, { now: () => now });
    return {
      cache,
      asked,
      setZone: (next: ZoneData) => (data = next),
      advance: (ms: number) => (now += ms),
    };
  }

  it('evaluates a record again from memory, and the changed record once the old one expired', async () => {
    const dns = cachedZone({ 'example.com': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }] });
    const check = () => checkHost('192.0.2.1', 'example.com', 'a@example.com', 'h', dns.cache);
    expect(await check()).toMatchObject({ result: 'pass', mechanism: 'ip4:192.0.2.0/24' });
    dns.setZone({ 'example.com': [{ TXT: 'v=spf1 ip4:198.51.100.0/24 -all' }] });
    dns.advance(59_000);
    expect(await check()).toMatchObject({ result: 'pass', mechanism: 'ip4:192.0.2.0/24' });
    expect(dns.asked).toEqual(['TXT example.com']);
    dns.advance(1_000);
    expect(await check()).toMatchObject({ result: 'fail', mechanism: '-all' });
    expect(dns.asked).toEqual(['TXT example.com', 'TXT example.com']);
  });

  it('counts lookups and void lookups answered from memory against the limits', async () => {
    const zone: ZoneData = {
      'gone.example.com': [{ TXT: 'v=spf1 a:x1.example.com a:x2.example.com a:x3.example.com -all' }],
    };
    for (let i = 0; i < 11; i++)
      zone[`n${i}.example.com`] = [{ TXT: `v=spf1 include:n${i + 1}.example.com -all` }];
    zone['n11.example.com'] = [{ TXT: 'v=spf1 -all' }];
    const dns = cachedZone(zone);
    for (let round = 0; round < 2; round++) {
      const deep = await checkHost('192.0.2.1', 'n0.example.com', 'a@n0.example.com', 'h', dns.cache);
      expect(deep).toMatchObject({ result: 'permerror', lookups: 11 });
      expect(deep.problems?.at(-1)).toMatch(/DNS-querying term number 11; the limit is 10/);
      const voids = await checkHost('192.0.2.1', 'gone.example.com', 'a@gone.example.com', 'h', dns.cache);
      expect(voids).toMatchObject({ result: 'permerror', lookups: 3, voidLookups: 3 });
    }
    // The second round asked nothing: every answer came from memory.
    expect(dns.asked).toHaveLength(11 + 4);
  });
});

describe('checkSender', () => {
  const { resolver } = counting({
    'example.com': [{ TXT: 'v=spf1 ip4:192.0.2.1 -all exp=why.example.com' }],
    'why.example.com': [{ TXT: '%{s} via %{h}' }],
    'mail.example.com': [{ TXT: 'v=spf1 a -all exp=why.example.com' }, { A: '192.0.2.2' }],
  });

  it('checks the MAIL FROM domain, with or without angle brackets', async () => {
    const input = { ip: '192.0.2.9', mailFrom: '<Bob@Example.com>', helo: 'mail.example.com' };
    expect(await checkSender(input, resolver)).toMatchObject({
      result: 'fail',
      explanation: 'Bob@Example.com via mail.example.com',
    });
  });

  it('checks postmaster@ the HELO name for a bounce', async () => {
    expect(
      await checkSender({ ip: '192.0.2.2', mailFrom: '', helo: 'mail.example.com' }, resolver),
    ).toMatchObject({
      result: 'pass',
      mechanism: 'a',
    });
    expect(
      await checkSender({ ip: '192.0.2.3', mailFrom: '<>', helo: 'mail.example.com' }, resolver),
    ).toMatchObject({
      result: 'fail',
      explanation: 'postmaster@mail.example.com via mail.example.com',
    });
  });
});
