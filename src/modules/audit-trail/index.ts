// Public face of the audit-trail module.
export { createAuditTrailService, type AuditTrailService } from './audit-trail.service.ts';
export { auditTrailRoutes } from './audit-trail.routes.ts';
export * from './audit-trail.contract.ts';
