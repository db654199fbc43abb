// HTTP face of the risks module.
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { attachment, XLSX_TYPE } from '../../platform/http/download.ts';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import type { RisksService } from './risks.service.ts';
import {
  AcceptRiskSchema,
  CatalogueIdParamsSchema,
  CatalogueItemDtoSchema,
  CatalogueListSchema,
  CatalogueQuerySchema,
  CompanyParamsSchema,
  CreateCatalogueItemSchema,
  CreateRiskSchema,
  DueQuerySchema,
  DueRisksSchema,
  HeatmapQuerySchema,
  HeatmapSchema,
  ListRisksQuerySchema,
  MethodVersionParamsSchema,
  RiskDtoSchema,
  RiskIdParamsSchema,
  RiskMethodDtoSchema,
  RiskPageSchema,
  SetRiskMethodSchema,
  TopRisksQuerySchema,
  TopRisksSchema,
  TrendQuerySchema,
  TrendSchema,
  UpdateCatalogueItemSchema,
  UpdateRiskSchema,
} from './risks.contract.ts';

const exports = () => import('./risks.exports.ts');

export function risksRoutes(app: ApiApp, svc: RisksService): void {
  const tags = ['risks'];
  app.get(
    '/companies/:companyId/risk-method',
    {
      config: { access: 'risk.read' },
      schema: { tags, params: CompanyParamsSchema, response: { 200: RiskMethodDtoSchema } },
    },
    (req) => svc.getMethod(actorOf(req), req.params.companyId),
  );
  app.put(
    '/companies/:companyId/risk-method',
    {
      config: { access: 'risk.accept' },
      schema: {
        tags,
        description:
          'Sets a new version of the company’s risk method (scales of 3-5 levels, matrix, acceptance threshold). `version` is the current version (0 when none); earlier versions stay readable.',
        params: CompanyParamsSchema,
        body: SetRiskMethodSchema,
        response: { 200: RiskMethodDtoSchema },
      },
    },
    (req) => svc.setMethod(actorOf(req), req.params.companyId, req.body),
  );
  app.get(
    '/companies/:companyId/risk-method/versions/:version',
    {
      config: { access: 'risk.read' },
      schema: { tags, params: MethodVersionParamsSchema, response: { 200: RiskMethodDtoSchema } },
    },
    (req) => svc.getMethod(actorOf(req), req.params.companyId, req.params.version),
  );
  app.get(
    '/risk-catalogue',
    {
      config: { access: 'risk.read' },
      schema: {
        tags,
        description: 'The group’s threat and vulnerability catalogue.',
        querystring: CatalogueQuerySchema,
        response: { 200: CatalogueListSchema },
      },
    },
    (req) => svc.listCatalogue(actorOf(req), req.query.kind),
  );
  app.post(
    '/risk-catalogue',
    {
      config: { access: 'risk.write' },
      schema: {
        tags,
        description:
          'Adds a threat or vulnerability; the catalogue is the group’s, edited by group-wide writers.',
        body: CreateCatalogueItemSchema,
        response: { 201: CatalogueItemDtoSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createCatalogueItem(actorOf(req), req.body)),
  );
  app.patch(
    '/risk-catalogue/:id',
    {
      config: { access: 'risk.write' },
      schema: {
        tags,
        params: CatalogueIdParamsSchema,
        body: UpdateCatalogueItemSchema,
        response: { 200: CatalogueItemDtoSchema },
      },
    },
    (req) => svc.updateCatalogueItem(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/risks',
    {
      config: { access: 'risk.read' },
      schema: {
        tags,
        description: 'The risk register, newest first; `level` is the residual level’s name.',
        querystring: ListRisksQuerySchema,
        response: { 200: RiskPageSchema },
      },
    },
    (req) => svc.listRisks(actorOf(req), req.query),
  );
  app.get(
    '/risks/heatmap',
    {
      config: { access: 'risk.read' },
      schema: {
        tags,
        description:
          'Risks per likelihood x impact cell of the company’s current method, inherent and residual side by side; without companyId, the group’s counts per level rank.',
        querystring: HeatmapQuerySchema,
        response: { 200: HeatmapSchema },
      },
    },
    (req) => svc.heatmap(actorOf(req), req.query.companyId),
  );
  app.get(
    '/risks/top',
    {
      config: { access: 'risk.read' },
      schema: {
        tags,
        description:
          'The highest risks of a company, or of every company the caller sees: highest residual level first, then inherent level, then the most recently changed.',
        querystring: TopRisksQuerySchema,
        response: { 200: TopRisksSchema },
      },
    },
    (req) => svc.topRisks(actorOf(req), req.query),
  );
  app.get(
    '/risks/trend',
    {
      config: { access: 'risk.read' },
      schema: {
        tags,
        description:
          'Daily counts of the register (total, per level rank, above the acceptance threshold, accepted, overdue reviews) over the last `days` days, from the daily snapshots; without companyId, summed over the companies the caller sees.',
        querystring: TrendQuerySchema,
        response: { 200: TrendSchema },
      },
    },
    (req) => svc.trend(actorOf(req), req.query),
  );
  app.get(
    '/companies/:companyId/risks/treatment-plan.xlsx',
    {
      config: { access: 'risk.read' },
      schema: { tags, params: CompanyParamsSchema, querystring: NoQuerySchema },
    },
    async (req, reply) => {
      const r = await svc.treatmentPlan(actorOf(req), req.params.companyId);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachment(`risk-treatment-plan-${r.shortCode}.xlsx`))
        .send(await (await exports()).treatmentPlanXlsx(r));
    },
  );
  app.get(
    '/companies/:companyId/risks/treatment-plan.pdf',
    {
      config: { access: 'risk.read' },
      schema: { tags, params: CompanyParamsSchema, querystring: NoQuerySchema },
    },
    async (req, reply) => {
      const r = await svc.treatmentPlan(actorOf(req), req.params.companyId);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(`risk-treatment-plan-${r.shortCode}.pdf`))
        .send(await (await exports()).treatmentPlanPdf(r));
    },
  );
  app.get(
    '/risks/due',
    {
      config: { access: 'risk.read' },
      schema: {
        tags,
        description: 'Risks whose acceptance has expired and risks whose review date is past.',
        querystring: DueQuerySchema,
        response: { 200: DueRisksSchema },
      },
    },
    (req) => svc.due(actorOf(req), req.query.companyId),
  );
  app.post(
    '/risks',
    {
      config: { access: 'risk.write' },
      schema: { tags, body: CreateRiskSchema, response: { 201: RiskDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createRisk(actorOf(req), req.body)),
  );
  app.get(
    '/risks/:id',
    {
      config: { access: 'risk.read' },
      schema: { tags, params: RiskIdParamsSchema, response: { 200: RiskDtoSchema } },
    },
    (req) => svc.getRisk(actorOf(req), req.params.id),
  );
  app.patch(
    '/risks/:id',
    {
      config: { access: 'risk.write' },
      schema: { tags, params: RiskIdParamsSchema, body: UpdateRiskSchema, response: { 200: RiskDtoSchema } },
    },
    (req) => svc.updateRisk(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/risks/:id/acceptance',
    {
      config: { access: 'risk.write' },
      schema: {
        tags,
        description:
          'Records the sign-off of the residual risk until `expiresOn`. Above the acceptance threshold only the risk owner or a CISO of the company may sign off.',
        params: RiskIdParamsSchema,
        body: AcceptRiskSchema,
        response: { 200: RiskDtoSchema },
      },
    },
    (req) => svc.acceptRisk(actorOf(req), req.params.id, req.body),
  );
}
