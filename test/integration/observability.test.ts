import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { startApi, type RunningApi } from '../../api/server';
import { loadConfig } from '../../config/env';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { http, installQuietRuntime } from '../support/system';
import { readTestEnv, type TestEnv } from '../support/test-env';

// Issue 13: one structured log line per request with its request id, route, user and
// status; /metrics with the route latency histogram and business gauges that match a
// known state of the database, refused (404) without the token.

const METRICS_TOKEN = 'metrics-token-for-tests-0123';
const lines: Record<string, unknown>[] = [];
/** Collects the API's JSON log lines. */
const capture: DestinationStream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };

let env: TestEnv;
let prisma: PrismaClient;
let api: RunningApi;

beforeAll(async () => {
  installQuietRuntime();
  env = readTestEnv();
  prisma = createPrismaClient(env.databaseUrl);
  api = await startApi(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: `obs-${randomUUID()}`,
      PORT: '0',
      LOG_LEVEL: 'info',
      METRICS_TOKEN,
    }),
    { logDestination: capture },
  );
});

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
});

async function login(username: string): Promise<string> {
  const res = await http<{ token: string }>(api.url, 'POST', '/api/auth/login', { body: { username, password: env.password } });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** The request's line, once written (pino-http writes it when the response finishes). */
async function lineOf(requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const line = lines.find((l) => (l.req as { id?: string } | undefined)?.id === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log line for request ${requestId}`);
}

test('a request is logged once with its request id, route, user, status and time; the id is echoed', async () => {
  const token = await login('supervisor');
  const res = await http(api.url, 'GET', '/api/tasks?mine=true', { token, headers: { 'X-Request-Id': 'obs-req-0001' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe('obs-req-0001');
  const line = await lineOf('obs-req-0001');
  expect(line).toMatchObject({
    level: 30,
    name: 'api',
    route: 'tasks.list',
    user: 'supervisor',
    userId: expect.any(String),
    req: { id: 'obs-req-0001', method: 'GET', url: '/api/tasks?mine=[redacted]' },
    res: { statusCode: 200 },
    responseTime: expect.any(Number),
  });
  expect(lines.filter((l) => (l.req as { id?: string } | undefined)?.id === 'obs-req-0001')).toHaveLength(1);
  expect(JSON.stringify(lines)).not.toContain(token);

  // No usable id from the client: one is made up and returned.
  const other = await http(api.url, 'GET', '/api/tasks/00000000-0000-4000-8000-000000000000', {
    token,
    headers: { 'X-Request-Id': 'not ok\tid' },
  });
  expect(other.status).toBe(404);
  const made = other.headers.get('x-request-id')!;
  expect(made).toMatch(/^[0-9a-f-]{36}$/);
  expect(await lineOf(made)).toMatchObject({ level: 40, route: 'tasks.show', taskId: '00000000-0000-4000-8000-000000000000' });
});

test('/metrics answers 404 without the token, and with it shows route latencies and business gauges of a known state', async () => {
  expect((await http(api.url, 'GET', '/metrics')).status).toBe(404);
  expect((await http(api.url, 'GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(404);

  // A project and a definition of this test's own, so other files' rows do not count.
  const project = `OBS${randomUUID().slice(0, 8)}`;
  const definition = `obs-${randomUUID().slice(0, 8)}`;
  await prisma.project.create({ data: { id: project, name: 'Observability' } });
  const processRow = (status: string) => ({
    id: `${definition}:${randomUUID()}`,
    projectId: project,
    definitionKey: definition,
    definitionVersion: 1,
    title: 'Observability',
    status,
    input: {},
  });
  const running = [processRow('running'), processRow('running'), processRow('failing'), processRow('completed')];
  await prisma.processInstance.createMany({ data: running });
  const hour = 3_600_000;
  const task = (key: string, fields: Record<string, unknown>) => ({
    processId: running[0]!.id,
    taskKey: key,
    stepId: key,
    title: key,
    originalRole: 'sales_agent',
    assigneeRole: 'sales_agent',
    status: 'open',
    dueAt: new Date(Date.now() + hour),
    outcomes: ['done'],
    ...fields,
  });
  await prisma.task.createMany({
    data: [
      task('on-time', {}),
      task('overdue', { dueAt: new Date(Date.now() - hour) }),
      // A paused deadline does not run out.
      task('paused', { dueAt: new Date(Date.now() - hour), pausedAt: new Date() }),
      task('escalated', { assigneeRole: 'sales_supervisor', escalationLevel: 1, dueAt: new Date(Date.now() - hour) }),
      task('done', { status: 'completed' }),
    ],
  });

  const res = await http<string>(api.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = res.body;
  const value = (name: string, labels: string) => {
    const match = new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  expect(value('salesproc_tasks_open', `role="sales_agent",project="${project}"`)).toBe(3);
  expect(value('salesproc_tasks_overdue', `role="sales_agent",project="${project}"`)).toBe(1);
  expect(value('salesproc_tasks_escalated', `role="sales_agent",project="${project}"`)).toBe(0);
  expect(value('salesproc_tasks_open', `role="sales_supervisor",project="${project}"`)).toBe(1);
  expect(value('salesproc_tasks_overdue', `role="sales_supervisor",project="${project}"`)).toBe(1);
  expect(value('salesproc_tasks_escalated', `role="sales_supervisor",project="${project}"`)).toBe(1);
  expect(value('salesproc_processes_running', `definition="${definition}",status="running"`)).toBe(2);
  expect(value('salesproc_processes_running', `definition="${definition}",status="failing"`)).toBe(1);
  expect(text).not.toContain(`definition="${definition}",status="completed"`);
  // The first test's requests, by route id.
  expect(value('http_request_duration_seconds_count', 'route="tasks.list",method="GET",status="200"')).toBeGreaterThanOrEqual(1);
  expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.1",route="tasks\.list",method="GET",status="200"\} \d+$/m);
  expect(text).toContain('process_cpu_seconds_total');

  // Counted on each scrape: a task completed since disappears from the open count.
  await prisma.task.updateMany({ where: { processId: running[0]!.id, taskKey: 'on-time' }, data: { status: 'completed' } });
  const again = await http<string>(api.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(new RegExp(`^salesproc_tasks_open\\{role="sales_agent",project="${project}"\\} 2$`, 'm').test(again.body)).toBe(true);
});
