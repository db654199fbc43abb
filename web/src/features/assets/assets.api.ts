// Calls to the assets module: the inventory, relations and graph, classification scales, bulk edit, CSV.
import { uploadWithProgress, type UploadPhase } from '../../shared/api/upload.ts';
import { api, apiUrl, type Page, type Query } from '../../shared/api/client.ts';
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

export type { UploadPhase };

/** Sends the CSV file as the raw body, with upload progress. */
export const importAssets = (file: File, commit: boolean, onProgress: (p: UploadPhase) => void) =>
  uploadWithProgress<AssetImportReport>('/assets/import', { commit }, file, 'text/csv', onProgress);
