// Risk management end to end: an administrator sets a company's risk method (a refused duplicate rank shown
// next to its field, then the corrected method), adds a threat to the catalogue, raises a risk from an asset
// with a treatment plan, finds it in the register and through a heat-map cell, signs off the acceptance of its
// residual risk, sets the treatment to accept, and reads the page in Japanese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  launchBrowser,
  screenshot,
  startServer,
  type Browser,
  type RunningServer,
  signInEnrollingMfa,
  watchPageProblems,
} from './support.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct-horse-battery';
const COMPANY = { legalName: 'Tanuki Pay K.K.', shortCode: 'E2E-RISK', country: 'JP' };
const PERSON = { employeeNumber: 'E2E-0042', name: 'Aoi Fujimoto' };
const ASSET = { name: 'Payment gateway' };
const RISK_TITLE = 'Card data stolen through the payment gateway';

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startServer({ MAMORI_ADMIN_EMAIL: ADMIN_EMAIL, MAMORI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  // 422 (and 404, as before): the method refused on purpose below.
  watchPageProblems(page, pageProblems, [/40[14]|422/]);
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

/** The risks entries sit in a navigation group that opens on click. */
async function openRiskNav(testId: string): Promise<void> {
  if (!(await byTestId(testId).isVisible())) await byTestId('nav-risks').click();
  await byTestId(testId).click();
}

describe('risks', () => {
  it('signs in, and creates a company with a person and an information asset', async () => {
    await signInEnrollingMfa(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);

    await byTestId('nav-companies').click();
    await byTestId('company-create').click();
    await byTestId('company-legal-name').fill(COMPANY.legalName);
    await byTestId('company-short-code').fill(COMPANY.shortCode);
    await byTestId('company-country').fill(COMPANY.country);
    await byTestId('company-save').click();
    await byTestId('company-row').filter({ hasText: COMPANY.legalName }).waitFor();

    await byTestId('nav-people').click();
    await byTestId('person-create').click();
    await pickOption('person-company', new RegExp(COMPANY.shortCode));
    await byTestId('person-employee-number').fill(PERSON.employeeNumber);
    await byTestId('person-name').fill(PERSON.name);
    await byTestId('person-save').click();
    await byTestId('person-row').filter({ hasText: PERSON.name }).waitFor();

    await byTestId('nav-assets').click();
    await byTestId('asset-create').click();
    await pickOption('asset-company', new RegExp(COMPANY.shortCode));
    await byTestId('asset-name').fill(ASSET.name);
    await pickOption('asset-type', 'Software');
    await pickOption('asset-owner', new RegExp(PERSON.name));
    await pickOption('asset-confidentiality', /^3/);
    await pickOption('asset-integrity', /^3/);
    await pickOption('asset-availability', /^2/);
    await byTestId('asset-save').click();
    await byTestId('asset-row').filter({ hasText: ASSET.name }).waitFor();
  });

  it('sets the risk method: a refused rank shows next to its field, the corrected method becomes v1', async () => {
    await openRiskNav('nav-risk-method');
    await page.waitForURL('**/risks/method');
    await pickOption('method-company', new RegExp(COMPANY.shortCode));
    await byTestId('method-none').waitFor();
    // The template: 5 x 5, levels Low, Medium, High, Critical, accepting up to Medium.
    await byTestId('method-level-rank-2').fill('1');
    await byTestId('method-save').click();
    await byTestId('method-errors').waitFor();
    await expect.poll(async () => byTestId('method-levels').innerText()).toMatch(/rank 1 is given twice/);

    await byTestId('method-level-rank-2').fill('2');
    await byTestId('method-likelihood-criteria-5').fill('Several times a year');
    await pickOption('matrix-5-1', 'High');
    await byTestId('method-save').click();
    await expect.poll(async () => byTestId('method-version').innerText()).toBe('v1');
    expect(await byTestId('method-version-info').innerText()).toContain('keep the version');
    await screenshot(page, 'risks-01-method');
  });

  it('adds a threat to the catalogue', async () => {
    await openRiskNav('nav-risk-catalogue');
    await byTestId('catalogue-create').click();
    await byTestId('catalogue-form-code').fill('T-SKIM');
    await byTestId('catalogue-form-name').fill('Card skimming');
    await byTestId('catalogue-form-save').click();
    await byTestId('catalogue-row').filter({ hasText: 'T-SKIM' }).waitFor();
  });

  it('raises a risk from the asset with a treatment plan', async () => {
    await byTestId('nav-assets').click();
    await page.getByRole('link', { name: /A-0001/ }).click();
    await byTestId('asset-raise-risk').click();
    await page.waitForURL('**/risks/new?**');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect.poll(async () => dialog.innerText()).toContain(ASSET.name);
    expect(await byTestId('risk-form-source').innerText()).toContain(ASSET.name);

    await byTestId('risk-title').fill(RISK_TITLE);
    await byTestId('risk-scenario').fill('Skimming code injected into the gateway captures card numbers.');
    await pickOption('risk-owner', new RegExp(PERSON.name));
    await pickOption('risk-threat', /T-SKIM/);
    await pickOption('risk-inherent-likelihood', /^5 —/);
    await pickOption('risk-inherent-impact', /^5 —/);
    await expect.poll(async () => byTestId('risk-inherent-level').innerText()).toBe('Critical');
    await pickOption('risk-residual-likelihood', /^4 —/);
    await pickOption('risk-residual-impact', /^4 —/);
    await expect.poll(async () => byTestId('risk-residual-level').innerText()).toBe('High');
    expect(await dialog.getByTestId('above-threshold').count()).toBe(1);

    await byTestId('risk-task-add').click();
    await byTestId('risk-task-add').click();
    await byTestId('risk-task-title').nth(0).fill('Deploy a file integrity monitor');
    await byTestId('risk-task-due').nth(0).fill('2020-01-31');
    await byTestId('risk-task-title').nth(1).fill('Review the payment page scripts');
    await byTestId('risk-task-due').nth(1).fill('2099-12-31');
    await byTestId('risk-save').click();

    await page.waitForURL(/\/risks\/[0-9a-f-]{36}$/);
    await expect.poll(async () => byTestId('risk-title-heading').innerText()).toBe(RISK_TITLE);
    await expect.poll(async () => byTestId('risk-task').count()).toBe(2);
    expect(await byTestId('risk-task-table').innerText()).toMatch(/overdue/);
    await expect.poll(async () => byTestId('risk-source').innerText()).toContain(ASSET.name);
    expect(await byTestId('risk-residual-badge').innerText()).toBe('High');
    expect(await byTestId('acceptance-none').innerText()).toContain('above the threshold');
    await screenshot(page, 'risks-02-detail');

    // Raising again from the same asset points at the risk already raised from it.
    await page.goBack();
    await byTestId('asset-raise-risk').click();
    await expect.poll(async () => byTestId('risk-same-source').innerText()).toContain(RISK_TITLE);
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/risks\?companyId=/);
  });

  it('shows the risk in the register', async () => {
    await openRiskNav('nav-risk-register');
    await expect.poll(async () => byTestId('risk-row').count()).toBe(1);
    const row = await byTestId('risk-row').innerText();
    expect(row).toContain(RISK_TITLE);
    expect(row).toContain(PERSON.name);
    expect(row).toContain('High');
    await pickOption('risks-filter-treatment', 'Avoid');
    await expect.poll(async () => byTestId('risk-row').count()).toBe(0);
  });

  it('opens the register filtered to a heat-map cell', async () => {
    await openRiskNav('nav-risk-overview');
    await pickOption('overview-company', new RegExp(COMPANY.shortCode));
    await expect.poll(async () => byTestId('heat-residual-4-4').innerText()).toBe('1');
    expect(await byTestId('heat-inherent-5-5').innerText()).toBe('1');
    expect(await byTestId('heat-residual-5-5').innerText()).toBe('');
    await expect.poll(async () => byTestId('top-risk-row').count()).toBe(1);
    await screenshot(page, 'risks-03-overview');

    await byTestId('heat-residual-4-4').click();
    await page.waitForURL(/\/risks\?.*residualLikelihood=4&residualImpact=4/);
    await byTestId('risks-cell-filter').waitFor();
    await expect.poll(async () => byTestId('risk-row').count()).toBe(1);

    await page.goBack();
    await byTestId('heat-inherent-1-1').click();
    await page.waitForURL(/inherentLikelihood=1&inherentImpact=1/);
    await expect
      .poll(async () => (await byTestId('risks-table').innerText()).includes('Nothing found'))
      .toBe(true);
  });

  it('signs off the acceptance of the residual risk, then accepts it as the treatment', async () => {
    await page.goBack();
    await byTestId('top-risk-row').getByRole('link').click();
    await byTestId('risk-sign-off').click();
    await byTestId('acceptance-note').fill('Accepted by the management meeting until the monitor is live.');
    await byTestId('acceptance-submit').click();
    await byTestId('acceptance-valid').waitFor();
    expect(await byTestId('risk-acceptance').innerText()).toContain('Accepted by the management meeting');

    await byTestId('risk-edit').click();
    await pickOption('risk-treatment', 'Accept');
    await byTestId('risk-save').click();
    await expect.poll(async () => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(async () => byTestId('risk-treatment-badge').innerText()).toBe('Accept');
    await screenshot(page, 'risks-04-accepted');
  });

  it('reads the risk in Japanese', async () => {
    await byTestId('lang-switch').getByText('日本語').click();
    await expect.poll(async () => byTestId('risk-acceptance').innerText()).toContain('リスク受容');
    expect(await byTestId('risk-residual').innerText()).toContain('残留リスク');
    expect(await byTestId('risk-inherent').innerText()).toContain('固有リスク');
    expect(await page.locator('main').innerText()).toContain('リスク所有者');
    await screenshot(page, 'risks-05-japanese');
    expect(pageProblems).toEqual([]);
  });
});
