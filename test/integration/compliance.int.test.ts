// Statements of Applicability, applied controls, evidence, scores, certifications and the group dashboard,
// over HTTP on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, personFactory } from '../factories/org.factory.ts';
import type {
  AdoptionDto,
  AppliedControlDto,
  CertificationDto,
  DashboardDto,
  EvidenceDto,
  SoaEntryDto,
} from '../../src/modules/compliance/index.ts';
import type { CompanyDto } from '../../src/modules/org/index.ts';
import type { FrameworkDto } from '../../src/modules/frameworks/index.ts';

type Soa = { adoption: AdoptionDto; sections: { ref: string; title: string }[]; items: SoaEntryDto[] };

describe.each(dialectsUnderTest())('compliance on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  let company: CompanyDto;
  let other: CompanyDto;
  let iso: FrameworkDto;
  let pci: FrameworkDto;

  const api = (
    method: string,
    url: string,
    payload?: object | string,
    headers: Record<string, string> = {},
  ) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: { ...admin.headers, ...headers },
      ...(payload !== undefined ? { payload } : {}),
    });
  const soa = async (companyId: string, frameworkId: string, query = '') =>
    (await api('GET', `/api/v1/companies/${companyId}/frameworks/${frameworkId}/soa${query}`)).json<Soa>();
  const entry = async (ref: string, frameworkId = iso.id) =>
    (await soa(company.id, frameworkId)).items.find((i) => i.requirementRef === ref)!;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    company = await companyFactory(env.ctx)({ legalName: 'Kumo Card Co., Ltd.' });
    other = await companyFactory(env.ctx)({ legalName: 'Kumo Travel, Inc.' });
    const frameworks = (await api('GET', '/api/v1/frameworks')).json<{ items: FrameworkDto[] }>().items;
    iso = frameworks.find((f) => f.ref === 'iso27001-2022')!;
    pci = frameworks.find((f) => f.ref === 'pci-dss-4.0')!;
  });
  afterAll(() => env?.close());

  it('adopts frameworks per company, with a Statement of Applicability entry for every assessable requirement', async () => {
    const res = await api('POST', `/api/v1/companies/${company.id}/frameworks`, {
      frameworkId: iso.id,
      scopeStatement: 'Card issuing services',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<AdoptionDto>()).toMatchObject({
      frameworkRef: 'iso27001-2022',
      score: { applicable: 123, satisfied: 0, score: 0 },
    });
    expect(
      (await api('POST', `/api/v1/companies/${company.id}/frameworks`, { frameworkId: iso.id })).statusCode,
    ).toBe(409);
    expect(
      (await api('POST', `/api/v1/companies/${company.id}/frameworks`, { frameworkId: pci.id })).statusCode,
    ).toBe(201);
    await api('POST', `/api/v1/companies/${other.id}/frameworks`, { frameworkId: iso.id });
    const s = await soa(company.id, iso.id);
    expect(s.items).toHaveLength(123);
    expect(s.sections.map((x) => x.ref)).toEqual([
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      'A.5',
      'A.6',
      'A.7',
      'A.8',
    ]);
    expect(s.items.filter((i) => i.section === 'A.8')).toHaveLength(34);
    expect((await soa(company.id, iso.id, '?section=A.6')).items.map((i) => i.requirementRef)).toEqual([
      'A.6.1',
      'A.6.2',
      'A.6.3',
      'A.6.4',
      'A.6.5',
      'A.6.6',
      'A.6.7',
      'A.6.8',
    ]);
  });

  it('needs a justification to exclude a requirement, and answers 409 to a stale edit', async () => {
    const a714 = await entry('A.7.14');
    const noWhy = await api('PATCH', `/api/v1/soa-entries/${a714.id}`, {
      version: a714.version,
      applicable: false,
    });
    expect(noWhy.statusCode).toBe(422);
    const ok = await api('PATCH', `/api/v1/soa-entries/${a714.id}`, {
      version: a714.version,
      applicable: false,
      justification: 'No equipment is disposed of by the company; the cloud provider does it',
    });
    expect(ok.json<SoaEntryDto>()).toMatchObject({
      applicable: false,
      status: 'not_applicable',
      effectiveStatus: 'not_applicable',
      version: a714.version + 1,
    });
    expect(
      (
        await api('PATCH', `/api/v1/soa-entries/${a714.id}`, {
          version: a714.version,
          targetDate: '2027-01-01',
        })
      ).statusCode,
    ).toBe(409);
    const adoption = (await api('GET', `/api/v1/companies/${company.id}/frameworks`))
      .json<{ items: AdoptionDto[] }>()
      .items.find((a) => a.frameworkId === iso.id)!;
    expect(adoption.score.applicable).toBe(122);
  });

  it('scores a requirement only while one of its applied controls has valid evidence, and shows expired evidence', async () => {
    const owner = await personFactory(env.ctx)(company.id, { name: 'Tanaka Yui' });
    const a51 = await entry('A.5.1');
    const pci1211 = (await soa(company.id, pci.id)).items.find((i) => i.requirementRef === '12.1.1')!;
    // One applied control satisfies requirements of both frameworks.
    const created = await api('POST', '/api/v1/applied-controls', {
      companyId: company.id,
      code: 'POL-01',
      name: 'Information security policy set',
      ownerPersonId: owner.id,
      requirementIds: [a51.requirementId, pci1211.requirementId],
    });
    expect(created.statusCode).toBe(201);
    const control = created.json<AppliedControlDto>();
    expect(control.requirements.map((r) => r.ref).sort()).toEqual(['12.1.1', 'A.5.1']);
    expect(control.evidenceState).toBe('none');
    await api('PATCH', `/api/v1/soa-entries/${a51.id}`, {
      version: a51.version,
      status: 'implemented',
      ownerPersonId: owner.id,
    });
    await api('PATCH', `/api/v1/soa-entries/${pci1211.id}`, {
      version: pci1211.version,
      status: 'implemented',
    });
    expect((await entry('A.5.1')).effectiveStatus).toBe('no_evidence');

    const ev = await api('POST', `/api/v1/applied-controls/${control.id}/evidence`, {
      kind: 'link',
      title: 'Board approval',
      url: 'https://intranet.example.com/minutes/42',
      validFrom: day(-300),
      validUntil: day(60),
    });
    expect(ev.statusCode).toBe(201);
    expect((await entry('A.5.1')).effectiveStatus).toBe('implemented');
    expect((await entry('12.1.1', pci.id)).effectiveStatus).toBe('implemented');
    const adoptions = (await api('GET', `/api/v1/companies/${company.id}/frameworks`)).json<{
      items: AdoptionDto[];
    }>().items;
    expect(adoptions.find((a) => a.frameworkId === iso.id)!.score).toMatchObject({
      applicable: 122,
      satisfied: 1,
      score: 8,
    });

    // The evidence runs out: the requirement drops to 'evidence expired' in the scores.
    const evidence = ev.json<EvidenceDto>();
    const expired = await api('PATCH', `/api/v1/evidence/${evidence.id}`, {
      version: evidence.version,
      validUntil: day(-1),
    });
    expect(expired.json<EvidenceDto>().state).toBe('expired');
    expect((await entry('A.5.1')).effectiveStatus).toBe('evidence_expired');
    const after = (await api('GET', `/api/v1/companies/${company.id}/frameworks`))
      .json<{ items: AdoptionDto[] }>()
      .items.find((a) => a.frameworkId === iso.id)!;
    expect(after.score).toMatchObject({ satisfied: 0, evidenceExpired: 1 });
    const expiring = (await api('GET', `/api/v1/evidence/expiring?companyId=${company.id}`)).json<{
      items: (EvidenceDto & { daysLeft: number })[];
    }>().items;
    expect(expiring.map((e) => [e.title, e.daysLeft])).toEqual([['Board approval', -1]]);
    expect(
      (
        await api('PATCH', `/api/v1/evidence/${evidence.id}`, {
          version: evidence.version + 1,
          validUntil: '2000-01-01',
        })
      ).statusCode,
    ).toBe(422);
  });

  it('stores evidence files content-addressed, with a size limit and type checks, and serves them as downloads', async () => {
    const control = (await api('GET', `/api/v1/applied-controls?companyId=${company.id}`)).json<{
      items: AppliedControlDto[];
    }>().items[0]!;
    const url = (name: string) =>
      `/api/v1/applied-controls/${control.id}/evidence/file?title=Review&fileName=${name}&validFrom=${day(-1)}&validUntil=${day(364)}`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1000, 32), Buffer.from('\n%%EOF\n')]);
    const up = await api('POST', url('review.pdf'), pdf, { 'content-type': 'application/octet-stream' });
    expect(up.statusCode).toBe(201);
    const ev = up.json<EvidenceDto>();
    expect(ev.file).toMatchObject({ name: 'review.pdf', size: pdf.length, mediaType: 'application/pdf' });
    expect(
      (
        await api('POST', url('again.pdf'), pdf, { 'content-type': 'application/octet-stream' })
      ).json<EvidenceDto>().file!.sha256,
    ).toBe(ev.file!.sha256);
    const down = await api('GET', `/api/v1/evidence/${ev.id}/file`);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-disposition']).toMatch(/^attachment; filename="review.pdf"/);
    expect(down.rawPayload.equals(pdf)).toBe(true);
    const html = await api('POST', url('x.html'), '<!DOCTYPE html><script>alert(1)</script>', {
      'content-type': 'application/octet-stream',
    });
    expect(html.statusCode).toBe(415);
    const exe = await api('POST', url('setup.exe'), Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), {
      'content-type': 'application/octet-stream',
    });
    expect(exe.statusCode).toBe(415);
    const huge = await api('POST', url('big.txt'), Buffer.alloc(26 * 1024 * 1024, 65), {
      'content-type': 'application/octet-stream',
    });
    expect(huge.statusCode).toBe(413);
    expect(
      (await api('POST', url('empty.txt'), '', { 'content-type': 'application/octet-stream' })).statusCode,
    ).toBeGreaterThanOrEqual(400);
  });

  it('keeps certifications with their audits, and flags what is overdue', async () => {
    const c = await api('POST', '/api/v1/certifications', {
      companyId: company.id,
      standard: 'ISO/IEC 27001',
      scope: 'Card issuing',
      certificationBody: 'JQA',
      certificateNumber: 'JQA-IM0001',
      firstCertifiedOn: '2019-11-01',
      expiresOn: day(400),
    });
    expect(c.statusCode).toBe(201);
    const cert = c.json<CertificationDto>();
    expect(cert.overdue).toBe(false);
    await api('POST', `/api/v1/certifications/${cert.id}/audits`, {
      kind: 'surveillance',
      plannedOn: day(-10),
    });
    await api('POST', `/api/v1/certifications/${cert.id}/audits`, {
      kind: 'recertification',
      plannedOn: day(300),
    });
    const list = (await api('GET', `/api/v1/certifications?companyId=${company.id}`)).json<{
      items: CertificationDto[];
    }>().items;
    expect(list[0]).toMatchObject({
      overdue: true,
      nextAudit: { kind: 'surveillance', plannedOn: day(-10) },
    });
    const audit = list[0]!.nextAudit!;
    await api('PATCH', `/api/v1/certification-audits/${audit.id}`, {
      version: audit.version,
      heldOn: day(-9),
      outcome: 'passed_with_findings',
    });
    const again = (await api('GET', `/api/v1/certifications?companyId=${company.id}`)).json<{
      items: CertificationDto[];
    }>().items[0]!;
    expect(again).toMatchObject({ overdue: false, nextAudit: { kind: 'recertification' } });
    const csv = await api('GET', '/api/v1/certifications/register.csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('"Kumo Card Co., Ltd.",ISO/IEC 27001,Card issuing,JQA,JQA-IM0001');
  });

  it('rolls the group up: companies x frameworks, a heat map by Annex A theme, the certification calendar and expiring evidence', async () => {
    const d = (await api('GET', '/api/v1/compliance/dashboard')).json<DashboardDto>();
    expect(d.companies.map((c) => c.id).sort()).toEqual([company.id, other.id].sort());
    expect(
      d.matrix
        .filter((m) => m.companyId === company.id)
        .map((m) => m.frameworkId)
        .sort(),
    ).toEqual([iso.id, pci.id].sort());
    expect(d.heatmap!.sections.map((s) => s.ref)).toEqual([
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      'A.5',
      'A.6',
      'A.7',
      'A.8',
    ]);
    // The file uploaded above is valid evidence again for A.5.1's control, while the expired link stays listed.
    const a5 = d.heatmap!.cells.find((c) => c.companyId === company.id && c.section === 'A.5')!;
    expect(a5).toMatchObject({ applicable: 37, satisfied: 1, evidenceExpired: 0, score: 27 });
    expect(d.calendar.find((e) => e.kind === 'recertification')).toBeDefined();
    expect(d.expiredEvidence).toBe(1);
    // Drill down from a cell to the requirements behind it.
    const cell = (await soa(company.id, iso.id, '?section=A.5&effectiveStatus=implemented')).items;
    expect(cell.map((i) => i.requirementRef)).toEqual(['A.5.1']);
    // A company CISO sees their company only.
    const ciso = await userFactory(env.ctx)([{ role: 'company_ciso', companyId: other.id }]);
    const theirs = (
      await env.app.inject({ method: 'GET', url: '/api/v1/compliance/dashboard', headers: ciso.headers })
    ).json<DashboardDto>();
    expect(theirs.companies.map((c) => c.id)).toEqual([other.id]);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/companies/${company.id}/frameworks/${iso.id}/soa`,
          headers: ciso.headers,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('keeps score history and exports the SoA as XLSX and PDF', async () => {
    await sql`update compliance_snapshots set taken_on = '2026-01-01' where company_id = ${company.id}`.execute(
      env.ctx.db.kysely,
    );
    const history = (
      await api('GET', `/api/v1/companies/${company.id}/frameworks/${iso.id}/score-history?from=2025-01-01`)
    ).json<{ items: { date: string; score: number }[] }>().items;
    expect(history.map((h) => h.date)).toEqual(['2026-01-01', day(0)]);
    const xlsx = await api('GET', `/api/v1/companies/${company.id}/frameworks/${iso.id}/soa.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    const a51 = rows.find((r) => r[1] === 'A.5.1')!;
    expect(a51.slice(1, 8)).toEqual([
      'A.5.1',
      'Policies for information security',
      'A.5',
      'Yes',
      '',
      'Implemented',
      'Implemented',
    ]);
    expect(String(a51[10])).toContain('POL-01 Information security policy set');
    const pending = rows.find((r) => r[1] === 'A.5.2')!;
    expect(pending[6]).toBe('Not started');
    const excluded = rows.find((r) => r[1] === 'A.7.14')!;
    expect(excluded[4]).toBe('No');
    const pdf = await api('GET', `/api/v1/companies/${company.id}/frameworks/${iso.id}/soa.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(5000);
  });

  it('records every change in the audit trail', async () => {
    const actions = (
      await sql<{
        action: string;
      }>`select distinct action from audit_entries where company_id = ${company.id}`.execute(
        env.ctx.db.kysely,
      )
    ).rows.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'framework.adopt',
        'soa_entry.update',
        'applied_control.create',
        'evidence.create',
        'evidence.update',
        'certification.create',
        'certification_audit.create',
        'certification_audit.update',
      ]),
    );
  });
});
