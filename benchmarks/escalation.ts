import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createPrismaClient } from '../db/client';
import { migrate } from '../db/migrate';
import type { ProcessDefinition } from '../definitions';
import { seedDemo } from '../scripts/seed';
import { resolveTemporalCli, startDevServer } from '../scripts/temporal-server';
import { freePort, recreateDatabase } from '../test/support/global-setup';
import { processInput } from '../test/support/processes';
import { createWorker } from '../worker/create-worker';
import { WORKFLOWS_PATH } from '../worker/workflow-code';
import { processInterpreter } from '../workflows';
import { floorTimer } from './floor/workflows';
import { bundleAsTheWorker, inBatches } from './support';

/**
 * Part of `npm run bench`: BENCH_DUE (default 1,000) tasks whose deadlines fall due
 * at the same instant on the dev server, and how late their escalations are
 * recorded (the history entry's time minus the due time); then, on the same server,
 * Temporal's floor: as many bare workflows whose timers fire at one instant, and
 * how late each saw its timer. Prints figures only.
 */
const COUNT = Number(process.env.BENCH_DUE ?? 1000);

const dueTogether: ProcessDefinition = {
  key: 'bench-due-together',
  version: 1,
  title: 'Due together',
  roles: ['sales_agent', 'sales_supervisor'],
  input: [{ name: 'dueAt', type: 'datetime', required: true }],
  root: {
    kind: 'task',
    id: 'follow-up',
    title: 'Follow up',
    role: 'sales_agent',
    due: { atVariable: 'dueAt' },
    deadline: { escalate: [{ atFraction: 1, toRole: 'sales_supervisor' }] },
  },
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

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
  const taskQueue = `bench-due-${randomUUID()}`;
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    prisma,
    workflowBundle: await bundleAsTheWorker(WORKFLOWS_PATH),
    maxCachedWorkflows: COUNT + 100,
  });
  try {
    // The floor first (the server's state only grows: the product runs on the fuller
    // server), its own worker: a timer per workflow and nothing else.
    const floorQueue = `bench-floor-timer-${randomUUID()}`;
    const floorWorker = await Worker.create({
      connection: native,
      taskQueue: floorQueue,
      workflowBundle: await bundleAsTheWorker(require.resolve('./floor/workflows')),
      maxCachedWorkflows: COUNT + 100,
    });
    await floorWorker.runUntil(async () => {
      const dueAt = Date.now() + 10_000 + COUNT * 10;
      const handles = await inBatches(COUNT, () =>
        client.workflow.start(floorTimer, { workflowId: `floor-timer-${randomUUID()}`, taskQueue: floorQueue, args: [dueAt] }),
      );
      // Results are read once every timer has fired, so that no client long-poll loads
      // the server meanwhile (the product's are read from Postgres).
      await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now())));
      while ((await client.workflow.count(`TaskQueue = '${floorQueue}' AND ExecutionStatus = 'Running'`)).count > 0)
        await new Promise((r) => setTimeout(r, 500));
      const lateness = await inBatches(handles.length, (i) => handles[i]!.result());
      lateness.sort((a, b) => a - b);
      console.log(
        `Floor: ${COUNT} bare timers firing at once, lateness p50 ${pct(lateness, 50)} ms, p99 ${pct(lateness, 99)} ms, max ${lateness[lateness.length - 1]} ms.`,
      );
    });
    await worker.runUntil(async () => {
      // Every task falls due at the same instant, far enough ahead for all to be waiting by then.
      const dueAt = Date.now() + 20_000 + COUNT * 15;
      const started = Date.now();
      await inBatches(COUNT, () => {
        const args = processInput(dueTogether, { input: { dueAt: new Date(dueAt).toISOString() } });
        return client.workflow.start(processInterpreter, { workflowId: args.processId, taskQueue, args: [args] });
      });
      console.log(`\n${COUNT} tasks started in ${Date.now() - started} ms, all due at the same instant.`);
      for (;;) {
        const escalated = await prisma.processEvent.count({
          where: { type: 'task.escalated', process: { definitionKey: 'bench-due-together' } },
        });
        if (escalated >= COUNT) break;
        if (Date.now() > dueAt + 120_000) throw new Error(`only ${escalated} of ${COUNT} escalated two minutes after the due time`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const events = await prisma.processEvent.findMany({
        where: { type: 'task.escalated', process: { definitionKey: 'bench-due-together' } },
        select: { at: true },
      });
      const lateness = events.map((e) => e.at.getTime() - dueAt).sort((a, b) => a - b);
      console.log(
        `Escalation lateness (recorded − due): p50 ${pct(lateness, 50)} ms, p99 ${pct(lateness, 99)} ms, max ${lateness[lateness.length - 1]} ms.`,
      );
    });
  } finally {
    await native.close();
    await connection.close();
    await prisma.$disconnect();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
