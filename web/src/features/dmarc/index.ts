// The DMARC feature's public face: the reports' pages, and the icons of their navigation entries.
export { DmarcOverviewPage } from './dmarc-overview-page.tsx';
export { DmarcDomainPage } from './dmarc-domain-page.tsx';
export { DmarcImportPage } from './dmarc-import-page.tsx';
export { DmarcReportsPage } from './dmarc-reports-page.tsx';
export { FailureReportsPage } from './failure-reports-page.tsx';
export { ServicesPage } from './services-page.tsx';
export { ChartIcon, InboxIcon, MailFailIcon, ReportIcon, ServerIcon } from './ui/icons.tsx';
