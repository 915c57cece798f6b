import { z } from 'zod';

// Schemas and helpers that several route files share.

/** The `Idempotency-Key` header, trimmed and bounded; absent when empty. */
export const idempotencyKey = (header: string | undefined): string | undefined => {
  const key = header?.trim();
  return key ? key.slice(0, 200) : undefined;
};

/** `?flag=true|false` as a boolean. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The largest value of a Postgres `integer` column: larger ones are 400 here, not an overflow in the query. */
export const INT4_MAX = 2_147_483_647;

/** `?limit=` of a page, 1–200, 50 by default. */
export const limit = z.coerce.number().int().min(1).max(200).default(50);

/** The paging part of every list's query: the cursor a previous page answered with (`nextCursor`) and the page size. */
export const paging = {
  // base64url, as the API writes cursors; short enough that a URL carrying one stays
  // far below the server's header limit (a 431 before any route would answer).
  cursor: z
    .string()
    .min(1)
    .max(500)
    .regex(/^[A-Za-z0-9_-]+$/, 'a cursor the API returned (nextCursor)')
    .optional(),
  limit,
};
