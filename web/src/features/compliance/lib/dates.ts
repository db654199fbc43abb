// Calendar days (YYYY-MM-DD) as the API sends them: arithmetic in UTC so time zones never shift a day.

const DAY_MS = 86_400_000;
const parse = (day: string) => Date.parse(`${day.slice(0, 10)}T00:00:00Z`);

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(day: string, days: number): string {
  return new Date(parse(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to) - parse(from)) / DAY_MS);
}

export function addYears(day: string, years: number): string {
  const d = new Date(parse(day));
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** "2026-11" for grouping by month. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** Consecutive runs of items by month, in the order given (sort first). */
export function groupByMonth<T>(
  items: readonly T[],
  dayOf: (item: T) => string,
): { month: string; items: T[] }[] {
  const out: { month: string; items: T[] }[] = [];
  for (const item of items) {
    const month = monthOf(dayOf(item));
    const last = out[out.length - 1];
    if (last && last.month === month) last.items.push(item);
    else out.push({ month, items: [item] });
  }
  return out;
}

export type Urgency = 'overdue' | 'soon' | 'upcoming' | 'later';

/** How pressing a date is: past, within `soonDays`, within `upcomingDays`, or later. */
export function urgencyOf(daysLeft: number, soonDays = 14, upcomingDays = 60): Urgency {
  if (daysLeft < 0) return 'overdue';
  if (daysLeft <= soonDays) return 'soon';
  if (daysLeft <= upcomingDays) return 'upcoming';
  return 'later';
}

export const URGENCY_COLOR: Record<Urgency, string> = {
  overdue: 'red',
  soon: 'orange',
  upcoming: 'yellow',
  later: 'gray',
};
