import { describe, expect, it } from 'vitest';
import type { RequirementDto } from '../../../shared/api/types.ts';
import {
  allParents,
  assessableBelow,
  buildRequirementTree,
  countRequirements,
  openToDepth,
  searchTree,
} from './requirement-tree.ts';

const req = (
  id: string,
  parentId: string | null,
  ref: string,
  title: string,
  extra: Partial<RequirementDto> = {},
) =>
  ({
    id,
    parentId,
    ref,
    title,
    kind: 'control',
    class: null,
    depth: 0,
    assessable: false,
    withdrawn: false,
    ...extra,
  }) satisfies RequirementDto;

const ITEMS: RequirementDto[] = [
  req('a', null, 'A', 'Annex A'),
  req('a5', 'a', 'A.5', 'Organizational controls'),
  req('a51', 'a5', 'A.5.1', 'Policies for information security', { assessable: true }),
  req('a52', 'a5', 'A.5.2', 'Information security roles', { assessable: true, withdrawn: true }),
  req('a6', 'a', 'A.6', 'People controls'),
  req('a61', 'a6', 'A.6.1', 'Screening', { assessable: true }),
  req('x', 'missing', 'X.1', 'Orphan', { assessable: true }),
];

describe('requirement tree', () => {
  it('nests by parent id in the given order; orphans become roots', () => {
    const roots = buildRequirementTree(ITEMS);
    expect(roots.map((r) => r.requirement.ref)).toEqual(['A', 'X.1']);
    expect(roots[0]!.children.map((c) => c.requirement.ref)).toEqual(['A.5', 'A.6']);
    expect(roots[0]!.children[0]!.children.map((c) => c.requirement.ref)).toEqual(['A.5.1', 'A.5.2']);
  });

  it('searches ref and title, keeping ancestors visible', () => {
    const roots = buildRequirementTree(ITEMS);
    expect(searchTree(roots, '  ')).toBeNull();
    const s = searchTree(roots, 'screening')!;
    expect([...s.hits]).toEqual(['a61']);
    expect([...s.visible].sort()).toEqual(['a', 'a6', 'a61']);
    const byRef = searchTree(roots, 'a.5.')!;
    expect([...byRef.hits].sort()).toEqual(['a51', 'a52']);
  });

  it('matches full-width input the same as half-width', () => {
    const roots = buildRequirementTree(ITEMS);
    expect([...searchTree(roots, 'Ａ．６．１')!.hits]).toEqual(['a61']);
  });

  it('opens parents down to a depth', () => {
    const roots = buildRequirementTree(ITEMS);
    expect([...openToDepth(roots, 1)]).toEqual(['a']);
    expect([...allParents(roots)].sort()).toEqual(['a', 'a5', 'a6']);
  });

  it('counts', () => {
    expect(countRequirements(ITEMS)).toEqual({ total: 7, assessable: 4, withdrawn: 1, groups: 3 });
    expect(assessableBelow(buildRequirementTree(ITEMS)[0]!)).toBe(3);
  });
});
