import { describe, expect, it } from 'vitest';
import { heatColor, heatmapGrid } from './heatmap.ts';

describe('heatmapGrid', () => {
  it('lays confidentiality from high to low and integrity from low to high, with empty cells', () => {
    const g = heatmapGrid([
      { confidentiality: 3, integrity: 1, count: 4 },
      { confidentiality: 1, integrity: 3, count: 2 },
    ]);
    expect(g.levels).toBe(3);
    expect(g.rows.map((r) => r.confidentiality)).toEqual([3, 2, 1]);
    expect(g.rows[0]!.cells.map((c) => c.count)).toEqual([4, 0, 0]);
    expect(g.rows[2]!.cells.map((c) => c.count)).toEqual([0, 0, 2]);
    expect(g.rows[0]!.cells[0]!.share).toBe(1);
    expect(g.total).toBe(6);
  });

  it('grows to a 4-level scale when a level 4 is counted', () => {
    expect(heatmapGrid([{ confidentiality: 4, integrity: 2, count: 1 }]).levels).toBe(4);
    expect(heatmapGrid([]).levels).toBe(3);
  });

  it('colours empty cells neutral and fuller cells stronger', () => {
    expect(heatColor(0)).toContain('gray');
    expect(heatColor(1)).toBe('rgba(224, 49, 49, 0.90)');
  });
});
