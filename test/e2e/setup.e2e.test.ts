// First run without MAMORI_ADMIN_*: the operator opens the printed setup link and creates the administrator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  launchBrowser,
  screenshot,
  startServer,
  waitForOutput,
  type Browser,
  type RunningServer,
} from './support.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ MAMORI_ADMIN_EMAIL: undefined, MAMORI_ADMIN_PASSWORD: undefined });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('first-run setup', () => {
  it('creates the first administrator from the setup link, who must then enrol MFA', async () => {
    // Without an administrator every page leads to the setup form.
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL('**/setup');

    const [, token] = await waitForOutput(server, /\/setup#token=(\S+)/);
    await page.goto(`${server.baseUrl}/setup#token=${token}`);
    await page.waitForFunction(() => window.location.hash === '');
    expect(await page.getByTestId('setup-token').inputValue()).toBe(token);

    await page.getByTestId('setup-email').fill('first.admin@example.com');
    await page.getByTestId('setup-display-name').fill('First Administrator');
    await page.getByTestId('setup-password').fill('short');
    await page.getByTestId('setup-password-confirm').fill('short');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('setup-error').waitFor();
    expect(await page.getByTestId('setup-error').innerText()).toContain('12 characters');
    await screenshot(page, 'setup-01-weak-password');

    const password = 'a long and friendly passphrase';
    await page.getByTestId('setup-password').fill(password);
    await page.getByTestId('setup-password-confirm').fill(password);
    await page.getByTestId('setup-submit').click();

    await page.waitForURL('**/login');
    expect(await page.getByTestId('login-email').inputValue()).toBe('first.admin@example.com');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/mfa/enrol');
    await page.getByTestId('mfa-secret').waitFor();
    await screenshot(page, 'setup-02-mfa-enrol');
  });
});
