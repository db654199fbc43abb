// Calls to the assets module: the inventory, relations and graph, classification scales, bulk edit, CSV.
import {
  ApiError,
  api,
  apiUrl,
  getCsrfToken,
  type Page,
  type Problem,
  type Query,
} from '../../shared/api/client.ts';
import type {
  AssetDto,
  AssetGraph,
  AssetImportReport,
  AssetScaleDto,
  AssetSummary,
  BulkUpdateInput,
  BulkUpdateResult,
  CreateAssetInput,
  DepartmentDto,
  PersonDto,
  RelationDto,
  RelationKind,
  UpdateAssetInput,
} from '../../shared/api/types.ts';

export const assetKeys = {
  all: ['assets'] as const,
  list: ['assets', 'list'] as const,
  summary: ['assets', 'summary'] as const,
  one: (id: string) => ['assets', 'one', id] as const,
  graph: (id: string, depth: number) => ['assets', 'graph', id, depth] as const,
  scale: (companyId: string) => ['assets', 'scale', companyId] as const,
  departments: (companyId: string) => ['departments', companyId] as const,
  person: (id: string) => ['people', 'one', id] as const,
};

/** The list's filters, as URL parameters and as the API's query. */
export const FILTERS = [
  'q',
  'companyId',
  'departmentId',
  'assetType',
  'lifecycle',
  'ownerPersonId',
  'custodianPersonId',
  'location',
  'confidentiality',
  'integrity',
  'availability',
  'personalData',
  'personalDataCategory',
  'pciScope',
  'specifiedUserInfo',
] as const;
export type FilterName = (typeof FILTERS)[number];

export const getAsset = (id: string) => api.get<AssetDto>(`/assets/${id}`);
export const listAssets = (query: Query, signal?: AbortSignal) =>
  api.get<Page<AssetDto>>('/assets', query, signal);
export const getSummary = (query: Query, signal?: AbortSignal) =>
  api.get<AssetSummary>('/assets/summary', query, signal);
export const createAsset = (input: CreateAssetInput) => api.post<AssetDto>('/assets', input);
export const updateAsset = (id: string, input: UpdateAssetInput) =>
  api.patch<AssetDto>(`/assets/${id}`, input);
export const deleteAsset = (id: string) => api.delete(`/assets/${id}`);
export const bulkUpdate = (input: BulkUpdateInput) =>
  api.post<BulkUpdateResult>('/assets/bulk-update', input);

export const getGraph = (id: string, depth: number, signal?: AbortSignal) =>
  api.get<AssetGraph>(`/assets/${id}/graph`, { depth }, signal);
export const createRelation = (fromId: string, kind: RelationKind, toAssetId: string) =>
  api.post<RelationDto>(`/assets/${fromId}/relations`, { kind, toAssetId });
export const deleteRelation = (assetId: string, relationId: string) =>
  api.delete(`/assets/${assetId}/relations/${relationId}`);

export const getScale = (companyId: string) => api.get<AssetScaleDto>(`/companies/${companyId}/asset-scale`);
export const setScale = (companyId: string, version: number, levels: number) =>
  api.put<AssetScaleDto>(`/companies/${companyId}/asset-scale`, { version, levels });

// The pickers read the org module's API directly (a feature does not import another feature).
export const listDepartments = (companyId: string, signal?: AbortSignal) =>
  api
    .get<{ items: DepartmentDto[] }>(`/companies/${companyId}/departments`, undefined, signal)
    .then((r) => r.items);
export const searchPeople = (query: Query, signal?: AbortSignal) =>
  api.get<Page<PersonDto>>('/people', query, signal);
export const getPerson = (id: string) => api.get<PersonDto>(`/people/${id}`);

export const assetsExportUrl = (query: Query) => apiUrl('/assets/export.csv', query);

export type UploadPhase = { phase: 'uploading'; percent: number } | { phase: 'processing' };

/** Sends the CSV file as the raw body; XHR rather than fetch, to report upload progress. */
export function importAssets(
  file: File,
  commit: boolean,
  onProgress: (p: UploadPhase) => void,
): Promise<AssetImportReport> {
  return new Promise((resolve, reject) => {
    const networkError = () =>
      new ApiError({
        type: 'about:blank',
        title: 'Network error',
        status: 0,
        detail: 'The server could not be reached',
        code: 'network_error',
      });
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/assets/import', { commit }));
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable)
        onProgress({ phase: 'uploading', percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => onProgress({ phase: 'processing' });
    xhr.onerror = () => reject(networkError());
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as AssetImportReport);
      else if (body && typeof body === 'object' && 'code' in body) reject(new ApiError(body as Problem));
      else
        reject(
          new ApiError({
            type: 'about:blank',
            title: xhr.statusText,
            status: xhr.status,
            detail: xhr.statusText || `HTTP ${xhr.status}`,
            code: 'http_error',
          }),
        );
    };
    onProgress({ phase: 'uploading', percent: 0 });
    xhr.send(file);
  });
}
