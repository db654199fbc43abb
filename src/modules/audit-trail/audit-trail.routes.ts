// HTTP face of the audit trail.
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import type { AuditTrailService } from './audit-trail.service.ts';
import { AuditPageSchema, ListAuditQuerySchema, VerifyResultDtoSchema } from './audit-trail.contract.ts';

export function auditTrailRoutes(app: ApiApp, svc: AuditTrailService): void {
  const tags = ['audit'];
  app.get(
    '/audit',
    {
      config: { access: 'audit.read' },
      schema: { tags, querystring: ListAuditQuerySchema, response: { 200: AuditPageSchema } },
    },
    (req) => svc.list(actorOf(req), req.query),
  );
  app.get(
    '/audit/verify',
    {
      config: { access: 'audit.verify' },
      schema: { tags, querystring: NoQuerySchema, response: { 200: VerifyResultDtoSchema } },
    },
    async (req) => {
      const r = await svc.verify(actorOf(req));
      return r.ok
        ? { ok: true, entries: r.entries, brokenSeq: null, brokenId: null, reason: null }
        : { ok: false, entries: r.entries, brokenSeq: r.brokenSeq, brokenId: r.brokenId, reason: r.reason };
    },
  );
}
