import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type RegisteredActivity } from '../activities';
import type { PrismaClient } from '../db/client';
import { WORKFLOWS_PATH } from './workflow-code';

export { WORKFLOWS_PATH };

/**
 * What a worker needs. Without `workflowBundle` the workflow code is bundled at
 * start; tests pass one built in memory so each file bundles once, a compiled
 * worker the path of the prebuilt one (`{ codePath }`, see `workflow-code.ts`).
 */
export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  prisma: PrismaClient;
  workflowBundle?: WorkflowBundleOption;
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
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ prisma: options.prisma, stepActivities: options.stepActivities }),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
}
