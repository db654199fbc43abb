import { describe, expect, it } from 'vitest';
import { formatIp } from '../../../../platform/net/ip.ts';
import { isSpfRecord, parseSpfRecord, selectSpfRecord, type SpfRecord } from './record.ts';

function parse(text: string): SpfRecord {
  const r = parseSpfRecord(text);
  if (!r.ok) throw new Error(r.error);
  return r.record;
}

function error(text: string): string {
  const r = parseSpfRecord(text);
  if (r.ok) throw new Error(`parsed: ${text}`);
  return r.error;
}

describe('SPF record selection', () => {
  it('takes "v=spf1" in any case, followed by a space or the end', () => {
    expect(isSpfRecord('v=spf1 -all')).toBe(true);
    expect(isSpfRecord('V=SpF1')).toBe(true);
    expect(isSpfRecord('v=spf10 -all')).toBe(false);
    expect(isSpfRecord('v=spf1mx')).toBe(false);
    expect(isSpfRecord(' v=spf1 -all')).toBe(false);
  });

  it('joins character-strings without spaces and refuses two records', () => {
    expect(selectSpfRecord([['v=spf1 ip4:', '192.0.2.1 -all'], ['google-site-verification=x']])).toEqual({
      ok: true,
      text: 'v=spf1 ip4:192.0.2.1 -all',
    });
    expect(selectSpfRecord([['v=spf1', 'mx']])).toEqual({ ok: true, text: null });
    expect(selectSpfRecord([['v=spf1 -all'], ['v=spf1 -all']])).toEqual({
      ok: false,
      error: '2 SPF records are published; exactly one is allowed',
    });
  });
});

describe('SPF record parsing', () => {
  it('reads mechanisms with qualifiers, targets and prefix lengths, in order', () => {
    const r = parse(
      'v=spf1 ip4:192.0.2.0/24 -ip6:2001:DB8::/32 a mx:mail.example.com/28//64 ~a/24 ?include:_spf.example.net ptr exists:%{i}.bl.example.org -all',
    );
    expect(r.directives.map((d) => [d.qualifier, d.mechanism, d.text])).toEqual([
      ['+', 'ip4', 'ip4:192.0.2.0/24'],
      ['-', 'ip6', '-ip6:2001:DB8::/32'],
      ['+', 'a', 'a'],
      ['+', 'mx', 'mx:mail.example.com/28//64'],
      ['~', 'a', '~a/24'],
      ['?', 'include', '?include:_spf.example.net'],
      ['+', 'ptr', 'ptr'],
      ['+', 'exists', 'exists:%{i}.bl.example.org'],
      ['-', 'all', '-all'],
    ]);
    const [ip4, ip6, a, mx, a24] = r.directives;
    expect(ip4).toMatchObject({ prefix: 24 });
    expect(ip4?.mechanism === 'ip4' && formatIp(ip4.network)).toBe('192.0.2.0');
    expect(ip6?.mechanism === 'ip6' && [formatIp(ip6.network), ip6.prefix]).toEqual(['2001:db8::', 32]);
    expect(a).toMatchObject({ cidr4: 32, cidr6: 128 });
    expect(a).not.toHaveProperty('target');
    expect(mx).toMatchObject({ cidr4: 28, cidr6: 64, target: { source: 'mail.example.com' } });
    expect(a24).toMatchObject({ cidr4: 24, cidr6: 128 });
  });

  it('reads redirect, exp and unknown modifiers, names in any case', () => {
    const r = parse('v=spf1 Redirect=_spf.%{d} EXP=why.example.com moo.cow-far_out=man:dog/cat foo=');
    expect(r.redirect?.value.source).toBe('_spf.%{d}');
    expect(r.exp?.value.source).toBe('why.example.com');
    expect(r.unknownModifiers.map((m) => m.name)).toEqual(['moo.cow-far_out', 'foo']);
  });

  it('allows several spaces between terms and after the last', () => {
    expect(parse('v=spf1  a   -all  ').directives).toHaveLength(2);
    expect(parse('v=spf1').directives).toHaveLength(0);
  });

  it.each([
    ['v=spf1 ip4:192.0.2.1 -all moo', 'unknown mechanism "moo" in "moo"'],
    ['v=spf1 -all.', 'unknown mechanism "all." in "-all."'],
    ['v=spf1 redirect:example.com', 'unknown mechanism "redirect" in "redirect:example.com"'],
    [
      'v=spf1 1up=foo',
      '"1up=foo" is not a valid modifier: a modifier name starts with a letter and ends at "="',
    ],
    ['v=spf1 -all:foo', '"-all:foo": "all" takes nothing'],
    ['v=spf1 include', '"include": "include" needs ":" and a domain'],
    ['v=spf1 include:', '"include:" needs a domain'],
    ['v=spf1 ptr/0', '"ptr/0": "ptr" takes no prefix length'],
    ['v=spf1 a/33', '"a/33": "/33" is not an IPv4 prefix length (0-32)'],
    ['v=spf1 mx//129', '"mx//129": "//129" is not an IPv6 prefix length (0-128)'],
    ['v=spf1 a/24/64', '"a/24/64": expected [:domain][/ip4-prefix][//ip6-prefix]'],
    ['v=spf1 ip4:192.0.2.1/032', '"ip4:192.0.2.1/032": "/032" is not an IPv4 prefix length (0-32)'],
    ['v=spf1 ip4:192.0.2', '"ip4:192.0.2": "192.0.2" is not an IPv4 address'],
    ['v=spf1 ip4:192.0.2.01', '"ip4:192.0.2.01": "192.0.2.01" is not an IPv4 address'],
    ['v=spf1 ip4:192.0.2.1:25', '"ip4:192.0.2.1:25": "192.0.2.1:25" is not an IPv4 address'],
    ['v=spf1 ip6::CAFE::BABE', '"ip6::CAFE::BABE": ":CAFE::BABE" is not an IPv6 address'],
    ['v=spf1 ip6:2001:db8::/129', '"ip6:2001:db8::/129": "/129" is not an IPv6 prefix length (0-128)'],
    [
      'v=spf1 a:192.0.2.1',
      '"a:192.0.2.1": "192.0.2.1" is not a valid domain; it is an IP address (use ip4: or ip6:)',
    ],
    [
      'v=spf1 a:example.-com',
      '"a:example.-com": "example.-com" is not a valid domain; "-com" is not a valid top-level label',
    ],
    [
      'v=spf1 a:museum',
      '"a:museum": "museum" is not a valid domain; it must end in a top-level label such as ".com" or in a macro',
    ],
    ['v=spf1 exists:%{x}.example.com', '"exists:%{x}.example.com": unknown macro letter in "%{x}"'],
    ['v=spf1 exp=%{r}.example.com', '"exp=": macro "%{r}" may only be used in explanation text'],
    ['v=spf1 exp=', '"exp=" needs a domain'],
    ['v=spf1 redirect=a.example.com redirect=b.example.com', '"redirect=" appears more than once'],
    ['v=spf1 foo=%abc', 'modifier "foo=%abc": "%" must be followed by "{", "%", "_" or "-" in "%abc"'],
    [
      'v=spf1 a:example.com\rptr',
      'character \\x0d at position 21 is not allowed: a record holds printable ASCII terms separated by spaces',
    ],
    [
      'v=spf1 \u0080a',
      'character \\x80 at position 8 is not allowed: a record holds printable ASCII terms separated by spaces',
    ],
  ])('refuses %j with a message naming the term', (text, message) => {
    expect(error(text)).toBe(message);
  });

  it('accepts domain-specs ending in a macro or a dashed top label, and odd visible characters before', () => {
    expect(
      parse('v=spf1 a:%{H} a:foo:bar/baz.example.com a:foo.example.xn--zckzah mx:%{d}').directives,
    ).toHaveLength(4);
  });
});
