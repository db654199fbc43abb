import { describe, expect, it } from 'vitest';
import type { DepartmentDto } from '../../../shared/api/types.ts';
import { buildTree, flattenTree } from './tree.ts';

const dept = (id: string, name: string, parentId: string | null = null): DepartmentDto => ({
  id,
  companyId: 'c',
  parentId,
  name,
  code: id.toUpperCase(),
  version: 1,
  createdAt: '',
  updatedAt: '',
});

describe('department tree', () => {
  it('nests children under parents, sorted by name', () => {
    const tree = buildTree([
      dept('b', 'Sales'),
      dept('a', 'Admin'),
      dept('t', 'Tokyo', 'b'),
      dept('o', 'Osaka', 'b'),
    ]);
    expect(tree.map((n) => n.department.name)).toEqual(['Admin', 'Sales']);
    expect(tree[1]?.children.map((n) => n.department.name)).toEqual(['Osaka', 'Tokyo']);
  });

  it('gives full paths for pickers', () => {
    const flat = flattenTree(buildTree([dept('b', 'Sales'), dept('t', 'Tokyo', 'b')]));
    expect(flat.map((f) => [f.path, f.depth])).toEqual([
      ['Sales', 0],
      ['Sales / Tokyo', 1],
    ]);
  });

  it('survives a missing parent and a cycle', () => {
    const tree = buildTree([dept('x', 'Orphan', 'missing'), dept('p', 'P', 'q'), dept('q', 'Q', 'p')]);
    const flat = flattenTree(tree);
    expect(flat).toHaveLength(3);
  });
});
