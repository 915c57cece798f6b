import { api, type RequestOptions } from './client';

/** One page of a list route: `{ items, nextCursor }`, and the total where the API counts it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** The largest page the API serves. */
export const PAGE_LIMIT = 200;

/**
 * Every row of a small, bounded list (a process's records, a project's units for the
 * sales control chart), following the cursors up to `cap` rows. Lists that grow with
 * the office (customers, tasks, processes, the audit trail) page on screen instead.
 */
export async function getAll<T>(path: string, query: RequestOptions['query'] = {}, cap = 5_000): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(path, { ...query, limit: PAGE_LIMIT, cursor });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < cap);
  return rows;
}
