import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startApi } from '../api/server';
import { loadConfig } from '../config/env';
import { createPrismaClient, type PrismaClient } from '../db/client';
import { migrate } from '../db/migrate';
import type { ProcessDefinition } from '../definitions';
import { seedDemo } from '../scripts/seed';
import { resolveTemporalCli, startDevServer } from '../scripts/temporal-server';
import { freePort, recreateDatabase } from '../test/support/global-setup';
import { startProcess } from '../test/support/processes';
import { createWorker } from '../worker/create-worker';
import { WORKFLOWS_PATH } from '../worker/workflow-code';
import { bundleAsTheWorker, inBatches } from './support';

/**
 * `npm run bench:notify`: 10,000 reminders falling due at once, delivered in-app by
 * the dispatcher running in its own worker process (`worker/main.ts`, as in
 * production), while people complete tasks through the API. Prints the time to
 * deliver them all and the task-completion latency (median, p99) without and with
 * that load, side by side: the dispatcher flat out (NOTIFY_DUTY_CYCLE=1) and with its
 * default rest. Figures only; nothing is asserted. Sizes:
 * BENCH_REMINDERS (default 10000), BENCH_COMPLETIONS (per phase, default 300),
 * BENCH_CONCURRENCY (completions in flight, default 4).
 */
const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const RECIPIENTS = 100;
const ROOT = join(__dirname, '..');

const oneTask: ProcessDefinition = {
  key: 'bench-complete',
  version: 1,
  title: 'One task to complete',
  roles: ['sales_supervisor'],
  input: [],
  root: { kind: 'task', id: 'do', title: 'Do it', role: 'sales_supervisor', due: { days: 3 } },
};

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** Starts the production worker process (Temporal worker + notification dispatcher) and waits until it polls. */
function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // Its SDK log (state changes) would drown the figures.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker: polling')) resolve(child);
    });
  });
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_bench_notify';
  await recreateDatabase(databaseUrl);
  await migrate(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  const password = `bench-${randomUUID()}`;
  await seedDemo(prisma, password);

  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('no Temporal CLI');
  const server = await startDevServer({ cli, port: await freePort() });
  const taskQueue = `bench-${randomUUID()}`;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: '0',
    // A line per request would drown the figures.
    LOG_LEVEL: 'warn',
  });
  const api = await startApi(config);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: server.address });
  const bundle = await bundleAsTheWorker(WORKFLOWS_PATH);
  const worker = await createWorker({ connection: native, namespace: 'default', taskQueue, prisma, workflowBundle: bundle });
  // The dispatcher's process: the real worker entry point on a queue of its own, so
  // its share of the machine is what a worker process would take in production. One
  // per loaded phase, with the duty cycle that phase measures.
  const dispatcherFor = (duty: string) =>
    startWorkerProcess({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: `bench-dispatcher-${randomUUID()}`,
      NOTIFY_DISPATCHER: 'true',
      NOTIFY_POLL_MS: '200',
      NOTIFY_BATCH_SIZE: process.env.NOTIFY_BATCH_SIZE ?? '200',
      NOTIFY_DUTY_CYCLE: duty,
    });
  const stopProcess = async (child: ChildProcess) => {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  };

  const login = await fetch(`${api.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'supervisor', password }),
  });
  const { token } = (await login.json()) as { token: string };

  /** Starts `n` one-task processes and returns their open task ids once all exist. */
  async function openTasks(n: number): Promise<string[]> {
    const ids = await inBatches(
      n,
      async () => (await startProcess(client, taskQueue, oneTask, { startedBy: { userId: null, username: 'bench' } })).processId,
    );
    for (;;) {
      const tasks = await prisma.task.findMany({ where: { processId: { in: ids }, status: 'open' }, select: { id: true } });
      if (tasks.length === n) return tasks.map((t) => t.id);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Completes the tasks through the API, CONCURRENCY at a time; returns each call's latency in ms. */
  async function complete(taskIds: string[]): Promise<number[]> {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < taskIds.length) {
          const id = taskIds[next++]!;
          const started = performance.now();
          const res = await fetch(`${api.url}/api/tasks/${id}/complete`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ outcome: 'done' }),
          });
          await res.text();
          if (res.status !== 200) throw new Error(`completion answered ${res.status}`);
          latencies.push(performance.now() - started);
        }
      }),
    );
    return latencies;
  }

  /**
   * One loaded phase: REMINDERS reminders fall due at once while COMPLETIONS tasks are
   * completed; the dispatcher runs with duty cycle `duty`. Returns the delivery time
   * and the completions' latencies.
   */
  async function loadedPhase(duty: string, tag: string) {
    const dispatcher = await dispatcherFor(duty);
    const loadTasks = await openTasks(COMPLETIONS);
    await idle(prisma);
    const loadProcess = await createReminderLoad(prisma, REMINDERS, tag);
    const t0 = performance.now();
    // The reminders become due "at once": one transaction writes them, exactly as
    // the reminder activity does for each (a typed task.reminder message per task).
    await prisma.$executeRaw`
      INSERT INTO outbox_messages (channel, recipient, subject, body, dedupe_key, kind, project_id, process_id, task_id, role, payload)
      SELECT 'role', 'sales_agent', 'Task due', '', 'bench:' || t.id, 'task.reminder', 'DEMO', t.process_id, t.id, 'sales_agent',
             jsonb_build_object('dueAt', t.due_at)
      FROM tasks t JOIN process_instances p ON p.id = t.process_id
      WHERE p.definition_key = ${loadProcess}`;
    const loaded = complete(loadTasks).then((l) => ({ latencies: l, ms: performance.now() - t0 }));
    const ofThisPhase = { kind: 'task.reminder', processId: { startsWith: `${loadProcess}:` } };
    while ((await prisma.notification.count({ where: ofThisPhase })) < REMINDERS) await new Promise((r) => setTimeout(r, 100));
    const deliverMs = performance.now() - t0;
    const underLoad = await loaded;
    await stopProcess(dispatcher);
    return { deliverMs, ...underLoad };
  }

  await worker.runUntil(async () => {
    // The baseline: the dispatcher sends only the new-task messages, as on a quiet day.
    const quiet = await dispatcherFor(String(loadConfig({ DATABASE_URL: databaseUrl }).NOTIFY_DUTY_CYCLE));
    await idle(prisma);
    // Warm-up: connections, caches, the workflow cache.
    await complete(await openTasks(50));

    const baselineTasks = await openTasks(COMPLETIONS);
    await idle(prisma);
    const baseline = await complete(baselineTasks);
    await idle(prisma);
    await stopProcess(quiet);
    // The dispatcher working flat out (as before NOTIFY_DUTY_CYCLE), then with the default rest.
    const flat = await loadedPhase('1', 'a');
    const paced = await loadedPhase(String(loadConfig({ DATABASE_URL: databaseUrl }).NOTIFY_DUTY_CYCLE), 'b');

    const row = (label: string, f: (xs: number[]) => number) =>
      `  ${label.padEnd(19)}${fmt(f(baseline))}   ${fmt(f(flat.latencies))}   ${fmt(f(paced.latencies))}   ${ratio(f(flat.latencies), f(baseline))}   ${ratio(f(paced.latencies), f(baseline))}`;
    console.log(`\n${REMINDERS} reminders due at once, ${RECIPIENTS} recipients, delivered in-app by the dispatcher in a worker process:`);
    for (const [label, phase] of [
      ['flat out (duty 1)', flat],
      [`default (duty ${loadConfig({ DATABASE_URL: databaseUrl }).NOTIFY_DUTY_CYCLE})`, paced],
    ] as const) {
      console.log(
        `  ${label.padEnd(22)} all delivered in ${(phase.deliverMs / 1000).toFixed(1).padStart(5)} s (${Math.round((REMINDERS / phase.deliverMs) * 1000)} per second)`,
      );
    }
    console.log(`\nTask completion through the API (${COMPLETIONS} per phase, ${CONCURRENCY} in flight):`);
    console.log('                     no reminders   flat out      default       flat/none  default/none');
    console.log(row('median', (xs) => pct(xs, 50)));
    console.log(row('p99', (xs) => pct(xs, 99)));
    console.log(row('max', (xs) => Math.max(...xs)));
  });

  await api.close();
  await native.close();
  await connection.close();
  await prisma.$disconnect();
  await server.stop();
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2).padStart(6)}×   `;

/** Waits until the dispatcher has nothing left to do. */
async function idle(prisma: PrismaClient): Promise<void> {
  for (;;) {
    const [outbox, pending] = await Promise.all([
      prisma.outboxMessage.count({ where: { sentAt: null, kind: { not: null } } }),
      prisma.notificationDelivery.count({ where: { status: 'pending' } }),
    ]);
    if (outbox + pending === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The rows the reminders are about: RECIPIENTS agents in the demo project and
 * `n` open tasks, each claimed by one of them (so each reminder has one recipient).
 */
async function createReminderLoad(prisma: PrismaClient, n: number, tag: string): Promise<string> {
  const definitionKey = `bench-load-${tag}`;
  const users = Array.from({ length: RECIPIENTS }, (_, i) => ({
    id: randomUUID(),
    username: `bench-agent-${tag}-${i}`,
    displayName: `Bench agent ${i}`,
    passwordHash: 'not-a-hash',
  }));
  await prisma.user.createMany({ data: users });
  await prisma.userRole.createMany({ data: users.map((u) => ({ userId: u.id, roleName: 'sales_agent' })) });
  await prisma.projectMember.createMany({ data: users.map((u) => ({ userId: u.id, projectId: 'DEMO' })) });
  const processes = Array.from({ length: Math.ceil(n / 100) }, () => `${definitionKey}:${randomUUID()}`);
  await prisma.processInstance.createMany({
    data: processes.map((id) => ({
      id,
      projectId: 'DEMO',
      definitionKey,
      definitionVersion: 1,
      title: 'Load',
      status: 'running',
      input: {},
    })),
  });
  const dueAt = new Date(Date.now() + 3600_000);
  for (let i = 0; i < n; i += 2000) {
    await prisma.task.createMany({
      data: Array.from({ length: Math.min(2000, n - i) }, (_, j) => ({
        processId: processes[Math.floor((i + j) / 100)]!,
        taskKey: `t${i + j}`,
        stepId: 'follow-up',
        title: `Follow up visitor ${i + j}`,
        originalRole: 'sales_agent',
        assigneeRole: 'sales_agent',
        assigneeUserId: users[(i + j) % RECIPIENTS]!.id,
        status: 'open',
        dueAt,
        outcomes: ['done'],
      })),
    });
  }
  return definitionKey;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
