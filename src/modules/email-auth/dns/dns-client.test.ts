import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { DNS_RECORD_TYPES } from '../lib/dns.ts';
import { encodeQuery } from './dns-client.ts';

describe('encodeQuery', () => {
  it('writes the bytes dns-packet writes for the same query, with and without EDNS(0)', () => {
    for (const type of DNS_RECORD_TYPES)
      for (const name of [
        'example.com',
        '_spf.provider-4.example',
        '3.2.0.192.in-addr.arpa',
        'xn--bcher-kva.example',
        'bücher.example',
      ])
        for (const udpPayloadSize of [0, 1232, 4096]) {
          const expected = dnsPacket.encode({
            type: 'query',
            id: 0xbeef,
            flags: dnsPacket.RECURSION_DESIRED,
            questions: [{ type, name, class: 'IN' }],
            additionals: udpPayloadSize
              ? [
                  {
                    type: 'OPT',
                    name: '.',
                    udpPayloadSize,
                    extendedRcode: 0,
                    ednsVersion: 0,
                    flags: 0,
                    flag_do: false,
                    options: [],
                  },
                ]
              : [],
          });
          expect(
            encodeQuery(0xbeef, name, type, udpPayloadSize),
            `${type} ${name} ${udpPayloadSize}`,
          ).toEqual(expected);
        }
  });
});
