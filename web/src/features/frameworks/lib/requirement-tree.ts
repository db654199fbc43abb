// Requirements arrive as a flat, depth-first list with parent ids; these pure helpers make the tree,
// search it (keeping the ancestors of each hit) and count what it holds.
import type { RequirementDto } from '../../../shared/api/types.ts';

export interface RequirementNode {
  requirement: RequirementDto;
  children: RequirementNode[];
}

/** Keeps the server's order (the catalog's). Orphans (parent missing) become roots. */
export function buildRequirementTree(items: readonly RequirementDto[]): RequirementNode[] {
  const nodes = new Map<string, RequirementNode>();
  for (const r of items) nodes.set(r.id, { requirement: r, children: [] });
  const roots: RequirementNode[] = [];
  for (const r of items) {
    const node = nodes.get(r.id)!;
    const parent = r.parentId && r.parentId !== r.id ? nodes.get(r.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export interface TreeSearch {
  /** Nodes to show: the hits and all their ancestors. */
  visible: Set<string>;
  /** Nodes that match the search themselves. */
  hits: Set<string>;
}

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

/** null when the search is empty (show everything). Matches the ref or the title, case-insensitively. */
export function searchTree(roots: readonly RequirementNode[], query: string): TreeSearch | null {
  const q = normalise(query.trim());
  if (!q) return null;
  const visible = new Set<string>();
  const hits = new Set<string>();
  const walk = (node: RequirementNode): boolean => {
    const r = node.requirement;
    const self = normalise(`${r.ref} ${r.title}`).includes(q);
    let below = false;
    for (const child of node.children) below = walk(child) || below;
    if (self) hits.add(r.id);
    if (self || below) visible.add(r.id);
    return self || below;
  };
  roots.forEach(walk);
  return { visible, hits };
}

/** Ids of the nodes that have children and lie above `depth`: the default "open" set. */
export function openToDepth(roots: readonly RequirementNode[], depth: number): Set<string> {
  const open = new Set<string>();
  const walk = (node: RequirementNode, d: number) => {
    if (node.children.length === 0 || d >= depth) return;
    open.add(node.requirement.id);
    node.children.forEach((c) => walk(c, d + 1));
  };
  roots.forEach((r) => walk(r, 0));
  return open;
}

export function allParents(roots: readonly RequirementNode[]): Set<string> {
  return openToDepth(roots, Number.POSITIVE_INFINITY);
}

export interface RequirementCounts {
  total: number;
  assessable: number;
  withdrawn: number;
  groups: number;
}

export function countRequirements(items: readonly RequirementDto[]): RequirementCounts {
  let assessable = 0;
  let withdrawn = 0;
  for (const r of items) {
    if (r.assessable) assessable += 1;
    if (r.withdrawn) withdrawn += 1;
  }
  return { total: items.length, assessable, withdrawn, groups: items.length - assessable };
}

/** Assessable requirements below a node, the node included. */
export function assessableBelow(node: RequirementNode): number {
  let n = node.requirement.assessable ? 1 : 0;
  for (const c of node.children) n += assessableBelow(c);
  return n;
}
