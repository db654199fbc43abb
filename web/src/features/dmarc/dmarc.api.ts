// Calls to the dmarc-reports module: report files in, the import history, the reports kept (aggregate and failure
// reports), the analysis (volume and pass rate, the sending sources of a domain, the readiness for the next
// policy), the records as CSV and the list of known sending services.
import { api, apiUrl, type Page, type Query } from '../../shared/api/client.ts';
import { uploadWithProgress, type UploadPhase } from '../../shared/api/upload.ts';
import type {
  Analysis,
  CreateServiceInput,
  EmailDomainDto,
  FailureReportDetail,
  ImportResult,
  ServiceDto,
  ServiceList,
  Sources,
  UpdateServiceInput,
} from '../../shared/api/types.ts';

export const dmarcKeys = {
  all: ['dmarc'] as const,
  analysis: (query: Query) => ['dmarc', 'analysis', query] as const,
  sources: (domain: string, days: number) => ['dmarc', 'sources', domain, days] as const,
  files: ['dmarc', 'files'] as const,
  reports: ['dmarc', 'reports'] as const,
  emailDomain: (name: string) => ['dmarc', 'email-domain', name] as const,
  failureReports: ['dmarc', 'failure-reports'] as const,
  failureReport: (id: string) => ['dmarc', 'failure-report', id] as const,
  services: ['dmarc', 'services'] as const,
};

/** The windows the screens offer, in days. */
export const DAYS = [7, 30, 90] as const;
export const DEFAULT_DAYS = 30;

export const getAnalysis = (query: Query, signal?: AbortSignal) =>
  api.get<Analysis>('/dmarc/analysis', query, signal);
export const getSources = (domain: string, days: number, signal?: AbortSignal) =>
  api.get<Sources>('/dmarc/sources', { domain, days }, signal);

/** The records of a domain's reports as a CSV download (the browser sends the session cookie). */
export const recordsCsvUrl = (q: {
  domain: string;
  days: number;
  dmarc?: 'pass' | 'fail' | undefined;
  sourceIp?: string | undefined;
}) => apiUrl('/dmarc/records.csv', q);

export const getFailureReport = (id: string, signal?: AbortSignal) =>
  api.get<FailureReportDetail>(`/dmarc/failure-reports/${id}`, undefined, signal);

export const listServices = (signal?: AbortSignal) =>
  api.get<ServiceList>('/dmarc/services', undefined, signal);
export const createService = (input: CreateServiceInput) => api.post<ServiceDto>('/dmarc/services', input);
export const updateService = (id: string, input: UpdateServiceInput) =>
  api.patch<ServiceDto>(`/dmarc/services/${id}`, input);

/** One report file as the body; the server reads what it is from the content. */
export const uploadReportFile = (file: File, onProgress: (p: UploadPhase) => void) =>
  uploadWithProgress<ImportResult>(
    '/dmarc/files',
    { name: file.name },
    file,
    'application/octet-stream',
    onProgress,
  );

// The sending domains' inventory is the email-auth module's: read through its API (a feature does not import
// another feature).
export const searchEmailDomains = (query: Query, signal?: AbortSignal) =>
  api.get<Page<EmailDomainDto>>('/email/domains', query, signal);

/** The inventory entry of a domain by its exact name, or null. */
export async function findEmailDomain(name: string, signal?: AbortSignal): Promise<EmailDomainDto | null> {
  const page = await searchEmailDomains({ q: name, limit: 50 }, signal);
  return page.items.find((d) => d.name === name) ?? null;
}
