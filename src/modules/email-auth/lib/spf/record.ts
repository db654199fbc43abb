// RFC 7208 sections 4.5, 4.6 and 12: telling an SPF record from other TXT records, and parsing one into terms.
// A record with any syntax error is refused as a whole, before any of it is evaluated.
import { isQueryableName } from '../dns.ts';
import { parseIp4, parseIp6, type Ip } from '../../../../platform/net/ip.ts';
import { parseMacroString, printable, type MacroString } from './macro.ts';

export type Qualifier = '+' | '-' | '~' | '?';

interface DirectiveBase {
  qualifier: Qualifier;
  /** The term as written. */
  text: string;
}

export type Directive =
  | (DirectiveBase & { mechanism: 'all' })
  | (DirectiveBase & { mechanism: 'include' | 'exists'; target: MacroString })
  | (DirectiveBase & { mechanism: 'a' | 'mx'; target?: MacroString; cidr4: number; cidr6: number })
  | (DirectiveBase & { mechanism: 'ptr'; target?: MacroString })
  | (DirectiveBase & { mechanism: 'ip4' | 'ip6'; network: Ip; prefix: number });

export type MechanismName = Directive['mechanism'];

export interface Modifier {
  /** Lower case. */
  name: string;
  value: MacroString;
  text: string;
}

export interface SpfRecord {
  text: string;
  /** In the order they are evaluated. */
  directives: Directive[];
  redirect?: Modifier;
  exp?: Modifier;
  /** Modifiers SPF gives no meaning; allowed, and ignored. */
  unknownModifiers: Modifier[];
}

export type RecordParse = { ok: true; record: SpfRecord } | { ok: false; error: string };

/** Mechanisms and modifiers that cost a DNS lookup and count against the limit of 10 (section 4.6.4). */
export const DNS_MECHANISMS: ReadonlySet<string> = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

/** Whether a TXT record is an SPF record: "v=spf1" in any case, then a space or the end (section 4.5). */
export const isSpfRecord = (text: string): boolean => /^v=spf1(?: |$)/i.test(text);

/**
 * Picks the SPF record among a name's TXT records (each a list of character-strings, joined without spaces):
 * null when there is none; an error when there are several, which RFC 7208 makes a permerror.
 */
export function selectSpfRecord(
  txt: string[][],
): { ok: true; text: string | null } | { ok: false; error: string } {
  const records = txt.map((strings) => strings.join('')).filter(isSpfRecord);
  if (records.length > 1)
    return { ok: false, error: `${records.length} SPF records are published; exactly one is allowed` };
  return { ok: true, text: records[0] ?? null };
}

/** The last label of a domain-spec: letters, digits and inner hyphens, not all digits (section 7.1). */
export const isTopLabel = (label: string): boolean =>
  /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i.test(label);

/**
 * Initial processing of check_host() (section 4.3): a domain that is not a multi-label name with a valid top label
 * gives "none" without any lookup; so do address literals such as "[192.0.2.1]".
 */
export function isValidSpfDomain(domain: string): boolean {
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (!isQueryableName(name)) return false;
  // A queryable name has no empty label: a dot here has labels on both sides.
  const dot = name.lastIndexOf('.');
  return dot > 0 && isTopLabel(name.slice(dot + 1));
}

const MODIFIER = /^([a-z][a-z0-9\-_.]*)=(.*)$/is;
const CIDR4 = /^(?:0|[1-9]\d?)$/;
const CIDR6 = /^(?:0|[1-9]\d{0,2})$/;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export function parseSpfRecord(text: string): RecordParse {
  if (!isSpfRecord(text)) return fail(`"${printable(text.slice(0, 40))}" does not start with "v=spf1"`);
  const bad = /[^\x20-\x7e]/.exec(text);
  if (bad)
    return fail(
      `character ${printable(bad[0])} at position ${bad.index + 1} is not allowed: a record holds printable ASCII terms separated by spaces`,
    );
  const record: SpfRecord = { text, directives: [], unknownModifiers: [] };
  for (const term of text.slice(6).split(' ')) {
    if (term === '') continue;
    const modifier = MODIFIER.exec(term);
    if (modifier) {
      const parsed = parseModifier(term, modifier[1]!.toLowerCase(), modifier[2]!);
      if (!parsed.ok) return parsed;
      const m = parsed.value;
      if (m.name === 'redirect' || m.name === 'exp') {
        if (record[m.name]) return fail(`"${m.name}=" appears more than once`);
        record[m.name] = m;
      } else record.unknownModifiers.push(m);
      continue;
    }
    const parsed = parseDirective(term);
    if (!parsed.ok) return parsed;
    record.directives.push(parsed.value);
  }
  return { ok: true, record };
}

function parseModifier(text: string, name: string, value: string): Parsed<Modifier> {
  if (name === 'redirect' || name === 'exp') {
    const spec = parseDomainSpec(value, `"${name}="`);
    return spec.ok ? { ok: true, value: { name, value: spec.value, text } } : spec;
  }
  const ms = parseMacroString(value);
  return ms.ok
    ? { ok: true, value: { name, value: ms.value, text } }
    : fail(`modifier "${text}": ${ms.error}`);
}

function parseDirective(text: string): Parsed<Directive> {
  const qualifier: Qualifier = '+-~?'.includes(text[0]!) ? (text[0] as Qualifier) : '+';
  const body = '+-~?'.includes(text[0]!) ? text.slice(1) : text;
  const split = body.search(/[:/]/);
  const name = (split < 0 ? body : body.slice(0, split)).toLowerCase();
  const arg = split < 0 ? '' : body.slice(split);
  const base = { qualifier, text };
  switch (name) {
    case 'all':
      return arg === ''
        ? { ok: true, value: { ...base, mechanism: 'all' } }
        : fail(`"${text}": "all" takes nothing`);
    case 'include':
    case 'exists': {
      if (!arg.startsWith(':')) return fail(`"${text}": "${name}" needs ":" and a domain`);
      const spec = parseDomainSpec(arg.slice(1), `"${text}"`);
      return spec.ok ? { ok: true, value: { ...base, mechanism: name, target: spec.value } } : spec;
    }
    case 'a':
    case 'mx': {
      let rest = arg;
      let target: MacroString | undefined;
      if (arg.startsWith(':')) {
        const m = /^(.*?)((?:\/\d+)?(?:\/\/\d+)?)$/s.exec(arg.slice(1))!;
        const spec = parseDomainSpec(m[1]!, `"${text}"`);
        if (!spec.ok) return spec;
        target = spec.value;
        rest = m[2]!;
      }
      const cidr = /^(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest);
      if (!cidr) return fail(`"${text}": expected [:domain][/ip4-prefix][//ip6-prefix]`);
      const cidr4 = cidr[1] === undefined ? 32 : prefixLength(cidr[1], 4);
      const cidr6 = cidr[2] === undefined ? 128 : prefixLength(cidr[2], 6);
      if (cidr4 === null) return fail(`"${text}": "/${cidr[1]}" is not an IPv4 prefix length (0-32)`);
      if (cidr6 === null) return fail(`"${text}": "//${cidr[2]}" is not an IPv6 prefix length (0-128)`);
      return { ok: true, value: { ...base, mechanism: name, ...(target ? { target } : {}), cidr4, cidr6 } };
    }
    case 'ptr': {
      if (arg === '') return { ok: true, value: { ...base, mechanism: 'ptr' } };
      if (!arg.startsWith(':')) return fail(`"${text}": "ptr" takes no prefix length`);
      const spec = parseDomainSpec(arg.slice(1), `"${text}"`);
      return spec.ok ? { ok: true, value: { ...base, mechanism: 'ptr', target: spec.value } } : spec;
    }
    case 'ip4':
    case 'ip6': {
      const family = name === 'ip4' ? 4 : 6;
      const m = /^:([^/]*)(?:\/(\d+))?$/.exec(arg);
      if (!m) return fail(`"${text}": expected ${name}:address[/prefix]`);
      const network = family === 4 ? parseIp4(m[1]!) : parseIp6(m[1]!);
      if (!network) return fail(`"${text}": "${m[1]}" is not an IPv${family} address`);
      const prefix = m[2] === undefined ? (family === 4 ? 32 : 128) : prefixLength(m[2], family);
      if (prefix === null)
        return fail(
          `"${text}": "/${m[2]}" is not an IPv${family} prefix length (0-${family === 4 ? 32 : 128})`,
        );
      return { ok: true, value: { ...base, mechanism: name, network, prefix } };
    }
    default:
      return fail(
        text.includes('=')
          ? `"${text}" is not a valid modifier: a modifier name starts with a letter and ends at "="`
          : `unknown mechanism "${name}" in "${text}"`,
      );
  }
}

function prefixLength(digits: string, family: 4 | 6): number | null {
  if (!(family === 4 ? CIDR4 : CIDR6).test(digits)) return null;
  const n = Number(digits);
  return n <= (family === 4 ? 32 : 128) ? n : null;
}

/**
 * domain-spec = macro-string domain-end, where domain-end is "." toplabel ["."] or a macro (section 7.1).
 * Syntax only: what a macro expands to is checked when it is used.
 */
function parseDomainSpec(source: string, where: string): Parsed<MacroString> {
  if (source === '') return fail(`${where} needs a domain`);
  const ms = parseMacroString(source);
  if (!ms.ok) return fail(`${where}: ${ms.error}`);
  const last = ms.value.tokens.at(-1)!;
  if (last.kind !== 'literal') return ms;
  const end = /\.([^.]+)\.?$/.exec(last.text);
  if (end && isTopLabel(end[1]!)) return ms;
  const hint =
    parseIp4(source) || parseIp6(source)
      ? '; it is an IP address (use ip4: or ip6:)'
      : end
        ? `; "${end[1]}" is not a valid top-level label`
        : '; it must end in a top-level label such as ".com" or in a macro';
  return fail(`${where}: "${source}" is not a valid domain${hint}`);
}
