// The first walk through the product: an administrator signs in, enrols MFA, creates a company and a
// person, finds both in the audit trail, and reads the UI in Japanese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import {
  launchBrowser,
  screenshot,
  startServer,
  type Browser,
  type RunningServer,
  watchPageProblems,
} from './support.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct-horse-battery';
const COMPANY = { legalName: 'Kitsune Payments K.K.', shortCode: 'E2E-PAY', country: 'JP' };
const PERSON = { employeeNumber: 'E2E-0001', name: 'Hanako Yamada', email: 'hanako.yamada@example.com' };

let server: RunningServer;
let browser: Browser;
let page: Page;
/** Console errors and uncaught exceptions of the page, e.g. Content-Security-Policy violations. */
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startServer({ MAMORI_ADMIN_EMAIL: ADMIN_EMAIL, MAMORI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  watchPageProblems(page, pageProblems);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const byTestId = (id: string) => page.getByTestId(id);

async function pickOption(testId: string, optionText: string | RegExp): Promise<void> {
  await byTestId(testId).click();
  await page.getByRole('option', { name: optionText }).first().click();
}

describe('smoke', () => {
  it('signs in as the administrator and enrols MFA', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL('**/login');
    await byTestId('login-email').fill(ADMIN_EMAIL);
    await byTestId('login-password').fill(ADMIN_PASSWORD);
    await screenshot(page, '01-login');
    await byTestId('login-submit').click();

    // group_admin without MFA: the enrolment page is forced.
    await page.waitForURL('**/mfa/enrol');
    const secret = (await byTestId('mfa-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await screenshot(page, '02-mfa-enrol');
    await byTestId('totp-input').fill(generateSync({ secret }));
    await byTestId('mfa-confirm').click();

    await byTestId('recovery-codes').waitFor();
    const codes = await byTestId('recovery-codes').innerText();
    expect(codes.split('\n').filter((line) => line.trim()).length).toBeGreaterThanOrEqual(5);
    await screenshot(page, '03-recovery-codes');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTestId('recovery-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('mamori-recovery-codes.txt');
    await byTestId('recovery-ack').check();
    await byTestId('recovery-continue').click();

    await page.waitForURL(`${server.baseUrl}/`);
    await byTestId('header-user').waitFor();
    await byTestId('nav-audit').waitFor();
    await screenshot(page, '04-home');
  });

  it('creates a company', async () => {
    await byTestId('nav-companies').click();
    await page.waitForURL('**/companies');
    await byTestId('company-create').click();
    await byTestId('company-legal-name').fill(COMPANY.legalName);
    await byTestId('company-short-code').fill(COMPANY.shortCode);
    await byTestId('company-country').fill(COMPANY.country);
    await screenshot(page, '05-company-form');
    await byTestId('company-save').click();

    const row = byTestId('company-row').filter({ hasText: COMPANY.legalName });
    await row.waitFor();
    expect(await row.innerText()).toContain(COMPANY.shortCode);
    await screenshot(page, '06-companies');
  });

  it('creates a person in that company', async () => {
    await byTestId('nav-people').click();
    await page.waitForURL('**/people');
    await byTestId('person-create').click();
    await pickOption('person-company', new RegExp(COMPANY.shortCode));
    await byTestId('person-employee-number').fill(PERSON.employeeNumber);
    await byTestId('person-name').fill(PERSON.name);
    await byTestId('person-email').fill(PERSON.email);
    await screenshot(page, '07-person-form');
    await byTestId('person-save').click();

    const row = byTestId('person-row').filter({ hasText: PERSON.name });
    await row.waitFor();
    expect(await row.innerText()).toContain(PERSON.employeeNumber);
    await screenshot(page, '08-people');
  });

  it('shows both changes in the audit trail, with a before/after view', async () => {
    await byTestId('nav-audit').click();
    await page.waitForURL('**/audit');
    const companyEntry = page.locator('[data-testid="audit-row"][data-action="company.create"]');
    const personEntry = page.locator('[data-testid="audit-row"][data-action="person.create"]');
    await companyEntry.first().waitFor();
    await personEntry.first().waitFor();

    await companyEntry.first().click();
    const diff = byTestId('audit-diff').first();
    await diff.waitFor();
    expect(await diff.innerText()).toContain(COMPANY.legalName);

    await byTestId('audit-verify').click();
    await byTestId('audit-verify-result').waitFor();
    await screenshot(page, '09-audit');
  });

  it('switches to Japanese', async () => {
    await byTestId('lang-switch').getByText('日本語').click();
    await page.getByRole('heading', { name: '監査証跡' }).waitFor();
    expect(await byTestId('nav-audit').innerText()).toContain('監査証跡');
    expect(await byTestId('nav-companies').innerText()).toContain('グループ会社');
    await screenshot(page, '10-audit-ja');

    // The choice is saved to the profile, not only in this browser.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const session = (await (await fetch('/api/v1/auth/session')).json()) as {
            user: { locale: string };
          };
          return session.user.locale;
        }),
      )
      .toBe('ja');
    await page.reload();
    await page.getByRole('heading', { name: '監査証跡' }).waitFor();
    await byTestId('nav-people').click();
    await page.getByText('正社員').first().waitFor();
    await screenshot(page, '11-people-ja');
  });

  it('serves the UI for client routes ending in a domain name, and 404 for a missing asset', async () => {
    const route = await fetch(`${server.baseUrl}/dmarc/domains/example.com`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    const asset = await fetch(`${server.baseUrl}/assets/missing-chunk.js`);
    expect(asset.status).toBe(404);
  });

  it('met no script error or Content-Security-Policy violation on the way', () => {
    expect(pageProblems).toEqual([]);
  });
});
