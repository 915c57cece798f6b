import { type NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type RegisteredActivity } from '../activities';
import type { PrismaClient } from '../db/client';

/** What a worker needs. Tests pass a pre-built bundle so each file bundles once. */
export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  prisma: PrismaClient;
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Activities definitions may call by name, besides the built-ins. */
  stepActivities?: Record<string, RegisteredActivity>;
  /** How many workflow runs the worker keeps in memory (the SDK sizes it by RAM otherwise). */
  maxCachedWorkflows?: number;
}

/** The path of the sandbox bundle's entry module. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

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
