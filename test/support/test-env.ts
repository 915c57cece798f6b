import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the global setup started, shared with every test file through a file. */
export interface TestEnv {
  databaseUrl: string;
  temporalAddress: string;
  testServerPath: string;
  temporalCliPath: string;
  /** The password of the seeded demo users. */
  password: string;
}

/**
 * Where the global setup writes the {@link TestEnv}: one file per test database, so
 * that a second jest run in the same checkout (one file, on another database) does
 * not point the first run's remaining files at its own Temporal server, which it
 * then stops.
 */
export const TEST_ENV_FILE = join(
  __dirname,
  '..',
  '..',
  '.data',
  `test-env-${(process.env.TEST_DATABASE_URL ?? 'salesproc_test').replace(/^.*\//, '').replace(/[^\w-]/g, '_')}.json`,
);

/** Reads the environment the global setup prepared. */
export function readTestEnv(): TestEnv {
  return JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as TestEnv;
}
