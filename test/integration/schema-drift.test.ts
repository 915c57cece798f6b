import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { recreateDatabase } from '../support/global-setup';
import { readTestEnv } from '../support/test-env';

// Migrations are hand-kept SQL (Prisma's migrate cannot run offline here). This test
// renders the DDL of prisma/schema.prisma with Prisma's own engine (tools/prisma-ddl),
// applies it to an empty database, and compares the catalog with the database that
// the migrations built. A schema change without a migration, or the reverse, fails.

const ROOT = join(__dirname, '..', '..');

async function catalog(databaseUrl: string) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const columns = await db.query(`
      SELECT table_name, column_name, udt_name, is_nullable, column_default
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`);
    const indexes = await db.query(`
      SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
        -- Expression and trigram indexes cannot be said in Prisma's schema: hand-written in migrations
        AND indexname NOT LIKE '%\\_by\\_root' AND indexname NOT LIKE '%\\_trgm'
      ORDER BY indexname`);
    const constraints = await db.query(`
      SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
        AND contype <> 'c' -- CHECK constraints cannot be said in Prisma's schema: hand-written in migrations
      ORDER BY conname`);
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  } finally {
    await db.end();
  }
}

test('the migrations build exactly the schema that prisma/schema.prisma describes', async () => {
  const env = readTestEnv();
  const ddl = execFileSync(join(ROOT, 'tools', 'prisma-ddl', 'ddl.sh'), {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: env.databaseUrl },
  });
  expect(ddl).toMatch(/CREATE TABLE "process_instances"/);

  const fromSchemaUrl = env.databaseUrl.replace(/\/[^/]+$/, '/salesproc_drift');
  await recreateDatabase(fromSchemaUrl);
  const db = new Client({ connectionString: fromSchemaUrl });
  await db.connect();
  await db.query(ddl);
  await db.end();

  const [fromMigrations, fromSchema] = await Promise.all([catalog(env.databaseUrl), catalog(fromSchemaUrl)]);
  expect(fromMigrations.columns.length).toBeGreaterThan(50);
  expect(fromMigrations).toEqual(fromSchema);
}, 120_000);
