import { keepPreviousData, QueryClient, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { api, ApiError, type RequestOptions } from './client';
import type { Page } from './paging';

/**
 * The web app's cache of API reads (TanStack Query). A read is keyed by its path and
 * filters; a change the user makes or a live event invalidates the keys of the
 * resource it touched (`invalidate`), and every page showing it reloads once.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live events and the user's own changes invalidate; a focus change need not.
      // A page opened again shows what it read last at once and reads again behind it.
      refetchOnWindowFocus: false,
      // 401 signs out (the client's handler) and 4xx will not heal: retry only what may.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

/** Marks every cached read of these API paths stale (`/api/tasks` covers its filters and pages). */
export function invalidate(...paths: string[]): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => paths.includes(String(q.queryKey[0])) });
}

export type Filters = NonNullable<RequestOptions['query']>;

/** A list route read a page at a time: `data.pages` in order, `fetchNextPage` for the next one. */
export type PagedQuery<T> = ReturnType<typeof usePagedList<T>>;

/**
 * A list route (`{ items, nextCursor }`) read page by page with its filters; the
 * filters are the key, so changing one starts again from the first page.
 */
export function usePagedList<T>(path: string, filters: Filters, options: { enabled?: boolean; pageSize?: number } = {}) {
  return useInfiniteQuery<Page<T>, Error, InfiniteData<Page<T>, string | undefined>, readonly unknown[], string | undefined>({
    queryKey: [path, filters, options.pageSize ?? 50],
    queryFn: ({ pageParam, signal }) => api.get<Page<T>>(path, { ...filters, cursor: pageParam, limit: options.pageSize ?? 50 }, signal),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
    // New filters keep the rows shown until their own answer arrives (no empty flash,
    // and a row's open popover is not pulled from under the pointer).
    placeholderData: keepPreviousData,
  });
}
