import { describe, expect, it } from 'vitest';
import { parseMailDate } from './mail-date.ts';

describe('mail dates', () => {
  it('reads RFC 5322 dates with numeric and named zones, comments and obsolete years', () => {
    expect(parseMailDate('Thu, 8 Mar 2005 14:00:00 EDT')).toBe(1110304800);
    expect(parseMailDate('Wed, 14 Apr 2010 12:15:31 -0700 (PDT)')).toBe(1271272531);
    expect(parseMailDate('8 Oct 2011 20:15:58 +0000 (GMT)')).toBe(1318104958);
    expect(parseMailDate('Tue,  5 Oct 2021 17:37:02 +1300 (NZDT)')).toBe(1633408622);
    expect(parseMailDate('5 Oct 21 04:37 GMT')).toBe(1633408620);
    expect(parseMailDate('5 Oct 99 04:37:00 UT')).toBe(939098220);
    expect(parseMailDate('2021-10-05T04:37:02Z')).toBe(1633408622);
  });

  it('returns null for what is not a date', () => {
    expect(parseMailDate('yesterday')).toBeNull();
    expect(parseMailDate('32 Jan 2020 10:00:00 +0000')).toBeNull();
    expect(parseMailDate('1 Foo 2020 10:00:00 +0000')).toBeNull();
    expect(parseMailDate('1 Jan 2020 25:00:00 +0000')).toBeNull();
  });
});
