import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type RegisteredActivity } from '../activities';
import type { PrismaClient } from '../db/client';

/**
 * What a worker needs. `workflowBundle` is the workflow code, bundled beforehand:
 * the worker's entry point loads it with `loadWorkflowCode` (prebuilt or bundled at
 * its start, see `workflow-code.ts`); tests bundle once per file.
 */
export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  prisma: PrismaClient;
  workflowBundle: WorkflowBundleOption;
  /** Activities definitions may call by name, besides the built-ins. */
  stepActivities?: Record<string, RegisteredActivity>;
  /** How many workflow runs the worker keeps in memory (the SDK sizes it by RAM otherwise). */
  maxCachedWorkflows?: number;
}

/** Creates the worker that runs the interpreter workflow and its activities. */
export function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: createActivities({ prisma: options.prisma, stepActivities: options.stepActivities }),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
}
