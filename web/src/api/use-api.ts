import { useQuery } from '@tanstack/react-query';
import type { ApiError } from './client';

/** A read from the API as a page holds it. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  /** True until the first answer for this key (a refetch keeps showing the data it has). */
  loading: boolean;
  reload: () => void;
}

/**
 * What a read is cached under: the API path it reads first, then whatever else
 * decides its answer (ids, filters). `invalidate(path)` (api/queries.ts) marks every
 * read of that path stale, whatever its other parts. Reads that answer differently
 * (a page that loads the roles together with the projects) must not share a key:
 * such a key names what it holds (`['/api/roles', 'with-projects']`).
 */
export type ApiKey = readonly [path: string, ...parts: unknown[]];

/**
 * A read through the app's query cache (TanStack Query): `load` runs when the page
 * mounts and whenever `key` changes; a `null` key reads nothing yet (a project still
 * to choose). Two pages reading the same key share one request and one answer, and
 * an answer that arrives after the key changed is not shown.
 */
export function useApi<T>(key: ApiKey | null, load: () => Promise<T>): Loaded<T> {
  const query = useQuery<T, ApiError | Error>({ queryKey: key ?? ['(nothing)'], queryFn: load, enabled: key !== null });
  return {
    data: query.data,
    error: query.error ?? undefined,
    loading: query.isLoading,
    reload: () => void query.refetch(),
  };
}
