// The words of notification mails and webhook titles in English and Japanese. The UI has the same titles in its
// own dictionaries (web/src/shared/i18n/notifications.ts); the stored notification keeps only the key and its
// parameters, so each reader gets it in their language.

export type Locale = 'en' | 'ja';
export type Params = Record<string, string | number | string[]>;

/** Titles by key (what `notifications.title_key` holds). */
const TITLES: Record<string, Record<Locale, string>> = {
  'email_alert.scan': {
    en: '{domain}: sender authentication got weaker (findings: {count})',
    ja: '{domain}：送信ドメイン認証の設定が後退しました（{count} 件）',
  },
  'email_alert.reports': {
    en: '{domain}: DMARC reports raised an alert (findings: {count})',
    ja: '{domain}：DMARC レポートからアラートが上がりました（{count} 件）',
  },
};

const WORDS: Record<string, Record<Locale, string>> = {
  severity: { en: 'Severity', ja: '重大度' },
  'severity.error': { en: 'error', ja: 'エラー' },
  'severity.warning': { en: 'warning', ja: '警告' },
  'severity.info': { en: 'information', ja: '情報' },
  findings: { en: 'Findings', ja: '検出内容' },
  open: { en: 'Open in Mamori', ja: 'Mamori で開く' },
  why: {
    en: 'You receive this mail because you are told of these events in Mamori and asked for mail too. Change it in your profile:',
    ja: 'Mamori でこの通知の対象となっており、メールでの受信を選択しているため、このメールをお送りしています。設定はプロフィールで変更できます：',
  },
};

export const isKnownTitle = (key: string): boolean => key in TITLES;

const fill = (text: string, params: Params) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || Array.isArray(v) ? whole : String(v);
  });

export function renderTitle(locale: Locale, key: string, params: Params): string {
  const text = TITLES[key]?.[locale] ?? TITLES[key]?.en ?? key;
  return fill(text, params);
}

/** The mail of one notification: subject and plain-text body. */
export function renderMail(
  locale: Locale,
  n: { titleKey: string; params: Params; severity: string; link: string | null },
  publicUrl: string,
): { subject: string; text: string } {
  const w = (k: string) => WORDS[k]?.[locale] ?? WORDS[k]?.en ?? k;
  const title = renderTitle(locale, n.titleKey, n.params);
  const messages = Array.isArray(n.params.messages) ? n.params.messages : [];
  const lines = [
    title,
    '',
    `${w('severity')}: ${w(`severity.${n.severity}`)}`,
    ...(messages.length > 0 ? ['', `${w('findings')}:`, ...messages.map((m) => `- ${m}`)] : []),
    ...(n.link ? ['', `${w('open')}: ${publicUrl}${n.link}`] : []),
    '',
    '--',
    `${w('why')} ${publicUrl}/profile`,
  ];
  // A subject is one header line whatever the parameters hold.
  return { subject: `[Mamori] ${title.replace(/[\r\n]+/g, ' ')}`, text: `${lines.join('\n')}\n` };
}
