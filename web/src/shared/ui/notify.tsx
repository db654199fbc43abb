// Success and failure notices for mutations: a failure says what went wrong, worded in the UI language from the codes
// the server gives (field issues, the reason of a conflict or a refusal), else in the server's words.
import { List, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/client.ts';
import { useT, type TFunction } from '../i18n/i18n.tsx';
import { issueText, reasonText } from '../i18n/issue-text.ts';

/** Text put in words at each render: a notice on screen follows a language switch. */
function LiveText({ render }: { render: (t: TFunction) => string }) {
  return render(useT());
}

/** A success notice; given as a function of `t`, it follows a language switch while it is shown. */
export function notifySuccess(message: string | ((t: TFunction) => string)): void {
  notifications.show({
    color: 'teal',
    message: typeof message === 'string' ? message : <LiveText render={message} />,
    autoClose: 4000,
    withBorder: true,
  });
}

/** A readable message for an error, in the UI language where the code is known. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.code === 'stale_version') return t('error.staleVersion');
    // Each field says what is wrong with it, in the UI language.
    const coded = (err.problem.errors ?? []).some((i) => i.code);
    if (err.code === 'validation_failed' && coded) return t('error.validation');
    if (err.code === 'conflict' && coded) return t('error.taken');
    const reason = reasonText(err.problem, t);
    if (reason) return reason;
    if (err.code === 'network_error') return t('error.network');
    if (err.status === 403 && err.code === 'forbidden' && !err.problem.detail) return t('error.forbidden');
    if (err.code === 'rate_limited') return t('error.rateLimited');
    return err.problem.detail || err.problem.title;
  }
  if (err instanceof Error) return err.message;
  return t('error.unexpected');
}

/** The error's message and field issues; in the current UI language unless given `t`. */
export function ProblemDetails({ error, t: given }: { error: unknown; t?: TFunction }) {
  const current = useT();
  const t = given ?? current;
  const issues = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <>
      <Text size="sm">{errorMessage(error, t)}</Text>
      {issues.length > 0 && (
        <List size="sm" mt={4} spacing={2}>
          {issues.map((issue, i) => (
            <List.Item key={i}>
              <Text span ff="monospace" size="xs">
                {issue.path}
              </Text>
              : {issueText(issue, t)}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}

/**
 * The problem's field issues keyed by field name ("body.shortCode" -> "shortCode"), in the UI language, for
 * inputs' `error`.
 */
export function fieldErrors(err: unknown, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const issue of err.problem.errors ?? []) {
    const key = issue.path.replace(/^(body|querystring|params)\./, '');
    const text = issueText(issue, t);
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  }
  return out;
}

function ErrorTitle() {
  return useT()('error.title');
}

/** A failure notice: the error's message and field issues, in the UI language of the moment. */
export function notifyError(err: unknown, title?: string): void {
  notifications.show({
    color: 'red',
    title: title ?? <ErrorTitle />,
    message: <ProblemDetails error={err} />,
    autoClose: 8000,
    withBorder: true,
  });
}
