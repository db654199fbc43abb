// NIST OSCAL catalog model (JSON): validation with hard limits, flattening to requirement rows, and rebuilding.
// Pure code: no I/O.
import { z } from 'zod';

export const MAX_OSCAL_BYTES = 50 * 1024 * 1024;
export const MAX_OSCAL_DEPTH = 64;

export class OscalError extends Error {
  readonly where: string;
  /** Every problem found, each with its own place in the document (the first is `where`). */
  readonly issues: { where: string; message: string }[];
  constructor(where: string, message: string, issues?: { where: string; message: string }[]) {
    super(`${where}: ${message}`);
    this.name = 'OscalError';
    this.where = where;
    this.issues = issues ?? [{ where, message }];
  }
}

const Token = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be an OSCAL token (letters, digits, _ . -)');

const Prop = z.looseObject({ name: z.string().min(1), value: z.string() });
const Link = z.looseObject({ href: z.string().min(1) });

type PartT = { name: string; id?: string; prose?: string; parts?: PartT[]; [k: string]: unknown };
const Part: z.ZodType<PartT> = z.lazy(() =>
  z.looseObject({
    id: Token.optional(),
    name: z.string().min(1),
    prose: z.string().optional(),
    props: z.array(Prop).optional(),
    links: z.array(Link).optional(),
    parts: z.array(Part).optional(),
  }),
) as z.ZodType<PartT>;

const Param = z.looseObject({ id: Token });

export type OscalControl = {
  id: string;
  title: string;
  class?: string;
  params?: unknown[];
  props?: { name: string; value: string }[];
  links?: unknown[];
  parts?: PartT[];
  controls?: OscalControl[];
};
const Control: z.ZodType<OscalControl> = z.lazy(() =>
  z.strictObject({
    id: Token,
    class: z.string().optional(),
    title: z.string().min(1),
    params: z.array(Param).optional(),
    props: z.array(Prop).optional(),
    links: z.array(Link).optional(),
    parts: z.array(Part).optional(),
    controls: z.array(Control).optional(),
  }),
) as z.ZodType<OscalControl>;

export type OscalGroup = Omit<OscalControl, 'id' | 'controls'> & {
  id?: string;
  groups?: OscalGroup[];
  controls?: OscalControl[];
};
const Group: z.ZodType<OscalGroup> = z.lazy(() =>
  z.strictObject({
    id: Token.optional(),
    class: z.string().optional(),
    title: z.string().min(1),
    params: z.array(Param).optional(),
    props: z.array(Prop).optional(),
    links: z.array(Link).optional(),
    parts: z.array(Part).optional(),
    groups: z.array(Group).optional(),
    controls: z.array(Control).optional(),
  }),
) as z.ZodType<OscalGroup>;

const Metadata = z.looseObject({
  title: z.string().min(1),
  'last-modified': z.string().min(1),
  version: z.string().min(1),
  'oscal-version': z.string().min(1),
});

export const OscalCatalogDocumentSchema = z.strictObject({
  catalog: z.strictObject({
    uuid: z
      .string()
      .regex(
        /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
        'must be a UUID',
      ),
    metadata: Metadata,
    params: z.array(Param).optional(),
    controls: z.array(Control).optional(),
    groups: z.array(Group).optional(),
    'back-matter': z.looseObject({}).optional(),
  }),
});
export type OscalCatalogDocument = z.infer<typeof OscalCatalogDocumentSchema>;

/** Refuses nesting deeper than `limit` before JSON.parse sees it (a 50 MB `[[[[…` must not blow the stack). */
export function assertJsonDepth(text: string, limit = MAX_OSCAL_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      depth++;
      if (depth > limit)
        throw new OscalError(
          `byte ${i}`,
          `the JSON nests deeper than ${limit} levels; an OSCAL catalog never does`,
        );
    } else if (c === 125 || c === 93) depth--;
  }
}

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`), '$');

/** Parses and validates an OSCAL catalog document; every problem names where in the document it is. */
export function parseOscalCatalog(text: string): OscalCatalogDocument {
  if (text.length > MAX_OSCAL_BYTES)
    throw new OscalError('$', `the file is larger than ${MAX_OSCAL_BYTES / 1024 / 1024} MB`);
  assertJsonDepth(text);
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new OscalError('$', `not JSON: ${(err as Error).message}`);
  }
  if (typeof raw === 'object' && raw !== null && !('catalog' in raw)) {
    const kind = Object.keys(raw)[0];
    throw new OscalError(
      '$',
      kind ? `this is an OSCAL "${kind}", not a catalog` : 'expected an object with a "catalog"',
    );
  }
  const parsed = OscalCatalogDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${pathOf(i.path)}: ${i.message}`);
    throw new OscalError(
      pathOf(parsed.error.issues[0]!.path),
      `does not match the OSCAL catalog model (${first.join('; ')})`,
    );
  }
  assertUniqueIds(parsed.data);
  return parsed.data;
}

function assertUniqueIds(doc: OscalCatalogDocument): void {
  const seen = new Map<string, string>();
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, `${where}[${i}]`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const rec = node as Record<string, unknown>;
    if (typeof rec.id === 'string' && (where.endsWith(']') || where === '$.catalog')) {
      const first = seen.get(rec.id);
      if (first) throw new OscalError(where, `duplicated id "${rec.id}" (first used at ${first})`);
      seen.set(rec.id, where);
    }
    for (const key of ['groups', 'controls', 'parts', 'params'])
      if (key in rec) visit(rec[key], `${where}.${key}`);
  };
  visit(doc.catalog, '$.catalog');
}

export interface CatalogNode {
  /** Position in depth-first order; parents come before their children. */
  index: number;
  parentIndex: number | null;
  kind: 'group' | 'control';
  ref: string;
  title: string;
  class: string | null;
  withdrawn: boolean;
  depth: number;
  /** The node's own OSCAL JSON without its child groups and controls. */
  data: string;
}

const isWithdrawn = (props: { name: string; value: string }[] | undefined) =>
  (props ?? []).some((p) => p.name === 'status' && (p.value === 'withdrawn' || p.value === 'Withdrawn'));

/** Flattens a catalog into rows in document order, and returns the document's own fields without its tree. */
export function flattenCatalog(doc: OscalCatalogDocument): { head: string; nodes: CatalogNode[] } {
  const nodes: CatalogNode[] = [];
  const add = (
    node: OscalGroup | OscalControl,
    kind: 'group' | 'control',
    parentIndex: number | null,
    depth: number,
    fallbackRef: string,
  ) => {
    const { controls, ...own } = node as OscalControl & { groups?: OscalGroup[] };
    const groups = (node as OscalGroup).groups;
    delete (own as { groups?: unknown }).groups;
    const index = nodes.length;
    nodes.push({
      index,
      parentIndex,
      kind,
      ref: node.id ?? fallbackRef,
      title: node.title,
      class: node.class ?? null,
      withdrawn: isWithdrawn(node.props),
      depth,
      data: JSON.stringify(own),
    });
    (groups ?? []).forEach((g, i) => add(g, 'group', index, depth + 1, `${fallbackRef}.g${i + 1}`));
    (controls ?? []).forEach((c, i) => add(c, 'control', index, depth + 1, `${fallbackRef}.c${i + 1}`));
  };
  const { groups, controls, ...catalogOwn } = doc.catalog;
  (groups ?? []).forEach((g, i) => add(g, 'group', null, 0, `group-${i + 1}`));
  (controls ?? []).forEach((c, i) => add(c, 'control', null, 0, `control-${i + 1}`));
  return { head: JSON.stringify(catalogOwn), nodes };
}

/** Rebuilds the catalog document from its head and its rows (in document order). */
export function rebuildCatalog(
  head: string,
  nodes: Pick<CatalogNode, 'index' | 'parentIndex' | 'kind' | 'data'>[],
): OscalCatalogDocument {
  const catalog = JSON.parse(head) as Record<string, unknown>;
  const built = new Map<number, Record<string, unknown>>();
  const appendTo = (
    parent: Record<string, unknown>,
    kind: 'group' | 'control',
    child: Record<string, unknown>,
  ) => {
    const key = kind === 'group' ? 'groups' : 'controls';
    ((parent[key] ??= []) as unknown[]).push(child);
  };
  const order: Record<string, unknown>[] = [];
  for (const n of nodes) {
    const obj = JSON.parse(n.data) as Record<string, unknown>;
    built.set(n.index, obj);
    order.push(obj);
    appendTo(n.parentIndex === null ? catalog : built.get(n.parentIndex)!, n.kind, obj);
  }
  // OSCAL lists `groups` and `controls` after a node's own fields; keep back-matter last in the catalog.
  const { 'back-matter': backMatter, ...rest } = catalog;
  return {
    catalog: { ...rest, ...(backMatter !== undefined ? { 'back-matter': backMatter } : {}) },
  } as OscalCatalogDocument;
}
