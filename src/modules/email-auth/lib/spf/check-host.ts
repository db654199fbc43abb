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
import { isTopLabel, parseSpfRecord, selectSpfRecord, type Directive, type Qualifier } from './record.ts';

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
  const ev: Evaluation = {
    resolver,
    immediate: isImmediate(resolver) ? resolver : undefined,
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
  };
  const outcome = (result: SpfResult, extra: Partial<SpfOutcome> = {}): SpfOutcome => ({
    result,
    ...extra,
    lookups: ev.lookups,
    voidLookups: ev.voidLookups,
    ...(ev.problems.length ? { problems: ev.problems } : {}),
  });
  try {
    const run = drive(checkDomain(ev, domain));
    const verdict = run instanceof Promise ? await run : run;
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
  if (found.kind === 'several') throw permerror(`${domain}: ${found.error}`);
  if (found.kind === 'none') return { result: 'none' };
  if (!found.parse.ok) throw permerror(`SPF record of ${domain}: ${found.parse.error}`);
  const record = found.parse.record;

  for (const d of record.directives) {
    // all, ip4, ip6 and include, most of what records hold, are decided here; the other lookups in matches().
    let matched: boolean;
    switch (d.mechanism) {
      case 'all':
        matched = true;
        break;
      case 'ip4':
      case 'ip6':
        matched = inNetwork(ev.ip, d.network, d.prefix);
        break;
      case 'include': {
        countLookup(ev, d.text);
        const t = targetName(ev, d.target, domain);
        const target = t instanceof Promise ? ((yield t) as string | null) : t;
        const verdict: Verdict = target
          ? yield* checkDomain(ev, target, spfDomainOf(d.target))
          : { result: 'none' };
        if (verdict.result === 'none')
          throw permerror(`${d.text} in ${domain}: ${target ?? 'the target'} has no SPF record`);
        matched = verdict.result === 'pass';
        break;
      }
      default:
        matched = yield* matches(ev, domain, d);
    }
    if (!matched) continue;
    const result = QUALIFIER_RESULT[d.qualifier];
    return {
      result,
      mechanism: d.text,
      ...(result === 'fail' && record.exp ? { exp: { spec: record.exp.value, domain } } : {}),
    };
  }
  if (!record.redirect) return { result: 'neutral' };
  countLookup(ev, record.redirect.text);
  const target = yield* settle(targetName(ev, record.redirect.value, domain));
  if (!target) throw permerror(`${record.redirect.text} in ${domain}: the target is not a valid domain name`);
  const verdict = yield* checkDomain(ev, target, spfDomainOf(record.redirect.value));
  if (verdict.result === 'none')
    throw permerror(`${record.redirect.text} in ${domain}: ${target} has no SPF record`);
  return verdict;
}

type FoundRecord =
  | { kind: 'none' }
  | { kind: 'several'; error: string }
  | { kind: 'one'; parse: ReturnType<typeof parseSpfRecord> };

// The same records come back again and again (every sender's includes of a provider), mostly as the very same
// answer objects from a cache: the selection is kept per answer list, the parse per record text. Records are never
// changed after parsing. The parse memo is bounded in entries and record size, and starts afresh when full.
const foundByAnswers = new WeakMap<string[][], FoundRecord>();
const parsedByText = new Map<string, ReturnType<typeof parseSpfRecord>>();
const MAX_PARSED = 4096;
const MAX_PARSED_LENGTH = 2048;

function spfRecordOf(answers: string[][]): FoundRecord {
  let found = foundByAnswers.get(answers);
  if (found) return found;
  const selected = selectSpfRecord(answers);
  if (!selected.ok) found = { kind: 'several', error: selected.error };
  else if (selected.text === null) found = { kind: 'none' };
  else {
    let parse = parsedByText.get(selected.text);
    if (!parse) {
      parse = parseSpfRecord(selected.text);
      if (selected.text.length <= MAX_PARSED_LENGTH) {
        if (parsedByText.size >= MAX_PARSED) parsedByText.clear();
        parsedByText.set(selected.text, parse);
      }
    }
    found = { kind: 'one', parse };
  }
  foundByAnswers.set(answers, found);
  return found;
}

/** Whether the client matches an exists, a, mx or ptr mechanism (checkDomain decides the others). */
function* matches(ev: Evaluation, domain: string, d: Directive): Steps<boolean> {
  switch (d.mechanism) {
    case 'exists': {
      countLookup(ev, d.text);
      const target = yield* settle(targetName(ev, d.target, domain));
      if (!target) return false;
      const r = yield* settle(query(ev, target, 'A'));
      return !voidOrError(ev, r, d.text, target);
    }
    case 'a':
    case 'mx': {
      countLookup(ev, d.text);
      const target = d.target ? yield* settle(targetName(ev, d.target, domain)) : domain;
      if (!target) return false;
      const prefix = ev.ip.family === 4 ? d.cidr4 : d.cidr6;
      if (d.mechanism === 'a') {
        const r = yield* settle(addressLookup(ev, target));
        return !voidOrError(ev, r, d.text, target) && anyInPrefix(ev, r.answers, prefix);
      }
      const mx = yield* settle(query(ev, target, 'MX'));
      if (voidOrError(ev, mx, d.text, target)) return false;
      if (mx.answers.length > MAX_NAMES)
        throw permerror(
          `${d.text} in ${domain}: ${target} has ${mx.answers.length} MX records; at most 10 may be checked`,
        );
      for (const { exchange } of mx.answers) {
        // A null MX names no host; the hosts' own lookups are not void lookups of the term.
        if (exchange === '' || !isQueryableName(exchange)) continue;
        const r = yield* settle(addressLookup(ev, exchange));
        if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN')
          throw temperror(`${d.text}: address lookup of ${exchange} ${describeFailure(r)}`);
        if (anyInPrefix(ev, r.answers, prefix)) return true;
      }
      return false;
    }
    case 'ptr': {
      countLookup(ev, d.text);
      const target = d.target ? yield* settle(targetName(ev, d.target, domain)) : domain;
      const { names, void: empty } = yield* settle(validatedNames(ev));
      if (empty) countVoid(ev, d.text);
      if (!target) return false;
      const wanted = normalizeName(target);
      return names.some((n) => n === wanted || n.endsWith(`.${wanted}`));
    }
    default:
      throw new Error(`"${d.text}" is decided in checkDomain`);
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
 * Expands a domain-spec into a name to query, or null when the expansion is not a usable domain name. A spec without
 * macros names the same target every time: that is worked out once, and returned without waiting.
 */
function targetName(
  ev: Evaluation,
  spec: MacroString,
  domain: string,
): string | null | Promise<string | null> {
  const fixed = fixedTarget(spec);
  if (fixed === null) return expandTarget(ev, spec, domain);
  if (fixed.queryable) return fixed.name;
  ev.problems.push(notQueryable(spec, fixed.name));
  return null;
}

async function expandTarget(ev: Evaluation, spec: MacroString, domain: string): Promise<string | null> {
  const name = toTargetName(await expandMacroString(spec, macroContext(ev, domain)));
  if (isQueryableName(name)) return name;
  ev.problems.push(notQueryable(spec, name));
  return null;
}

const notQueryable = (spec: MacroString, name: string) =>
  `"${printable(spec.source)}" expands to "${printable(name)}", which is not a valid domain name`;

interface FixedTarget {
  name: string;
  queryable: boolean;
  /** isValidSpfDomain(name) */
  spfDomain: boolean;
}
/** Per parsed domain-spec (parsed records are kept, so are their specs): its target, or null when it has macros. */
const fixedTargets = new WeakMap<MacroString, FixedTarget | null>();

function fixedTarget(spec: MacroString): FixedTarget | null {
  let fixed = fixedTargets.get(spec);
  if (fixed === undefined) {
    if (spec.tokens.some((t) => t.kind === 'macro')) fixed = null;
    else {
      const name = toTargetName(spec.tokens.map((t) => (t.kind === 'macro' ? '' : t.text)).join(''));
      fixed = { name, queryable: isQueryableName(name), spfDomain: isValidSpfDomain(name) };
    }
    fixedTargets.set(spec, fixed);
  }
  return fixed;
}

/** Whether a spec's target is known to be a valid SPF domain (undefined: to be checked, it has macros). */
const spfDomainOf = (spec: MacroString): boolean | undefined => fixedTarget(spec)?.spfDomain;

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
