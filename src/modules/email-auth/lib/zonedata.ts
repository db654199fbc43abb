// Mock DNS zones in the `zonedata` format of the SPF test suites: compiled once, answered by the pure resolver here,
// and served over the wire by the test DNS server (test/support/dns-server.ts), with the same semantics in both.
//
// The format: a map of names to lists of entries. An entry is the string TIMEOUT (lookups of a type the name has no
// records of time out), or a one-key map: SPF, TXT (a string or a list of character-strings; NONE for none),
// A, AAAA, MX ([preference, exchange]), PTR, CNAME, or RCODE (a number or a name: what such lookups answer).
// A name's SPF (type 99) entries are also published as TXT, unless it lists TXT entries of its own (TXT: NONE
// included): the suite's records are mostly written as SPF, and SPF-then-TXT selection tests rely on this.
import {
  normalizeName,
  type DnsRcode,
  type DnsRecordData,
  type DnsRecordType,
  type DnsResolver,
  type DnsResponse,
  type MxRecord,
} from './dns.ts';
import { formatIp, parseIp4, parseIp6 } from '../../../platform/net/ip.ts';

export type ZoneData = Record<string, unknown>;

export interface ZoneNode {
  /** The owner name as written, for answers. */
  name: string;
  TXT: string[][];
  SPF: string[][];
  A: string[];
  AAAA: string[];
  MX: MxRecord[];
  PTR: string[];
  CNAME?: string;
  timeout: boolean;
  rcode?: DnsRcode;
}

/** Keyed by lower-case name without the trailing dot. */
export type CompiledZone = Map<string, ZoneNode>;

export type ZoneQueryType = DnsRecordType | 'SPF' | 'CNAME';
type ZoneRecordData = DnsRecordData & { SPF: string[]; CNAME: string };

export interface ZoneLookup<T extends ZoneQueryType> {
  rcode: DnsRcode;
  /** The CNAMEs followed from the asked name, in order. */
  chain: { owner: string; target: string }[];
  /** The owner name of the answers: the asked name, or the end of the CNAME chain. */
  owner: string;
  answers: ZoneRecordData[T][];
  error?: string;
}

const RCODES: Record<string, DnsRcode> = {
  '0': 'NOERROR',
  '1': 'FORMERR',
  '2': 'SERVFAIL',
  '3': 'NXDOMAIN',
  '4': 'NOTIMP',
  '5': 'REFUSED',
};
const RCODE_NAMES = new Set<string>(Object.values(RCODES));
const MAX_CNAME_HOPS = 16;

export function compileZone(data: ZoneData): CompiledZone {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new Error('zone data must be a map of names to record lists');
  const zone: CompiledZone = new Map();
  for (const [name, value] of Object.entries(data)) {
    const node: ZoneNode = {
      name: stripDot(name),
      TXT: [],
      SPF: [],
      A: [],
      AAAA: [],
      MX: [],
      PTR: [],
      timeout: false,
    };
    let ownTxt = false;
    const where = `zone data for "${name}"`;
    for (const entry of Array.isArray(value) ? value : [value]) {
      if (entry === 'TIMEOUT') {
        node.timeout = true;
        continue;
      }
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new Error(
          `${where}: expected TIMEOUT or a map such as {A: 192.0.2.1}, got ${JSON.stringify(entry)}`,
        );
      for (const [rawType, v] of Object.entries(entry as Record<string, unknown>)) {
        const type = rawType.toUpperCase();
        switch (type) {
          case 'TXT':
          case 'SPF':
            if (type === 'TXT') ownTxt = true;
            if (v !== 'NONE') node[type].push(Array.isArray(v) ? v.map(String) : [String(v)]);
            break;
          case 'A':
          case 'AAAA':
            for (const addr of Array.isArray(v) ? v : [v]) {
              const ip = type === 'A' ? parseIp4(String(addr)) : parseIp6(String(addr));
              if (!ip) throw new Error(`${where}: ${JSON.stringify(addr)} is not an ${type} address`);
              node[type].push(formatIp(ip));
            }
            break;
          case 'MX': {
            const [preference, exchange] = Array.isArray(v)
              ? v
              : [(v as MxRecord | null)?.preference, (v as MxRecord | null)?.exchange];
            if (!Number.isInteger(preference) || typeof exchange !== 'string')
              throw new Error(`${where}: MX must be [preference, exchange], got ${JSON.stringify(v)}`);
            node.MX.push({ preference: preference as number, exchange: stripDot(exchange) });
            break;
          }
          case 'PTR':
          case 'CNAME':
            if (typeof v !== 'string') throw new Error(`${where}: ${type} must be a name`);
            if (type === 'PTR') node.PTR.push(stripDot(v));
            else node.CNAME = stripDot(v);
            break;
          case 'TIMEOUT':
            node.timeout = v !== false;
            break;
          case 'RCODE': {
            const rcode =
              RCODES[String(v)] ?? (RCODE_NAMES.has(String(v).toUpperCase()) ? String(v).toUpperCase() : '');
            if (!rcode) throw new Error(`${where}: unknown RCODE ${JSON.stringify(v)}`);
            node.rcode = rcode as DnsRcode;
            break;
          }
          default:
            throw new Error(`${where}: unknown record type ${rawType}`);
        }
      }
    }
    if (!ownTxt) node.TXT.push(...node.SPF);
    const key = normalizeName(name);
    if (zone.has(key)) throw new Error(`${where}: the name appears twice`);
    zone.set(key, node);
  }
  return zone;
}

/** What a server authoritative for the zone answers, following CNAMEs inside it. */
export function lookupZone<T extends ZoneQueryType>(
  zone: CompiledZone,
  name: string,
  type: T,
): ZoneLookup<T> {
  const chain: ZoneLookup<T>['chain'] = [];
  const seen = new Set<string>();
  let current = normalizeName(name);
  const answer = (rcode: DnsRcode, owner: string, answers: ZoneRecordData[T][] = [], error?: string) => ({
    rcode,
    chain,
    owner,
    answers,
    ...(error ? { error } : {}),
  });
  for (;;) {
    const node = zone.get(current);
    if (!node) return answer('NXDOMAIN', current);
    const records = (type === 'CNAME' ? (node.CNAME ? [node.CNAME] : []) : node[type]) as ZoneRecordData[T][];
    if (records.length > 0) return answer('NOERROR', node.name, records);
    if (node.CNAME) {
      if (seen.has(current) || chain.length >= MAX_CNAME_HOPS)
        return answer('SERVFAIL', node.name, [], `CNAME loop at ${node.name}`);
      seen.add(current);
      chain.push({ owner: node.name, target: node.CNAME });
      current = normalizeName(node.CNAME);
      continue;
    }
    if (node.timeout) return answer('TIMEOUT', node.name, [], 'no answer (TIMEOUT in the zone data)');
    if (node.rcode) return answer(node.rcode, node.name, [], `${node.rcode} (RCODE in the zone data)`);
    return answer('NOERROR', node.name);
  }
}

/** A DnsResolver answering from zone data, instantly: TIMEOUT entries give a TIMEOUT response without waiting. */
export function zoneResolver(data: ZoneData | CompiledZone): DnsResolver {
  const zone = data instanceof Map ? data : compileZone(data);
  return {
    resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>> {
      const r = lookupZone(zone, name, type);
      return Promise.resolve({
        rcode: r.rcode,
        answers: r.rcode === 'NOERROR' ? (r.answers as DnsRecordData[T][]) : [],
        ...(r.error ? { error: r.error } : {}),
      });
    },
  };
}

const stripDot = (name: string): string => (name.endsWith('.') ? name.slice(0, -1) : name);
