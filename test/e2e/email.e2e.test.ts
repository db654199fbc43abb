// Anti-phishing end to end, against a real DNS server of the test: an administrator adds a sending domain (a bad
// expected source is refused next to its field), scans it now and sees its posture with DMARC p=reject; the zone
// is lowered to p=none, the next scan shows the regression in the timeline and an alert linked to the risk it
// raised; the domain sits in the rollout board's p=none column, and the overview reads in Japanese.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import {
  launchBrowser,
  screenshot,
  startServer,
  type Browser,
  type RunningServer,
  signInEnrollingMfa,
  callApi as callPage,
  watchPageProblems,
} from './support.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct-horse-battery';
const COMPANY = { legalName: 'Kitsune Mail K.K.', shortCode: 'E2E-MAIL', country: 'JP' };
const OWNER = { employeeNumber: 'E2E-0042', name: 'Aoi Mori' };
const DOMAIN = 'kitsune-mail.example';

const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64');
/** The zone of the domain, its DMARC policy as given. */
const zone = (policy: 'reject' | 'none') => ({
  [DOMAIN]: [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }, { MX: [10, `mx.${DOMAIN}`] }],
  [`mx.${DOMAIN}`]: [{ A: '192.0.2.25' }],
  [`_dmarc.${DOMAIN}`]: [{ TXT: `v=DMARC1; p=${policy}; rua=mailto:dmarc@${DOMAIN}` }],
  // A TXT record is a list of character-strings of at most 255 bytes each.
  [`s1._domainkey.${DOMAIN}`]: [{ TXT: `v=DKIM1; k=rsa; p=${dkimKey}`.match(/.{1,250}/g)! }],
});

/** The standard 3 x 3 risk method (test/factories/risk.factory.ts), which the scan needs to raise a risk. */
function standardMethod() {
  const scale = (what: string) =>
    [1, 2, 3].map((level) => ({ level, name: `${what} ${level}`, criteria: `${what} criteria ${level}` }));
  const matrix = [];
  for (let l = 1; l <= 3; l++)
    for (let i = 1; i <= 3; i++)
      matrix.push({ likelihood: l, impact: i, level: l * i >= 6 ? 'high' : l * i >= 3 ? 'medium' : 'low' });
  return {
    likelihood: scale('Likelihood'),
    impact: scale('Impact'),
    levels: [
      { name: 'low', rank: 1 },
      { name: 'medium', rank: 2 },
      { name: 'high', rank: 3 },
    ],
    matrix,
    acceptanceThreshold: 'medium',
  };
}

let dns: TestDnsServer;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  // TTL 0: every scan asks again, so the changed zone is seen at once.
  dns = await startDnsServer({ zone: zone('reject'), ttl: 0 });
  server = await startServer({
    MAMORI_ADMIN_EMAIL: ADMIN_EMAIL,
    MAMORI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    MAMORI_DNS_SERVERS: dns.address,
    MAMORI_SCAN_SCHEDULER: 'false',
  });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  // 422: the bad expected source refused on purpose.
  watchPageProblems(page, pageProblems, ['status of 422']);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dns?.close();
});

const byTestId = (id: string) => page.getByTestId(id);

async function pickOption(testId: string, optionText: string | RegExp): Promise<void> {
  await byTestId(testId).click();
  await page.getByRole('option', { name: optionText }).first().click();
}

const callApi = <T>(method: string, url: string, body?: unknown) => callPage<T>(page, method, url, body);

describe('email', () => {
  let companyId = '';

  it('signs in, and sets up a company with a risk method and the person owning its domain', async () => {
    await signInEnrollingMfa(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);

    const company = await callApi<{ id: string }>('POST', '/api/v1/companies', COMPANY);
    expect(company.status).toBe(201);
    companyId = company.body.id;
    const person = await callApi('POST', '/api/v1/people', {
      companyId,
      ...OWNER,
      personnelCategory: 'regular_employee',
    });
    expect(person.status).toBe(201);
    const method = await callApi('PUT', `/api/v1/companies/${companyId}/risk-method`, {
      version: 0,
      ...standardMethod(),
    });
    expect(method.status).toBe(200);
  });

  it('adds a domain, refusing a bad expected source next to its field', async () => {
    await page.reload();
    await byTestId('nav-email').click();
    await byTestId('nav-email-domains').click();
    await page.waitForURL('**/email/domains');
    await byTestId('email-domain-create').click();
    await pickOption('domain-company', new RegExp(COMPANY.shortCode));
    await byTestId('domain-name').fill(DOMAIN);
    await byTestId('domain-service').fill('Online shop newsletters');
    await byTestId('domain-owner').click();
    await byTestId('domain-owner').fill('Aoi');
    await page.getByRole('option', { name: new RegExp(OWNER.employeeNumber) }).click();
    await byTestId('domain-selectors').fill('s1');
    await byTestId('domain-selectors').press('Enter');
    await byTestId('domain-sources').fill('192.0.2.10');
    await byTestId('domain-sources').press('Enter');
    await byTestId('domain-sources').fill('300.1.1.1');
    await byTestId('domain-sources').press('Enter');
    await byTestId('domain-save').click();
    // The service refuses the address (422) and says which one, next to the field.
    await page.getByText(/300\.1\.1\.1: /).waitFor();
    await screenshot(page, 'email-01-field-error');
    await byTestId('domain-sources').press('Backspace');
    await byTestId('domain-save').click();
    await page.waitForURL(/\/email\/domains\/[0-9a-f-]{36}$/);
    await expect.poll(async () => byTestId('domain-title').innerText()).toBe(DOMAIN);
    await byTestId('posture-none').waitFor();
  });

  it('scans the domain now and shows its posture: SPF ok, DKIM strong, DMARC p=reject', async () => {
    await byTestId('domain-scan-now').click();
    await page.locator('[data-testid="posture-dmarc"][data-stage="reject"]').waitFor();
    expect(await byTestId('posture-spf').innerText()).toContain('ok');
    expect(await byTestId('posture-dkim').getAttribute('data-on')).toBe('true');
    await byTestId('latest-scan').waitFor();
    await byTestId('tab-spf').click();
    await expect.poll(async () => byTestId('spf-range').allInnerTexts()).toEqual(['192.0.2.0/24']);
    expect(await byTestId('spf-expected-row').innerText()).toContain('pass');
    await byTestId('tab-dkim').click();
    expect(await byTestId('dkim-row').innerText()).toContain('2048');
    await expect.poll(async () => byTestId('timeline-item').count()).toBe(1);
    await screenshot(page, 'email-02-scanned');
  });

  it('shows the regression to p=none in the timeline, and an alert linked to the risk it raised', async () => {
    dns.setZone(zone('none'));
    await byTestId('domain-scan-now').click();
    await page.locator('[data-testid="posture-dmarc"][data-stage="none"]').waitFor();
    await expect.poll(async () => byTestId('timeline-item').count()).toBe(2);
    const newest = byTestId('timeline-item').first();
    expect(await newest.getAttribute('data-regression')).toBe('true');
    expect(await newest.getByTestId('regression').innerText()).toContain('p=reject to p=none');
    expect(await byTestId('timeline-item').nth(1).getAttribute('data-regression')).toBe('false');
    await byTestId('timeline-chart').waitFor();
    await newest.getByTestId('timeline-toggle').click();
    await newest.getByTestId('timeline-findings').waitFor();

    const alert = byTestId('domain-alerts').getByTestId('alert-row');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('p=reject to p=none');
    const href = (await alert.getByTestId('alert-risk-link').getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/risks\/[0-9a-f-]{36}$/);
    const risk = await callApi<{ source: { kind: string; ref: string } }>('GET', `/api/v1${href}`);
    expect(risk.body.source).toMatchObject({ kind: 'email-domain', ref: DOMAIN });
    await screenshot(page, 'email-03-regression');

    await alert.getByTestId('alert-ack').click();
    await byTestId('domain-alerts').getByTestId('alert-acknowledged').waitFor();
  });

  it('puts the domain in the rollout board’s p=none column and rolls it up for the group', async () => {
    await byTestId('nav-email-rollout').click();
    await page.waitForURL('**/email/rollout');
    await byTestId('rollout-column-none').getByTestId('rollout-card').filter({ hasText: DOMAIN }).waitFor();
    expect(await byTestId('rollout-column-reject').getByTestId('rollout-card').count()).toBe(0);
    await screenshot(page, 'email-04-rollout');

    await byTestId('nav-email-overview').click();
    await page.waitForURL(/\/email$/);
    await expect.poll(async () => byTestId('dmarc-count-none').innerText()).toContain('1');
    expect(await byTestId('companies-table').innerText()).toContain(COMPANY.shortCode);
    expect(await byTestId('mech-dkim-value').innerText()).toBe('1');
    await byTestId('overview-alerts').getByTestId('alerts-empty').waitFor();
    await screenshot(page, 'email-05-overview');
  });

  it('lists the domain, and follows a rescan by the scans the server reports', async () => {
    await byTestId('nav-email-domains').click();
    await page.waitForURL('**/email/domains');
    const row = byTestId('email-domain-row').filter({ hasText: DOMAIN });
    await row.locator('[data-testid="posture-dmarc"][data-stage="none"]').waitFor();
    const id = ((await row.getByRole('link', { name: DOMAIN }).getAttribute('href')) ?? '').split('/').pop();
    await screenshot(page, 'email-06-domains');

    await byTestId('email-rescan').click();
    await expect.poll(async () => byTestId('rescan-progress').innerText()).toContain('0 of 1');
    // The scheduler is off in this test: a scan now stands in for its next round.
    expect((await callApi('POST', `/api/v1/email/domains/${id}/scan`)).status).toBe(201);
    await expect
      .poll(async () => byTestId('rescan-progress').innerText(), { timeout: 15_000 })
      .toContain('all 1 domains scanned');
    await byTestId('rescan-progress').getByRole('button').click();
    await expect.poll(async () => byTestId('rescan-progress').count()).toBe(0);
  });

  it('reads in Japanese', async () => {
    await byTestId('nav-email-overview').click();
    await page.getByRole('heading', { name: 'Anti-phishing' }).waitFor();
    await byTestId('lang-switch').getByText('日本語').click();
    await page.getByRole('heading', { name: 'なりすまし対策' }).waitFor();
    expect(await byTestId('nav-email-domains').innerText()).toContain('送信ドメイン');
    expect(await byTestId('mechanisms').innerText()).toContain('DKIM鍵の強度');
    await screenshot(page, 'email-07-overview-ja');
    expect(pageProblems).toEqual([]);
  });
});
