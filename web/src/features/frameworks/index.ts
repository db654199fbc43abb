// The frameworks feature's public face: the catalog list, one catalog's requirement tree, cross-framework mappings.
export { FrameworksPage } from './frameworks-page.tsx';
export { FrameworkDetailPage } from './framework-detail-page.tsx';
export { MappingsPage } from './mappings-page.tsx';
