import { describe, expect, it } from 'vitest';
import { zoneResolver } from '../zonedata.ts';
import { flattenSpf } from './flatten.ts';

describe('flattenSpf', () => {
  const resolver = zoneResolver({
    'example.com': [
      {
        TXT: 'v=spf1 ip4:192.0.2.7/24 a/28 mx include:_spf.vendor.example ptr exists:%{i}.bl.example.org ~all',
      },
      { A: '198.51.100.33' },
      { MX: [10, 'mx1.example.com'] },
      { MX: [20, 'mx2.example.com'] },
    ],
    'mx1.example.com': [{ A: '198.51.100.1' }, { AAAA: '2001:db8::25' }],
    'mx2.example.com': [{ A: '198.51.100.2' }],
    '_spf.vendor.example': [
      { TXT: 'v=spf1 -ip4:203.0.113.66 ip6:2001:db8:f00::/48 redirect=_spf2.vendor.example' },
    ],
    '_spf2.vendor.example': [{ TXT: 'v=spf1 ip4:203.0.113.0/24 include:%{l}.users.vendor.example -all' }],
    'loop.example': [{ TXT: 'v=spf1 include:loop2.example' }],
    'loop2.example': [{ TXT: 'v=spf1 ip4:192.0.2.1 include:loop.example' }],
  });

  it('expands include, redirect, a and mx into ranges, in evaluation order, with what the top makes of them', async () => {
    const f = await flattenSpf('example.com', resolver);
    expect(f.ranges.map((r) => [r.qualifier, r.cidr, r.term])).toEqual([
      ['+', '192.0.2.0/24', 'ip4:192.0.2.7/24'],
      ['+', '198.51.100.32/28', 'a/28'],
      ['+', '198.51.100.1/32', 'mx'],
      ['+', '2001:db8::25/128', 'mx'],
      ['+', '198.51.100.2/32', 'mx'],
      // The vendor's -ip4 only makes its policy not match; the top goes on to its own terms.
      ['+', '2001:db8:f00::/48', 'ip6:2001:db8:f00::/48'],
      ['+', '203.0.113.0/24', 'ip4:203.0.113.0/24'],
      ['~', '0.0.0.0/0', '~all'],
      ['~', '::/0', '~all'],
    ]);
    expect(f.ranges[6]?.path).toEqual(['example.com', '_spf.vendor.example', '_spf2.vendor.example']);
    expect(f.authorised).toEqual([
      '192.0.2.0/24',
      '198.51.100.32/28',
      '198.51.100.1/32',
      '2001:db8::25/128',
      '198.51.100.2/32',
      '2001:db8:f00::/48',
      '203.0.113.0/24',
    ]);
    expect(f.unflattenable).toEqual([
      {
        domain: '_spf2.vendor.example',
        term: 'include:%{l}.users.vendor.example',
        reason: 'uses macros that depend on the message (%{l})',
      },
      { domain: 'example.com', term: 'ptr', reason: "depends on the client's reverse DNS" },
      {
        domain: 'example.com',
        term: 'exists:%{i}.bl.example.org',
        reason: 'depends on a lookup made for each message',
      },
    ]);
    expect(f.lookups).toBe(7);
    expect(f.problems).toEqual([]);
  });

  it('reports loops, missing records and going over the lookup limit', async () => {
    const loop = await flattenSpf('loop.example', resolver);
    expect(loop.authorised).toEqual(['192.0.2.1/32']);
    expect(loop.problems).toEqual(['include:loop.example in loop2.example loops back to loop.example']);

    const many = zoneResolver({
      'big.example': [
        { TXT: `v=spf1 ${Array.from({ length: 12 }, (_, i) => `a:h${i}.big.example`).join(' ')} -all` },
      ],
      ...Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`h${i}.big.example`, [{ A: `192.0.2.${i}` }]]),
      ),
    });
    const big = await flattenSpf('big.example', many);
    expect(big.lookups).toBe(12);
    expect(big.authorised).toHaveLength(12);
    expect(big.problems).toEqual([
      '12 DNS-querying terms; an evaluation that reaches the 11th ends in permerror',
    ]);

    expect((await flattenSpf('nothing.example', resolver)).problems).toEqual([
      'nothing.example: no SPF record',
    ]);
  });
});
