// Signs in over HTTP like the browser does, and sends the session cookie and CSRF token on later requests.
import type { ApiApp } from '../../src/platform/http/app.ts';

export interface BrowserSession {
  cookie: string;
  csrf: string;
  body: Record<string, unknown>;
  request(
    method: string,
    url: string,
    payload?: object,
    opts?: { csrf?: boolean },
  ): Promise<import('light-my-request').Response>;
}

export async function signIn(
  app: ApiApp,
  credentials: { email: string; password: string; totp?: string; recoveryCode?: string },
): Promise<BrowserSession> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: credentials });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const setCookie = [res.headers['set-cookie']].flat()[0] ?? '';
  const cookie = setCookie.split(';')[0]!;
  const body = res.json<Record<string, unknown>>();
  const csrf = String(body.csrfToken);
  return {
    cookie,
    csrf,
    body,
    request(method, url, payload, opts = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, ...(opts.csrf === false ? {} : { 'x-csrf-token': csrf }) },
        ...(payload !== undefined ? { payload } : {}),
      });
    },
  };
}
