import { describe, expect, it } from 'vitest';
import { en } from '../../../shared/i18n/en.ts';
import { translate } from '../../../shared/i18n/i18n.tsx';
import { findingsOf, titleMessage } from './title.ts';

const n = {
  titleKey: 'email_alert.scan',
  params: { domain: 'shop.example', count: 2, messages: ['a', 'b'], codes: ['x'] },
};

describe('notification titles', () => {
  it('names a message of the dictionaries, filled with the words and numbers of the parameters', () => {
    const { key, vars } = titleMessage(n);
    expect(key in en).toBe(true);
    expect(vars).toEqual({ domain: 'shop.example', count: 2 });
    expect(translate('en', key, vars)).toBe('shop.example: sender authentication got weaker (findings: 2)');
    expect(translate('ja', key, vars)).toBe('shop.example：送信ドメイン認証の設定が後退しました（2 件）');
    expect(titleMessage({ ...n, titleKey: 'email_alert.reports' }).key in en).toBe(true);
  });

  it('shows an unknown key as such rather than failing', () => {
    const { key, vars } = titleMessage({ titleKey: 'future.kind', params: {} });
    expect(translate('en', key, vars)).toBe('Notification (future.kind)');
  });

  it('lists the findings', () => {
    expect(findingsOf(n)).toEqual(['a', 'b']);
    expect(findingsOf({ params: {} })).toEqual([]);
  });
});
