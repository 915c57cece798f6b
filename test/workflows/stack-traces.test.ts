import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import type { ProcessDefinition } from '../../definitions';
import { createWorker } from '../../worker/create-worker';
import { loadWorkflowCode } from '../../worker/workflow-code';
import { completeTaskUpdate } from '../../workflows/messages';
import { openTaskWhere, startProcess } from '../support/processes';
import { installQuietRuntime, workflowBundle } from '../support/system';
import { readTestEnv } from '../support/test-env';

// The worker's sandbox without stack traces (the default, WORKFLOW_STACK_TRACES=false)
// and with them: the same prebuilt bundle, loaded both ways; processes run alike,
// only the `__stack_trace` query (the Temporal UI's stack view) tells them apart.

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let dir: string;
const workers: { worker: Worker; running: Promise<void> }[] = [];

const oneTask: ProcessDefinition = {
  key: 'stack-traces',
  version: 1,
  title: 'One task',
  roles: ['sales_agent'],
  input: [],
  root: { kind: 'task', id: 'work', title: 'Work', role: 'sales_agent', due: { days: 1 } },
};

beforeAll(async () => {
  installQuietRuntime();
  const where = readTestEnv();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: where.testServerPath } } });
  prisma = createPrismaClient(where.databaseUrl);
  dir = mkdtempSync(join(tmpdir(), 'stack-traces-'));
  const codePath = join(dir, 'workflow-bundle.js');
  writeFileSync(codePath, (await workflowBundle()).code);
  for (const stackTraces of [false, true]) {
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: `stack-traces-${stackTraces}`,
      prisma,
      workflowBundle: await loadWorkflowCode({ source: 'prebuilt', codePath }, { stackTraces }),
    });
    workers.push({ worker, running: worker.run() });
  }
});

afterAll(async () => {
  for (const { worker, running } of workers) {
    worker.shutdown();
    await running;
  }
  await prisma?.$disconnect();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

test.each([
  ['off', 'records none', false],
  ['on', 'shows where a waiting process stands', true],
])('stack traces %s: the sandbox %s and runs the process alike', async (_label, _shows, stackTraces) => {
  const { processId, handle } = await startProcess(env.client, `stack-traces-${stackTraces}`, oneTask);
  const task = await openTaskWhere(prisma, { processId });
  const trace = await handle.query<string>('__stack_trace');
  if (stackTraces) {
    // The walk waits in the human task's deadline wait, named by the TypeScript source.
    expect(trace).toMatch(/human-tasks\.ts/);
  } else {
    expect(trace).not.toMatch(/\bat\b/);
  }
  await handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: task.id, outcome: 'done', data: {}, actor: { userId: null, username: 'tester' } }],
  });
  expect((await handle.result()).status).toBe('completed');
  expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).status).toBe('completed');
});
