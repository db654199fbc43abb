// Calls to the org module: companies, departments, people and the HR CSV import.
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

export type UploadPhase = { phase: 'uploading'; percent: number } | { phase: 'processing' };

/** Sends the CSV file as the raw body; XHR rather than fetch, to report upload progress. */
export function importPeople(
  file: File,
  commit: boolean,
  onProgress: (p: UploadPhase) => void,
): Promise<PeopleImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/people/import', { commit }));
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
    xhr.onerror = () =>
      reject(
        new ApiError({
          type: 'about:blank',
          title: 'Network error',
          status: 0,
          detail: 'The server could not be reached',
          code: 'network_error',
        }),
      );
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as PeopleImportReport);
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
