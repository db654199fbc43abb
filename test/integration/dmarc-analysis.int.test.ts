// The DMARC analysis over imported reports, on a real database: volume and pass rate per day, aligned vs
// unaligned vs failing, the two lists a team acts on (failing sources of its own, unknown ones) against the
// domain's SPF as scanned over real DNS, and the readiness verdict for the next policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, factoryActor } from '../factories/org.factory.ts';
import type { CompanyDto } from '../../src/modules/org/index.ts';
import type {
  Analysis,
  FailureReportDetail,
  FailureReportDto,
  ReadinessList,
  ServiceDto,
  Sources,
} from '../../src/modules/dmarc-reports/index.ts';
import type { AlertDto } from '../../src/modules/email-auth/index.ts';
import { buildEmail } from '../../src/modules/dmarc-reports/lib/fixtures/archives.ts';

interface Rec {
  ip: string;
  count: number;
  dkim: 'pass' | 'fail';
  spf: 'pass' | 'fail';
  disposition?: string;
  reason?: string;
  dkimAuth?: string;
  spfAuth?: string;
}

const DAY = 86_400;
/** An aggregate report of `daysAgo` days ago (UTC midnight to midnight). */
function reportXml(id: string, domain: string, daysAgo: number, records: Rec[]): string {
  const midnight = Math.floor(Date.now() / 1000 / DAY) * DAY;
  const begin = midnight - daysAgo * DAY;
  const rows = records
    .map(
      (r) => `<record><row><source_ip>${r.ip}</source_ip><count>${r.count}</count><policy_evaluated>
<disposition>${r.disposition ?? 'none'}</disposition><dkim>${r.dkim}</dkim><spf>${r.spf}</spf>
${r.reason ? `<reason><type>${r.reason}</type></reason>` : ''}</policy_evaluated></row>
<identifiers><header_from>${domain}</header_from></identifiers><auth_results>
${r.dkimAuth ? `<dkim><domain>${r.dkimAuth}</domain><selector>s1</selector><result>pass</result></dkim>` : ''}
<spf><domain>${r.spfAuth ?? domain}</domain><result>${r.spfAuth ? 'pass' : r.spf}</result></spf></auth_results></record>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><feedback><report_metadata><org_name>Receiver</org_name><email>d@receiver.example</email>
<report_id>${id}</report_id><date_range><begin>${begin}</begin><end>${begin + DAY - 1}</end></date_range></report_metadata>
<policy_published><domain>${domain}</domain><adkim>s</adkim><p>none</p></policy_published>${rows}</feedback>`;
}

describe.each(dialectsUnderTest())('DMARC analysis on %s', (dialect) => {
  let env: TestEnv;
  let dns: TestDnsServer;
  let admin: TestUser;
  let officer: TestUser;
  let otherOfficer: TestUser;
  let shop: CompanyDto;

  const get = <T>(user: TestUser, url: string) =>
    env.app.inject({ method: 'GET', url, headers: user.headers }).then((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    });

  beforeAll(async () => {
    dns = await startDnsServer({
      zone: {
        'ana.example': [{ TXT: 'v=spf1 include:_spf.relay.example -all' }, { MX: [10, 'mx.ana.example'] }],
        '_spf.relay.example': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }],
        'mx.ana.example': [{ A: '192.0.2.25' }],
        '_dmarc.ana.example': [{ TXT: 'v=DMARC1; p=none; adkim=s; rua=mailto:d@ana.example' }],
        '10.2.0.192.in-addr.arpa': [{ PTR: 'relay1.ana.example' }],
        '5.113.0.203.in-addr.arpa': [{ PTR: 'o1.ptr1234.sendgrid.net' }],
      },
    });
    env = await createTestEnv(dialect, { MAMORI_DNS_SERVERS: dns.address });
    shop = await companyFactory(env.ctx)({ shortCode: 'ASHOP', legalName: 'Kumo Analysis Shop' });
    const other = await companyFactory(env.ctx)({ shortCode: 'AOTHER', legalName: 'Kumo Other' });
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: shop.id }]);
    otherOfficer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: other.id }]);
    const domain = await env.ctx.services.emailAuth.createDomain(factoryActor, {
      companyId: shop.id,
      name: 'ana.example',
      service: 'Shop',
      role: 'sends',
      ownerPersonId: null,
      dkimSelectors: ['s1'],
      expectedSources: [],
      scanIntervalHours: 24,
      raiseRisks: false,
    });
    expect((await env.ctx.services.emailAuth.scanNow(factoryActor, domain.id)).complete).toBe(true);
    const load = async (name: string, xml: string) => {
      const r = await env.app.inject({
        method: 'POST',
        url: `/api/v1/dmarc/files?name=${name}`,
        headers: { ...officer.headers, 'content-type': 'application/xml' },
        payload: xml,
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    await load(
      'two-days-ago.xml',
      reportXml('a-1', 'ana.example', 2, [
        { ip: '192.0.2.10', count: 100, dkim: 'pass', spf: 'pass', dkimAuth: 'ana.example' },
        // Our relay, SPF-authorised, but the envelope is the ESP's: fails DMARC.
        { ip: '192.0.2.20', count: 5, dkim: 'fail', spf: 'fail', spfAuth: 'bounce.esp.example' },
        { ip: '203.0.113.5', count: 40, dkim: 'fail', spf: 'fail', disposition: 'none' },
      ]),
    );
    await load(
      'yesterday.xml',
      reportXml('a-2', 'news.ana.example', 1, [
        // Signed by a name of ours, not aligned under adkim=s.
        { ip: '198.51.100.9', count: 3, dkim: 'fail', spf: 'fail', dkimAuth: 'mail.ana.example' },
        { ip: '198.51.100.77', count: 2, dkim: 'fail', spf: 'fail', reason: 'forwarded' },
      ]),
    );
  });
  afterAll(async () => {
    await env?.close();
    await dns?.close();
  });

  it('counts volume per day, the pass rate and the DKIM / SPF split for a domain and its subdomains', async () => {
    const a = await get<Analysis>(officer, '/api/v1/dmarc/analysis?domain=ana.example&days=7');
    expect(a).toMatchObject({ messages: 150, pass: 100, fail: 50, passRate: 667, forwarded: 2 });
    expect(a.dkim).toEqual({ aligned: 100, unaligned: 3, fail: 47 });
    expect(a.spf).toEqual({ aligned: 100, unaligned: 5, fail: 45 });
    expect(a.dispositions).toEqual({ none: 150 });
    expect(a.series).toHaveLength(7);
    const day = (n: number) => new Date(Date.now() - n * DAY * 1000).toISOString().slice(0, 10);
    expect(a.series.find((s) => s.day === day(2))).toEqual({ day: day(2), pass: 100, fail: 45 });
    expect(a.series.find((s) => s.day === day(1))).toEqual({ day: day(1), pass: 0, fail: 5 });
    expect(a.domains).toEqual([{ domain: 'ana.example', messages: 150, pass: 100, fail: 50 }]);
    // The company and the group views add up the same mail; another company sees nothing of it.
    expect((await get<Analysis>(officer, `/api/v1/dmarc/analysis?companyId=${shop.id}`)).messages).toBe(150);
    expect((await get<Analysis>(admin, '/api/v1/dmarc/analysis')).messages).toBe(150);
    expect((await get<Analysis>(otherOfficer, '/api/v1/dmarc/analysis')).messages).toBe(0);
    const hidden = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/analysis?domain=ana.example',
      headers: otherOfficer.headers,
    });
    expect(hidden.statusCode).toBe(404);
  });

  it('separates failing sources of our own from unknown ones', async () => {
    const s = await get<Sources>(officer, '/api/v1/dmarc/sources?domain=ana.example&days=30');
    expect(s.ours.map((x) => [x.ip, x.fail, x.spfAuthorised, x.failOurs])).toEqual([
      ['192.0.2.20', 5, true, 5],
      ['198.51.100.9', 3, false, 3],
    ]);
    expect(s.unknown.map((x) => [x.ip, x.fail])).toEqual([['203.0.113.5', 40]]);
    expect(s.passing.map((x) => x.ip)).toEqual(['192.0.2.10']);
    const bad = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/sources',
      headers: officer.headers,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('gives each sending domain a verdict for its next policy', async () => {
    const r = await get<ReadinessList>(officer, '/api/v1/dmarc/readiness?days=30');
    expect(r.domains).toEqual([
      expect.objectContaining({
        domain: 'ana.example',
        policy: 'none',
        verdict: 'not-ready',
        messages: 150,
        legitimate: 108,
        affected: 74,
      }),
    ]);
    // The reason as a code with its figures (for the screens' languages) and in English.
    expect(r.domains[0]!.reasons).toEqual([
      {
        code: 'too-much-failing',
        params: { affected: 74, limit: 5 },
        message: expect.stringMatching(/^7\.4 % of legitimate mail fails DMARC/),
      },
    ]);
  });

  it('raises alerts for a new unknown source, a failure report and a falling pass rate, once a day', async () => {
    const upload = (name: string, body: string | Buffer) =>
      env.app.inject({
        method: 'POST',
        url: `/api/v1/dmarc/files?name=${name}`,
        headers: { ...officer.headers, 'content-type': 'application/octet-stream' },
        payload: body,
      });
    // Twenty days of good mail, then a week where most of it fails.
    for (let d = 20; d >= 8; d--)
      expect(
        (
          await upload(
            `good-${d}.xml`,
            reportXml(`g-${d}`, 'ana.example', d, [
              { ip: '192.0.2.10', count: 50, dkim: 'pass', spf: 'pass' },
              // A failing source seen every day: not new when it sends more below.
              { ip: '198.51.100.20', count: 1, dkim: 'fail', spf: 'fail' },
            ]),
          )
        ).statusCode,
      ).toBe(200);
    const bad = reportXml('b-0', 'ana.example', 0, [
      { ip: '192.0.2.10', count: 50, dkim: 'pass', spf: 'pass' },
      { ip: '203.0.113.99', count: 300, dkim: 'fail', spf: 'fail' },
      { ip: '198.51.100.20', count: 300, dkim: 'fail', spf: 'fail' },
    ]);
    expect((await upload('bad.xml', bad)).statusCode).toBe(200);
    const arf = buildEmail({
      contentType: 'multipart/report; report-type=feedback-report',
      parts: [
        { contentType: 'text/plain', data: 'An authentication failure report.' },
        {
          contentType: 'message/feedback-report',
          data: 'Feedback-Type: auth-failure\r\nUser-Agent: Receiver/1.0\r\nVersion: 1\r\nAuth-Failure: dmarc\r\nReported-Domain: ana.example\r\nSource-IP: 203.0.113.99\r\n',
        },
        {
          contentType: 'text/rfc822-headers',
          data: 'From: billing@ana.example\r\nTo: victim@receiver.example\r\nSubject: Your invoice\r\n',
        },
      ],
    });
    expect((await upload('failure.eml', arf)).statusCode).toBe(200);
    const alerts = await get<{ items: AlertDto[] }>(officer, '/api/v1/email/alerts?limit=20');
    const codes = alerts.items.flatMap((a) => a.regressions.map((r) => r.code)).sort();
    expect(codes).toEqual(['dmarc-failure-reports', 'dmarc-pass-rate-drop', 'dmarc-unknown-source']);
    const unknown = alerts.items.find((a) => a.regressions.some((r) => r.code === 'dmarc-unknown-source'))!;
    expect(unknown).toMatchObject({ domain: 'ana.example', scanId: null, severity: 'error', riskId: null });
    expect(unknown.riskNote).toBe('raising risks is off for this domain');
    expect(unknown.regressions.find((r) => r.code === 'dmarc-unknown-source')!.message).toMatch(
      /^A new unknown source, 203\.0\.113\.99, sent 300 messages failing DMARC as ana\.example/,
    );
    // The same again today raises nothing new.
    await upload(
      'bad-2.xml',
      reportXml('b-1', 'ana.example', 0, [{ ip: '203.0.113.98', count: 300, dkim: 'fail', spf: 'fail' }]),
    );
    expect((await get<{ items: AlertDto[] }>(officer, '/api/v1/email/alerts?limit=20')).items).toHaveLength(
      alerts.items.length,
    );
  });

  it('names sources by reverse DNS over the wire and by the editable list of sending services', async () => {
    expect(await env.ctx.services.dmarcReports.nameSources()).toBeGreaterThanOrEqual(5);
    expect(dns.queries.some((q) => q.type === 'PTR' && q.name === '5.113.0.203.in-addr.arpa')).toBe(true);
    const s = await get<Sources>(officer, '/api/v1/dmarc/sources?domain=ana.example&days=30');
    expect(s.passing.find((x) => x.ip === '192.0.2.10')).toMatchObject({
      name: 'relay1.ana.example',
      service: null,
    });
    expect(s.unknown.find((x) => x.ip === '203.0.113.5')).toMatchObject({
      name: 'o1.ptr1234.sendgrid.net',
      service: 'SendGrid',
    });

    const post = (user: TestUser, body: object) =>
      env.app.inject({ method: 'POST', url: '/api/v1/dmarc/services', headers: user.headers, payload: body });
    expect((await post(officer, { name: 'Group relays', rdnsSuffixes: ['ana.example'] })).statusCode).toBe(
      403,
    );
    const created = await post(admin, { name: 'Group relays', rdnsSuffixes: ['Ana.Example'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<ServiceDto>()).toMatchObject({ rdnsSuffixes: ['ana.example'], version: 1 });
    expect((await post(admin, { name: 'Group relays', rdnsSuffixes: ['x.example'] })).statusCode).toBe(409);
    expect((await post(admin, { name: 'Bad', rdnsSuffixes: ['not a domain'] })).statusCode).toBe(400);
    // A service known by the SPF record the domain includes for it: the relay range comes through _spf.relay.example.
    const byInclude = await post(admin, { name: 'Relay provider', spfIncludes: ['_spf.relay.example'] });
    expect(byInclude.statusCode, byInclude.body).toBe(201);
    const again = await get<Sources>(officer, '/api/v1/dmarc/sources?domain=ana.example&days=30');
    expect(again.passing.find((x) => x.ip === '192.0.2.10')!.service).toBe('Group relays');
    expect(again.ours.find((x) => x.ip === '192.0.2.20')!.service).toBe('Relay provider');
    expect(again.unknown.find((x) => x.ip === '203.0.113.5')!.service).toBe('SendGrid');
    const svc = created.json<ServiceDto>();
    const stale = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/dmarc/services/${svc.id}`,
      headers: admin.headers,
      payload: { version: 9, name: 'x' },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('lists failure reports with their original headers as text, and exports records as CSV', async () => {
    const list = await get<{ items: FailureReportDto[] }>(
      officer,
      '/api/v1/dmarc/failure-reports?domain=ana.example',
    );
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      feedbackType: 'auth-failure',
      authFailure: 'dmarc',
      sourceIp: '203.0.113.99',
      companyId: shop.id,
    });
    const detail = await get<FailureReportDetail>(
      officer,
      `/api/v1/dmarc/failure-reports/${list.items[0]!.id}`,
    );
    expect(detail.originalHeaders).toContain('Subject: Your invoice');
    const hidden = await env.app.inject({
      method: 'GET',
      url: `/api/v1/dmarc/failure-reports/${list.items[0]!.id}`,
      headers: otherOfficer.headers,
    });
    expect(hidden.statusCode).toBe(404);

    const csv = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/records.csv?domain=ana.example&days=30&dmarc=fail',
      headers: officer.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="dmarc-records-ana.example.csv"');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^report_begin,report_end,reporter,report_id,policy_domain,source_ip,count,/);
    const ips = lines.slice(1).map((l) => l.split(',')[5]);
    expect(ips).toContain('203.0.113.5');
    expect(ips).not.toContain('192.0.2.10');
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/dmarc/records.csv?domain=ana.example',
          headers: otherOfficer.headers,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('answers the pages again from what they computed until a file changes the data', async () => {
    const url = '/api/v1/dmarc/analysis?domain=ana.example&days=30';
    const before = await get<Analysis>(officer, url);
    expect(await get<Analysis>(officer, url)).toEqual(before);
    const sourcesUrl = '/api/v1/dmarc/sources?domain=ana.example&days=30';
    expect((await get<Sources>(officer, sourcesUrl)).unknown.some((x) => x.ip === '203.0.113.200')).toBe(
      false,
    );
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/dmarc/files?name=late.xml',
      headers: { ...officer.headers, 'content-type': 'application/xml' },
      payload: reportXml('late-1', 'ana.example', 1, [
        { ip: '203.0.113.200', count: 7, dkim: 'fail', spf: 'fail' },
      ]),
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await get<Analysis>(officer, url);
    expect(after.messages).toBe(before.messages + 7);
    expect(after.fail).toBe(before.fail + 7);
    expect((await get<Sources>(officer, sourcesUrl)).unknown.some((x) => x.ip === '203.0.113.200')).toBe(
      true,
    );
    // A file of nothing new (a duplicate) leaves the data, and the answer, as they were.
    await env.app.inject({
      method: 'POST',
      url: '/api/v1/dmarc/files?name=late-again.xml',
      headers: { ...officer.headers, 'content-type': 'application/xml' },
      payload: reportXml('late-1', 'ana.example', 1, [
        { ip: '203.0.113.200', count: 7, dkim: 'fail', spf: 'fail' },
      ]),
    });
    expect(await get<Analysis>(officer, url)).toEqual(after);
  });
});
