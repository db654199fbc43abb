import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { ja } from './ja.ts';

describe('i18n dictionaries', () => {
  it('en and ja have exactly the same keys', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });

  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('%s has no empty messages', (_locale, messages) => {
    const empty = Object.entries(messages).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('en and ja use the same {placeholders} in each message', () => {
    const vars = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = Object.keys(en).filter((key) => {
      const k = key as keyof typeof en;
      return JSON.stringify(vars(en[k])) !== JSON.stringify(vars(ja[k]));
    });
    expect(mismatched).toEqual([]);
  });

  it('uses the glossary terms in Japanese', () => {
    expect(ja['nav.audit']).toBe('監査証跡');
    expect(ja['mfa.title']).toBe('多要素認証');
    expect(ja['company.ciso']).toBe('CISO（最高情報セキュリティ責任者）');
    expect(ja['category.part_time_employee']).toBe('パート・アルバイト');
  });
});
