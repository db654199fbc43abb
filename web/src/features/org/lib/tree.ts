// Departments arrive as a flat list; these pure helpers build the tree and the indented picker labels.
import type { DepartmentDto } from '../../../shared/api/types.ts';

export interface DepartmentNode {
  department: DepartmentDto;
  children: DepartmentNode[];
}

const byName = (a: DepartmentNode, b: DepartmentNode) => a.department.name.localeCompare(b.department.name);

/** Roots are departments without a parent, or whose parent is missing from the list. Cycles are cut. */
export function buildTree(departments: readonly DepartmentDto[]): DepartmentNode[] {
  const nodes = new Map(departments.map((d) => [d.id, { department: d, children: [] as DepartmentNode[] }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.department.parentId ? nodes.get(node.department.parentId) : undefined;
    if (parent && !isAncestor(node, parent, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort(byName);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Is `node` an ancestor of `candidate` (so that attaching would make a cycle)? */
function isAncestor(
  node: DepartmentNode,
  candidate: DepartmentNode,
  nodes: Map<string, DepartmentNode>,
): boolean {
  const seen = new Set<string>();
  let current: DepartmentNode | undefined = candidate;
  while (current && !seen.has(current.department.id)) {
    if (current.department.id === node.department.id) return true;
    seen.add(current.department.id);
    current = current.department.parentId ? nodes.get(current.department.parentId) : undefined;
  }
  return false;
}

export interface FlatDepartment {
  id: string;
  depth: number;
  path: string;
  department: DepartmentDto;
}

/** Depth-first list with full paths ("Sales / Tokyo"), for selects. */
export function flattenTree(roots: readonly DepartmentNode[]): FlatDepartment[] {
  const out: FlatDepartment[] = [];
  const walk = (list: readonly DepartmentNode[], depth: number, prefix: string) => {
    for (const node of list) {
      const path = prefix ? `${prefix} / ${node.department.name}` : node.department.name;
      out.push({ id: node.department.id, depth, path, department: node.department });
      walk(node.children, depth + 1, path);
    }
  };
  walk(roots, 0, '');
  return out;
}

export function findNode(roots: readonly DepartmentNode[], id: string): DepartmentNode | undefined {
  for (const node of roots) {
    if (node.department.id === id) return node;
    const found = findNode(node.children, id);
    if (found) return found;
  }
  return undefined;
}

/** The ids of a node and all its descendants (a department cannot move under itself). */
export function subtreeIds(node: DepartmentNode): Set<string> {
  const ids = new Set<string>();
  const walk = (n: DepartmentNode) => {
    ids.add(n.department.id);
    n.children.forEach(walk);
  };
  walk(node);
  return ids;
}
