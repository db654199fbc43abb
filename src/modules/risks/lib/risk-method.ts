// Pure rules of a risk method (ISO/IEC 27001 6.1.2): scales, the risk matrix and the acceptance threshold.
import type { FieldIssue } from '../../../platform/errors.ts';

export interface ScaleLevel {
  level: number;
  name: string;
  criteria: string;
}
export interface RiskLevel {
  name: string;
  /** Higher is worse; unique within a method. */
  rank: number;
}
export interface MatrixCell {
  likelihood: number;
  impact: number;
  level: string;
}
export interface RiskMethodDefinition {
  likelihood: ScaleLevel[];
  impact: ScaleLevel[];
  levels: RiskLevel[];
  matrix: MatrixCell[];
  acceptanceThreshold: string;
}
export type Issue = FieldIssue;

export const MIN_SCALE = 3;
export const MAX_SCALE = 5;
export const MIN_RISK_LEVELS = 2;
export const MAX_RISK_LEVELS = 6;

function checkScale(name: 'likelihood' | 'impact', scale: ScaleLevel[]): Issue[] {
  const issues: Issue[] = [];
  if (scale.length < MIN_SCALE || scale.length > MAX_SCALE)
    issues.push({
      path: name,
      message: `must have ${MIN_SCALE} to ${MAX_SCALE} levels`,
      code: 'count_range',
      params: { min: MIN_SCALE, max: MAX_SCALE },
    });
  const seen = new Set<number>();
  const names = new Set<string>();
  scale.forEach((s, i) => {
    if (seen.has(s.level))
      issues.push({
        path: `${name}.${i}.level`,
        message: `level ${s.level} is given twice`,
        code: 'duplicate',
        params: { value: s.level },
      });
    seen.add(s.level);
    const key = s.name.trim().toLowerCase();
    if (names.has(key))
      issues.push({
        path: `${name}.${i}.name`,
        message: `name ${s.name} is given twice`,
        code: 'duplicate',
        params: { value: s.name },
      });
    names.add(key);
  });
  for (let l = 1; l <= scale.length; l++) {
    if (!seen.has(l))
      issues.push({
        path: name,
        message: `levels must be numbered 1..${scale.length}: ${l} is missing`,
        code: 'level_missing',
        params: { level: l },
      });
  }
  scale.forEach((s, i) => {
    if (s.level < 1 || s.level > scale.length)
      issues.push({
        path: `${name}.${i}.level`,
        message: `must be between 1 and ${scale.length}`,
        code: 'out_of_range',
        params: { min: 1, max: scale.length },
      });
  });
  return issues;
}

/** Every problem of a method definition, with the path of the field at fault; empty when it is valid. */
export function validateMethod(m: RiskMethodDefinition): Issue[] {
  const issues: Issue[] = [...checkScale('likelihood', m.likelihood), ...checkScale('impact', m.impact)];
  if (m.levels.length < MIN_RISK_LEVELS || m.levels.length > MAX_RISK_LEVELS)
    issues.push({
      path: 'levels',
      message: `must have ${MIN_RISK_LEVELS} to ${MAX_RISK_LEVELS} risk levels`,
      code: 'count_range',
      params: { min: MIN_RISK_LEVELS, max: MAX_RISK_LEVELS },
    });
  const levelNames = new Set<string>();
  const ranks = new Set<number>();
  m.levels.forEach((l, i) => {
    if (levelNames.has(l.name))
      issues.push({
        path: `levels.${i}.name`,
        message: `name ${l.name} is given twice`,
        code: 'duplicate',
        params: { value: l.name },
      });
    levelNames.add(l.name);
    if (ranks.has(l.rank))
      issues.push({
        path: `levels.${i}.rank`,
        message: `rank ${l.rank} is given twice`,
        code: 'duplicate',
        params: { value: l.rank },
      });
    ranks.add(l.rank);
  });
  const nl = m.likelihood.length;
  const ni = m.impact.length;
  const cells = new Set<string>();
  m.matrix.forEach((c, i) => {
    if (c.likelihood < 1 || c.likelihood > nl)
      issues.push({
        path: `matrix.${i}.likelihood`,
        message: `must be between 1 and ${nl}`,
        code: 'out_of_range',
        params: { min: 1, max: nl },
      });
    if (c.impact < 1 || c.impact > ni)
      issues.push({
        path: `matrix.${i}.impact`,
        message: `must be between 1 and ${ni}`,
        code: 'out_of_range',
        params: { min: 1, max: ni },
      });
    if (!levelNames.has(c.level))
      issues.push({ path: `matrix.${i}.level`, message: `unknown risk level ${c.level}`, code: 'not_found' });
    const key = `${c.likelihood}:${c.impact}`;
    if (cells.has(key))
      issues.push({
        path: `matrix.${i}`,
        message: `cell ${key} is given twice`,
        code: 'duplicate',
        params: { value: key },
      });
    cells.add(key);
  });
  for (let l = 1; l <= nl; l++) {
    for (let i = 1; i <= ni; i++) {
      if (!cells.has(`${l}:${i}`))
        issues.push({
          path: 'matrix',
          message: `cell likelihood ${l} x impact ${i} is missing`,
          code: 'cell_missing',
          params: { likelihood: l, impact: i },
        });
    }
  }
  if (!levelNames.has(m.acceptanceThreshold))
    issues.push({
      path: 'acceptanceThreshold',
      message: `unknown risk level ${m.acceptanceThreshold}`,
      code: 'not_found',
    });
  return issues;
}

/** The problems of one (likelihood, impact) score under a method. */
export function validateScore(
  m: RiskMethodDefinition,
  path: string,
  likelihood: number,
  impact: number,
): Issue[] {
  const issues: Issue[] = [];
  if (!m.likelihood.some((s) => s.level === likelihood))
    issues.push({
      path: `${path}.likelihood`,
      message: `must be between 1 and ${m.likelihood.length}`,
      code: 'out_of_range',
      params: { min: 1, max: m.likelihood.length },
    });
  if (!m.impact.some((s) => s.level === impact))
    issues.push({
      path: `${path}.impact`,
      message: `must be between 1 and ${m.impact.length}`,
      code: 'out_of_range',
      params: { min: 1, max: m.impact.length },
    });
  return issues;
}

/** The risk level of a score by the method's matrix; undefined when the cell is not in it. */
export function levelOf(m: RiskMethodDefinition, likelihood: number, impact: number): RiskLevel | undefined {
  const cell = m.matrix.find((c) => c.likelihood === likelihood && c.impact === impact);
  return cell ? m.levels.find((l) => l.name === cell.level) : undefined;
}

/** The rank at and below which a residual risk may be accepted without a sign-off. */
export function thresholdRank(m: RiskMethodDefinition): number {
  return m.levels.find((l) => l.name === m.acceptanceThreshold)?.rank ?? Number.NEGATIVE_INFINITY;
}

export const aboveThreshold = (m: RiskMethodDefinition, rank: number): boolean => rank > thresholdRank(m);
