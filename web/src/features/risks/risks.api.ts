// Calls to the risks module: each company's risk method, the catalogue, the register with acceptance, the
// heat map, due risks, top risks, the trend and the treatment-plan reports.
import { api, apiUrl, type Page, type Query } from '../../shared/api/client.ts';
import { fetchAll } from '../../shared/api/lookups.ts';
import type {
  AcceptRiskInput,
  AdoptionDto,
  AppliedControlDto,
  AssetDto,
  CatalogueItemDto,
  CatalogueKind,
  CreateCatalogueItemInput,
  CreateRiskInput,
  DueRisks,
  Heatmap,
  PersonDto,
  RequirementDto,
  RiskDto,
  RiskMethodDto,
  SetRiskMethodInput,
  Trend,
  UpdateCatalogueItemInput,
  UpdateRiskInput,
} from '../../shared/api/types.ts';

export const riskKeys = {
  all: ['risks'] as const,
  list: ['risks', 'list'] as const,
  one: (id: string) => ['risks', 'one', id] as const,
  heatmap: (companyId: string | null) => ['risks', 'heatmap', companyId ?? 'group'] as const,
  due: (companyId: string | null) => ['risks', 'due', companyId ?? 'group'] as const,
  top: (companyId: string | null, limit: number) => ['risks', 'top', companyId ?? 'group', limit] as const,
  trend: (companyId: string | null, days: number) => ['risks', 'trend', companyId ?? 'group', days] as const,
  /** The method is not under `all`: saving a risk does not change it. */
  method: (companyId: string) => ['risk-method', companyId, 'current'] as const,
  methodVersion: (companyId: string, version: number) => ['risk-method', companyId, version] as const,
  catalogue: ['risk-catalogue'] as const,
  person: (id: string) => ['people', 'one', id] as const,
  asset: (id: string) => ['assets', 'one', id] as const,
  controls: (companyId: string) => ['compliance', 'controls', 'of-company', companyId] as const,
};

// ---- the method ----
export const getMethod = (companyId: string, signal?: AbortSignal) =>
  api.get<RiskMethodDto>(`/companies/${companyId}/risk-method`, undefined, signal);
export const getMethodVersion = (companyId: string, version: number, signal?: AbortSignal) =>
  api.get<RiskMethodDto>(`/companies/${companyId}/risk-method/versions/${version}`, undefined, signal);
export const setMethod = (companyId: string, input: SetRiskMethodInput) =>
  api.put<RiskMethodDto>(`/companies/${companyId}/risk-method`, input);

// ---- the catalogue ----
export const listCatalogue = (kind?: CatalogueKind, signal?: AbortSignal) =>
  api.get<{ items: CatalogueItemDto[] }>('/risk-catalogue', { kind }, signal).then((r) => r.items);
export const createCatalogueItem = (input: CreateCatalogueItemInput) =>
  api.post<CatalogueItemDto>('/risk-catalogue', input);
export const updateCatalogueItem = (id: string, input: UpdateCatalogueItemInput) =>
  api.patch<CatalogueItemDto>(`/risk-catalogue/${id}`, input);

// ---- the register ----
export const listRisks = (query: Query, signal?: AbortSignal) =>
  api.get<Page<RiskDto>>('/risks', query, signal);
export const getRisk = (id: string, signal?: AbortSignal) =>
  api.get<RiskDto>(`/risks/${id}`, undefined, signal);
export const createRisk = (input: CreateRiskInput) => api.post<RiskDto>('/risks', input);
export const updateRisk = (id: string, input: UpdateRiskInput) => api.patch<RiskDto>(`/risks/${id}`, input);
export const acceptRisk = (id: string, input: AcceptRiskInput) =>
  api.post<RiskDto>(`/risks/${id}/acceptance`, input);

export const getHeatmap = (companyId: string | null, signal?: AbortSignal) =>
  api.get<Heatmap>('/risks/heatmap', { companyId }, signal);
export const getDue = (companyId: string | null, signal?: AbortSignal) =>
  api.get<DueRisks>('/risks/due', { companyId }, signal);
export const getTopRisks = (companyId: string | null, limit: number, signal?: AbortSignal) =>
  api.get<{ items: RiskDto[] }>('/risks/top', { companyId, limit }, signal).then((r) => r.items);
export const getTrend = (companyId: string | null, days: number, signal?: AbortSignal) =>
  api.get<Trend>('/risks/trend', { companyId, days }, signal);
export const treatmentPlanUrl = (companyId: string, format: 'xlsx' | 'pdf') =>
  apiUrl(`/companies/${companyId}/risks/treatment-plan.${format}`);

// ---- what risks refer to: people, assets, applied controls (read from their modules' API directly) ----
export const searchPeople = (query: Query, signal?: AbortSignal) =>
  api.get<Page<PersonDto>>('/people', query, signal);
export const getPerson = (id: string, signal?: AbortSignal) =>
  api.get<PersonDto>(`/people/${id}`, undefined, signal);
export const searchAssets = (query: Query, signal?: AbortSignal) =>
  api.get<Page<AssetDto>>('/assets', query, signal);
export const getAsset = (id: string, signal?: AbortSignal) =>
  api.get<AssetDto>(`/assets/${id}`, undefined, signal);
export const listCompanyControls = (companyId: string, signal?: AbortSignal) =>
  fetchAll<AppliedControlDto>('/applied-controls', { companyId }, 2000, signal).then((r) => r.items);
export const listAdoptions = (companyId: string, signal?: AbortSignal) =>
  api
    .get<{ items: AdoptionDto[] }>(`/companies/${companyId}/frameworks`, undefined, signal)
    .then((r) => r.items);
export const listRequirements = (frameworkId: string, signal?: AbortSignal) =>
  api
    .get<{ items: RequirementDto[] }>(`/frameworks/${frameworkId}/requirements`, undefined, signal)
    .then((r) => r.items);
