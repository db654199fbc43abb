import { describe, expect, it } from 'vitest';
import { edgeEnds, meanAngle, radialLayout, shorten } from './graph-layout.ts';

describe('radialLayout', () => {
  it('puts the root in the centre and each hop on a wider ring', () => {
    const { positions, extent } = radialLayout(
      'r',
      [
        { id: 'r', distance: 0 },
        { id: 'a', distance: 1 },
        { id: 'b', distance: 1 },
        { id: 'c', distance: 2 },
      ],
      [
        { from: 'r', to: 'a' },
        { from: 'r', to: 'b' },
        { from: 'a', to: 'c' },
      ],
    );
    expect(positions.get('r')).toEqual({ x: 0, y: 0 });
    const dist = (id: string) => Math.hypot(positions.get(id)!.x, positions.get(id)!.y);
    expect(dist('a')).toBeCloseTo(dist('b'), 0);
    expect(dist('c')).toBeGreaterThan(dist('a') + 100);
    expect(extent).toBeGreaterThan(dist('c'));
  });

  it('turns an outer node towards the inner node it hangs from', () => {
    const nodes = [
      { id: 'r', distance: 0 },
      ...['a', 'b', 'c', 'd'].map((id) => ({ id, distance: 1 })),
      { id: 'x', distance: 2 },
    ];
    const { positions } = radialLayout('r', nodes, [
      ...['a', 'b', 'c', 'd'].map((id) => ({ from: 'r', to: id })),
      { from: 'x', to: 'c' },
    ]);
    const angleOf = (id: string) => Math.atan2(positions.get(id)!.y, positions.get(id)!.x);
    const gap = Math.abs(angleOf('x') - angleOf('c'));
    expect(Math.min(gap, 2 * Math.PI - gap)).toBeLessThan(0.05);
  });

  it('keeps the children of one node together near it, apart from each other', () => {
    const nodes = [
      { id: 'r', distance: 0 },
      ...['a', 'b', 'c'].map((id) => ({ id, distance: 1 })),
      ...['x', 'y'].map((id) => ({ id, distance: 2 })),
    ];
    const { positions } = radialLayout('r', nodes, [
      ...['a', 'b', 'c'].map((id) => ({ from: 'r', to: id })),
      { from: 'x', to: 'b' },
      { from: 'y', to: 'b' },
    ]);
    const angleOf = (id: string) => Math.atan2(positions.get(id)!.y, positions.get(id)!.x);
    const apart = (p: string, q: string) => {
      const d = Math.abs(angleOf(p) - angleOf(q));
      return Math.min(d, 2 * Math.PI - d);
    };
    expect(apart('x', 'b')).toBeLessThan(0.4);
    expect(apart('y', 'b')).toBeLessThan(0.4);
    const [px, py] = [positions.get('x')!, positions.get('y')!];
    expect(Math.hypot(px.x - py.x, px.y - py.y)).toBeGreaterThan(110);
  });

  it('widens a crowded ring so that nodes keep their spacing', () => {
    const nodes = [
      { id: 'r', distance: 0 },
      ...Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, distance: 1 })),
    ];
    const { positions } = radialLayout('r', nodes, [], { minSpacing: 100 });
    const p0 = positions.get('n0')!;
    const p1 = [...positions.values()].filter((p) => p !== p0 && (p.x !== 0 || p.y !== 0));
    const nearest = Math.min(...p1.map((p) => Math.hypot(p.x - p0.x, p.y - p0.y)));
    expect(nearest).toBeGreaterThan(95);
  });

  it('lays out a lone root', () => {
    const { positions } = radialLayout('r', [{ id: 'r', distance: 0 }], []);
    expect([...positions.keys()]).toEqual(['r']);
  });
});

describe('helpers', () => {
  it('averages angles on the circle', () => {
    expect(meanAngle([])).toBeUndefined();
    expect(meanAngle([0.1, -0.1])).toBeCloseTo(0);
    expect(Math.abs(meanAngle([Math.PI - 0.1, -Math.PI + 0.1])!)).toBeCloseTo(Math.PI);
  });

  it('stops edges at the rim of the circles', () => {
    const e = edgeEnds({ x: 0, y: 0 }, { x: 100, y: 0 }, 20)!;
    expect(e.from).toEqual({ x: 20, y: 0 });
    expect(e.to).toEqual({ x: 76, y: 0 });
    expect(edgeEnds({ x: 0, y: 0 }, { x: 30, y: 0 }, 20)).toBeNull();
  });

  it('shortens long labels', () => {
    expect(shorten('Card member database', 10)).toBe('Card memb…');
    expect(shorten('Short', 10)).toBe('Short');
  });
});
