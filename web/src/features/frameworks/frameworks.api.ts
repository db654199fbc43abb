// Calls to the frameworks module: catalogs, their requirements, OSCAL export and import, cross-framework mappings.
import { api, apiUrl } from '../../shared/api/client.ts';
import type {
  FrameworkDto,
  MappingDto,
  MappingImportReport,
  RequirementDto,
} from '../../shared/api/types.ts';
import type { MappingRelation } from './lib/mappings.ts';
import { uploadWithProgress, type UploadPhase } from '../../shared/api/upload.ts';

export const frameworkKeys = {
  all: ['frameworks'] as const,
  list: ['frameworks', 'list'] as const,
  requirements: (id: string) => ['frameworks', 'requirements', id] as const,
};

export const listFrameworks = (signal?: AbortSignal) =>
  api.get<{ items: FrameworkDto[] }>('/frameworks', undefined, signal).then((r) => r.items);

export const getRequirements = (id: string, signal?: AbortSignal) =>
  api.get<{ framework: FrameworkDto; items: RequirementDto[] }>(
    `/frameworks/${id}/requirements`,
    undefined,
    signal,
  );

export const oscalExportUrl = (id: string) => apiUrl(`/frameworks/${id}/oscal`);

/** The OSCAL catalog file goes as the raw body; the server refuses it whole (422) with where it is wrong. */
export const importOscal = (file: File, ref: string, onProgress: (p: UploadPhase) => void) =>
  uploadWithProgress<FrameworkDto>(
    '/frameworks/import',
    { ref: ref || undefined },
    file,
    'application/json',
    onProgress,
  );

// ---------- mappings between requirements of different frameworks ----------

export const mappingKeys = {
  all: ['frameworks', 'mappings'] as const,
  of: (requirementId: string) => ['frameworks', 'mappings', requirementId] as const,
};

export const listMappings = (requirementId: string, signal?: AbortSignal) =>
  api
    .get<{ items: MappingDto[] }>(`/requirements/${requirementId}/mappings`, undefined, signal)
    .then((r) => r.items);

export const createMapping = (input: {
  sourceRequirementId: string;
  targetRequirementId: string;
  relation: MappingRelation;
  note: string | null;
}) => api.post<MappingDto>('/requirement-mappings', input);

export const updateMapping = (
  id: string,
  input: { version: number; relation?: MappingRelation; note?: string | null },
) => api.patch<MappingDto>(`/requirement-mappings/${id}`, input);

export const deleteMapping = (id: string) => api.delete(`/requirement-mappings/${id}`);

/** The CSV goes as the raw body; commit=false only reports what would change. */
export const importMappings = (file: File, commit: boolean, onProgress: (p: UploadPhase) => void) =>
  uploadWithProgress<MappingImportReport>(
    '/requirement-mappings/import',
    { commit: String(commit) },
    file,
    'text/csv',
    onProgress,
  );

export const mappingsExportUrl = (frameworkRef?: string) =>
  apiUrl('/requirement-mappings/export.csv', { framework: frameworkRef || undefined });
