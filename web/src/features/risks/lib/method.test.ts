import { describe, expect, it } from 'vitest';
import {
  addLevel,
  definitionOf,
  draftErrors,
  draftOf,
  levelOf,
  rankTone,
  removeLevel,
  resizeScale,
  templateMethod,
  type MethodDefinition,
} from './method.ts';
import { cellFilter, filtersOf, prefillOf, registerUrl } from './register.ts';

const method: MethodDefinition = {
  likelihood: [1, 2, 3].map((level) => ({ level, name: `L${level}`, criteria: '' })),
  impact: [1, 2, 3].map((level) => ({ level, name: `I${level}`, criteria: '' })),
  levels: [
    { name: 'High', rank: 3 },
    { name: 'Low', rank: 1 },
  ],
  matrix: [1, 2, 3].flatMap((l) =>
    [1, 2, 3].map((i) => ({ likelihood: l, impact: i, level: l * i >= 4 ? 'High' : 'Low' })),
  ),
  acceptanceThreshold: 'Low',
};

describe('the method draft', () => {
  it('round-trips a method, levels by rank and cells in likelihood, impact order', () => {
    const def = definitionOf(draftOf(method), 4);
    expect(def.version).toBe(4);
    expect(def.levels).toEqual([
      { name: 'Low', rank: 1 },
      { name: 'High', rank: 3 },
    ]);
    expect(def.matrix.map((c) => `${c.likelihood}${c.impact}${c.level[0]}`)).toEqual([
      '11L',
      '12L',
      '13L',
      '21L',
      '22H',
      '23H',
      '31L',
      '32H',
      '33H',
    ]);
    expect(def.acceptanceThreshold).toBe('Low');
  });

  it('follows a renamed level in the matrix and threshold', () => {
    const d = draftOf(method);
    const low = d.levels.find((l) => l.name === 'Low')!;
    const renamed = { ...d, levels: d.levels.map((l) => (l.key === low.key ? { ...l, name: 'Minor' } : l)) };
    const def = definitionOf(renamed, 1);
    expect(def.acceptanceThreshold).toBe('Minor');
    expect(def.matrix[0]!.level).toBe('Minor');
  });

  it('fills the cells of a larger scale and drops those of a smaller one', () => {
    const bigger = resizeScale(draftOf(method), 'impact', 5, (n) => ({ name: `I${n}`, criteria: '' }));
    expect(Object.keys(bigger.matrix)).toHaveLength(15);
    expect(definitionOf(bigger, 1).matrix.every((c) => c.level !== '')).toBe(true);
    const smaller = resizeScale(bigger, 'likelihood', 3, (n) => ({ name: `L${n}`, criteria: '' }));
    expect(Object.keys(smaller.matrix)).toHaveLength(15);
  });

  it('moves the cells of a removed level to the level below it', () => {
    const d = addLevel(draftOf(method), 'Extreme');
    const extreme = d.levels.find((l) => l.name === 'Extreme')!;
    const withCell = { ...d, matrix: { ...d.matrix, '3:3': extreme.key }, threshold: extreme.key };
    const def = definitionOf(removeLevel(withCell, extreme.key), 1);
    expect(def.levels.map((l) => l.name)).toEqual(['Low', 'High']);
    expect(def.matrix.find((c) => c.likelihood === 3 && c.impact === 3)!.level).toBe('High');
    expect(def.acceptanceThreshold).toBe('High');
  });

  it('maps the server field paths back onto the editor fields', () => {
    const d = draftOf(method);
    const errors = draftErrors(d, [
      { path: 'likelihood', message: 'must have 3 to 5 levels' },
      { path: 'impact.1.level', message: 'given twice' },
      { path: 'levels.1.rank', message: 'rank given twice' },
      { path: 'matrix.4.level', message: 'unknown level' },
      { path: 'acceptanceThreshold', message: 'unknown level' },
      { path: 'version', message: 'odd' },
    ]);
    expect(errors.fields.likelihood).toBe('must have 3 to 5 levels');
    expect(errors.fields['impact.1.name']).toBe('given twice');
    expect(errors.fields[`levels.${d.levels[1]!.key}.rank`]).toBe('rank given twice');
    expect(errors.fields['cell.2:2']).toBe('unknown level');
    expect(errors.fields.acceptanceThreshold).toBe('unknown level');
    expect(errors.other).toEqual([{ path: 'version', message: 'odd' }]);
  });

  it('starts from a 5 x 5 template accepting up to the second level', () => {
    const def = definitionOf(
      templateMethod({
        likelihood: ['a', 'b', 'c', 'd', 'e'],
        impact: ['a', 'b', 'c', 'd', 'e'],
        levels: ['Low', 'Medium', 'High', 'Critical'],
      }),
      0,
    );
    expect(def.matrix).toHaveLength(25);
    expect(def.acceptanceThreshold).toBe('Medium');
    expect(levelOf(def, 5, 5)?.name).toBe('Critical');
    expect(levelOf(def, 1, 1)?.name).toBe('Low');
  });
});

describe('rankTone', () => {
  it('spreads the ranks of a method from teal to red', () => {
    expect([1, 2, 3, 4].map((r) => rankTone(r, [1, 2, 3, 4]))).toEqual(['teal', 'yellow', 'orange', 'red']);
    expect(rankTone(10, [10, 20])).toBe('teal');
    expect(rankTone(20, [10, 20])).toBe('red');
    expect(rankTone(19, [10, 20])).toBe('red');
    expect(rankTone(5, [])).toBe('red');
  });
});

describe('register URLs', () => {
  it('links a heat-map cell into the register and reads it back', () => {
    const url = registerUrl({ companyId: 'c1', residualLikelihood: '3', residualImpact: '2' });
    expect(url).toBe('/risks?companyId=c1&residualLikelihood=3&residualImpact=2');
    const f = filtersOf(new URLSearchParams(url.split('?')[1]));
    expect(cellFilter(f)).toEqual({ side: 'residual', l: 3, i: 2 });
  });

  it('reads the prefill of a risk raised from another page', () => {
    const p = prefillOf(
      new URLSearchParams(
        'companyId=c1&assetId=a1&controlId=k1&controlId=k2&title=T&sourceKind=requirement&sourceRef=r1&sourceLabel=ISO%205.1',
      ),
    );
    expect(p).toEqual({
      companyId: 'c1',
      assetIds: ['a1'],
      controlIds: ['k1', 'k2'],
      title: 'T',
      source: { kind: 'requirement', ref: 'r1', label: 'ISO 5.1' },
    });
    expect(prefillOf(new URLSearchParams('sourceKind=bogus&sourceRef=x')).source).toBeNull();
  });
});
