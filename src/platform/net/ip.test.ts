import { describe, expect, it } from 'vitest';
import {
  dottedIp,
  formatIp,
  inNetwork,
  ip4Bits,
  ip4Mask,
  maskIp,
  parseClientIp,
  parseIp,
  reverseName,
  inRanges,
} from './ip.ts';

const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an IP: ${text}`);
  return parsed;
};

describe('IP addresses', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['::', '::'],
    ['::1.2.3.4', '::102:304'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:1:0:0:0:0', '0:0:0:1::'],
  ])('parses %s and writes it back as %s', (text, formatted) => {
    expect(formatIp(ip(text))).toBe(formatted);
  });

  it.each([
    '192.0.2',
    '192.0.2.256',
    '192.0.2.01',
    '1.2.3.4.5',
    ':1::2',
    '1::2::3',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    '::1.2.3',
    '',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });

  it('treats an IPv4-mapped IPv6 client as IPv4', () => {
    expect(parseClientIp('::FFFF:192.0.2.1')).toEqual({ family: 4, bytes: Uint8Array.from([192, 0, 2, 1]) });
    expect(parseClientIp('::192.0.2.1')?.family).toBe(6);
  });

  it('matches prefixes of its own family only', () => {
    expect(inNetwork(ip('192.0.2.200'), ip('192.0.2.0'), 24)).toBe(true);
    expect(inNetwork(ip('192.0.3.1'), ip('192.0.2.0'), 23)).toBe(true);
    expect(inNetwork(ip('192.0.4.1'), ip('192.0.2.0'), 23)).toBe(false);
    expect(inNetwork(ip('10.0.0.1'), ip('1.1.1.1'), 0)).toBe(true);
    expect(inNetwork(ip('CAFE:BABE:8000::1'), ip('cafe:babe:8000::'), 33)).toBe(true);
    expect(inNetwork(ip('CAFE:BABE:0::1'), ip('cafe:babe:8000::'), 33)).toBe(false);
    expect(inNetwork(ip('::'), ip('0.0.0.0'), 0)).toBe(false);
    expect(formatIp(maskIp(ip('192.0.2.77'), 26))).toBe('192.0.2.64');
  });

  it('matches IPv4 prefixes as 32-bit integers as it does byte by byte', () => {
    const within = (client: string, network: string, prefix: number) =>
      (ip4Bits(ip(client)) & ip4Mask(prefix)) === (ip4Bits(ip(network)) & ip4Mask(prefix));
    for (const [client, network] of [
      ['192.0.2.200', '192.0.2.0'],
      ['255.255.255.255', '255.255.255.254'],
      ['128.0.0.1', '0.0.0.0'],
      ['10.1.2.3', '10.1.2.3'],
    ] as const)
      for (let prefix = 0; prefix <= 32; prefix++)
        expect(within(client, network, prefix), `${client} in ${network}/${prefix}`).toBe(
          inNetwork(ip(client), ip(network), prefix),
        );
  });

  it('writes the forms the i macro and PTR lookups use', () => {
    expect(reverseName(ip('192.0.2.3'))).toBe('3.2.0.192.in-addr.arpa');
    expect(dottedIp(ip('2001:db8::cb01'))).toBe(
      '2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1',
    );
    expect(reverseName(ip('2001:db8::cb01'))).toBe(
      '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    );
  });
});

describe('inRanges', () => {
  it('finds an address in IPv4 and IPv6 ranges and single addresses, never across families', () => {
    expect(inRanges('192.0.2.77', ['198.51.100.0/24', '192.0.2.0/25'])).toBe(true);
    expect(inRanges('192.0.2.200', ['192.0.2.0/25'])).toBe(false);
    expect(inRanges('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(inRanges('::ffff:192.0.2.1', ['192.0.2.1'])).toBe(true);
    expect(inRanges('192.0.2.1', ['::/0'])).toBe(false);
    expect(inRanges('not-an-ip', ['0.0.0.0/0'])).toBe(false);
  });
});
