// Calls to the org module: companies, departments, people and the HR CSV import.
import { uploadWithProgress, type UploadPhase } from '../../shared/api/upload.ts';
import { api, apiUrl, type Page, type Query } from '../../shared/api/client.ts';
import type {
  CompanyDto,
  CreateCompanyInput,
  CreatePersonInput,
  DepartmentDto,
  PeopleImportReport,
  PersonDto,
  UpdateCompanyInput,
  UpdatePersonInput,
} from '../../shared/api/types.ts';

export const orgKeys = {
  companies: ['companies'] as const,
  company: (id: string) => ['companies', 'one', id] as const,
  departments: (companyId: string) => ['departments', companyId] as const,
  people: ['people'] as const,
  person: (id: string) => ['people', 'one', id] as const,
};

export const getCompany = (id: string) => api.get<CompanyDto>(`/companies/${id}`);
export const createCompany = (
  input: Partial<CreateCompanyInput> & Pick<CreateCompanyInput, 'legalName' | 'shortCode' | 'country'>,
) => api.post<CompanyDto>('/companies', input);
export const updateCompany = (id: string, input: UpdateCompanyInput) =>
  api.patch<CompanyDto>(`/companies/${id}`, input);
export const setCompanyCiso = (id: string, version: number, personId: string | null) =>
  api.put<CompanyDto>(`/companies/${id}/ciso`, { version, personId });

export const listDepartments = (companyId: string, signal?: AbortSignal) =>
  api
    .get<{ items: DepartmentDto[] }>(`/companies/${companyId}/departments`, undefined, signal)
    .then((r) => r.items);
export const createDepartment = (
  companyId: string,
  input: { name: string; code: string; parentId: string | null },
) => api.post<DepartmentDto>(`/companies/${companyId}/departments`, input);
export const updateDepartment = (
  id: string,
  input: { version: number; name?: string; code?: string; parentId?: string | null },
) => api.patch<DepartmentDto>(`/departments/${id}`, input);
export const deleteDepartment = (id: string) => api.delete(`/departments/${id}`);

export const getPerson = (id: string) => api.get<PersonDto>(`/people/${id}`);
export const searchPeople = (query: Query, signal?: AbortSignal) =>
  api.get<Page<PersonDto>>('/people', query, signal);
export const createPerson = (input: CreatePersonInput) => api.post<PersonDto>('/people', input);
export const updatePerson = (id: string, input: UpdatePersonInput) =>
  api.patch<PersonDto>(`/people/${id}`, input);

export const peopleExportUrl = (query: Query) => apiUrl('/people/export.csv', query);

export type { UploadPhase };

/** Sends the CSV file as the raw body, with upload progress. */
export const importPeople = (file: File, commit: boolean, onProgress: (p: UploadPhase) => void) =>
  uploadWithProgress<PeopleImportReport>('/people/import', { commit }, file, 'text/csv', onProgress);
