import { describe, expect, it } from 'vitest';
import { renderMail, renderTitle } from './messages.ts';

const params = {
  domain: 'shop.example',
  count: 2,
  messages: ['The DMARC policy went from p=reject to p=none'],
};

describe('notification words', () => {
  it('titles an email alert in English and Japanese', () => {
    expect(renderTitle('en', 'email_alert.scan', params)).toBe(
      'shop.example: sender authentication got weaker (findings: 2)',
    );
    expect(renderTitle('ja', 'email_alert.scan', params)).toBe(
      'shop.example：送信ドメイン認証の設定が後退しました（2 件）',
    );
    expect(renderTitle('ja', 'unknown.key', params)).toBe('unknown.key');
  });

  it('writes a mail with the findings, the link to the object and how to stop the mails', () => {
    const mail = renderMail(
      'en',
      { titleKey: 'email_alert.scan', params, severity: 'error', link: '/email/domains/d1' },
      'https://mamori.example',
    );
    expect(mail.subject).toBe('[Mamori] shop.example: sender authentication got weaker (findings: 2)');
    expect(mail.text).toContain('Severity: error');
    expect(mail.text).toContain('- The DMARC policy went from p=reject to p=none');
    expect(mail.text).toContain('Open in Mamori: https://mamori.example/email/domains/d1');
    expect(mail.text).toContain('https://mamori.example/profile');
    const ja = renderMail(
      'ja',
      { titleKey: 'email_alert.reports', params, severity: 'warning', link: null },
      'https://mamori.example',
    );
    expect(ja.subject).toBe('[Mamori] shop.example：DMARC レポートからアラートが上がりました（2 件）');
    expect(ja.text).toContain('重大度: 警告');
  });

  it('keeps the subject on one line whatever the parameters hold', () => {
    const mail = renderMail(
      'en',
      {
        titleKey: 'email_alert.scan',
        params: { domain: 'a\r\nBcc: x@evil.example', count: 1 },
        severity: 'error',
        link: null,
      },
      'https://m.example',
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
