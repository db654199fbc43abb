// The risk method as the editor holds it, and the pure rules the screens share: levels of a score, the
// colour of a level by its rank, and the mapping of the server's field paths back to the editor's fields.
import type { RiskMethodDto, SetRiskMethodInput } from '../../../shared/api/types.ts';

export type Axis = 'likelihood' | 'impact';
export const MIN_SCALE = 3;
export const MAX_SCALE = 5;
export const MIN_LEVELS = 2;
export const MAX_LEVELS = 6;

export interface ScaleRow {
  name: string;
  criteria: string;
}
/** A risk level while edited: `key` stays when the name changes, so the matrix and threshold follow it. */
export interface LevelRow {
  key: string;
  name: string;
  rank: number;
}
export interface MethodDraft {
  likelihood: ScaleRow[];
  impact: ScaleRow[];
  levels: LevelRow[];
  /** `${likelihood}:${impact}` -> level key. */
  matrix: Record<string, string>;
  /** A level key. */
  threshold: string;
}

/** The method's definition, as the API sends it (any version). */
export type MethodDefinition = Pick<
  RiskMethodDto,
  'likelihood' | 'impact' | 'levels' | 'matrix' | 'acceptanceThreshold'
>;

export const cellKey = (likelihood: number, impact: number) => `${likelihood}:${impact}`;

let counter = 0;
const newKey = () => `level-${++counter}`;

export function draftOf(m: MethodDefinition): MethodDraft {
  const byLevel = (s: MethodDefinition['likelihood']) =>
    [...s].sort((a, b) => a.level - b.level).map((x) => ({ name: x.name, criteria: x.criteria }));
  const levels = [...m.levels]
    .sort((a, b) => a.rank - b.rank)
    .map((l) => ({ key: newKey(), name: l.name, rank: l.rank }));
  const keyOf = new Map(levels.map((l) => [l.name, l.key]));
  const matrix: Record<string, string> = {};
  for (const c of m.matrix) {
    const key = keyOf.get(c.level);
    if (key) matrix[cellKey(c.likelihood, c.impact)] = key;
  }
  return {
    likelihood: byLevel(m.likelihood),
    impact: byLevel(m.impact),
    levels,
    matrix,
    threshold: keyOf.get(m.acceptanceThreshold) ?? levels[0]?.key ?? '',
  };
}

/** The cells in the order they are sent: likelihood, then impact, ascending. */
export function cellOrder(d: Pick<MethodDraft, 'likelihood' | 'impact'>): string[] {
  const out: string[] = [];
  for (let l = 1; l <= d.likelihood.length; l++)
    for (let i = 1; i <= d.impact.length; i++) out.push(cellKey(l, i));
  return out;
}

export function definitionOf(d: MethodDraft, version: number): SetRiskMethodInput {
  const nameOf = new Map(d.levels.map((l) => [l.key, l.name.trim()]));
  const scale = (rows: ScaleRow[]) =>
    rows.map((r, i) => ({ level: i + 1, name: r.name.trim(), criteria: r.criteria.trim() }));
  return {
    version,
    likelihood: scale(d.likelihood),
    impact: scale(d.impact),
    levels: d.levels.map((l) => ({ name: l.name.trim(), rank: l.rank })),
    matrix: cellOrder(d).map((k) => {
      const [l, i] = k.split(':').map(Number) as [number, number];
      return { likelihood: l, impact: i, level: nameOf.get(d.matrix[k] ?? '') ?? '' };
    }),
    acceptanceThreshold: nameOf.get(d.threshold) ?? '',
  };
}

/**
 * The level a new cell gets: the one whose position among the levels matches how far the cell lies along
 * the diagonal, so that a resized matrix starts from a sensible gradient.
 */
export function suggestedLevel(levels: LevelRow[], l: number, i: number, nl: number, ni: number): string {
  if (levels.length === 0) return '';
  const sorted = [...levels].sort((a, b) => a.rank - b.rank);
  const score = (l * i - 1) / Math.max(1, nl * ni - 1);
  return sorted[Math.min(sorted.length - 1, Math.floor(score * sorted.length))]!.key;
}

/** The scale of `axis` with `n` levels: rows cut or added, matrix cells of new rows or columns filled. */
export function resizeScale(d: MethodDraft, axis: Axis, n: number, newRow: (level: number) => ScaleRow) {
  const rows = d[axis].slice(0, n);
  while (rows.length < n) rows.push(newRow(rows.length + 1));
  const next: MethodDraft = { ...d, [axis]: rows };
  return { ...next, matrix: fillMatrix(next) };
}

/** Cells of the current size only; missing ones get a suggested level, unknown levels too. */
export function fillMatrix(d: MethodDraft): Record<string, string> {
  const known = new Set(d.levels.map((l) => l.key));
  const out: Record<string, string> = {};
  const nl = d.likelihood.length;
  const ni = d.impact.length;
  for (let l = 1; l <= nl; l++)
    for (let i = 1; i <= ni; i++) {
      const k = cellKey(l, i);
      const cur = d.matrix[k];
      out[k] = cur && known.has(cur) ? cur : suggestedLevel(d.levels, l, i, nl, ni);
    }
  return out;
}

export function addLevel(d: MethodDraft, name: string): MethodDraft {
  const rank = Math.max(0, ...d.levels.map((l) => l.rank)) + 1;
  return { ...d, levels: [...d.levels, { key: newKey(), name, rank }] };
}

/** Removes a level; its cells and the threshold move to the nearest level below it (or above). */
export function removeLevel(d: MethodDraft, key: string): MethodDraft {
  const sorted = [...d.levels].sort((a, b) => a.rank - b.rank);
  const at = sorted.findIndex((l) => l.key === key);
  if (at < 0) return d;
  const heir = (sorted[at - 1] ?? sorted[at + 1])?.key ?? '';
  const matrix = Object.fromEntries(Object.entries(d.matrix).map(([k, v]) => [k, v === key ? heir : v]));
  return {
    ...d,
    levels: d.levels.filter((l) => l.key !== key),
    matrix,
    threshold: d.threshold === key ? heir : d.threshold,
  };
}

/** A first method to start from: 5 x 5, four levels by likelihood x impact, accepting up to "medium". */
export function templateMethod(names: {
  likelihood: string[];
  impact: string[];
  levels: [string, string, string, string];
}): MethodDraft {
  const levels = names.levels.map((name, i) => ({ key: newKey(), name, rank: i + 1 }));
  const matrix: Record<string, string> = {};
  for (let l = 1; l <= 5; l++)
    for (let i = 1; i <= 5; i++) {
      const s = l * i;
      matrix[cellKey(l, i)] = levels[s <= 4 ? 0 : s <= 9 ? 1 : s <= 16 ? 2 : 3]!.key;
    }
  return {
    likelihood: names.likelihood.map((name) => ({ name, criteria: '' })),
    impact: names.impact.map((name) => ({ name, criteria: '' })),
    levels,
    matrix,
    threshold: levels[1]!.key,
  };
}

export interface DraftErrors {
  /** Field errors by editor field: `likelihood`, `likelihood.0.name`, `levels.<key>.rank`, `cell.<l:i>`... */
  fields: Record<string, string>;
  /** Issues that name no field the editor shows. */
  other: { path: string; message: string }[];
}

/** The server's field paths (indexes into what was sent) mapped back onto the editor's fields. */
export function draftErrors(
  d: MethodDraft,
  issues: readonly { path: string; message: string }[],
): DraftErrors {
  const fields: Record<string, string> = {};
  const other: DraftErrors['other'] = [];
  const order = cellOrder(d);
  const add = (key: string, message: string) => {
    fields[key] = fields[key] ? `${fields[key]}; ${message}` : message;
  };
  for (const issue of issues) {
    const path = issue.path.replace(/^body\./, '');
    const parts = path.split('.');
    const [head, index, field] = parts;
    if ((head === 'likelihood' || head === 'impact') && index === undefined) add(head, issue.message);
    else if ((head === 'likelihood' || head === 'impact') && index !== undefined) {
      // The level number is implied by the row, so its issues belong to the row's name.
      add(`${head}.${index}.${field === 'criteria' ? 'criteria' : 'name'}`, issue.message);
    } else if (head === 'levels' && index === undefined) add('levels', issue.message);
    else if (head === 'levels' && index !== undefined) {
      const level = d.levels[Number(index)];
      if (level) add(`levels.${level.key}.${field === 'rank' ? 'rank' : 'name'}`, issue.message);
      else add('levels', issue.message);
    } else if (head === 'matrix' && index !== undefined && order[Number(index)]) {
      add(`cell.${order[Number(index)]}`, issue.message);
    } else if (head === 'matrix') add('matrix', issue.message);
    else if (head === 'acceptanceThreshold') add('acceptanceThreshold', issue.message);
    else other.push({ path, message: issue.message });
  }
  return { fields, other };
}

/** The level of a score under a method; undefined when the cell is not in its matrix. */
export function levelOf(
  m: Pick<MethodDefinition, 'matrix' | 'levels'>,
  likelihood: number,
  impact: number,
): { name: string; rank: number } | undefined {
  const cell = m.matrix.find((c) => c.likelihood === likelihood && c.impact === impact);
  return cell ? m.levels.find((l) => l.name === cell.level) : undefined;
}

export function thresholdRank(m: Pick<MethodDefinition, 'levels' | 'acceptanceThreshold'>): number {
  return m.levels.find((l) => l.name === m.acceptanceThreshold)?.rank ?? Number.NEGATIVE_INFINITY;
}

// Colours by the position of a rank among a method's ranks: from teal (lowest) to red (highest).
const TONES: Record<number, readonly string[]> = {
  1: ['red'],
  2: ['teal', 'red'],
  3: ['teal', 'yellow', 'red'],
  4: ['teal', 'yellow', 'orange', 'red'],
  5: ['teal', 'lime', 'yellow', 'orange', 'red'],
  6: ['teal', 'lime', 'yellow', 'orange', 'red', 'grape'],
};

/**
 * The Mantine colour of `rank` among `ranks` (the ranks of the method's levels). A rank not among them (an
 * older method version) takes the colour of the nearest one; without ranks, 1..5 are read as a 5-level scale.
 */
export function rankTone(rank: number, ranks: readonly number[]): string {
  const sorted = [...new Set(ranks)].sort((a, b) => a - b);
  if (sorted.length === 0) {
    const five = TONES[5]!;
    return five[Math.min(4, Math.max(0, rank - 1))]!;
  }
  const tones = TONES[Math.min(6, sorted.length)]!;
  let at = sorted.indexOf(rank);
  if (at < 0) {
    at = 0;
    for (let i = 0; i < sorted.length; i++)
      if (Math.abs(sorted[i]! - rank) < Math.abs(sorted[at]! - rank)) at = i;
  }
  const pos = sorted.length === 1 ? 0 : Math.round((at * (tones.length - 1)) / (sorted.length - 1));
  return tones[pos]!;
}
