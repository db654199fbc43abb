// The UI's two languages: a typed dictionary per language, the current locale, and `useT()`.
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.ts';
import { ja } from './ja.ts';

export type Locale = 'en' | 'ja';
export const LOCALES: readonly Locale[] = ['en', 'ja'];
export type { MessageKey };
export type Vars = Record<string, string | number>;
export type TFunction = (key: MessageKey, vars?: Vars) => string;

const DICTIONARIES = { en, ja } as const;
const STORAGE_KEY = 'mamori.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'ja';
}

/** Whether a key built at run time (such as `issue.${code}`) is one of the dictionary's. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const text: string = DICTIONARIES[locale][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage may be unavailable (private mode): fall through
  }
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; the choice still applies to this tab
    }
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

function useI18n(): I18nValue {
  const value = use(I18nContext);
  if (!value) throw new Error('useT() needs an <I18nProvider> above it');
  return value;
}

export const useT = (): TFunction => useI18n().t;

export function useLocale(): [Locale, (locale: Locale) => void] {
  const { locale, setLocale } = useI18n();
  return [locale, setLocale];
}

/** Date and time in the UI language, in the browser's time zone. */
export function useFormatDate(): (iso: string | null | undefined, withTime?: boolean) => string {
  const [locale] = useLocale();
  return useMemo(() => {
    const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const dateOnly = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
    return (iso, withTime = true) => {
      if (!iso) return '—';
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return iso;
      return (withTime ? dateTime : dateOnly).format(d);
    };
  }, [locale]);
}
