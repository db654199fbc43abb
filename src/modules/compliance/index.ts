// Public face of the compliance module.
export { createComplianceService, type ComplianceService } from './compliance.service.ts';
export { complianceRoutes } from './compliance.routes.ts';
export * from './compliance.contract.ts';
