// Success and failure notices for mutations: failures show the problem's detail and its field errors.
import { List, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/client.ts';
import type { TFunction } from '../i18n/i18n.tsx';

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 4000, withBorder: true });
}

/** A readable message for an error, in the UI language where the code is known. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.code === 'stale_version') return t('error.staleVersion');
    if (err.code === 'network_error') return t('error.network');
    if (err.status === 403 && err.code === 'forbidden' && !err.problem.detail) return t('error.forbidden');
    return err.problem.detail || err.problem.title;
  }
  if (err instanceof Error) return err.message;
  return t('error.unexpected');
}

export function ProblemDetails({ error, t }: { error: unknown; t: TFunction }) {
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
              : {issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}

/** The problem's field issues keyed by field name ("body.shortCode" -> "shortCode"), for inputs' `error`. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const issue of err.problem.errors ?? []) {
    const key = issue.path.replace(/^(body|querystring|params)\./, '');
    out[key] = out[key] ? `${out[key]}; ${issue.message}` : issue.message;
  }
  return out;
}

export function notifyError(err: unknown, t: TFunction, title?: string): void {
  notifications.show({
    color: 'red',
    title: title ?? t('error.title'),
    message: <ProblemDetails error={err} t={t} />,
    autoClose: 8000,
    withBorder: true,
  });
}
