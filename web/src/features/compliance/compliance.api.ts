// Calls to the compliance module: adoptions and SoA, applied controls and evidence, scores, certifications
// and the group dashboard.
import { uploadWithProgress, type UploadPhase } from '../../shared/api/upload.ts';
import { api, apiUrl, type Page, type Query } from '../../shared/api/client.ts';
import type {
  AdoptInput,
  AdoptionDto,
  AppliedControlDetailDto,
  AppliedControlDto,
  CertificationAuditDto,
  CertificationDto,
  CreateAppliedControlInput,
  CreateCertificationAuditInput,
  CreateCertificationInput,
  CreateEvidenceInput,
  DashboardDto,
  EvidenceDto,
  ExpiringEvidenceDto,
  FrameworkDto,
  RequirementDto,
  ScoreHistoryPointDto,
  SoaDto,
  SoaEntryDto,
  UpdateAppliedControlInput,
  UpdateCertificationAuditInput,
  UpdateCertificationInput,
  UpdateEvidenceInput,
  UpdateSoaEntryInput,
} from '../../shared/api/types.ts';

export const complianceKeys = {
  all: ['compliance'] as const,
  dashboard: ['compliance', 'dashboard'] as const,
  adoptions: (companyId: string) => ['compliance', 'adoptions', companyId] as const,
  soa: (companyId: string, frameworkId: string) => ['compliance', 'soa', companyId, frameworkId] as const,
  history: (companyId: string, frameworkId: string) =>
    ['compliance', 'history', companyId, frameworkId] as const,
  controls: ['compliance', 'controls'] as const,
  control: (id: string) => ['compliance', 'controls', 'one', id] as const,
  requirementOptions: (companyId: string) => ['compliance', 'requirement-options', companyId] as const,
  expiring: ['compliance', 'expiring'] as const,
  certifications: ['compliance', 'certifications'] as const,
  frameworks: ['frameworks', 'list'] as const,
};

/** `heatmapFramework`: the ref of the framework whose sections make the heat map (the server's default: ISO/IEC 27001). */
export const getDashboard = (heatmapFramework: string | null, signal?: AbortSignal) =>
  api.get<DashboardDto>('/compliance/dashboard', { heatmapFramework }, signal);

export const listAdoptions = (companyId: string, signal?: AbortSignal) =>
  api
    .get<{ items: AdoptionDto[] }>(`/companies/${companyId}/frameworks`, undefined, signal)
    .then((r) => r.items);
export const adoptFramework = (companyId: string, input: AdoptInput) =>
  api.post<AdoptionDto>(`/companies/${companyId}/frameworks`, input);

export const getSoa = (companyId: string, frameworkId: string, signal?: AbortSignal) =>
  api.get<SoaDto>(`/companies/${companyId}/frameworks/${frameworkId}/soa`, undefined, signal);
export const getScoreHistory = (companyId: string, frameworkId: string, signal?: AbortSignal) =>
  api
    .get<{ items: ScoreHistoryPointDto[] }>(
      `/companies/${companyId}/frameworks/${frameworkId}/score-history`,
      undefined,
      signal,
    )
    .then((r) => r.items);
export const soaDownloadUrl = (companyId: string, frameworkId: string, format: 'xlsx' | 'pdf') =>
  apiUrl(`/companies/${companyId}/frameworks/${frameworkId}/soa.${format}`);
export const updateSoaEntry = (id: string, input: UpdateSoaEntryInput) =>
  api.patch<SoaEntryDto>(`/soa-entries/${id}`, input);

export const listControls = (query: Query, signal?: AbortSignal) =>
  api.get<Page<AppliedControlDto>>('/applied-controls', query, signal);
export const getControl = (id: string, signal?: AbortSignal) =>
  api.get<AppliedControlDetailDto>(`/applied-controls/${id}`, undefined, signal);
export const createControl = (input: CreateAppliedControlInput) =>
  api.post<AppliedControlDto>('/applied-controls', input);
export const updateControl = (id: string, input: UpdateAppliedControlInput) =>
  api.patch<AppliedControlDto>(`/applied-controls/${id}`, input);

export const addEvidence = (controlId: string, input: CreateEvidenceInput) =>
  api.post<EvidenceDto>(`/applied-controls/${controlId}/evidence`, input);
export const updateEvidence = (id: string, input: UpdateEvidenceInput) =>
  api.patch<EvidenceDto>(`/evidence/${id}`, input);
export const evidenceFileUrl = (id: string) => apiUrl(`/evidence/${id}/file`);
export const listExpiringEvidence = (
  query: { days: number; companyId?: string | null },
  signal?: AbortSignal,
) => api.get<{ items: ExpiringEvidenceDto[] }>('/evidence/expiring', query, signal).then((r) => r.items);

export const listCertifications = (companyId?: string | null, signal?: AbortSignal) =>
  api.get<{ items: CertificationDto[] }>('/certifications', { companyId }, signal).then((r) => r.items);
export const certificationRegisterUrl = (format: 'csv' | 'xlsx') =>
  apiUrl(`/certifications/register.${format}`);
export const createCertification = (input: CreateCertificationInput) =>
  api.post<CertificationDto>('/certifications', input);
export const updateCertification = (id: string, input: UpdateCertificationInput) =>
  api.patch<CertificationDto>(`/certifications/${id}`, input);
export const addCertificationAudit = (certificationId: string, input: CreateCertificationAuditInput) =>
  api.post<CertificationAuditDto>(`/certifications/${certificationId}/audits`, input);
export const updateCertificationAudit = (id: string, input: UpdateCertificationAuditInput) =>
  api.patch<CertificationAuditDto>(`/certification-audits/${id}`, input);

export const listFrameworks = (signal?: AbortSignal) =>
  api.get<{ items: FrameworkDto[] }>('/frameworks', undefined, signal).then((r) => r.items);
export const getRequirements = (frameworkId: string, signal?: AbortSignal) =>
  api
    .get<{ framework: FrameworkDto; items: RequirementDto[] }>(
      `/frameworks/${frameworkId}/requirements`,
      undefined,
      signal,
    )
    .then((r) => r.items);

export type { UploadPhase };

/** An evidence file as the raw body, with upload progress. */
export const uploadEvidenceFile = (
  controlId: string,
  meta: { title: string; validFrom: string; validUntil?: string | undefined },
  file: File,
  onProgress: (p: UploadPhase) => void,
) =>
  uploadWithProgress<EvidenceDto>(
    `/applied-controls/${controlId}/evidence/file`,
    { ...meta, fileName: file.name },
    file,
    'application/octet-stream',
    onProgress,
  );
