// Shared queries of the risk screens: methods, catalogue, applied controls, names of people and assets.
import { useQueries, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import type { RiskMethodDto } from '../../shared/api/types.ts';
import { useCan } from '../../shared/session/session.tsx';
import {
  getAsset,
  getMethod,
  getMethodVersion,
  getPerson,
  listAdoptions,
  listCatalogue,
  listCompanyControls,
  listRequirements,
  riskKeys,
} from './risks.api.ts';

const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;

/** The company's current method; `data` is null when the company has none yet. */
export function useCompanyMethod(companyId: string | null | undefined) {
  return useQuery({
    queryKey: riskKeys.method(companyId ?? 'none'),
    queryFn: async ({ signal }) => {
      try {
        return await getMethod(companyId as string, signal);
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    enabled: Boolean(companyId),
    staleTime: 60_000,
  });
}

/** One version of a company's method (the one a risk was assessed under). */
export function useMethodVersion(companyId: string | null | undefined, version: number | null | undefined) {
  return useQuery({
    queryKey: riskKeys.methodVersion(companyId ?? 'none', version ?? 0),
    queryFn: ({ signal }) => getMethodVersion(companyId as string, version as number, signal),
    enabled: Boolean(companyId) && Boolean(version),
    staleTime: Infinity,
  });
}

/** The current methods of several companies (for colouring levels in a mixed list), by company id. */
export function useMethodsOf(companyIds: readonly string[]): Map<string, RiskMethodDto> {
  const ids = [...new Set(companyIds)].sort();
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: riskKeys.method(id),
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        try {
          return await getMethod(id, signal);
        } catch (err) {
          if (isNotFound(err)) return null;
          throw err;
        }
      },
      staleTime: 60_000,
    })),
  });
  const out = new Map<string, RiskMethodDto>();
  results.forEach((r, i) => {
    if (r.data) out.set(ids[i]!, r.data);
  });
  return out;
}

export function useCatalogue() {
  const query = useQuery({
    queryKey: riskKeys.catalogue,
    queryFn: ({ signal }) => listCatalogue(undefined, signal),
    staleTime: 60_000,
  });
  const items = query.data ?? [];
  const option = (c: (typeof items)[number]) => ({ value: c.id, label: `${c.code} — ${c.name}` });
  return {
    ...query,
    items,
    byId: new Map(items.map((c) => [c.id, c])),
    threats: items.filter((c) => c.kind === 'threat').map(option),
    vulnerabilities: items.filter((c) => c.kind === 'vulnerability').map(option),
  };
}

/** The applied controls of a company (needs compliance.read), as options and by id. */
export function useCompanyControls(companyId: string | null | undefined) {
  const can = useCan();
  const query = useQuery({
    queryKey: riskKeys.controls(companyId ?? 'none'),
    queryFn: ({ signal }) => listCompanyControls(companyId as string, signal),
    enabled: Boolean(companyId) && can('compliance.read'),
    staleTime: 60_000,
  });
  const controls = query.data ?? [];
  return {
    controls,
    byId: new Map(controls.map((c) => [c.id, c])),
    options: controls
      .filter((c) => c.status !== 'retired')
      .map((c) => ({ value: c.id, label: `${c.code} — ${c.name}` })),
    loading: query.isLoading,
    allowed: can('compliance.read'),
  };
}

export function usePerson(id: string | null | undefined) {
  const can = useCan();
  return useQuery({
    queryKey: riskKeys.person(id ?? 'none'),
    queryFn: ({ signal }) => getPerson(id as string, signal),
    enabled: Boolean(id) && can('person.read'),
    staleTime: 5 * 60_000,
  });
}

export function useAsset(id: string | null | undefined) {
  const can = useCan();
  return useQuery({
    queryKey: riskKeys.asset(id ?? 'none'),
    queryFn: ({ signal }) => getAsset(id as string, signal),
    enabled: Boolean(id) && can('asset.read'),
    staleTime: 60_000,
  });
}

/**
 * Where a requirement sits among the frameworks a company adopted, to link a risk raised from it back to the
 * Statement of Applicability.
 */
export function useRequirementLocation(companyId: string, requirementId: string | null) {
  const can = useCan();
  return useQuery({
    queryKey: ['risks', 'requirement-location', companyId, requirementId ?? 'none'],
    queryFn: async ({ signal }) => {
      for (const a of await listAdoptions(companyId, signal)) {
        const found = (await listRequirements(a.frameworkId, signal)).find((r) => r.id === requirementId);
        if (found) return { frameworkId: a.frameworkId, ref: found.ref };
      }
      return null;
    },
    enabled: Boolean(requirementId) && can('compliance.read'),
    staleTime: 5 * 60_000,
  });
}
