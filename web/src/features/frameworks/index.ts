// The frameworks feature's public face: the catalog list and one catalog's requirement tree.
export { FrameworksPage } from './frameworks-page.tsx';
export { FrameworkDetailPage } from './framework-detail-page.tsx';
