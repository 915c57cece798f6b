import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { Outcome } from '../../definitions';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { testRegistration } from '../support/activity-test';
import { readTestEnv } from '../support/test-env';

// The bookkeeping activities alone, outside any workflow: their idempotency rules
// are plainer here than in an end-to-end test. Each is one SQL statement whose
// parts depend on its first change; a retry (the activity run again after a crash
// or a lost answer) must change nothing and write no second row of anything.

let prisma: PrismaClient;
let activities: ReturnType<typeof createActivities>;
const env = new MockActivityEnvironment();

beforeAll(() => {
  prisma = createPrismaClient(readTestEnv().databaseUrl);
  activities = createActivities({ prisma });
});
afterAll(() => prisma.$disconnect());

const tester = { userId: null, username: 'tester' };

/** The creation of its approval task (key `approve`, due in a minute). */
const taskCreation = (processId: string, taskId: string, at: number) => ({
  processId,
  taskId,
  taskKey: 'approve',
  stepId: 'approve',
  title: 'Approve',
  role: 'sales_supervisor',
  assigneeUserId: null,
  outcomes: ['approve', 'reject'] as Outcome[],
  form: [] as { name: string; type: 'text' }[],
  recordKind: null as string | null,
  dueAt: at + 60_000,
  at,
});

async function openTask(): Promise<{ processId: string; taskId: string; taskKey: string }> {
  const processId = `activity-test:${randomUUID()}`;
  const taskId = randomUUID();
  const at = Date.now();
  await env.run(activities.registerProcess, testRegistration(processId, tester, { at }));
  await env.run(activities.createTask, taskCreation(processId, taskId, at));
  return { processId, taskId, taskKey: 'approve' };
}

const escalation = (t: { processId: string; taskId: string; taskKey: string }, level: number, toRole: string) => ({
  ...t,
  fromRole: level === 1 ? 'sales_supervisor' : 'general_manager',
  toRole,
  level,
  at: Date.now(),
});

test('an escalation retried after a crash moves the task once, with one history entry and one audit row', async () => {
  const task = await openTask();
  await env.run(activities.escalateTask, escalation(task, 1, 'general_manager'));
  await env.run(activities.escalateTask, escalation(task, 1, 'general_manager'));

  expect(await prisma.task.findUniqueOrThrow({ where: { id: task.taskId } })).toMatchObject({
    assigneeRole: 'general_manager',
    escalationLevel: 1,
  });
  expect(await prisma.processEvent.count({ where: { processId: task.processId, type: 'task.escalated' } })).toBe(1);
  expect(await prisma.auditEvent.count({ where: { objectType: 'task', objectId: task.taskId, action: 'task.escalate' } })).toBe(1);
});

test('a lower level arriving after a higher one does not move the task back', async () => {
  const task = await openTask();
  await env.run(activities.escalateTask, escalation(task, 2, 'management'));
  await env.run(activities.escalateTask, escalation(task, 1, 'general_manager'));

  expect(await prisma.task.findUniqueOrThrow({ where: { id: task.taskId } })).toMatchObject({
    assigneeRole: 'management',
    escalationLevel: 2,
  });
  expect(await prisma.processEvent.count({ where: { processId: task.processId, type: 'task.escalated' } })).toBe(1);
});

test('a task no longer open is not escalated', async () => {
  const task = await openTask();
  await env.run(activities.cancelTask, {
    processId: task.processId,
    taskId: task.taskId,
    taskKey: task.taskKey,
    reason: 'withdrawn',
    at: Date.now(),
  });
  await env.run(activities.escalateTask, escalation(task, 1, 'general_manager'));

  expect(await prisma.task.findUniqueOrThrow({ where: { id: task.taskId } })).toMatchObject({
    status: 'cancelled',
    assigneeRole: 'sales_supervisor',
    escalationLevel: 0,
  });
});

/** Every row the bookkeeping writes for one process, counted by kind. */
async function rowsOf(processId: string, taskId: string) {
  const [processes, tasks, events, audits, messages, records] = await Promise.all([
    prisma.processInstance.count({ where: { id: processId } }),
    prisma.task.count({ where: { processId } }),
    prisma.processEvent.findMany({ where: { processId }, select: { type: true }, orderBy: { id: 'asc' } }),
    prisma.auditEvent.count({ where: { objectType: 'task', objectId: taskId } }),
    prisma.outboxMessage.findMany({ where: { processId }, select: { kind: true }, orderBy: { id: 'asc' } }),
    prisma.record.count({ where: { processId } }),
  ]);
  return { processes, tasks, events: events.map((e) => e.type), audits, messages: messages.map((m) => m.kind), records };
}

test('registering, creating, completing and finishing, each run twice, write every row once', async () => {
  const processId = `activity-test:${randomUUID()}`;
  const taskId = randomUUID();
  const at = Date.now();
  const actor = tester;
  const register = testRegistration(processId, tester, { at, input: { n: 1 } });
  const create = {
    ...taskCreation(processId, taskId, at),
    form: [{ name: 'note', type: 'text' as const }],
    recordKind: 'approval-note',
    context: { hint: 'look' },
  };
  const complete = {
    processId,
    taskId,
    taskKey: 'approve',
    stepId: 'approve',
    outcome: 'approve' as Outcome,
    data: { note: '同意' },
    actor,
    requestId: 'request-1',
    at: at + 1,
  };
  const finish = { processId, status: 'completed' as const, at: at + 2 };
  for (const [activity, args] of [
    [activities.registerProcess, register],
    [activities.createTask, create],
    [activities.completeTask, complete],
    [activities.finishProcess, finish],
  ] as const) {
    await env.run(activity as (a: typeof args) => Promise<void>, args);
    await env.run(activity as (a: typeof args) => Promise<void>, args);
  }

  expect(await rowsOf(processId, taskId)).toEqual({
    processes: 1,
    tasks: 1,
    events: ['process.started', 'task.created', 'task.completed', 'process.completed'],
    audits: 1,
    messages: ['task.created', 'approval.decided', 'process.finished'],
    records: 1,
  });
  expect(await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
    status: 'completed',
    outcome: 'approve',
    data: { note: '同意' },
    completionRequestId: 'request-1',
    outcomes: ['approve', 'reject'],
    form: [{ name: 'note', type: 'text' }],
    context: { hint: 'look' },
    recordKind: 'approval-note',
  });
  expect(await prisma.record.findFirstOrThrow({ where: { taskId } })).toMatchObject({
    projectId: 'DEMO',
    kind: 'approval-note',
    data: { note: '同意' },
    createdByName: 'tester',
  });
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({
    status: 'completed',
    input: { n: 1 },
  });
});

test('a completion without a record kind writes no record; finishing cancels the tasks still open', async () => {
  const task = await openTask();
  await env.run(activities.completeTask, {
    ...task,
    stepId: 'approve',
    outcome: 'reject' as Outcome,
    data: {},
    actor: tester,
    requestId: 'r',
    at: Date.now(),
  });
  const other = await openTask();
  await env.run(activities.finishProcess, { processId: other.processId, status: 'cancelled' as const, at: Date.now() });

  expect(await prisma.record.count({ where: { processId: task.processId } })).toBe(0);
  expect(await prisma.task.findUniqueOrThrow({ where: { id: other.taskId } })).toMatchObject({ status: 'cancelled' });
  // A cancelled process tells nobody; a finished one would.
  expect((await rowsOf(other.processId, other.taskId)).messages).toEqual(['task.created']);
});

test('the task changes are announced on commit, and only when something changed', async () => {
  const task = await openTask();
  const withdrawn = await openTask();
  const { Client } = await import('pg');
  const listener = new Client({ connectionString: readTestEnv().databaseUrl });
  await listener.connect();
  const heard: { kind: string; taskId: string | null }[] = [];
  listener.on('notification', (n) => {
    const change = JSON.parse(n.payload ?? '{}') as { processId: string; kind: string; taskId: string | null };
    if (change.processId === task.processId || change.processId === withdrawn.processId)
      heard.push({ kind: change.kind, taskId: change.taskId });
  });
  await listener.query('LISTEN task_changes');
  try {
    const escalate = escalation(task, 1, 'general_manager');
    await env.run(activities.escalateTask, escalate);
    await env.run(activities.escalateTask, escalate);
    await env.run(activities.finishProcess, { processId: task.processId, status: 'completed' as const, at: Date.now() });
    await env.run(activities.finishProcess, { processId: task.processId, status: 'completed' as const, at: Date.now() });
    const withdraw = { ...withdrawn, reason: 'withdrawn', at: Date.now() };
    await env.run(activities.cancelTask, withdraw);
    await env.run(activities.cancelTask, withdraw);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await listener.end();
  }
  expect(heard).toEqual([
    { kind: 'escalated', taskId: task.taskId },
    { kind: 'process.finished', taskId: null },
    { kind: 'cancelled', taskId: withdrawn.taskId },
  ]);
  expect((await rowsOf(task.processId, task.taskId)).messages).toEqual(['task.created', 'task.escalated', 'process.finished']);
});

test('a task creation that carries the registration writes the process row first, in the same statement, once', async () => {
  const processId = `activity-test:${randomUUID()}`;
  const taskId = randomUUID();
  const at = Date.now();
  const create = {
    ...taskCreation(processId, taskId, at),
    outcomes: ['approve'] as Outcome[],
    register: testRegistration(processId, tester, { at, definitionVersion: 2 }),
  };
  await env.run(activities.createTask, create);
  await env.run(activities.createTask, create);

  expect(await rowsOf(processId, taskId)).toMatchObject({
    processes: 1,
    tasks: 1,
    events: ['process.started', 'task.created'],
    messages: ['task.created'],
  });
  // Parts of one statement cannot read the row it writes: the project is given.
  expect(await prisma.outboxMessage.findFirstOrThrow({ where: { processId } })).toMatchObject({ projectId: 'DEMO', taskId });
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({
    definitionVersion: 2,
    status: 'running',
  });
});

test('a reminder, a failed step, a retry and a withdrawal, each run twice, write once and change the row once', async () => {
  const task = await openTask();
  const { processId, taskId, taskKey } = task;
  const at = Date.now();
  const remind = { processId, taskId, taskKey, role: 'sales_supervisor', index: 0, dueAt: at + 60_000, at };
  const fail = { processId, stepKey: 'send', attempt: 1, message: 'SMTP down', at: at + 1 };
  const retry = {
    processId,
    actionId: `retry-${randomUUID()}`,
    type: 'process.retried',
    stepKey: 'send',
    actor: tester,
    data: { note: 'again' },
    resumesFailing: true,
    at: at + 2,
  };
  const withdraw = { processId, taskId, taskKey, reason: 'withdrawn', at: at + 3 };

  await env.run(activities.remindTask, remind);
  await env.run(activities.remindTask, remind);
  await env.run(activities.recordStepFailure, fail);
  await env.run(activities.recordStepFailure, fail);
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({ status: 'failing' });
  await env.run(activities.recordProcessAction, retry);
  await env.run(activities.recordProcessAction, retry);
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({ status: 'running' });
  // A retry run again after the step failed anew must not flip the status back: its entry is written already.
  await env.run(activities.recordStepFailure, { ...fail, attempt: 2 });
  await env.run(activities.recordProcessAction, retry);
  expect(await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).toMatchObject({ status: 'failing' });
  await env.run(activities.cancelTask, withdraw);
  await env.run(activities.cancelTask, withdraw);

  const rows = await rowsOf(processId, taskId);
  expect(rows.events).toEqual([
    'process.started',
    'task.created',
    'task.reminded',
    'step.failed',
    'process.retried',
    'step.failed',
    'task.cancelled',
  ]);
  expect(rows.messages).toEqual(['task.created', 'task.reminder']);
  expect(await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'cancelled' });
  expect(
    await prisma.auditEvent.findMany({ where: { objectType: 'process', objectId: processId }, select: { action: true, after: true } }),
  ).toEqual([{ action: 'process.retried', after: { stepKey: 'send', note: 'again' } }]);
  const [event] = await prisma.processEvent.findMany({ where: { processId, type: 'step.failed' }, orderBy: { id: 'asc' }, take: 1 });
  expect(event).toMatchObject({ stepId: 'send', data: { message: 'SMTP down', round: 1 } });
});
