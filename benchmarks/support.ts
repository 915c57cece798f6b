import { DefaultLogger, type WorkflowBundleOption } from '@temporalio/worker';
import { loadConfig } from '../config/env';
import { loadWorkflowCode } from '../worker/workflow-code';

/** Whether the workflow sandbox takes stack traces: the worker's own setting (`WORKFLOW_STACK_TRACES`, off by default). */
export const stackTraces = loadConfig(process.env).WORKFLOW_STACK_TRACES;

/**
 * The workflow code at `workflowsPath`, bundled and loaded as the worker loads its
 * own, so that the product and Temporal's floor run in the sandbox `npm start` runs.
 */
export function bundleAsTheWorker(workflowsPath: string): Promise<WorkflowBundleOption> {
  return loadWorkflowCode(
    { source: 'bundle-at-start', workflowsPath, reason: 'benchmark' },
    { stackTraces, logger: new DefaultLogger('ERROR') },
  );
}

/**
 * Calls `call` `count` times, `size` at a time (a thousand starts at once would
 * measure the client's queue), and returns the results in order.
 */
export async function inBatches<T>(count: number, call: (index: number) => Promise<T>, size = 50): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += size)
    results.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => call(i + j)))));
  return results;
}
