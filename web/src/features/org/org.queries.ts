// Shared queries of the org screens.
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../shared/session/session.tsx';
import { buildTree, flattenTree } from './lib/tree.ts';
import { listDepartments, orgKeys } from './org.api.ts';

export function useDepartments(companyId: string | null | undefined) {
  const can = useCan();
  const query = useQuery({
    queryKey: orgKeys.departments(companyId ?? 'none'),
    queryFn: ({ signal }) => listDepartments(companyId as string, signal),
    enabled: Boolean(companyId) && can('department.read'),
    staleTime: 30_000,
  });
  const departments = query.data ?? [];
  const tree = buildTree(departments);
  const flat = flattenTree(tree);
  return { departments, tree, flat, loading: query.isLoading, error: query.error };
}
