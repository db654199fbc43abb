// Calls to the email-auth module: the sending-domain inventory, scans and their timeline, alerts, the group's
// roll-up and the DMARC rollout board.
import { api, type Page, type Query } from '../../shared/api/client.ts';
import type {
  AlertDto,
  CreateEmailDomainInput,
  EmailDomainDto,
  PersonDto,
  Rollup,
  RolloutBoard,
  ScanDetail,
  ScanDto,
  UpdateEmailDomainInput,
} from '../../shared/api/types.ts';

export const emailKeys = {
  all: ['email'] as const,
  domains: ['email', 'domains'] as const,
  domain: (id: string) => ['email', 'domain', id] as const,
  scans: (domainId: string) => ['email', 'scans', domainId] as const,
  scan: (id: string) => ['email', 'scan', id] as const,
  alerts: ['email', 'alerts'] as const,
  rollup: (companyId: string) => ['email', 'rollup', companyId] as const,
  board: (companyId: string) => ['email', 'board', companyId] as const,
  person: (id: string) => ['people', 'one', id] as const,
};

/** The domain list's filters, as URL parameters and as the API's query. */
export const DOMAIN_FILTERS = ['q', 'companyId', 'role', 'dmarcPolicy', 'failing'] as const;
export type DomainFilter = (typeof DOMAIN_FILTERS)[number];

export const listDomains = (query: Query, signal?: AbortSignal) =>
  api.get<Page<EmailDomainDto>>('/email/domains', query, signal);
export const getDomain = (id: string) => api.get<EmailDomainDto>(`/email/domains/${id}`);
export const createDomain = (input: CreateEmailDomainInput) =>
  api.post<EmailDomainDto>('/email/domains', input);
export const updateDomain = (id: string, input: UpdateEmailDomainInput) =>
  api.patch<EmailDomainDto>(`/email/domains/${id}`, input);
export const scanNow = (id: string) => api.post<ScanDto>(`/email/domains/${id}/scan`);
export const getScan = (id: string, signal?: AbortSignal) =>
  api.get<ScanDetail>(`/email/scans/${id}`, undefined, signal);
export const rescanAll = (companyId: string | null) =>
  api.post<{ queued: number }>('/email/rescan', companyId ? { companyId } : {});
export const acknowledgeAlert = (alert: AlertDto) =>
  api.post<AlertDto>(`/email/alerts/${alert.id}/acknowledge`, { version: alert.version });
export const getRollup = (companyId: string, signal?: AbortSignal) =>
  api.get<Rollup>('/email/rollup', { companyId }, signal);
export const getRolloutBoard = (companyId: string, signal?: AbortSignal) =>
  api.get<RolloutBoard>('/email/rollout-board', { companyId }, signal);

// The owner picker reads the org module's API directly (a feature does not import another feature).
export const searchPeople = (query: Query, signal?: AbortSignal) =>
  api.get<Page<PersonDto>>('/people', query, signal);
export const getPerson = (id: string) => api.get<PersonDto>(`/people/${id}`);
