import { describe, expect, it } from 'vitest';
import { parseClientIp } from '../../../../platform/net/ip.ts';
import { expandMacroString, parseMacroString, toTargetName, urlEscape, type MacroContext } from './macro.ts';

// The examples of RFC 7208 section 7.4.
const context = (ip: string, overrides: Partial<MacroContext> = {}): MacroContext => ({
  sender: 'strong-bad@email.example.com',
  localPart: 'strong-bad',
  senderDomain: 'email.example.com',
  domain: 'email.example.com',
  ip: parseClientIp(ip)!,
  helo: 'mx.example.org',
  receiver: 'mx.receiver.example',
  now: 1_700_000_000_500,
  validatedDomain: () => Promise.resolve('mx.example.org'),
  ...overrides,
});

async function expand(source: string, ctx = context('192.0.2.3'), explanation = false): Promise<string> {
  const parsed = parseMacroString(source, { explanation });
  if (!parsed.ok) throw new Error(parsed.error);
  return expandMacroString(parsed.value, ctx);
}

describe('macro expansion', () => {
  it.each([
    ['%{s}', 'strong-bad@email.example.com'],
    ['%{o}', 'email.example.com'],
    ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'],
    ['%{d2}', 'example.com'],
    ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'],
    ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'],
    ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'],
    ['%{lr-}', 'bad.strong'],
    ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
  ])('RFC 7208 7.4: %s -> %s', async (source, expected) => {
    expect(await expand(source)).toBe(expected);
  });

  it('writes an IPv6 client as dot-separated nibbles, and `c` in RFC 5952 form', async () => {
    const ctx = context('2001:db8::cb01');
    expect(await expand('%{ir}.%{v}._spf.%{d2}', ctx)).toBe(
      '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com',
    );
    expect(await expand('%{c}', ctx, true)).toBe('2001:db8::cb01');
    expect(await expand('%{c} %{i}', context('::ffff:192.0.2.3'), true)).toBe('192.0.2.3 192.0.2.3');
  });

  it('splits on any of several delimiters and rejoins with dots', async () => {
    const ctx = context('192.0.2.3', { localPart: 'foo-bar+zip+quux' });
    expect(await expand('%{l2r+-}', ctx)).toBe('bar.foo');
    expect(await expand('%{l=_/,}', context('192.0.2.3', { localPart: 'a=b_c/d,e' }))).toBe('a.b.c.d.e');
    expect(await expand('%{d99999999999999999999}')).toBe('email.example.com');
  });

  it('URL-escapes upper-case macros after the transformers, byte by byte', async () => {
    const ctx = context('192.0.2.3', { localPart: '~jack&jill=up-a_b3.c', helo: "JUMPIN' JUPITER" });
    expect(await expand('%{L}', ctx)).toBe('~jack%26jill%3Dup-a_b3.c');
    expect(await expand('%{H}', ctx)).toBe('JUMPIN%27%20JUPITER');
    expect(await expand('%{L1r-}', ctx)).toBe('~jack%26jill%3Dup');
    expect(urlEscape('über')).toBe('%C3%BCber');
  });

  it('expands the escapes %% %_ %- and leaves literals alone', async () => {
    expect(await expand('macro%%percent%_%_space%-url-space.example.com')).toBe(
      'macro%percent  space%20url-space.example.com',
    );
  });

  it('expands p, r and t, asking for the validated name only when p is used', async () => {
    let asked = 0;
    const ctx = context('192.0.2.3', {
      validatedDomain: () => {
        asked += 1;
        return Promise.resolve('mx.example.org');
      },
    });
    expect(await expand('%{d}', ctx)).toBe('email.example.com');
    expect(asked).toBe(0);
    expect(await expand('%{p2} from %{r} at %{t}', ctx, true)).toBe(
      'example.org from mx.receiver.example at 1700000000',
    );
    expect(asked).toBe(1);
  });

  it('expands at once what needs no lookup, and waits only for p', async () => {
    const parsed = (source: string) => {
      const r = parseMacroString(source);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    expect(expandMacroString(parsed('%{ir}.%{v}._spf.%{d2}'), context('192.0.2.3'))).toBe(
      '3.2.0.192.in-addr._spf.example.com',
    );
    const waiting = expandMacroString(parsed('%{p}.%{d2}'), context('192.0.2.3'));
    expect(waiting).toBeInstanceOf(Promise);
    expect(await waiting).toBe('mx.example.org.example.com');
  });

  it('allows spaces and c, r, t only in explanation text', () => {
    expect(parseMacroString('%{c} said hello', { explanation: true }).ok).toBe(true);
    expect(parseMacroString('%{c}.example.com')).toEqual({
      ok: false,
      error: 'macro "%{c}" may only be used in explanation text',
    });
    expect(parseMacroString('two words')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/U\+0020/),
    });
  });

  it.each([
    ['%(ir).example.com', /"%" must be followed by "\{", "%", "_" or "-"/],
    ['foo%', /"%" must be followed by/],
    ['%{x}.example.com', /unknown macro letter in "%\{x\}"/],
    ['%{}', /unknown macro letter/],
    ['%{d0}', /keeps zero parts/],
    ['%{d2rr}', /bad transformers or delimiters in "%\{d2rr\}"/],
    ['%{d2!}', /bad transformers/],
    ['%{d2', /unterminated macro "%\{d2"/],
    ['a\u0000b', /U\+0000/],
    ['caf\u00e9', /U\+00E9/],
  ])('refuses %j', (source, message) => {
    const r = parseMacroString(source);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });

  it('drops a trailing dot and cuts names longer than 253 characters from the left, by labels', () => {
    expect(toTargetName('example.com.')).toBe('example.com');
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`;
    expect(long.length).toBeGreaterThan(253);
    expect(toTargetName(long)).toBe(`${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`);
    expect(toTargetName('x'.repeat(300))).toBe('');
  });
});
