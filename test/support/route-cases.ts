// One valid request for every API route, used by the authorisation matrix and the bad-input sweep.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { TestEnv } from './harness.ts';
import { departmentFactory, factoryActor, personFactory } from '../factories/org.factory.ts';
import { assetFactory, relationFactory } from '../factories/asset.factory.ts';
import { riskFactory, riskMethodFactory, standardMethod } from '../factories/risk.factory.ts';
import { TEST_PASSWORD, type TestUser } from '../factories/user.factory.ts';
import type { CompanyDto, DepartmentDto, PersonDto } from '../../src/modules/org/index.ts';

export type Fix = { company: CompanyDto; dept: DepartmentDto; person: PersonDto };
export type Req = { url: string; body?: unknown; payload?: string; contentType?: string };
export type Case = {
  /** 'company': the object belongs to a company (tried in the actor's own and in another one). */
  target: 'company' | 'none';
  req: (c: Fix, u: TestUser) => Promise<Req> | Req;
  /** Statuses that mean "allowed" for this route when the rules of the object say no (default: any 2xx). */
  ok?: number[];
};

/** A small, valid OSCAL catalog with a fresh identity each time. */
export const tinyCatalog = () => {
  const n = Math.random().toString(36).slice(2, 10);
  return JSON.stringify({
    catalog: {
      uuid: randomUUID(),
      metadata: {
        title: `Tiny catalog ${n}`,
        'last-modified': '2026-01-01T00:00:00Z',
        version: '1',
        'oscal-version': '1.1.2',
      },
      groups: [
        {
          id: 'g1',
          title: 'Group',
          controls: [
            { id: 'c-1', title: 'Control one' },
            { id: 'c-2', title: 'Control two' },
          ],
        },
      ],
    },
  });
};

export function routeCases(getEnv: () => TestEnv): Record<string, Case> {
  const svc = () => getEnv().ctx.services;
  // A domain of a company, one scan of it, and an alert: made once per company through the services.
  const emailFix = new Map<string, Promise<{ id: string }>>();
  const emailDomain = (companyId: string) => {
    let hit = emailFix.get(companyId);
    if (!hit) {
      hit = svc().emailAuth.createDomain(factoryActor, {
        companyId,
        name: `m${randomUUID().slice(0, 8)}.example`,
        service: 'Mail',
        role: 'sends',
        ownerPersonId: null,
        dkimSelectors: [],
        expectedSources: [],
        scanIntervalHours: 24,
        raiseRisks: false,
      });
      emailFix.set(companyId, hit);
    }
    return hit;
  };
  const scanFix = new Map<string, Promise<{ id: string }>>();
  const emailScan = (companyId: string) => {
    let hit = scanFix.get(companyId);
    if (!hit) {
      hit = emailDomain(companyId).then((d) => svc().emailAuth.scanNow(factoryActor, d.id));
      scanFix.set(companyId, hit);
    }
    return hit;
  };
  /** A failure report of the company's domain, stored through the real import. */
  const failureFix = new Map<string, Promise<string>>();
  const failureReport = (companyId: string) => {
    let hit = failureFix.get(companyId);
    if (!hit) {
      hit = (async () => {
        const d = await svc().emailAuth.getDomain(factoryActor, (await emailDomain(companyId)).id);
        const boundary = 'b0';
        const mail = [
          'From: r@receiver.example',
          `Subject: failure ${randomUUID()}`,
          `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: message/feedback-report',
          '',
          `Feedback-Type: auth-failure\r\nVersion: 1\r\nAuth-Failure: dmarc\r\nReported-Domain: ${d.name}\r\nSource-IP: 192.0.2.${Math.floor(Math.random() * 250)}`,
          `--${boundary}--`,
          '',
        ].join('\r\n');
        const r = await svc().dmarcReports.importFile(factoryActor, Readable.from([Buffer.from(mail)]), {
          name: 'failure.eml',
          channel: 'cli',
        });
        if (r.status !== 'imported') throw new Error(`failure report fixture: ${r.status} ${r.reason}`);
        const page = await svc().dmarcReports.listFailureReports(factoryActor, { domain: d.name, limit: 1 });
        return page.items[0]!.id;
      })();
      failureFix.set(companyId, hit);
    }
    return hit;
  };
  /** A fresh alert each time (as a regression of the company's scan would raise), so each role has its own. */
  const emailAlert = async (companyId: string) => {
    const scan = await emailScan(companyId);
    const row = {
      id: randomUUID(),
      scan_id: scan.id,
      domain_id: (await emailDomain(companyId)).id,
      company_id: companyId,
      raised_at: new Date().toISOString(),
      severity: 'error',
      regressions: JSON.stringify([
        { code: 'dmarc-weakened', severity: 'error', message: 'p=reject to p=none' },
      ]),
      risk_id: null,
      acknowledged_at: null,
      acknowledged_by: null,
      version: 1,
    };
    await getEnv().ctx.db.kysely.insertInto('email_domain_alerts').values(row).execute();
    return row;
  };
  // Compliance objects of a company, made once per company through the services.
  const complianceFix = new Map<
    string,
    Promise<{
      frameworkId: string;
      soaEntryId: string;
      controlId: string;
      evidenceId: string;
      fileEvidenceId: string;
      certificationId: string;
      auditId: string;
    }>
  >();
  const compliance = (companyId: string) => {
    let hit = complianceFix.get(companyId);
    if (!hit) {
      hit = (async () => {
        const s = svc();
        const iso = (await s.frameworks.list(factoryActor)).find((f) => f.ref === 'iso27001-2022')!;
        await s.compliance.adopt(factoryActor, companyId, {
          frameworkId: iso.id,
          scopeStatement: 'All services',
        });
        const soa = await s.compliance.soa(factoryActor, companyId, iso.id);
        const a51 = soa.items.find((i) => i.requirementRef === 'A.5.1')!;
        const control = await s.compliance.createControl(factoryActor, {
          companyId,
          code: 'POL-1',
          name: 'Policy set',
          description: null,
          ownerPersonId: null,
          status: 'active',
          requirementIds: [a51.requirementId],
        });
        const evidence = await s.compliance.addEvidence(factoryActor, control.id, {
          kind: 'note',
          title: 'Approved',
          note: 'Board minutes',
          validFrom: '2026-01-01',
          validUntil: null,
        });
        const file = await s.compliance.addEvidenceFile(
          factoryActor,
          control.id,
          { title: 'Policy', fileName: 'policy.txt', validFrom: '2026-01-01' },
          Buffer.from('the policy'),
        );
        const cert = await s.compliance.createCertification(factoryActor, {
          companyId,
          standard: 'ISO/IEC 27001',
          scope: 'All',
          certificationBody: 'CB',
          certificateNumber: null,
          firstCertifiedOn: null,
          expiresOn: '2027-01-01',
          status: 'active',
        });
        const audit = await s.compliance.addCertificationAudit(factoryActor, cert.id, {
          kind: 'surveillance',
          plannedOn: '2027-01-01',
          heldOn: null,
          outcome: 'planned',
          notes: null,
        });
        return {
          frameworkId: iso.id,
          soaEntryId: a51.id,
          controlId: control.id,
          evidenceId: evidence.id,
          fileEvidenceId: file.id,
          certificationId: cert.id,
          auditId: audit.id,
        };
      })();
      complianceFix.set(companyId, hit);
    }
    return hit;
  };
  const isoRequirement = async (ref: string) => {
    const iso = await builtin();
    return [...(await svc().frameworks.catalog(iso.id))!.requirements.values()].find((r) => r.ref === ref)!
      .id;
  };
  /** A requirement of a new small catalog, so that every mapping made from it is new. */
  const freshRequirement = async () => {
    const f = await svc().frameworks.importOscal(factoryActor, tinyCatalog());
    return [...(await svc().frameworks.catalog(f.id))!.requirements.values()].find((r) => r.assessable)!.id;
  };
  const freshMapping = async () =>
    svc().frameworks.createMapping(factoryActor, {
      sourceRequirementId: await freshRequirement(),
      targetRequirementId: await isoRequirement('A.5.2'),
      relation: 'equivalent',
      note: null,
    });
  const builtin = async () =>
    (await getEnv().ctx.services.frameworks.list(factoryActor)).find((f) => f.ref === 'iso27001-2022')!;
  const freshUser = async () =>
    svc().identity.createUserWithRoles(
      factoryActor,
      {
        email: `x${Math.random().toString(36).slice(2)}@example.com`,
        displayName: 'X',
        password: TEST_PASSWORD,
        personId: null,
        locale: 'en',
      },
      [{ role: 'employee', companyId: null }],
    );

  /** A notification of the user, and a delivery given up: rows as the notifications module writes them. */
  const notificationOf = async (userId: string) => {
    const row = {
      id: randomUUID(),
      event_id: randomUUID(),
      user_id: userId,
      company_id: null,
      kind: 'email_alert',
      severity: 'warning',
      title_key: 'email_alert.reports',
      params: JSON.stringify({ domain: 'x.example', count: 1 }),
      link: null,
      entity_type: null,
      entity_id: null,
      created_at: new Date().toISOString(),
      read_at: null,
    };
    await getEnv().ctx.db.kysely.insertInto('notifications').values(row).execute();
    return row;
  };
  const failedDelivery = async () => {
    const at = new Date().toISOString();
    const id = randomUUID();
    const event = { id: randomUUID(), kind: 'email_alert', severity: 'warning', companyId: null };
    await getEnv()
      .ctx.db.kysely.insertInto('notification_deliveries')
      .values({
        id,
        event_id: event.id,
        channel: 'webhook',
        notification_id: null,
        user_id: null,
        company_id: null,
        payload: JSON.stringify({
          ...event,
          titleKey: 'email_alert.reports',
          title: 'x',
          params: {},
          url: null,
          entity: null,
          createdAt: at,
        }),
        status: 'failed',
        attempts: 8,
        next_attempt_at: at,
        claimed_until: null,
        last_error: 'the webhook answered HTTP 500',
        created_at: at,
        sent_at: null,
      })
      .execute();
    return id;
  };

  return {
    'GET /api/v1/setup/status': { target: 'none', req: () => ({ url: '/api/v1/setup/status' }) },
    'POST /api/v1/setup': {
      target: 'none',
      req: () => ({
        url: '/api/v1/setup',
        body: { token: 'x', email: 'a@b.co', displayName: 'A', password: 'long-enough-password' },
      }),
      ok: [409],
    },
    'POST /api/v1/auth/login': {
      target: 'none',
      req: () => ({
        url: '/api/v1/auth/login',
        body: { email: `nobody-${Math.random()}@example.com`, password: 'nope' },
      }),
      ok: [401],
    },
    'POST /api/v1/auth/logout': { target: 'none', req: () => ({ url: '/api/v1/auth/logout' }) },
    'GET /api/v1/auth/session': { target: 'none', req: () => ({ url: '/api/v1/auth/session' }) },
    'POST /api/v1/auth/mfa/setup': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/setup' }),
      ok: [200, 409],
    },
    'POST /api/v1/auth/mfa/confirm': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/confirm', body: { totp: '000000' } }),
      ok: [409, 422],
    },
    'POST /api/v1/auth/mfa/recovery-codes': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/recovery-codes' }),
      ok: [200, 409],
    },
    'POST /api/v1/auth/mfa/disable': {
      target: 'none',
      req: () => ({ url: '/api/v1/auth/mfa/disable', body: { password: 'wrong-password' } }),
      ok: [422],
    },
    'PATCH /api/v1/me': { target: 'none', req: () => ({ url: '/api/v1/me', body: { locale: 'en' } }) },
    'POST /api/v1/me/password': {
      target: 'none',
      req: () => ({
        url: '/api/v1/me/password',
        body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
      }),
    },
    'GET /api/v1/me/tokens': { target: 'none', req: () => ({ url: '/api/v1/me/tokens' }) },
    'POST /api/v1/me/tokens': {
      target: 'none',
      req: () => ({ url: '/api/v1/me/tokens', body: { name: 'ci', scopes: ['org:read'], expiresInDays: 1 } }),
    },
    'DELETE /api/v1/me/tokens/:id': {
      target: 'none',
      req: async (_c, u) => {
        const t = await svc().identity.createTokenForEmail(factoryActor, u.email, {
          name: 'd',
          scopes: ['org:read'],
          expiresInDays: 1,
        });
        return { url: `/api/v1/me/tokens/${t.apiToken.id}` };
      },
    },
    'GET /api/v1/notifications': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications?unread=true' }),
    },
    'GET /api/v1/notifications/unread-count': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications/unread-count' }),
    },
    'POST /api/v1/notifications/:id/read': {
      target: 'none',
      req: async (_c, u) => ({ url: `/api/v1/notifications/${(await notificationOf(u.id)).id}/read` }),
    },
    'POST /api/v1/notifications/read-all': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications/read-all' }),
    },
    'GET /api/v1/notifications/preferences': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications/preferences' }),
    },
    'PUT /api/v1/notifications/preferences': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications/preferences', body: { channel: 'in_app', version: 0 } }),
      // A user who already saved it once holds a later version.
      ok: [409],
    },
    'GET /api/v1/notifications/settings': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications/settings' }),
    },
    'PUT /api/v1/notifications/settings': {
      target: 'none',
      req: () => ({
        url: '/api/v1/notifications/settings',
        body: { webhookUrl: null, enabled: false, version: 0 },
      }),
      ok: [409],
    },
    'GET /api/v1/notifications/deliveries': {
      target: 'none',
      req: () => ({ url: '/api/v1/notifications/deliveries?status=failed' }),
    },
    'POST /api/v1/notifications/deliveries/:id/retry': {
      target: 'none',
      req: async () => ({ url: `/api/v1/notifications/deliveries/${await failedDelivery()}/retry` }),
    },
    'GET /api/v1/users': { target: 'none', req: () => ({ url: '/api/v1/users' }) },
    'POST /api/v1/users': {
      target: 'none',
      req: () => ({
        url: '/api/v1/users',
        body: { email: `n${Math.random().toString(36).slice(2)}@example.com`, displayName: 'N' },
      }),
    },
    'GET /api/v1/users/:id': {
      target: 'none',
      req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}` }),
    },
    'PATCH /api/v1/users/:id': {
      target: 'none',
      req: async () => ({
        url: `/api/v1/users/${(await freshUser()).id}`,
        body: { version: 1, displayName: 'Renamed' },
      }),
    },
    'POST /api/v1/users/:id/password': {
      target: 'none',
      req: async () => ({
        url: `/api/v1/users/${(await freshUser()).id}/password`,
        body: { newPassword: 'Another-long-passw0rd' },
      }),
    },
    'POST /api/v1/users/:id/mfa/reset': {
      target: 'none',
      req: async () => ({ url: `/api/v1/users/${(await freshUser()).id}/mfa/reset` }),
    },
    'POST /api/v1/users/:id/grants': {
      target: 'none',
      req: async () => ({
        url: `/api/v1/users/${(await freshUser()).id}/grants`,
        body: { role: 'auditor', companyId: null },
      }),
    },
    'DELETE /api/v1/users/:id/grants/:grantId': {
      target: 'none',
      req: async () => {
        const u = await freshUser();
        return { url: `/api/v1/users/${u.id}/grants/${u.grants[0]!.id}` };
      },
    },
    'GET /api/v1/companies': { target: 'none', req: () => ({ url: '/api/v1/companies' }) },
    'POST /api/v1/companies': {
      target: 'none',
      req: () => ({
        url: '/api/v1/companies',
        body: {
          legalName: 'New Co',
          shortCode: `N${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
          country: 'JP',
        },
      }),
    },
    'GET /api/v1/companies/:id': {
      target: 'company',
      req: (c) => ({ url: `/api/v1/companies/${c.company.id}` }),
    },
    'PATCH /api/v1/companies/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}`,
        body: { version: (await svc().org.getCompany(factoryActor, c.company.id)).version, status: 'active' },
      }),
    },
    'PUT /api/v1/companies/:id/ciso': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/ciso`,
        body: {
          version: (await svc().org.getCompany(factoryActor, c.company.id)).version,
          personId: c.person.id,
        },
      }),
    },
    'GET /api/v1/companies/:companyId/departments': {
      target: 'company',
      req: (c) => ({ url: `/api/v1/companies/${c.company.id}/departments` }),
    },
    'POST /api/v1/companies/:companyId/departments': {
      target: 'company',
      req: (c) => ({
        url: `/api/v1/companies/${c.company.id}/departments`,
        body: { name: 'New dept', code: `C${Math.random().toString(36).slice(2, 8)}` },
      }),
    },
    'PATCH /api/v1/departments/:id': {
      target: 'company',
      req: async (c) => {
        const d = await departmentFactory(getEnv().ctx)(c.company.id);
        return { url: `/api/v1/departments/${d.id}`, body: { version: d.version, name: 'Renamed' } };
      },
    },
    'DELETE /api/v1/departments/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/departments/${(await departmentFactory(getEnv().ctx)(c.company.id)).id}`,
      }),
    },
    'GET /api/v1/people': { target: 'none', req: () => ({ url: '/api/v1/people' }) },
    'GET /api/v1/people/stats': { target: 'none', req: () => ({ url: '/api/v1/people/stats' }) },
    'POST /api/v1/people': {
      target: 'company',
      req: (c) => ({
        url: '/api/v1/people',
        body: {
          companyId: c.company.id,
          employeeNumber: `M${Math.random().toString(36).slice(2, 9)}`,
          name: 'New Person',
          personnelCategory: 'partner_staff',
        },
      }),
    },
    'GET /api/v1/people/export.csv': { target: 'none', req: () => ({ url: '/api/v1/people/export.csv' }) },
    'POST /api/v1/people/import': {
      target: 'none',
      req: (c) => ({
        url: '/api/v1/people/import?commit=false',
        payload: `company_code,employee_number,name,personnel_category\n${c.company.shortCode},Z1,Zed,regular_employee\n`,
        contentType: 'text/csv',
      }),
    },
    'GET /api/v1/people/:id': { target: 'company', req: (c) => ({ url: `/api/v1/people/${c.person.id}` }) },
    'PATCH /api/v1/people/:id': {
      target: 'company',
      req: async (c) => {
        const p = await personFactory(getEnv().ctx)(c.company.id);
        return { url: `/api/v1/people/${p.id}`, body: { version: p.version, name: 'Renamed Person' } };
      },
    },
    'GET /api/v1/frameworks': { target: 'none', req: () => ({ url: '/api/v1/frameworks' }) },
    'GET /api/v1/frameworks/:id/requirements': {
      target: 'none',
      req: async () => ({ url: `/api/v1/frameworks/${(await builtin()).id}/requirements` }),
    },
    'GET /api/v1/frameworks/:id/oscal': {
      target: 'none',
      req: async () => ({ url: `/api/v1/frameworks/${(await builtin()).id}/oscal` }),
    },
    'POST /api/v1/frameworks/import': {
      target: 'none',
      req: () => ({
        url: '/api/v1/frameworks/import',
        payload: tinyCatalog(),
        contentType: 'application/json',
      }),
    },
    'GET /api/v1/requirements/:id/mappings': {
      target: 'none',
      req: async () => ({ url: `/api/v1/requirements/${await isoRequirement('A.5.1')}/mappings` }),
    },
    'POST /api/v1/requirement-mappings': {
      target: 'none',
      req: async () => ({
        url: '/api/v1/requirement-mappings',
        body: {
          sourceRequirementId: await freshRequirement(),
          targetRequirementId: await isoRequirement('A.5.1'),
          relation: 'intersects',
        },
      }),
    },
    'PATCH /api/v1/requirement-mappings/:id': {
      target: 'none',
      req: async () => {
        const m = await freshMapping();
        return {
          url: `/api/v1/requirement-mappings/${m.id}`,
          body: { version: m.version, relation: 'subset' },
        };
      },
    },
    'DELETE /api/v1/requirement-mappings/:id': {
      target: 'none',
      req: async () => ({ url: `/api/v1/requirement-mappings/${(await freshMapping()).id}` }),
    },
    'POST /api/v1/requirement-mappings/import': {
      target: 'none',
      req: () => ({
        url: '/api/v1/requirement-mappings/import?commit=false',
        payload:
          'source_framework,source_ref,target_framework,target_ref,relation\niso27001-2022,A.8.5,pci-dss-4.0,8.4.2,intersects\n',
        contentType: 'text/csv',
      }),
    },
    'GET /api/v1/requirement-mappings/export.csv': {
      target: 'none',
      req: () => ({ url: '/api/v1/requirement-mappings/export.csv' }),
    },
    'GET /api/v1/compliance/dashboard': {
      target: 'none',
      req: () => ({ url: '/api/v1/compliance/dashboard' }),
    },
    'GET /api/v1/companies/:companyId/frameworks': {
      target: 'company',
      req: (c) => ({ url: `/api/v1/companies/${c.company.id}/frameworks` }),
    },
    'POST /api/v1/companies/:companyId/frameworks': {
      target: 'company',
      req: async (c) => {
        const f = await svc().frameworks.importOscal(factoryActor, tinyCatalog());
        return { url: `/api/v1/companies/${c.company.id}/frameworks`, body: { frameworkId: f.id } };
      },
    },
    'GET /api/v1/companies/:companyId/frameworks/:frameworkId/soa': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/frameworks/${(await compliance(c.company.id)).frameworkId}/soa`,
      }),
    },
    'GET /api/v1/companies/:companyId/frameworks/:frameworkId/score-history': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/frameworks/${(await compliance(c.company.id)).frameworkId}/score-history`,
      }),
    },
    'GET /api/v1/companies/:companyId/frameworks/:frameworkId/soa.xlsx': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/frameworks/${(await compliance(c.company.id)).frameworkId}/soa.xlsx`,
      }),
    },
    'GET /api/v1/companies/:companyId/frameworks/:frameworkId/soa.pdf': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/frameworks/${(await compliance(c.company.id)).frameworkId}/soa.pdf`,
      }),
    },
    'PATCH /api/v1/soa-entries/:id': {
      target: 'company',
      req: async (c) => {
        const fx = await compliance(c.company.id);
        const entry = (await svc().compliance.soa(factoryActor, c.company.id, fx.frameworkId)).items.find(
          (i) => i.id === fx.soaEntryId,
        )!;
        return {
          url: `/api/v1/soa-entries/${fx.soaEntryId}`,
          body: { version: entry.version, status: 'implemented' },
        };
      },
    },
    'GET /api/v1/applied-controls': { target: 'none', req: () => ({ url: '/api/v1/applied-controls' }) },
    'POST /api/v1/applied-controls': {
      target: 'company',
      req: async (c) => {
        await compliance(c.company.id);
        return {
          url: '/api/v1/applied-controls',
          body: {
            companyId: c.company.id,
            code: `C-${Math.random().toString(36).slice(2, 8)}`,
            name: 'Access review',
          },
        };
      },
    },
    'GET /api/v1/applied-controls/:id': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/applied-controls/${(await compliance(c.company.id)).controlId}` }),
    },
    'PATCH /api/v1/applied-controls/:id': {
      target: 'company',
      req: async (c) => {
        const fx = await compliance(c.company.id);
        const control = await svc().compliance.getControl(factoryActor, fx.controlId);
        return {
          url: `/api/v1/applied-controls/${fx.controlId}`,
          body: { version: control.version, description: 'Reviewed' },
        };
      },
    },
    'POST /api/v1/applied-controls/:id/evidence': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/applied-controls/${(await compliance(c.company.id)).controlId}/evidence`,
        body: {
          kind: 'link',
          title: 'Ticket',
          url: 'https://tickets.example.com/1',
          validFrom: '2026-01-01',
        },
      }),
    },
    'POST /api/v1/applied-controls/:id/evidence/file': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/applied-controls/${(await compliance(c.company.id)).controlId}/evidence/file?title=Report&fileName=report.txt&validFrom=2026-01-01`,
        payload: 'quarterly access review done',
        contentType: 'application/octet-stream',
      }),
    },
    'GET /api/v1/evidence/expiring': { target: 'none', req: () => ({ url: '/api/v1/evidence/expiring' }) },
    'GET /api/v1/evidence/:id/file': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/evidence/${(await compliance(c.company.id)).fileEvidenceId}/file` }),
    },
    'PATCH /api/v1/evidence/:id': {
      target: 'company',
      req: async (c) => {
        const fx = await compliance(c.company.id);
        const ev = (await svc().compliance.getControl(factoryActor, fx.controlId)).evidence.find(
          (e) => e.id === fx.evidenceId,
        )!;
        return {
          url: `/api/v1/evidence/${fx.evidenceId}`,
          body: { version: ev.version, title: 'Approved minutes' },
        };
      },
    },
    'GET /api/v1/certifications': { target: 'none', req: () => ({ url: '/api/v1/certifications' }) },
    'GET /api/v1/certifications/register.csv': {
      target: 'none',
      req: () => ({ url: '/api/v1/certifications/register.csv' }),
    },
    'GET /api/v1/certifications/register.xlsx': {
      target: 'none',
      req: () => ({ url: '/api/v1/certifications/register.xlsx' }),
    },
    'POST /api/v1/certifications': {
      target: 'company',
      req: (c) => ({
        url: '/api/v1/certifications',
        body: {
          companyId: c.company.id,
          standard: 'PCI DSS',
          scope: 'Card data environment',
          certificationBody: 'QSA Co',
        },
      }),
    },
    'PATCH /api/v1/certifications/:id': {
      target: 'company',
      req: async (c) => {
        const fx = await compliance(c.company.id);
        const cert = (await svc().compliance.listCertifications(factoryActor, c.company.id)).find(
          (x) => x.id === fx.certificationId,
        )!;
        return {
          url: `/api/v1/certifications/${fx.certificationId}`,
          body: { version: cert.version, certificateNumber: 'IS 123' },
        };
      },
    },
    'POST /api/v1/certifications/:id/audits': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/certifications/${(await compliance(c.company.id)).certificationId}/audits`,
        body: { kind: 'recertification', plannedOn: '2027-06-01' },
      }),
    },
    'PATCH /api/v1/certification-audits/:id': {
      target: 'company',
      req: async (c) => {
        const fx = await compliance(c.company.id);
        const cert = (await svc().compliance.listCertifications(factoryActor, c.company.id)).find(
          (x) => x.id === fx.certificationId,
        )!;
        const audit = cert.audits.find((a) => a.id === fx.auditId)!;
        return {
          url: `/api/v1/certification-audits/${fx.auditId}`,
          body: { version: audit.version, notes: 'Scheduled' },
        };
      },
    },
    'GET /api/v1/audit': { target: 'none', req: () => ({ url: '/api/v1/audit' }) },
    'GET /api/v1/audit/verify': { target: 'none', req: () => ({ url: '/api/v1/audit/verify' }) },
    'GET /api/v1/assets': { target: 'none', req: () => ({ url: '/api/v1/assets' }) },
    'GET /api/v1/assets/summary': { target: 'none', req: () => ({ url: '/api/v1/assets/summary' }) },
    'GET /api/v1/assets/export.csv': { target: 'none', req: () => ({ url: '/api/v1/assets/export.csv' }) },
    'POST /api/v1/assets': {
      target: 'company',
      req: (c) => ({
        url: '/api/v1/assets',
        body: {
          companyId: c.company.id,
          name: 'Customer database',
          assetType: 'information',
          ownerPersonId: c.person.id,
          confidentiality: 3,
          integrity: 2,
          availability: 1,
        },
      }),
    },
    'POST /api/v1/assets/import': {
      target: 'none',
      req: (c) => ({
        url: '/api/v1/assets/import?commit=false',
        payload: `company_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability\n${c.company.shortCode},Payroll,information,${c.person.employeeNumber},3,3,2\n`,
        contentType: 'text/csv',
      }),
    },
    'POST /api/v1/assets/bulk-update': {
      target: 'company',
      req: async (c) => {
        const a = await assetFactory(getEnv().ctx)(c.company.id, c.person.id);
        return {
          url: '/api/v1/assets/bulk-update',
          body: { items: [{ id: a.id, version: a.version }], set: { confidentiality: 3 } },
        };
      },
    },
    'GET /api/v1/assets/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/assets/${(await assetFactory(getEnv().ctx)(c.company.id, c.person.id)).id}`,
      }),
    },
    'PATCH /api/v1/assets/:id': {
      target: 'company',
      req: async (c) => {
        const a = await assetFactory(getEnv().ctx)(c.company.id, c.person.id);
        return { url: `/api/v1/assets/${a.id}`, body: { version: a.version, name: 'Renamed asset' } };
      },
    },
    'DELETE /api/v1/assets/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/assets/${(await assetFactory(getEnv().ctx)(c.company.id, c.person.id)).id}`,
      }),
    },
    'GET /api/v1/assets/:id/graph': {
      target: 'company',
      req: async (c) => {
        const make = assetFactory(getEnv().ctx);
        const a = await make(c.company.id, c.person.id);
        await relationFactory(getEnv().ctx)(a.id, (await make(c.company.id, c.person.id)).id, 'runs_on');
        return { url: `/api/v1/assets/${a.id}/graph?depth=2` };
      },
    },
    'POST /api/v1/assets/:id/relations': {
      target: 'company',
      req: async (c) => {
        const make = assetFactory(getEnv().ctx);
        const a = await make(c.company.id, c.person.id);
        const b = await make(c.company.id, c.person.id);
        return { url: `/api/v1/assets/${a.id}/relations`, body: { kind: 'stores', toAssetId: b.id } };
      },
    },
    'DELETE /api/v1/assets/:id/relations/:relationId': {
      target: 'company',
      req: async (c) => {
        const make = assetFactory(getEnv().ctx);
        const a = await make(c.company.id, c.person.id);
        const rel = await relationFactory(getEnv().ctx)(a.id, (await make(c.company.id, c.person.id)).id);
        return { url: `/api/v1/assets/${a.id}/relations/${rel.id}` };
      },
    },
    'GET /api/v1/companies/:companyId/asset-scale': {
      target: 'company',
      req: (c) => ({ url: `/api/v1/companies/${c.company.id}/asset-scale` }),
    },
    'PUT /api/v1/companies/:companyId/asset-scale': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/asset-scale`,
        body: {
          version: (await svc().assets.getScale(factoryActor, c.company.id)).version,
          levels: 4,
        },
      }),
    },
    'GET /api/v1/companies/:companyId/risk-method': {
      target: 'company',
      req: async (c) => {
        await riskMethodFactory(getEnv().ctx)(c.company.id);
        return { url: `/api/v1/companies/${c.company.id}/risk-method` };
      },
    },
    'PUT /api/v1/companies/:companyId/risk-method': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/companies/${c.company.id}/risk-method`,
        body: { ...standardMethod(), version: (await riskMethodFactory(getEnv().ctx)(c.company.id)).version },
      }),
      // Another role may have set a newer version in between: 409 means it was allowed.
      ok: [409],
    },
    'GET /api/v1/companies/:companyId/risk-method/versions/:version': {
      target: 'company',
      req: async (c) => {
        await riskMethodFactory(getEnv().ctx)(c.company.id);
        return { url: `/api/v1/companies/${c.company.id}/risk-method/versions/1` };
      },
    },
    'GET /api/v1/risk-catalogue': {
      target: 'none',
      req: () => ({ url: '/api/v1/risk-catalogue?kind=threat' }),
    },
    'POST /api/v1/risk-catalogue': {
      target: 'none',
      req: () => ({
        url: '/api/v1/risk-catalogue',
        body: {
          kind: 'threat',
          code: `T-${Math.random().toString(36).slice(2, 10)}`,
          name: 'Drone surveillance',
        },
      }),
      // The catalogue is the group's: a writer of one company only is refused by the service.
      ok: [403],
    },
    'PATCH /api/v1/risk-catalogue/:id': {
      target: 'none',
      req: async () => {
        const item = (await svc().risks.listCatalogue(factoryActor, 'vulnerability')).items[0]!;
        return { url: `/api/v1/risk-catalogue/${item.id}`, body: { version: item.version, name: item.name } };
      },
      ok: [403, 409],
    },
    'GET /api/v1/risks': { target: 'none', req: () => ({ url: '/api/v1/risks?overdueReview=true' }) },
    'GET /api/v1/risks/heatmap': { target: 'none', req: () => ({ url: '/api/v1/risks/heatmap' }) },
    'GET /api/v1/email/domains': { target: 'none', req: () => ({ url: '/api/v1/email/domains?role=sends' }) },
    'POST /api/v1/email/domains': {
      target: 'company',
      req: (c) => ({
        url: '/api/v1/email/domains',
        body: { companyId: c.company.id, name: `d${randomUUID().slice(0, 8)}.example`, service: 'Shop' },
      }),
    },
    'GET /api/v1/email/domains/:id': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/email/domains/${(await emailDomain(c.company.id)).id}` }),
    },
    'PATCH /api/v1/email/domains/:id': {
      target: 'company',
      req: async (c) => {
        const d = await svc().emailAuth.getDomain(factoryActor, (await emailDomain(c.company.id)).id);
        return { url: `/api/v1/email/domains/${d.id}`, body: { version: d.version, service: 'Renamed' } };
      },
    },
    'POST /api/v1/email/domains/:id/scan': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/email/domains/${(await emailDomain(c.company.id)).id}/scan` }),
    },
    'GET /api/v1/email/domains/:id/scans': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/email/domains/${(await emailDomain(c.company.id)).id}/scans` }),
    },
    'GET /api/v1/email/scans/:id': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/email/scans/${(await emailScan(c.company.id)).id}` }),
    },
    'POST /api/v1/email/rescan': {
      target: 'company',
      req: (c) => ({ url: '/api/v1/email/rescan', body: { companyId: c.company.id } }),
    },
    'GET /api/v1/email/alerts': { target: 'none', req: () => ({ url: '/api/v1/email/alerts?open=true' }) },
    'POST /api/v1/email/alerts/:id/acknowledge': {
      target: 'company',
      req: async (c) => {
        const a = await emailAlert(c.company.id);
        return { url: `/api/v1/email/alerts/${a.id}/acknowledge`, body: { version: a.version } };
      },
      // Another role may have acknowledged it first: 409 means it was allowed.
      ok: [409],
    },
    'GET /api/v1/email/rollup': { target: 'none', req: () => ({ url: '/api/v1/email/rollup' }) },
    'GET /api/v1/email/rollout-board': {
      target: 'none',
      req: () => ({ url: '/api/v1/email/rollout-board' }),
    },
    'POST /api/v1/dmarc/files': {
      target: 'none',
      req: () => ({
        url: '/api/v1/dmarc/files?name=r.xml',
        payload: `<?xml version="1.0"?><feedback><report_metadata><org_name>R</org_name><email>d@r.example</email><report_id>${randomUUID()}</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata><policy_published><domain>unclaimed.example</domain><p>none</p></policy_published><record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>unclaimed.example</header_from></identifiers><auth_results><spf><domain>unclaimed.example</domain><result>pass</result></spf></auth_results></record></feedback>`,
        contentType: 'application/octet-stream',
      }),
      // A report for a domain no company owns is kept by group-wide users only: 422 means it was allowed in.
      ok: [422],
    },
    'GET /api/v1/dmarc/files': { target: 'none', req: () => ({ url: '/api/v1/dmarc/files' }) },
    'GET /api/v1/dmarc/reports': { target: 'none', req: () => ({ url: '/api/v1/dmarc/reports' }) },
    'GET /api/v1/dmarc/analysis': { target: 'none', req: () => ({ url: '/api/v1/dmarc/analysis?days=7' }) },
    'GET /api/v1/dmarc/sources': {
      target: 'company',
      req: async (c) => {
        const d = await svc().emailAuth.getDomain(factoryActor, (await emailDomain(c.company.id)).id);
        return { url: `/api/v1/dmarc/sources?domain=${d.name}` };
      },
    },
    'GET /api/v1/dmarc/readiness': { target: 'none', req: () => ({ url: '/api/v1/dmarc/readiness' }) },
    'GET /api/v1/dmarc/records.csv': {
      target: 'company',
      req: async (c) => {
        const d = await svc().emailAuth.getDomain(factoryActor, (await emailDomain(c.company.id)).id);
        return { url: `/api/v1/dmarc/records.csv?domain=${d.name}` };
      },
    },
    'GET /api/v1/dmarc/failure-reports': {
      target: 'none',
      req: () => ({ url: '/api/v1/dmarc/failure-reports' }),
    },
    'GET /api/v1/dmarc/failure-reports/:id': {
      target: 'company',
      req: async (c) => ({ url: `/api/v1/dmarc/failure-reports/${await failureReport(c.company.id)}` }),
    },
    'GET /api/v1/dmarc/services': { target: 'none', req: () => ({ url: '/api/v1/dmarc/services' }) },
    'POST /api/v1/dmarc/services': {
      target: 'none',
      req: () => ({
        url: '/api/v1/dmarc/services',
        body: { name: `S ${randomUUID()}`, rdnsSuffixes: ['esp.example'] },
      }),
    },
    'PATCH /api/v1/dmarc/services/:id': {
      target: 'none',
      req: async () => {
        const s = (await svc().dmarcReports.listServices(factoryActor)).items[0]!;
        return { url: `/api/v1/dmarc/services/${s.id}`, body: { version: s.version, name: s.name } };
      },
      // Another role may have changed it in between: 409 means it was allowed.
      ok: [409],
    },
    'GET /api/v1/risks/due': { target: 'none', req: () => ({ url: '/api/v1/risks/due' }) },
    'GET /api/v1/risks/top': { target: 'none', req: () => ({ url: '/api/v1/risks/top?limit=5' }) },
    'GET /api/v1/risks/trend': { target: 'none', req: () => ({ url: '/api/v1/risks/trend?days=30' }) },
    'GET /api/v1/companies/:companyId/risks/treatment-plan.xlsx': {
      target: 'company',
      req: async (c) => {
        await riskFactory(getEnv().ctx)(c.company.id, c.person.id);
        return { url: `/api/v1/companies/${c.company.id}/risks/treatment-plan.xlsx` };
      },
    },
    'GET /api/v1/companies/:companyId/risks/treatment-plan.pdf': {
      target: 'company',
      req: async (c) => {
        await riskFactory(getEnv().ctx)(c.company.id, c.person.id);
        return { url: `/api/v1/companies/${c.company.id}/risks/treatment-plan.pdf` };
      },
    },
    'POST /api/v1/risks': {
      target: 'company',
      req: async (c) => {
        await riskMethodFactory(getEnv().ctx)(c.company.id);
        return {
          url: '/api/v1/risks',
          body: {
            companyId: c.company.id,
            title: 'Laptop theft',
            ownerPersonId: c.person.id,
            inherent: { likelihood: 2, impact: 3 },
            residual: { likelihood: 1, impact: 3 },
          },
        };
      },
    },
    'GET /api/v1/risks/:id': {
      target: 'company',
      req: async (c) => ({
        url: `/api/v1/risks/${(await riskFactory(getEnv().ctx)(c.company.id, c.person.id)).id}`,
      }),
    },
    'PATCH /api/v1/risks/:id': {
      target: 'company',
      req: async (c) => {
        const r = await riskFactory(getEnv().ctx)(c.company.id, c.person.id);
        return { url: `/api/v1/risks/${r.id}`, body: { version: r.version, title: 'Renamed risk' } };
      },
    },
    'POST /api/v1/risks/:id/acceptance': {
      target: 'company',
      req: async (c) => {
        const r = await riskFactory(getEnv().ctx)(c.company.id, c.person.id);
        return {
          url: `/api/v1/risks/${r.id}/acceptance`,
          body: { version: r.version, expiresOn: '2099-12-31' },
        };
      },
    },
  };
}
