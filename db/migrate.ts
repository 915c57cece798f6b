import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { rebuildAnalytics } from './analytics';
import { createPrismaClient } from './client';

/**
 * The folder of Prisma-layout migrations: `<timestamp>_<name>/migration.sql`. From
 * the sources it is `../prisma`; from a build in `dist/` it is `../../prisma`.
 */
export const MIGRATIONS_DIR =
  [join(__dirname, '..', 'prisma', 'migrations'), join(__dirname, '..', '..', 'prisma', 'migrations')].find((dir) => existsSync(dir)) ??
  join(__dirname, '..', 'prisma', 'migrations');

/** A migration on disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the file, hex: the checksum Prisma records. */
  checksum: string;
}

/** Raised when an applied migration's file has changed since it was applied. */
export class MigrationDriftError extends Error {
  constructor(readonly migrationName: string) {
    super(`Migration ${migrationName} was modified after it was applied (checksum differs)`);
    this.name = 'MigrationDriftError';
  }
}

// An arbitrary constant: concurrent migrators (two `npm start`s, a test and a
// server) serialise on this advisory lock instead of racing on DDL.
const MIGRATION_LOCK_ID = 72_707_369;

/** Reads the migrations in name order (the timestamp prefix orders them). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Creates the database named in `databaseUrl` if it does not exist, by connecting
 * to the server's `postgres` database.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } catch (err) {
      // Another process created it between our check and our CREATE.
      if ((err as { code?: string }).code !== '42P04') throw err;
      return false;
    }
    return true;
  } finally {
    await admin.end();
  }
}

/**
 * Applies pending migrations, recording them in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does (same table, same checksums), so either tool can
 * take over from the other. Each migration runs in its own transaction.
 * Returns the names applied.
 */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const applied = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedByName = new Map(applied.rows.map((r) => [r.migration_name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = appliedByName.get(m.name);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) throw new MigrationDriftError(m.name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      done.push(m.name);
    }
    await runPendingRebuild(client, databaseUrl);
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Rebuilds the analytics rollups when a migration asked for it (the settings marker
 * `analyticsRebuildPending`, written by a migration that changes how facts are
 * rolled up, e.g. the business time zone), under the migrator's lock, then clears
 * the marker. A rebuild that fails leaves the marker, so the next run tries again.
 */
async function runPendingRebuild(client: Client, databaseUrl: string): Promise<void> {
  const marker = await client.query(`SELECT 1 FROM settings WHERE key = 'analyticsRebuildPending'`).catch(() => ({ rowCount: 0 }));
  if (!marker.rowCount) return;
  const prisma = createPrismaClient(databaseUrl);
  try {
    await rebuildAnalytics(prisma);
    await client.query(`DELETE FROM settings WHERE key = 'analyticsRebuildPending'`);
  } finally {
    await prisma.$disconnect();
  }
}
