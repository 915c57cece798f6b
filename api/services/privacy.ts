import { maskPhone } from '../../domain';
import type { Principal } from './auth-service';

// Personal data in processes, tasks and records (a visitor's phone in a reception's
// input, the buyers' phones and ID numbers in a 认购书) follows the customers' rule:
// the agent whose customer it is sees it in full, so does a role that reads every
// customer (`customers.read_all`); anyone else sees it masked.

/** Field names that hold personal data wherever they appear. */
const PERSONAL_FIELDS: Readonly<Record<string, (value: string) => string>> = {
  phone: (v) => maskPhone(v.replace(/\D/g, '').slice(-11)),
  idNumber: (v) => (v.length > 7 ? `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}` : '****'),
};

/** Whether the caller sees the personal data of something `ownerId` (the agent who started or wrote it) owns. */
export function seesPersonalData(principal: Principal, ownerId: string | null | undefined): boolean {
  return principal.permissions.has('customers.read_all') || (!!ownerId && ownerId === principal.userId);
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
export function forCaller<T>(principal: Principal, ownerId: string | null | undefined, value: T): T {
  return seesPersonalData(principal, ownerId) ? value : maskPersonalData(value);
}
