import { NativeConnection } from '@temporalio/worker';
import { loadConfig, loadDotEnvFile, requireDatabaseUrl, temporalAddress } from '../config/env';
import { createPrismaClient } from '../db/client';
import { NotificationDispatcher } from '../notifications';
import { createWorker } from './create-worker';

/** Starts a worker process: `npm run worker` (and `npm start` starts one). */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  const prisma = createPrismaClient(requireDatabaseUrl(config));
  const connection = await NativeConnection.connect({ address: temporalAddress(config) });
  const worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, prisma });
  console.log(`worker: polling task queue ${config.TEMPORAL_TASK_QUEUE}`);
  // The outbox dispatcher runs beside the Temporal worker (README: Notifications).
  const dispatcher = config.NOTIFY_DISPATCHER ? new NotificationDispatcher({ prisma, config }) : undefined;
  dispatcher?.start();
  // The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
  await worker.run();
  await dispatcher?.stop();
  await connection.close();
  await prisma.$disconnect();
}

main().catch((err: unknown) => {
  console.error('worker failed', err);
  process.exit(1);
});
