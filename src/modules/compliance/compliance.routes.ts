// HTTP face of the compliance module.
import { z } from 'zod';
import { attachment, XLSX_TYPE } from '../../platform/http/download.ts';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { badRequest } from '../../platform/errors.ts';
import { MAX_EVIDENCE_BYTES, type ComplianceService } from './compliance.service.ts';
// The report libraries (exceljs, pdfkit) are loaded on the first export, not at start-up.
const reports = () => import('./compliance.exports.ts');
import type { OrgService } from '../org/index.ts';
import {
  AdoptionDtoSchema,
  AdoptionListSchema,
  AdoptSchema,
  AppliedControlDtoSchema,
  AppliedControlPageSchema,
  CertificationAuditDtoSchema,
  CertificationDtoSchema,
  CertificationListSchema,
  CompanyFrameworkParamsSchema,
  CreateAppliedControlSchema,
  CreateCertificationAuditSchema,
  CreateCertificationSchema,
  CreateEvidenceSchema,
  DashboardQuerySchema,
  DashboardSchema,
  EvidenceDtoSchema,
  EvidenceFileQuerySchema,
  ExpiringEvidenceQuerySchema,
  ExpiringEvidenceSchema,
  ListAppliedControlsQuerySchema,
  ListCertificationsQuerySchema,
  ScoreHistoryQuerySchema,
  ScoreHistorySchema,
  SoaEntryDtoSchema,
  SoaQuerySchema,
  SoaSchema,
  UpdateAppliedControlSchema,
  UpdateCertificationAuditSchema,
  UpdateCertificationSchema,
  UpdateEvidenceSchema,
  UpdateSoaEntrySchema,
} from './compliance.contract.ts';

const IdParams = z.strictObject({ id: z.uuid() });
const CompanyParams = z.strictObject({ companyId: z.uuid() });

export function complianceRoutes(app: ApiApp, svc: ComplianceService, org: OrgService): void {
  const tags = ['compliance'];

  app.get(
    '/compliance/dashboard',
    {
      config: { access: 'compliance.read' },
      schema: { tags, querystring: DashboardQuerySchema, response: { 200: DashboardSchema } },
    },
    (req) => svc.dashboard(actorOf(req), req.query),
  );

  app.get(
    '/companies/:companyId/frameworks',
    {
      config: { access: 'compliance.read' },
      schema: {
        tags,
        params: CompanyParams,
        querystring: NoQuerySchema,
        response: { 200: AdoptionListSchema },
      },
    },
    async (req) => ({ items: await svc.listAdoptions(actorOf(req), req.params.companyId) }),
  );
  app.post(
    '/companies/:companyId/frameworks',
    {
      config: { access: 'compliance.write' },
      schema: { tags, params: CompanyParams, body: AdoptSchema, response: { 201: AdoptionDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.adopt(actorOf(req), req.params.companyId, req.body)),
  );
  app.get(
    '/companies/:companyId/frameworks/:frameworkId/soa',
    {
      config: { access: 'compliance.read' },
      schema: {
        tags,
        params: CompanyFrameworkParamsSchema,
        querystring: SoaQuerySchema,
        response: { 200: SoaSchema },
      },
    },
    (req) => svc.soa(actorOf(req), req.params.companyId, req.params.frameworkId, req.query),
  );
  app.get(
    '/companies/:companyId/frameworks/:frameworkId/score-history',
    {
      config: { access: 'compliance.read' },
      schema: {
        tags,
        params: CompanyFrameworkParamsSchema,
        querystring: ScoreHistoryQuerySchema,
        response: { 200: ScoreHistorySchema },
      },
    },
    async (req) => ({
      items: await svc.scoreHistory(actorOf(req), req.params.companyId, req.params.frameworkId, req.query),
    }),
  );
  const soaReport = async (
    req: { params: { companyId: string; frameworkId: string } } & Parameters<typeof actorOf>[0],
  ) => {
    const actor = actorOf(req);
    const soa = await svc.soa(actor, req.params.companyId, req.params.frameworkId);
    const company = await org.getCompany(actor, req.params.companyId);
    const people = new Map<string, string>();
    for (const id of new Set(soa.items.map((i) => i.ownerPersonId).filter((x): x is string => !!x))) {
      const p = await org.getPerson(actor, id).catch(() => undefined);
      if (p) people.set(id, p.name);
    }
    return {
      companyName: company.legalName,
      shortCode: company.shortCode,
      adoption: soa.adoption,
      sections: soa.sections,
      items: soa.items,
      people,
      generatedAt: new Date().toISOString(),
    };
  };
  app.get(
    '/companies/:companyId/frameworks/:frameworkId/soa.xlsx',
    {
      config: { access: 'compliance.read' },
      schema: { tags, params: CompanyFrameworkParamsSchema, querystring: NoQuerySchema },
    },
    async (req, reply) => {
      const r = await soaReport(req);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachment(`SoA-${r.shortCode}-${r.adoption.frameworkRef}.xlsx`))
        .send(await (await reports()).soaXlsx(r));
    },
  );
  app.get(
    '/companies/:companyId/frameworks/:frameworkId/soa.pdf',
    {
      config: { access: 'compliance.read' },
      schema: { tags, params: CompanyFrameworkParamsSchema, querystring: NoQuerySchema },
    },
    async (req, reply) => {
      const r = await soaReport(req);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(`SoA-${r.shortCode}-${r.adoption.frameworkRef}.pdf`))
        .send(await (await reports()).soaPdf(r));
    },
  );
  app.patch(
    '/soa-entries/:id',
    {
      config: { access: 'compliance.write' },
      schema: { tags, params: IdParams, body: UpdateSoaEntrySchema, response: { 200: SoaEntryDtoSchema } },
    },
    (req) => svc.updateSoaEntry(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/applied-controls',
    {
      config: { access: 'compliance.read' },
      schema: {
        tags,
        querystring: ListAppliedControlsQuerySchema,
        response: { 200: AppliedControlPageSchema },
      },
    },
    (req) => svc.listControls(actorOf(req), req.query),
  );
  app.post(
    '/applied-controls',
    {
      config: { access: 'compliance.write' },
      schema: { tags, body: CreateAppliedControlSchema, response: { 201: AppliedControlDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createControl(actorOf(req), req.body)),
  );
  app.get(
    '/applied-controls/:id',
    {
      config: { access: 'compliance.read' },
      schema: {
        tags,
        params: IdParams,
        querystring: NoQuerySchema,
        response: { 200: AppliedControlDtoSchema.extend({ evidence: z.array(EvidenceDtoSchema) }) },
      },
    },
    (req) => svc.getControl(actorOf(req), req.params.id),
  );
  app.patch(
    '/applied-controls/:id',
    {
      config: { access: 'compliance.write' },
      schema: {
        tags,
        params: IdParams,
        body: UpdateAppliedControlSchema,
        response: { 200: AppliedControlDtoSchema },
      },
    },
    (req) => svc.updateControl(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/applied-controls/:id/evidence',
    {
      config: { access: 'compliance.write' },
      schema: { tags, params: IdParams, body: CreateEvidenceSchema, response: { 201: EvidenceDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.addEvidence(actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/applied-controls/:id/evidence/file',
    {
      config: { access: 'compliance.write' },
      bodyLimit: MAX_EVIDENCE_BYTES,
      schema: {
        tags,
        description:
          'Upload an evidence file as the raw body (Content-Type: application/octet-stream); its title, name and validity go in the query.',
        params: IdParams,
        querystring: EvidenceFileQuerySchema,
        response: { 201: EvidenceDtoSchema },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        throw badRequest('Send the file as the request body with Content-Type: application/octet-stream');
      return reply
        .code(201)
        .send(await svc.addEvidenceFile(actorOf(req), req.params.id, req.query, req.body));
    },
  );
  app.get(
    '/evidence/expiring',
    {
      config: { access: 'compliance.read' },
      schema: { tags, querystring: ExpiringEvidenceQuerySchema, response: { 200: ExpiringEvidenceSchema } },
    },
    async (req) => ({ items: await svc.expiringEvidence(actorOf(req), req.query) }),
  );
  app.get(
    '/evidence/:id/file',
    { config: { access: 'compliance.read' }, schema: { tags, params: IdParams, querystring: NoQuerySchema } },
    async (req, reply) => {
      const f = await svc.evidenceFile(actorOf(req), req.params.id);
      // Always a download: evidence is never rendered by the browser as a page.
      return reply
        .type(f.mediaType)
        .header('content-disposition', attachment(f.name))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(f.bytes);
    },
  );
  app.patch(
    '/evidence/:id',
    {
      config: { access: 'compliance.write' },
      schema: { tags, params: IdParams, body: UpdateEvidenceSchema, response: { 200: EvidenceDtoSchema } },
    },
    (req) => svc.updateEvidence(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/certifications',
    {
      config: { access: 'compliance.read' },
      schema: {
        tags,
        querystring: ListCertificationsQuerySchema,
        response: { 200: CertificationListSchema },
      },
    },
    async (req) => ({ items: await svc.listCertifications(actorOf(req), req.query.companyId) }),
  );
  app.get(
    '/certifications/register.csv',
    { config: { access: 'compliance.read' }, schema: { tags, querystring: NoQuerySchema } },
    async (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment('certification-register.csv'))
        .send((await reports()).certificationsCsv(await svc.listCertifications(actorOf(req)))),
  );
  app.get(
    '/certifications/register.xlsx',
    { config: { access: 'compliance.read' }, schema: { tags, querystring: NoQuerySchema } },
    async (req, reply) =>
      reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachment('certification-register.xlsx'))
        .send(await (await reports()).certificationsXlsx(await svc.listCertifications(actorOf(req)))),
  );
  app.post(
    '/certifications',
    {
      config: { access: 'certification.write' },
      schema: { tags, body: CreateCertificationSchema, response: { 201: CertificationDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createCertification(actorOf(req), req.body)),
  );
  app.patch(
    '/certifications/:id',
    {
      config: { access: 'certification.write' },
      schema: {
        tags,
        params: IdParams,
        body: UpdateCertificationSchema,
        response: { 200: CertificationDtoSchema },
      },
    },
    (req) => svc.updateCertification(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/certifications/:id/audits',
    {
      config: { access: 'certification.write' },
      schema: {
        tags,
        params: IdParams,
        body: CreateCertificationAuditSchema,
        response: { 201: CertificationAuditDtoSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await svc.addCertificationAudit(actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/certification-audits/:id',
    {
      config: { access: 'certification.write' },
      schema: {
        tags,
        params: IdParams,
        body: UpdateCertificationAuditSchema,
        response: { 200: CertificationAuditDtoSchema },
      },
    },
    (req) => svc.updateCertificationAudit(actorOf(req), req.params.id, req.body),
  );
}
