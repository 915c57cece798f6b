import { Prisma } from './client';

// Which database errors mean "the database is not there right now" rather than "this
// request is wrong" or "the code is wrong". The API answers those with 503 and
// Retry-After, as it does when the process engine is behind: the same request
// succeeds once Postgres is back (the supervisor restarts it in about a second), so a
// client should repeat it, which a 500 would not tell it.

/** Prisma's own codes for a server it cannot reach, a connection it lost, a pool with no free connection. */
const UNAVAILABLE_PRISMA_CODES: ReadonlySet<string> = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** The driver adapter's kinds of the same: no server, a connection closed under a query, a timeout, no free slot. */
const UNAVAILABLE_ADAPTER_KINDS: ReadonlySet<string> = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/**
 * Postgres SQLSTATEs and socket errors of an unavailable server: class 08 (connection
 * exception), 57P01–57P03 (shut down by an administrator, crashed, not accepting
 * connections yet — a server starting up or in recovery), 53300 (too many
 * connections), and the socket's refusals.
 */
function unavailableDriverCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE'
  );
}

/**
 * Whether `err` says the database cannot be used right now: thrown by Prisma (with the
 * pg driver adapter, the driver's own error rides in `meta.driverAdapterError.cause`)
 * or by `pg` directly (the change feed's LISTEN connection).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNAVAILABLE_PRISMA_CODES.has(err.code)) return true;
    const cause = (err.meta as { driverAdapterError?: { cause?: { kind?: string; code?: unknown; originalCode?: unknown } } } | undefined)
      ?.driverAdapterError?.cause;
    if (!cause) return false;
    return (
      (cause.kind !== undefined && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) || unavailableDriverCode(cause.originalCode ?? cause.code)
    );
  }
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown };
    if (unavailableDriverCode(e.code)) return true;
    // pg-pool's connection timeout and a client used after its connection ended carry no code.
    return /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error/i.test(e.message);
  }
  return false;
}
