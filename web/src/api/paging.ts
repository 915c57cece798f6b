import { api, type RequestOptions } from './client';

/** One page of a list route: `{ items, nextCursor }`, and the total where the API counts it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** The largest page the API serves. */
export const PAGE_LIMIT = 200;

/** A list longer than its reader's stated cap: it is refused whole, never cut short in silence. */
export class TooManyRows extends Error {
  constructor(readonly cap: number) {
    super(`more than ${cap} rows`);
    this.name = 'TooManyRows';
  }
}

/**
 * Every row of a small, bounded list (a process's records, a project's units for the
 * sales control chart, an export of the filtered orders), following the cursors. More
 * than `cap` rows throw {@link TooManyRows}: the caller says so (narrow the filters)
 * instead of showing a part as the whole. Lists that grow with the office (customers,
 * tasks, processes, the audit trail) page on screen instead.
 */
export async function getAll<T>(path: string, query: RequestOptions['query'] = {}, cap = 5_000): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(path, { ...query, limit: PAGE_LIMIT, cursor });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (cursor && rows.length >= cap) throw new TooManyRows(cap);
  } while (cursor);
  return rows;
}
