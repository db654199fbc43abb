// Shared queries of the compliance screens.
import { useQuery } from '@tanstack/react-query';
import { fetchAll } from '../../shared/api/lookups.ts';
import type { PersonDto } from '../../shared/api/types.ts';
import { useCan } from '../../shared/session/session.tsx';
import { complianceKeys, getRequirements, listAdoptions, listFrameworks } from './compliance.api.ts';

export function useAdoptions(companyId: string | null | undefined) {
  return useQuery({
    queryKey: complianceKeys.adoptions(companyId ?? 'none'),
    queryFn: ({ signal }) => listAdoptions(companyId as string, signal),
    enabled: Boolean(companyId),
  });
}

export function useFrameworks() {
  const can = useCan();
  return useQuery({
    queryKey: complianceKeys.frameworks,
    queryFn: ({ signal }) => listFrameworks(signal),
    enabled: can('framework.read'),
    staleTime: 5 * 60_000,
  });
}

/** People of one company, for owner pickers and to name owners in tables (needs person.read). */
export function useCompanyPeople(companyId: string | null | undefined) {
  const can = useCan();
  const query = useQuery({
    queryKey: ['people', 'of-company', companyId ?? 'none'],
    queryFn: ({ signal }) =>
      fetchAll<PersonDto>('/people', { companyId: companyId as string }, 2000, signal).then((r) => r.items),
    enabled: Boolean(companyId) && can('person.read'),
    staleTime: 60_000,
  });
  const people = query.data ?? [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const options = people
    .filter((p) => p.active)
    .map((p) => ({ value: p.id, label: p.employeeNumber ? `${p.name} (${p.employeeNumber})` : p.name }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { people, byId, options, loading: query.isLoading };
}

export interface RequirementOptionGroup {
  group: string;
  items: { value: string; label: string }[];
}

/** Assessable, current requirements of the frameworks a company adopted, grouped by framework. */
export function useRequirementOptions(companyId: string | null | undefined) {
  const adoptions = useAdoptions(companyId);
  const ids = (adoptions.data ?? []).map((a) => [a.frameworkId, a.frameworkName] as const);
  const query = useQuery({
    queryKey: [...complianceKeys.requirementOptions(companyId ?? 'none'), ids.map(([id]) => id).join(',')],
    queryFn: async ({ signal }) => {
      const groups: RequirementOptionGroup[] = [];
      for (const [id, name] of ids) {
        const items = await getRequirements(id, signal);
        groups.push({
          group: name,
          items: items
            .filter((r) => r.assessable && !r.withdrawn)
            .map((r) => ({ value: r.id, label: `${r.ref} ${r.title}` })),
        });
      }
      return groups;
    },
    enabled: adoptions.isSuccess,
    staleTime: 5 * 60_000,
  });
  return { groups: query.data ?? [], loading: adoptions.isLoading || query.isLoading };
}
