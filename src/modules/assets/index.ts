// Public face of the assets module: the risk register references assets by id through `assetsByIds`.
export { createAssetsService, assetDto, type AssetsService } from './assets.service.ts';
export { assetsRoutes, MAX_ASSET_IMPORT_BYTES } from './assets.routes.ts';
export { assetsCommand } from './assets.cli.ts';
export * from './assets.contract.ts';
