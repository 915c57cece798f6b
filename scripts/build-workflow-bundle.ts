import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { defaultWorkflowBundlePath, WORKFLOWS_PATH } from '../worker/workflow-code';

/**
 * Bundles the workflow code once, at build time (`npm run build`), into
 * `dist/workflow-bundle.js`: what a compiled worker loads instead of running webpack
 * at every start. The source map is inline (the SDK emits it so), so stack traces
 * from the sandbox name the TypeScript sources.
 */
export async function buildWorkflowBundle(outFile = defaultWorkflowBundlePath(__filename)): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  mkdirSync(dirname(outFile), { recursive: true });
  // Written beside and renamed: a worker starting meanwhile reads the old file or the new one, never half of one.
  const partial = `${outFile}.${process.pid}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, outFile);
  return { path: outFile, bytes: Buffer.byteLength(code) };
}

if (require.main === module) {
  buildWorkflowBundle().then(
    ({ path, bytes }) => console.log(`build-workflows: ${relative(process.cwd(), path)} (${(bytes / 1024 / 1024).toFixed(2)} MB)`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
