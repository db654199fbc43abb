// RFC 5322 date-time (with the obsolete forms: two-digit years, named zones, comments) to epoch seconds.
// Feedback reports write dates that way ("Thu, 8 Mar 2005 14:00:00 EDT"); JavaScript's Date.parse accepts
// them only by accident of the engine, so they are read here.

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** Zone names of RFC 5322 section 4.3, in minutes east of UTC. Military letters other than Z count as 0. */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

const DATE_TIME =
  /^(?:[a-z]{3},?\s*)?(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,5})?$/i;
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch seconds, or null when the text is not a date. */
export function parseMailDate(text: string): number | null {
  const s = text
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (ISO.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
  }
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const [, day, mon, yr, hh, mm, ss, zone] = m;
  const month = MONTHS[mon!.toLowerCase()];
  if (month === undefined) return null;
  let year = Number(yr);
  if (yr!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yr!.length === 3) year += 1900;
  let offset = 0;
  if (zone) {
    if (/^[+-]\d{4}$/.test(zone)) {
      const sign = zone[0] === '-' ? -1 : 1;
      offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    } else {
      offset = ZONES[zone.toLowerCase()] ?? 0;
    }
  }
  const hours = Number(hh);
  const minutes = Number(mm);
  const seconds = ss === undefined ? 0 : Number(ss);
  const date = Number(day);
  if (hours > 23 || minutes > 59 || seconds > 60 || date < 1 || date > 31) return null;
  const ms = Date.UTC(year, month, date, hours, minutes, seconds);
  return Math.floor(ms / 1000) - offset * 60;
}
