import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { createLogger, PinoTemporalLogger } from '../api/logger';
import { ConfigError, loadConfig, loadDotEnvFile, requireDatabaseUrl } from '../config/env';
import { describeTemporalConnection, temporalConnectionOptions } from '../config/temporal-connection';
import { createPrismaClient } from '../db/client';
import { NotificationDispatcher } from '../notifications';
import { createWorker } from './create-worker';
import { chooseWorkflowCode, loadWorkflowCode } from './workflow-code';

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
  // Both read files and may refuse the configuration: before any connection is made.
  const connectionOptions = temporalConnectionOptions(config);
  const workflowCode = chooseWorkflowCode({ configuredPath: config.WORKFLOW_BUNDLE_PATH, moduleFile: __filename });
  const prisma = createPrismaClient(requireDatabaseUrl(config));
  const connection = await NativeConnection.connect(connectionOptions);
  logger.info({ temporal: describeTemporalConnection(connectionOptions) }, `worker: connected to Temporal at ${connectionOptions.address}`);
  if (workflowCode.source === 'prebuilt') {
    logger.info({ workflowCode }, `worker: workflow code from the prebuilt bundle ${workflowCode.codePath}`);
  } else {
    logger.info({ workflowCode }, `worker: bundling the workflow code at start (${workflowCode.reason})`);
  }
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    prisma,
    workflowBundle: await loadWorkflowCode(workflowCode, {
      stackTraces: config.WORKFLOW_STACK_TRACES,
      logger: new PinoTemporalLogger(logger),
    }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  });
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      temporalMetrics: config.TEMPORAL_METRICS_ADDRESS ?? null,
      workflowStackTraces: config.WORKFLOW_STACK_TRACES,
      maxCachedWorkflows: worker.options.maxCachedWorkflows,
    },
    `worker: polling task queue ${config.TEMPORAL_TASK_QUEUE}`,
  );
  // The outbox dispatcher runs beside the Temporal worker (docs/notifications.md).
  const dispatcher = config.NOTIFY_DISPATCHER ? new NotificationDispatcher({ prisma, config }) : undefined;
  dispatcher?.start();
  // The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
  await worker.run();
  await dispatcher?.stop();
  await connection.close();
  await prisma.$disconnect();
}

main().catch((err: unknown) => {
  // The logger may not exist yet (a bad configuration): plain stderr, one line for
  // a configuration error (it names the variable), the stack for anything else.
  console.error(err instanceof ConfigError ? `worker: ${err.message}` : err);
  process.exit(1);
});
