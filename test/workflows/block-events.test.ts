import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import type { ProcessDefinition, Step } from '../../definitions';
import { completeTaskUpdate, sendEventUpdate, stateQuery, type ProcessResult } from '../../workflows/messages';
import { openTaskWhere, startProcess } from '../support/processes';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

// Blocks with events: interrupting events that cut a block short (tasks withdrawn,
// children cancelled, the flow goes on), event handlers that run beside a block,
// rejections that let a sequence go on, and children started without waiting.

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let system: TimeSkippingSystem;
const actor = { userId: null, username: 'tester' };
const ROLES = ['sales_agent', 'sales_supervisor', 'general_manager', 'management'];

beforeAll(async () => {
  system = await startTimeSkipping();
  ({ env, prisma } = system);
});
afterAll(() => system?.stop());

const task = (id: string, role = 'sales_agent', extra: Partial<Extract<Step, { kind: 'task' }>> = {}): Step => ({
  kind: 'task',
  id,
  title: id,
  role,
  due: { days: 1 },
  ...extra,
});

const child: ProcessDefinition = { key: 'blk-child', version: 1, title: 'Child', roles: ROLES, input: [], root: task('child-work') };

function definition(root: Step, key: string): ProcessDefinition {
  return {
    key,
    version: 1,
    title: key,
    roles: ROLES,
    input: [],
    events: [
      { name: 'stop', payload: [{ name: 'note', type: 'text' }] },
      { name: 'note', payload: [{ name: 'text', type: 'text', required: true }] },
    ],
    root,
  };
}

const start = (def: ProcessDefinition) =>
  startProcess(env.client, system.taskQueue, def, { subDefinitions: { 'blk-child@latest': child } });

/** The open tasks under a process tree, once at least `count` exist. */
async function openTasks(processId: string, count = 1) {
  for (let i = 0; i < 400; i++) {
    const tasks = await prisma.task.findMany({
      where: { processId: { startsWith: processId }, status: 'open' },
      orderBy: [{ createdAt: 'asc' }, { taskKey: 'asc' }],
    });
    if (tasks.length >= count) return tasks;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${count} open tasks under ${processId}`);
}

/** The open task under a process tree with this key, once it exists. */
const openTask = (processId: string, taskKey: string) => openTaskWhere(prisma, { processId: { startsWith: processId }, taskKey });

const complete = (taskProcessId: string, taskId: string, outcome: 'done' | 'approve' | 'reject' = 'done', data = {}) =>
  env.client.workflow.getHandle(taskProcessId).executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, actor }] });

const send = (handle: WorkflowHandle, name: string, payload: Record<string, unknown> = {}) =>
  handle.executeUpdate(sendEventUpdate, { args: [{ name, payload, actor }] });

/** Waits until a process's row says it is cancelled, then checks it once more (the failure names the status). */
async function expectCancelled(processId: string) {
  for (let i = 0; i < 400; i++) {
    const row = await prisma.processInstance.findUnique({ where: { id: processId } });
    if (row?.status === 'cancelled') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).status).toBe('cancelled');
}

/** A phase, interrupted by `stop`, that starts a child without waiting and opens a task; then a close-out. */
const detachedChildInPhase = (key: string) =>
  definition(
    {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'sequence',
          id: 'phase',
          interruptedBy: { events: ['stop'] },
          steps: [{ kind: 'subprocess', id: 'execution', definition: 'blk-child', wait: false }, task('phase-work')],
        },
        task('close-out', 'sales_supervisor'),
      ],
    },
    key,
  );

test('an interrupting event withdraws the block’s tasks, cancels its children, runs `then` and goes on', async () => {
  const def = definition(
    {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'sequence',
          id: 'phase',
          interruptedBy: { events: ['stop'], then: task('wrap-up', 'sales_supervisor') },
          steps: [
            { kind: 'parallel', id: 'work', branches: [task('report'), { kind: 'subprocess', id: 'sub', definition: 'blk-child' }] },
            task('never-reached'),
          ],
        },
        task('close-out', 'sales_supervisor'),
      ],
    },
    'blk-interrupt',
  );
  const { processId, handle } = await start(def);
  const open = await openTasks(processId, 2);
  expect(open.map((t) => t.taskKey).sort()).toEqual(['child-work', 'report']);

  await send(handle, 'stop', { note: 'sold out' });
  const wrapUp = await openTask(processId, 'wrap-up');

  // The block's own task is withdrawn and says why; the child process is cancelled.
  const report = await prisma.task.findFirstOrThrow({ where: { processId, taskKey: 'report' } });
  expect(report.status).toBe('cancelled');
  const withdrawn = await prisma.processEvent.findFirstOrThrow({ where: { processId, type: 'task.cancelled', taskId: report.id } });
  expect(withdrawn.data).toEqual({ reason: 'interrupted: stop' });
  let childRow = await prisma.processInstance.findFirstOrThrow({ where: { parentId: processId } });
  for (let i = 0; i < 200 && childRow.status !== 'cancelled'; i++) {
    await new Promise((r) => setTimeout(r, 25));
    childRow = await prisma.processInstance.findFirstOrThrow({ where: { parentId: processId } });
  }
  expect(childRow.status).toBe('cancelled');
  expect(await prisma.task.findFirstOrThrow({ where: { processId: childRow.id } })).toMatchObject({ status: 'cancelled' });
  expect(await prisma.processEvent.count({ where: { processId, type: 'step.interrupted' } })).toBe(1);

  await complete(processId, wrapUp.id);
  const closeOut = await openTask(processId, 'close-out');
  await complete(processId, closeOut.id);
  const result: ProcessResult = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.variables.phase).toMatchObject({ interrupted: { event: 'stop', payload: { note: 'sold out' } } });
  expect(await prisma.task.count({ where: { processId, taskKey: 'never-reached' } })).toBe(0);
});

test('a loop interrupted in an iteration ends at once, without waiting for its timers', async () => {
  const def = definition(
    {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'loop',
          id: 'phases',
          maxIterations: 5,
          untilEvent: 'stop',
          interruptedBy: { events: ['stop'] },
          body: { kind: 'sequence', id: 'phase', steps: [{ kind: 'timer', id: 'month', duration: { days: 30 } }, task('summary')] },
        },
        task('close-out', 'sales_supervisor'),
      ],
    },
    'blk-loop',
  );
  const { processId, handle } = await start(def);
  await new Promise((r) => setTimeout(r, 300));
  expect((await handle.query(stateQuery)).steps).toMatchObject({ 'phases[1]/month': 'waiting' });
  await send(handle, 'stop');
  const closeOut = await openTask(processId, 'close-out');
  expect(await prisma.task.count({ where: { processId, taskKey: { contains: 'summary' } } })).toBe(0);
  await complete(processId, closeOut.id);
  expect((await handle.result()).variables.phases).toMatchObject({ interrupted: { event: 'stop' } });
});

test('an event handler runs beside the block for every arrival, with the event as $event', async () => {
  const def = definition(
    {
      kind: 'sequence',
      id: 'phase',
      onEvent: [{ event: 'note', step: task('act-on-note', 'sales_supervisor', { context: { note: { var: '$event.payload.text' } } }) }],
      steps: [task('work')],
    },
    'blk-handler',
  );
  const { processId, handle } = await start(def);
  const [work] = await openTasks(processId);
  await send(handle, 'note', { text: 'first' });
  await send(handle, 'note', { text: 'second' });
  const open = await openTasks(processId, 3);
  const handlers = open.filter((t) => t.stepId === 'act-on-note');
  expect(handlers.map((t) => [t.taskKey, t.context])).toEqual([
    ['note[1]/act-on-note', { note: 'first' }],
    ['note[2]/act-on-note', { note: 'second' }],
  ]);
  // The block waits for the handlers it started.
  await complete(processId, work!.id);
  await complete(processId, handlers[0]!.id);
  expect((await handle.query(stateQuery)).status).toBe('running');
  await complete(processId, handlers[1]!.id);
  expect((await handle.result()).status).toBe('completed');
});

test('a rejection that continues on reject lets the sequence go on; a child started without waiting runs beside it', async () => {
  const def = definition(
    {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'approval',
          id: 'plan',
          title: 'Plan',
          approvers: [{ role: 'general_manager', due: { days: 1 } }],
          continueOnReject: true,
        },
        { kind: 'subprocess', id: 'execution', definition: 'blk-child', wait: false },
        task('next-phase', 'sales_supervisor'),
      ],
    },
    'blk-continue',
  );
  const { processId, handle } = await start(def);
  const [approval] = await openTasks(processId);
  await complete(processId, approval!.id, 'reject');
  // The next phase and the detached child are open at the same time.
  const open = await openTasks(processId, 2);
  expect(open.map((t) => t.taskKey).sort()).toEqual(['child-work', 'next-phase']);
  const next = open.find((t) => t.taskKey === 'next-phase')!;
  await complete(processId, next.id);
  const result: ProcessResult = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.variables.plan).toMatchObject({ outcome: 'rejected' });
  expect(result.variables.execution).toEqual({ started: [`${processId}/execution/1`] });
  // The parent has ended: its still-running child is asked to cancel.
  await expectCancelled(`${processId}/execution/1`);
});

test('an interruption also cancels the children its block started without waiting', async () => {
  const def = detachedChildInPhase('blk-detached');
  const { processId, handle } = await start(def);
  await openTasks(processId, 2);
  await send(handle, 'stop');
  const closeOut = await openTask(processId, 'close-out');
  await expectCancelled(`${processId}/execution/1`);
  await complete(processId, closeOut.id);
  expect((await handle.result()).status).toBe('completed');
});

test('a process that ends while an interrupted block’s child is still cancelling does not ask it twice', async () => {
  const def = detachedChildInPhase('blk-slow-child');
  const { processId, handle } = await start(def);
  await openTasks(processId, 2);
  const childId = `${processId}/execution/1`;
  // Hold the child's row so that its cancellation cannot be recorded (nor the child
  // end) until the parent has ended: the order in which a busy server may deliver them.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holding = prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM process_instances WHERE id = ${childId} FOR UPDATE`;
      locked();
      await released;
    },
    { timeout: 50_000 },
  );
  try {
    await isLocked;
    await send(handle, 'stop');
    const closeOut = await openTask(processId, 'close-out');
    await complete(processId, closeOut.id);
    expect((await handle.result()).status).toBe('completed');
    expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: childId } })).status).toBe('running');
  } finally {
    release();
    await holding;
  }
  // The child was asked once, by the interruption, and ends cancelled.
  const history = await handle.fetchHistory();
  const cancelRequests = history.events!.filter((e) => e.requestCancelExternalWorkflowExecutionInitiatedEventAttributes);
  expect(cancelRequests).toHaveLength(1);
  await expectCancelled(childId);
});
