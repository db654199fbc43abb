// Public face of the org module.
export { createOrgService, companyDto, personDto, departmentDto, type OrgService } from './org.service.ts';
export { orgRoutes, MAX_IMPORT_BYTES } from './org.routes.ts';
export * from './org.contract.ts';
