import { randomUUID } from 'node:crypto';
import { startSystem, type Session, type TestSystem } from '../support/system';
import { runActivityStep } from '../support/processes';

// Writes that bypassed the rules through `POST /api/processes`: an agent opened an
// after-sales case and an order cancellation on a colleague's customer, put a contract
// on a colleague's customer naming itself as the agent, and a supervisor of another
// project recorded a receipt on this project's contract. The steps of a deal begin at
// their parent process and the order's and customer's processes at their own routes
// (which check the caller's right first); behind the API, activities refuse any
// customer, order or agent of another project than the process's.

let sys: TestSystem;
let agent: Session;
let agent2: Session;
let supervisor: Session;
let outsider: Session;
let customerId: string;
let orderId: string;
let agentId: string;
const PASSWORD = 'guard-password-1';
const phone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

beforeAll(async () => {
  sys = await startSystem();
  const admin = await sys.login('admin');
  expect([201, 409]).toContain((await admin.post('/api/projects', { id: 'OTHER', name: 'Other project' })).status);
  for (const [username, roles, projects] of [
    ['guard_agent2', ['sales_agent'], ['DEMO']],
    ['guard_outsider', ['sales_supervisor'], ['OTHER']],
  ] as const) {
    const res = await admin.post('/api/users', { username, displayName: username, password: PASSWORD, roles, projects });
    expect([201, 409]).toContain(res.status);
  }
  [agent, supervisor] = await Promise.all([sys.login('agent'), sys.login('supervisor')]);
  agent2 = await sys.login('guard_agent2', PASSWORD);
  outsider = await sys.login('guard_outsider', PASSWORD);
  agentId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } })).id;
  // The colleague's (agent's) customer with a signed subscription.
  const registered = await agent.post('/api/customers', { projectId: 'DEMO', name: '守卫客户', phone: phone() });
  customerId = registered.body.customer.id;
  const unit = await sys.prisma.unit.create({
    data: { projectId: 'DEMO', building: 'G', unitNo: randomUUID().slice(0, 8), floor: 2, area: 90, layout: '3室', listPrice: 2_000_000 },
  });
  orderId = (
    await sys.prisma.salesOrder.create({
      data: {
        projectId: 'DEMO',
        customerId,
        unitId: unit.id,
        kind: 'contract',
        processId: `guard-order:${randomUUID()}`,
        holderProcessId: `guard-order:${randomUUID()}`,
        listPrice: 2_000_000,
        price: 2_000_000,
        status: 'signed',
      },
    })
  ).id;
});
afterAll(() => sys?.stop());

test.each([
  ['after-sales', () => ({ customerId, kind: 'repair', description: 'taken over' })],
  ['order-cancellation', () => ({ orderId, reason: 'taken over', refundAmount: 1 })],
  ['subscription', () => ({ visitorName: '守卫客户', phone: phone(), agentId: 'x' })],
  ['contract', () => ({ orderId, agentId: 'x' })],
  ['payment-receipt', () => ({ orderId, seq: 1, dueAt: new Date().toISOString(), amount: 1, agentId: 'x' })],
  ['discount-approval', () => ({ orderId })],
  ['payment-schedule', () => ({ orderId, instalments: [{ dueDate: '2027-01-01', amount: 1 }], agentId: 'x' })],
  ['plan-study', () => ({ member: 'x' })],
])('%s cannot be started through POST /api/processes, whoever asks', async (definition, input) => {
  const before = await sys.prisma.processInstance.count({ where: { definitionKey: definition } });
  for (const [who, session] of [
    ['agent2', agent2],
    ['supervisor', supervisor],
    ['outsider', outsider],
  ] as const) {
    const res = await session.post('/api/processes', { definition, projectId: who === 'outsider' ? 'OTHER' : 'DEMO', input: input() });
    expect({ who, status: res.status }).toEqual({ who, status: 403 });
  }
  // Nothing began.
  expect(await sys.prisma.processInstance.count({ where: { definitionKey: definition } })).toBe(before);
});

test('the start page learns which definitions it may offer', async () => {
  const list = (await agent.get('/api/definitions')).body as { key: string; startedBy: string }[];
  const by = Object.fromEntries(list.map((d) => [d.key, d.startedBy]));
  expect(by).toMatchObject({ 'visitor-reception': 'api', 'after-sales': 'route', contract: 'parent', 'sales-launch': 'api' });
});

test('the dedicated routes still serve the owner, and refuse the colleague', async () => {
  expect((await agent2.post(`/api/customers/${customerId}/service-cases`, { kind: 'repair', description: 'door' })).status).toBe(403);
  const own = await agent.post(`/api/customers/${customerId}/service-cases`, { kind: 'repair', description: 'door' });
  expect(own.status).toBe(201);
  expect(own.body.id).toMatch(/^after-sales:/);
});

test("activities refuse another project's customer, order and agent (the boundary behind the API)", async () => {
  const before = await sys.prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  const onCustomer = await runActivityStep(sys, 'OTHER', 'customers.stage', { customerId, stage: 'lost', reason: 'taken' });
  expect(onCustomer.status).toBe('failing');
  const history = await sys.prisma.processEvent.findMany({ where: { processId: onCustomer.id }, select: { type: true, data: true } });
  expect(JSON.stringify(history)).toContain('not a customer of project OTHER');
  expect((await sys.prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).stage).toBe(before.stage);

  // An instalment of this project's contract, receipted by a process of another project.
  await sys.prisma.payment.create({ data: { orderId, seq: 1, dueAt: new Date(), amount: 500_000 } });
  const onOrder = await runActivityStep(sys, 'OTHER', 'orders.receipt', { orderId, seq: 1, form: { amount: 500_000 } });
  expect(onOrder.status).toBe('failing');
  expect((await sys.prisma.payment.findFirstOrThrow({ where: { orderId, seq: 1 } })).paidAmount).toBeNull();

  // A DEMO process booking a follow-up to a user of another project.
  const outsiderId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'guard_outsider' } })).id;
  const events = await sys.prisma.customerEvent.count({ where: { customerId } });
  const byOutsider = await runActivityStep(sys, 'DEMO', 'customers.followUp', {
    customerId,
    agentId: outsiderId,
    channel: 'phone',
    result: 'x',
  });
  expect(byOutsider.status).toBe('failing');
  expect(await sys.prisma.customerEvent.count({ where: { customerId } })).toBe(events);

  // The same step for the project's own agent goes through.
  const own = await runActivityStep(sys, 'DEMO', 'customers.followUp', { customerId, agentId, channel: 'phone', result: 'called' });
  expect(own.status).toBe('completed');
});
