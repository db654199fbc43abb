// Built-in catalogs (data files in ../catalogs) as requirement rows, and any framework's rows as an OSCAL catalog.
// Pure code: no I/O.
import { createHash } from 'node:crypto';
import type { CatalogNode, OscalCatalogDocument } from './oscal.ts';

export interface CatalogFileNode {
  ref: string;
  title: string;
  kind: string;
  children?: CatalogFileNode[];
  [extra: string]: unknown;
}

export interface CatalogFile {
  ref: string;
  name: string;
  version: string;
  publisher: string;
  nodes: CatalogFileNode[];
}

export interface RequirementNode {
  index: number;
  parentIndex: number | null;
  ref: string;
  title: string;
  kind: string;
  class: string | null;
  depth: number;
  assessable: boolean;
  withdrawn: boolean;
  oscalJson: string | null;
}

/** Depth-first rows of a built-in catalog: its leaves are what a Statement of Applicability assesses. */
export function catalogFileRows(file: CatalogFile): RequirementNode[] {
  const rows: RequirementNode[] = [];
  const seen = new Set<string>();
  const add = (n: CatalogFileNode, parentIndex: number | null, depth: number) => {
    if (seen.has(n.ref)) throw new Error(`catalog ${file.ref}: duplicated ref ${n.ref}`);
    seen.add(n.ref);
    const index = rows.length;
    const leaf = !n.children || n.children.length === 0;
    rows.push({
      index,
      parentIndex,
      ref: n.ref,
      title: n.title,
      kind: n.kind,
      class: null,
      depth,
      assessable: leaf,
      withdrawn: false,
      oscalJson: null,
    });
    for (const c of n.children ?? []) add(c, index, depth + 1);
  };
  for (const n of file.nodes) add(n, null, 0);
  return rows;
}

/** Rows of an imported OSCAL catalog: every control and enhancement is assessable, withdrawn ones included. */
export function oscalRows(nodes: CatalogNode[]): RequirementNode[] {
  return nodes.map((n) => ({
    index: n.index,
    parentIndex: n.parentIndex,
    ref: n.ref,
    title: n.title,
    kind: n.kind,
    class: n.class,
    depth: n.depth,
    assessable: n.kind === 'control',
    withdrawn: n.withdrawn,
    oscalJson: n.data,
  }));
}

export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A stable UUID (version 5 layout) for a built-in catalog, so its OSCAL export keeps one identity. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`mamori:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const token = (ref: string) => ref.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^([^A-Za-z_])/, 'x$1');

/** An OSCAL catalog for a framework that was not imported from OSCAL: inner nodes become groups, leaves controls. */
export function toOscal(
  framework: { ref: string; name: string; edition: string; updatedAt: string },
  rows: Pick<RequirementNode, 'index' | 'parentIndex' | 'ref' | 'title' | 'kind' | 'assessable'>[],
): OscalCatalogDocument {
  type Node = {
    id: string;
    class: string;
    title: string;
    props: { name: string; value: string }[];
    groups?: Node[];
    controls?: Node[];
  };
  const built = new Map<number, Node>();
  const top: { groups: Node[]; controls: Node[] } = { groups: [], controls: [] };
  for (const r of rows) {
    const node: Node = {
      id: token(r.ref),
      class: r.kind,
      title: r.title,
      props: [{ name: 'label', value: r.ref }],
    };
    built.set(r.index, node);
    const parent = r.parentIndex === null ? top : built.get(r.parentIndex)!;
    const key = r.assessable ? 'controls' : 'groups';
    ((parent as { groups?: Node[]; controls?: Node[] })[key] ??= []).push(node);
  }
  return {
    catalog: {
      uuid: stableUuid(framework.ref),
      metadata: {
        title: framework.name,
        'last-modified': framework.updatedAt,
        version: framework.edition,
        'oscal-version': '1.1.2',
      },
      ...(top.groups.length ? { groups: top.groups } : {}),
      ...(top.controls.length ? { controls: top.controls } : {}),
    },
  } as OscalCatalogDocument;
}
