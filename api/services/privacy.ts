import type { PrismaClient } from '../../db/client';
import { rootProcessId } from '../../db/customers';
import { maskPhone } from '../../domain';
import { readsAllCustomers } from './access';
import type { Principal } from './auth-service';

// Personal data in processes, tasks and records (a visitor's phone in a reception's
// input, the buyers' phones and ID numbers in a 认购书) follows the customers' rule:
// the agent whose customer it is *now* sees it in full, so does a role that reads
// every customer (`customers.read_all`); anyone else sees it masked. "Whose customer"
// is the current owner of the customers the process tree concerns — after a transfer
// the new owner sees it and the old one no longer does. A process that concerns no
// customer yet (a reception before the visitor is registered) belongs to its starter.

/** Field names that hold personal data wherever they appear. */
const PERSONAL_FIELDS: Readonly<Record<string, (value: string) => string>> = {
  phone: (v) => maskPhone(v.replace(/\D/g, '').slice(-11)),
  idNumber: (v) => (v.length > 7 ? `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}` : '****'),
};

/** Who owns the personal data of something: the users whose customers it concerns. */
export type DataOwners = readonly string[];

/** Whether the caller sees the personal data that `owners` own. */
export function seesPersonalData(principal: Principal, owners: DataOwners): boolean {
  return readsAllCustomers(principal) || owners.includes(principal.userId);
}

/** A copy of `value` with every personal field masked, at any depth. */
export function maskPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskPersonalData) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const mask = PERSONAL_FIELDS[key];
      return [key, mask && typeof v === 'string' ? mask(v) : maskPersonalData(v)];
    }),
  ) as T;
}

/** `value` as the caller may see it. */
export function forCaller<T>(principal: Principal, owners: DataOwners, value: T): T {
  return seesPersonalData(principal, owners) ? value : maskPersonalData(value);
}

/**
 * The owners of the personal data in each of `processIds` (any process of a tree: the
 * tree's root decides): the current owners of the customers its tree concerns —
 * through the timeline rows it wrote (a reception's registration, follow-ups), the
 * orders it holds or made, and its after-sales case. One query for a whole page of
 * processes, tasks or records. The answer takes the fallback owner for a process that
 * concerns no customer: its starter (or a record's writer).
 */
export async function personalDataOwners(
  prisma: PrismaClient,
  processIds: readonly string[],
): Promise<(processId: string, fallbackOwner: string | null) => DataOwners> {
  const roots = [...new Set(processIds.map(rootProcessId))];
  const rows = roots.length
    ? await prisma.$queryRaw<{ root: string; owner_id: string }[]>`
        SELECT DISTINCT r.root, c.owner_id::text AS owner_id
        FROM unnest(${roots}::text[]) AS r(root)
        JOIN LATERAL (
          SELECT e.customer_id FROM customer_events e WHERE split_part(e.process_id, '/', 1) = r.root
          UNION
          SELECT o.customer_id FROM orders o WHERE split_part(o.process_id, '/', 1) = r.root
          UNION
          SELECT o.customer_id FROM orders o WHERE split_part(o.holder_process_id, '/', 1) = r.root
          UNION
          SELECT s.customer_id FROM service_cases s WHERE split_part(s.process_id, '/', 1) = r.root
        ) concerned ON true
        JOIN customers c ON c.id = concerned.customer_id`
    : [];
  const byRoot = new Map<string, string[]>();
  for (const row of rows) byRoot.set(row.root, [...(byRoot.get(row.root) ?? []), row.owner_id]);
  return (processId, fallbackOwner) => byRoot.get(rootProcessId(processId)) ?? (fallbackOwner ? [fallbackOwner] : []);
}
