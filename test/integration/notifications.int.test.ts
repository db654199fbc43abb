// Notifications over HTTP on a real database: an email alert (a posture scan over a real DNS server of the test,
// and the DMARC reports' path) tells the company's email readers, the group-wide roles and the domain's owner and
// no one of another company; read state per user; mail through a real SMTP server; the group's webhook, signed,
// on a real HTTP server; a failing delivery retried with backoff, given up, and tried again; two replicas
// delivering the same outbox without sending anything twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { startWebhookServer, type TestWebhookServer } from '../support/webhook-server.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, personFactory } from '../factories/org.factory.ts';
import { systemActor } from '../../src/platform/authz/permissions.ts';
import { loadSecretKey, secretBox } from '../../src/platform/auth/secrets.ts';
import {
  createNotificationsService,
  verifyWebhook,
  type DeliveryDto,
  type NotificationDto,
  type NotificationsService,
  type PreferencesDto,
  type WebhookEvent,
  type WebhookSettingsDto,
} from '../../src/modules/notifications/index.ts';
import type { EmailDomainDto } from '../../src/modules/email-auth/index.ts';
import type { AuditEntryDto } from '../../src/modules/audit-trail/audit-trail.contract.ts';

type Page<T> = { items: T[]; nextCursor: string | null };

const zone = (policy: 'reject' | 'none') => ({
  'shop.example': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }, { MX: [10, 'mx.shop.example'] }],
  'mx.shop.example': [{ A: '192.0.2.25' }],
  '_dmarc.shop.example': [{ TXT: `v=DMARC1; p=${policy}; rua=mailto:dmarc@shop.example` }],
});
const SECRET = 'the-group-webhook-signing-secret';

describe.each(dialectsUnderTest())('notifications on %s', (dialect) => {
  let env: TestEnv;
  let dns: TestDnsServer;
  let smtp: TestSmtpServer;
  let hook: TestWebhookServer;
  let domain: EmailDomainDto;
  const u: Record<
    'admin' | 'groupCiso' | 'ciso' | 'officer' | 'champion' | 'employee' | 'owner' | 'otherOfficer',
    TestUser
  > = {} as never;
  let codes = 0;

  const as = (user: TestUser) => (method: string, url: string, payload?: object) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: user.headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  const mine = async (user: TestUser, query = '') => {
    const res = await as(user)('GET', `/api/v1/notifications${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page<NotificationDto>>().items;
  };
  const unread = async (user: TestUser) =>
    (await as(user)('GET', '/api/v1/notifications/unread-count')).json<{ count: number }>().count;
  /** An alert on the domain from the DMARC reports' path, with a code not seen before (no quiet period). */
  const reportAlert = async (severity: 'warning' | 'error' = 'warning') => {
    codes += 1;
    const id = await env.ctx.services.emailAuth.raiseAlert(systemActor('dmarc-import'), {
      domain: 'shop.example',
      findings: [{ code: `test-finding-${codes}`, severity, message: `Finding number ${codes}` }],
    });
    expect(id).not.toBeNull();
    return id!;
  };
  const deliveries = async (query = '') =>
    (await as(u.admin)('GET', `/api/v1/notifications/deliveries${query}`)).json<Page<DeliveryDto>>().items;
  /** Another `mamori serve` on the same database, with its own clock. */
  const replica = (now: () => Date, maxAttempts = 3): NotificationsService =>
    createNotificationsService({
      db: env.ctx.db,
      box: secretBox(loadSecretKey(env.config.secretKey, env.config.dataDir)),
      publicUrl: env.config.publicUrl,
      mailer: null,
      maxAttempts,
      webhookPrivateAddresses: true,
      now,
    });

  beforeAll(async () => {
    dns = await startDnsServer({ zone: zone('reject'), ttl: 0 });
    smtp = await startSmtpServer();
    hook = await startWebhookServer();
    env = await createTestEnv(dialect, {
      MAMORI_DNS_SERVERS: dns.address,
      MAMORI_SMTP_URL: smtp.url,
      MAMORI_MAIL_FROM: 'Mamori <mamori@example.com>',
      MAMORI_PUBLIC_URL: 'https://mamori.example',
      // The test's webhook receiver listens on 127.0.0.1.
      MAMORI_WEBHOOK_PRIVATE_ADDRESSES: 'true',
    });
    const shop = await companyFactory(env.ctx)({ shortCode: 'NSHOP' });
    const other = await companyFactory(env.ctx)({ shortCode: 'NOTHER' });
    const owner = await personFactory(env.ctx)(shop.id, { name: 'Owner of the domain' });
    const make = userFactory(env.ctx);
    u.admin = await make([{ role: 'group_admin', companyId: null }]);
    u.groupCiso = await make([{ role: 'group_ciso', companyId: null }]);
    u.ciso = await make([{ role: 'company_ciso', companyId: shop.id }]);
    u.officer = await make([{ role: 'security_officer', companyId: shop.id }]);
    u.champion = await make([{ role: 'security_champion', companyId: shop.id }]);
    u.employee = await make([{ role: 'employee', companyId: shop.id }]);
    u.owner = await make([{ role: 'employee', companyId: shop.id }], { personId: owner.id });
    u.otherOfficer = await make([{ role: 'security_officer', companyId: other.id }]);
    const res = await as(u.officer)('POST', '/api/v1/email/domains', {
      companyId: shop.id,
      name: 'shop.example',
      service: 'Shop',
      ownerPersonId: owner.id,
      raiseRisks: false,
    });
    expect(res.statusCode, res.body).toBe(201);
    domain = res.json<EmailDomainDto>();
  });
  afterAll(async () => {
    await env?.close();
    await dns?.close();
    await smtp?.close();
    await hook?.close();
  });

  it('tells of a weaker posture the company’s email readers, the group-wide roles and the domain’s owner only', async () => {
    const scan = async () =>
      expect((await as(u.officer)('POST', `/api/v1/email/domains/${domain.id}/scan`)).statusCode).toBe(201);
    await scan();
    for (const user of Object.values(u)) expect(await mine(user)).toEqual([]);
    dns.setZone(zone('none'));
    await scan();
    const alert = (await as(u.officer)('GET', `/api/v1/email/alerts?domainId=${domain.id}`)).json<
      Page<{ id: string }>
    >().items[0]!;

    for (const user of [u.admin, u.groupCiso, u.ciso, u.officer, u.champion, u.owner]) {
      const items = await mine(user);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        kind: 'email_alert',
        severity: 'error',
        titleKey: 'email_alert.scan',
        params: { domain: 'shop.example', count: 1, codes: ['dmarc-weakened'] },
        link: `/email/domains/${domain.id}`,
        entityType: 'email_domain_alert',
        entityId: alert.id,
        companyId: domain.companyId,
        readAt: null,
        email: null,
      });
      expect(await unread(user)).toBe(1);
    }
    // One event, told once to each user.
    const events = new Set(
      (await Promise.all([u.admin, u.ciso, u.owner].map((x) => mine(x)))).map((n) => n[0]!.eventId),
    );
    expect(events.size).toBe(1);
    for (const user of [u.employee, u.otherOfficer]) {
      expect(await mine(user)).toEqual([]);
      expect(await unread(user)).toBe(0);
    }
  });

  it('tells of an alert from the DMARC reports in the alert’s transaction', async () => {
    const alertId = await reportAlert('warning');
    const [latest] = await mine(u.ciso);
    expect(latest).toMatchObject({
      titleKey: 'email_alert.reports',
      severity: 'warning',
      entityId: alertId,
      params: { messages: [`Finding number ${codes}`] },
    });
    expect(await mine(u.otherOfficer)).toEqual([]);
    expect(await unread(u.ciso)).toBe(2);
  });

  it('keeps read state per user, lists unread ones and pages newest first, and audits each change', async () => {
    const [newest, older] = await mine(u.officer);
    const read = await as(u.officer)('POST', `/api/v1/notifications/${newest!.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<NotificationDto>().readAt).not.toBeNull();
    expect(await unread(u.officer)).toBe(1);
    expect((await mine(u.officer, '?unread=true')).map((n) => n.id)).toEqual([older!.id]);
    // The same event is still unread for the others.
    expect(await unread(u.ciso)).toBe(2);
    // Another user's notification is not found, neither to read nor to mark.
    expect((await as(u.ciso)('POST', `/api/v1/notifications/${newest!.id}/read`)).statusCode).toBe(404);
    expect(await unread(u.officer)).toBe(1);
    // Reading it again changes nothing.
    expect((await as(u.officer)('POST', `/api/v1/notifications/${newest!.id}/read`)).statusCode).toBe(200);

    const first = (await as(u.ciso)('GET', '/api/v1/notifications?limit=1')).json<Page<NotificationDto>>();
    expect(first.items).toHaveLength(1);
    const second = (await as(u.ciso)('GET', `/api/v1/notifications?limit=1&cursor=${first.nextCursor}`)).json<
      Page<NotificationDto>
    >();
    expect(second.items.map((n) => n.titleKey)).toEqual(['email_alert.scan']);
    expect(second.nextCursor).toBeNull();

    const all = await as(u.ciso)('POST', '/api/v1/notifications/read-all');
    expect(all.json<{ updated: number }>().updated).toBe(2);
    expect(await unread(u.ciso)).toBe(0);
    expect(await unread(u.groupCiso)).toBe(2);

    const audit = async (action: string) =>
      (await as(u.admin)('GET', `/api/v1/audit?action=${action}`)).json<Page<AuditEntryDto>>().items;
    expect((await audit('notification.read')).map((e) => [e.entityId, e.actorLabel])).toEqual([
      [newest!.id, u.officer.email],
    ]);
    expect((await audit('notification.read_all'))[0]).toMatchObject({
      actorLabel: u.ciso.email,
      entityId: u.ciso.id,
    });
  });

  it('mails the users who asked for mail, through a real SMTP server, in their language', async () => {
    const prefs = (await as(u.officer)('GET', '/api/v1/notifications/preferences')).json<PreferencesDto>();
    expect(prefs).toEqual({ channel: 'in_app', emailAvailable: true, version: 0, updatedAt: null });
    const set = await as(u.officer)('PUT', '/api/v1/notifications/preferences', {
      channel: 'email',
      version: 0,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<PreferencesDto>()).toMatchObject({ channel: 'email', version: 1 });
    expect(
      (await as(u.officer)('PUT', '/api/v1/notifications/preferences', { channel: 'in_app', version: 0 }))
        .statusCode,
    ).toBe(409);
    expect((await as(u.owner)('PATCH', '/api/v1/me', { locale: 'ja' })).statusCode).toBe(200);
    expect(
      (await as(u.owner)('PUT', '/api/v1/notifications/preferences', { channel: 'email', version: 0 }))
        .statusCode,
    ).toBe(200);

    await reportAlert('error');
    // In the outbox until `mamori serve`'s round: nothing is mailed in the event's transaction.
    expect(smtp.messages).toHaveLength(0);
    expect((await mine(u.officer))[0]!.email).toBe('pending');
    expect(await env.ctx.services.notifications.deliverDue({ limit: 50 })).toEqual({
      sent: 2,
      retried: 0,
      failed: 0,
    });
    const mails = await smtp.waitFor(2);
    const toOfficer = mails.find((m) => m.to.includes(u.officer.email))!;
    expect(toOfficer.from).toBe('mamori@example.com');
    expect(toOfficer.subject).toBe('[Mamori] shop.example: DMARC reports raised an alert (findings: 1)');
    expect(toOfficer.text).toContain(`Finding number ${codes}`);
    expect(toOfficer.text).toContain(`Open in Mamori: https://mamori.example/email/domains/${domain.id}`);
    const toOwner = mails.find((m) => m.to.includes(u.owner.email))!;
    expect(toOwner.subject).toBe('[Mamori] shop.example：DMARC レポートからアラートが上がりました（1 件）');
    expect(mails.some((m) => m.to.includes(u.ciso.email))).toBe(false);
    expect((await mine(u.officer))[0]!.email).toBe('sent');
    expect((await mine(u.ciso))[0]!.email).toBeNull();
    // Nothing left to deliver.
    expect(await env.ctx.services.notifications.deliverDue({ limit: 50 })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    // Back to the app only: later events are not mailed to them.
    for (const user of [u.officer, u.owner])
      expect(
        (await as(user)('PUT', '/api/v1/notifications/preferences', { channel: 'in_app', version: 1 }))
          .statusCode,
      ).toBe(200);
    const audited = (await as(u.admin)('GET', '/api/v1/audit?action=notification_preference.update')).json<
      Page<AuditEntryDto>
    >().items;
    expect(audited).toHaveLength(4);
  });

  it('lets only group administrators set the webhook, and never returns its secret', async () => {
    expect((await as(u.groupCiso)('GET', '/api/v1/notifications/settings')).statusCode).toBe(403);
    expect(
      (
        await as(u.ciso)('PUT', '/api/v1/notifications/settings', {
          webhookUrl: hook.url,
          enabled: true,
          version: 0,
        })
      ).statusCode,
    ).toBe(403);
    const initial = (await as(u.admin)('GET', '/api/v1/notifications/settings')).json<WebhookSettingsDto>();
    expect(initial).toMatchObject({ webhookUrl: null, enabled: false, secretSet: false, version: 0 });
    const noSecret = await as(u.admin)('PUT', '/api/v1/notifications/settings', {
      webhookUrl: hook.url,
      enabled: true,
      version: 0,
    });
    expect(noSecret.statusCode).toBe(422);
    const badUrl = await as(u.admin)('PUT', '/api/v1/notifications/settings', {
      webhookUrl: 'ftp://hooks.example/x',
      enabled: true,
      secret: SECRET,
      version: 0,
    });
    expect(badUrl.statusCode).toBe(400);
    const saved = await as(u.admin)('PUT', '/api/v1/notifications/settings', {
      webhookUrl: hook.url,
      enabled: true,
      secret: SECRET,
      version: 0,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<WebhookSettingsDto>()).toMatchObject({
      webhookUrl: hook.url,
      enabled: true,
      secretSet: true,
      version: 1,
      updatedBy: u.admin.email,
    });
    expect(saved.body).not.toContain(SECRET);
    const read = await as(u.admin)('GET', '/api/v1/notifications/settings');
    expect(read.body).not.toContain(SECRET);
    const audit = await as(u.admin)('GET', '/api/v1/audit?action=notification_settings.update');
    expect(audit.json<Page<AuditEntryDto>>().items).toHaveLength(1);
    expect(audit.body).not.toContain(SECRET);
    expect(audit.body).not.toContain('/hooks/mamori');
  });

  it('posts each event once to the webhook, signed with HMAC-SHA256', async () => {
    const alertId = await reportAlert('error');
    const mailed = smtp.messages.length;
    expect(await env.ctx.services.notifications.deliverDue({ limit: 50 })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    expect(smtp.messages).toHaveLength(mailed);
    expect(hook.calls).toHaveLength(1);
    const call = hook.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/hooks/mamori');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-mamori-event']).toBe('email_alert');
    expect(
      verifyWebhook(
        SECRET,
        {
          signature: call.headers['x-mamori-signature'] as string,
          timestamp: call.headers['x-mamori-timestamp'] as string,
        },
        call.body,
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    expect(
      verifyWebhook(
        'not-the-secret-at-all',
        {
          signature: call.headers['x-mamori-signature'] as string,
          timestamp: call.headers['x-mamori-timestamp'] as string,
        },
        call.body,
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(false);
    const event = JSON.parse(call.body) as WebhookEvent;
    expect(event).toMatchObject({
      kind: 'email_alert',
      severity: 'error',
      companyId: domain.companyId,
      titleKey: 'email_alert.reports',
      title: 'shop.example: DMARC reports raised an alert (findings: 1)',
      url: `https://mamori.example/email/domains/${domain.id}`,
      entity: { type: 'email_domain_alert', id: alertId },
    });
    expect(event.id).toBe((await mine(u.ciso))[0]!.eventId);
    const [webhookDelivery] = await deliveries('?channel=webhook');
    expect(webhookDelivery).toMatchObject({ status: 'sent', attempts: 1, recipient: null, lastError: null });
    expect(call.headers['x-mamori-delivery']).toBe(webhookDelivery!.id);
  });

  it('retries a failing delivery with backoff, gives it up after the last attempt, and tries it again on request', async () => {
    hook.status = 500;
    hook.calls.length = 0;
    await reportAlert('warning');
    let clock = new Date();
    const server = replica(() => clock, 3);
    const id = (await deliveries('?channel=webhook&status=pending'))[0]!.id;
    expect(await deliveries('?status=pending')).toHaveLength(1);

    expect(await server.deliverDue({ limit: 1 })).toMatchObject({ retried: 1 });
    let d = (await deliveries('?channel=webhook')).find((x) => x.id === id)!;
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: 'the webhook answered HTTP 500' });
    const wait = Date.parse(d.nextAttemptAt) - clock.getTime();
    expect(wait).toBeGreaterThanOrEqual(24_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    // Not due yet: nothing is tried.
    expect(await server.deliverDue({ limit: 10 })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(hook.calls).toHaveLength(1);

    clock = new Date(Date.parse(d.nextAttemptAt) + 1);
    expect(await server.deliverDue({ limit: 10 })).toMatchObject({ retried: 1 });
    d = (await deliveries('?channel=webhook')).find((x) => x.id === id)!;
    expect(d.attempts).toBe(2);
    expect(Date.parse(d.nextAttemptAt) - clock.getTime()).toBeGreaterThanOrEqual(48_000);

    clock = new Date(Date.parse(d.nextAttemptAt) + 1);
    expect(await server.deliverDue({ limit: 10 })).toMatchObject({ failed: 1 });
    expect(hook.calls).toHaveLength(3);
    const failed = await deliveries('?status=failed');
    expect(failed.map((x) => x.id)).toContain(id);
    expect(failed.find((x) => x.id === id)).toMatchObject({
      attempts: 3,
      lastError: 'the webhook answered HTTP 500',
    });
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    expect(await server.deliverDue({ limit: 10 })).toEqual({ sent: 0, retried: 0, failed: 0 });

    hook.status = 200;
    expect((await as(u.ciso)('POST', `/api/v1/notifications/deliveries/${id}/retry`)).statusCode).toBe(403);
    const retried = await as(u.admin)('POST', `/api/v1/notifications/deliveries/${id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json<DeliveryDto>()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await as(u.admin)('POST', `/api/v1/notifications/deliveries/${id}/retry`)).statusCode).toBe(409);
    expect(await server.deliverDue({ limit: 10 })).toMatchObject({ sent: 1 });
    expect((await deliveries()).find((x) => x.id === id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('delivers each call once when two replicas work the same outbox', async () => {
    hook.calls.length = 0;
    for (let i = 0; i < 6; i++) await reportAlert('warning');
    const a = replica(() => new Date());
    const b = replica(() => new Date());
    const [ra, rb] = await Promise.all([a.deliverDue({ limit: 50 }), b.deliverDue({ limit: 50 })]);
    expect(ra.sent + rb.sent).toBe(6);
    expect(hook.calls).toHaveLength(6);
    expect(new Set(hook.calls.map((c) => c.headers['x-mamori-delivery'])).size).toBe(6);
    expect(await a.deliverDue({ limit: 50 })).toEqual({ sent: 0, retried: 0, failed: 0 });
  });
});
