import { describe, expect, it } from 'vitest';
import { compileZone, lookupZone, zoneResolver } from './zonedata.ts';

describe('zone data', () => {
  const resolver = zoneResolver({
    'Mixed.Example.com.': [
      { SPF: 'v=spf1 -all' },
      { A: '192.0.2.1' },
      { AAAA: 'CAFE:BABE::1' },
      { MX: [10, 'mx.example.com.'] },
      { MX: [0, ''] },
    ],
    'own-txt.example.com': [{ SPF: 'v=spf1 +all' }, { TXT: ['v=spf1 ', '-all'] }],
    'no-txt.example.com': [{ SPF: 'v=spf1 +all' }, { TXT: 'NONE' }, 'TIMEOUT'],
    'alias.example.com': [{ CNAME: 'Mixed.example.com.' }],
    'loop1.example.com': [{ CNAME: 'loop2.example.com' }],
    'loop2.example.com': [{ CNAME: 'LOOP1.example.com' }],
    'broken.example.com': [{ RCODE: 2 }, { A: '192.0.2.9' }],
    'refused.example.com': [{ RCODE: 'refused' }],
  });

  it('publishes SPF entries as TXT unless the name lists TXT entries of its own', async () => {
    expect(await resolver.resolve('mixed.example.com', 'TXT')).toEqual({
      rcode: 'NOERROR',
      answers: [['v=spf1 -all']],
    });
    expect((await resolver.resolve('own-txt.example.com', 'TXT')).answers).toEqual([['v=spf1 ', '-all']]);
    expect((await resolver.resolve('no-txt.example.com', 'TXT')).rcode).toBe('TIMEOUT');
  });

  it('answers case-insensitively, without trailing dots, with NXDOMAIN and NODATA told apart', async () => {
    expect(await resolver.resolve('MIXED.example.COM.', 'AAAA')).toEqual({
      rcode: 'NOERROR',
      answers: ['cafe:babe::1'],
    });
    expect((await resolver.resolve('mixed.example.com', 'MX')).answers).toEqual([
      { preference: 10, exchange: 'mx.example.com' },
      { preference: 0, exchange: '' },
    ]);
    expect(await resolver.resolve('mixed.example.com', 'PTR')).toEqual({ rcode: 'NOERROR', answers: [] });
    expect(await resolver.resolve('nowhere.example.com', 'A')).toEqual({ rcode: 'NXDOMAIN', answers: [] });
  });

  it('follows CNAMEs, and answers SERVFAIL for a loop', async () => {
    expect((await resolver.resolve('alias.example.com', 'A')).answers).toEqual(['192.0.2.1']);
    const zone = compileZone({ 'a.example': [{ CNAME: 'b.example' }], 'b.example': [{ A: '192.0.2.5' }] });
    expect(lookupZone(zone, 'a.example', 'A')).toMatchObject({
      chain: [{ owner: 'a.example', target: 'b.example' }],
      owner: 'b.example',
      answers: ['192.0.2.5'],
    });
    expect(await resolver.resolve('loop1.example.com', 'A')).toMatchObject({ rcode: 'SERVFAIL' });
  });

  it('answers RCODE entries for the types a name has no records of', async () => {
    expect((await resolver.resolve('broken.example.com', 'TXT')).rcode).toBe('SERVFAIL');
    expect((await resolver.resolve('broken.example.com', 'A')).answers).toEqual(['192.0.2.9']);
    expect((await resolver.resolve('refused.example.com', 'A')).rcode).toBe('REFUSED');
  });

  it('refuses malformed zone data with a message naming the name', () => {
    expect(() => compileZone({ 'x.example': [{ A: '192.0.2' }] })).toThrow(
      'zone data for "x.example": "192.0.2" is not an A address',
    );
    expect(() => compileZone({ 'x.example': [{ MX: 'mx.example' }] })).toThrow(
      /MX must be \[preference, exchange\]/,
    );
    expect(() => compileZone({ 'x.example': [{ HINFO: 'x' }] })).toThrow(/unknown record type HINFO/);
    expect(() => compileZone({ 'x.example': [{ RCODE: 'BOGUS' }] })).toThrow(/unknown RCODE "BOGUS"/);
    expect(() => compileZone({ 'x.example': ['SOMETIMES'] })).toThrow(/expected TIMEOUT or a map/);
    expect(() => compileZone({ 'X.example': [], 'x.example.': [] })).toThrow(/appears twice/);
  });
});
