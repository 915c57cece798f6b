import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import { twoLevelApproval, type ProcessDefinition } from '../../definitions';
import { completeTaskUpdate, stateQuery } from '../../workflows/messages';
import { startProcess } from '../support/processes';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

// The interpreter on the time-skipping test server, with its real activities
// writing to the real test database: days of SLA pass in milliseconds.

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let system: TimeSkippingSystem;
let taskQueue: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  system = await startTimeSkipping();
  ({ env, prisma, taskQueue } = system);
});

afterAll(() => system?.stop());

function start(definition: ProcessDefinition, input: Record<string, unknown> = { subject: 'Test' }) {
  return startProcess(env.client, taskQueue, definition, { input });
}

/** The open task of a process, once the workflow has created it. */
async function openTask(processId: string, taskKey?: string) {
  for (let i = 0; i < 200; i++) {
    const task = await prisma.task.findFirst({ where: { processId, status: 'open', ...(taskKey ? { taskKey } : {}) } });
    if (task) return task;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no open task in ${processId}`);
}

const actor = { userId: null, username: 'tester' };

test('an overdue approval is reminded, then escalated level by level, and then keeps waiting', async () => {
  const { processId, handle } = await start(twoLevelApproval);
  const task = await openTask(processId);
  // One working day with no weekends: due 24 h after creation.
  expect(task.dueAt.getTime() - task.createdAt.getTime()).toBe(24 * HOUR);

  await env.sleep('13 hours'); // past 50%: a reminder
  let events = await prisma.processEvent.findMany({ where: { processId }, orderBy: { id: 'asc' } });
  expect(events.map((e) => e.type)).toEqual(['process.started', 'task.created', 'task.reminded']);
  expect(await prisma.outboxMessage.count({ where: { body: { contains: task.id } } })).toBe(1);

  await env.sleep('12 hours'); // past 100%: to the general manager
  expect(await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
    assigneeRole: 'general_manager',
    escalationLevel: 1,
    status: 'open',
  });

  await env.sleep('24 hours'); // past 200%: to management
  expect(await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ assigneeRole: 'management', escalationLevel: 2 });

  await env.sleep('30 days'); // the chain is exhausted: nothing more happens
  events = await prisma.processEvent.findMany({ where: { processId, type: 'task.escalated' } });
  expect(events.map((e) => (e.data as { to: string }).to)).toEqual(['general_manager', 'management']);
  const state = await handle.query(stateQuery);
  expect(state.tasks[0]).toMatchObject({ role: 'management', escalationLevel: 2, status: 'open' });
  expect(await prisma.auditEvent.count({ where: { objectId: task.id, action: 'task.escalate' } })).toBe(2);

  // Management acts; the GM's own step follows and is approved in time.
  await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'approve', data: {}, actor }] });
  const second = await openTask(processId, 'approve/r1/2');
  expect(second.assigneeRole).toBe('general_manager');
  await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: second.id, outcome: 'approve', data: { comment: 'fine' }, actor }] });
  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.variables.approve).toMatchObject({
    decisions: [
      { role: 'sales_supervisor', outcome: 'approve' },
      { role: 'general_manager', outcome: 'approve', data: { comment: 'fine' } },
    ],
  });
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({ status: 'completed' });
});

test('a task completed before its due time is never escalated', async () => {
  const { processId, handle } = await start(twoLevelApproval);
  const task = await openTask(processId);
  await env.sleep('2 hours');
  await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'reject', data: {}, actor }] });
  expect((await handle.result()).status).toBe('rejected');
  expect(await prisma.processEvent.count({ where: { processId, type: { in: ['task.escalated', 'task.reminded'] } } })).toBe(0);
});

test('the update validator refuses an unknown task and a wrong outcome, writing nothing', async () => {
  const { processId, handle } = await start(twoLevelApproval);
  const task = await openTask(processId);
  const unknown = handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: randomUUID(), outcome: 'approve', data: {}, actor }] });
  await expect(unknown).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await expect(unknown).rejects.toMatchObject({ cause: { type: 'TaskNotFound' } });
  const wrong = handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'done', data: {}, actor }] });
  await expect(wrong).rejects.toMatchObject({ cause: { type: 'OutcomeNotAllowed' } });
  expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('open');
  // Rejected updates leave no trace in the workflow history.
  const history = await handle.fetchHistory();
  expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  await handle.cancel();
});

test('the same update id twice acts once; a second completion is refused', async () => {
  const { processId, handle } = await start(twoLevelApproval);
  const task = await openTask(processId);
  const request = { args: [{ taskId: task.id, outcome: 'approve' as const, data: {}, actor }] as [any], updateId: 'retry-1' };
  const [a, b] = await Promise.all([handle.executeUpdate(completeTaskUpdate, request), handle.executeUpdate(completeTaskUpdate, request)]);
  expect(a).toEqual(b);
  await expect(
    handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'reject', data: {}, actor }] }),
  ).rejects.toMatchObject({
    cause: { type: 'TaskNotOpen' },
  });
  expect(await prisma.processEvent.count({ where: { processId, type: 'task.completed' } })).toBe(1);
  await handle.cancel();
});

test('sequence and task steps: form data becomes process variables', async () => {
  const definition: ProcessDefinition = {
    key: 'sequence-demo',
    version: 1,
    title: 'Sequence',
    roles: ['sales_agent', 'sales_supervisor'],
    input: [],
    root: {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'task',
          id: 'reception',
          title: 'Record the visit',
          role: 'sales_agent',
          due: { hours: 4 },
          form: [{ name: 'visitor', type: 'string', required: true }],
        },
        { kind: 'approval', id: 'check', title: 'Check', approvers: [{ role: 'sales_supervisor', due: { days: 1 } }] },
      ],
    },
  };
  const { processId, handle } = await start(definition, {});
  const reception = await openTask(processId);
  expect(reception).toMatchObject({ assigneeRole: 'sales_agent', outcomes: ['done'] });
  await handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: reception.id, outcome: 'done', data: { visitor: 'Ms Wang' }, actor }],
  });
  const check = await openTask(processId, 'check/r1/1');
  const state = await handle.query(stateQuery);
  expect(state.variables.reception).toEqual({ visitor: 'Ms Wang', completedBy: 'tester', completedById: null });
  expect(state.steps).toEqual({ main: 'running', reception: 'completed', check: 'running' });
  await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: check.id, outcome: 'approve', data: {}, actor }] });
  expect((await handle.result()).status).toBe('completed');
});

test('cancelling a process records it and cancels its open tasks', async () => {
  const { processId, handle } = await start(twoLevelApproval);
  const task = await openTask(processId);
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow();
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({ status: 'cancelled' });
  expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('cancelled');
});
