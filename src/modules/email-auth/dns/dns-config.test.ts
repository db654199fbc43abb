import { describe, expect, it } from 'vitest';
import { parseResolvConf, parseServerAddress } from './dns-config.ts';

describe('DNS server addresses', () => {
  it.each([
    ['192.0.2.53', { host: '192.0.2.53', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    ['[2001:db8::53]:5353', { host: '2001:db8::53', port: 5353 }],
    [' [::1] ', { host: '::1', port: 53 }],
  ])('reads %j', (text, address) => {
    expect(parseServerAddress(text)).toEqual(address);
  });

  it.each([
    'dns.example.com',
    'dns.example.com:53',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '[::1]:x',
    '',
    '192.0.2',
  ])('refuses %j', (text) => {
    expect(parseServerAddress(text)).toBeNull();
  });
});

describe('resolv.conf', () => {
  it('reads nameservers in order, IPv6 too, and the timeout and attempts options', () => {
    const conf = parseResolvConf(
      [
        '# generated',
        'search example.com',
        'nameserver 192.0.2.53',
        'nameserver 2001:db8::53 ; second',
        'nameserver not-an-address',
        'options edns0 timeout:3 attempts:2 rotate',
      ].join('\n'),
    );
    expect(conf).toEqual({
      servers: [
        { host: '192.0.2.53', port: 53 },
        { host: '2001:db8::53', port: 53 },
      ],
      timeoutMs: 3000,
      attempts: 2,
    });
    expect(parseResolvConf('')).toEqual({ servers: [] });
  });
});
