// Whether a domain can move its DMARC policy one step towards p=reject: how much of its legitimate mail (mail
// that passes, plus failing mail from sources of its own) would a stricter policy hit.
export type Stage = 'missing' | 'none' | 'quarantine' | 'reject';
export type Verdict =
  'no-data' | 'not-ready' | 'ready-quarantine' | 'ready-reject' | 'at-reject' | 'no-record';

export interface ReadinessInput {
  /** The policy the domain publishes now (its last posture scan). */
  policy: Stage | null;
  messages: number;
  pass: number;
  /** Failing mail from sources of the domain's own (authorised in SPF, or signed by it but unaligned). */
  failingOurs: number;
  /** Failing mail that looks forwarded: not counted against the domain. */
  failingForwarded: number;
}

export interface Readiness {
  verdict: Verdict;
  /** Per mille of legitimate mail that fails DMARC and a stricter policy would hit. */
  affected: number;
  legitimate: number;
  reasons: string[];
}

/** At most this share (per mille) of legitimate mail may fail before tightening. */
export const AFFECTED_LIMIT = 5;
/** Fewer messages than this over the window say nothing. */
export const MIN_MESSAGES = 100;

export function readiness(input: ReadinessInput): Readiness {
  const legitimate = input.pass + input.failingOurs;
  const affected = legitimate > 0 ? Math.round((input.failingOurs * 1000) / legitimate) : 0;
  const out = (verdict: Verdict, reasons: string[]): Readiness => ({
    verdict,
    affected,
    legitimate,
    reasons,
  });
  if (input.policy === 'reject') return out('at-reject', ['p=reject is published']);
  if (input.policy === 'missing' || input.policy === null)
    return out('no-record', ['publish a DMARC record with p=none and rua= first']);
  if (input.messages < MIN_MESSAGES)
    return out('no-data', [
      `only ${input.messages} messages reported in the window (at least ${MIN_MESSAGES} needed)`,
    ]);
  if (affected > AFFECTED_LIMIT)
    return out('not-ready', [
      `${(affected / 10).toFixed(1)} % of legitimate mail fails DMARC (at most ${(AFFECTED_LIMIT / 10).toFixed(1)} %): align the failing sources of your own first`,
    ]);
  const next = input.policy === 'none' ? 'ready-quarantine' : 'ready-reject';
  return out(next, [
    `${(affected / 10).toFixed(1)} % of legitimate mail would be affected${input.failingForwarded > 0 ? `; ${input.failingForwarded} forwarded messages fail and are not counted` : ''}`,
  ]);
}
