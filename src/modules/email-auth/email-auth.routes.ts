// HTTP face of the email-auth module: the domain inventory, scans and their history, alerts, roll-up and board.
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import type { EmailAuthService } from './email-auth.service.ts';
import {
  AcknowledgeAlertSchema,
  AlertDtoSchema,
  AlertIdParamsSchema,
  AlertPageSchema,
  AlertsQuerySchema,
  CreateEmailDomainSchema,
  DomainIdParamsSchema,
  EmailDomainDtoSchema,
  EmailDomainPageSchema,
  ListEmailDomainsQuerySchema,
  ListScansQuerySchema,
  RescanResultSchema,
  RescanSchema,
  RollupQuerySchema,
  RollupSchema,
  RolloutBoardSchema,
  ScanDetailSchema,
  ScanDtoSchema,
  ScanIdParamsSchema,
  ScanPageSchema,
  UpdateEmailDomainSchema,
} from './email-auth.contract.ts';

export function emailAuthRoutes(app: ApiApp, svc: EmailAuthService): void {
  const tags = ['email'];
  app.get(
    '/email/domains',
    {
      config: { access: 'email.read' },
      schema: { tags, querystring: ListEmailDomainsQuerySchema, response: { 200: EmailDomainPageSchema } },
    },
    (req) => svc.listDomains(actorOf(req), req.query),
  );
  app.post(
    '/email/domains',
    {
      config: { access: 'email.write' },
      schema: {
        tags,
        description:
          'Adds a sending or parked domain of a company; it is scanned at the scheduler’s next round.',
        body: CreateEmailDomainSchema,
        response: { 201: EmailDomainDtoSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createDomain(actorOf(req), req.body)),
  );
  app.get(
    '/email/domains/:id',
    {
      config: { access: 'email.read' },
      schema: { tags, params: DomainIdParamsSchema, response: { 200: EmailDomainDtoSchema } },
    },
    (req) => svc.getDomain(actorOf(req), req.params.id),
  );
  app.patch(
    '/email/domains/:id',
    {
      config: { access: 'email.write' },
      schema: {
        tags,
        params: DomainIdParamsSchema,
        body: UpdateEmailDomainSchema,
        response: { 200: EmailDomainDtoSchema },
      },
    },
    (req) => svc.updateDomain(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/email/domains/:id/scan',
    {
      config: { access: 'email.write' },
      schema: {
        tags,
        description:
          'Scans the domain now (SPF, DMARC, DKIM selectors, MX, MTA-STS, TLS-RPT, BIMI, or the parked-domain records) and stores the scan; regressions against the scan before raise an alert and, when the domain allows it, a risk.',
        params: DomainIdParamsSchema,
        response: { 201: ScanDtoSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.scanNow(actorOf(req), req.params.id)),
  );
  app.get(
    '/email/domains/:id/scans',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description: 'The domain’s timeline: its scans, newest first, with their roll-up and regressions.',
        params: DomainIdParamsSchema,
        querystring: ListScansQuerySchema,
        response: { 200: ScanPageSchema },
      },
    },
    (req) => svc.listScans(actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/email/scans/:id',
    {
      config: { access: 'email.read' },
      schema: { tags, params: ScanIdParamsSchema, response: { 200: ScanDetailSchema } },
    },
    (req) => svc.getScan(actorOf(req), req.params.id),
  );
  app.post(
    '/email/rescan',
    {
      config: { access: 'email.write' },
      schema: {
        tags,
        description:
          'Makes every domain the caller may scan (or those of one company) due now; the scheduler scans them over its next rounds. Returns how many are due.',
        body: RescanSchema,
        response: { 202: RescanResultSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await svc.rescanAll(actorOf(req), req.body.companyId)),
  );
  app.get(
    '/email/alerts',
    {
      config: { access: 'email.read' },
      schema: { tags, querystring: AlertsQuerySchema, response: { 200: AlertPageSchema } },
    },
    (req) => svc.listAlerts(actorOf(req), req.query),
  );
  app.post(
    '/email/alerts/:id/acknowledge',
    {
      config: { access: 'email.write' },
      schema: {
        tags,
        params: AlertIdParamsSchema,
        body: AcknowledgeAlertSchema,
        response: { 200: AlertDtoSchema },
      },
    },
    (req) => svc.acknowledgeAlert(actorOf(req), req.params.id, req.body.version),
  );
  app.get(
    '/email/rollup',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'How many domains have SPF, DMARC at each policy, strong DKIM keys, MTA-STS, TLS-RPT and BIMI.',
        querystring: RollupQuerySchema,
        response: { 200: RollupSchema },
      },
    },
    (req) => svc.rollup(actorOf(req), req.query.companyId),
  );
  app.get(
    '/email/rollout-board',
    {
      config: { access: 'email.read' },
      schema: { tags, querystring: RollupQuerySchema, response: { 200: RolloutBoardSchema } },
    },
    (req) => svc.rolloutBoard(actorOf(req), req.query.companyId),
  );
}
