// Pure helpers for showing scores: per mille to %, a red-to-green colour scale, and status colours.
import type { EffectiveStatus } from '../../../shared/api/types.ts';

/** 878 -> "87.8%"; `digits` 0 -> "88%". Scores are integers per mille. */
export function formatPercent(perMille: number, digits = 0): string {
  const pct = perMille / 10;
  return `${digits === 0 ? Math.round(pct) : pct.toFixed(digits).replace(/\.0+$/, '')}%`;
}

type Rgb = [number, number, number];
/** Stops of the scale, per mille -> colour: red, orange, yellow, lime, green. */
export const SCALE_STOPS: readonly [number, Rgb][] = [
  [0, [224, 49, 49]],
  [350, [247, 103, 7]],
  [600, [250, 176, 5]],
  [800, [148, 216, 45]],
  [1000, [47, 158, 68]],
];
export const NO_SCORE_COLOR = '#f1f3f5';

const hex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The colour of a score; `NO_SCORE_COLOR` when nothing is applicable (no score to show). */
export function scoreColor(perMille: number | null | undefined): string {
  if (perMille === null || perMille === undefined || Number.isNaN(perMille)) return NO_SCORE_COLOR;
  const v = Math.min(1000, Math.max(0, perMille));
  for (let i = 1; i < SCALE_STOPS.length; i += 1) {
    const [hiAt, hi] = SCALE_STOPS[i]!;
    const [loAt, lo] = SCALE_STOPS[i - 1]!;
    if (v <= hiAt) {
      const f = (v - loAt) / (hiAt - loAt);
      return hex([lo[0] + (hi[0] - lo[0]) * f, lo[1] + (hi[1] - lo[1]) * f, lo[2] + (hi[2] - lo[2]) * f]);
    }
  }
  return hex(SCALE_STOPS[SCALE_STOPS.length - 1]![1]);
}

/** Dark or white text, whichever reads better on `background` (#rrggbb). */
export function textOn(background: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (!m) return '#212529';
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((x) => parseInt(x, 16) / 255) as [number, number, number];
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.4 ? '#212529' : '#ffffff';
}

/** A Mantine colour name for a score, for rings and bars. */
export function scoreTone(perMille: number): 'red' | 'orange' | 'yellow' | 'lime' | 'teal' {
  if (perMille < 350) return 'red';
  if (perMille < 600) return 'orange';
  if (perMille < 800) return 'yellow';
  if (perMille < 900) return 'lime';
  return 'teal';
}

export const EFFECTIVE_STATUS_COLOR: Record<EffectiveStatus, string> = {
  implemented: 'teal',
  partial: 'yellow',
  planned: 'blue',
  not_started: 'gray',
  not_applicable: 'dark',
  evidence_expired: 'red',
  no_evidence: 'orange',
};

/** The order statuses are listed and stacked in. */
export const EFFECTIVE_STATUS_ORDER: readonly EffectiveStatus[] = [
  'implemented',
  'evidence_expired',
  'no_evidence',
  'partial',
  'planned',
  'not_started',
  'not_applicable',
];

export function countByStatus(
  items: readonly { effectiveStatus: EffectiveStatus }[],
): Record<EffectiveStatus, number> {
  const counts = Object.fromEntries(EFFECTIVE_STATUS_ORDER.map((s) => [s, 0])) as Record<
    EffectiveStatus,
    number
  >;
  for (const i of items) counts[i.effectiveStatus] += 1;
  return counts;
}

/** Mean of the scores, or null for none. */
export function averageScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return Math.round(scores.reduce((a, b) => a + b, 0) / scores.length);
}
