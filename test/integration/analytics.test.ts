import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { analyticsDrift, rebuildAnalytics } from '../../db/analytics';
import { appendCustomerEvent } from '../../db/customers';
import { addDays, isoDate } from '../../domain';
import { http, startSystem, type Session, type TestSystem } from '../support/system';

// Issue 11 on real Postgres, through HTTP: a small known data set written by the
// activities and services that write facts (registrations, visits, classification,
// follow-ups, a transfer, subscriptions, contracts, receipts, a cancellation and its
// refund) in a project of this file's own; every figure is compared with values
// worked out by hand below. Then the rollups are compared with a recomputation from
// the facts, and rebuilt. A second project holds a linear series of weekly contracts
// for the trend, the monthly report and the forecast.

let sys: TestSystem;
let activities: ReturnType<typeof createActivities>;
const env = new MockActivityEnvironment();
const as: Record<string, Session> = {};
const ids: Record<string, string> = {};
const X = `AN${randomUUID().slice(0, 6).toUpperCase()}`;
const Y = `AF${randomUUID().slice(0, 6).toUpperCase()}`;
const today = isoDate(new Date());
const units: Record<string, string> = {};
const customers: Record<string, string> = {};
const phone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function process(): Promise<string> {
  const processId = `analytics-test:${randomUUID()}`;
  await env.run(activities.registerProcess, {
    processId,
    projectId: X,
    parentId: null,
    definitionKey: 'analytics-test',
    definitionVersion: 1,
    title: 'Analytics test',
    input: {},
    startedBy: { userId: ids.agent!, username: 'agent' },
    at: Date.now(),
  });
  return processId;
}

async function run(processId: string, stepKey: string, activity: string, input: Record<string, unknown>) {
  const result: unknown = await env.run(activities.runStepActivity, { processId, stepKey, activity, input });
  return result as Record<string, any>;
}

/** A visitor registered by `agent` through a reception, then classified when `level` is given. */
async function visitor(name: string, agent: string, source: string, level?: string): Promise<{ processId: string; customerId: string }> {
  const processId = await process();
  const r = await run(processId, 'reception', 'customers.register', { name, phone: phone(), agentId: ids[agent], source });
  if (level) await run(processId, 'intent', 'customers.classify', { customerId: r.customerId, intentLevel: level, agentId: ids[agent] });
  customers[name] = r.customerId;
  return { processId, customerId: r.customerId };
}

/** Deposit, agreement and the subscription order at `price`. */
async function subscribe(p: { processId: string; customerId: string }, unit: string, price: number, agent: string) {
  await run(p.processId, 'deposit', 'units.reserve', { unitId: units[unit] });
  await run(p.processId, 'agreement', 'units.subscribe', { unitId: units[unit] });
  return run(p.processId, 'subscription', 'orders.subscribe', {
    customerId: p.customerId,
    unitId: units[unit],
    agentId: ids[agent],
    form: {
      result: 'signed',
      agreementNo: `RG-${randomUUID().slice(0, 6)}`,
      price,
      paymentMethod: 'instalments',
      depositCredited: 50_000,
      signingDeadline: '2027-06-30',
      buyers: [{ name: 'Buyer', idNumber: '110101199001011234', phone: phone() }],
    },
  });
}

/** Terms, approval and signature of the contract at `price` in `instalments`. */
async function contract(p: { processId: string; customerId: string }, unit: string, instalments: number[], agent: string) {
  const price = instalments.reduce((a, b) => a + b, 0);
  const quote = await run(p.processId, 'contract/terms', 'orders.quote', {
    customerId: p.customerId,
    unitId: units[unit],
    agentId: ids[agent],
    form: {
      agreedPrice: price,
      paymentMethod: 'instalments',
      instalments: instalments.map((amount, i) => ({ dueDate: addDays(today, 30 * (i + 1)), amount })),
    },
  });
  await run(p.processId, 'contract/approve', 'orders.approve', { orderId: quote.orderId });
  await run(p.processId, 'contract/sign', 'orders.sign', {
    orderId: quote.orderId,
    form: { contractNo: `HT-${randomUUID().slice(0, 6)}` },
  });
  await run(p.processId, 'contract/schedule', 'orders.schedule', {
    orderId: quote.orderId,
    instalments: instalments.map((amount, i) => ({ dueDate: addDays(today, 30 * (i + 1)), amount })),
  });
  return quote.orderId as string;
}

beforeAll(async () => {
  sys = await startSystem();
  activities = createActivities({ prisma: sys.prisma });
  const admin = await sys.login('admin');
  for (const id of [X, Y]) expect((await admin.post('/api/projects', { id, name: `Analytics ${id}` })).status).toBe(201);
  const username = `an2${randomUUID().slice(0, 6)}`;
  const created = await admin.post('/api/users', {
    username,
    displayName: 'Agent Two',
    password: 'analytics-agent-password-1',
    roles: ['sales_agent'],
    projects: [X],
  });
  expect(created.status).toBe(201);
  for (const u of ['agent', 'supervisor', 'gm', 'management', 'ae'])
    ids[u] = (await sys.prisma.user.findUniqueOrThrow({ where: { username: u } })).id;
  ids.agent2 = created.body.id;
  // Members of the test's projects (the GM is not, to be refused).
  for (const u of ['agent', 'supervisor'])
    for (const projectId of [X, Y]) await sys.prisma.projectMember.create({ data: { projectId, userId: ids[u]! } });
  for (const u of ['agent', 'supervisor', 'gm', 'management']) as[u] = await sys.login(u);
  const grid = await as.supervisor!.post('/api/units', {
    projectId: X,
    units: [
      { building: 'B1', unitNo: '1001', floor: 10, area: 100, layout: '3室', listPrice: 1_000_000 },
      { building: 'B1', unitNo: '1002', floor: 10, area: 80, layout: '2室', listPrice: 800_000 },
      { building: 'B1', unitNo: '1201', floor: 12, area: 120, layout: '3室', listPrice: 1_200_000 },
      { building: 'B2', unitNo: '0301', floor: 3, area: 70, layout: '2室', listPrice: 700_000 },
    ],
  });
  expect(grid.status).toBe(201);
  for (const u of grid.body as { id: string; building: string; unitNo: string }[]) units[`${u.building}-${u.unitNo}`] = u.id;

  // The known data set (all today):
  // c1 agent, walk-in, A: subscribes B1-1001 at 950,000, contract 950,000 in two receipts, paid.
  const c1 = await visitor('c1', 'agent', 'walk-in', 'A');
  await subscribe(c1, 'B1-1001', 950_000, 'agent');
  const o1 = await contract(c1, 'B1-1001', [500_000, 450_000], 'agent');
  await run(c1.processId, 'receipt-1', 'orders.receipt', { orderId: o1, seq: 1, form: { amount: 500_000 } });
  await run(c1.processId, 'receipt-2', 'orders.receipt', { orderId: o1, seq: 2, form: { amount: 450_000 } });
  await run(c1.processId, 'paid', 'orders.paid', { orderId: o1 });
  // c2 agent, referral, B: subscribes B1-1002 at 800,000, contract 780,000, cancelled (退房), 50,000 refunded.
  const c2 = await visitor('c2', 'agent', 'referral', 'B');
  await subscribe(c2, 'B1-1002', 800_000, 'agent');
  const o2 = await contract(c2, 'B1-1002', [780_000], 'agent');
  const cancellation = await process();
  await run(cancellation, 'cancel', 'orders.cancel', { orderId: o2, reason: 'moved away', amount: 50_000 });
  await run(cancellation, 'refund', 'orders.refund', { form: { amount: 50_000, method: 'transfer' } });
  // c3 agent2, walk-in, A, then B after a follow-up; its next contact was yesterday.
  const c3 = await visitor('c3', 'agent2', 'walk-in', 'A');
  await run(c3.processId, 'follow-up-1', 'customers.followUp', {
    customerId: c3.customerId,
    agentId: ids.agent2,
    channel: 'phone',
    result: 'continue',
    intentLevel: 'B',
  });
  await run(c3.processId, 'follow-up-2', 'customers.followUp', {
    customerId: c3.customerId,
    agentId: ids.agent2,
    channel: 'wechat',
    result: 'continue',
    nextContactAt: new Date(Date.now() - 86_400_000).toISOString(),
  });
  // c4 agent2, ad: visits twice, C, subscribes B1-1201 at 1,150,000.
  const c4 = await visitor('c4', 'agent2', 'ad', 'C');
  await run(c4.processId, 'second-visit', 'customers.register', {
    name: 'c4',
    phone: (await sys.prisma.customer.findUniqueOrThrow({ where: { id: c4.customerId } })).phone,
    agentId: ids.agent2,
  });
  await subscribe(c4, 'B1-1201', 1_150_000, 'agent2');
  // c5 agent, ad, never classified: a follow-up planned three days ago; then transferred to agent2.
  const c5 = await visitor('c5', 'agent', 'ad');
  await run(c5.processId, 'follow-up', 'customers.followUp', {
    customerId: c5.customerId,
    agentId: ids.agent,
    channel: 'phone',
    result: 'continue',
    nextContactAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  });
  const moved = await as.supervisor!.post('/api/customers/transfer', {
    customerIds: [c5.customerId],
    toUserId: ids.agent2,
    reason: 'leave',
  });
  expect(moved.status).toBe(200);
}, 180_000);
afterAll(() => sys?.stop());

const get = (who: string, path: string) => as[who]!.get(path);

test('the funnel: counts, conversion rates and amounts', async () => {
  const res = await get('supervisor', `/api/analytics/funnel?projectId=${X}`);
  expect(res.status).toBe(200);
  expect(res.body.stages).toEqual([
    { stage: 'visits', count: 6, rate: null, overall: null },
    { stage: 'registrations', count: 5, rate: 0.8333, overall: 0.8333 },
    { stage: 'intents', count: 4, rate: 0.8, overall: 0.6667 },
    { stage: 'subscriptions', count: 3, rate: 0.75, overall: 0.5 },
    { stage: 'contracts', count: 2, rate: 0.6667, overall: 0.3333 },
    { stage: 'paid', count: 1, rate: 0.5, overall: 0.1667 },
  ]);
  expect(res.body.figures).toEqual({
    visits: 6,
    registrations: 5,
    intents: 4,
    followUps: 3,
    subscriptions: 3,
    subscriptionAmount: 2_900_000,
    contracts: 2,
    contractAmount: 1_730_000,
    paid: 1,
    paidAmount: 950_000,
    cancellations: 1,
    cancelledAmount: 780_000,
    refundAmount: 50_000,
  });
  // Filters: one agent, one channel, one intent level, a period without data.
  const own = await get('supervisor', `/api/analytics/funnel?projectId=${X}&agentId=${ids.agent2}`);
  expect(own.body.figures).toMatchObject({ visits: 3, registrations: 2, intents: 2, followUps: 2, subscriptions: 1, contracts: 0 });
  expect((await get('supervisor', `/api/analytics/funnel?projectId=${X}&channel=ad`)).body.figures).toMatchObject({
    visits: 3,
    subscriptions: 1,
  });
  expect((await get('supervisor', `/api/analytics/funnel?projectId=${X}&intent=none`)).body.figures).toMatchObject({
    visits: 1,
    followUps: 1,
  });
  const reversed = await get('supervisor', `/api/analytics/funnel?projectId=${X}&from=2020-02-01&to=2020-01-01`);
  expect([reversed.status, reversed.body.error.details]).toEqual([400, [{ field: 'query.from', reason: 'after to' }]]);
  const badDate = await get('supervisor', `/api/analytics/funnel?projectId=${X}&from=2020-13-01`);
  expect([badDate.status, badDate.body.error.details[0].field]).toEqual([400, 'query.from']);
  const before = await get('supervisor', `/api/analytics/funnel?projectId=${X}&from=2020-01-01&to=2020-12-31`);
  expect(before.body.stages[0]).toEqual({ stage: 'visits', count: 0, rate: null, overall: null });
});

test('rankings by agent and channel; conversion by intent level', async () => {
  const agents = (await get('supervisor', `/api/analytics/breakdown?projectId=${X}&by=agent`)).body.rows;
  expect(agents.map((r: any) => [r.rank, r.key, r.name, r.contracts, r.contractAmount, r.visits])).toEqual([
    [1, ids.agent, '张伟', 2, 1_730_000, 3],
    [2, ids.agent2, 'Agent Two', 0, 0, 3],
  ]);
  const channels = (await get('supervisor', `/api/analytics/breakdown?projectId=${X}&by=channel`)).body.rows;
  expect(channels.map((r: any) => [r.key, r.visits, r.contracts, r.contractAmount, r.visitToContract])).toEqual([
    ['walk-in', 2, 1, 950_000, 0.5],
    ['referral', 1, 1, 780_000, 1],
    ['ad', 3, 0, 0, 0],
  ]);
  const intents = (await get('supervisor', `/api/analytics/breakdown?projectId=${X}&by=intent`)).body.rows;
  // c3 moved from A to B with its history: A holds c1 only.
  expect(Object.fromEntries(intents.map((r: any) => [r.key, [r.visits, r.contracts, r.visitToContract]]))).toEqual({
    A: [1, 1, 1],
    B: [2, 1, 0.5],
    C: [2, 0, 0],
    '': [1, 0, 0],
  });
});

test('follow-ups overdue from the customers’ next contacts', async () => {
  const res = await get('supervisor', `/api/analytics/follow-ups/overdue?projectId=${X}`);
  expect(res.status).toBe(200);
  expect(res.body.total).toBe(2);
  expect(res.body.byAgent).toMatchObject([{ agentId: ids.agent2, name: 'Agent Two', overdue: 2 }]);
  expect(res.body.customers.map((c: any) => [c.name, c.daysOverdue])).toEqual([
    ['c5', 3],
    ['c3', 1],
  ]);
});

test('sell-through, unit types best and worst, the heat map', async () => {
  const res = await get('gm', `/api/analytics/inventory?projectId=${X}`);
  expect(res.status).toBe(403);
  const inv = (await get('supervisor', `/api/analytics/inventory?projectId=${X}`)).body;
  expect(inv.total).toMatchObject({
    units: 4,
    soldUnits: 1,
    unitSellThrough: 0.25,
    listAmount: 3_700_000,
    soldListAmount: 1_000_000,
    amountSellThrough: 0.2703,
    contracts: 1,
    contractAmount: 950_000,
    avgListPricePerM2: 10_000,
    priceVsList: 0.95,
  });
  expect(inv.best[0]).toMatchObject({ layout: '3室', units: 2, soldUnits: 1, unitSellThrough: 0.5, contractAmount: 950_000 });
  expect(inv.worst[0]).toMatchObject({ layout: '2室', units: 2, soldUnits: 0, unitSellThrough: 0 });
  expect(inv.heatmap.map((c: any) => [c.building, c.floor, c.units, c.soldUnits])).toEqual([
    ['B1', 12, 1, 0],
    ['B1', 10, 2, 1],
    ['B2', 3, 1, 0],
  ]);
});

test('with nothing sold, no layout is called best- or worst-selling', async () => {
  const Z = `AZ${randomUUID().slice(0, 6).toUpperCase()}`;
  const admin = await sys.login('admin');
  expect((await admin.post('/api/projects', { id: Z, name: `Analytics ${Z}` })).status).toBe(201);
  await sys.prisma.projectMember.create({ data: { projectId: Z, userId: ids.supervisor! } });
  const supervisor = await sys.login('supervisor');
  const units = await supervisor.post('/api/units', {
    projectId: Z,
    units: [
      { building: 'B1', unitNo: '0101', floor: 1, area: 90, layout: '2室', listPrice: 900_000 },
      { building: 'B1', unitNo: '0102', floor: 1, area: 120, layout: '3室', listPrice: 1_200_000 },
    ],
  });
  expect(units.status).toBe(201);
  const inv = (await supervisor.get(`/api/analytics/inventory?projectId=${Z}`)).body;
  expect(inv.layouts).toHaveLength(2);
  expect(inv.best).toEqual([]);
  expect(inv.worst).toEqual([]);
});

test('targets against actuals come from the target service', async () => {
  const periodStart = `${today.slice(0, 7)}-01`;
  const put = await as.supervisor!.send('PUT', '/api/targets', {
    projectId: X,
    period: 'month',
    periodStart,
    units: 4,
    amount: 3_800_000,
    visits: 12,
    followUps: 6,
  });
  expect(put.status).toBe(200);
  const res = await get('supervisor', `/api/analytics/targets?projectId=${X}`);
  // One contract stands (the other was cancelled); six visits; three follow-ups.
  expect(res.body.targets).toMatchObject([
    {
      team: true,
      target: { units: 4, amount: 3_800_000, visits: 12, followUps: 6 },
      actual: { units: 1, amount: 950_000, visits: 6, followUps: 3 },
      achieved: { units: 0.25, amount: 0.25, visits: 0.5, followUps: 0.5 },
    },
  ]);
  const report = (await get('supervisor', `/api/analytics/reports/daily?projectId=${X}&date=${today}`)).body;
  expect(report).toMatchObject({ kind: 'daily', period: { from: today, to: today }, previousPeriod: { from: addDays(today, -1) } });
  expect(report.figures).toMatchObject({ visits: 6, contracts: 2 });
  expect(report.previous).toMatchObject({ visits: 0, contracts: 0 });
  expect(report.change.visits).toEqual({ delta: 6, ratio: null });
  expect(report.monthTarget).toMatchObject({ team: true, actual: { units: 1 } });
  expect(report.agents.map((a: any) => a.key)).toEqual([ids.agent, ids.agent2]);
});

test('an agent sees only their own figures; management sees across projects', async () => {
  expect((await get('agent', `/api/analytics/funnel?projectId=${X}`)).status).toBe(403);
  const mine = await get('agent', `/api/analytics/mine?projectId=${X}`);
  expect(mine.status).toBe(200);
  expect(mine.body.filters.agentId).toBe(ids.agent);
  expect(mine.body.figures).toMatchObject({
    visits: 3,
    registrations: 3,
    intents: 2,
    followUps: 1,
    contracts: 2,
    contractAmount: 1_730_000,
  });
  expect(mine.body.overdue.total).toBe(0);
  expect((await get('gm', `/api/analytics/funnel?projectId=${X}`)).status).toBe(403);
  // A project without units or facts: zeros, not an error.
  const empty = await get('management', `/api/analytics/inventory?projectId=NO-${X}`);
  expect(empty.status).toBe(200);
  expect(empty.body.total).toMatchObject({ units: 0, soldUnits: 0, unitSellThrough: null });
  const all = await get('management', `/api/analytics/breakdown?by=project`);
  expect(all.status).toBe(200);
  expect(all.body.rows.find((r: any) => r.key === X)).toMatchObject({ name: `Analytics ${X}`, visits: 6, contracts: 2 });
});

test('exports: CSV and XLSX hold the table the API answers', async () => {
  const csv = await http(sys.url, 'GET', `/api/analytics/export?projectId=${X}&table=channels&format=csv`, { token: as.supervisor!.token });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  const lines = String(csv.body)
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]!.split(',').slice(0, 4)).toEqual(['rank', 'key', 'name', 'visits']);
  expect(lines.slice(1).map((l) => l.split(',').slice(1, 2)[0])).toEqual(['walk-in', 'referral', 'ad']);
  const res = await fetch(`${sys.url}/api/analytics/export?projectId=${X}&table=layouts`, {
    headers: { authorization: `Bearer ${as.supervisor!.token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toMatch(/layouts\.xlsx/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
  const sheet = book.worksheets[0]!;
  expect(sheet.getRow(1).getCell(1).value).toBe('layout');
  expect([sheet.getRow(2).getCell(1).value, sheet.getRow(2).getCell(2).value, sheet.getRow(2).getCell(3).value]).toEqual(['3室', 2, 1]);
  expect(sheet.getRow(3).getCell(1).value).toBe('2室');
  const bad = await get('supervisor', `/api/analytics/export?projectId=${X}&table=everything`);
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('query.table');
});

test('the rollups equal a recomputation from the facts, and a rebuild changes nothing', async () => {
  // A follow-up typed through the API three days late lands on its own day, and does not
  // overrule the later intent registration's (empty) next contact.
  const day = addDays(today, -3);
  const late = await as.agent!.post(`/api/customers/${customers.c1}/follow-ups`, {
    channel: 'phone',
    result: 'continue',
    at: `${day}T09:00:00.000Z`,
    nextContactAt: `${day}T12:00:00.000Z`,
  });
  expect(late.status).toBe(201);
  expect((await get('supervisor', `/api/analytics/funnel?projectId=${X}&from=${day}&to=${day}`)).body.figures).toMatchObject({
    followUps: 1,
    visits: 0,
  });
  expect((await get('supervisor', `/api/analytics/follow-ups/overdue?projectId=${X}`)).body.total).toBe(2);
  expect(await analyticsDrift(sys.prisma, X)).toEqual([]);
  const before = (await get('supervisor', `/api/analytics/breakdown?projectId=${X}&by=intent`)).body.rows;
  // Take a count away behind the application's back: the comparison sees it, the rebuild mends it.
  await sys.prisma
    .$executeRaw`UPDATE analytics_daily SET visits = visits - 1 WHERE project_id = ${X} AND intent = 'A' AND agent_id = ${ids.agent}::uuid AND day = ${today}::date`;
  const drift = await analyticsDrift(sys.prisma, X);
  // The day against the facts, and each coarser rollup against the days.
  const derived = ['analytics_monthly', 'analytics_project_daily', 'analytics_agent_daily', 'analytics_agent_monthly'];
  expect(drift.map((line) => line.split(' ')[0]).sort()).toEqual(
    ['facts', 'rollup', ...derived, ...derived.map((t) => `days→${t}`)].sort(),
  );
  await rebuildAnalytics(sys.prisma);
  expect(await analyticsDrift(sys.prisma, X)).toEqual([]);
  expect((await get('supervisor', `/api/analytics/breakdown?projectId=${X}&by=intent`)).body.rows).toEqual(before);
});

test('phase by phase: each phase of the launch with its period, figures, plan target and change', async () => {
  // A launch of project X whose first phase began ten days ago and whose second began
  // today (its first tasks' creation), with the overall plan's targets per phase.
  const launchId = `sales-launch:${X}`;
  await sys.prisma.processInstance.create({
    data: {
      id: launchId,
      projectId: X,
      definitionKey: 'sales-launch',
      definitionVersion: 3,
      title: 'Launch',
      status: 'running',
      input: {
        planPhases: [
          { name: '开盘', units: 2, amount: 2_000_000 },
          { name: '加推', units: 4, amount: 4_000_000 },
        ],
      },
      startedAt: new Date(Date.now() - 12 * 86_400_000),
    },
  });
  const task = (taskKey: string, daysAgo: number) =>
    sys.prisma.task.create({
      data: {
        processId: launchId,
        taskKey,
        stepId: taskKey.split('/').pop()!,
        title: taskKey,
        originalRole: 'sales_agent',
        assigneeRole: 'sales_agent',
        status: 'completed',
        dueAt: new Date(),
        outcomes: ['done'],
        createdAt: new Date(Date.now() - daysAgo * 86_400_000),
      },
    });
  await task('study/1', 11);
  await task('phases[1]/reception', 10);
  await task('phases[1]/analysis', 3);
  await task('phases[2]/reception', 0);

  const res = await get('supervisor', `/api/analytics/phases?projectId=${X}`);
  expect(res.status).toBe(200);
  expect(res.body.launchId).toBe(launchId);
  // Every fact of X is of today: the first phase (ten days ago to yesterday) has none.
  expect(res.body.phases).toEqual([
    expect.objectContaining({
      phase: 1,
      name: '开盘',
      from: addDays(today, -10),
      to: addDays(today, -1),
      current: false,
      figures: expect.objectContaining({ visits: 0, contracts: 0, contractAmount: 0 }),
      target: { units: 2, amount: 2_000_000 },
      achieved: { units: 0, amount: 0 },
      change: null,
    }),
    expect.objectContaining({
      phase: 2,
      name: '加推',
      from: today,
      to: today,
      current: true,
      figures: expect.objectContaining({ visits: 6, intents: 4, contracts: 2, contractAmount: 1_730_000 }),
      visitToContract: 0.3333,
      target: { units: 4, amount: 4_000_000 },
      achieved: { units: 0.5, amount: 0.4325 },
      change: expect.objectContaining({ visits: { delta: 6, ratio: null }, contracts: { delta: 2, ratio: null } }),
    }),
  ]);
  // The same as a table for export, headed in words.
  const csv = await get('supervisor', `/api/analytics/export?projectId=${X}&table=phases&format=csv&lang=zh-CN`);
  expect(csv.status).toBe(200);
  expect(String(csv.body).split('\n')[0]).toContain('阶段');
  expect((await get('supervisor', '/api/analytics/export?table=phases&format=csv')).status).toBe(400);
  // A project without a launch has no phases; one the caller may not see is refused.
  expect((await get('supervisor', `/api/analytics/phases?projectId=${Y}`)).body).toEqual({ projectId: Y, launchId: null, phases: [] });
  expect((await get('gm', `/api/analytics/phases?projectId=${X}`)).status).toBe(403);
});

test('a report exports as a table of measures, this period against the one before, in words', async () => {
  const csv = await get('supervisor', `/api/analytics/export?projectId=${X}&table=report-daily&format=csv&lang=zh-CN&to=${today}`);
  expect(csv.status).toBe(200);
  const lines = String(csv.body)
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe('指标,本期,上期,变化,变化率');
  expect(lines).toContain('到访,6,0,6,');
  expect(lines).toContain('签约金额,1730000,0,1730000,');
  expect((await get('supervisor', '/api/analytics/export?table=report-weekly&format=csv')).status).toBe(400);
});

test('a report as a PDF: a PDF file whose title names the project, kind and day, with the font embedded', async () => {
  const res = await fetch(`${sys.url}/api/analytics/reports/daily/pdf?projectId=${X}&date=${today}`, {
    headers: { authorization: `Bearer ${as.supervisor!.token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toContain(`daily-report-${X}-${today}.pdf`);
  const pdf = Buffer.from(await res.arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // The document's title is a UTF-16 string in its info dictionary; the CJK font is embedded.
  const title = `Analytics ${X} 日报 ${today}`;
  const utf16 = Buffer.from(title, 'utf16le').swap16().toString('hex');
  expect(pdf.toString('latin1')).toMatch(/FontFile|NotoSansCJK/);
  expect(pdf.toString('hex')).toContain(utf16);
  // In English on request; a kind that is not one is refused naming it.
  const en = await fetch(`${sys.url}/api/analytics/reports/weekly/pdf?projectId=${X}&lang=en`, {
    headers: { authorization: `Bearer ${as.supervisor!.token}` },
  });
  // An ASCII title is written as a plain PDF string.
  expect(Buffer.from(await en.arrayBuffer()).toString('latin1')).toContain(`(Analytics ${X} Weekly report `);
  const bad = await get('supervisor', `/api/analytics/reports/hourly/pdf?projectId=${X}`);
  expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'params.kind']);
});

test('an effect summary opens with the leads and deals of its channels', async () => {
  const processId = await process();
  // Walk-in (packaging): c1 and c3 visited, c1 signed 950,000. Advertising: c4 twice and c5.
  expect(await run(processId, 'packaging-brief-figures', 'analytics.channelFigures', { channels: ['walk-in'] })).toEqual({
    periodFrom: today,
    periodTo: today,
    channels: ['walk-in'],
    leads: 2,
    deals: 1,
    dealAmount: 950_000,
  });
  expect(await run(processId, 'ad-brief-figures', 'analytics.channelFigures', { channels: ['ad', 'online'] })).toMatchObject({
    leads: 3,
    deals: 0,
  });
  // The period starts after the project's previous summary of the same kind: none yet here, so at the process's start.
  expect(
    await run(processId, 'event-brief-figures', 'analytics.channelFigures', { channels: ['event'], record: 'event-effectiveness-brief' }),
  ).toMatchObject({ periodFrom: today, leads: 0, deals: 0 });
  await expect(run(processId, 'bad', 'analytics.channelFigures', { channels: [] })).rejects.toThrow();
});

test('the visitor and deal analysis opens with the period’s figures', async () => {
  const processId = await process();
  const figures = await run(processId, 'analysis-figures', 'analytics.phaseFigures', { from: `${addDays(today, -1)}T00:00:00Z` });
  expect(figures).toMatchObject({
    periodFrom: addDays(today, -1),
    periodTo: today,
    visitors: 6,
    registrations: 4,
    deals: 2,
    byCustomerType: '新客户 5, 老客户复访 1',
  });
  expect(figures.byChannel.split('\n')).toEqual([
    'ad: 到访 3, 成交 0 (0.0%)',
    'walk-in: 到访 2, 成交 1 (50.0%)',
    'referral: 到访 1, 成交 1 (100.0%)',
  ]);
  expect(figures.byIntentLevel.split('\n')).toEqual([
    'B 类: 到访 2, 成交 1 (50.0%)',
    'C 类: 到访 2, 成交 0 (0.0%)',
    'A 类: 到访 1, 成交 1 (100.0%)',
    '未分级: 到访 1, 成交 0 (0.0%)',
  ]);
});

describe('a linear series of weekly contracts', () => {
  const asOf = '2026-06-01'; // a Monday
  beforeAll(async () => {
    const owner = { userId: ids.agent!, username: 'agent' };
    const customer = await sys.prisma.customer.create({ data: { projectId: Y, name: 'Series', phone: phone(), ownerId: ids.agent! } });
    // Two contracts of 1,000,000 every Wednesday of the eight weeks before asOf.
    for (let week = 0; week < 8; week++)
      for (let n = 0; n < 2; n++)
        await appendCustomerEvent(sys.prisma, customer.id, owner, {
          type: 'order',
          at: new Date(`${addDays('2026-04-08', 7 * week)}T10:00:00Z`),
          data: { kind: 'contract', price: 1_000_000 },
        });
    await sys.prisma.unit.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({
        projectId: Y,
        building: 'S',
        unitNo: `${i}`,
        floor: 1 + (i % 5),
        area: 90,
        layout: '3室',
        listPrice: 1_000_000,
      })),
    });
  });

  test('trend by week and month', async () => {
    const weeks = (await get('supervisor', `/api/analytics/trend?projectId=${Y}&grain=week&from=2026-04-06&to=2026-05-31`)).body.points;
    expect(weeks.map((p: any) => [p.period, p.contracts, p.contractAmount])).toEqual(
      Array.from({ length: 8 }, (_, i) => [addDays('2026-04-06', 7 * i), 2, 2_000_000]),
    );
    const months = (await get('supervisor', `/api/analytics/trend?projectId=${Y}&grain=month&from=2026-03-01&to=2026-05-31`)).body.points;
    expect(months.map((p: any) => [p.period, p.contracts])).toEqual([
      ['2026-03-01', 0],
      ['2026-04-01', 8],
      ['2026-05-01', 8],
    ]);
  });

  test('the forecast of the sell-out date and the month’s amount', async () => {
    const res = await get('supervisor', `/api/analytics/forecast?projectId=${Y}&weeks=8&asOf=${asOf}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      weeks: 8,
      rate: { units: { expected: 2, low: 2, high: 2 }, amount: { expected: 2_000_000, low: 2_000_000, high: 2_000_000 } },
      remainingUnits: 20,
      // 20 units at 2 a week: ten weeks.
      sellOut: { expected: '2026-08-10', earliest: '2026-08-10', latest: '2026-08-10' },
      // June: nothing signed yet, 29 days left at 2,000,000 a week.
      period: { from: '2026-06-01', to: '2026-06-30', signedAmount: 0, amount: { expected: 8_285_714.29 } },
    });
    expect(res.body.method).toMatch(/Least squares/);
  });

  test('the monthly report compares with the month before', async () => {
    const report = (await get('supervisor', `/api/analytics/reports/monthly?projectId=${Y}&date=2026-05-15`)).body;
    expect(report.period).toEqual({ from: '2026-05-01', to: '2026-05-31' });
    expect(report.previousPeriod).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect([report.figures.contracts, report.previous.contracts, report.change.contracts]).toEqual([8, 8, { delta: 0, ratio: 0 }]);
    expect(await analyticsDrift(sys.prisma, Y)).toEqual([]);
  });
});
