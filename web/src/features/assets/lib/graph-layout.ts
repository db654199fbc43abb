// Radial layout of the graph around one asset: the asset in the centre, each further hop on a wider ring,
// each node turned towards the neighbours it hangs from so that edges cross little. Pure: no DOM.

export interface LayoutNode {
  id: string;
  distance: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Point {
  x: number;
  y: number;
}
export interface Layout {
  positions: Map<string, Point>;
  /** Half the side of the square the drawing fits in, centred on the root at (0, 0). */
  extent: number;
}

const TAU = Math.PI * 2;

/** Circular mean of angles; undefined for none. */
export function meanAngle(angles: number[]): number | undefined {
  if (angles.length === 0) return undefined;
  let x = 0;
  let y = 0;
  for (const a of angles) {
    x += Math.cos(a);
    y += Math.sin(a);
  }
  if (Math.abs(x) < 1e-9 && Math.abs(y) < 1e-9) return angles[0];
  return Math.atan2(y, x);
}

const norm = (a: number) => ((a % TAU) + TAU) % TAU;

export function radialLayout(
  rootId: string,
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  opts: { ringGap?: number; minSpacing?: number } = {},
): Layout {
  const ringGap = opts.ringGap ?? 170;
  const minSpacing = opts.minSpacing ?? 120;
  const positions = new Map<string, Point>([[rootId, { x: 0, y: 0 }]]);
  const angle = new Map<string, number>([[rootId, 0]]);
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const rings = new Map<number, LayoutNode[]>();
  for (const n of nodes) {
    if (n.id === rootId) continue;
    const d = Math.max(1, n.distance);
    rings.set(d, [...(rings.get(d) ?? []), n]);
  }
  let radius = 0;
  let extent = minSpacing / 2;
  for (const d of [...rings.keys()].sort((a, b) => a - b)) {
    const ring = rings.get(d)!;
    // Wide enough for its nodes, and at least one gap outside the ring before it.
    radius = Math.max(radius + ringGap, (ring.length * minSpacing) / TAU);
    const preferred = ring.map((n, i) => {
      const inner = (neighbours.get(n.id) ?? []).filter((m) => angle.has(m) && m !== rootId);
      const a = meanAngle(inner.map((m) => angle.get(m)!));
      return { n, want: a === undefined ? (i / ring.length) * TAU : norm(a), tie: n.id };
    });
    preferred.sort((a, b) => a.want - b.want || (a.tie < b.tie ? -1 : 1));
    const step = TAU / ring.length;
    const minGap = minSpacing / radius;
    let angles: number[];
    if (d === 1 || ring.length * minGap >= TAU * 0.9) {
      // The first ring, or a full one: evenly round the circle (the first starting at the top).
      const offset = d === 1 ? -Math.PI / 2 : (meanAngle(preferred.map((p, i) => p.want - i * step)) ?? 0);
      angles = preferred.map((_, i) => offset + i * step);
    } else {
      // Outer rings: each node near the neighbours it hangs from, pushed apart just enough not to overlap,
      // and the pushed group turned back so that it stays centred on where its nodes want to be.
      angles = preferred.map((p) => p.want);
      for (let i = 1; i < angles.length; i++) angles[i] = Math.max(angles[i]!, angles[i - 1]! + minGap);
      const wrap = angles[0]! + TAU - angles[angles.length - 1]!;
      if (angles.length > 1 && wrap < minGap) angles = angles.map((_, i) => angles[0]! + i * step);
      else {
        const drift = angles.reduce((sum, a, i) => sum + a - preferred[i]!.want, 0) / angles.length;
        angles = angles.map((a) => a - drift);
      }
    }
    preferred.forEach((p, i) => {
      const a = norm(angles[i]!);
      angle.set(p.n.id, a);
      positions.set(p.n.id, { x: Math.round(radius * Math.cos(a)), y: Math.round(radius * Math.sin(a)) });
    });
    extent = radius + minSpacing / 2;
  }
  return { positions, extent };
}

/** Where an edge between two circles of radius r starts and ends, so that its arrow head stays visible. */
export function edgeEnds(a: Point, b: Point, r: number): { from: Point; to: Point } | null {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  if (len <= 2 * r) return null;
  const ux = dx / len;
  const uy = dy / len;
  return {
    from: { x: a.x + ux * r, y: a.y + uy * r },
    to: { x: b.x - ux * (r + 4), y: b.y - uy * (r + 4) },
  };
}

/** A label cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
