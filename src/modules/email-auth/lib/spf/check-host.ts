// RFC 7208 check_host(): the SPF verdict for a client IP, a domain and a sender, against any DnsResolver.
// Every lookup is bounded: 10 DNS-querying terms, 2 void lookups, 10 MX and 10 PTR names, and one deadline for the
// whole evaluation, so hostile records can make it fail but never hang.
import {
  describeFailure,
  isQueryableName,
  isVoid,
  normalizeName,
  type DnsRecordType,
  type DnsResolver,
  type DnsResponse,
} from '../dns.ts';
import { formatIp, inNetwork, parseClientIp, parseIp, reverseName, type Ip } from './ip.ts';
import { expandMacroString, parseMacroString, printable, toTargetName, type MacroString } from './macro.ts';
import {
  isTopLabel,
  parseSpfRecord,
  selectSpfRecord,
  type Directive,
  type Qualifier,
  type SpfRecord,
} from './record.ts';

export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export const SPF_RESULTS: readonly SpfResult[] = [
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'permerror',
  'temperror',
];

export interface SpfOutcome {
  result: SpfResult;
  /** The text of the record's exp= modifier, only for fail and only when it could be fetched and expanded. */
  explanation?: string;
  /** DNS-querying mechanisms and modifiers evaluated (the limit is 10). */
  lookups: number;
  /** Of those, lookups that found nothing (the limit is 2). */
  voidLookups: number;
  /** The term that decided the result, as written, when one did. */
  mechanism?: string;
  /** Why the result is an error, and anything else worth knowing about the records met. */
  problems?: string[];
}

export interface CheckHostOptions {
  /** Wall-clock budget for the whole evaluation; past it the result is temperror. RFC 7208 asks for >= 20 s. */
  deadlineMs?: number;
  maxLookups?: number;
  maxVoidLookups?: number;
  /** The `r` macro: the host doing the check. */
  receiver?: string;
  /** The clock for the `t` macro, in milliseconds. */
  now?: () => number;
}

const QUALIFIER_RESULT: Record<Qualifier, SpfResult> = {
  '+': 'pass',
  '-': 'fail',
  '~': 'softfail',
  '?': 'neutral',
};
/** Section 4.6.4: at most this many MX records, or names from a PTR answer, per mechanism. */
const MAX_NAMES = 10;

class SpfError extends Error {
  readonly result: 'permerror' | 'temperror';
  constructor(result: 'permerror' | 'temperror', message: string) {
    super(message);
    this.result = result;
  }
}
const permerror = (message: string) => new SpfError('permerror', message);
const temperror = (message: string) => new SpfError('temperror', message);

interface Evaluation {
  resolver: DnsResolver;
  ip: Ip;
  sender: string;
  localPart: string;
  senderDomain: string;
  helo: string;
  receiver: string;
  now: () => number;
  maxLookups: number;
  maxVoidLookups: number;
  deadlineMs: number;
  lookups: number;
  voidLookups: number;
  problems: string[];
  expired: boolean;
  /** Settles when the deadline passes; every lookup races it. */
  deadline: Promise<DnsResponse<never>>;
  /** The PTR names of the client that resolve back to it; looked up once, for ptr and %{p}. */
  validated?: Promise<{ names: string[]; void: boolean }>;
}

/** What one record's evaluation returns; the explanation is fetched only once, for the final result. */
interface Verdict {
  result: SpfResult;
  mechanism?: string;
  exp?: { spec: MacroString; domain: string };
}

/**
 * The check_host() function of RFC 7208 section 4. `domain` is the domain to check (of the MAIL FROM, or the HELO
 * name), `sender` the MAIL FROM address (or postmaster@ the HELO name). Throws only for an `ip` that is not one.
 */
export async function checkHost(
  ip: string,
  domain: string,
  sender: string,
  helo: string,
  resolver: DnsResolver,
  options: CheckHostOptions = {},
): Promise<SpfOutcome> {
  const client = parseClientIp(ip);
  if (!client) throw new RangeError(`Not an IP address: ${ip}`);
  const at = sender.lastIndexOf('@');
  const localPart = at > 0 ? sender.slice(0, at) : 'postmaster';
  const senderDomain = at >= 0 ? sender.slice(at + 1) : sender;
  // Timers take at most 2^31-1 ms; larger values (or Infinity) would fire at once.
  const deadlineMs = Math.min(Math.max(options.deadlineMs ?? 20_000, 1), 2 ** 31 - 1);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ev: Evaluation = {
    resolver,
    ip: client,
    sender: `${localPart}@${senderDomain}`,
    localPart,
    senderDomain,
    helo,
    receiver: options.receiver ?? 'unknown',
    now: options.now ?? Date.now,
    maxLookups: options.maxLookups ?? 10,
    maxVoidLookups: options.maxVoidLookups ?? 2,
    deadlineMs,
    lookups: 0,
    voidLookups: 0,
    problems: [],
    expired: false,
    deadline: new Promise((resolve) => {
      timer = setTimeout(() => {
        ev.expired = true;
        resolve({ rcode: 'TIMEOUT', answers: [], error: `evaluation deadline of ${deadlineMs} ms` });
      }, deadlineMs);
    }),
  };
  const outcome = (result: SpfResult, extra: Partial<SpfOutcome> = {}): SpfOutcome => ({
    result,
    ...extra,
    lookups: ev.lookups,
    voidLookups: ev.voidLookups,
    ...(ev.problems.length ? { problems: ev.problems } : {}),
  });
  try {
    const verdict = await checkDomain(ev, domain);
    const explanation =
      verdict.result === 'fail' && verdict.exp
        ? await explain(ev, verdict.exp.spec, verdict.exp.domain)
        : undefined;
    return outcome(verdict.result, {
      ...(explanation === undefined ? {} : { explanation }),
      ...(verdict.mechanism ? { mechanism: verdict.mechanism } : {}),
    });
  } catch (err) {
    if (!(err instanceof SpfError)) throw err;
    ev.problems.push(err.message);
    return outcome(err.result);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SPF for an SMTP transaction: the MAIL FROM identity, or the HELO identity when MAIL FROM is empty (a bounce),
 * as RFC 7208 section 2.4 describes.
 */
export function checkSender(
  input: { ip: string; mailFrom: string; helo: string },
  resolver: DnsResolver,
  options: CheckHostOptions = {},
): Promise<SpfOutcome> {
  const mailFrom = input.mailFrom.trim().replace(/^<(.*)>$/, '$1');
  if (mailFrom === '')
    return checkHost(input.ip, input.helo, `postmaster@${input.helo}`, input.helo, resolver, options);
  const at = mailFrom.lastIndexOf('@');
  return checkHost(
    input.ip,
    at >= 0 ? mailFrom.slice(at + 1) : mailFrom,
    mailFrom,
    input.helo,
    resolver,
    options,
  );
}

/**
 * Initial processing (section 4.3): a domain that is not a multi-label name with a valid top label gives "none"
 * without any lookup; so do address literals such as "[192.0.2.1]".
 */
export function isValidSpfDomain(domain: string): boolean {
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (!isQueryableName(name)) return false;
  const labels = name.split('.');
  return labels.length >= 2 && isTopLabel(labels.at(-1)!);
}

/** Record lookup, selection and evaluation for one domain (sections 4.3 to 4.7). */
async function checkDomain(ev: Evaluation, domain: string): Promise<Verdict> {
  if (!isValidSpfDomain(domain)) {
    ev.problems.push(`"${printable(domain)}" is not a valid domain name`);
    return { result: 'none' };
  }
  const txt = await query(ev, domain, 'TXT');
  if (txt.rcode === 'NXDOMAIN') return { result: 'none' };
  if (txt.rcode !== 'NOERROR') throw temperror(`TXT lookup of ${domain} ${describeFailure(txt)}`);
  const selected = selectSpfRecord(txt.answers);
  if (!selected.ok) throw permerror(`${domain}: ${selected.error}`);
  if (selected.text === null) return { result: 'none' };
  const parsed = parseSpfRecord(selected.text);
  if (!parsed.ok) throw permerror(`SPF record of ${domain}: ${parsed.error}`);
  return evaluateRecord(ev, domain, parsed.record);
}

async function evaluateRecord(ev: Evaluation, domain: string, record: SpfRecord): Promise<Verdict> {
  for (const directive of record.directives) {
    if (!(await matches(ev, domain, directive))) continue;
    const result = QUALIFIER_RESULT[directive.qualifier];
    return {
      result,
      mechanism: directive.text,
      ...(result === 'fail' && record.exp ? { exp: { spec: record.exp.value, domain } } : {}),
    };
  }
  if (!record.redirect) return { result: 'neutral' };
  countLookup(ev, record.redirect.text);
  const target = await targetName(ev, record.redirect.value, domain);
  if (!target) throw permerror(`${record.redirect.text} in ${domain}: the target is not a valid domain name`);
  const verdict = await checkDomain(ev, target);
  if (verdict.result === 'none')
    throw permerror(`${record.redirect.text} in ${domain}: ${target} has no SPF record`);
  return verdict;
}

async function matches(ev: Evaluation, domain: string, d: Directive): Promise<boolean> {
  switch (d.mechanism) {
    case 'all':
      return true;
    case 'ip4':
    case 'ip6':
      return inNetwork(ev.ip, d.network, d.prefix);
    case 'include': {
      countLookup(ev, d.text);
      const target = await targetName(ev, d.target, domain);
      const verdict: Verdict = target ? await checkDomain(ev, target) : { result: 'none' };
      if (verdict.result === 'none')
        throw permerror(`${d.text} in ${domain}: ${target ?? 'the target'} has no SPF record`);
      return verdict.result === 'pass';
    }
    case 'exists': {
      countLookup(ev, d.text);
      const target = await targetName(ev, d.target, domain);
      if (!target) return false;
      const r = await query(ev, target, 'A');
      return !voidOrError(ev, r, d.text, target);
    }
    case 'a':
    case 'mx': {
      countLookup(ev, d.text);
      const target = d.target ? await targetName(ev, d.target, domain) : domain;
      if (!target) return false;
      const prefix = ev.ip.family === 4 ? d.cidr4 : d.cidr6;
      if (d.mechanism === 'a') {
        const r = await addressLookup(ev, target);
        return !voidOrError(ev, r, d.text, target) && anyInPrefix(ev, r.answers, prefix);
      }
      const mx = await query(ev, target, 'MX');
      if (voidOrError(ev, mx, d.text, target)) return false;
      if (mx.answers.length > MAX_NAMES)
        throw permerror(
          `${d.text} in ${domain}: ${target} has ${mx.answers.length} MX records; at most 10 may be checked`,
        );
      for (const { exchange } of mx.answers) {
        // A null MX names no host; the hosts' own lookups are not void lookups of the term.
        if (exchange === '' || !isQueryableName(exchange)) continue;
        const r = await addressLookup(ev, exchange);
        if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN')
          throw temperror(`${d.text}: address lookup of ${exchange} ${describeFailure(r)}`);
        if (anyInPrefix(ev, r.answers, prefix)) return true;
      }
      return false;
    }
    case 'ptr': {
      countLookup(ev, d.text);
      const target = d.target ? await targetName(ev, d.target, domain) : domain;
      const { names, void: empty } = await validatedNames(ev);
      if (empty) countVoid(ev, d.text);
      if (!target) return false;
      const t = normalizeName(target);
      return names.some((n) => n === t || n.endsWith(`.${t}`));
    }
  }
}

/** A or AAAA, whichever the client's address is. */
const addressLookup = (ev: Evaluation, host: string) => query(ev, host, ev.ip.family === 4 ? 'A' : 'AAAA');

/** Whether any of the addresses is within `prefix` bits of the client's. */
const anyInPrefix = (ev: Evaluation, addresses: string[], prefix: number): boolean =>
  addresses.some((a) => {
    const addr = parseIp(a);
    return addr !== null && inNetwork(ev.ip, addr, prefix);
  });

/** True when the lookup found nothing (counted as void); a DNS failure ends the evaluation in temperror. */
function voidOrError(ev: Evaluation, r: DnsResponse, term: string, name: string): boolean {
  if (isVoid(r)) {
    countVoid(ev, term);
    return true;
  }
  if (r.rcode !== 'NOERROR') throw temperror(`${term}: lookup of ${name} ${describeFailure(r)}`);
  return false;
}

function countLookup(ev: Evaluation, term: string) {
  ev.lookups += 1;
  if (ev.lookups > ev.maxLookups)
    throw permerror(`${term} is DNS-querying term number ${ev.lookups}; the limit is ${ev.maxLookups}`);
}

function countVoid(ev: Evaluation, term: string) {
  ev.voidLookups += 1;
  if (ev.voidLookups > ev.maxVoidLookups)
    throw permerror(`${term} is void lookup number ${ev.voidLookups}; the limit is ${ev.maxVoidLookups}`);
}

/** Expands a domain-spec into a name to query, or null when the expansion is not a usable domain name. */
async function targetName(ev: Evaluation, spec: MacroString, domain: string): Promise<string | null> {
  const name = toTargetName(await expandMacroString(spec, macroContext(ev, domain)));
  if (isQueryableName(name)) return name;
  ev.problems.push(
    `"${printable(spec.source)}" expands to "${printable(name)}", which is not a valid domain name`,
  );
  return null;
}

function macroContext(ev: Evaluation, domain: string) {
  return {
    sender: ev.sender,
    localPart: ev.localPart,
    senderDomain: ev.senderDomain,
    domain,
    ip: ev.ip,
    helo: ev.helo,
    receiver: ev.receiver,
    now: ev.now(),
    validatedDomain: () => validatedDomain(ev, domain),
  };
}

/**
 * The client's PTR names that resolve back to its address (section 5.5), the first 10 only. A failed PTR lookup
 * gives none; a name whose address lookup fails is skipped.
 */
function validatedNames(ev: Evaluation): Promise<{ names: string[]; void: boolean }> {
  ev.validated ??= (async () => {
    const ptr = await query(ev, reverseName(ev.ip), 'PTR');
    if (ptr.rcode !== 'NOERROR') return { names: [], void: ptr.rcode === 'NXDOMAIN' };
    if (ptr.answers.length > MAX_NAMES)
      ev.problems.push(
        `${formatIp(ev.ip)} has ${ptr.answers.length} PTR names; only the first 10 were checked`,
      );
    const names: string[] = [];
    for (const name of ptr.answers.slice(0, MAX_NAMES)) {
      if (!isQueryableName(name)) continue;
      const r = await addressLookup(ev, name);
      if (r.rcode === 'NOERROR' && anyInPrefix(ev, r.answers, ev.ip.family === 4 ? 32 : 128))
        names.push(normalizeName(name));
    }
    return { names, void: ptr.answers.length === 0 };
  })();
  return ev.validated;
}

/** The `p` macro: the domain itself if validated, else a subdomain of it, else any validated name (section 7.3). */
async function validatedDomain(ev: Evaluation, domain: string): Promise<string> {
  const { names } = await validatedNames(ev);
  const d = normalizeName(domain);
  return names.find((n) => n === d) ?? names.find((n) => n.endsWith(`.${d}`)) ?? names[0] ?? 'unknown';
}

/** Section 6.2: the explanation for a fail. Any trouble on the way means no explanation, never another result. */
async function explain(ev: Evaluation, spec: MacroString, domain: string): Promise<string | undefined> {
  try {
    const target = await targetName(ev, spec, domain);
    if (!target) return undefined;
    const r = await query(ev, target, 'TXT');
    if (r.rcode !== 'NOERROR' || r.answers.length !== 1) return undefined;
    const text = r.answers[0]!.join('');
    const parsed = parseMacroString(text, { explanation: true });
    if (!parsed.ok) {
      ev.problems.push(`explanation at ${target} ignored: ${parsed.error}`);
      return undefined;
    }
    return await expandMacroString(parsed.value, macroContext(ev, domain));
  } catch (err) {
    if (err instanceof SpfError) return undefined;
    throw err;
  }
}

/** One lookup, raced against the evaluation's deadline; a resolver that throws counts as a DNS error. */
async function query<T extends DnsRecordType>(
  ev: Evaluation,
  name: string,
  type: T,
): Promise<DnsResponse<T>> {
  if (ev.expired) throw temperror(`SPF evaluation took longer than ${ev.deadlineMs} ms`);
  let r: DnsResponse<T>;
  try {
    r = await Promise.race([ev.resolver.resolve(name, type), ev.deadline]);
  } catch (err) {
    r = { rcode: 'ERROR', answers: [], error: err instanceof Error ? err.message : String(err) };
  }
  if (ev.expired) throw temperror(`SPF evaluation took longer than ${ev.deadlineMs} ms`);
  return r;
}
