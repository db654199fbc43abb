import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface CatalogNode {
  ref: string;
  title: string;
  kind: string;
  children?: CatalogNode[];
}

const catalog = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'pci-dss-4.0.json'), 'utf8')) as {
  ref: string;
  name: string;
  version: string;
  publisher: string;
  nodes: CatalogNode[];
};

const walk = (
  nodes: CatalogNode[],
  visit: (node: CatalogNode, parent?: CatalogNode) => void,
  parent?: CatalogNode,
) => {
  for (const node of nodes) {
    visit(node, parent);
    walk(node.children ?? [], visit, node);
  }
};
const all: CatalogNode[] = [];
walk(catalog.nodes, (node) => all.push(node));

const goals = catalog.nodes;
const requirements = goals.flatMap((g) => g.children ?? []);

describe('PCI DSS v4.0 catalog', () => {
  it('has its header', () => {
    expect(catalog).toMatchObject({
      ref: 'pci-dss-4.0',
      name: 'PCI DSS v4.0',
      version: '4.0',
      publisher: 'PCI Security Standards Council',
    });
  });

  it('has 6 goals holding the 12 principal requirements in order', () => {
    expect(goals.map((g) => [g.ref, g.kind])).toEqual(
      ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'].map((ref) => [ref, 'goal']),
    );
    expect(goals.map((g) => (g.children ?? []).map((r) => r.ref))).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
      ['7', '8', '9'],
      ['10', '11'],
      ['12'],
    ]);
    expect(requirements.map((r) => r.ref)).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    expect(requirements.every((r) => r.kind === 'requirement')).toBe(true);
  });

  it('has 63 sub-requirements, numbered contiguously within each principal requirement', () => {
    const subs = requirements.map((r) => r.children ?? []);
    expect(subs.map((s) => s.length)).toEqual([5, 3, 7, 2, 4, 5, 3, 6, 5, 7, 6, 10]);
    subs.forEach((s, i) => expect(s.map((n) => n.ref)).toEqual(s.map((_, j) => `${i + 1}.${j + 1}`)));
    expect(all.filter((n) => n.kind === 'sub-requirement')).toHaveLength(63);
  });

  it('has unique refs; every child ref is its parent ref + "." + the next number', () => {
    expect(new Set(all.map((n) => n.ref)).size).toBe(all.length);
    walk(catalog.nodes, (node, parent) => {
      if (parent && parent.kind !== 'goal')
        expect(node.ref.startsWith(`${parent.ref}.`), node.ref).toBe(true);
    });
    for (const node of all.filter((n) => n.kind !== 'goal' && n.children)) {
      const children = node.children!;
      expect(children.length, node.ref).toBeGreaterThan(0);
      expect(children.map((c) => c.ref)).toEqual(children.map((_, i) => `${node.ref}.${i + 1}`));
    }
  });

  it('has 250 numbered requirements (205 at x.y.z, 44 at x.y.z.n, 1 at x.y.z.n.m)', () => {
    const numbered = all.filter((n) => n.kind === 'numbered-requirement');
    expect(numbered).toHaveLength(250);
    const byDepth = Object.groupBy(numbered, (n) => n.ref.split('.').length);
    expect([byDepth[3]?.length, byDepth[4]?.length, byDepth[5]?.length]).toEqual([205, 44, 1]);
    const perRequirement = requirements.map(
      (r) => numbered.filter((n) => n.ref.startsWith(`${r.ref}.`)).length,
    );
    expect(perRequirement).toEqual([19, 11, 29, 6, 13, 19, 12, 29, 27, 27, 21, 37]);
    expect(all.find((n) => n.ref === '3.3.1')?.children?.map((n) => n.ref)).toEqual([
      '3.3.1.1',
      '3.3.1.2',
      '3.3.1.3',
    ]);
  });
});
