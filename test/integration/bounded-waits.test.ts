import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { loadConfig } from '../../config/env';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { startApi, type RunningApi } from '../../api/server';
import { DEMO_USERS } from '../../scripts/seed';
import { createWorker } from '../../worker/create-worker';
import { eventually, http, installQuietRuntime, workflowBundle } from '../support/system';
import { readTestEnv, type TestEnv } from '../support/test-env';

// Issue 13: a request that waits on a workflow answers within HTTP_WORKFLOW_TIMEOUT_MS
// even when no worker runs (503 + Retry-After), and the same Idempotency-Key later
// acts once. The worker is started and stopped by this file, on a queue of its own.

const TIMEOUT_MS = 1500;
/** What the bound may overrun by: the database work before and after the Temporal call. */
const SLACK_MS = 1500;

let env: TestEnv;
let prisma: PrismaClient;
let api: RunningApi;
let connection: NativeConnection;
let worker: { worker: Worker; running: Promise<void> } | undefined;
const taskQueue = `bounded-${randomUUID()}`;

async function startWorker(): Promise<void> {
  const w = await createWorker({ connection, namespace: 'default', taskQueue, prisma, workflowBundle: await workflowBundle() });
  worker = { worker: w, running: w.run() };
}

async function stopWorker(): Promise<void> {
  if (!worker) return;
  worker.worker.shutdown();
  await worker.running;
  worker = undefined;
}

async function login(username: string): Promise<string> {
  const res = await http<{ token: string }>(api.url, 'POST', '/api/auth/login', { body: { username, password: env.password } });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** Starts a two-level approval as the supervisor and waits for its first open task. */
async function startApproval(subject: string) {
  const supervisor = await login('supervisor');
  const started = await http(api.url, 'POST', '/api/processes', {
    token: supervisor,
    body: { definition: 'two-level-approval', projectId: 'DEMO', input: { subject } },
  });
  expect(started.status).toBe(201);
  const processId = started.body.id as string;
  const task = await eventually(async () => (await prisma.task.findFirst({ where: { processId, status: 'open' } })) ?? undefined);
  return { supervisor, processId, task };
}

beforeAll(async () => {
  installQuietRuntime();
  env = readTestEnv();
  prisma = createPrismaClient(env.databaseUrl);
  connection = await NativeConnection.connect({ address: env.temporalAddress });
  await startWorker();
  api = await startApi(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PORT: '0',
      HTTP_WORKFLOW_TIMEOUT_MS: String(TIMEOUT_MS),
      LOG_LEVEL: 'silent',
    }),
  );
});

afterAll(async () => {
  await api?.close();
  await stopWorker();
  await connection?.close();
  await prisma?.$disconnect();
});

test('without a worker a task completion answers 503 with Retry-After in time; with one, the same key completes once', async () => {
  const { supervisor, processId, task } = await startApproval('bounded waits');
  const assignee = Object.entries(DEMO_USERS).find(([, u]) => u.role === task.assigneeRole)![0];
  const token = await login(assignee);

  await stopWorker();
  const key = randomUUID();
  const complete = () =>
    http(api.url, 'POST', `/api/tasks/${task.id}/complete`, {
      token,
      body: { outcome: 'approve', data: { comment: 'bounded' } },
      headers: { 'Idempotency-Key': key },
    });

  for (let attempt = 0; attempt < 2; attempt++) {
    const t0 = Date.now();
    const res = await complete();
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  }

  // A query without a worker is bounded too; the stored state still answers.
  const t0 = Date.now();
  const shown = await http(api.url, 'GET', `/api/processes/${encodeURIComponent(processId)}`, { token: supervisor });
  expect(shown.status).toBe(200);
  expect(Date.now() - t0).toBeLessThan(TIMEOUT_MS + SLACK_MS);

  await startWorker();
  // A client repeats the request with the same key until it gets an answer.
  const done = await eventually(
    async () => {
      const res = await complete();
      if (res.status === 503) return undefined;
      return res;
    },
    30_000,
    'the completion once a worker runs',
  );
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ taskId: task.id, processId });
  const again = await complete();
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ taskId: task.id, outcome: 'approve' });

  const row = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
  expect(row).toMatchObject({ status: 'completed', outcome: 'approve', completionRequestId: key });
  const process = await prisma.processInstance.findUniqueOrThrow({ where: { id: processId }, include: { events: true } });
  expect(process.events.filter((e) => e.type === 'task.completed' && e.taskId === task.id)).toHaveLength(1);
});

test('a repeat after Temporal lost an accepted completion reaches the workflow instead of being answered from the row', async () => {
  // The state a Temporal server killed at the wrong moment leaves: the completion's
  // local activity committed the task row, its history entry and audit row, but the
  // server died before it persisted the workflow task that accepted the Update, so
  // the workflow never heard of it. The client saw an error and repeats with its key.
  const { supervisor, processId, task } = await startApproval('lost update');
  const user = await prisma.user.findUniqueOrThrow({ where: { username: 'supervisor' } });
  const key = randomUUID();
  await createActivities({ prisma }).completeTask({
    processId,
    taskId: task.id,
    taskKey: task.taskKey,
    stepId: task.stepId,
    outcome: 'approve',
    data: { comment: 'lost' },
    actor: { userId: user.id, username: user.username },
    requestId: key,
    at: Date.now(),
  });

  const repeated = await http(api.url, 'POST', `/api/tasks/${task.id}/complete`, {
    token: supervisor,
    body: { outcome: 'approve', data: { comment: 'lost' } },
    headers: { 'Idempotency-Key': key },
  });
  expect(repeated.status).toBe(200);
  expect(repeated.body).toMatchObject({ taskId: task.id, outcome: 'approve', processId });
  // The workflow took it and moved on to the general manager's step ...
  const next = await eventually(
    async () => (await prisma.task.findFirst({ where: { processId, status: 'open', NOT: { id: task.id } } })) ?? undefined,
    15_000,
    'the next step after the repeated completion',
  );
  expect(next.assigneeRole).toBe('general_manager');
  // ... and the completion is still recorded once.
  const events = await prisma.processEvent.count({ where: { processId, type: 'task.completed', taskId: task.id } });
  const audit = await prisma.auditEvent.count({ where: { action: 'task.complete', objectId: task.id } });
  expect({ events, audit }).toEqual({ events: 1, audit: 1 });
});

test('a task row the workflow has not (re)created yet answers 503 to be repeated, not 409', async () => {
  // A worker or server that dies after `createTask` committed its row but before Temporal
  // recorded the workflow task leaves a row the workflow creates again only when it has
  // replayed to that step (with the same id); a completion arriving before then is
  // refused by the validator as an unknown task. Here a row of an id of its own holds
  // that state still.
  const { supervisor, processId, task: real } = await startApproval('engine behind');
  const ahead = randomUUID();
  await createActivities({ prisma }).createTask({
    processId,
    taskId: ahead,
    taskKey: `${real.taskKey}-ahead`,
    stepId: real.stepId,
    title: real.title,
    role: real.assigneeRole,
    assigneeUserId: null,
    outcomes: ['approve', 'reject'],
    form: [],
    recordKind: null,
    dueAt: real.dueAt.getTime(),
    at: Date.now(),
  });
  const res = await http(api.url, 'POST', `/api/tasks/${ahead}/complete`, {
    token: supervisor,
    body: { outcome: 'approve', data: {} },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: 'unavailable' });
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
});
