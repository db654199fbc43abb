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
import {
  formatIp,
  inNetwork,
  ip4Bits,
  parseClientIp,
  parseIp,
  reverseName,
  type Ip,
} from '../../../../platform/net/ip.ts';
import { spfRecordOf, type Target, type Term } from './compiled.ts';
import { expandMacroString, parseMacroString, printable, toTargetName, type MacroString } from './macro.ts';
import { isValidSpfDomain, type Qualifier } from './record.ts';

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

/**
 * Ends an evaluation with its result: thrown, and always caught in checkHost. Not an Error: the records that throw it
 * (too many lookups, a syntax error) are met on every evaluation of their senders, and no stack is ever wanted.
 */
class SpfError {
  readonly result: 'permerror' | 'temperror';
  readonly message: string;
  constructor(result: 'permerror' | 'temperror', message: string) {
    this.result = result;
    this.message = message;
  }
}
const permerror = (message: string) => new SpfError('permerror', message);
const temperror = (message: string) => new SpfError('temperror', message);

/**
 * A resolver that can also answer from memory at once, as the DNS cache does: an answer already there is taken
 * without waiting, and without racing the deadline, which it cannot lose.
 */
export interface ImmediateResolver extends DnsResolver {
  /** The answer held for the question, if any (fresh, never a failure); undefined when it would have to be asked. */
  fromCache<T extends DnsRecordType>(name: string, type: T): DnsResponse<T> | undefined;
}

const isImmediate = (r: DnsResolver): r is ImmediateResolver =>
  typeof (r as Partial<ImmediateResolver>).fromCache === 'function';

interface Evaluation {
  resolver: DnsResolver;
  /** The resolver again when it can answer at once. */
  immediate: ImmediateResolver | undefined;
  ip: Ip;
  /** ip4Bits(ip) of an IPv4 client; 0 for IPv6. */
  bits4: number;
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
  /**
   * Settles when the deadline passes; every lookup that has to wait races it. Made by the first such lookup: all
   * before it ran at once, without a turn of the event loop, and an evaluation answered from memory throughout needs
   * no timer. Its timer is cleared at the end.
   */
  deadline?: Promise<DnsResponse<never>>;
  timer?: ReturnType<typeof setTimeout>;
  /** The PTR names of the client that resolve back to it; looked up once, for ptr and %{p}. */
  validated?: Promise<{ names: string[]; void: boolean }>;
}

/** What one record's evaluation returns; the explanation is fetched only once, for the final result. */
interface Verdict {
  result: SpfResult;
  mechanism?: string;
  exp?: { target: Target; domain: string };
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
  const ev: Evaluation = {
    resolver,
    immediate: isImmediate(resolver) ? resolver : undefined,
    ip: client,
    bits4: client.family === 4 ? ip4Bits(client) : 0,
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
  };
  const outcome = (result: SpfResult, explanation?: string, mechanism?: string): SpfOutcome => {
    const o: SpfOutcome = { result, lookups: ev.lookups, voidLookups: ev.voidLookups };
    if (explanation !== undefined) o.explanation = explanation;
    if (mechanism) o.mechanism = mechanism;
    if (ev.problems.length) o.problems = ev.problems;
    return o;
  };
  try {
    const run = drive(checkDomain(ev, domain));
    const verdict = run instanceof Promise ? await run : run;
    const explanation =
      verdict.result === 'fail' && verdict.exp
        ? await explain(ev, verdict.exp.target, verdict.exp.domain)
        : undefined;
    return outcome(verdict.result, explanation, verdict.mechanism);
  } catch (err) {
    if (!(err instanceof SpfError)) throw err;
    ev.problems.push(err.message);
    return outcome(err.result);
  } finally {
    clearTimeout(ev.timer);
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
  const trimmed = input.mailFrom.trim();
  const mailFrom = trimmed.startsWith('<') ? trimmed.replace(/^<(.*)>$/, '$1') : trimmed;
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
 * The evaluation runs as generators that yield only what has to be waited for (a lookup the resolver cannot answer at
 * once, a macro needing the client's validated name): driven synchronously as far as it goes, so that an evaluation
 * answered from a cache takes no turn of the event loop, and asynchronously from the first wait on.
 */
type Steps<T> = Generator<Promise<unknown>, T, unknown>;

/** A value now, or the wait for it. */
function* settle<T>(value: T | Promise<T>): Steps<T> {
  return value instanceof Promise ? ((yield value) as T) : value;
}

/** Runs the steps: the result at once when nothing had to be waited for, else its promise. */
function drive<T>(steps: Steps<T>): T | Promise<T> {
  const step = steps.next();
  return step.done ? step.value : resume(steps, step.value);
}

async function resume<T>(steps: Steps<T>, wait: Promise<unknown>): Promise<T> {
  for (;;) {
    // A wait that fails (the deadline, say) throws where it was waited for.
    const step = await wait.then(
      (value) => steps.next(value),
      (err: unknown) => steps.throw(err),
    );
    if (step.done) return step.value;
    wait = step.value;
  }
}

/** Record lookup, selection and evaluation for one domain (sections 4.3 to 4.7). */
function* checkDomain(ev: Evaluation, domain: string, valid?: boolean): Steps<Verdict> {
  if (!(valid ?? isValidSpfDomain(domain))) {
    ev.problems.push(`"${printable(domain)}" is not a valid domain name`);
    return { result: 'none' };
  }
  // On the hot paths a value at hand is taken at once rather than through settle().
  const q = query(ev, domain, 'TXT');
  const txt = q instanceof Promise ? ((yield q) as DnsResponse<'TXT'>) : q;
  if (txt.rcode === 'NXDOMAIN') return { result: 'none' };
  if (txt.rcode !== 'NOERROR') throw temperror(`TXT lookup of ${domain} ${describeFailure(txt)}`);
  const found = spfRecordOf(txt.answers);
  if (found.kind === 'none') return { result: 'none' };
  if (found.kind === 'several') throw permerror(`${domain}: ${found.error}`);
  if (found.kind === 'invalid') throw permerror(`SPF record of ${domain}: ${found.error}`);
  const record = found.record;

  const terms = record.terms;
  for (let i = 0; i < terms.length; i++) {
    // all, ip4, ip6 and include, most of what records hold, are decided here; the other lookups in matches().
    const t = terms[i]!;
    let matched: boolean;
    switch (t.mechanism) {
      case 'all':
        matched = true;
        break;
      case 'ip4':
        matched = ev.ip.family === 4 && (ev.bits4 & t.mask4) === t.bits4;
        break;
      case 'ip6':
        matched = t.network !== null && inNetwork(ev.ip, t.network, t.prefix);
        break;
      case 'include': {
        countLookup(ev, t.text);
        const spec = t.target!;
        const n = targetName(ev, spec, domain);
        const target = n instanceof Promise ? ((yield n) as string | null) : n;
        const verdict: Verdict = target
          ? yield* checkDomain(ev, target, spec.fixed?.spfDomain)
          : { result: 'none' };
        if (verdict.result === 'none')
          throw permerror(`${t.text} in ${domain}: ${target ?? 'the target'} has no SPF record`);
        matched = verdict.result === 'pass';
        break;
      }
      default:
        matched = yield* matches(ev, domain, t);
    }
    if (!matched) continue;
    const result = QUALIFIER_RESULT[t.qualifier];
    return {
      result,
      mechanism: t.text,
      ...(result === 'fail' && record.exp ? { exp: { target: record.exp, domain } } : {}),
    };
  }
  const redirect = record.redirect;
  if (!redirect) return { result: 'neutral' };
  countLookup(ev, redirect.text);
  const target = yield* settle(targetName(ev, redirect.target, domain));
  if (!target) throw permerror(`${redirect.text} in ${domain}: the target is not a valid domain name`);
  const verdict = yield* checkDomain(ev, target, redirect.target.fixed?.spfDomain);
  if (verdict.result === 'none')
    throw permerror(`${redirect.text} in ${domain}: ${target} has no SPF record`);
  return verdict;
}

/** Whether the client matches an exists, a, mx or ptr mechanism (checkDomain decides the others). */
function* matches(ev: Evaluation, domain: string, t: Term): Steps<boolean> {
  switch (t.mechanism) {
    case 'exists': {
      countLookup(ev, t.text);
      const target = yield* settle(targetName(ev, t.target!, domain));
      if (!target) return false;
      const r = yield* settle(query(ev, target, 'A'));
      return !voidOrError(ev, r, t.text, target);
    }
    case 'a':
    case 'mx': {
      countLookup(ev, t.text);
      const target = t.target ? yield* settle(targetName(ev, t.target, domain)) : domain;
      if (!target) return false;
      const prefix = ev.ip.family === 4 ? t.cidr4 : t.cidr6;
      if (t.mechanism === 'a') {
        const r = yield* settle(addressLookup(ev, target));
        return !voidOrError(ev, r, t.text, target) && anyInPrefix(ev, r.answers, prefix);
      }
      const mx = yield* settle(query(ev, target, 'MX'));
      if (voidOrError(ev, mx, t.text, target)) return false;
      if (mx.answers.length > MAX_NAMES)
        throw permerror(
          `${t.text} in ${domain}: ${target} has ${mx.answers.length} MX records; at most 10 may be checked`,
        );
      for (const { exchange } of mx.answers) {
        // A null MX names no host; the hosts' own lookups are not void lookups of the term.
        if (exchange === '' || !isQueryableName(exchange)) continue;
        const r = yield* settle(addressLookup(ev, exchange));
        if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN')
          throw temperror(`${t.text}: address lookup of ${exchange} ${describeFailure(r)}`);
        if (anyInPrefix(ev, r.answers, prefix)) return true;
      }
      return false;
    }
    case 'ptr': {
      countLookup(ev, t.text);
      const target = t.target ? yield* settle(targetName(ev, t.target, domain)) : domain;
      const { names, void: empty } = yield* settle(validatedNames(ev));
      if (empty) countVoid(ev, t.text);
      if (!target) return false;
      const wanted = normalizeName(target);
      return names.some((n) => n === wanted || n.endsWith(`.${wanted}`));
    }
    default:
      throw new Error(`"${t.text}" is decided in checkDomain`);
  }
}

/** A or AAAA, whichever the client's address is. */
const addressLookup = (ev: Evaluation, host: string) => query(ev, host, ev.ip.family === 4 ? 'A' : 'AAAA');

/** Whether any of the addresses is within `prefix` bits of the client's. */
function anyInPrefix(ev: Evaluation, addresses: string[], prefix: number): boolean {
  for (const addr of parsedAddresses(addresses)) if (addr && inNetwork(ev.ip, addr, prefix)) return true;
  return false;
}

/** The addresses of an answer, parsed once per answer list (a cache hands out the same lists again and again). */
const parsedByAnswers = new WeakMap<string[], (Ip | null)[]>();
function parsedAddresses(addresses: string[]): (Ip | null)[] {
  let parsed = parsedByAnswers.get(addresses);
  if (!parsed) parsedByAnswers.set(addresses, (parsed = addresses.map(parseIp)));
  return parsed;
}

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

/**
 * Expands a domain-spec into a name to query, or null when the expansion is not a usable domain name. Only a spec
 * with %{p} has to wait (for the client's validated name); one without macros names the same target every time.
 */
function targetName(ev: Evaluation, target: Target, domain: string): string | null | Promise<string | null> {
  const fixed = target.fixed;
  if (fixed) {
    if (fixed.queryable) return fixed.name;
    ev.problems.push(notQueryable(target.spec, fixed.name));
    return null;
  }
  const expanded = expandMacroString(target.spec, macroContext(ev, domain));
  return typeof expanded === 'string'
    ? queryableTarget(ev, target.spec, expanded)
    : expanded.then((e) => queryableTarget(ev, target.spec, e));
}

function queryableTarget(ev: Evaluation, spec: MacroString, expanded: string): string | null {
  const name = toTargetName(expanded);
  if (isQueryableName(name)) return name;
  ev.problems.push(notQueryable(spec, name));
  return null;
}

const notQueryable = (spec: MacroString, name: string) =>
  `"${printable(spec.source)}" expands to "${printable(name)}", which is not a valid domain name`;

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
async function explain(ev: Evaluation, exp: Target, domain: string): Promise<string | undefined> {
  try {
    const target = await targetName(ev, exp, domain);
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

/**
 * One lookup: from memory at once when the resolver has the answer, else asked and raced against the evaluation's
 * deadline; a resolver that throws counts as a DNS error. Callers on the hot paths take an immediate answer without
 * awaiting it.
 */
function query<T extends DnsRecordType>(
  ev: Evaluation,
  name: string,
  type: T,
): DnsResponse<T> | Promise<DnsResponse<T>> {
  return ev.immediate?.fromCache(name, type) ?? ask(ev, name, type);
}

async function ask<T extends DnsRecordType>(ev: Evaluation, name: string, type: T): Promise<DnsResponse<T>> {
  if (ev.expired) throw temperror(`SPF evaluation took longer than ${ev.deadlineMs} ms`);
  ev.deadline ??= new Promise((resolve) => {
    ev.timer = setTimeout(() => {
      ev.expired = true;
      resolve({ rcode: 'TIMEOUT', answers: [], error: `evaluation deadline of ${ev.deadlineMs} ms` });
    }, ev.deadlineMs);
  });
  let r: DnsResponse<T>;
  try {
    r = await Promise.race([ev.resolver.resolve(name, type), ev.deadline]);
  } catch (err) {
    r = { rcode: 'ERROR', answers: [], error: err instanceof Error ? err.message : String(err) };
  }
  if (ev.expired) throw temperror(`SPF evaluation took longer than ${ev.deadlineMs} ms`);
  return r;
}
