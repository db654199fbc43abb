// The DNS lookups email authentication needs, as an interface: the wire client, the zone-data resolver of the
// test suites and caches all implement it, so the SPF evaluator never knows where its answers come from.

export const DNS_RECORD_TYPES = ['TXT', 'A', 'AAAA', 'MX', 'PTR'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export interface MxRecord {
  preference: number;
  /** Without the trailing dot; '' for the root (a "null MX", RFC 7505). */
  exchange: string;
}

/** One answer of each type. A TXT record is its list of character-strings, each byte as one char (latin1). */
export interface DnsRecordData {
  TXT: string[];
  A: string;
  AAAA: string;
  MX: MxRecord;
  PTR: string;
}

/**
 * The wire rcodes a lookup can end with, plus two that no server sends: TIMEOUT (no answer in time) and ERROR
 * (an answer that could not be used: malformed, mismatched, an unknown rcode, a name that cannot be queried).
 */
export type DnsRcode =
  'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'FORMERR' | 'NOTIMP' | 'REFUSED' | 'TIMEOUT' | 'ERROR';

export interface DnsResponse<T extends DnsRecordType = DnsRecordType> {
  rcode: DnsRcode;
  /** The records of the asked type at the end of any CNAME chain; empty unless rcode is NOERROR. */
  answers: DnsRecordData[T][];
  /** Seconds the response may be cached, when the source knows (least answer TTL, or the SOA's for a negative). */
  ttl?: number;
  /** What went wrong, for anything but NOERROR and NXDOMAIN. */
  error?: string;
}

export interface DnsResolver {
  /** Never rejects for DNS trouble: failures come back as an rcode. */
  resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>>;
}

/** NOERROR with no records, or NXDOMAIN: the "void lookup" of RFC 7208 section 4.6.4. */
export const isVoid = (r: DnsResponse): boolean =>
  r.rcode === 'NXDOMAIN' || (r.rcode === 'NOERROR' && r.answers.length === 0);

/** A readable reason for a failed lookup, for problem lists. */
export const describeFailure = (r: DnsResponse): string =>
  r.rcode === 'TIMEOUT' ? 'timed out' : r.error ? `${r.rcode} (${r.error})` : r.rcode;

/** Lower case, without a trailing dot: the form names are compared in. */
export const normalizeName = (name: string): string =>
  (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();

/** Whether a name can be put into a DNS query: 1-63 octets a label, no empty label, at most 253 in all. */
export function isQueryableName(name: string): boolean {
  // One pass by character code: every name an SPF evaluation meets is checked. Names are ASCII in practice; others
  // are counted in UTF-8 octets so that the limits hold on the wire too.
  const end = name.endsWith('.') ? name.length - 1 : name.length;
  let total = 0;
  let label = 0;
  for (let i = 0; i < end; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (label === 0) return false;
      label = 0;
      total += 1;
      continue;
    }
    let octets = 3;
    if (c < 0x80) octets = 1;
    else if (c < 0x800) octets = 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < end && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one code point of four octets; a lone surrogate counts three, as U+FFFD would.
      octets = 4;
      i += 1;
    }
    label += octets;
    total += octets;
    if (label > 63) return false;
  }
  return label > 0 && total <= 253;
}
