// Public face of the dmarc-reports module: DMARC aggregate and failure reports in (files, uploads, a mailbox),
// kept per company's domains, and their analysis.
export { createDmarcReportsService, type DmarcReportsService } from './dmarc-reports.service.ts';
export { dmarcReportsRoutes } from './dmarc-reports.routes.ts';
export * from './dmarc-reports.contract.ts';
export { dmarcCommand } from './dmarc-reports.cli.ts';
export { createReportMailbox } from './dmarc-reports.mailbox.ts';
export { FILE_REASON_CODES, type FileReasonCode } from './lib/report-rejection.ts';
