import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { testRegistration } from '../support/activity-test';
import { readTestEnv } from '../support/test-env';

// The customer and order activities alone, each run twice as a retry would: the
// second run changes nothing and writes no second row.

let prisma: PrismaClient;
let activities: ReturnType<typeof createActivities>;
const env = new MockActivityEnvironment();
let agentId: string;

beforeAll(async () => {
  prisma = createPrismaClient(readTestEnv().databaseUrl);
  activities = createActivities({ prisma });
  agentId = (await prisma.user.findUniqueOrThrow({ where: { username: 'agent' } })).id;
});
afterAll(() => prisma.$disconnect());

const phone = () => `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function process(): Promise<string> {
  const processId = `activity-test:${randomUUID()}`;
  await env.run(activities.registerProcess, testRegistration(processId, { userId: agentId, username: 'agent' }));
  return processId;
}

async function run(processId: string, stepKey: string, activity: string, input: Record<string, unknown>) {
  const result: unknown = await env.run(activities.runStepActivity, { processId, stepKey, activity, input });
  return result as Record<string, unknown>;
}

test('a retried registration, follow-up and stage move act once; stages never move back', async () => {
  const processId = await process();
  const p = phone();
  const first = await run(processId, 'reception#complete', 'customers.register', { name: 'Ms Bai', phone: `+86 ${p}`, agentId });
  const again = await run(processId, 'reception#complete', 'customers.register', { name: 'Ms Bai', phone: p, agentId });
  expect(again.customerId).toBe(first.customerId);
  const customerId = first.customerId as string;
  for (let i = 0; i < 2; i++)
    await run(processId, 'follow-ups[1]/follow-up#complete', 'customers.followUp', {
      customerId,
      agentId,
      channel: 'wechat',
      result: 'continue',
      notes: 'sent the floor plan',
    });
  await run(processId, 'sub', 'customers.stage', { customerId, stage: 'subscribed' });
  await run(processId, 'sub', 'customers.stage', { customerId, stage: 'subscribed' });
  // A late, earlier stage does not move the customer back.
  await run(processId, 'late', 'customers.stage', { customerId, stage: 'intent' });
  const events = await prisma.customerEvent.findMany({ where: { customerId }, orderBy: { id: 'asc' } });
  expect(events.map((e) => e.type)).toEqual(['registered', 'follow_up', 'stage']);
  expect(await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ stage: 'subscribed' });
  expect(await prisma.deal.findMany({ where: { customerId } })).toMatchObject([{ stage: 'subscribed', originProcessId: processId }]);
});

test('a retried cancellation releases the unit once and records one refund', async () => {
  const processId = await process();
  const holder = `activity-holder:${randomUUID()}`;
  const customer = await prisma.customer.create({
    data: { projectId: 'DEMO', name: 'Mr Fan', phone: phone(), ownerId: agentId, stage: 'signed' },
  });
  const unit = await prisma.unit.create({
    data: {
      projectId: 'DEMO',
      building: 'AT',
      unitNo: randomUUID().slice(0, 8),
      floor: 3,
      area: 90,
      layout: '2室',
      listPrice: 2_000_000,
      status: 'sold',
      holderProcessId: holder,
    },
  });
  const order = await prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId: customer.id,
      unitId: unit.id,
      kind: 'contract',
      processId: holder,
      holderProcessId: holder,
      listPrice: 2_000_000,
      price: 2_000_000,
      status: 'signed',
    },
  });
  // The buyer paid the first instalment: the refund may not exceed it.
  await prisma.payment.create({
    data: { orderId: order.id, seq: 1, dueAt: new Date(), amount: 400_000, paidAmount: 100_000, paidAt: null },
  });
  expect(await run(processId, 'check', 'orders.checkCancellation', { orderId: order.id })).toMatchObject({ after: 'contract' });
  const first = await run(processId, 'cancel', 'orders.cancel', { orderId: order.id, reason: 'moved', amount: 100_000 });
  const second = await run(processId, 'cancel', 'orders.cancel', { orderId: order.id, reason: 'moved', amount: 100_000 });
  expect(second.refundId).toBe(first.refundId);
  expect(await prisma.refund.count({ where: { orderId: order.id } })).toBe(1);
  expect(await prisma.unit.findUniqueOrThrow({ where: { id: unit.id } })).toMatchObject({ status: 'available', holderProcessId: null });
  expect(await prisma.auditEvent.count({ where: { objectType: 'unit', objectId: unit.id, action: 'unit.available' } })).toBe(1);
  expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ stage: 'lost', lostReason: 'moved' });
  // Cancelled already: a new cancellation is refused, not applied twice.
  await expect(run(await process(), 'check', 'orders.checkCancellation', { orderId: order.id })).rejects.toMatchObject({
    type: 'OrderNotActive',
  });
});
