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

/** `?limit=` of a list, 1–500, 100 by default. */
export const limit = z.coerce.number().int().min(1).max(500).default(100);
