// RFC 7208's check_host() over the structure of the benchmark's generated records rather than over DNS: which term
// authorises which address is known by construction, so the result of a pair follows from counting lookups and void
// lookups in evaluation order. It is the benchmark's reference answer for every engine.

export type ModelResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror';
type Qualifier = '+' | '-' | '~' | '?';

export interface ModelTerm {
  /** Identifies the addresses the term authorises (see SpfPair generation); a term with no source matches nothing. */
  key: string;
  kind: 'ip' | 'include' | 'a' | 'mx' | 'exists' | 'ptr';
  q: Qualifier;
  /** The record's text of the term (without its qualifier). */
  text: string;
  /** include: the domain whose record is evaluated. */
  target?: string;
  /** A lookup that finds nothing for any address (a name that does not exist). */
  voidMiss?: boolean;
}

export interface ModelRecord {
  text: string;
  terms: ModelTerm[];
  all?: Qualifier;
  redirect?: string;
  /** An unparsable term: the record is a permerror. */
  broken?: string;
  /** A second v=spf1 record at the name: a permerror. */
  duplicate?: boolean;
}

const RESULT: Record<Qualifier, ModelResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

class PermError extends Error {}

/** The result for an address authorised by the term `source` (null: by none), checked at `domain`. */
export function evaluateModel(
  records: ReadonlyMap<string, ModelRecord>,
  domain: string,
  source: string | null,
): ModelResult {
  let lookups = 0;
  let voids = 0;
  const lookup = () => {
    if (++lookups > 10) throw new PermError();
  };
  const voidLookup = () => {
    if (++voids > 2) throw new PermError();
  };
  const check = (name: string): ModelResult => {
    const r = records.get(name);
    if (!r) return 'none';
    if (r.broken || r.duplicate) throw new PermError();
    for (const t of r.terms) {
      if (t.kind === 'ip') {
        if (t.key === source) return RESULT[t.q];
        continue;
      }
      lookup();
      if (t.kind === 'include') {
        const inner = check(t.target!);
        if (inner === 'none') throw new PermError();
        if (inner === 'pass') return RESULT[t.q];
        continue;
      }
      if (t.key === source) return RESULT[t.q];
      // exists and ptr find nothing for an address they do not authorise (no A record at the expanded name, no
      // PTR record); a and mx hosts have A and AAAA records, so only names that do not exist are void.
      if (t.voidMiss || t.kind === 'exists' || t.kind === 'ptr') voidLookup();
    }
    if (r.all) return RESULT[r.all];
    if (r.redirect) {
      lookup();
      const inner = check(r.redirect);
      if (inner === 'none') throw new PermError();
      return inner;
    }
    return 'neutral';
  };
  try {
    return check(domain);
  } catch (err) {
    if (err instanceof PermError) return 'permerror';
    throw err;
  }
}
