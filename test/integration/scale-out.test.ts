import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { Supervisor } from '../../scripts/supervisor';
import { expectAllCompleted, expectEachCompletedOnce, openTasks, oneTaskDefinition, pool } from '../support/completions';
import { freePort } from '../support/global-setup';
import { healthOk, ROOT } from '../support/npm-start';
import { eventually, http } from '../support/system';
import { readTestEnv, type TestEnv } from '../support/test-env';

// Issue 13's scale-out: two API processes and two workers, started from the entry
// points `npm start` supervises (`api/server.ts`, `worker/main.ts`), each API on its
// own port, both workers on one task queue, against one Temporal server and one
// database (the tests' own). Sessions, the sign-in limiter and task completions
// must behave as with one of each.

const PROCESSES = 40;
const MAX_FAILURES_PER_ADDRESS = 6;

let env: TestEnv;
let logDir: string;
let supervisor: Supervisor;
let prisma: PrismaClient;
let connection: Connection;
let client: Client;
const apis: string[] = [];
const taskQueue = `scale-out-${randomUUID()}`;

beforeAll(async () => {
  env = readTestEnv();
  logDir = mkdtempSync(join(tmpdir(), 'salesproc-scale-out-'));
  supervisor = new Supervisor({ log: () => undefined });
  const base = {
    ...process.env,
    DATABASE_URL: env.databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOGIN_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES_PER_ADDRESS),
    LOG_LEVEL: 'warn',
  };
  for (const name of ['a', 'b']) {
    const port = await freePort();
    apis.push(`http://127.0.0.1:${port}`);
    await supervisor.start({
      name: `api-${name}`,
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'api', 'server.ts')],
      env: { ...base, PORT: String(port) },
      cwd: ROOT,
      logFile: join(logDir, `api-${name}.log`),
    });
    await supervisor.start({
      name: `worker-${name}`,
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'worker', 'main.ts')],
      env: base,
      cwd: ROOT,
      logFile: join(logDir, `worker-${name}.log`),
    });
  }
  prisma = createPrismaClient(env.databaseUrl);
  connection = await Connection.connect({ address: env.temporalAddress });
  client = new Client({ connection });
  const logs = () => ['api-a', 'api-b', 'worker-a', 'worker-b'].map((n) => readFileSync(join(logDir, `${n}.log`), 'utf8')).join('\n');
  for (const api of apis) await eventually(() => healthOk(api), 120_000, `${api} healthy`).catch(failWith(logs));
  // Both workers poll the one task queue before any work is started.
  await eventually(async () => ((await workflowPollers()).length === 2 ? true : undefined), 120_000, 'two workers polling').catch(
    failWith(logs),
  );
}, 180_000);

afterAll(async () => {
  await supervisor?.stop();
  await connection?.close();
  await prisma?.$disconnect();
  rmSync(logDir, { recursive: true, force: true });
});

const failWith = (logs: () => string) => (err: Error) => {
  throw new Error(`${err.message}\n${logs()}`);
};

/** The identities (`pid@host`) polling the task queue for workflow tasks. */
async function workflowPollers(): Promise<string[]> {
  const res = await connection.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (res.pollers ?? []).map((p) => p.identity ?? '');
}

/** A documentation address (2001:db8::/32) of this test's own. */
const testAddress = () => `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
/**
 * The client address of this file's sign-ins. The failures the limiter counts are
 * shared through the database by every API on it, other test files' too: an address
 * of its own (the APIs trust X-Forwarded-For from loopback, as behind a local proxy)
 * keeps their failed sign-ins from 127.0.0.1 out of this file's counts.
 */
const HOME = testAddress();

async function login(api: string, username: string, password = env.password, address = HOME) {
  return http<{ token: string }>(api, 'POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': address } });
}

test('a session opened on one API works on the other, and signing out on either ends it on both', async () => {
  const [a, b] = apis as [string, string];
  const signedIn = await login(a, 'agent');
  expect(signedIn.status).toBe(200);
  const token = signedIn.body.token;
  expect((await http(b, 'GET', '/api/auth/me', { token })).body).toMatchObject({ username: 'agent' });
  expect((await http(b, 'POST', '/api/auth/logout', { token })).status).toBe(204);
  expect((await http(a, 'GET', '/api/auth/me', { token })).status).toBe(401);
  expect((await http(b, 'GET', '/api/auth/me', { token })).status).toBe(401);
});

test('the sign-in failure limiter counts the failures from one address on both APIs together', async () => {
  // Unknown user names, so no account lockout plays a part.
  const address = testAddress();
  for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
    const api = apis[i % 2]!;
    expect((await login(api, `nobody-${randomUUID()}`, 'wrong-password', address)).status).toBe(401);
  }
  // Each API saw only half of them; together they are the limit.
  for (const api of apis) {
    const refused = await login(api, 'agent', env.password, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  // Another address is not affected.
  expect((await login(apis[1]!, 'agent')).status).toBe(200);
});

test('completions spread over both APIs and both workers: every process completes, each task once', async () => {
  const admin = (await login(apis[0]!, 'admin')).body.token;
  const sup = await Promise.all(apis.map(async (api) => (await login(api, 'supervisor')).body.token));
  const definition = oneTaskDefinition(`scale-out-${randomUUID().slice(0, 8)}`);
  expect((await http(apis[0]!, 'POST', '/api/definitions', { token: admin, body: { definition } })).status).toBe(201);

  // Starts alternate between the APIs, completions too but on the other API than the start.
  const processIds: string[] = [];
  await pool(
    Array.from({ length: PROCESSES }, (_, i) => i),
    8,
    async (i) => {
      const res = await http(apis[i % 2]!, 'POST', '/api/processes?wait=true', {
        token: sup[i % 2]!,
        body: { definition: definition.key, projectId: 'DEMO', input: {} },
      });
      expect(res.status).toBe(201);
      processIds.push(res.body.id);
    },
  );
  const tasks = await openTasks(prisma, processIds);
  const keys = new Map(tasks.map((t) => [t.id, randomUUID()]));
  const byApi = [0, 0];
  await pool(tasks, 8, async (task, i) => {
    const side = (i + 1) % 2;
    const complete = () =>
      http(apis[side]!, 'POST', `/api/tasks/${task.id}/complete`, {
        token: sup[side]!,
        body: { outcome: 'done', data: {} },
        headers: { 'idempotency-key': keys.get(task.id)! },
      });
    const res = await complete();
    expect(res.status).toBe(200);
    // The same key on the other API is the same completion.
    const again = await http(apis[1 - side]!, 'POST', `/api/tasks/${task.id}/complete`, {
      token: sup[1 - side]!,
      body: { outcome: 'done', data: {} },
      headers: { 'idempotency-key': keys.get(task.id)! },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ taskId: task.id, outcome: 'done' });
    byApi[side]! += 1;
  });
  expect(byApi).toEqual([PROCESSES / 2, PROCESSES / 2]);

  await expectAllCompleted(prisma, client, processIds);
  await expectEachCompletedOnce(prisma, processIds, keys);

  // Both workers did the work: the workflow tasks of these processes were completed by both identities.
  const identities = new Set<string>();
  for (const id of processIds) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    for (const e of events) {
      const identity = e.workflowTaskCompletedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
  }
  const workers = ['worker-a', 'worker-b'].map((n) => `${supervisor.pid(n)}@${hostname()}`);
  expect([...identities].sort()).toEqual(workers.sort());
});
