import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_DIR } from './temporal-server';

/** The pinned PyPI package of the API fuzzer (`test/integration/schemathesis.test.ts`). */
export const SCHEMATHESIS_PACKAGE = 'schemathesis==4.32.5';

/** Where `pip install --target` puts it: git-ignored, per checkout, like the Temporal binaries. */
export const SCHEMATHESIS_DIR = join(TOOLS_DIR, 'schemathesis');

/** How to run the project-local schemathesis: its entry script and the PYTHONPATH it needs. */
export interface SchemathesisCommand {
  command: string;
  env: Record<string, string>;
}

/**
 * The project-local schemathesis, installed from PyPI into `.tools/schemathesis` when
 * missing. A `--target` install has no site-packages of its own, so its entry script
 * runs with PYTHONPATH pointing at the folder.
 */
export function resolveSchemathesis(install = true): SchemathesisCommand | undefined {
  const command = join(SCHEMATHESIS_DIR, 'bin', 'schemathesis');
  if (!existsSync(command) && install) {
    const result = spawnSync(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', SCHEMATHESIS_DIR, SCHEMATHESIS_PACKAGE],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (result.status !== 0) throw new Error(`pip install ${SCHEMATHESIS_PACKAGE} failed (exit ${result.status ?? result.signal})`);
  }
  return existsSync(command) ? { command, env: { PYTHONPATH: SCHEMATHESIS_DIR } } : undefined;
}
