// EN / 日本語 switch: applies at once, is kept in this browser, and is saved to the profile when signed in.
import { SegmentedControl } from '@mantine/core';
import { api } from '../api/client.ts';
import type { SessionDto } from '../api/types.ts';
import { isLocale, useLocale, useT } from '../i18n/i18n.tsx';
import { useSession } from '../session/session.tsx';
import { notifyError } from './notify.tsx';

export function LanguageSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const [locale, setLocale] = useLocale();
  const { session, setSession } = useSession();
  const t = useT();

  const change = (value: string) => {
    if (!isLocale(value) || value === locale) return;
    setLocale(value);
    if (session?.stage === 'full' && session.user.locale !== value) {
      api
        .patch<SessionDto>('/me', { locale: value })
        .then(setSession)
        .catch((err: unknown) => notifyError(err));
    }
  };

  return (
    <SegmentedControl
      size={size}
      value={locale}
      onChange={change}
      data-testid="lang-switch"
      aria-label={t('language.label')}
      data={[
        { value: 'en', label: 'EN' },
        { value: 'ja', label: '日本語' },
      ]}
    />
  );
}
