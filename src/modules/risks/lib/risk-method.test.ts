import { describe, expect, it } from 'vitest';
import {
  aboveThreshold,
  levelOf,
  validateMethod,
  validateScore,
  type RiskMethodDefinition,
} from './risk-method.ts';

const scale = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ level: i + 1, name: `L${i + 1}`, criteria: `criteria ${i + 1}` }));

function method(nl = 3, ni = 3): RiskMethodDefinition {
  const matrix = [];
  for (let l = 1; l <= nl; l++)
    for (let i = 1; i <= ni; i++)
      matrix.push({ likelihood: l, impact: i, level: l * i >= 6 ? 'high' : l * i >= 3 ? 'medium' : 'low' });
  return {
    likelihood: scale(nl),
    impact: scale(ni),
    levels: [
      { name: 'low', rank: 1 },
      { name: 'medium', rank: 2 },
      { name: 'high', rank: 3 },
    ],
    matrix,
    acceptanceThreshold: 'medium',
  };
}

describe('risk method', () => {
  it('accepts a complete 3x3 and 5x4 method', () => {
    expect(validateMethod(method())).toEqual([]);
    expect(validateMethod(method(5, 4))).toEqual([]);
  });

  it('refuses wrong sizes, gaps and duplicates in scales', () => {
    const m = method();
    m.likelihood = [scale(3)[0]!, scale(3)[0]!, { level: 4, name: 'L4', criteria: '' }];
    const paths = validateMethod(m).map((i) => i.path);
    expect(paths).toContain('likelihood.1.level');
    expect(paths).toContain('likelihood.1.name');
    expect(paths).toContain('likelihood');
    expect(paths).toContain('likelihood.2.level');
    const small = method();
    small.impact = scale(2);
    expect(validateMethod(small).map((i) => i.path)).toContain('impact');
    const big = method();
    big.impact = scale(6);
    expect(validateMethod(big).some((i) => i.path === 'impact' && /3 to 5/.test(i.message))).toBe(true);
  });

  it('refuses matrix cells outside the scales, missing or duplicated cells, unknown levels and thresholds', () => {
    const m = method();
    m.matrix[0] = { likelihood: 4, impact: 1, level: 'low' };
    m.matrix[1] = { ...m.matrix[2]!, level: 'extreme' };
    m.acceptanceThreshold = 'none';
    m.levels.push({ name: 'low', rank: 3 });
    const paths = validateMethod(m).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'matrix.0.likelihood',
        'matrix.1.level',
        'matrix.2',
        'matrix',
        'acceptanceThreshold',
        'levels.3.name',
        'levels.3.rank',
      ]),
    );
  });

  it('looks the level of a score up in the matrix and compares it with the threshold', () => {
    const m = method();
    expect(levelOf(m, 1, 1)).toEqual({ name: 'low', rank: 1 });
    expect(levelOf(m, 3, 2)).toEqual({ name: 'high', rank: 3 });
    expect(levelOf(m, 4, 1)).toBeUndefined();
    expect(aboveThreshold(m, 2)).toBe(false);
    expect(aboveThreshold(m, 3)).toBe(true);
    expect(validateScore(m, 'inherent', 3, 3)).toEqual([]);
    expect(validateScore(m, 'residual', 0, 4).map((i) => i.path)).toEqual([
      'residual.likelihood',
      'residual.impact',
    ]);
  });
});
