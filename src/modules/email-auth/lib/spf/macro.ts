// RFC 7208 section 7: macro strings, parsed with their record and expanded for each evaluation.
import { dottedIp, formatIp, type Ip } from '../../../../platform/net/ip.ts';

export type MacroLetter = 's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'h' | 'c' | 'r' | 't' | 'v';

const LETTERS = new Set<string>(['s', 'l', 'o', 'd', 'i', 'p', 'h', 'c', 'r', 't', 'v']);
/** Only explanation text may use these (section 7.2). */
const EXPLANATION_ONLY = new Set<string>(['c', 'r', 't']);
const MACRO_BODY = /^([a-z])(\d*)(r?)([.\-+,/_=]*)$/i;

export type MacroToken =
  | { kind: 'literal'; text: string }
  /** `%%`, `%_` and `%-`: kept apart from literals because the grammar counts them as macro-expands. */
  | { kind: 'escape'; text: '%' | ' ' | '%20' }
  | {
      kind: 'macro';
      letter: MacroLetter;
      /** An upper-case letter: the value is URL-escaped after the transformers ran. */
      urlEscape: boolean;
      /** How many right-hand parts to keep; all when absent. */
      keep?: number;
      reverse: boolean;
      /** The characters to split on; '.' when none were given. */
      delimiters: string;
    };

export interface MacroString {
  source: string;
  tokens: MacroToken[];
}

export type MacroParse = { ok: true; value: MacroString } | { ok: false; error: string };

/**
 * Parses a macro-string. `explanation` is for the text of an explanation TXT record, which may hold spaces and
 * the c, r and t macros; everywhere else only visible ASCII is allowed.
 */
export function parseMacroString(source: string, { explanation = false } = {}): MacroParse {
  const tokens: MacroToken[] = [];
  const fail = (error: string): MacroParse => ({ ok: false, error });
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < source.length;) {
    const ch = source[i]!;
    if (ch !== '%') {
      const code = ch.charCodeAt(0);
      if (code > 0x7e || code < (explanation ? 0x20 : 0x21))
        return fail(`character ${describeChar(ch)} is not allowed in "${printable(source)}"`);
      literal += ch;
      i += 1;
      continue;
    }
    const next = source[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      flush();
      tokens.push({ kind: 'escape', text: next === '%' ? '%' : next === '_' ? ' ' : '%20' });
      i += 2;
      continue;
    }
    if (next !== '{') return fail(`"%" must be followed by "{", "%", "_" or "-" in "${printable(source)}"`);
    const close = source.indexOf('}', i + 2);
    if (close < 0) return fail(`unterminated macro "${printable(source.slice(i))}"`);
    const body = source.slice(i + 2, close);
    const m = MACRO_BODY.exec(body);
    const letter = (body[0] ?? '').toLowerCase();
    if (!LETTERS.has(letter)) return fail(`unknown macro letter in "%{${printable(body)}}"`);
    if (!m) return fail(`bad transformers or delimiters in "%{${printable(body)}}"`);
    if (!explanation && EXPLANATION_ONLY.has(letter))
      return fail(`macro "%{${body}}" may only be used in explanation text`);
    const keep = m[2] ? Number(m[2]) : undefined;
    if (keep === 0) return fail(`"%{${body}}" keeps zero parts; the number must be nonzero`);
    flush();
    tokens.push({
      kind: 'macro',
      letter: letter as MacroLetter,
      urlEscape: m[1] !== letter,
      ...(keep === undefined ? {} : { keep }),
      reverse: m[3] !== '',
      delimiters: m[4] || '.',
    });
    i = close + 1;
  }
  flush();
  return { ok: true, value: { source, tokens } };
}

/** What the macros of one evaluation stand for. */
export interface MacroContext {
  /** `s`: the sender, with "postmaster" as local-part when it had none. */
  sender: string;
  /** `l` */
  localPart: string;
  /** `o` */
  senderDomain: string;
  /** `d`: the domain whose record is being evaluated. */
  domain: string;
  /** `i`, `c` and `v` */
  ip: Ip;
  /** `h` */
  helo: string;
  /** `r`: the name of the host doing the check. */
  receiver: string;
  /** `t`, in milliseconds. */
  now: number;
  /** `p`: costs DNS lookups, so it is only asked for when a macro uses it. */
  validatedDomain: () => Promise<string>;
}

/**
 * Expands a macro-string. Only %{p}, the client's validated domain name, costs DNS lookups and has to be waited for:
 * a string without it is expanded at once.
 */
export function expandMacroString(ms: MacroString, ctx: MacroContext): string | Promise<string> {
  for (const t of ms.tokens)
    if (t.kind === 'macro' && t.letter === 'p') return ctx.validatedDomain().then((p) => expand(ms, ctx, p));
  return expand(ms, ctx, '');
}

/** `validated`: the value of %{p}, looked up beforehand when the string uses it. */
function expand(ms: MacroString, ctx: MacroContext, validated: string): string {
  let out = '';
  for (const t of ms.tokens) {
    if (t.kind !== 'macro') {
      out += t.text;
      continue;
    }
    let parts = splitOn(letterValue(t.letter, ctx, validated), t.delimiters);
    if (t.reverse) parts = parts.reverse();
    if (t.keep !== undefined) parts = parts.slice(Math.max(0, parts.length - t.keep));
    const value = parts.join('.');
    out += t.urlEscape ? urlEscape(value) : value;
  }
  return out;
}

/** The letters a macro string uses, e.g. to tell whether it can be expanded without a connection. */
export const macroLetters = (ms: MacroString): Set<MacroLetter> =>
  new Set(ms.tokens.flatMap((t) => (t.kind === 'macro' ? [t.letter] : [])));

/**
 * An expanded domain-spec as a name to query: without its trailing dot, and cut from the left, label by label,
 * to at most 253 characters (section 7.3).
 */
export function toTargetName(expanded: string): string {
  let name = expanded.endsWith('.') ? expanded.slice(0, -1) : expanded;
  while (name.length > 253) {
    const dot = name.indexOf('.');
    name = dot < 0 ? '' : name.slice(dot + 1);
  }
  return name;
}

function letterValue(letter: MacroLetter, ctx: MacroContext, validated: string): string {
  switch (letter) {
    case 's':
      return ctx.sender;
    case 'l':
      return ctx.localPart;
    case 'o':
      return ctx.senderDomain;
    case 'd':
      return ctx.domain;
    case 'i':
      return dottedIp(ctx.ip);
    case 'p':
      return validated;
    case 'v':
      return ctx.ip.family === 4 ? 'in-addr' : 'ip6';
    case 'h':
      return ctx.helo;
    case 'c':
      return formatIp(ctx.ip);
    case 'r':
      return ctx.receiver;
    case 't':
      return String(Math.floor(ctx.now / 1000));
  }
}

function splitOn(value: string, delimiters: string): string[] {
  if (delimiters === '.') return value.split('.');
  const parts: string[] = [];
  let part = '';
  for (const ch of value) {
    if (delimiters.includes(ch)) {
      parts.push(part);
      part = '';
    } else part += ch;
  }
  parts.push(part);
  return parts;
}

/** Percent-encodes every UTF-8 byte outside RFC 3986's unreserved set (section 7.3). */
export function urlEscape(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const describeChar = (ch: string): string =>
  `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}${/[\x21-\x7e]/.test(ch) ? ` "${ch}"` : ''}`;

/** Shows control and non-ASCII characters as \xNN so error messages stay on one readable line. */
export const printable = (s: string): string =>
  s.replace(/[^\x20-\x7e]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
