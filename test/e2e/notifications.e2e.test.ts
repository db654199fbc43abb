// Notifications end to end, against a real DNS server of the test: a scan finds a domain's DMARC policy lowered,
// and the administrator (a group-wide role, told of every company's email alerts) sees the bell count 1, opens the
// bell, follows the notification to the domain (which marks it read), and after a second alert marks all read on
// the notifications page; the titles read in Japanese; the profile offers the mail preference (this server sends
// no mail) and the webhook settings keep their secret to themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import {
  callApi as callPage,
  launchBrowser,
  screenshot,
  signInEnrollingMfa,
  startServer,
  type Browser,
  type RunningServer,
  watchPageProblems,
} from './support.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct-horse-battery';
const DOMAIN = 'kitsune-notify.example';
const SECRET = 'an-e2e-webhook-signing-secret';

const zone = (policy: 'reject' | 'none') => ({
  [DOMAIN]: [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }, { MX: [10, `mx.${DOMAIN}`] }],
  [`mx.${DOMAIN}`]: [{ A: '192.0.2.25' }],
  [`_dmarc.${DOMAIN}`]: [{ TXT: `v=DMARC1; p=${policy}; rua=mailto:dmarc@${DOMAIN}` }],
});

let dns: TestDnsServer;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  dns = await startDnsServer({ zone: zone('reject'), ttl: 0 });
  server = await startServer({
    MAMORI_ADMIN_EMAIL: ADMIN_EMAIL,
    MAMORI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    MAMORI_DNS_SERVERS: dns.address,
    MAMORI_SCAN_SCHEDULER: 'false',
    MAMORI_SMTP_URL: undefined,
    // The webhook set below points nowhere; nothing is delivered in this test.
    MAMORI_NOTIFY_DELIVERY: 'false',
  });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  watchPageProblems(page, pageProblems);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dns?.close();
});

const byTestId = (id: string) => page.getByTestId(id);
const callApi = <T>(method: string, url: string, body?: unknown) => callPage<T>(page, method, url, body);
const unreadOnBell = async () => Number(await byTestId('notification-bell').getAttribute('data-unread'));

describe('notifications', () => {
  let domainId = '';
  const scan = async () =>
    expect((await callApi('POST', `/api/v1/email/domains/${domainId}/scan`)).status).toBe(201);

  it('shows no unread notification before anything happened', async () => {
    await signInEnrollingMfa(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    await byTestId('notification-bell').waitFor();
    expect(await unreadOnBell()).toBe(0);
    expect(await byTestId('notification-count').count()).toBe(0);

    const company = await callApi<{ id: string }>('POST', '/api/v1/companies', {
      legalName: 'Kitsune Notify K.K.',
      shortCode: 'E2E-NTFY',
      country: 'JP',
    });
    expect(company.status).toBe(201);
    const domain = await callApi<{ id: string }>('POST', '/api/v1/email/domains', {
      companyId: company.body.id,
      name: DOMAIN,
      service: 'Newsletters',
      raiseRisks: false,
    });
    expect(domain.status).toBe(201);
    domainId = domain.body.id;
    await scan();
  });

  it('counts the alert of a weaker posture on the bell, and marks it read when followed', async () => {
    dns.setZone(zone('none'));
    await scan();
    // The bell asks again when the page is loaded (and every 30 s).
    await page.reload();
    await expect.poll(unreadOnBell).toBe(1);
    expect(await byTestId('notification-count').innerText()).toBe('1');
    await screenshot(page, 'notifications-01-bell');

    await byTestId('notification-bell').click();
    const item = byTestId('notification-popover').getByTestId('notification-item');
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(await item.innerText()).toContain(`${DOMAIN}: sender authentication got weaker (findings: 1)`);
    await screenshot(page, 'notifications-02-popover');
    await item.getByTestId('notification-link').click();
    await page.waitForURL(`**/email/domains/${domainId}`);
    await expect.poll(unreadOnBell).toBe(0);
  });

  it('lists the notifications, filters the unread ones and marks all read', async () => {
    // A second regression: the policy goes back up (no alert), then down again.
    dns.setZone(zone('reject'));
    await scan();
    dns.setZone(zone('none'));
    await scan();
    await page.reload();
    await expect.poll(unreadOnBell).toBe(1);

    await byTestId('nav-notifications').click();
    await page.waitForURL('**/notifications');
    await expect.poll(async () => byTestId('notification-item').count()).toBe(2);
    const items = byTestId('notifications-list').getByTestId('notification-item');
    expect(await items.nth(0).getAttribute('data-unread')).toBe('true');
    expect(await items.nth(1).getAttribute('data-unread')).toBe('false');
    expect(await items.nth(0).innerText()).toContain('The DMARC policy went from p=reject to p=none');

    await byTestId('notifications-filter')
      .getByText(/Unread/)
      .click();
    await page.waitForURL('**/notifications?unread=true');
    await expect.poll(async () => byTestId('notification-item').count()).toBe(1);
    await screenshot(page, 'notifications-03-page');

    await byTestId('notifications-read-all').click();
    await byTestId('notifications-empty').waitFor();
    await expect.poll(unreadOnBell).toBe(0);
    expect(await byTestId('notification-count').count()).toBe(0);
  });

  it('reads in Japanese', async () => {
    await byTestId('notifications-filter').getByText(/All/).click();
    await byTestId('lang-switch').getByText('日本語').click();
    await page.getByRole('heading', { name: '通知' }).waitFor();
    const first = byTestId('notification-item').first();
    expect(await first.innerText()).toContain(`${DOMAIN}：送信ドメイン認証の設定が後退しました（1 件）`);
    expect(await byTestId('nav-notifications').innerText()).toContain('通知');
    await screenshot(page, 'notifications-04-ja');
    await byTestId('lang-switch').getByText('EN').click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  });

  it('offers mail in the profile only when the server sends mail, and keeps the webhook secret hidden', async () => {
    await byTestId('nav-profile').click();
    await page.waitForURL('**/profile');
    await byTestId('notification-preferences').waitFor();
    await expect.poll(async () => byTestId('notification-pref-email').isDisabled()).toBe(true);
    expect(await byTestId('notification-pref-in_app').isChecked()).toBe(true);

    await byTestId('nav-notification-settings').click();
    await page.waitForURL('**/notifications/settings');
    // A receiver on the server's own network is refused as it is saved (this server does not allow one).
    await byTestId('webhook-url').fill('http://127.0.0.1:9/mamori');
    await byTestId('webhook-secret').fill(SECRET);
    await byTestId('webhook-enabled').check();
    await byTestId('webhook-save').click();
    // Under the field, and in the message that says the save failed.
    await page
      .locator('.mantine-TextInput-error', { hasText: '127.0.0.1 is not a public address' })
      .waitFor();
    await screenshot(page, 'notifications-05-settings-private');
    await byTestId('lang-switch').getByText('日本語').click();
    await page.getByText('署名用シークレット').first().waitFor();
    // The field's error is put in the UI language from its code, not shown in the server's English.
    await page
      .locator('.mantine-TextInput-error', { hasText: '127.0.0.1 は公開アドレスではありません' })
      .waitFor();
    // So is the notice that says the save failed, shown before the switch.
    await page.getByText('入力内容に誤りがあります。各項目を確認してください。').waitFor();
    await screenshot(page, 'notifications-05-settings-private-ja');
    await byTestId('lang-switch').getByText('EN').click();
    // The browser logs the refused request (422): expected here, and the only problem allowed.
    expect(pageProblems.splice(0)).toEqual([
      expect.stringContaining('the server responded with a status of 422'),
    ]);
    await byTestId('webhook-url').fill('https://hooks.mamori.invalid/mamori');
    await byTestId('webhook-save').click();
    await page.getByText('A secret is stored').waitFor();
    expect(await byTestId('webhook-secret').inputValue()).toBe('');
    const settings = await callApi<Record<string, unknown>>('GET', '/api/v1/notifications/settings');
    expect(settings.body).toMatchObject({
      webhookUrl: 'https://hooks.mamori.invalid/mamori',
      secretSet: true,
    });
    expect(JSON.stringify(settings.body)).not.toContain(SECRET);
    await screenshot(page, 'notifications-06-settings');
    expect(pageProblems).toEqual([]);
  });
});
