// How a record of an aggregate report counts in the analysis: DMARC pass or fail; for DKIM and for SPF whether
// it was aligned, authenticated but not aligned (a legitimate source that needs fixing, or a forwarder), or
// failed; the disposition; and whether it looks forwarded.
import type { AggregateRecord } from './aggregate-model.ts';

export type Alignment = 'aligned' | 'unaligned' | 'fail';

export interface RecordClass {
  dmarc: 'pass' | 'fail';
  dkim: Alignment;
  spf: Alignment;
  disposition: 'none' | 'pass' | 'quarantine' | 'reject' | 'unknown';
  forwarded: boolean;
}

const FORWARDING_REASONS = new Set(['forwarded', 'trusted_forwarder', 'mailing_list']);

/** Relaxed alignment (RFC 7489 3.1): the same name, or one a subdomain of the other's organisational part. */
function relaxedAligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/**
 * The reporter's own verdicts (policy_evaluated) when it gave them; otherwise they are inferred from the
 * authentication results against the header From domain (relaxed alignment).
 */
export function classifyRecord(rec: AggregateRecord, policyDomain: string): RecordClass {
  const from = rec.identifiers.headerFrom ?? policyDomain;
  const dkimPass = rec.authResults.dkim.filter((d) => d.result === 'pass');
  const spfPass = rec.authResults.spf.filter((s) => s.result === 'pass' && s.scope !== 'helo');
  const side = (evaluated: string | null, passes: { domain: string }[]): Alignment => {
    if (evaluated === 'pass') return 'aligned';
    if (evaluated === null && passes.some((p) => relaxedAligned(p.domain, from))) return 'aligned';
    return passes.length > 0 ? 'unaligned' : 'fail';
  };
  const dkim = side(rec.policyEvaluated.dkim, dkimPass);
  const spf = side(rec.policyEvaluated.spf, spfPass);
  const forwarded =
    rec.policyEvaluated.reasons.some((r) => FORWARDING_REASONS.has(r.type)) ||
    (dkim === 'aligned' && spf !== 'aligned' && spfPass.length === 0);
  return {
    dmarc: dkim === 'aligned' || spf === 'aligned' ? 'pass' : 'fail',
    dkim,
    spf,
    disposition: rec.policyEvaluated.disposition ?? 'none',
    forwarded,
  };
}

/**
 * Whether a DKIM signature that passed was made by the domain's owner: signed by the inventory's domain or a
 * name under it (a source of ours that signs but is not aligned, e.g. a subdomain under adkim=s).
 */
export function signedByUs(rec: AggregateRecord, claimDomain: string | null): boolean {
  if (!claimDomain) return false;
  const ours = claimDomain.toLowerCase();
  return rec.authResults.dkim.some((d) => {
    if (d.result !== 'pass') return false;
    const name = d.domain.toLowerCase().replace(/\.$/, '');
    return name === ours || name.endsWith(`.${ours}`);
  });
}

/** The UTC day a report's messages are counted on: the middle of its period. */
export function reportDay(begin: number, end: number): string {
  const mid = end >= begin ? Math.floor((begin + end) / 2) : begin;
  return new Date(mid * 1000).toISOString().slice(0, 10);
}

/** The inventory names a policy domain may belong to: itself, then each parent with at least two labels. */
export function claimCandidates(domain: string): string[] {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}
