// A field issue from the server (problem+json `errors`) in the UI language.
import type { FieldIssue } from '../api/client.ts';
import { isMessageKey, type TFunction } from './i18n.tsx';

/** What is wrong with a field, in the UI language by its code; the server's English message for a code unknown here. */
export function issueText(issue: FieldIssue, t: TFunction): string {
  const params = issue.params ?? {};
  if (issue.code === 'too_short' && params.minimum === 1) return t('issue.required');
  // A variant by format, or one that names the value given.
  const specific =
    issue.code === 'invalid_format'
      ? `issue.invalid_format.${params.format}`
      : params.value !== undefined
        ? `issue.${issue.code}.value`
        : '';
  if (isMessageKey(specific)) return t(specific, params);
  const key = `issue.${issue.code}`;
  return issue.code && isMessageKey(key) ? t(key, params) : issue.message;
}
