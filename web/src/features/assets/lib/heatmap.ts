// The confidentiality x integrity grid of the inventory summary. Pure: no DOM.

export interface MatrixCell {
  confidentiality: number;
  integrity: number;
  count: number;
}

export interface HeatmapGrid {
  /** Levels from high to low: rows are confidentiality, columns integrity (low to high). */
  levels: number;
  rows: { confidentiality: number; cells: { integrity: number; count: number; share: number }[] }[];
  max: number;
  total: number;
}

/** A square grid of at least `minLevels` (the default scale) and as many as the highest level counted. */
export function heatmapGrid(matrix: readonly MatrixCell[], minLevels = 3): HeatmapGrid {
  const levels = Math.max(minLevels, ...matrix.map((c) => Math.max(c.confidentiality, c.integrity)));
  const count = new Map(matrix.map((c) => [`${c.confidentiality}:${c.integrity}`, c.count]));
  const max = Math.max(0, ...matrix.map((c) => c.count));
  const total = matrix.reduce((n, c) => n + c.count, 0);
  const rows = Array.from({ length: levels }, (_, r) => {
    const confidentiality = levels - r;
    return {
      confidentiality,
      cells: Array.from({ length: levels }, (_, i) => {
        const n = count.get(`${confidentiality}:${i + 1}`) ?? 0;
        return { integrity: i + 1, count: n, share: max === 0 ? 0 : n / max };
      }),
    };
  });
  return { levels, rows, max, total };
}

/** Cell colour: from white to the theme's red as the share of the largest cell grows. */
export function heatColor(share: number): string {
  if (share <= 0) return 'var(--mantine-color-gray-0)';
  const alpha = 0.12 + share * 0.78;
  return `rgba(224, 49, 49, ${alpha.toFixed(2)})`;
}
