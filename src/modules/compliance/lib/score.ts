// Compliance scoring: a requirement counts as met when it is applicable, implemented, and one of the applied
// controls that satisfy it has evidence valid today. Pure code: no I/O. Scores are integers (per mille).

export const IMPLEMENTATION_STATUSES = [
  'not_started',
  'planned',
  'partial',
  'implemented',
  'not_applicable',
] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** What the scores show for a requirement: its status, or why an implemented one does not count. */
export type EffectiveStatus = ImplementationStatus | 'evidence_expired' | 'no_evidence';

export type EvidenceState = 'valid' | 'expired' | 'none';

export interface EvidenceWindow {
  validFrom: string;
  validUntil: string | null;
}

/** Dates are ISO calendar dates (YYYY-MM-DD); an evidence is valid on the days from validFrom to validUntil. */
export function evidenceState(windows: readonly EvidenceWindow[], today: string): EvidenceState {
  if (windows.length === 0) return 'none';
  return windows.some((w) => w.validFrom <= today && (w.validUntil === null || w.validUntil >= today))
    ? 'valid'
    : 'expired';
}

export function effectiveStatus(
  entry: { applicable: boolean; status: ImplementationStatus },
  evidence: EvidenceState,
): EffectiveStatus {
  if (!entry.applicable || entry.status === 'not_applicable') return 'not_applicable';
  if (entry.status !== 'implemented') return entry.status;
  return evidence === 'valid' ? 'implemented' : evidence === 'expired' ? 'evidence_expired' : 'no_evidence';
}

export interface ScoreCounts {
  applicable: number;
  /** Marked implemented, with or without valid evidence. */
  implemented: number;
  /** Implemented with evidence valid today: what the score counts. */
  satisfied: number;
  evidenceExpired: number;
  /** satisfied / applicable, in per mille (0..1000); 0 when nothing is applicable. */
  score: number;
}

export function scoreOf(statuses: Iterable<EffectiveStatus>): ScoreCounts {
  let applicable = 0;
  let implemented = 0;
  let satisfied = 0;
  let evidenceExpired = 0;
  for (const s of statuses) {
    if (s === 'not_applicable') continue;
    applicable += 1;
    if (s === 'implemented' || s === 'evidence_expired' || s === 'no_evidence') implemented += 1;
    if (s === 'implemented') satisfied += 1;
    if (s === 'evidence_expired') evidenceExpired += 1;
  }
  return {
    applicable,
    implemented,
    satisfied,
    evidenceExpired,
    score: applicable === 0 ? 0 : Math.floor((satisfied * 1000) / applicable),
  };
}

/** Days from `today` to `until` (negative once past). */
export function daysUntil(until: string, today: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);
