// The audit feature's public face.
export { AuditPage } from './audit-page.tsx';
