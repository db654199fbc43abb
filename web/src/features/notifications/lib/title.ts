// A notification's title in the UI language: its key names a message of the dictionaries, filled with its
// parameters (lists are left out; they are shown as the findings).
import type { MessageKey, Vars } from '../../../shared/i18n/i18n.tsx';

const KNOWN = new Set(['email_alert.scan', 'email_alert.reports']);

export function titleMessage(n: { titleKey: string; params: Record<string, string | number | string[]> }): {
  key: MessageKey;
  vars: Vars;
} {
  const vars: Vars = {};
  for (const [name, value] of Object.entries(n.params))
    if (typeof value === 'string' || typeof value === 'number') vars[name] = value;
  if (!KNOWN.has(n.titleKey)) return { key: 'notifications.title.unknown', vars: { key: n.titleKey } };
  return { key: `notifications.title.${n.titleKey}` as MessageKey, vars };
}

/** The findings listed under the title (the server keeps at most ten). */
export const findingsOf = (n: { params: Record<string, string | number | string[]> }): string[] => {
  const m = n.params.messages;
  return Array.isArray(m) ? m : [];
};

export const SEVERITY_COLOR: Record<string, string> = { error: 'red', warning: 'orange', info: 'blue' };
