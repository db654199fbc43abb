import { describe, expect, it } from 'vitest';
import {
  NO_SCORE_COLOR,
  averageScore,
  countByStatus,
  formatPercent,
  scoreColor,
  scoreTone,
  textOn,
} from './score.ts';

describe('formatPercent', () => {
  it('turns per mille into a percentage', () => {
    expect(formatPercent(878)).toBe('88%');
    expect(formatPercent(878, 1)).toBe('87.8%');
    expect(formatPercent(1000, 1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });
});

describe('scoreColor', () => {
  it('is red at 0, green at 1000, and the stops in between', () => {
    expect(scoreColor(0)).toBe('#e03131');
    expect(scoreColor(1000)).toBe('#2f9e44');
    expect(scoreColor(600)).toBe('#fab005');
  });

  it('interpolates between stops and clamps out-of-range values', () => {
    expect(scoreColor(700)).toBe(
      `#${[Math.round((250 + 148) / 2), Math.round((176 + 216) / 2), Math.round((5 + 45) / 2)]
        .map((c) => c.toString(16).padStart(2, '0'))
        .join('')}`,
    );
    expect(scoreColor(-5)).toBe(scoreColor(0));
    expect(scoreColor(1200)).toBe(scoreColor(1000));
  });

  it('has a neutral colour for no score', () => {
    expect(scoreColor(null)).toBe(NO_SCORE_COLOR);
    expect(scoreColor(undefined)).toBe(NO_SCORE_COLOR);
  });

  it('gets better monotonically in the green channel up to lime', () => {
    const greens = [0, 200, 400, 600, 800].map((v) => parseInt(scoreColor(v).slice(3, 5), 16));
    expect([...greens].sort((a, b) => a - b)).toEqual(greens);
  });
});

describe('textOn', () => {
  it('uses white on dark red and dark text on yellow', () => {
    expect(textOn(scoreColor(0))).toBe('#ffffff');
    expect(textOn(scoreColor(600))).toBe('#212529');
    expect(textOn(NO_SCORE_COLOR)).toBe('#212529');
    expect(textOn('not a colour')).toBe('#212529');
  });
});

describe('scoreTone and averages', () => {
  it('bands scores', () => {
    expect(scoreTone(100)).toBe('red');
    expect(scoreTone(500)).toBe('orange');
    expect(scoreTone(700)).toBe('yellow');
    expect(scoreTone(850)).toBe('lime');
    expect(scoreTone(950)).toBe('teal');
  });

  it('averages and counts', () => {
    expect(averageScore([])).toBeNull();
    expect(averageScore([500, 1000])).toBe(750);
    const counts = countByStatus([
      { effectiveStatus: 'implemented' },
      { effectiveStatus: 'no_evidence' },
      { effectiveStatus: 'implemented' },
    ]);
    expect(counts.implemented).toBe(2);
    expect(counts.no_evidence).toBe(1);
    expect(counts.not_started).toBe(0);
  });
});
