import { describe, expect, it } from 'vitest';
import { addDays, addYears, daysBetween, groupByMonth, localToday, urgencyOf } from './dates.ts';

describe('calendar days', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addYears('2026-11-27', 1)).toBe('2027-11-27');
  });

  it('counts whole days, negative into the past', () => {
    expect(daysBetween('2026-11-27', '2026-12-27')).toBe(30);
    expect(daysBetween('2026-11-27', '2026-11-20')).toBe(-7);
    expect(daysBetween('2026-11-27', '2026-11-27T10:00:00Z')).toBe(0);
  });

  it('formats the local date', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });

  it('groups consecutive items by month', () => {
    const groups = groupByMonth(['2026-11-01', '2026-11-30', '2026-12-02', '2027-01-01'], (d) => d);
    expect(groups).toEqual([
      { month: '2026-11', items: ['2026-11-01', '2026-11-30'] },
      { month: '2026-12', items: ['2026-12-02'] },
      { month: '2027-01', items: ['2027-01-01'] },
    ]);
  });

  it('rates urgency', () => {
    expect(urgencyOf(-1)).toBe('overdue');
    expect(urgencyOf(0)).toBe('soon');
    expect(urgencyOf(14)).toBe('soon');
    expect(urgencyOf(30)).toBe('upcoming');
    expect(urgencyOf(61)).toBe('later');
  });
});
