import { randomUUID } from 'node:crypto';
import { DEFAULT_ROLES, ROLE_NAMES, type RoleName } from '../../api/permissions';
import { buildRoutes } from '../../api/routes';
import type { RouteSpec } from '../../api/http';
import { twoLevelApproval, type ProcessDefinition } from '../../definitions';
import { taskActionUpdate } from '../../workflows/messages';
import type { Services } from '../../api/services';
import { DEMO_USERS } from '../../scripts/seed';
import { eventually, http, startSystem, type Session, type TestSystem } from '../support/system';
import { startProcess } from '../support/processes';

// Every role against every route of the route table: allowed → 2xx, not allowed → 403.
// The table is the one the server mounts, so a new route without a sample fails here.

/** The route table; building it needs no live services (handlers only close over them). */
const ROUTES: RouteSpec<any, any, any>[] = buildRoutes({} as Services);
const PUBLIC_ROUTES = ['auth.login', 'auth.reset.request', 'auth.reset.confirm'];

/** A request that the route should accept from a caller allowed to call it. */
interface Sample {
  path: string;
  body?: unknown;
  /** Use a session of its own (the request ends or changes the session). */
  ownSession?: boolean;
}

let sys: TestSystem;
const sessions = new Map<RoleName, Session>();
const userOf = (role: RoleName) => Object.entries(DEMO_USERS).find(([, u]) => u.role === role)![0];
let processId: string;
let taskId: string;
let spareUserId: string;
let recordId: string;

/** Starts a process of an ad-hoc definition directly on the interpreter; returns its id. */
async function startDirect(definition: Omit<ProcessDefinition, 'key' | 'version' | 'title' | 'input'>): Promise<string> {
  const id = `matrix:${randomUUID()}`;
  await startProcess(
    sys.client,
    sys.taskQueue,
    { key: 'matrix', version: 1, title: 'Matrix', input: [], ...definition },
    { processId: id },
  );
  await eventually(async () => (await sys.prisma.processInstance.findUnique({ where: { id } })) ?? undefined, 15_000, 'matrix process');
  return id;
}

/** Starts a one-task process assigned to `role` and returns its task id. */
async function taskFor(role: RoleName): Promise<string> {
  const id = await startDirect({ roles: [role, 'sales_agent'], root: { kind: 'task', id: 'do', title: 'Do it', role, due: { hours: 1 } } });
  return eventually(async () => (await sys.prisma.task.findFirst({ where: { processId: id } }))?.id, 15_000, 'matrix task');
}

/** A process whose activity step is failing (the built-in notify.role without a role). */
async function failingProcess(): Promise<string> {
  const id = await startDirect({
    roles: ['sales_agent'],
    root: { kind: 'activity', id: 'notify', activity: 'notify.role', input: {}, maxAttempts: 1 },
  });
  await eventually(
    async () => ((await sys.prisma.processInstance.findUnique({ where: { id } }))?.status === 'failing' ? true : undefined),
    20_000,
    'failing',
  );
  return id;
}

async function startApproval(): Promise<string> {
  const res = await sessions
    .get('sales_supervisor')!
    .post('/api/processes', { definition: 'two-level-approval', projectId: 'DEMO', input: { subject: 'matrix' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const SAMPLES: Record<string, (role: RoleName) => Promise<Sample>> = {
  'auth.logout': async () => ({ path: '/api/auth/logout', ownSession: true }),
  'auth.me': async () => ({ path: '/api/auth/me' }),
  'auth.password': async () => ({
    path: '/api/auth/password',
    body: { currentPassword: sys.env.password, newPassword: sys.env.password },
    ownSession: true,
  }),
  'definitions.list': async () => ({ path: '/api/definitions' }),
  'definitions.show': async () => ({ path: '/api/definitions/two-level-approval' }),
  'processes.start': async () => ({
    path: '/api/processes',
    body: { definition: 'two-level-approval', projectId: 'DEMO', input: { subject: 'matrix' } },
  }),
  'processes.list': async () => ({ path: '/api/processes?status=running' }),
  'processes.show': async () => ({ path: `/api/processes/${encodeURIComponent(processId)}` }),
  'processes.cancel': async () => ({ path: `/api/processes/${encodeURIComponent(await startApproval())}/cancel` }),
  'tasks.list': async () => ({ path: '/api/tasks?mine=true' }),
  'tasks.show': async () => ({ path: `/api/tasks/${taskId}` }),
  'tasks.changes': async () => ({ path: '/api/tasks/changes?maxSeconds=1' }),
  'tasks.complete': async (role) => ({ path: `/api/tasks/${await taskFor(role)}/complete`, body: { outcome: 'done' } }),
  'tasks.claim': async (role) => ({ path: `/api/tasks/${await taskFor(role)}/claim`, body: {} }),
  'tasks.release': async (role) => {
    const task = await taskFor(role);
    // Claimed through the workflow itself, so the sample needs no permission of its own.
    const row = await sys.prisma.task.findUniqueOrThrow({ where: { id: task } });
    const me = await sessions.get(role)!.get('/api/auth/me');
    await sys.client.workflow.getHandle(row.processId).executeUpdate(taskActionUpdate, {
      args: [{ action: 'claim', userId: me.body.id, taskId: task, actor: { userId: null, username: 'test' } }],
    });
    return { path: `/api/tasks/${task}/release`, body: {} };
  },
  'tasks.delegate': async (role) => ({ path: `/api/tasks/${await taskFor(role)}/delegate`, body: { toUserId: spareUserId } }),
  'tasks.reassign': async () => ({ path: `/api/tasks/${await taskFor('sales_supervisor')}/reassign`, body: { toRole: 'sales_agent' } }),
  'tasks.deadline': async () => ({
    path: `/api/tasks/${await taskFor('sales_supervisor')}/deadline`,
    body: { action: 'extend', by: { hours: 1 } },
  }),
  'definitions.validate': async () => ({ path: '/api/definitions/validate', body: { definition: twoLevelApproval } }),
  'definitions.publish': async () => ({
    path: '/api/definitions',
    body: { definition: { ...twoLevelApproval, key: `m-${randomUUID().slice(0, 8)}` } },
  }),
  'processes.events': async () => {
    const started = await sessions.get('sales_supervisor')!.post('/api/processes', { definition: EVENT_DEFINITION.key, projectId: 'DEMO' });
    return { path: `/api/processes/${encodeURIComponent(started.body.id)}/events`, body: { name: 'ping', payload: { note: 'hello' } } };
  },
  'processes.retry': async () => ({
    path: `/api/processes/${encodeURIComponent(await failingProcess())}/retry`,
    body: { stepKey: 'notify' },
  }),
  'processes.migrate': async () => {
    const started = await sessions
      .get('sales_supervisor')!
      .post('/api/processes', { definition: EVENT_DEFINITION.key, version: 1, projectId: 'DEMO' });
    expect(started.status).toBe(201);
    return { path: `/api/processes/${encodeURIComponent(started.body.id)}/migrate`, body: { version: 2, dryRun: true } };
  },
  'processes.approvers': async () => {
    const id = await startApproval();
    // The approval must be running: wait for its first task.
    await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId: id } })) ?? undefined);
    return {
      path: `/api/processes/${encodeURIComponent(id)}/approvers`,
      body: { action: 'add', stepKey: 'approve', role: 'management', due: { hours: 4 } },
    };
  },
  'users.list': async () => ({ path: '/api/users' }),
  'users.create': async () => ({
    path: '/api/users',
    body: { username: `m${randomUUID().slice(0, 8)}`, displayName: 'Matrix', password: 'matrix-password-1', roles: ['sales_agent'] },
  }),
  'users.update': async () => ({ path: `/api/users/${spareUserId}`, body: { displayName: `Spare ${randomUUID().slice(0, 4)}` } }),
  'roles.list': async () => ({ path: '/api/roles' }),
  'roles.put': async () => ({ path: '/api/roles/matrix_role', body: { title: 'Matrix role', permissions: ['tasks.read'] } }),
  'projects.list': async () => ({ path: '/api/projects' }),
  'projects.create': async () => ({ path: '/api/projects', body: { id: `P${randomUUID().slice(0, 8)}`, name: 'Matrix project' } }),
  'units.list': async () => ({ path: '/api/units?projectId=DEMO&status=available&limit=5' }),
  'units.show': async () => ({ path: `/api/units/${(await sys.prisma.unit.findFirstOrThrow({ where: { projectId: 'DEMO' } })).id}` }),
  'units.create': async () => ({
    path: '/api/units',
    body: {
      projectId: 'DEMO',
      units: [{ building: 'M', unitNo: randomUUID().slice(0, 8), floor: 3, area: 88.5, layout: '2室', listPrice: 1500000 }],
    },
  }),
  'records.list': async () => ({ path: '/api/records?projectId=DEMO&limit=5' }),
  'records.show': async () => ({ path: `/api/records/${recordId}` }),
  'settings.show': async () => ({ path: '/api/settings' }),
  'settings.update': async () => ({ path: '/api/settings', body: { currencySymbol: '¥' } }),
  'audit.list': async () => ({ path: '/api/audit?limit=5' }),
  'customers.list': async () => ({ path: '/api/customers?projectId=DEMO&limit=5' }),
  // Each role registers a phone of its own: a new customer, so never another agent's.
  'customers.register': async () => ({ path: '/api/customers', body: { projectId: 'DEMO', name: 'Matrix', phone: matrixPhone() } }),
  'customers.export': async () => ({ path: '/api/customers/export?projectId=DEMO' }),
  'customers.transfer': async () => ({
    path: '/api/customers/transfer',
    body: { customerIds: [customerId], toUserId: agentId, reason: 'matrix' },
  }),
  'customers.show': async () => ({ path: `/api/customers/${await ownCustomer()}` }),
  'customers.update': async () => ({ path: `/api/customers/${await ownCustomer()}`, body: { tags: ['matrix'] } }),
  'customers.followUp': async () => ({
    path: `/api/customers/${await ownCustomer()}/follow-ups`,
    body: { channel: 'phone', result: 'called' },
  }),
  'customers.serviceCase': async () => ({
    path: `/api/customers/${await ownCustomer()}/service-cases`,
    body: { kind: 'repair', description: 'door handle' },
  }),
  'deals.list': async () => ({ path: '/api/deals?projectId=DEMO&limit=5' }),
  'orders.list': async () => ({ path: '/api/orders?projectId=DEMO&limit=5' }),
  'orders.cancel': async () => ({
    path: `/api/orders/${await orderOf(await ownCustomer())}/cancel`,
    body: { reason: 'matrix', refundAmount: 0 },
  }),
  'targets.list': async () => ({ path: '/api/targets?projectId=DEMO' }),
  'targets.put': async () => ({
    path: '/api/targets',
    body: { projectId: 'DEMO', period: 'month', periodStart: '2026-12-01', units: 1, amount: 1, visits: 1, followUps: 1 },
  }),
  'help.list': async () => ({ path: '/api/help?locale=en' }),
  'board.show': async () => ({ path: '/api/board?projectId=DEMO' }),
  'people.list': async () => ({ path: '/api/people?projectId=DEMO' }),
  'notifications.list': async () => ({ path: '/api/notifications?unread=true' }),
  'notifications.stream': async () => ({ path: '/api/notifications/stream?maxSeconds=1' }),
  'notifications.read': async (role) => {
    const me = await sessions.get(role)!.get('/api/auth/me');
    const note = await sys.prisma.notification.create({
      data: { userId: me.body.id, idempotencyKey: `matrix:${randomUUID()}`, kind: 'task.created', title: 'Matrix', body: 'Matrix' },
    });
    return { path: `/api/notifications/${note.id}/read` };
  },
  'notifications.read_all': async () => ({ path: '/api/notifications/read-all' }),
  'notifications.preferences.show': async () => ({ path: '/api/me/notification-preferences' }),
  'notifications.preferences.update': async () => ({
    path: '/api/me/notification-preferences',
    body: { digest: { enabled: false, time: '18:00' } },
  }),
  'notifications.dead_letters': async () => ({ path: '/api/notifications/dead-letters' }),
  'notifications.dead_letters.retry': async () => {
    const dead = await sys.prisma.notificationDelivery.create({
      data: {
        idempotencyKey: `matrix:${randomUUID()}`,
        channel: 'in_app',
        target: 'nobody',
        kind: 'task.created',
        template: 'task.created',
        locale: 'en',
        subject: 'Matrix',
        body: 'Matrix',
        status: 'dead',
      },
    });
    return { path: `/api/notifications/dead-letters/${dead.id}/retry` };
  },
  'notifications.webhooks.list': async () => ({ path: '/api/notification-webhooks' }),
  'notifications.webhooks.create': async () => ({
    path: '/api/notification-webhooks',
    body: { name: 'Matrix robot', provider: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix', active: false },
  }),
  'notifications.webhooks.update': async () => ({ path: `/api/notification-webhooks/${await inactiveRobot()}`, body: { name: 'Renamed' } }),
  'notifications.webhooks.delete': async () => ({ path: `/api/notification-webhooks/${await inactiveRobot()}` }),
  'users.password_reset': async () => ({ path: `/api/users/${spareUserId}/password-reset`, body: {} }),
  'analytics.funnel': async () => ({ path: '/api/analytics/funnel?projectId=DEMO' }),
  'analytics.breakdown': async () => ({ path: '/api/analytics/breakdown?projectId=DEMO&by=agent' }),
  'analytics.trend': async () => ({ path: '/api/analytics/trend?projectId=DEMO&grain=week' }),
  'analytics.overdue': async () => ({ path: '/api/analytics/follow-ups/overdue?projectId=DEMO' }),
  'analytics.inventory': async () => ({ path: '/api/analytics/inventory?projectId=DEMO' }),
  'analytics.targets': async () => ({ path: '/api/analytics/targets?projectId=DEMO' }),
  'analytics.forecast': async () => ({ path: '/api/analytics/forecast?projectId=DEMO' }),
  'analytics.report': async () => ({ path: '/api/analytics/reports/weekly?projectId=DEMO' }),
  'analytics.reportPdf': async () => ({ path: '/api/analytics/reports/daily/pdf?projectId=DEMO' }),
  'analytics.mine': async () => ({ path: '/api/analytics/mine?projectId=DEMO' }),
  'analytics.phases': async () => ({ path: '/api/analytics/phases?projectId=DEMO' }),
  'analytics.reportSubscriptions': async () => ({ path: '/api/analytics/report-subscriptions' }),
  // Stopping (not starting) a subscription: the matrix leaves no subscriptions behind for other files' dispatchers.
  'analytics.subscribeReport': async () => ({
    path: '/api/analytics/report-subscriptions',
    body: { projectId: 'DEMO', kind: 'monthly', subscribed: false },
  }),
  'analytics.export': async () => ({ path: '/api/analytics/export?projectId=DEMO&table=funnel&format=csv' }),
};

/** A fresh mainland mobile number. */
const matrixPhone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
let customerId: string;
let agentId: string;

/**
 * A customer the calling role's user owns (registered straight in the database, so
 * that the sample needs no permission besides the route's): only its owner, or a
 * role that reads every customer, may change it.
 */
async function ownCustomer(): Promise<string> {
  const [, role] = currentCase;
  const user = await sys.prisma.user.findUniqueOrThrow({ where: { username: userOf(role) } });
  const c = await sys.prisma.customer.create({ data: { projectId: 'DEMO', name: 'Matrix own', phone: matrixPhone(), ownerId: user.id } });
  return c.id;
}

/** A subscription order of a customer, on a unit no process holds (the cancellation's own checks run later). */
async function orderOf(customer: string): Promise<string> {
  const unit = await sys.prisma.unit.create({
    data: { projectId: 'DEMO', building: 'MX', unitNo: randomUUID().slice(0, 8), floor: 1, area: 80, layout: '2室', listPrice: 1_000_000 },
  });
  const order = await sys.prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId: customer,
      unitId: unit.id,
      kind: 'subscription',
      processId: `matrix-order:${randomUUID()}`,
      holderProcessId: `matrix-order:${randomUUID()}`,
      listPrice: 1_000_000,
      price: 1_000_000,
      status: 'signed',
    },
  });
  return order.id;
}

/** A group robot that never receives anything (inactive), for the robot routes. */
async function inactiveRobot(): Promise<string> {
  const row = await sys.prisma.notificationWebhook.create({
    data: { name: 'Matrix robot', provider: 'wecom', url: 'http://127.0.0.1:9/robot', active: false },
  });
  return row.id;
}

/** A published definition that accepts an event, for the events route. */
const EVENT_DEFINITION = {
  key: 'matrix-events',
  version: 1,
  title: 'Matrix events',
  roles: ['sales_supervisor'],
  input: [],
  events: [{ name: 'ping', payload: [{ name: 'note', type: 'string' }] }],
  root: { kind: 'event', id: 'wait', event: 'ping' },
};

beforeAll(async () => {
  sys = await startSystem();
  for (const role of ROLE_NAMES) sessions.set(role, await sys.login(userOf(role)));
  expect([200, 201]).toContain((await sessions.get('admin')!.post('/api/definitions', { definition: EVENT_DEFINITION })).status);
  // A second version, for instances to migrate to.
  const next = { ...EVENT_DEFINITION, version: 2, title: 'Matrix events v2' };
  expect([200, 201]).toContain((await sessions.get('admin')!.post('/api/definitions', { definition: next })).status);
  processId = await startApproval();
  taskId = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId } }))?.id);
  const spare = await sessions.get('admin')!.post('/api/users', {
    username: `spare${randomUUID().slice(0, 6)}`,
    displayName: 'Spare',
    password: 'spare-password-1',
    roles: [],
    projects: ['DEMO'],
  });
  spareUserId = spare.body.id;
  // A submitted document to read: a one-task process whose step keeps a record.
  const withRecord = await startDirect({
    roles: ['sales_agent'],
    root: { kind: 'task', id: 'note', title: 'Note', role: 'sales_agent', due: { hours: 1 }, record: 'matrix-note' },
  });
  const noteTask = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId: withRecord } })) ?? undefined);
  expect((await sessions.get('sales_agent')!.post(`/api/tasks/${noteTask.id}/complete`, { outcome: 'done' })).status).toBe(200);
  recordId = (await eventually(async () => (await sys.prisma.record.findFirst({ where: { processId: withRecord } })) ?? undefined)).id;
  const admin = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
  agentId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } })).id;
  customerId = (await sys.prisma.customer.create({ data: { projectId: 'DEMO', name: 'Matrix', phone: matrixPhone(), ownerId: admin.id } }))
    .id;
});
afterAll(() => sys?.stop());

test('the public routes are exactly the sign-in and reset routes', () => {
  expect(
    ROUTES.filter((r) => r.access === 'public')
      .map((r) => r.id)
      .sort(),
  ).toEqual([...PUBLIC_ROUTES].sort());
});

test('every protected route has a sample request', () => {
  const missing = ROUTES.filter((r) => r.access !== 'public' && !SAMPLES[r.id]).map((r) => r.id);
  expect(missing).toEqual([]);
});

const cases = ROUTES.filter((r) => r.access !== 'public').flatMap((r) => ROLE_NAMES.map((role) => [r.id, role, r] as const));

/** The case running now, for samples that depend on the caller's role. */
let currentCase: readonly [string, RoleName];

test.each(cases)('%s as %s', async (_id, role, route) => {
  currentCase = [_id, role];
  const allowed = route.access === 'signed-in' || (DEFAULT_ROLES[role].permissions as string[]).includes(route.access);
  const sample = await SAMPLES[route.id]!(role);
  const session = sample.ownSession ? await sys.login(userOf(role)) : sessions.get(role)!;
  const res = await http(sys.url, route.method.toUpperCase(), sample.path, {
    token: session.token,
    body: route.method === 'get' ? undefined : (sample.body ?? {}),
  });
  // Changing the password revokes the user's other sessions: sign the matrix in again.
  if (sample.ownSession) sessions.set(role, await sys.login(userOf(role)));
  if (allowed) {
    // On failure this shows the status and the error body.
    expect(res.status >= 200 && res.status < 300 ? '2xx' : { status: res.status, body: res.body }).toEqual('2xx');
  } else {
    expect(res.status).toBe(403);
  }
});
