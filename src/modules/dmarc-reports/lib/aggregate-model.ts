// Our model of a DMARC aggregate (RUA) report, whichever schema it came in: RFC 7489 Appendix C, RFC 9990 or
// the draft in between. Enumerations are normalised (lower case, trimmed); a value we do not know becomes
// 'unknown' and its raw text goes into the report's warnings. An absent optional value is null.

export const REPORT_SCHEMAS = ['rfc7489', 'rfc9990', 'draft'] as const;
export type ReportSchema = (typeof REPORT_SCHEMAS)[number];

/** The XML namespaces of the report schemas; a report without a namespace is read as RFC 7489. */
export const SCHEMA_NAMESPACES: Readonly<Record<string, ReportSchema>> = {
  'http://dmarc.org/dmarc-xml/0.1': 'rfc7489',
  'http://dmarc.org/dmarc-xml/0.2': 'draft',
  'urn:ietf:params:xml:ns:dmarc-2.0': 'rfc9990',
};

export const ALIGNMENTS = ['r', 's'] as const;
export const POLICY_ACTIONS = ['none', 'quarantine', 'reject'] as const;
/** RFC 9990 adds 'pass' (no action, the message passed DMARC under an enforcing policy). */
export const DISPOSITIONS = ['none', 'pass', 'quarantine', 'reject'] as const;
export const DMARC_RESULTS = ['pass', 'fail'] as const;
export const DKIM_RESULTS = ['none', 'pass', 'fail', 'policy', 'neutral', 'temperror', 'permerror'] as const;
export const SPF_RESULTS = [
  'none',
  'pass',
  'fail',
  'softfail',
  'policy',
  'neutral',
  'temperror',
  'permerror',
] as const;
export const SPF_SCOPES = ['mfrom', 'helo'] as const;
/** The union of RFC 7489 (forwarded, sampled_out) and RFC 9990 (policy_test_mode) override reasons. */
export const OVERRIDE_TYPES = [
  'forwarded',
  'sampled_out',
  'trusted_forwarder',
  'mailing_list',
  'local_policy',
  'policy_test_mode',
  'other',
] as const;
export const DISCOVERY_METHODS = ['psl', 'treewalk'] as const;

type Known<T extends readonly string[]> = T[number] | 'unknown';
export type Alignment = Known<typeof ALIGNMENTS>;
export type PolicyAction = Known<typeof POLICY_ACTIONS>;
export type Disposition = Known<typeof DISPOSITIONS>;
export type DmarcResult = Known<typeof DMARC_RESULTS>;
export type DkimResult = Known<typeof DKIM_RESULTS>;
export type SpfResult = Known<typeof SPF_RESULTS>;
export type SpfScope = Known<typeof SPF_SCOPES>;
export type OverrideType = Known<typeof OVERRIDE_TYPES>;
export type DiscoveryMethod = Known<typeof DISCOVERY_METHODS>;

export interface DateRange {
  /** Epoch seconds. */
  begin: number;
  end: number;
}

export interface Reporter {
  /** May be empty: some reporters send an empty org_name (a warning says so). */
  orgName: string;
  email: string | null;
  extraContact: string | null;
  reportId: string;
  dateRange: DateRange;
  errors: string[];
  /** RFC 9990: the software that generated the report. */
  generator: string | null;
}

export interface PolicyPublished {
  /** Lower case, without a trailing dot. */
  domain: string;
  adkim: Alignment | null;
  aspf: Alignment | null;
  p: PolicyAction | null;
  sp: PolicyAction | null;
  /** RFC 9990: the policy for non-existent subdomains. */
  np: PolicyAction | null;
  /** RFC 7489 only (RFC 9990 dropped pct). */
  pct: number | null;
  fo: string | null;
  /** RFC 9990 t=y/n. */
  testing: boolean | null;
  discoveryMethod: DiscoveryMethod | null;
}

/** The report without its records: what is known before the first record is read. */
export interface AggregateReport {
  schema: ReportSchema;
  /** The <version> element as written (e.g. "1.0"), null when absent. */
  version: string | null;
  reporter: Reporter;
  policyPublished: PolicyPublished;
}

export interface OverrideReason {
  type: OverrideType;
  comment: string | null;
}

export interface DkimAuthResult {
  domain: string;
  selector: string | null;
  result: DkimResult;
  humanResult: string | null;
}

export interface SpfAuthResult {
  domain: string;
  scope: SpfScope | null;
  result: SpfResult;
  humanResult: string | null;
}

export interface AggregateRecord {
  /** As written, trimmed and lower case (IPv6); a value that is not an IP address is kept, with a warning. */
  sourceIp: string;
  count: number;
  policyEvaluated: {
    disposition: Disposition | null;
    dkim: DmarcResult | null;
    spf: DmarcResult | null;
    reasons: OverrideReason[];
  };
  identifiers: {
    headerFrom: string | null;
    envelopeFrom: string | null;
    envelopeTo: string | null;
  };
  authResults: {
    dkim: DkimAuthResult[];
    spf: SpfAuthResult[];
  };
}

/** What the whole report held: known once its last record was read. */
export interface AggregateSummary {
  records: number;
  /** The sum of the records' counts. */
  messages: number;
  /** Records left out because a required value (source_ip, count) was missing or invalid. */
  skippedRecords: number;
  warnings: string[];
}

/**
 * The identity of a report for deduplication: the same report arrives again when a reporter resends it or it
 * reaches several mailboxes. An empty org_name falls back to the domain of the reporter's email address.
 */
export function reportKey(report: AggregateReport): { reporter: string; reportId: string; domain: string } {
  const { orgName, email, reportId } = report.reporter;
  const fallback = email ? (email.slice(email.lastIndexOf('@') + 1) || email).toLowerCase() : '';
  return {
    reporter: orgName.trim() || fallback,
    reportId,
    domain: report.policyPublished.domain,
  };
}

/**
 * Warnings collected while reading one report. The same warning repeated over many records is kept once
 * with its count, and only the first `max` distinct warnings are kept, so that the list stays small.
 */
export class WarningLog {
  readonly #entries = new Map<string, { message: string; count: number }>();
  readonly #max: number;
  #dropped = 0;

  constructor(max = 100) {
    this.#max = max;
  }

  /** `key` groups repetitions; it defaults to the message itself. */
  add(message: string, key: string = message): void {
    const entry = this.#entries.get(key);
    if (entry) entry.count += 1;
    else if (this.#entries.size < this.#max) this.#entries.set(key, { message, count: 1 });
    else this.#dropped += 1;
  }

  get size(): number {
    return this.#entries.size + this.#dropped;
  }

  list(): string[] {
    const out = [...this.#entries.values()].map((e) =>
      e.count > 1 ? `${e.message} (${e.count} times)` : e.message,
    );
    if (this.#dropped > 0) out.push(`${this.#dropped} more warnings not shown`);
    return out;
  }
}

/** The known spellings of an enumeration: its values, in lower case, and aliases some reporters use. */
export type EnumLookup<T extends string> = ReadonlyMap<string, T>;

export function enumLookup<T extends string>(
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): EnumLookup<T> {
  return new Map<string, T>([...allowed.map((v) => [v, v] as const), ...Object.entries(aliases)]);
}

/** Normalises an enumerated value: trimmed, lower case; an unknown one becomes 'unknown' with a warning. */
export function normaliseEnum<T extends string>(
  raw: string,
  lookup: EnumLookup<T>,
  path: string,
  warnings: WarningLog,
): T | 'unknown' {
  const exact = lookup.get(raw);
  if (exact !== undefined) return exact;
  const value = raw.trim().toLowerCase();
  const known = lookup.get(value);
  if (known !== undefined) return known;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  warnings.add(`${path}: unknown value "${shown}" read as "unknown"`, `${path}\u0000${value}`);
  return 'unknown';
}

/** Domain names compare without case and without the root's trailing dot. */
export function normaliseDomain(raw: string): string {
  // Most names come lower case and bare: then nothing is allocated.
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 32 || (c >= 65 && c <= 90)) return raw.trim().toLowerCase().replace(/\.$/, '');
  }
  return raw.endsWith('.') ? raw.slice(0, -1) : raw;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A syntactic check of an IPv4 or IPv6 address (with an optional embedded IPv4 tail and zone). */
export function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!text.includes(':')) return false;
  const zone = text.indexOf('%');
  let s = zone === -1 ? text : text.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    // An embedded IPv4 address stands for the last two groups.
    if (!IPV4.test(s.slice(lastColon + 1))) return false;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const parts = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!parts.every((p) => /^[0-9a-f]{1,4}$/i.test(p))) return false;
  return halves.length === 2 ? parts.length < 8 : parts.length === 8;
}
