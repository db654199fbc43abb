// Calendar days in the UI language, formatted in UTC (the zone they are parsed in), so that a "2026-12-01"
// never shows as 30 November west of Greenwich.
import { useMemo } from 'react';
import { useLocale } from '../../../shared/i18n/i18n.tsx';

export function useFormatDay(): (day: string | null | undefined, style?: 'medium' | 'short') => string {
  const [locale] = useLocale();
  return useMemo(() => {
    const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
    const formats = {
      medium: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' }),
      short: new Intl.DateTimeFormat(tag, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
    };
    return (day, style = 'medium') => {
      if (!day) return '—';
      const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
      if (Number.isNaN(d.getTime())) return day;
      return formats[style].format(d);
    };
  }, [locale]);
}
