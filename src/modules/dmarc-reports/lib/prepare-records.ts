// From parsed records to what the import stores: the rows of dmarc_records as one flat array of values, and
// the day's roll-up by source and class. Pure, so that it runs where the parsing runs: in the importing thread,
// or in a parser worker that hands the main thread only values to insert.
import { reportKey, type AggregateRecord, type AggregateReport } from './aggregate-model.ts';
import { encodeAuthResults } from './auth-column.ts';
import { claimCandidates, classifyRecord, reportDay, signedByUs, type RecordClass } from './classify.ts';

/** The columns of dmarc_records. */
export const RECORD_COLUMNS = [
  'report_id',
  'seq',
  'source_ip',
  'count',
  'disposition',
  'dkim',
  'spf',
  'header_from',
  'envelope_from',
  'envelope_to',
  'reasons',
  'auth',
] as const;

/**
 * The columns of PreparedBatch.values: all but report_id, the same for all of a report's rows, which the
 * repository binds once per statement (platform/db/bulk-insert.ts SharedColumn).
 */
export const RECORD_VALUE_COLUMNS = RECORD_COLUMNS.slice(1) as readonly Exclude<
  (typeof RECORD_COLUMNS)[number],
  'report_id'
>[];

/** The columns of dmarc_daily, in the order of Rollup.values; dmarc_daily_totals has them without source_ip. */
export const DAILY_COLUMNS = [
  'policy_domain',
  'day',
  'source_ip',
  'claim_domain',
  'dmarc',
  'dkim',
  'spf',
  'disposition',
  'forwarded',
  'ours',
  'messages',
] as const;
export const TOTAL_COLUMNS = DAILY_COLUMNS.filter((c) => c !== 'source_ip');

/**
 * Roll-up rows as one flat array of values (columns.length per row): what crosses from a parser thread to the
 * importing one and is inserted as it is, without an object per row on either side. The arrays that cross are
 * built by push, never pre-sized: V8 copies an array without holes between threads as a plain list of values,
 * and one created with holes (`new Array(n)`, however filled later) element by element with its index.
 */
export interface Rollup {
  values: (string | number | null)[];
  count: number;
}

/** A row of the daily roll-up (dmarc_daily): messages by source and class on one day. */
export interface DailyEntry {
  policy_domain: string;
  day: string;
  source_ip: string;
  claim_domain: string | null;
  dmarc: string;
  dkim: string;
  spf: string;
  disposition: string;
  forwarded: number;
  ours: number;
  messages: number;
}

/** An inventoried domain as an import sees it: its company and the ranges its SPF authorised at its last scan. */
export interface ClaimInfo {
  name: string;
  companyId: string;
  authorised: string[];
}

/**
 * The inventory when an import began, by domain name. Reports are claimed against it, in whichever thread
 * reads them; a domain added later claims its reports when the unclaimed list is next looked at.
 */
export type ClaimSnapshot = Readonly<Record<string, ClaimInfo>>;

/** The inventoried domain a report belongs to: the policy domain or its closest inventoried parent. */
export function claimIn(snapshot: ClaimSnapshot, policyDomain: string): ClaimInfo | null {
  for (const name of claimCandidates(policyDomain)) {
    const hit = Object.hasOwn(snapshot, name) ? snapshot[name] : undefined;
    if (hit) return hit;
  }
  return null;
}

/** The context of a report just opened: its claim, and what its records are prepared with. */
export function contextOf(
  report: AggregateReport,
  snapshot: ClaimSnapshot,
  reportId: string,
  suspectThreshold: number,
): { claim: ClaimInfo | null; ctx: PrepareContext } {
  const domain = reportKey(report).domain;
  const claim = claimIn(snapshot, domain);
  const { begin, end } = report.reporter.dateRange;
  return {
    claim,
    ctx: {
      reportId,
      policyDomain: domain,
      claimDomain: claim?.name ?? null,
      day: reportDay(begin, end),
      authorised: claim?.authorised ?? [],
      suspectThreshold,
    },
  };
}

/** What the preparation of a report needs to know that its file does not say. */
export interface PrepareContext {
  reportId: string;
  policyDomain: string;
  /** The inventory's domain the report counts for; null when no company has it. */
  claimDomain: string | null;
  /** The UTC day the report's messages count on. */
  day: string;
  /** The ranges the domain's SPF authorised when it was last scanned: a source inside them is ours. */
  authorised: string[];
  /** Failing messages from one unknown source in the report that make it a suspect. */
  suspectThreshold: number;
}

export interface PreparedBatch {
  /** `count` rows of RECORD_VALUE_COLUMNS.length values each (the report's id is not repeated in them). */
  values: (string | number | null)[];
  count: number;
  /**
   * dmarc_daily rows (DAILY_COLUMNS) handed over early, so that a report with very many sources is not held
   * whole; null when none are.
   */
  daily: Rollup | null;
}

export interface PreparedEnd {
  records: number;
  messages: number;
  /** The rest of the dmarc_daily rows (DAILY_COLUMNS). */
  daily: Rollup;
  /** The report's dmarc_daily_totals rows (TOTAL_COLUMNS): its messages by class, whatever the source. */
  totals: Rollup;
  /** Sources not ours that failed DMARC (not forwarded) with at least `threshold` messages in the report. */
  suspects: { ip: string; messages: number }[];
}

/** Roll-up rows held before they are handed over with a batch. */
const DAILY_HELD = 20_000;

/** The rows of a roll-up map, flattened in the order of `columns`. */
function flatten(rows: Iterable<DailyEntry>, count: number, columns: readonly (keyof DailyEntry)[]): Rollup {
  const values: (string | number | null)[] = [];
  for (const row of rows) for (const c of columns) values.push(row[c]);
  return { values, count };
}

/** Roll-up rows read back as objects (for tests and checks). */
export function rollupRows(r: Rollup, columns: readonly string[] = DAILY_COLUMNS): Record<string, unknown>[] {
  return Array.from({ length: r.count }, (_, i) =>
    Object.fromEntries(columns.map((c, k) => [c, r.values[i * columns.length + k]])),
  );
}

const ALIGNMENT_CODE = { aligned: 0, unaligned: 1, fail: 2 } as const;
const DISPOSITION_CODE = { none: 0, pass: 1, quarantine: 2, reject: 3, unknown: 4 } as const;

/** A record's class and flags as one small number: the key of its roll-up rows, cheaper than a string. */
const classCode = (c: RecordClass, forwarded: number, ours: number): number =>
  ((((c.dmarc === 'pass' ? 0 : 1) * 3 + ALIGNMENT_CODE[c.dkim]) * 3 + ALIGNMENT_CODE[c.spf]) * 5 +
    DISPOSITION_CODE[c.disposition]) *
    4 +
  forwarded * 2 +
  ours;

/** Prepares the records of one report, batch by batch, then its end. */
export class RecordPreparer {
  readonly #ctx: PrepareContext;
  readonly #isAuthorised: (ip: string) => boolean;
  /**
   * The day's rows by source, then by class (classCode). Kept until the report ends: its addresses are the
   * parser's strings of their own (`detached` in aggregate-parser.ts), not views of the report's text.
   */
  #daily = new Map<string, Map<number, DailyEntry>>();
  #dailyRows = 0;
  /** The report's messages by class over all sources (source_ip left empty). */
  readonly #totals = new Map<number, DailyEntry>();
  /** Failing messages by source that is not ours, over the whole report. */
  readonly #failing = new Map<string, number>();
  #seq = 0;
  #messages = 0;

  /** `isAuthorised` tells whether an address is inside `ctx.authorised`. */
  constructor(ctx: PrepareContext, isAuthorised: (ip: string) => boolean) {
    this.#ctx = ctx;
    this.#isAuthorised = ctx.authorised.length > 0 ? isAuthorised : () => false;
  }

  add(batch: readonly AggregateRecord[]): PreparedBatch {
    const { policyDomain, claimDomain } = this.#ctx;
    const isAuthorised = this.#isAuthorised;
    const values: (string | number | null)[] = [];
    for (const rec of batch) {
      const pe = rec.policyEvaluated;
      const id = rec.identifiers;
      values.push(
        this.#seq++,
        rec.sourceIp,
        rec.count,
        pe.disposition,
        pe.dkim,
        pe.spf,
        id.headerFrom,
        id.envelopeFrom,
        id.envelopeTo,
        pe.reasons.length > 0 ? JSON.stringify(pe.reasons) : null,
        encodeAuthResults(rec.authResults),
      );

      const c = classifyRecord(rec, policyDomain);
      const ours = signedByUs(rec, claimDomain) || isAuthorised(rec.sourceIp) ? 1 : 0;
      const forwarded = c.forwarded ? 1 : 0;
      const cls = classCode(c, forwarded, ours);
      let bySource = this.#daily.get(rec.sourceIp);
      if (!bySource) this.#daily.set(rec.sourceIp, (bySource = new Map()));
      const d = bySource.get(cls);
      if (d) d.messages += rec.count;
      else {
        bySource.set(cls, this.#entry(rec.sourceIp, c, forwarded, ours, rec.count));
        this.#dailyRows += 1;
      }
      const t = this.#totals.get(cls);
      if (t) t.messages += rec.count;
      else this.#totals.set(cls, this.#entry('', c, forwarded, ours, rec.count));
      if (c.dmarc === 'fail' && !ours && !forwarded) {
        this.#failing.set(rec.sourceIp, (this.#failing.get(rec.sourceIp) ?? 0) + rec.count);
      }
      this.#messages += rec.count;
    }
    return { values, count: batch.length, daily: this.#dailyRows >= DAILY_HELD ? this.#takeDaily() : null };
  }

  /** A new roll-up row of the report's domain and day. */
  #entry(sourceIp: string, c: RecordClass, forwarded: number, ours: number, messages: number): DailyEntry {
    const { policyDomain, claimDomain, day } = this.#ctx;
    return {
      policy_domain: policyDomain,
      day,
      source_ip: sourceIp,
      claim_domain: claimDomain,
      dmarc: c.dmarc,
      dkim: c.dkim,
      spf: c.spf,
      disposition: c.disposition,
      forwarded,
      ours,
      messages,
    };
  }

  #takeDaily(): Rollup {
    const entries = function* (daily: Map<string, Map<number, DailyEntry>>) {
      for (const bySource of daily.values()) yield* bySource.values();
    };
    const rows = flatten(entries(this.#daily), this.#dailyRows, DAILY_COLUMNS);
    this.#daily = new Map();
    this.#dailyRows = 0;
    return rows;
  }

  end(): PreparedEnd {
    const suspects: { ip: string; messages: number }[] = [];
    for (const [ip, messages] of this.#failing)
      if (messages >= this.#ctx.suspectThreshold) suspects.push({ ip, messages });
    return {
      records: this.#seq,
      messages: this.#messages,
      daily: this.#takeDaily(),
      totals: flatten(this.#totals.values(), this.#totals.size, TOTAL_COLUMNS),
      suspects,
    };
  }
}
