// Information assets end to end: an administrator imports an inventory CSV (a dry run that lists the bad row,
// then the commit of the corrected file), finds the assets in the table and the heat map, relates two of
// them on the detail page, sees the graph, and edits the classification of a selection at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
const COMPANY = { legalName: 'Kitsune Card K.K.', shortCode: 'E2E-CARD', country: 'JP' };
const PERSON = { employeeNumber: 'E2E-0007', name: 'Ren Kobayashi' };
const HEADER =
  'company_code,asset_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability,pci_scope';

let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startServer({ MAMORI_ADMIN_EMAIL: ADMIN_EMAIL, MAMORI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-e2e-assets-'));
  watchPageProblems(page, pageProblems);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const byTestId = (id: string) => page.getByTestId(id);

async function pickOption(testId: string, optionText: string | RegExp): Promise<void> {
  await byTestId(testId).click();
  await page.getByRole('option', { name: optionText }).first().click();
}

async function chooseFile(name: string, content: string): Promise<void> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), byTestId('import-file').click()]);
  await chooser.setFiles(file);
}

describe('assets', () => {
  it('signs in, and creates a company with a person to own its assets', async () => {
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
  });

  it('dry-runs an inventory CSV, lists the bad row, and commits the corrected file', async () => {
    await byTestId('nav-assets').click();
    await page.waitForURL('**/assets');
    await byTestId('assets-import').click();
    await page.waitForURL('**/assets/import');
    const rows = [
      `${COMPANY.shortCode},CARD-APP,Card app,software,${PERSON.employeeNumber},3,3,2,true`,
      `${COMPANY.shortCode},CARD-DB,Card database,personal_information,${PERSON.employeeNumber},3,3,3,true`,
      `${COMPANY.shortCode},CARD-DC,Data centre,site,${PERSON.employeeNumber},2,2,3,false`,
    ];
    await chooseFile(
      'bad.csv',
      [HEADER, ...rows, `${COMPANY.shortCode},X,Bad,spaceship,NOBODY,9,1,1,no`].join('\n'),
    );
    await byTestId('import-dry-run').click();
    await byTestId('import-error-table').waitFor();
    const errors = await byTestId('import-error-table').innerText();
    expect(errors).toContain('5');
    expect(errors).toContain('"spaceship" is not one of: ');
    await expect(byTestId('import-commit').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'assets-01-dry-run');
    // The refused row's problems are worded from their codes in Japanese, each with its column.
    await byTestId('lang-switch').getByText('日本語').click();
    await expect
      .poll(async () => byTestId('import-error-table').innerText())
      .toContain('asset_type: 「spaceship」は次のいずれでもありません');
    await screenshot(page, 'assets-01-dry-run-ja');
    await byTestId('lang-switch').getByText('EN').click();

    await chooseFile('good.csv', [HEADER, ...rows].join('\n'));
    await byTestId('import-dry-run').click();
    await expect.poll(async () => byTestId('import-created').innerText()).toBe('3');
    await byTestId('import-commit').click();
    await expect
      .poll(async () => (await byTestId('import-report').innerText()).includes('Import committed'))
      .toBe(true);
  });

  it('shows the assets in the table and the C x I heat map, and filters by a cell', async () => {
    await byTestId('nav-assets').click();
    await expect.poll(async () => byTestId('asset-row').count()).toBe(3);
    await expect.poll(async () => byTestId('heat-3-3').innerText()).toBe('2');
    await byTestId('heat-3-3').click();
    await expect.poll(async () => byTestId('asset-row').count()).toBe(2);
    await screenshot(page, 'assets-02-list');
  });

  it('relates two assets on the detail page and draws the graph', async () => {
    await page.getByRole('link', { name: 'CARD-APP' }).click();
    await byTestId('asset-title').waitFor();
    await pickOption('relation-kind', 'runs on');
    await byTestId('relation-target').click();
    await page.getByRole('option', { name: /CARD-DC/ }).click();
    await byTestId('relation-add').click();
    await byTestId('asset-relations').waitFor();
    expect(await byTestId('asset-relations').innerText()).toContain('CARD-DC');
    await byTestId('asset-graph').waitFor();
    await expect.poll(async () => byTestId('graph-node').count()).toBe(2);
    await screenshot(page, 'assets-03-detail');
  });

  it('edits the classification of a selection at once', async () => {
    await byTestId('nav-assets').click();
    await expect.poll(async () => byTestId('asset-row').count()).toBe(3);
    await byTestId('assets-select-all').check();
    await byTestId('assets-bulk-edit').click();
    await pickOption('bulk-availability', '1');
    await byTestId('bulk-apply').click();
    await expect.poll(async () => byTestId('assets-selection').count()).toBe(0);
    // The table reloads after the selection clears: wait for the new levels rather than reading it at once.
    await expect
      .poll(async () => (await byTestId('assets-table').innerText()).match(/A1/g)?.length ?? 0)
      .toBe(3);
    expect(pageProblems).toEqual([]);
  });
});
