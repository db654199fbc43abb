// The assets feature's public face: the inventory, one asset with its relations and graph, the CSV import.
export { AssetsPage } from './assets-page.tsx';
export { AssetDetailPage } from './asset-detail-page.tsx';
export { AssetsImportPage } from './assets-import-page.tsx';
