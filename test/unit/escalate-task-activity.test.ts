import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { Outcome } from '../../definitions';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { readTestEnv } from '../support/test-env';

// One activity alone, outside any workflow: the escalation's idempotency rule is
// plainer here than in an end-to-end test. A retried escalation, or a late one
// that arrives after a higher level, changes nothing and writes no second row.

let prisma: PrismaClient;
let activities: ReturnType<typeof createActivities>;
const env = new MockActivityEnvironment();

beforeAll(() => {
  prisma = createPrismaClient(readTestEnv().databaseUrl);
  activities = createActivities({ prisma });
});
afterAll(() => prisma.$disconnect());

async function openTask(): Promise<{ processId: string; taskId: string; taskKey: string }> {
  const processId = `activity-test:${randomUUID()}`;
  const taskId = randomUUID();
  const at = Date.now();
  await env.run(activities.registerProcess, {
    processId,
    projectId: 'DEMO',
    parentId: null,
    definitionKey: 'activity-test',
    definitionVersion: 1,
    title: 'Activity test',
    input: {},
    startedBy: { userId: null, username: 'tester' },
    at,
  });
  await env.run(activities.createTask, {
    processId,
    taskId,
    taskKey: 'approve',
    stepId: 'approve',
    title: 'Approve',
    role: 'sales_supervisor',
    assigneeUserId: null,
    outcomes: ['approve', 'reject'] as Outcome[],
    form: [],
    recordKind: null,
    dueAt: at + 60_000,
    at,
  });
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
