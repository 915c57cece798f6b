import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkflowBundleOption } from '@temporalio/worker';
import { ConfigError } from '../config/env';

/** The sandbox bundle's entry module: `workflows/index.ts` from the sources, `dist/workflows/index.js` compiled. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The prebuilt bundle's file name; `npm run build` writes it at the top of `dist/`. */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * Where the prebuilt bundle belongs, seen from a module one folder below the root
 * (`worker/`, `scripts/`): `dist/workflow-bundle.js` from the sources, the same file
 * beside that folder when the module is itself compiled into `dist/`.
 */
export function defaultWorkflowBundlePath(moduleFile: string): string {
  const parent = join(dirname(moduleFile), '..');
  return isCompiled(moduleFile) ? join(parent, WORKFLOW_BUNDLE_FILE) : join(parent, 'dist', WORKFLOW_BUNDLE_FILE);
}

/** Whether a module runs compiled (`node dist/…`) rather than from its TypeScript source (tsx, jest). */
function isCompiled(moduleFile: string): boolean {
  return moduleFile.endsWith('.js');
}

/** Where the worker's workflow code comes from, and why. */
export type WorkflowCode = { source: 'prebuilt'; codePath: string } | { source: 'bundle-at-start'; workflowsPath: string; reason: string };

/**
 * Chooses the worker's workflow code. A prebuilt bundle spares every worker start
 * the webpack run (seconds of CPU, and webpack itself at run time), and is the same
 * bytes in every container of one image:
 *
 * - `WORKFLOW_BUNDLE_PATH` set: that file, which must exist;
 * - running compiled: `dist/workflow-bundle.js` if the build wrote it, else bundle
 *   the compiled workflows at start (a build without its bundle still runs);
 * - running from the sources (tsx, tests): bundle at start, so an edit is never
 *   hidden behind an older bundle in `dist/`.
 */
export function chooseWorkflowCode(options: {
  configuredPath?: string;
  /** The calling module's `__filename`: tells compiled from source and locates `dist/`. */
  moduleFile: string;
  exists?: (path: string) => boolean;
}): WorkflowCode {
  const exists = options.exists ?? existsSync;
  if (options.configuredPath) {
    const codePath = resolve(options.configuredPath);
    if (!exists(codePath)) {
      throw new ConfigError(`WORKFLOW_BUNDLE_PATH: no file at ${codePath} (run \`npm run build\`, or unset it to bundle at start)`, [
        `WORKFLOW_BUNDLE_PATH: no file at ${codePath}`,
      ]);
    }
    return { source: 'prebuilt', codePath };
  }
  if (!isCompiled(options.moduleFile)) {
    return { source: 'bundle-at-start', workflowsPath: WORKFLOWS_PATH, reason: 'running from the TypeScript sources' };
  }
  const codePath = defaultWorkflowBundlePath(options.moduleFile);
  if (exists(codePath)) return { source: 'prebuilt', codePath };
  return { source: 'bundle-at-start', workflowsPath: WORKFLOWS_PATH, reason: `no prebuilt bundle at ${codePath}` };
}

/**
 * Run first in the sandbox, before the SDK freezes its globals: no stack traces.
 * On one line with the bundle's first, so that the bundle's source map still fits.
 */
const NO_STACK_TRACES = 'Error.stackTraceLimit = 0; ';

/**
 * The workflow code as the worker loads it. With `stackTraces` off (the default),
 * the sandbox captures no stack traces: the SDK takes one at every promise a
 * workflow creates (for the `__stack_trace` query behind the Temporal UI's stack
 * view), and with our interpreter's many small async steps that was about a fifth
 * of the worker's CPU (`npm run bench:e2e`). Failures still carry their messages
 * and the step they happened in; set WORKFLOW_STACK_TRACES=true to see where a
 * stuck or failing workflow stands.
 */
export async function loadWorkflowCode(
  code: WorkflowCode,
  options: { stackTraces: boolean; logger?: Logger },
): Promise<WorkflowBundleOption> {
  if (code.source === 'prebuilt') {
    return options.stackTraces ? { codePath: code.codePath } : { code: NO_STACK_TRACES + readFileSync(code.codePath, 'utf8') };
  }
  const { code: bundled } = await bundleWorkflowCode({
    workflowsPath: code.workflowsPath,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { code: options.stackTraces ? bundled : NO_STACK_TRACES + bundled };
}
