import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createPrismaClient } from '../db/client';
import { migrate } from '../db/migrate';
import type { ProcessDefinition } from '../definitions';
import { seedDemo } from '../scripts/seed';
import { resolveTemporalCli, startDevServer } from '../scripts/temporal-server';
import { recreateDatabase, freePort } from '../test/support/global-setup';
import { createWorker } from '../worker/create-worker';
import type { ProcessInput } from '../workflows/messages';
import { processInput } from '../test/support/processes';
import { floorWorkflow } from './floor/workflows';
import { bundleAsTheWorker, inBatches, stackTraces } from './support';
import { handWrittenTenSteps, processInterpreter } from './workflows';

/**
 * `npm run bench`: how many waiting instances one worker holds per GiB; then the
 * interpreter's overhead against a hand-written workflow doing the same ten
 * activity calls, side by side on one dev server in one run. Prints figures only;
 * nothing here asserts a time. Sizes: BENCH_RUNS (instances per round, default 40),
 * BENCH_WAITING (waiting instances, default 1000).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WAITING = Number(process.env.BENCH_WAITING ?? 1000);
const ROUNDS = 3;

const tenSteps: ProcessDefinition = {
  key: 'bench-ten-steps',
  version: 1,
  title: 'Ten steps',
  roles: ['sales_agent'],
  input: [],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: Array.from({ length: 10 }, (_, i) => ({
      kind: 'activity' as const,
      id: `step${i + 1}`,
      activity: 'echo',
      input: { n: { value: i + 1 } },
    })),
  },
};

const waitingTask: ProcessDefinition = {
  key: 'bench-waiting',
  version: 1,
  title: 'One task, waiting',
  roles: ['sales_agent', 'sales_supervisor'],
  input: [],
  root: {
    kind: 'task',
    id: 'visit',
    title: 'Follow up',
    role: 'sales_agent',
    due: { days: 3 },
    deadline: { remindAt: [0.5], escalate: [{ atFraction: 1, toRole: 'sales_supervisor' }] },
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_bench';
  await recreateDatabase(databaseUrl);
  await migrate(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  await seedDemo(prisma, `bench-${randomUUID()}`);

  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('no Temporal CLI');
  const server = await startDevServer({ cli, port: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: server.address });
  const bundle = await bundleAsTheWorker(require.resolve('./workflows'));
  console.log(`Workflow sandbox stack traces: ${stackTraces ? 'on' : 'off (the default)'}`);
  const taskQueue = `bench-${randomUUID()}`;
  // Keep every waiting instance in the worker's cache: the memory figure is the worst case.
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    prisma,
    workflowBundle: bundle,
    maxCachedWorkflows: WAITING + 100,
  });

  const input = (processId: string, definition: ProcessDefinition, bookkeeping: 'local' | 'remote'): ProcessInput =>
    processInput(definition, { processId, startedBy: { userId: null, username: 'bench' }, bookkeeping });

  /** Runs RUNS instances at once, to completion; returns wall ms and workflow tasks per instance. */
  async function round(kind: 'interpreter' | 'hand-written'): Promise<{ ms: number; tasks: number }> {
    const started = Date.now();
    const ids = await Promise.all(
      Array.from({ length: RUNS }, async () => {
        const id = `bench-${kind}-${randomUUID()}`;
        // Remote bookkeeping, as the hand-written workflow does: the comparison is like for like.
        const options = { workflowId: id, taskQueue, args: [input(id, tenSteps, 'remote')] as [ProcessInput] };
        // Both by reference, so the arguments are type-checked; the worker runs the benchmark's bundle.
        const handle =
          kind === 'interpreter'
            ? await client.workflow.start(processInterpreter, options)
            : await client.workflow.start(handWrittenTenSteps, options);
        await handle.result();
        return id;
      }),
    );
    const ms = Date.now() - started;
    const sample = await client.workflow.getHandle(ids[0]!).fetchHistory();
    const tasks = sample.events?.filter((e) => e.workflowTaskCompletedEventAttributes).length ?? 0;
    return { ms, tasks };
  }

  let waiting = 0;
  /** Starts `count` instances waiting on a human task and returns once all their tasks are open. */
  async function park(count: number): Promise<void> {
    await inBatches(count, () => {
      const id = `bench-wait-${randomUUID()}`;
      // Started as the API starts them (local bookkeeping, registered with the first task).
      return client.workflow.start(processInterpreter, { workflowId: id, taskQueue, args: [input(id, waitingTask, 'local')] });
    });
    waiting += count;
    // Waiting means: the task row exists, the timers are set.
    while ((await prisma.task.count({ where: { process: { definitionKey: 'bench-waiting' }, status: 'open' } })) < waiting)
      await new Promise((r) => setTimeout(r, 200));
  }

  await worker.runUntil(async () => {
    // Memory first, on a worker that has done nothing else but a warm-up of the same
    // kind: memory the allocator kept from earlier work (the ten-step rounds) would
    // be reused by the waiting instances and hide their cost.
    await park(50);
    global.gc?.();
    const before = process.memoryUsage();
    const started = Date.now();
    await park(WAITING);
    const startMs = Date.now() - started;
    global.gc?.();
    await new Promise((r) => setTimeout(r, 1000));
    const after = process.memoryUsage();
    const perInstance = (after.rss - before.rss) / WAITING;
    const heapPer = (after.heapUsed - before.heapUsed) / WAITING;
    console.log(`\n${WAITING} instances waiting on a human task (started in ${startMs} ms), all in the worker cache:`);
    console.log(
      `  worker RSS   +${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MiB  → ${(perInstance / 1024).toFixed(1)} KiB per instance → ${Math.floor(2 ** 30 / perInstance)} instances per GiB`,
    );
    // The workflow sandbox runs in a thread of its own, whose heap is in the RSS only.
    console.log(
      `  main thread's V8 heap  +${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)} MiB  → ${(heapPer / 1024).toFixed(1)} KiB per instance`,
    );

    // Temporal's floor beside it: as many bare workflows waiting for an Update, on a
    // worker of their own (started now, so that its growth is new memory).
    const floorQueue = `bench-floor-wait-${randomUUID()}`;
    const floorWorker = await Worker.create({
      connection: native,
      taskQueue: floorQueue,
      workflowBundle: await bundleAsTheWorker(require.resolve('./floor/workflows')),
      maxCachedWorkflows: WAITING + 100,
    });
    const floorRuns = floorWorker.run();
    const parkFloor = async (count: number) => {
      const target = floorWorker.getStatus().numCachedWorkflows + count;
      await inBatches(count, () =>
        client.workflow.start(floorWorkflow, { workflowId: `floor-wait-${randomUUID()}`, taskQueue: floorQueue }),
      );
      while (floorWorker.getStatus().numCachedWorkflows < target || floorWorker.getStatus().numInFlightWorkflowActivations > 0)
        await new Promise((r) => setTimeout(r, 200));
    };
    await parkFloor(50);
    global.gc?.();
    const floorBefore = process.memoryUsage().rss;
    await parkFloor(WAITING);
    global.gc?.();
    await new Promise((r) => setTimeout(r, 1000));
    const floorPer = (process.memoryUsage().rss - floorBefore) / WAITING;
    console.log(
      `  floor (a bare workflow waiting for an Update), same measure: ${(floorPer / 1024).toFixed(1)} KiB per instance → ${Math.floor(2 ** 30 / floorPer)} instances per GiB`,
    );
    floorWorker.shutdown();
    await floorRuns;

    await round('interpreter'); // warm-up: caches, connections
    await round('hand-written');
    const results = { interpreter: [] as number[], 'hand-written': [] as number[] };
    const tasks = { interpreter: 0, 'hand-written': 0 };
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['hand-written', 'interpreter'] as const) {
        const r = await round(kind);
        results[kind].push(r.ms);
        tasks[kind] = r.tasks;
      }
    }
    const hand = median(results['hand-written']);
    const interp = median(results.interpreter);
    console.log(`\nTen activity steps, ${RUNS} instances at once, median of ${ROUNDS} rounds (same dev server, same worker):`);
    console.log(`  hand-written workflow   ${String(hand).padStart(6)} ms   ${tasks['hand-written']} workflow tasks per instance`);
    console.log(`  interpreter             ${String(interp).padStart(6)} ms   ${tasks.interpreter} workflow tasks per instance`);
    console.log(
      `  ratio (interpreter / hand-written): wall time ${(interp / hand).toFixed(3)}, workflow tasks ${(tasks.interpreter / tasks['hand-written']).toFixed(3)}`,
    );
  });

  await native.close();
  await connection.close();
  await prisma.$disconnect();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
