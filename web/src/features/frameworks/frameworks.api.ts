// Calls to the frameworks module: catalogs, their requirements, OSCAL export and import.
import { api, apiUrl } from '../../shared/api/client.ts';
import type { FrameworkDto, RequirementDto } from '../../shared/api/types.ts';
import { uploadWithProgress, type UploadPhase } from './lib/upload.ts';

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
