import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { createLogger, PinoTemporalLogger } from '../api/logger';
import { loadConfig, loadDotEnvFile, requireDatabaseUrl, temporalAddress } from '../config/env';
import { createPrismaClient } from '../db/client';
import { NotificationDispatcher } from '../notifications';
import { createWorker } from './create-worker';

/** Starts a worker process: `npm run worker` (and `npm start` starts one). */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  // Before anything creates the runtime: the SDK's, workflows' and activities' logs
  // (and Core's, forwarded) become lines of the same JSON log as ours, and Core's
  // own metrics are served for Prometheus when TEMPORAL_METRICS_ADDRESS is set.
  Runtime.install({
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(config.TEMPORAL_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS } } } : {}),
    },
  });
  const prisma = createPrismaClient(requireDatabaseUrl(config));
  const connection = await NativeConnection.connect({ address: temporalAddress(config) });
  const worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, prisma });
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, temporalMetrics: config.TEMPORAL_METRICS_ADDRESS ?? null },
    `worker: polling task queue ${config.TEMPORAL_TASK_QUEUE}`,
  );
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
  // The logger may not exist yet (a bad configuration): plain stderr.
  console.error('worker failed', err);
  process.exit(1);
});
