// A keyset-paginated list read page by page with "load more".
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type Page, type Query } from './client.ts';

export function usePagedList<T>(
  queryKey: readonly unknown[],
  path: string,
  query: Query,
  opts: { enabled?: boolean; pageSize?: number } = {},
) {
  const result = useInfiniteQuery({
    queryKey: [...queryKey, query],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<T>>(path, { ...query, limit: opts.pageSize ?? 50, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: opts.enabled ?? true,
  });
  const items = result.data?.pages.flatMap((p) => p.items) ?? [];
  return {
    items,
    hasMore: result.hasNextPage,
    loadMore: () => void result.fetchNextPage(),
    loading: result.isLoading,
    loadingMore: result.isFetchingNextPage,
    error: result.error,
    refetch: () => void result.refetch(),
  };
}
