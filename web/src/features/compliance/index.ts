// The compliance feature's public face: its pages, and the icons of its navigation entries.
export { ComplianceDashboardPage } from './dashboard-page.tsx';
export { CompanyCompliancePage } from './company-compliance-page.tsx';
export { SoaPage } from './soa-page.tsx';
export { ControlsPage } from './controls-page.tsx';
export { ControlDetailPage } from './control-detail-page.tsx';
export { EvidencePage } from './evidence-page.tsx';
export { CertificationsPage } from './certifications-page.tsx';
export { AwardIcon, BookIcon, ClockIcon, CompassIcon, GaugeIcon, ListCheckIcon } from './ui/icons.tsx';
