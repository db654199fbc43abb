// The sending-domain inventory over HTTP on a real database, scanned over real DNS (a test server on 127.0.0.1):
// validation, scope, scans and their timeline, regressions raising an alert and a risk, the scheduler's claims,
// the group's roll-up and the rollout board.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, factoryActor, personFactory } from '../factories/org.factory.ts';
import { standardMethod } from '../factories/risk.factory.ts';
import type { CompanyDto, PersonDto } from '../../src/modules/org/index.ts';
import type {
  AlertDto,
  EmailDomainDto,
  Rollup,
  RolloutBoard,
  ScanDetail,
  ScanDto,
} from '../../src/modules/email-auth/index.ts';
import type { RiskDto } from '../../src/modules/risks/index.ts';

type Page<T> = { items: T[]; nextCursor: string | null };
type Problem = { status: number; errors?: { path: string; message: string }[] };

const rsaKey = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
/** A DKIM key record in character-strings of at most 255 bytes. */
const dkimTxt = (key: string) => `v=DKIM1; k=rsa; p=${key}`.match(/.{1,250}/g)!;
const KEY = rsaKey(2048);

const zone = (over: Record<string, unknown[]> = {}) => ({
  'shop.example': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }, { MX: [10, 'mx.shop.example'] }],
  'mx.shop.example': [{ A: '192.0.2.25' }],
  '_dmarc.shop.example': [{ TXT: 'v=DMARC1; p=reject; rua=mailto:dmarc@shop.example' }],
  's1._domainkey.shop.example': [{ TXT: dkimTxt(KEY) }],
  'old-brand.example': [{ TXT: 'v=spf1 -all' }, { MX: [0, '.'] }],
  '_dmarc.old-brand.example': [{ TXT: 'v=DMARC1; p=reject' }],
  'news.example': [{ TXT: 'v=spf1 ip4:198.51.100.0/24 ~all' }, { MX: [10, 'mx.shop.example'] }],
  '_dmarc.news.example': [{ TXT: 'v=DMARC1; p=none' }],
  ...over,
});

describe.each(dialectsUnderTest())('email domains on %s', (dialect) => {
  let env: TestEnv;
  let dns: TestDnsServer;
  let admin: TestUser;
  let officer: TestUser;
  let auditor: TestUser;
  let otherOfficer: TestUser;
  let shop: CompanyDto;
  let other: CompanyDto;
  let owner: PersonDto;
  let outsider: PersonDto;
  let domain: EmailDomainDto;

  const as = (user: TestUser) => (method: string, url: string, payload?: object) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: user.headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  const api = (method: string, url: string, payload?: object) => as(admin)(method, url, payload);
  const scan = async (id: string) => {
    const res = await api('POST', `/api/v1/email/domains/${id}/scan`);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ScanDto>();
  };

  beforeAll(async () => {
    // TTL 0: every scan asks the server again, so that a changed zone is seen at once.
    dns = await startDnsServer({ zone: zone(), ttl: 0 });
    env = await createTestEnv(dialect, { MAMORI_DNS_SERVERS: dns.address });
    shop = await companyFactory(env.ctx)({ shortCode: 'MSHOP', legalName: 'Kumo Mail Shop' });
    other = await companyFactory(env.ctx)({ shortCode: 'MOTHER', legalName: 'Kumo Other' });
    owner = await personFactory(env.ctx)(shop.id, { employeeNumber: 'M-1', name: 'Mori Aoi' });
    outsider = await personFactory(env.ctx)(other.id, { employeeNumber: 'O-1', name: 'Ota Ren' });
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: shop.id }]);
    auditor = await userFactory(env.ctx)([{ role: 'auditor', companyId: shop.id }]);
    otherOfficer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: other.id }]);
    await env.ctx.services.risks.setMethod(factoryActor, shop.id, { ...standardMethod(), version: 0 });
  });
  afterAll(async () => {
    await env?.close();
    await dns?.close();
  });

  it('adds domains with their owner, selectors and expected sources, refusing bad input', async () => {
    const res = await as(officer)('POST', '/api/v1/email/domains', {
      companyId: shop.id,
      name: 'Shop.Example.',
      service: 'Kumo Shop storefront',
      ownerPersonId: owner.id,
      dkimSelectors: ['s1'],
      expectedSources: ['192.0.2.10', '192.0.2.0/28'],
    });
    expect(res.statusCode, res.body).toBe(201);
    domain = res.json<EmailDomainDto>();
    expect(domain).toMatchObject({
      name: 'shop.example',
      role: 'sends',
      scanIntervalHours: 24,
      raiseRisks: true,
      posture: null,
      lastScannedAt: null,
      version: 1,
    });

    const dup = await api('POST', '/api/v1/email/domains', {
      companyId: other.id,
      name: 'shop.example',
      service: 'x',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      errors: [{ path: 'name', code: 'taken', params: { value: 'shop.example' } }],
    });
    const badName = await api('POST', '/api/v1/email/domains', {
      companyId: shop.id,
      name: 'not a domain',
      service: 'x',
    });
    expect(badName.statusCode).toBe(400);
    const bad = await api('POST', '/api/v1/email/domains', {
      companyId: shop.id,
      name: 'bad.example',
      service: 'x',
      ownerPersonId: outsider.id,
      expectedSources: ['192.0.2.1', '300.1.1.1', '2001:db8::/129'],
    });
    expect(bad.statusCode).toBe(422);
    expect((bad.json<Problem>().errors ?? []).map((e) => e.path)).toEqual([
      'ownerPersonId',
      'expectedSources.1',
      'expectedSources.2',
    ]);
    expect((await api('GET', '/api/v1/email/domains?q=bad')).json<Page<EmailDomainDto>>().items).toEqual([]);
    expect(
      (
        await as(auditor)('POST', '/api/v1/email/domains', {
          companyId: shop.id,
          name: 'a.example',
          service: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect((await as(otherOfficer)('GET', `/api/v1/email/domains/${domain.id}`)).statusCode).toBe(404);
    const stale = await api('PATCH', `/api/v1/email/domains/${domain.id}`, { version: 9, service: 'x' });
    expect(stale.statusCode).toBe(409);
  });

  it('scans over real DNS and keeps the timeline; a weaker posture raises an alert and one risk', async () => {
    const first = await scan(domain.id);
    expect(first.posture).toMatchObject({ spf: 'pass', dmarcPolicy: 'reject', dkimStrong: true });
    expect(first.regressions).toEqual([]);
    expect(dns.queries.some((q) => q.name === 's1._domainkey.shop.example' && q.type === 'TXT')).toBe(true);
    const detail = (await api('GET', `/api/v1/email/scans/${first.id}`)).json<ScanDetail>();
    expect(detail.report).toMatchObject({
      domain: 'shop.example',
      dmarc: { record: expect.stringContaining('p=reject') },
    });

    // The DMARC policy is lowered and the DKIM key removed.
    dns.setZone(
      zone({
        '_dmarc.shop.example': [{ TXT: 'v=DMARC1; p=none' }],
        's1._domainkey.shop.example': [],
      }),
    );
    const second = await scan(domain.id);
    expect(second.regressions.map((r) => r.code)).toEqual(['dmarc-weakened', 'dkim-key-gone']);
    const third = await scan(domain.id);
    expect(third.regressions).toEqual([]);

    const alerts = (await as(officer)('GET', `/api/v1/email/alerts?domainId=${domain.id}`)).json<
      Page<AlertDto>
    >();
    expect(alerts.items).toHaveLength(1);
    const alert = alerts.items[0]!;
    expect(alert).toMatchObject({
      scanId: second.id,
      severity: 'error',
      domain: 'shop.example',
      acknowledgedAt: null,
    });
    expect(alert.riskId).not.toBeNull();
    const risk = (await api('GET', `/api/v1/risks/${alert.riskId}`)).json<RiskDto>();
    expect(risk).toMatchObject({
      companyId: shop.id,
      ownerPersonId: owner.id,
      source: { kind: 'email-domain', ref: 'shop.example' },
    });
    expect(risk.scenario).toContain('The DMARC policy went from p=reject to p=none');

    // A scan that cannot read the DMARC record is kept, but neither moves the posture nor counts as a regression.
    dns.setZone(zone());
    dns.options.faults = { '_dmarc.shop.example': 'garbage' };
    const broken = await scan(domain.id);
    dns.options.faults = {};
    expect(broken).toMatchObject({ complete: false, regressions: [] });
    const still = (await api('GET', `/api/v1/email/domains/${domain.id}`)).json<EmailDomainDto>();
    expect(still).toMatchObject({ lastScanId: third.id, posture: { dmarcPolicy: 'none' } });
    expect(still.lastAttemptAt).toBe(broken.scannedAt);

    // Restored, then weakened again: a second alert, the same risk.
    dns.setZone(zone());
    await scan(domain.id);
    dns.setZone(zone({ '_dmarc.shop.example': [{ TXT: 'v=DMARC1; p=quarantine' }] }));
    await scan(domain.id);
    const again = (await api('GET', `/api/v1/email/alerts?domainId=${domain.id}`)).json<Page<AlertDto>>()
      .items;
    expect(again).toHaveLength(2);
    expect(again[0]!.riskId).toBe(alert.riskId);
    const risks = (await api('GET', `/api/v1/risks?sourceKind=email-domain&sourceRef=shop.example`)).json<
      Page<RiskDto>
    >();
    expect(risks.items).toHaveLength(1);

    const timeline = (await api('GET', `/api/v1/email/domains/${domain.id}/scans?limit=4`)).json<
      Page<ScanDto>
    >();
    expect(timeline.items.map((s) => [s.posture.dmarcPolicy, s.complete])).toEqual([
      ['quarantine', true],
      ['reject', true],
      [expect.any(String), false],
      ['none', true],
    ]);
    expect(timeline.nextCursor).not.toBeNull();
    const rest = (
      await api('GET', `/api/v1/email/domains/${domain.id}/scans?limit=4&cursor=${timeline.nextCursor}`)
    ).json<Page<ScanDto>>();
    expect(rest.items.map((s) => s.id)).toEqual([second.id, first.id]);

    // Acknowledging is a versioned, audited change.
    const ack = await as(officer)('POST', `/api/v1/email/alerts/${alert.id}/acknowledge`, { version: 1 });
    expect(ack.json<AlertDto>()).toMatchObject({ acknowledgedBy: officer.email, version: 2 });
    expect(
      (await as(officer)('POST', `/api/v1/email/alerts/${alert.id}/acknowledge`, { version: 1 })).statusCode,
    ).toBe(409);
    const open = (await api('GET', `/api/v1/email/alerts?domainId=${domain.id}&open=true`)).json<
      Page<AlertDto>
    >();
    expect(open.items.map((a) => a.id)).not.toContain(alert.id);
    const audit = await api('GET', `/api/v1/audit?entityType=email_domain&entityId=${domain.id}&limit=200`);
    expect(
      audit.json<Page<{ action: string }>>().items.filter((e) => e.action === 'email_domain.scan'),
    ).toHaveLength(6);
  });

  it('scans what is due once, whichever process claims it first', async () => {
    for (const [name, role] of [
      ['old-brand.example', 'parked'],
      ['news.example', 'sends'],
    ] as const)
      expect(
        (await api('POST', '/api/v1/email/domains', { companyId: shop.id, name, service: 'Brand', role }))
          .statusCode,
      ).toBe(201);
    const svc = env.ctx.services.emailAuth;
    const [a, b] = await Promise.all([
      svc.runDueScans({ limit: 10, concurrency: 2 }),
      svc.runDueScans({ limit: 10, concurrency: 2 }),
    ]);
    expect(a + b).toBe(2);
    expect(await svc.runDueScans({ limit: 10, concurrency: 2 })).toBe(0);
    const parked = (await api('GET', '/api/v1/email/domains?role=parked')).json<Page<EmailDomainDto>>()
      .items[0]!;
    expect(parked.posture).toMatchObject({ dmarcPolicy: 'reject' });
    expect(Date.parse(parked.nextScanAt) - Date.parse(parked.lastScannedAt!)).toBe(24 * 3_600_000);

    const queued = await as(officer)('POST', '/api/v1/email/rescan', { companyId: shop.id });
    expect(queued.statusCode).toBe(202);
    expect(queued.json<{ queued: number }>().queued).toBe(3);
    expect((await as(otherOfficer)('POST', '/api/v1/email/rescan', { companyId: shop.id })).statusCode).toBe(
      404,
    );
    // A domain being scanned is not made due again; once its scan ends it is.
    const news = (await api('GET', '/api/v1/email/domains?q=news')).json<Page<EmailDomainDto>>().items[0]!;
    await env.ctx.db.kysely
      .updateTable('email_domains')
      .set({
        claimed_until: new Date(Date.now() + 60_000).toISOString(),
        next_scan_at: new Date(Date.now() + 60_000).toISOString(),
      })
      .where('id', '=', news.id)
      .execute();
    expect(
      (await as(officer)('POST', '/api/v1/email/rescan', { companyId: shop.id })).json<{ queued: number }>()
        .queued,
    ).toBe(2);
    expect(await svc.runDueScans({ limit: 10, concurrency: 3 })).toBe(2);
    await env.ctx.db.kysely
      .updateTable('email_domains')
      .set({ claimed_until: null })
      .where('id', '=', news.id)
      .execute();

    // A regression on a domain without an owner, in a company without a CISO: an alert says why no risk was raised.
    dns.setZone(zone({ '_dmarc.news.example': [] }));
    const weaker = (await scan(news.id)).regressions.map((r) => r.code);
    dns.setZone(zone({ '_dmarc.shop.example': [{ TXT: 'v=DMARC1; p=quarantine' }] }));
    expect(weaker).toEqual(['dmarc-weakened']);
    const noted = (await api('GET', `/api/v1/email/alerts?domainId=${news.id}`)).json<Page<AlertDto>>()
      .items[0]!;
    expect(noted).toMatchObject({
      riskId: null,
      riskNote: 'the domain has no owner and the company no CISO to own the risk',
    });
    await scan(news.id);
  });

  it('rolls the posture up for the group and puts the sending domains on the rollout board', async () => {
    const rollup = (await api('GET', '/api/v1/email/rollup')).json<Rollup>();
    expect(rollup).toMatchObject({
      domains: 3,
      sending: 2,
      parked: 1,
      scanned: 3,
      sendingScanned: 2,
      parkedLocked: 1,
    });
    expect(rollup.dmarc).toEqual({ missing: 0, none: 1, quarantine: 1, reject: 1 });
    expect(rollup.companies).toEqual([expect.objectContaining({ companyId: shop.id, domains: 3 })]);
    expect((await as(otherOfficer)('GET', '/api/v1/email/rollup')).json<Rollup>().domains).toBe(0);

    const board = (await as(officer)('GET', '/api/v1/email/rollout-board')).json<RolloutBoard>();
    expect(board.columns.map((c) => [c.stage, c.domains.map((d) => d.name)])).toEqual([
      ['missing', []],
      ['none', ['news.example']],
      ['quarantine', ['shop.example']],
      ['reject', []],
    ]);
    const failing = (await api('GET', '/api/v1/email/domains?dmarcPolicy=none')).json<Page<EmailDomainDto>>();
    expect(failing.items.map((d) => d.name)).toEqual(['news.example']);
  });
});
