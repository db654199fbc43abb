// DMARC reports end to end, against a real DNS server of the test: an administrator puts a sending domain in the
// inventory and scans it (its SPF record gives the authorised range), uploads two aggregate reports and a file
// that is not one through the UI, sees the two imported and the third rejected with its reason; the domain's view
// shows the pass rate, the daily chart, a failing source of its own (SPF-authorised) and an unknown one (likely
// spoofing), the verdict "ready for quarantine" (which the rollout board shows too) and the records as CSV; a
// failure report shows its original headers as text; a sending service is added; it reads in Japanese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildEmail } from '../../src/modules/dmarc-reports/lib/fixtures/archives.ts';
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
const COMPANY = { legalName: 'Kitsune Reports K.K.', shortCode: 'E2E-DMARC', country: 'JP' };
const DOMAIN = 'kitsune-dmarc.example';

const zone = {
  [DOMAIN]: [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }, { MX: [10, `mx.${DOMAIN}`] }],
  [`mx.${DOMAIN}`]: [{ A: '192.0.2.25' }],
  [`_dmarc.${DOMAIN}`]: [{ TXT: `v=DMARC1; p=none; rua=mailto:dmarc@${DOMAIN}` }],
};

interface Rec {
  ip: string;
  count: number;
  dkim: 'pass' | 'fail';
  spf: 'pass' | 'fail';
  dkimAuth?: string;
  spfAuth?: string;
}

const DAY = 86_400;
/** An aggregate report of `daysAgo` days ago (UTC midnight to midnight), as a receiver writes it. */
function reportXml(id: string, daysAgo: number, records: Rec[]): string {
  const midnight = Math.floor(Date.now() / 1000 / DAY) * DAY;
  const begin = midnight - daysAgo * DAY;
  const rows = records
    .map(
      (r) => `<record><row><source_ip>${r.ip}</source_ip><count>${r.count}</count><policy_evaluated>
<disposition>none</disposition><dkim>${r.dkim}</dkim><spf>${r.spf}</spf></policy_evaluated></row>
<identifiers><header_from>${DOMAIN}</header_from></identifiers><auth_results>
${r.dkimAuth ? `<dkim><domain>${r.dkimAuth}</domain><selector>s1</selector><result>pass</result></dkim>` : ''}
<spf><domain>${r.spfAuth ?? DOMAIN}</domain><result>${r.spfAuth ? 'pass' : r.spf}</result></spf></auth_results></record>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><feedback><report_metadata><org_name>Receiver</org_name><email>d@receiver.example</email>
<report_id>${id}</report_id><date_range><begin>${begin}</begin><end>${begin + DAY - 1}</end></date_range></report_metadata>
<policy_published><domain>${DOMAIN}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p></policy_published>${rows}</feedback>`;
}

const FILES = [
  {
    name: 'receiver-two-days-ago.xml',
    mimeType: 'text/xml',
    buffer: Buffer.from(
      reportXml('e2e-1', 2, [
        { ip: '192.0.2.10', count: 500, dkim: 'pass', spf: 'pass', dkimAuth: DOMAIN },
        // Our relay, inside the SPF range, but the envelope is the ESP's: fails DMARC.
        { ip: '192.0.2.20', count: 1, dkim: 'fail', spf: 'fail', spfAuth: 'bounce.esp.example' },
        // Nobody we know: spoofing.
        { ip: '203.0.113.5', count: 40, dkim: 'fail', spf: 'fail' },
      ]),
    ),
  },
  {
    name: 'receiver-yesterday.xml',
    mimeType: 'text/xml',
    buffer: Buffer.from(
      reportXml('e2e-2', 1, [{ ip: '192.0.2.10', count: 300, dkim: 'pass', spf: 'pass', dkimAuth: DOMAIN }]),
    ),
  },
  {
    // A failure report of one spoofed message; its headers carry markup that must show as text.
    name: 'failure.eml',
    mimeType: 'message/rfc822',
    buffer: buildEmail({
      contentType: 'multipart/report; report-type=feedback-report',
      parts: [
        { contentType: 'text/plain', data: 'An authentication failure report.' },
        {
          contentType: 'message/feedback-report',
          data: `Feedback-Type: auth-failure\r\nUser-Agent: Receiver/1.0\r\nVersion: 1\r\nAuth-Failure: dmarc\r\nReported-Domain: ${DOMAIN}\r\nSource-IP: 203.0.113.5\r\n`,
        },
        {
          contentType: 'text/rfc822-headers',
          data: `From: billing@${DOMAIN}\r\nTo: victim@receiver.example\r\nSubject: <b id="injected">Your invoice</b>\r\n`,
        },
      ],
    }),
  },
  { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a report') },
];

let dns: TestDnsServer;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  dns = await startDnsServer({ zone, ttl: 0 });
  server = await startServer({
    MAMORI_ADMIN_EMAIL: ADMIN_EMAIL,
    MAMORI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    MAMORI_DNS_SERVERS: dns.address,
    MAMORI_SCAN_SCHEDULER: 'false',
  });
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  // 422: the file that is not a report, refused on purpose.
  watchPageProblems(page, pageProblems, ['status of 422']);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dns?.close();
});

const byTestId = (id: string) => page.getByTestId(id);

const callApi = <T>(method: string, url: string, body?: unknown) => callPage<T>(page, method, url, body);

describe('dmarc', () => {
  let domainId = '';

  it('signs in, and puts a scanned sending domain of a company in the inventory', async () => {
    await signInEnrollingMfa(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);

    const company = await callApi<{ id: string }>('POST', '/api/v1/companies', COMPANY);
    expect(company.status).toBe(201);
    const domain = await callApi<{ id: string }>('POST', '/api/v1/email/domains', {
      companyId: company.body.id,
      name: DOMAIN,
      service: 'Customer mail',
      raiseRisks: false,
    });
    expect(domain.status).toBe(201);
    domainId = domain.body.id;
    // The scan reads the SPF record: the range it authorises tells our own sources from unknown ones.
    const scan = await callApi<{ complete: boolean }>('POST', `/api/v1/email/domains/${domainId}/scan`);
    expect(scan.status).toBe(201);
    expect(scan.body.complete).toBe(true);
  });

  it('uploads two aggregate reports, a failure report and a bad file: three imported, one rejected with its reason', async () => {
    await page.reload();
    await byTestId('nav-email').click();
    await byTestId('nav-dmarc-import').click();
    await page.waitForURL('**/dmarc/import');
    await byTestId('dmarc-dropzone').waitFor();
    await byTestId('dmarc-file-input').setInputFiles(FILES);

    const row = (name: string) => byTestId('upload-row').and(page.locator(`[data-file="${name}"]`));
    await expect.poll(async () => byTestId('upload-row').count()).toBe(4);
    await expect
      .poll(async () => byTestId('dmarc-overall-text').innerText(), { timeout: 30_000 })
      .toBe('All 4 files done');
    for (const f of FILES.slice(0, 3))
      expect(await row(f.name).getByTestId('file-status').getAttribute('data-status')).toBe('imported');
    expect(await row(FILES[0]!.name).innerText()).toContain('541');
    expect(await row('notes.txt').getByTestId('file-status').getAttribute('data-status')).toBe('rejected');
    const reason = row('notes.txt').getByTestId('file-reason');
    expect(await reason.getAttribute('data-code')).toBe('unknown-format');
    expect(await reason.innerText()).toMatch(/^Not a DMARC report/);
    // The history lists every file handed in, the refused one too.
    await expect.poll(async () => byTestId('history-row').count()).toBe(4);
    await screenshot(page, 'dmarc-01-import');
    // In Japanese the reason is worded from its code, in the upload list and in the history.
    await byTestId('lang-switch').getByText('日本語').click();
    await expect.poll(async () => reason.innerText()).toMatch(/^DMARCレポートではありません/);
    const refusedInHistory = byTestId('history-row').and(page.locator('[data-file="notes.txt"]'));
    expect(await refusedInHistory.getByTestId('file-reason').innerText()).toMatch(
      /^DMARCレポートではありません/,
    );
    await screenshot(page, 'dmarc-01-import-ja');
    await byTestId('lang-switch').getByText('EN').click();

    // The same file again is a duplicate.
    await byTestId('dmarc-file-input').setInputFiles([FILES[1]!]);
    await expect.poll(async () => byTestId('upload-row').count()).toBe(5);
    await expect
      .poll(async () => byTestId('upload-row').nth(4).getByTestId('file-status').getAttribute('data-status'))
      .toBe('duplicate');
  });

  it('shows the group’s overview with the domain’s pass rate and its readiness', async () => {
    await byTestId('nav-dmarc').click();
    await page.waitForURL(/\/dmarc$/);
    await expect.poll(async () => byTestId('kpi-messages').innerText()).toBe('841');
    const domainRow = byTestId('dmarc-domain-row').and(page.locator(`[data-domain="${DOMAIN}"]`));
    expect(await domainRow.getByTestId('dmarc-domain-rate').innerText()).toBe('95.1 %');
    const readiness = byTestId('readiness-row').and(page.locator(`[data-domain="${DOMAIN}"]`));
    expect(await readiness.getByTestId('readiness-verdict').getAttribute('data-verdict')).toBe(
      'ready-quarantine',
    );
    await screenshot(page, 'dmarc-02-overview');
    await domainRow.getByRole('link', { name: DOMAIN }).click();
    await page.waitForURL(`**/dmarc/domains/${DOMAIN}/?days=30`);
  });

  it('shows the domain: pass rate, the daily chart, our failing source and an unknown one, the verdict', async () => {
    await expect.poll(async () => byTestId('dmarc-domain-title').innerText()).toBe(DOMAIN);
    await expect.poll(async () => byTestId('kpi-pass-rate').innerText()).toBe('95.1 %');
    // The chart has drawn its stacked bars: passing mail on two days, failing on one.
    await expect
      .poll(async () => byTestId('dmarc-volume-chart').locator('.recharts-bar-rectangle path').count())
      .toBeGreaterThanOrEqual(3);
    expect(await byTestId('alignment-dkim').innerText()).toContain('800');

    // Our own failing source is the tab it opens on: the relay inside the SPF range.
    const ours = byTestId('sources-ours').getByTestId('source-row');
    await expect.poll(async () => ours.count()).toBe(1);
    expect(await ours.getAttribute('data-ip')).toBe('192.0.2.20');
    await ours.getByTestId('source-spf-authorised').waitFor();
    await screenshot(page, 'dmarc-03-domain');

    await byTestId('tab-unknown').click();
    const unknown = byTestId('sources-unknown').getByTestId('source-row');
    await expect.poll(async () => unknown.count()).toBe(1);
    expect(await unknown.getAttribute('data-ip')).toBe('203.0.113.5');
    expect(await unknown.innerText()).toContain('40');
    await byTestId('tab-passing').click();
    expect(await byTestId('sources-passing').getByTestId('source-row').getAttribute('data-ip')).toBe(
      '192.0.2.10',
    );

    const verdict = byTestId('dmarc-domain-readiness').getByTestId('readiness-verdict');
    expect(await verdict.getAttribute('data-verdict')).toBe('ready-quarantine');
    expect((await verdict.innerText()).replace(/\s/g, ' ')).toBe('Ready for quarantine — 0.1 % affected');
    expect((await byTestId('readiness-reasons').innerText()).replace(/\s/g, ' ')).toBe(
      '0.1 % of legitimate mail would be affected.',
    );
    expect(await byTestId('dmarc-email-domain-link').getAttribute('href')).toBe(`/email/domains/${domainId}`);
  });

  it('exports the failing records as CSV', async () => {
    await byTestId('dmarc-csv').click();
    const href = (await byTestId('dmarc-csv-fail').getAttribute('href')) ?? '';
    expect(href).toBe(`/api/v1/dmarc/records.csv?domain=${DOMAIN}&days=30&dmarc=fail`);
    await page.keyboard.press('Escape');
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toContain('203.0.113.5');
    expect(csv.text).not.toContain('192.0.2.10');
  });

  it('lists the aggregate reports, with an unclaimed tab for a group-wide user', async () => {
    await byTestId('nav-dmarc-reports').click();
    await page.waitForURL('**/dmarc/reports');
    await expect.poll(async () => byTestId('report-row').count()).toBe(2);
    expect(await byTestId('report-row').first().innerText()).toContain('p=none');
    await byTestId('reports-tab-unclaimed').click();
    await expect.poll(async () => page.getByText('No unclaimed reports').count()).toBe(1);
  });

  it('shows a failure report with its original headers as text', async () => {
    await byTestId('nav-dmarc-failures').click();
    await page.waitForURL('**/dmarc/failure-reports');
    await expect.poll(async () => byTestId('failure-row').count()).toBe(1);
    expect(await byTestId('failure-row').innerText()).toContain('203.0.113.5');
    await byTestId('failure-open').click();
    const headers = byTestId('failure-headers');
    await headers.waitFor();
    expect(await headers.innerText()).toContain('Subject: <b id="injected">Your invoice</b>');
    expect(await page.locator('#injected').count()).toBe(0);
    // The drawer slides in: let it settle before the picture.
    await page.waitForTimeout(400);
    await screenshot(page, 'dmarc-05-failure-report');
    await page.keyboard.press('Escape');
  });

  it('adds a known sending service', async () => {
    await byTestId('nav-dmarc-services').click();
    await page.waitForURL('**/dmarc/services');
    await byTestId('service-create').click();
    await byTestId('service-name').fill('Kitsune Relay');
    await byTestId('service-suffixes').fill('relay.kitsune-dmarc.example');
    await byTestId('service-suffixes').press('Enter');
    await byTestId('service-save').click();
    const row = byTestId('service-row').and(page.locator('[data-name="Kitsune Relay"]'));
    await row.waitFor();
    expect(await row.innerText()).toContain('relay.kitsune-dmarc.example');
  });

  it('shows the verdict on the rollout board’s card', async () => {
    await byTestId('nav-email-rollout').click();
    await page.waitForURL('**/email/rollout');
    const card = byTestId('rollout-column-none').getByTestId('rollout-card').filter({ hasText: DOMAIN });
    await card.getByTestId('rollout-readiness').waitFor();
    expect((await card.getByTestId('rollout-readiness').innerText()).replace(/\s/g, ' ')).toBe(
      'Ready for quarantine — 0.1 % affected',
    );
    await screenshot(page, 'dmarc-04-rollout');
  });

  it('reads in Japanese', async () => {
    // A reload of the domain view (its URL ends in "/": see domainPath) is answered with the UI.
    await page.goto(`${server.baseUrl}/dmarc/domains/${DOMAIN}/?tab=unknown`);
    await byTestId('sources-unknown').waitFor();
    await byTestId('lang-switch').getByText('日本語').click();
    await expect.poll(async () => byTestId('tab-unknown').innerText()).toContain('なりすまし');
    expect(await byTestId('tab-ours').innerText()).toContain('送信元');
    expect(await byTestId('nav-dmarc-reports').innerText()).toContain('集約レポート');
    expect(await byTestId('dmarc-domain-readiness').getByTestId('readiness-verdict').innerText()).toContain(
      'quarantineへ移行可能',
    );
    expect((await byTestId('readiness-reasons').innerText()).replace(/\s/g, ' ')).toBe(
      '正当なメールの 0.1 % が影響を受けます。',
    );
    await screenshot(page, 'dmarc-06-domain-ja');
    expect(pageProblems).toEqual([]);
  });
});
