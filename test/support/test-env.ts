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

/** Where the global setup writes the {@link TestEnv}. */
export const TEST_ENV_FILE = join(__dirname, '..', '..', '.data', 'test-env.json');

/** Reads the environment the global setup prepared. */
export function readTestEnv(): TestEnv {
  return JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as TestEnv;
}
