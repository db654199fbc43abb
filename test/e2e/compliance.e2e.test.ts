// Compliance end to end: an administrator adopts ISO/IEC 27001 for a new company, marks a requirement
// implemented, backs it with an applied control and link evidence, watches the dashboard heat map move,
// and downloads the Statement of Applicability as Excel.
import fs from 'node:fs';
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
const COMPANY = { legalName: 'Tanuki Cloud K.K.', shortCode: 'E2E-CLD', country: 'JP' };
const REQUIREMENT = 'A.5.15';
const CONTROL = { code: 'IAM-01', name: 'Role-based access control' };

let server: RunningServer;
let browser: Browser;
let page: Page;
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

/** The heat-map cell of the new company for a section, once the dashboard has loaded. */
async function heatmapScore(section: string): Promise<number> {
  await page.goto(`${server.baseUrl}/compliance`);
  const cell = page.locator(
    `[data-testid="heatmap-cell"][data-company="${COMPANY.shortCode}"][data-section="${section}"]`,
  );
  await cell.waitFor();
  return Number((await cell.getAttribute('data-score')) || '0');
}

describe('compliance', () => {
  it('signs in as the administrator with MFA', async () => {
    await signInEnrollingMfa(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    await byTestId('nav-compliance').waitFor();
  });

  it('adopts ISO/IEC 27001 for a new company', async () => {
    await byTestId('nav-companies').click();
    await byTestId('company-create').click();
    await byTestId('company-legal-name').fill(COMPANY.legalName);
    await byTestId('company-short-code').fill(COMPANY.shortCode);
    await byTestId('company-country').fill(COMPANY.country);
    await byTestId('company-save').click();
    await page.getByRole('link', { name: COMPANY.legalName }).click();
    await byTestId('company-compliance').click();
    await page.waitForURL('**/compliance');

    await byTestId('adopt-framework-open').first().click();
    await pickOption('adopt-framework', /ISO\/IEC 27001:2022/);
    await byTestId('adopt-scope').fill('Cloud platform operations');
    await screenshot(page, 'compliance-01-adopt');
    await byTestId('adopt-submit').click();

    const card = page.locator('[data-testid="adoption-card"][data-framework="iso27001-2022"]');
    await card.waitFor();
    expect(await card.getByTestId('adoption-score').innerText()).toBe('0%');
    await screenshot(page, 'compliance-02-company');
  });

  it('marks a requirement implemented; without evidence it does not count yet', async () => {
    await byTestId('open-soa').click();
    await byTestId('soa-table').waitFor();
    await byTestId('soa-search').fill(REQUIREMENT);
    const row = page.locator(`[data-testid="soa-row"][data-ref="${REQUIREMENT}"]`);
    await row.waitFor();
    await row.getByTestId('soa-status').click();
    await byTestId('soa-status-implemented').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('no_evidence');
    await screenshot(page, 'compliance-03-soa');

    expect(await heatmapScore('A.5')).toBe(0);
  });

  it('creates an applied control for it with link evidence', async () => {
    // The Compliance group of the navigation is open on its own pages, closed elsewhere.
    if (!(await byTestId('nav-controls').isVisible())) await byTestId('nav-compliance').click();
    await byTestId('nav-controls').click();
    await page.waitForURL('**/compliance/controls');
    await byTestId('control-create').click();
    await pickOption('control-company', new RegExp(COMPANY.shortCode));
    await byTestId('control-code').fill(CONTROL.code);
    await byTestId('control-name').fill(CONTROL.name);
    await byTestId('control-requirements').click();
    await page.keyboard.type(REQUIREMENT);
    await page.getByRole('option', { name: new RegExp(`^${REQUIREMENT.replace(/\./g, '\\.')} `) }).click();
    await page.keyboard.press('Escape');
    await byTestId('control-save').click();

    await page.waitForURL(/\/compliance\/controls\/[0-9a-f-]{36}$/);
    expect(await byTestId('control-requirements-list').innerText()).toContain(REQUIREMENT);
    await byTestId('evidence-add').click();
    await byTestId('evidence-title').fill('Access control policy');
    await byTestId('evidence-url').fill('https://wiki.example.com/policies/access-control');
    await byTestId('evidence-save').click();
    const evidence = page.locator('[data-testid="evidence-row"][data-state="valid"]');
    await evidence.waitFor();
    await screenshot(page, 'compliance-04-control');
  });

  it('shows the score change on the dashboard heat map', async () => {
    const score = await heatmapScore('A.5');
    // One of the 37 Annex A.5 controls is now satisfied.
    expect(score).toBe(Math.floor(1000 / 37));
    const overall = page.locator(`[data-testid="heatmap-overall"][data-company="${COMPANY.shortCode}"]`);
    expect(Number(await overall.getAttribute('data-score'))).toBeGreaterThan(0);
    await screenshot(page, 'compliance-05-dashboard');

    // A click on the cell opens the Statement of Applicability at that section.
    await page
      .locator(`[data-testid="heatmap-cell"][data-company="${COMPANY.shortCode}"][data-section="A.5"]`)
      .click();
    await page.waitForURL(/\/compliance\/[0-9a-f-]{36}\?section=A\.5$/);
    const row = page.locator(`[data-testid="soa-row"][data-ref="${REQUIREMENT}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('implemented');
  });

  it('downloads the Statement of Applicability as Excel', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId('soa-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`SoA-${COMPANY.shortCode}-iso27001-2022.xlsx`);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    // An .xlsx is a ZIP archive.
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.length).toBeGreaterThan(2000);
  });

  it('met no script error on the way', () => {
    expect(pageProblems).toEqual([]);
  });
});
