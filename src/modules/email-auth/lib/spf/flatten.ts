// The expanded view of a domain's SPF policy: the IP ranges reachable through include, redirect, a and mx, in
// evaluation order, the terms that cannot be expanded without a connection (exists, ptr, most macros), and how
// many DNS-querying terms an evaluation visiting every branch would spend.
import {
  describeFailure,
  isQueryableName,
  isVoid,
  type DnsRecordType,
  type DnsResolver,
  type DnsResponse,
} from '../dns.ts';
import { formatIp, maskIp, parseIp, type Ip } from '../../../../platform/net/ip.ts';
import { expandMacroString, macroLetters, printable, toTargetName, type MacroString } from './macro.ts';
import { parseSpfRecord, selectSpfRecord, type Qualifier, type SpfRecord } from './record.ts';

export interface SpfRange {
  /** Network address and prefix length, e.g. 192.0.2.0/24 or 2001:db8::/32. */
  cidr: string;
  /** What a client in the range gets at the top, if no earlier term matched it. */
  qualifier: Qualifier;
  /** The domain whose record holds the term. */
  domain: string;
  term: string;
  /** The domains from the top record down to `domain`, through include and redirect. */
  path: string[];
}

export interface SpfUnflattenable {
  domain: string;
  term: string;
  reason: string;
}

export type SpfFlattenIssueKind =
  /** A DNS lookup failed (timeout, SERVFAIL, …): the expansion is incomplete, and evaluations may temperror. */
  | 'dns'
  /** A record met on the way is missing, duplicated or invalid: evaluations that reach it end in permerror. */
  | 'record'
  /** include or redirect leads back to a domain already on the path. */
  | 'loop'
  /** A limit of RFC 7208 section 4.6.4 is exceeded: evaluations that reach it end in permerror. */
  | 'limit'
  /** The expansion stopped at its own record limit (FlattenOptions.maxRecords). */
  | 'expansion'
  /** A target that is not a usable domain name. */
  | 'name';

export interface SpfFlattenIssue {
  kind: SpfFlattenIssueKind;
  message: string;
}

export interface SpfFlattening {
  domain: string;
  /** Every range, in evaluation order; `all` appears as 0.0.0.0/0 and ::/0. */
  ranges: SpfRange[];
  /** The ranges that can give pass, de-duplicated, in order. */
  authorised: string[];
  unflattenable: SpfUnflattenable[];
  /** Missing, duplicated or invalid records, DNS failures, loops, limits exceeded. */
  problems: string[];
  /** The same, each with its kind. */
  issues: SpfFlattenIssue[];
  /** DNS-querying terms on all branches; an evaluation that needs more than 10 ends in permerror. */
  lookups: number;
  voidLookups: number;
}

export interface FlattenOptions {
  deadlineMs?: number;
  /** Records visited at most, against include fan-out. */
  maxRecords?: number;
}

interface State {
  resolver: DnsResolver;
  lookups: number;
  voidLookups: number;
  records: number;
  maxRecords: number;
  deadlineAt: number;
  issues: SpfFlattenIssue[];
  unflattenable: SpfUnflattenable[];
}

export async function flattenSpf(
  domain: string,
  resolver: DnsResolver,
  options: FlattenOptions = {},
): Promise<SpfFlattening> {
  const st: State = {
    resolver,
    lookups: 0,
    voidLookups: 0,
    records: 0,
    maxRecords: options.maxRecords ?? 50,
    deadlineAt: Date.now() + (options.deadlineMs ?? 20_000),
    issues: [],
    unflattenable: [],
  };
  const top = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  const ranges = await walk(st, top, [top]);
  if (st.lookups > 10)
    problem(
      st,
      'limit',
      `${st.lookups} DNS-querying terms; an evaluation that reaches the 11th ends in permerror`,
    );
  if (st.voidLookups > 2)
    problem(
      st,
      'limit',
      `${st.voidLookups} lookups find nothing; an evaluation that meets a 3rd ends in permerror`,
    );
  const authorised = [...new Set(ranges.filter((r) => r.qualifier === '+').map((r) => r.cidr))];
  return {
    domain: top,
    ranges,
    authorised,
    unflattenable: st.unflattenable,
    problems: st.issues.map((i) => i.message),
    issues: st.issues,
    lookups: st.lookups,
    voidLookups: st.voidLookups,
  };
}

async function walk(st: State, domain: string, path: string[]): Promise<SpfRange[]> {
  const record = await fetchRecord(st, domain);
  if (!record) return [];
  const out: SpfRange[] = [];
  const range = (ip: Ip, prefix: number, qualifier: Qualifier, term: string): SpfRange => ({
    cidr: `${formatIp(maskIp(ip, prefix))}/${prefix}`,
    qualifier,
    domain,
    term,
    path,
  });
  for (const d of record.directives) {
    switch (d.mechanism) {
      case 'all':
        // Nothing after "all" is ever reached, redirect= included.
        out.push(
          range(parseIp('0.0.0.0')!, 0, d.qualifier, d.text),
          range(parseIp('::')!, 0, d.qualifier, d.text),
        );
        return out;
      case 'ip4':
      case 'ip6':
        out.push(range(d.network, d.prefix, d.qualifier, d.text));
        break;
      case 'a':
      case 'mx': {
        st.lookups += 1;
        const target = d.target ? await knownTarget(st, d.target, domain, d.text) : domain;
        if (!target) break;
        const hosts = d.mechanism === 'a' ? [target] : await mxHosts(st, target, d.text);
        let found = false;
        for (const host of hosts) {
          for (const [type, prefix] of [
            ['A', d.cidr4],
            ['AAAA', d.cidr6],
          ] as const) {
            const r = await query(st, host, type);
            if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN')
              problem(st, 'dns', `${d.text} in ${domain}: ${type} lookup of ${host} ${describeFailure(r)}`);
            for (const a of r.answers) {
              const ip = parseIp(a);
              if (ip) out.push(range(ip, prefix, d.qualifier, d.text));
              found = true;
            }
          }
        }
        if (!found && d.mechanism === 'a') st.voidLookups += 1;
        break;
      }
      case 'include': {
        st.lookups += 1;
        const target = await knownTarget(st, d.target, domain, d.text);
        if (!target) break;
        if (path.includes(target.toLowerCase())) {
          problem(st, 'loop', `${d.text} in ${domain} loops back to ${target}`);
          break;
        }
        // An include matches only where the included policy gives pass; its other ranges fall through.
        const inner = await walk(st, target, [...path, target.toLowerCase()]);
        out.push(...inner.filter((r) => r.qualifier === '+').map((r) => ({ ...r, qualifier: d.qualifier })));
        break;
      }
      case 'ptr':
        st.lookups += 1;
        st.unflattenable.push({ domain, term: d.text, reason: "depends on the client's reverse DNS" });
        break;
      case 'exists':
        st.lookups += 1;
        st.unflattenable.push({ domain, term: d.text, reason: 'depends on a lookup made for each message' });
        break;
    }
  }
  if (record.redirect) {
    st.lookups += 1;
    const target = await knownTarget(st, record.redirect.value, domain, record.redirect.text);
    if (target && path.includes(target.toLowerCase()))
      problem(st, 'loop', `${record.redirect.text} in ${domain} loops back to ${target}`);
    else if (target) out.push(...(await walk(st, target, [...path, target.toLowerCase()])));
  }
  return out;
}

async function fetchRecord(st: State, domain: string): Promise<SpfRecord | null> {
  if (st.records >= st.maxRecords) {
    problem(st, 'expansion', `stopped at ${st.maxRecords} records; ${domain} and beyond were not expanded`);
    return null;
  }
  st.records += 1;
  if (!isQueryableName(domain)) {
    problem(st, 'name', `"${printable(domain)}" is not a valid domain name`);
    return null;
  }
  const txt = await query(st, domain, 'TXT');
  if (txt.rcode !== 'NOERROR' && txt.rcode !== 'NXDOMAIN') {
    problem(st, 'dns', `TXT lookup of ${domain} ${describeFailure(txt)}`);
    return null;
  }
  const selected = selectSpfRecord(txt.answers);
  if (!selected.ok || selected.text === null) {
    problem(st, 'record', `${domain}: ${selected.ok ? 'no SPF record' : selected.error}`);
    return null;
  }
  const parsed = parseSpfRecord(selected.text);
  if (!parsed.ok) {
    problem(st, 'record', `SPF record of ${domain}: ${parsed.error}`);
    return null;
  }
  return parsed.record;
}

async function mxHosts(st: State, target: string, term: string): Promise<string[]> {
  const r = await query(st, target, 'MX');
  if (isVoid(r)) st.voidLookups += 1;
  else if (r.rcode !== 'NOERROR') problem(st, 'dns', `${term}: MX lookup of ${target} ${describeFailure(r)}`);
  if (r.answers.length > 10)
    problem(
      st,
      'limit',
      `${term}: ${target} has ${r.answers.length} MX records; an evaluation allows 10 (permerror)`,
    );
  // An evaluation looks at 10 MX names at most; so does the expansion, against fan-out.
  return r.answers
    .slice(0, 10)
    .map((mx) => mx.exchange)
    .filter((h) => h !== '' && h !== '.' && isQueryableName(h));
}

/** A target known without a connection: macros other than %{d} make the term unflattenable. */
async function knownTarget(
  st: State,
  spec: MacroString,
  domain: string,
  term: string,
): Promise<string | null> {
  const unknown = [...macroLetters(spec)].filter((l) => l !== 'd');
  if (unknown.length > 0) {
    st.unflattenable.push({
      domain,
      term,
      reason: `uses macros that depend on the message (${unknown.map((l) => `%{${l}}`).join(' ')})`,
    });
    return null;
  }
  const name = toTargetName(
    await expandMacroString(spec, {
      sender: '',
      localPart: '',
      senderDomain: '',
      domain,
      ip: parseIp('0.0.0.0')!,
      helo: '',
      receiver: '',
      now: 0,
      validatedDomain: () => Promise.resolve(''),
    }),
  );
  if (isQueryableName(name)) return name;
  problem(st, 'name', `${term} in ${domain}: "${printable(name)}" is not a valid domain name`);
  return null;
}

function problem(st: State, kind: SpfFlattenIssueKind, message: string): void {
  st.issues.push({ kind, message });
}

async function query<T extends DnsRecordType>(st: State, name: string, type: T): Promise<DnsResponse<T>> {
  const left = st.deadlineAt - Date.now();
  if (left <= 0) return { rcode: 'TIMEOUT', answers: [], error: 'flattening deadline passed' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      st.resolver.resolve(name, type),
      new Promise<DnsResponse<T>>((resolve) => {
        timer = setTimeout(
          () => resolve({ rcode: 'TIMEOUT', answers: [], error: 'flattening deadline passed' }),
          left,
        );
      }),
    ]);
  } catch (err) {
    return { rcode: 'ERROR', answers: [], error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
