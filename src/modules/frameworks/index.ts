// Public face of the frameworks module.
export { createFrameworksService, type FrameworksService, type Catalog } from './frameworks.service.ts';
export { frameworksRoutes } from './frameworks.routes.ts';
export { frameworksCommand } from './frameworks.cli.ts';
export * from './frameworks.contract.ts';
