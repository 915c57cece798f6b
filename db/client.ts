import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export type { PrismaClient } from '../generated/prisma/client';
export { Prisma } from '../generated/prisma/client';

/**
 * Creates a Prisma client on the TypeScript query compiler and the `pg` driver
 * adapter: no native query engine is needed (none can be downloaded offline).
 */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/** A Prisma client or an interactive transaction: what services accept. */
export type Db = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * Joins statements into one (`WITH p0 AS (…), p1 AS (…) <last>`): Postgres runs it
 * atomically in one round trip, without the BEGIN/COMMIT of a transaction. Every
 * part sees the database as it was before the statement; a part reads what an
 * earlier one changed only through that part's `RETURNING` (named `p<index>`).
 */
export function oneStatement(parts: Prisma.Sql[], last: Prisma.Sql): Prisma.Sql {
  if (!parts.length) return last;
  return Prisma.sql`WITH ${Prisma.join(
    parts.map((part, i) => Prisma.sql`${Prisma.raw(`p${i}`)} AS (${part})`),
    ', ',
  )} ${last}`;
}
