import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import type { RegisteredActivity } from '../../activities';
import { createWorker } from '../../worker/create-worker';
import { installQuietRuntime, workflowBundle } from './system';
import { readTestEnv } from './test-env';

/** The time-skipping test server with a worker running the real activities on the test database. */
export interface TimeSkippingSystem {
  env: TestWorkflowEnvironment;
  prisma: PrismaClient;
  taskQueue: string;
  stop(): Promise<void>;
}

/**
 * Starts the Java time-skipping server (the local binary) and a worker on it, by
 * default on the test database of the global setup.
 */
export async function startTimeSkipping(
  stepActivities?: Record<string, RegisteredActivity>,
  where: { databaseUrl: string; testServerPath: string } = readTestEnv(),
): Promise<TimeSkippingSystem> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: where.testServerPath } },
  });
  const prisma = createPrismaClient(where.databaseUrl);
  const taskQueue = `ts-${randomUUID()}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    prisma,
    workflowBundle: await workflowBundle(),
    stepActivities,
  });
  const running = worker.run();
  return {
    env,
    prisma,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await prisma.$disconnect();
      await env.teardown();
    },
  };
}
