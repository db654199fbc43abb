// A field issue from the server (problem+json `errors`), and the reason of a conflict, in the UI language.
import type { FieldIssue, Problem } from '../api/client.ts';
import { isMessageKey, type TFunction, type Vars } from './i18n.tsx';

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

/**
 * Why a change conflicts with the data or is refused, in the UI language by the problem's code and `reason`
 * (`conflict.<reason>`, `forbidden.<reason>`), with the figures the problem gives beside it; null when the problem
 * has no reason known here (show its detail then).
 */
export function reasonText(problem: Problem, t: TFunction): string | null {
  const key = `${problem.code}.${problem.reason}`;
  if (!problem.reason || !isMessageKey(key)) return null;
  const figures = Object.fromEntries(
    Object.entries(problem).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
  ) as Vars;
  return t(key, figures);
}
