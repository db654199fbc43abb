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

/**
 * Why a verdict was given: a code and its figures for the screens to put in words in their language, and the
 * same in English for the API and the command line. Shares are per mille.
 */
export type ReadinessReason =
  | { code: 'published-reject'; params: Record<string, never>; message: string }
  | { code: 'no-record'; params: Record<string, never>; message: string }
  | { code: 'too-few-messages'; params: { messages: number; min: number }; message: string }
  | { code: 'too-much-failing'; params: { affected: number; limit: number }; message: string }
  | { code: 'affected'; params: { affected: number; forwardedFailing: number }; message: string };

export const READINESS_REASON_CODES = [
  'published-reject',
  'no-record',
  'too-few-messages',
  'too-much-failing',
  'affected',
] as const satisfies readonly ReadinessReason['code'][];

export interface Readiness {
  verdict: Verdict;
  /** Per mille of legitimate mail that fails DMARC and a stricter policy would hit. */
  affected: number;
  legitimate: number;
  reasons: ReadinessReason[];
}

const percent = (perMille: number) => (perMille / 10).toFixed(1);

/** At most this share (per mille) of legitimate mail may fail before tightening. */
export const AFFECTED_LIMIT = 5;
/** Fewer messages than this over the window say nothing. */
export const MIN_MESSAGES = 100;

export function readiness(input: ReadinessInput): Readiness {
  const legitimate = input.pass + input.failingOurs;
  const affected = legitimate > 0 ? Math.round((input.failingOurs * 1000) / legitimate) : 0;
  const out = (verdict: Verdict, reasons: ReadinessReason[]): Readiness => ({
    verdict,
    affected,
    legitimate,
    reasons,
  });
  if (input.policy === 'reject')
    return out('at-reject', [{ code: 'published-reject', params: {}, message: 'p=reject is published' }]);
  if (input.policy === 'missing' || input.policy === null)
    return out('no-record', [
      { code: 'no-record', params: {}, message: 'publish a DMARC record with p=none and rua= first' },
    ]);
  if (input.messages < MIN_MESSAGES)
    return out('no-data', [
      {
        code: 'too-few-messages',
        params: { messages: input.messages, min: MIN_MESSAGES },
        message: `only ${input.messages} messages reported in the window (at least ${MIN_MESSAGES} needed)`,
      },
    ]);
  if (affected > AFFECTED_LIMIT)
    return out('not-ready', [
      {
        code: 'too-much-failing',
        params: { affected, limit: AFFECTED_LIMIT },
        message: `${percent(affected)} % of legitimate mail fails DMARC (at most ${percent(AFFECTED_LIMIT)} %): align the failing sources of your own first`,
      },
    ]);
  const next = input.policy === 'none' ? 'ready-quarantine' : 'ready-reject';
  const forwarded = input.failingForwarded;
  return out(next, [
    {
      code: 'affected',
      params: { affected, forwardedFailing: forwarded },
      message: `${percent(affected)} % of legitimate mail would be affected${forwarded > 0 ? `; ${forwarded} forwarded messages fail and are not counted` : ''}`,
    },
  ]);
}
