import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidInput } from './errors';

// Keyset paging for every list the API serves. A page ends at a row; the cursor
// carries that row's sort values (and its id, the tie-breaker), so the next page
// starts strictly after it whatever was inserted meanwhile — unlike an offset,
// which repeats or skips rows when the list grows under the reader.

/** One page of a list: its rows and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** How many rows match in all, where counting is cheap (see docs/api.md); absent elsewhere. */
  total?: number;
}

/** What a list request says about paging. */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

/** A sort column: its value in a cursor is a date (ISO), a string, a number or a bigint (as a string). */
export interface SortKey {
  field: string;
  kind: 'date' | 'string' | 'number' | 'bigint';
  direction: 'asc' | 'desc';
}

/** How one list is paged: its name (a cursor of another list is refused) and its sort, unique with the last key. */
export interface PagedList {
  resource: string;
  /** The sort, ending with a unique column (the id) so that no two rows share a position. */
  keys: readonly SortKey[];
}

const CURSOR_VERSION = 1;
const cursorShape = z.strictObject({
  v: z.literal(CURSOR_VERSION),
  r: z.string(),
  f: z.string(),
  k: z.array(z.union([z.string(), z.number()])),
});

/** The filters of a request as a short fingerprint: a cursor is valid only with the filters that made it. */
function fingerprint(request: object): string {
  const filters = request as Record<string, unknown>;
  const canonical = Object.keys(filters)
    .filter((k) => k !== 'cursor' && k !== 'limit' && filters[k] !== undefined)
    .sort()
    .map((k) => [k, filters[k] instanceof Date ? (filters[k] as Date).toISOString() : filters[k]]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 12);
}

function refused(reason: string): never {
  throw new InvalidInput(`Invalid query.cursor: ${reason}`, [{ field: 'cursor', in: 'query', reason }]);
}

function encodeValue(key: SortKey, value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`Sort key ${key.field} has no value to page by (${String(value)})`);
}

function decodeValue(key: SortKey, value: string | number): unknown {
  switch (key.kind) {
    case 'date': {
      const date = typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : null;
      return date && !Number.isNaN(date.getTime()) ? date : refused('not a cursor of this list');
    }
    case 'bigint':
      return typeof value === 'string' && /^\d{1,19}$/.test(value) ? BigInt(value) : refused('not a cursor of this list');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : refused('not a cursor of this list');
    case 'string':
      return typeof value === 'string' ? value : refused('not a cursor of this list');
  }
}

/** Reads a cursor of `list` made with these `filters`, or refuses it as a 400 naming `query.cursor`. */
export function readCursor(list: PagedList, cursor: string, filters: object): unknown[] {
  let parsed: z.infer<typeof cursorShape>;
  try {
    parsed = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    return refused('not a cursor of this list');
  }
  if (parsed.r !== list.resource || parsed.k.length !== list.keys.length) refused('not a cursor of this list');
  if (parsed.f !== fingerprint(filters)) refused('the filters changed since this cursor was made; start from the first page');
  return list.keys.map((key, i) => decodeValue(key, parsed.k[i]!));
}

function writeCursor(list: PagedList, row: object, filters: object): string {
  const k = list.keys.map((key) => encodeValue(key, (row as Record<string, unknown>)[key.field]));
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, r: list.resource, f: fingerprint(filters), k })).toString('base64url');
}

/**
 * The rows strictly after `position` in the list's order, as a Prisma `where`:
 * (k1 after v1) OR (k1 = v1 AND k2 after v2) OR … — the expanded row comparison,
 * which Prisma cannot write as `(a, b) < (x, y)`.
 */
function after(list: PagedList, position: unknown[]): Record<string, unknown> {
  return {
    OR: list.keys.map((key, i) => ({
      ...Object.fromEntries(list.keys.slice(0, i).map((earlier, j) => [earlier.field, position[j]])),
      [key.field]: { [key.direction === 'asc' ? 'gt' : 'lt']: position[i] },
    })),
  };
}

/** What a list's query function is given: the keyset condition to AND with its filters, the order and how many to take. */
export interface PageWindow {
  after: Record<string, unknown> | undefined;
  orderBy: Record<string, 'asc' | 'desc'>[];
  take: number;
}

/**
 * One page of `list`: runs `find` for one row more than asked (so the last page is
 * known without a count) and makes the cursor from the last row returned.
 * `filters` are the request's filters: a cursor only continues the query that made it.
 */
export async function pageOf<Row extends object>(
  list: PagedList,
  request: PageRequest,
  filters: object,
  find: (window: PageWindow) => Promise<Row[]>,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const position = request.cursor === undefined ? undefined : readCursor(list, request.cursor, filters);
  const rows = await find({
    after: position && after(list, position),
    orderBy: list.keys.map((key) => ({ [key.field]: key.direction })),
    take: request.limit + 1,
  });
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  return { rows: page, nextCursor: more ? writeCursor(list, page[page.length - 1]!, filters) : null };
}
