// Public face of the risks module.
export { createRisksService, type RisksService } from './risks.service.ts';
export { risksRoutes } from './risks.routes.ts';
export * from './risks.contract.ts';
