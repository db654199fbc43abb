// Reference data that several features show in pickers and tables (company names, short codes).
import { useQuery } from '@tanstack/react-query';
import { api, type Page, type Query } from './client.ts';
import type { CompanyDto } from './types.ts';
import { useCan } from '../session/session.tsx';

/** Follows nextCursor until the end or until `cap` items; `complete` says whether the end was reached. */
export async function fetchAll<T>(
  path: string,
  query: Query = {},
  cap = 1000,
  signal?: AbortSignal,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 200, cursor }, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < cap);
  return { items, complete: cursor === null };
}

export const companiesKey = ['companies'] as const;

/** Every company the user may read, for pickers and for naming companies in tables. */
export function useCompanyLookup() {
  const can = useCan();
  const query = useQuery({
    queryKey: [...companiesKey, 'lookup'],
    queryFn: ({ signal }) => fetchAll<CompanyDto>('/companies', {}, 2000, signal).then((r) => r.items),
    enabled: can('company.read'),
    staleTime: 60_000,
  });
  const companies = query.data ?? [];
  const byId = new Map(companies.map((c) => [c.id, c]));
  const options = companies
    .map((c) => ({ value: c.id, label: `${c.shortCode} — ${c.legalName}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { companies, byId, options, loading: query.isLoading };
}
