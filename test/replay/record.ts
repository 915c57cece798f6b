import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../config/env';
import { createPrismaClient } from '../../db/client';
import { ensureDatabase, migrate } from '../../db/migrate';
import { seedDemo } from '../../scripts/seed';
import { resolveTestServer } from '../../scripts/temporal-server';
import { createWorker } from '../../worker/create-worker';
import { installQuietRuntime, workflowBundle } from '../support/system';
import { SCENARIOS, scenarioInput } from './scenarios';

/**
 * `npm run replay:record`: runs every scenario on the time-skipping server and
 * writes its history to `test/replay/histories/`. Run it when a definition or the
 * interpreter changes on purpose; commit the files. The replay test then fails on
 * any later change that would break instances running on the recorded code.
 */
async function main(): Promise<void> {
  installQuietRuntime();
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_record' });
  await ensureDatabase(config.DATABASE_URL);
  await migrate(config.DATABASE_URL);
  const prisma = createPrismaClient(config.DATABASE_URL);
  await seedDemo(prisma, `record-${randomUUID()}`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolveTestServer() } },
  });
  const taskQueue = `record-${randomUUID()}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    prisma,
    workflowBundle: await workflowBundle(),
  });
  const dir = join(__dirname, 'histories');
  mkdirSync(dir, { recursive: true });
  await worker.runUntil(async () => {
    for (const scenario of SCENARIOS) {
      const processId = `${scenario.definition.key}:${scenario.name}-${randomUUID().slice(0, 8)}`;
      const handle = await env.client.workflow.start('processInterpreter', {
        workflowId: processId,
        taskQueue,
        args: [scenarioInput(scenario, processId)],
      });
      await scenario.drive({ env, prisma, handle, processId });
      await handle.result();
      const file = join(dir, `${scenario.definition.key}@${scenario.definition.version}.${scenario.name}.json`);
      // Protobuf binary, base64: the SDK's historyToJSON trips over the two protobufjs
      // copies npm installs side by side here, and the binary form round-trips exactly.
      const encoded = temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish();
      writeFileSync(
        file,
        `${JSON.stringify({ workflowId: processId, encoding: 'protobuf/base64', history: Buffer.from(encoded).toString('base64') }, null, 2)}\n`,
      );
      console.log(`recorded ${file}`);
    }
  });
  await prisma.$disconnect();
  await env.teardown();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
