import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import { afterSales, discountApproval, paymentReceipt, type ProcessDefinition } from '../../definitions';
import { completeTaskUpdate, type ProcessResult } from '../../workflows/messages';
import { openTaskWhere, startProcess } from '../support/processes';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

// Issue 10's deadlines on the time-skipping server: a complaint's SLA climbing to the
// supervisor, the GM and management; a late instalment's receipt climbing the chain;
// the discount approval's routing by level. Days in milliseconds.

let system: TimeSkippingSystem;
let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let agent: { userId: string; username: string };
let customerId: string;

beforeAll(async () => {
  system = await startTimeSkipping();
  ({ env, prisma } = system);
  const user = await prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
  agent = { userId: user.id, username: user.username };
  const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  customerId = (
    await prisma.customer.create({ data: { projectId: 'DEMO', name: 'Ms Tang', phone, ownerId: user.id, stage: 'handed_over' } })
  ).id;
});
afterAll(() => system?.stop());

function start(definition: ProcessDefinition, input: Record<string, unknown>) {
  return startProcess(env.client, system.taskQueue, definition, {
    input,
    startedBy: agent,
    calendar: { weekendDays: [], holidays: [], utcOffsetMinutes: 480 },
  });
}

/** The open task under a process tree whose key starts with `prefix`. */
const openTask = (processId: string, prefix: string) =>
  openTaskWhere(prisma, { processId: { startsWith: processId }, taskKey: { startsWith: prefix } });

async function complete(
  processId: string,
  prefix: string,
  data: Record<string, unknown> = {},
  outcome: 'done' | 'approve' | 'reject' = 'done',
) {
  const task = await openTask(processId, prefix);
  await env.client.workflow
    .getHandle(task.processId)
    .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome, data, actor: agent }] });
  return task;
}

const taskRow = (id: string) => prisma.task.findUniqueOrThrow({ where: { id } });

test('a complaint not resolved within a working day climbs to the supervisor, the GM, then management; the timeline shows it', async () => {
  const { processId, handle } = await start(afterSales, { customerId, kind: 'complaint', description: 'leaking window' });
  const service = await prisma.user.findUniqueOrThrow({ where: { username: 'service' } });
  await complete(processId, 'assign', { assigneeId: service.id });
  const resolve = await openTask(processId, 'resolve');
  expect(resolve).toMatchObject({ assigneeUserId: service.id, assigneeRole: 'sales_service' });
  expect(resolve.dueAt.getTime() - resolve.createdAt.getTime()).toBe(DAY);
  await env.sleep(DAY + HOUR);
  expect(await taskRow(resolve.id)).toMatchObject({ escalationLevel: 1, assigneeRole: 'sales_supervisor' });
  await env.sleep(DAY);
  expect(await taskRow(resolve.id)).toMatchObject({ escalationLevel: 2, assigneeRole: 'general_manager' });
  await env.sleep(DAY);
  expect(await taskRow(resolve.id)).toMatchObject({ escalationLevel: 3, assigneeRole: 'management' });
  await complete(processId, 'resolve', { resolution: 'window resealed', customerSatisfied: true });
  expect(((await handle.result()) as ProcessResult).status).toBe('completed');
  expect(await prisma.serviceCase.findUniqueOrThrow({ where: { processId } })).toMatchObject({
    status: 'resolved',
    resolution: 'window resealed',
  });
  const timeline = await prisma.customerEvent.findMany({ where: { customerId, processId }, orderBy: { id: 'asc' } });
  expect(timeline.map((e) => `${e.type}:${e.result}`)).toEqual(['service_case:open', 'service_case:resolved']);
});

test("a late instalment's receipt climbs from the agent to the supervisor, then the GM", async () => {
  const unit = await prisma.unit.create({
    data: { projectId: 'DEMO', building: 'TS', unitNo: randomUUID().slice(0, 8), floor: 2, area: 90, layout: '2室', listPrice: 2_000_000 },
  });
  const order = await prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId,
      unitId: unit.id,
      kind: 'contract',
      processId: `ts-contract:${randomUUID()}`,
      holderProcessId: `ts-subscription:${randomUUID()}`,
      listPrice: 2_000_000,
      price: 2_000_000,
      status: 'signed',
    },
  });
  const dueAt = new Date(Number(await env.currentTimeMs()) + 2 * DAY);
  await prisma.payment.create({ data: { orderId: order.id, seq: 1, dueAt, amount: 500_000 } });
  const { processId, handle } = await start(paymentReceipt, {
    orderId: order.id,
    seq: 1,
    dueAt: dueAt.toISOString(),
    amount: 500_000,
    agentId: agent.userId,
  });
  const receipt = await openTask(processId, 'receipt');
  expect(receipt).toMatchObject({ assigneeUserId: agent.userId, dueAt });
  await env.sleep(DAY + HOUR);
  expect(await prisma.processEvent.count({ where: { taskId: receipt.id, type: 'task.reminded' } })).toBe(1);
  await env.sleep(DAY);
  expect(await taskRow(receipt.id)).toMatchObject({ escalationLevel: 1, assigneeRole: 'sales_supervisor' });
  await env.sleep(2 * DAY);
  expect(await taskRow(receipt.id)).toMatchObject({ escalationLevel: 2, assigneeRole: 'general_manager' });
  await complete(processId, 'receipt', { amount: 500_000, method: 'transfer' });
  expect(((await handle.result()) as ProcessResult).status).toBe('completed');
  expect(await prisma.payment.findUniqueOrThrow({ where: { orderId_seq: { orderId: order.id, seq: 1 } } })).toMatchObject({
    method: 'transfer',
  });
});

test('discount approval goes by level: none within the agent limit, the supervisor, or the supervisor then the GM', async () => {
  const none = await start(discountApproval, { orderId: 'o', level: 'agent', discount: 5000 });
  expect((await none.handle.result()).status).toBe('completed');
  expect(await prisma.task.count({ where: { processId: none.processId } })).toBe(0);

  const supervisor = await start(discountApproval, { orderId: 'o', level: 'sales_supervisor', discount: 50000 });
  expect((await openTask(supervisor.processId, 'supervisor-approval/r1/1')).assigneeRole).toBe('sales_supervisor');
  await complete(supervisor.processId, 'supervisor-approval/r1/1', {}, 'reject');
  expect((await supervisor.handle.result()).status).toBe('rejected');

  const gm = await start(discountApproval, { orderId: 'o', level: 'general_manager', discount: 150000 });
  await complete(gm.processId, 'gm-approval/r1/1', {}, 'approve');
  expect((await openTask(gm.processId, 'gm-approval/r1/2')).assigneeRole).toBe('general_manager');
  await complete(gm.processId, 'gm-approval/r1/2', {}, 'approve');
  expect((await gm.handle.result()).status).toBe('completed');
});
