import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { hostname } from 'node:os';
import { loadConfig, loadDotEnvFile } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';

/**
 * The worker container's health check (`node dist/scripts/worker-health.js`): exit 0
 * when Temporal has seen a poller from this host on the task queue within the last
 * two minutes. The worker has no HTTP port of its own, and "the process exists" is
 * not "the worker polls"; the SDK's default identity is `<pid>@<hostname>`, and a
 * container's hostname is its own, so this asks Temporal about this container only.
 */
async function main(): Promise<number> {
  loadDotEnvFile();
  const config = loadConfig();
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: 5000 });
  try {
    const res = await connection.workflowService.describeTaskQueue({
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: { name: config.TEMPORAL_TASK_QUEUE },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const recent = Date.now() - 120_000;
    const mine = (res.pollers ?? []).filter((p) => p.identity?.endsWith(`@${hostname()}`));
    const seen = mine.some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 >= recent);
    console.log(seen ? 'worker: polling' : `worker: no recent poll from ${hostname()} on ${config.TEMPORAL_TASK_QUEUE}`);
    return seen ? 0 : 1;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`worker: health check failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
