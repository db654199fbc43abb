// Helpers of the e2e suite: a real `mamori serve` on a free port and a headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { generateSync } from 'otplib';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node bin/mamori.js serve` with a fresh data directory and waits for /readyz (undefined unsets a variable). */
export async function startServer(env: Record<string, string | undefined>): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build:web` before the e2e suite');
  }
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-e2e-'));
  let output = '';
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    MAMORI_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    MAMORI_LOG_LEVEL: 'warn',
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'mamori.js'), 'serve'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mamori serve exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mamori serve was not ready within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, dataDir, output: () => output, stop };
}

/** Waits until the server has printed a line matching `pattern` and returns the match. */
export async function waitForOutput(
  server: RunningServer,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = server.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`The server never printed ${pattern}:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Records the page's uncaught errors, and its console errors but those whose text matches one of `expected`,
 * into `problems` for a test to assert empty. The UI's first session probe answers 401 when signed out (that is
 * how it learns it): always expected.
 */
export function watchPageProblems(
  page: Page,
  problems: string[],
  expected: readonly (string | RegExp)[] = [],
): void {
  const matches = (text: string) =>
    ['401', ...expected].some((e) => (typeof e === 'string' ? text.includes(e) : e.test(text)));
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !matches(msg.text())) problems.push(`console: ${msg.text()}`);
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The first administrator's first sign-in: email and password, then the TOTP enrolment the role requires and the
 * recovery codes acknowledged, ending on the home page.
 */
export async function signInEnrollingMfa(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  const byTestId = (id: string) => page.getByTestId(id);
  await page.goto(`${baseUrl}/`);
  await page.waitForURL('**/login');
  await byTestId('login-email').fill(email);
  await byTestId('login-password').fill(password);
  await byTestId('login-submit').click();
  await page.waitForURL('**/mfa/enrol');
  const secret = (await byTestId('mfa-secret').textContent())?.trim() ?? '';
  await byTestId('totp-input').fill(generateSync({ secret }));
  await byTestId('mfa-confirm').click();
  await byTestId('recovery-ack').check();
  await byTestId('recovery-continue').click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Calls the API as the signed-in user, from the page (its session cookie and CSRF token). */
export async function callApi<T>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const res = await fetch(url, {
        method,
        headers: {
          'x-csrf-token': session.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as T };
    },
    { method, url, body },
  );
}
