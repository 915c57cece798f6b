import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { createPrismaClient } from '../db/client';
import { migrate } from '../db/migrate';
import type { ProcessDefinition } from '../definitions';
import { seedDemo } from '../scripts/seed';
import { resolveTemporalCli, startDevServer } from '../scripts/temporal-server';
import { freePort, recreateDatabase } from '../test/support/global-setup';
import { cpuByPart, formatCpu, perInstance, type Part } from './cpu-meter';
import * as floorActivities from './floor/activities';
import { finishUpdate, floorWithActivity, floorWorkflow } from './floor/workflows';

/**
 * `npm run bench:e2e`: the product path against Temporal's own floor, side by side
 * on one dev server in one run. (a) Through real HTTP as a signed-in user: start a
 * one-task process, get its task, complete it — with the API and the worker as
 * their own processes, as `npm start` runs them. (b) A minimal workflow started,
 * given one Update and ended, with its own worker. (c) The same with one no-op
 * activity in the Update handler. Each at rising concurrency until throughput
 * stops rising. Prints figures; asserts nothing. Machines are noisy: read the
 * ratios. BENCH_SECONDS (per level, default 6); BENCH_CPU_PROF=<dir> profiles the
 * worker and the APIs; BENCH_DUMP_HISTORY=1 lists each event of the histories costed.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const LEVELS = [1, 2, 4, 8, 16, 32, 48, 64, 96];
const PASSWORD = 'bench-password-0123';

const oneTask: ProcessDefinition = {
  key: 'bench-one-task',
  version: 1,
  title: 'One task',
  roles: ['sales_supervisor'],
  input: [{ name: 'n', type: 'integer' }],
  root: { kind: 'task', id: 'do', title: 'Do it', role: 'sales_supervisor', form: [{ name: 'ok', type: 'boolean' }], due: { days: 1 } },
};

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${ms(pct(s, 50))}  p95 ${ms(pct(s, 95))}  p99 ${ms(pct(s, 99))}`;
};

interface Level {
  concurrency: number;
  perSecond: number;
  latencies: Record<string, number[]>;
  /** CPU ms each instance cost in each part of the system. */
  cpu: Record<string, number>;
}

type Path = (latencies: Record<string, number[]>) => Promise<void>;

/**
 * Runs `one` with `concurrency` loops for SECONDS; returns instances per second,
 * the latencies it recorded and the CPU each instance cost in each of `parts`.
 */
async function level(concurrency: number, one: Path, parts: Record<string, Part>): Promise<Level> {
  const latencies: Record<string, number[]> = {};
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  const cpuBefore = cpuByPart(parts);
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await one(latencies);
        done += 1;
      }
    }),
  );
  const perSecond = done / ((Date.now() - started) / 1000);
  return { concurrency, perSecond, latencies, cpu: perInstance(cpuBefore, cpuByPart(parts), done) };
}

/** One path under test: what it runs, where its CPU is counted, the levels it has run. */
interface Contender {
  name: string;
  one: Path;
  parts: Record<string, Part>;
  levels: Level[];
}

/**
 * Raises the concurrency of every contender until its throughput stops rising (two
 * levels without 5% more). The contenders take turns at each level rather than one
 * saturating after the other: the machine's speed drifts within a run (the floor alone
 * moved 46 -> 64 /s between runs of the same code), and taking turns puts every
 * contender's levels in the same stretch of time, so the drift falls on all alike.
 */
async function saturateInTurns(contenders: Contender[]): Promise<void> {
  const state = new Map(contenders.map((c) => [c, { best: 0, flat: 0 }]));
  for (const concurrency of LEVELS) {
    const running = contenders.filter((c) => state.get(c)!.flat < 2);
    if (running.length === 0) return;
    for (const c of running) {
      const l = await level(concurrency, c.one, c.parts);
      c.levels.push(l);
      console.log(`  ${c.name.padEnd(24)} concurrency ${String(concurrency).padStart(3)}: ${l.perSecond.toFixed(1).padStart(7)} /s`);
      const s = state.get(c)!;
      if (l.perSecond > s.best * 1.05) {
        s.best = l.perSecond;
        s.flat = 0;
      } else s.flat += 1;
    }
  }
}

const best = (levels: Level[]) => levels.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  // BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there as it exits (where its time goes).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function json(url: string, method: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
}

/** Events, activities (scheduled or local) and workflow tasks of one history. */
async function historyCost(handle: WorkflowHandle): Promise<{ events: number; bytes: number; activities: number; workflowTasks: number }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const T = temporal.api.enums.v1.EventType;
  if (process.env.BENCH_DUMP_HISTORY) {
    for (const e of events) console.log(`    ${T[e.eventType!]} ${temporal.api.history.v1.HistoryEvent.encode(e).finish().length} B`);
  }
  return {
    events: events.length,
    // What the server stores and hands to a worker that has not cached the instance.
    bytes: temporal.api.history.v1.History.encode({ events }).finish().length,
    activities: events.filter(
      (e) =>
        e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ||
        (e.eventType === T.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
    ).length,
    workflowTasks: events.filter((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length,
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('No Temporal CLI (npm run temporal:install)');
  const server = await startDevServer({ cli, port: await freePort() });
  const children: ChildProcess[] = [];
  try {
    const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_bench_e2e';
    await recreateDatabase(databaseUrl);
    await migrate(databaseUrl);
    const prisma = createPrismaClient(databaseUrl);
    await seedDemo(prisma, PASSWORD);
    const env = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: 'bench-e2e',
      NODE_ENV: 'production',
    };
    // One worker; two APIs, one starting instances with local bookkeeping (the
    // default) and one with remote activities as before, to measure the difference.
    const apiPort = await freePort();
    const remoteApiPort = await freePort();
    const [worker, productApi, remoteApiProcess] = [
      spawnNode('worker/main.ts', env),
      spawnNode('api/server.ts', { ...env, PORT: String(apiPort) }),
      spawnNode('api/server.ts', { ...env, PORT: String(remoteApiPort), WORKFLOW_BOOKKEEPING: 'remote' }),
    ];
    children.push(worker, productApi, remoteApiProcess);
    // Where each path's instances spend CPU: the server, our processes, Postgres.
    const postgres: Part = { command: 'postgres' };
    const temporalServer: Part = { tree: server.process.pid! };
    const productParts = {
      server: temporalServer,
      worker: { process: worker.pid! },
      api: { process: productApi.pid! },
      postgres,
      client: { process: process.pid },
    };
    const beforeParts = { ...productParts, api: { process: remoteApiProcess.pid! } };
    // The floor's worker runs in this process, beside its client.
    const floorParts = { server: temporalServer, 'worker+client': { process: process.pid }, postgres };
    const api = `http://127.0.0.1:${apiPort}`;
    const remoteApi = `http://127.0.0.1:${remoteApiPort}`;
    for (const url of [api, remoteApi]) {
      for (let i = 0; ; i++) {
        const health = await fetch(`${url}/health`).catch(() => undefined);
        if (health?.ok) break;
        if (i > 600) throw new Error('the API did not come up');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const admin = (await json(`${api}/api/auth/login`, 'POST', { username: 'admin', password: PASSWORD })).body.token as string;
    const published = await json(`${api}/api/definitions`, 'POST', { definition: oneTask }, admin);
    if (published.status >= 300) throw new Error(`publish: ${JSON.stringify(published.body)}`);
    const token = (await json(`${api}/api/auth/login`, 'POST', { username: 'supervisor', password: PASSWORD })).body.token as string;

    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });

    // (a) The product path through HTTP: `wait` asks the start to answer with the
    // first task (no polling); without it the client asks for the task until it is there.
    const productIds: string[] = [];
    const beforeIds: string[] = [];
    const productPath = (base: string, wait: boolean, ids: string[]) => async (lat: Record<string, number[]>) => {
      const t0 = performance.now();
      const started = await json(
        `${base}/api/processes${wait ? '?wait=true' : ''}`,
        'POST',
        { definition: 'bench-one-task', projectId: 'DEMO', input: { n: 1 } },
        token,
        { 'idempotency-key': randomUUID() },
      );
      if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
      const t1 = performance.now();
      const processId = started.body.id as string;
      ids.push(processId);
      // The first task: from the start's answer when it carries it, else by asking for it.
      let taskId: string | undefined = started.body.tasks?.[0]?.id;
      while (!taskId) {
        const tasks = await json(`${base}/api/tasks?processId=${encodeURIComponent(processId)}&status=open`, 'GET', undefined, token);
        taskId = tasks.body?.items?.[0]?.id;
        if (!taskId) await new Promise((r) => setTimeout(r, 5));
      }
      const t2 = performance.now();
      const completed = await json(`${base}/api/tasks/${taskId}/complete`, 'POST', { outcome: 'done', data: { ok: true } }, token, {
        'idempotency-key': randomUUID(),
      });
      if (completed.status !== 200) throw new Error(`complete: ${completed.status} ${JSON.stringify(completed.body)}`);
      const t3 = performance.now();
      (lat.start ??= []).push(t1 - t0);
      (lat.taskAvailable ??= []).push(t2 - t1);
      (lat.completion ??= []).push(t3 - t2);
    };

    // (b) and (c): the floor, with its own worker in this process.
    const floorConnection = await NativeConnection.connect({ address: server.address });
    const floorWorker = await Worker.create({
      connection: floorConnection,
      taskQueue: 'bench-floor',
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./floor/workflows'), logger: new DefaultLogger('WARN') }),
      activities: floorActivities,
    });
    const floorIds: string[] = [];
    const floor =
      (workflow: typeof floorWorkflow, ids: string[] = []): Path =>
      async (lat) => {
        const t0 = performance.now();
        const workflowId = `floor-${randomUUID()}`;
        const handle = await client.workflow.start(workflow, { taskQueue: 'bench-floor', workflowId });
        const t1 = performance.now();
        await handle.executeUpdate(finishUpdate, { args: ['bench'] });
        const t2 = performance.now();
        await handle.result();
        ids.push(workflowId);
        (lat.start ??= []).push(t1 - t0);
        (lat.update ??= []).push(t2 - t1);
      };

    console.log(`\nSaturating each path (${SECONDS} s per concurrency level, same dev server, same run, taking turns at each level):`);
    const contender = (name: string, one: Path, parts: Record<string, Part>): Contender => ({ name, one, parts, levels: [] });
    const contenders = {
      product: contender('product (HTTP)', productPath(api, true, productIds), productParts),
      before: contender('before: remote, polling', productPath(remoteApi, false, beforeIds), beforeParts),
      floor: contender('floor: start+update', floor(floorWorkflow, floorIds), floorParts),
      floorWithActivity: contender('floor: + one activity', floor(floorWithActivity), floorParts),
    };
    const { idle, idleBefore, idleFloor } = await floorWorker.runUntil(async () => {
      // Idle first: one at a time, the latencies a single user sees; after a warm-up
      // (bundles, caches, connections).
      for (const c of Object.values(contenders)) await level(1, c.one, c.parts);
      const idle = await level(1, contenders.product.one, productParts);
      const idleBefore = await level(1, contenders.before.one, beforeParts);
      const idleFloor = await level(1, contenders.floor.one, floorParts);
      await saturateInTurns(Object.values(contenders));
      return { idle, idleBefore, idleFloor };
    });
    const productLevels = contenders.product.levels;
    const p = best(productLevels);
    const b = best(contenders.before.levels);
    const f = best(contenders.floor.levels);
    const fa = best(contenders.floorWithActivity.levels);
    // Latencies at half of the product's maximum throughput: the level closest below it.
    const half = productLevels.filter((l) => l.perSecond <= p.perSecond / 2).pop() ?? productLevels[0]!;
    const cost = await historyCost(client.workflow.getHandle(productIds[productIds.length - 1]!));
    const costBefore = await historyCost(client.workflow.getHandle(beforeIds[beforeIds.length - 1]!));
    const costFloor = await historyCost(client.workflow.getHandle(floorIds[floorIds.length - 1]!));

    console.log('\nThroughput at saturation (instances per second):');
    console.log(`  product (HTTP, one-task process)   ${p.perSecond.toFixed(1).padStart(7)} /s  at concurrency ${p.concurrency}`);
    console.log(`  before (remote bookkeeping, polls) ${b.perSecond.toFixed(1).padStart(7)} /s  at concurrency ${b.concurrency}`);
    console.log(`  floor: start + Update + end        ${f.perSecond.toFixed(1).padStart(7)} /s  at concurrency ${f.concurrency}`);
    console.log(`  floor: + one no-op activity        ${fa.perSecond.toFixed(1).padStart(7)} /s  at concurrency ${fa.concurrency}`);
    console.log(`  ratio product / floor              ${(p.perSecond / f.perSecond).toFixed(2)}`);
    console.log(`  ratio product / floor+activity     ${(p.perSecond / fa.perSecond).toFixed(2)}`);
    console.log('\nCPU per instance at saturation, by part (ms; where the time goes):');
    console.log(`  product  ${formatCpu(p.cpu)}`);
    console.log(`  before   ${formatCpu(b.cpu)}`);
    console.log(`  floor    ${formatCpu(f.cpu)}`);
    console.log(`  floor+a  ${formatCpu(fa.cpu)}`);
    console.log(`  product, idle  ${formatCpu(idle.cpu)}`);
    console.log('\nLatency, idle (one at a time):');
    for (const [k, v] of Object.entries(idle.latencies)) console.log(`  ${k.padEnd(14)} ${summary(v)}`);
    console.log('Latency, idle, floor (start; one Update, the floor of a completion):');
    for (const [k, v] of Object.entries(idleFloor.latencies)) console.log(`  ${k.padEnd(14)} ${summary(v)}`);
    console.log('Latency, idle, before (remote bookkeeping, polling for the task):');
    for (const [k, v] of Object.entries(idleBefore.latencies)) console.log(`  ${k.padEnd(14)} ${summary(v)}`);
    console.log(`\nLatency at half the product's maximum (concurrency ${half.concurrency}, ${half.perSecond.toFixed(1)} /s):`);
    for (const [k, v] of Object.entries(half.latencies)) console.log(`  ${k.padEnd(14)} ${summary(v)}`);
    console.log(`\nFloor latency at saturation (concurrency ${f.concurrency}):`);
    for (const [k, v] of Object.entries(f.latencies)) console.log(`  ${k.padEnd(14)} ${summary(v)}`);
    const costLine = (c: typeof cost) =>
      `${c.events} history events (${(c.bytes / 1024).toFixed(1)} KiB), ${c.activities} activities, ${c.workflowTasks} workflow tasks`;
    console.log(`\nOne instance costs: product ${costLine(cost)};`);
    console.log(`  before ${costLine(costBefore)};`);
    console.log(`  floor ${costLine(costFloor)}.`);
    await floorConnection.close();
    await connection.close();
    await prisma.$disconnect();
  } finally {
    for (const child of children) child.kill('SIGTERM');
    // Time to exit cleanly (a profile is written on exit), then no more.
    const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null ? r(0) : child.once('exit', r)));
    await Promise.race([Promise.all(children.map(exited)), new Promise((r) => setTimeout(r, 10_000))]);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
