import { randomUUID } from 'node:crypto';
import { DEFAULT_ROLES, ROLE_NAMES, type RoleName } from '../../api/permissions';
import { buildRoutes } from '../../api/routes';
import type { RouteSpec } from '../../api/http';
import type { ProcessDefinition } from '../../definitions';
import type { Services } from '../../api/services';
import { eventually, http, startSystem, type HttpResult, type Session, type TestSystem } from '../support/system';
import { startProcess } from '../support/processes';

// Every route of the route table whose data belongs to a project or to a customer's
// agent, called by the people it does not belong to — as an attacker would, with the
// ids of the real thing:
//
// - outsiders: one user per role who is a member only of another project (FOREIGN);
//   every `project` and `customer` route must refuse them (403/404) or answer without
//   a trace of DEMO's data;
// - colleagues: DEMO users who neither own the customer nor read every customer (a
//   second agent, the AE, marketing, project management, the designer); every
//   `customer` route must refuse them or answer with the personal data masked.
//
// The list of routes comes from the route table and each route's declared `scope`
// (api/http.ts), so a new route without an attack here fails the first test. Reads
// also run as the data's owner (a control): the same request must show the secret,
// so an attack cannot pass by asking for nothing.

const ROUTES: RouteSpec<any, any, any>[] = buildRoutes({} as Services);

/** One request of an attack. */
interface Request {
  method?: string;
  path: string;
  body?: unknown;
  /** Strings besides the canary's phone and ID number that this answer must not carry. */
  secrets?: string[];
  /** A user who may read it (the owner or a reader of every customer): must get 2xx showing the secrets. */
  control?: string;
}

/** How a route is attacked: by outsiders (other project), by colleagues (same project, not the owner). */
interface Attack {
  outsider: Request;
  colleague?: Request;
}

let sys: TestSystem;
/** Sessions by user name. */
const sessions = new Map<string, Session>();
const OUTSIDER_PASSWORD = 'outsider-password-1';
/** The roles that are limited to their projects (not `projects.all`): an outsider of each. */
const OUTSIDER_ROLES = ROLE_NAMES.filter((r) => !(DEFAULT_ROLES[r].permissions as string[]).includes('projects.all'));
/** DEMO users who are not the canary's owner and do not read every customer. */
const COLLEAGUES: { username: string; role: RoleName }[] = [
  { username: 'agent2', role: 'sales_agent' },
  { username: 'ae', role: 'sales_ae' },
  { username: 'marketing', role: 'marketing' },
  { username: 'pm', role: 'project_manager' },
  { username: 'designer', role: 'design_consultant' },
];

/** The canary: a DEMO customer of `agent` with everything that hangs off a customer. */
const canary = {
  phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  idNumber: `11010519${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`,
  name: `金丝雀${randomUUID().slice(0, 6)}`,
  customerId: '',
  processId: '',
  openTaskId: '',
  recordId: '',
  orderId: '',
  unitId: '',
};
let outsiderAgentId = '';

/** A process holding the canary's personal data in its input, a completed task's data and a record. */
const CANARY_DEFINITION: ProcessDefinition = {
  key: 'canary-intake',
  version: 1,
  title: 'Canary intake',
  roles: ['sales_agent'],
  input: [
    { name: 'phone', type: 'string' },
    { name: 'idNumber', type: 'string' },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'task',
        id: 'note',
        title: 'Note the buyer',
        role: 'sales_agent',
        due: { hours: 1 },
        record: 'canary-note',
        form: [
          { name: 'phone', type: 'string' },
          { name: 'idNumber', type: 'string' },
        ],
      },
      { kind: 'task', id: 'follow', title: 'Follow up', role: 'sales_agent', due: { hours: 1 } },
    ],
  },
};

const ATTACKS: Record<string, () => Attack> = {
  'processes.start': () => ({
    outsider: {
      method: 'POST',
      path: '/api/processes',
      body: { definition: 'two-level-approval', projectId: 'DEMO', input: { subject: 'x' } },
    },
  }),
  'processes.list': () => ({
    outsider: { path: '/api/processes?projectId=DEMO' },
    colleague: { path: `/api/processes?definition=${CANARY_DEFINITION.key}`, control: 'agent' },
  }),
  'processes.show': () => ({
    outsider: { path: `/api/processes/${encodeURIComponent(canary.processId)}` },
    colleague: { path: `/api/processes/${encodeURIComponent(canary.processId)}`, control: 'agent' },
  }),
  'processes.cancel': () => ({ outsider: { method: 'POST', path: `/api/processes/${encodeURIComponent(canary.processId)}/cancel` } }),
  'processes.events': () => ({
    outsider: {
      method: 'POST',
      path: `/api/processes/${encodeURIComponent(canary.processId)}/events`,
      body: { name: 'ping', payload: {} },
    },
  }),
  'processes.retry': () => ({
    outsider: { method: 'POST', path: `/api/processes/${encodeURIComponent(canary.processId)}/retry`, body: { stepKey: 'follow' } },
  }),
  'processes.migrate': () => ({
    outsider: {
      method: 'POST',
      path: `/api/processes/${encodeURIComponent(canary.processId)}/migrate`,
      body: { version: 1, dryRun: true },
    },
  }),
  'processes.approvers': () => ({
    outsider: {
      method: 'POST',
      path: `/api/processes/${encodeURIComponent(canary.processId)}/approvers`,
      body: { action: 'add', stepKey: 'follow', role: 'management', due: { hours: 4 } },
    },
  }),
  'tasks.list': () => ({
    outsider: { path: '/api/tasks?projectId=DEMO' },
    colleague: { path: `/api/tasks?processId=${encodeURIComponent(canary.processId)}`, control: 'agent' },
  }),
  'tasks.changes': () => ({ outsider: { path: '/api/tasks/changes?maxSeconds=2', secrets: [canary.processId] } }),
  'tasks.show': () => ({
    outsider: { path: `/api/tasks/${canary.openTaskId}` },
    colleague: { path: `/api/tasks/${noteTaskId}`, control: 'agent' },
  }),
  'tasks.complete': () => ({ outsider: { method: 'POST', path: `/api/tasks/${canary.openTaskId}/complete`, body: { outcome: 'done' } } }),
  'tasks.claim': () => ({ outsider: { method: 'POST', path: `/api/tasks/${canary.openTaskId}/claim`, body: {} } }),
  'tasks.release': () => ({ outsider: { method: 'POST', path: `/api/tasks/${canary.openTaskId}/release`, body: {} } }),
  'tasks.delegate': () => ({
    outsider: { method: 'POST', path: `/api/tasks/${canary.openTaskId}/delegate`, body: { toUserId: outsiderAgentId } },
  }),
  'tasks.reassign': () => ({
    outsider: { method: 'POST', path: `/api/tasks/${canary.openTaskId}/reassign`, body: { toUserId: outsiderAgentId } },
  }),
  'tasks.deadline': () => ({
    outsider: { method: 'POST', path: `/api/tasks/${canary.openTaskId}/deadline`, body: { action: 'extend', by: { hours: 1 } } },
  }),
  'units.list': () => ({ outsider: { path: '/api/units?projectId=DEMO' } }),
  'units.show': () => ({ outsider: { path: `/api/units/${canary.unitId}` } }),
  'units.create': () => ({
    outsider: {
      method: 'POST',
      path: '/api/units',
      body: {
        projectId: 'DEMO',
        units: [{ building: 'X', unitNo: randomUUID().slice(0, 8), floor: 3, area: 88.5, layout: '2室', listPrice: 1500000 }],
      },
    },
  }),
  'records.list': () => ({
    outsider: { path: '/api/records?projectId=DEMO' },
    colleague: { path: `/api/records?processId=${encodeURIComponent(canary.processId)}`, control: 'agent' },
  }),
  'records.show': () => ({
    outsider: { path: `/api/records/${canary.recordId}` },
    colleague: { path: `/api/records/${canary.recordId}`, control: 'agent' },
  }),
  'customers.list': () => ({
    outsider: { path: '/api/customers?projectId=DEMO' },
    // Searching by the last digits of a number one cannot see must not tell whose it is.
    colleague: { path: `/api/customers?projectId=DEMO&q=${canary.phone.slice(-4)}`, secrets: [canary.customerId], control: 'agent' },
  }),
  'customers.register': () => ({
    outsider: { method: 'POST', path: '/api/customers', body: { projectId: 'DEMO', name: 'Outsider', phone: canary.phone } },
  }),
  'customers.export': () => ({ outsider: { path: '/api/customers/export?projectId=DEMO' } }),
  'customers.transfer': () => ({
    outsider: {
      method: 'POST',
      path: '/api/customers/transfer',
      body: { customerIds: [canary.customerId], toUserId: outsiderAgentId, reason: 'take over' },
    },
  }),
  'customers.show': () => ({
    outsider: { path: `/api/customers/${canary.customerId}` },
    colleague: { path: `/api/customers/${canary.customerId}`, control: 'agent' },
  }),
  'customers.update': () => ({
    outsider: { method: 'PATCH', path: `/api/customers/${canary.customerId}`, body: { tags: ['taken'] } },
    colleague: { method: 'PATCH', path: `/api/customers/${canary.customerId}`, body: { tags: ['taken'] } },
  }),
  'customers.followUp': () => {
    const req = { method: 'POST', path: `/api/customers/${canary.customerId}/follow-ups`, body: { channel: 'phone', result: 'called' } };
    return { outsider: req, colleague: req };
  },
  'customers.serviceCase': () => {
    const req = {
      method: 'POST',
      path: `/api/customers/${canary.customerId}/service-cases`,
      body: { kind: 'repair', description: 'door' },
    };
    return { outsider: req, colleague: req };
  },
  'deals.list': () => ({
    outsider: { path: '/api/deals?projectId=DEMO' },
    colleague: { path: `/api/deals?customerId=${canary.customerId}`, secrets: [canary.customerId], control: 'agent' },
  }),
  'orders.list': () => ({
    outsider: { path: '/api/orders?projectId=DEMO' },
    colleague: { path: `/api/orders?customerId=${canary.customerId}`, secrets: [canary.orderId], control: 'agent' },
  }),
  'orders.cancel': () => {
    const req = { method: 'POST', path: `/api/orders/${canary.orderId}/cancel`, body: { reason: 'taken', refundAmount: 0 } };
    return { outsider: req, colleague: req };
  },
  'targets.list': () => ({ outsider: { path: '/api/targets?projectId=DEMO' } }),
  'targets.put': () => ({
    outsider: {
      method: 'PUT',
      path: '/api/targets',
      body: { projectId: 'DEMO', period: 'month', periodStart: '2026-12-01', units: 1, amount: 1, visits: 1, followUps: 1 },
    },
  }),
  'board.show': () => ({ outsider: { path: '/api/board?projectId=DEMO' } }),
  'people.list': () => ({ outsider: { path: '/api/people?projectId=DEMO' } }),
  'analytics.funnel': () => ({ outsider: { path: '/api/analytics/funnel?projectId=DEMO' } }),
  'analytics.breakdown': () => ({ outsider: { path: '/api/analytics/breakdown?projectId=DEMO&by=agent' } }),
  'analytics.trend': () => ({ outsider: { path: '/api/analytics/trend?projectId=DEMO&grain=week' } }),
  'analytics.overdue': () => ({ outsider: { path: '/api/analytics/follow-ups/overdue?projectId=DEMO' } }),
  'analytics.inventory': () => ({ outsider: { path: '/api/analytics/inventory?projectId=DEMO' } }),
  'analytics.targets': () => ({ outsider: { path: '/api/analytics/targets?projectId=DEMO' } }),
  'analytics.phases': () => ({ outsider: { path: '/api/analytics/phases?projectId=DEMO' } }),
  'analytics.forecast': () => ({ outsider: { path: '/api/analytics/forecast?projectId=DEMO' } }),
  'analytics.report': () => ({ outsider: { path: '/api/analytics/reports/weekly?projectId=DEMO' } }),
  'analytics.reportPdf': () => ({ outsider: { path: '/api/analytics/reports/daily/pdf?projectId=DEMO' } }),
  'analytics.mine': () => ({ outsider: { path: '/api/analytics/mine?projectId=DEMO' } }),
  'analytics.subscribeReport': () => ({
    outsider: {
      method: 'PUT',
      path: '/api/analytics/report-subscriptions',
      body: { projectId: 'DEMO', kind: 'monthly', subscribed: true },
    },
  }),
  'analytics.export': () => ({ outsider: { path: '/api/analytics/export?projectId=DEMO&table=funnel&format=csv' } }),
};

let noteTaskId = '';

/** Whether `role`'s default permissions allow calling `route` at all (otherwise the role matrix covers it). */
const mayCall = (role: RoleName, route: RouteSpec<any, any, any>) =>
  route.access === 'signed-in' || (DEFAULT_ROLES[role].permissions as string[]).includes(route.access);

async function send(username: string, req: Request): Promise<HttpResult> {
  return http(sys.url, req.method ?? 'GET', req.path, {
    token: sessions.get(username)!.token,
    body: (req.method ?? 'GET') === 'GET' ? undefined : (req.body ?? {}),
    timeoutMs: 20_000,
  });
}

/** The answer's bytes as text, whatever its type (JSON, CSV, PDF, an event stream). */
function text(res: HttpResult): string {
  return typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
}

/** The secrets an answer to `who` must not carry. */
function secretsFor(who: 'outsider' | 'colleague', req: Request): string[] {
  const personal = [canary.phone, canary.idNumber, ...(req.secrets ?? [])];
  if (who === 'colleague') return personal;
  return [...personal, canary.customerId, canary.name, canary.processId, canary.openTaskId, canary.recordId, canary.orderId];
}

/** Refused, or answered without any secret. */
function expectNoLeak(res: HttpResult, who: 'outsider' | 'colleague', req: Request, label: string): void {
  if (res.status === 403 || res.status === 404) return;
  const body = text(res);
  const leaked = secretsFor(who, req).filter((s) => s && body.includes(s));
  // On failure this names the route, the caller, the status and what leaked.
  expect({ label, status: res.status, leaked }).toEqual({ label, status: res.status < 300 ? res.status : 'refused (403/404)', leaked: [] });
  expect(res.status).toBeLessThan(300);
  // A write answered 2xx by an outsider or a colleague is a write that went through.
  expect({ label, write: req.method ?? 'GET' }).toEqual({ label, write: 'GET' });
}

beforeAll(async () => {
  sys = await startSystem();
  const admin = await sys.login('admin');
  expect([200, 201, 409]).toContain((await admin.post('/api/projects', { id: 'FOREIGN', name: 'Foreign project' })).status);
  for (const role of OUTSIDER_ROLES) {
    const username = `outsider_${role}`;
    const created = await admin.post('/api/users', {
      username,
      displayName: `Outsider ${role}`,
      password: OUTSIDER_PASSWORD,
      roles: [role],
      projects: ['FOREIGN'],
    });
    expect([201, 409]).toContain(created.status);
    sessions.set(username, await sys.login(username, OUTSIDER_PASSWORD));
  }
  outsiderAgentId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'outsider_sales_agent' } })).id;
  const agent2 = await admin.post('/api/users', {
    username: 'agent2',
    displayName: 'Second agent',
    password: OUTSIDER_PASSWORD,
    roles: ['sales_agent'],
    projects: ['DEMO'],
  });
  expect([201, 409]).toContain(agent2.status);
  sessions.set('agent2', await sys.login('agent2', OUTSIDER_PASSWORD));
  for (const username of ['agent', 'supervisor', 'ae', 'marketing', 'pm', 'designer']) sessions.set(username, await sys.login(username));

  // The canary and everything that hangs off it, owned by `agent`.
  const agent = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
  const customer = await sys.prisma.customer.create({
    data: { projectId: 'DEMO', name: canary.name, phone: canary.phone, ownerId: agent.id },
  });
  canary.customerId = customer.id;
  const { processId } = await startProcess(sys.client, sys.taskQueue, CANARY_DEFINITION, {
    input: { phone: canary.phone, idNumber: canary.idNumber },
    startedBy: { userId: agent.id, username: 'agent' },
  });
  canary.processId = processId;
  // The process concerns the canary: its timeline row says so, as a reception's registration does.
  await sys.prisma.customerEvent.create({
    data: { customerId: customer.id, type: 'visit', byId: agent.id, byName: 'agent', processId },
  });
  noteTaskId = await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId, stepId: 'note' } }))?.id,
    15_000,
    'note',
  );
  const done = await sessions.get('agent')!.post(`/api/tasks/${noteTaskId}/complete`, {
    outcome: 'done',
    data: { phone: canary.phone, idNumber: canary.idNumber },
  });
  expect(done.status).toBe(200);
  canary.openTaskId = await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId, stepId: 'follow', status: 'open' } }))?.id,
    15_000,
    'follow',
  );
  canary.recordId = (await eventually(async () => (await sys.prisma.record.findFirst({ where: { processId } })) ?? undefined)).id;
  const unit = await sys.prisma.unit.create({
    data: { projectId: 'DEMO', building: 'CN', unitNo: randomUUID().slice(0, 8), floor: 1, area: 80, layout: '2室', listPrice: 1_000_000 },
  });
  canary.unitId = unit.id;
  const order = await sys.prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId: customer.id,
      unitId: unit.id,
      kind: 'subscription',
      processId: `canary-order:${randomUUID()}`,
      holderProcessId: `canary-order:${randomUUID()}`,
      listPrice: 1_000_000,
      price: 1_000_000,
      status: 'signed',
    },
  });
  canary.orderId = order.id;
  await sys.prisma.deal.create({
    data: { projectId: 'DEMO', customerId: customer.id, stage: 'subscribed', originProcessId: `canary-deal:${randomUUID()}` },
  });
}, 120_000);
afterAll(() => sys?.stop());

const scoped = ROUTES.filter((r) => r.scope === 'project' || r.scope === 'customer');

test('every project- and customer-scoped route of the table has an attack', () => {
  expect(scoped.filter((r) => !ATTACKS[r.id]).map((r) => r.id)).toEqual([]);
  // And nothing attacks a route that is gone or not scoped.
  expect(Object.keys(ATTACKS).filter((id) => !scoped.some((r) => r.id === id))).toEqual([]);
});

test('every customer-scoped read that a colleague may call is attacked by colleagues too', () => {
  const missing = ROUTES.filter(
    (r) => r.scope === 'customer' && COLLEAGUES.some((c) => mayCall(c.role, r)) && ATTACKS[r.id] && !ATTACKS[r.id]!().colleague,
  ).map((r) => r.id);
  expect(missing).toEqual([]);
});

const outsiderCases = scoped.flatMap((r) => OUTSIDER_ROLES.filter((role) => mayCall(role, r)).map((role) => [r.id, role, r] as const));

test.each(outsiderCases)('%s: an outsider (%s of another project) is refused or sees nothing', async (id, role) => {
  const req = ATTACKS[id]!().outsider;
  if (id === 'tasks.changes') {
    // A stream: while it is open, something happens to the canary's task.
    const pending = send(`outsider_${role}`, req);
    await new Promise((r) => setTimeout(r, 500));
    await sessions.get('supervisor')!.post(`/api/tasks/${canary.openTaskId}/deadline`, { action: 'extend', by: { minutes: 1 } });
    expectNoLeak(await pending, 'outsider', req, `${id} as outsider ${role}`);
    return;
  }
  expectNoLeak(await send(`outsider_${role}`, req), 'outsider', req, `${id} as outsider ${role}`);
});

const colleagueCases = ROUTES.filter((r) => r.scope === 'customer').flatMap((r) =>
  COLLEAGUES.filter((c) => mayCall(c.role, r) && ATTACKS[r.id]?.().colleague).map((c) => [r.id, c.username] as const),
);

test.each(colleagueCases)('%s: a colleague who is not the owner (%s) is refused or sees it masked', async (id, username) => {
  const req = ATTACKS[id]!().colleague!;
  expectNoLeak(await send(username, req), 'colleague', req, `${id} as ${username}`);
});

const controlCases = Object.entries(ATTACKS).flatMap(([id]) => (ATTACKS[id]!().colleague?.control ? [id] : []));

test.each(controlCases)('%s: the owner does see what the colleague may not (the attack asks for real data)', async (id) => {
  const req = ATTACKS[id]!().colleague!;
  const res = await send(req.control!, req);
  expect(res.status).toBeLessThan(300);
  const body = text(res);
  const shown = secretsFor('colleague', req).filter((s) => body.includes(s));
  expect(shown.length).toBeGreaterThan(0);
});

test('tasks.changes: the stream does tell a member of the project (the outsider attack can see a change)', async () => {
  const pending = send('supervisor', { path: '/api/tasks/changes?maxSeconds=2' });
  await new Promise((r) => setTimeout(r, 500));
  await sessions.get('supervisor')!.post(`/api/tasks/${canary.openTaskId}/deadline`, { action: 'extend', by: { minutes: 1 } });
  expect(text(await pending)).toContain(canary.processId);
});

test('after a transfer, the new owner reads the phone in the process and task views and the old owner no longer does', async () => {
  const agent2 = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent2' } });
  const moved = await sessions.get('supervisor')!.post('/api/customers/transfer', {
    customerIds: [canary.customerId],
    toUserId: agent2.id,
    reason: 'agent left',
  });
  expect(moved.status).toBe(200);
  try {
    for (const path of [
      `/api/processes/${encodeURIComponent(canary.processId)}`,
      `/api/tasks/${noteTaskId}`,
      `/api/tasks?processId=${encodeURIComponent(canary.processId)}`,
      `/api/records/${canary.recordId}`,
    ]) {
      const asNew = await send('agent2', { path });
      expect({ path, status: asNew.status, full: text(asNew).includes(canary.phone) }).toEqual({ path, status: 200, full: true });
      const asOld = await send('agent', { path });
      expect({ path, status: asOld.status, full: text(asOld).includes(canary.phone) }).toEqual({ path, status: 200, full: false });
    }
    // Search follows the owner as well: the new owner finds the number, the old one no longer does.
    const last4 = `/api/customers?projectId=DEMO&q=${canary.phone.slice(-4)}`;
    expect(text(await send('agent2', { path: last4 }))).toContain(canary.customerId);
    expect(text(await send('agent', { path: last4 }))).not.toContain(canary.customerId);
  } finally {
    const agent = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
    await sessions.get('supervisor')!.post('/api/customers/transfer', {
      customerIds: [canary.customerId],
      toUserId: agent.id,
      reason: 'back',
    });
  }
});

test('the audit trail, which spans every project, needs projects.all besides audit.read', async () => {
  const admin = await sys.login('admin');
  expect((await admin.send('PUT', '/api/roles/project_auditor', { title: 'Project auditor', permissions: ['audit.read'] })).status).toBe(
    200,
  );
  const created = await admin.post('/api/users', {
    username: 'outsider_auditor',
    displayName: 'Outsider auditor',
    password: OUTSIDER_PASSWORD,
    roles: ['project_auditor'],
    projects: ['FOREIGN'],
  });
  expect([201, 409]).toContain(created.status);
  const auditor = await sys.login('outsider_auditor', OUTSIDER_PASSWORD);
  const res = await auditor.get(`/api/audit?objectId=${canary.customerId}`);
  expect(res.status).toBe(403);
  // The organisation-wide reader still reads it.
  expect((await sys.login('management')).token).toBeTruthy();
  expect((await (await sys.login('management')).get('/api/audit?limit=5')).status).toBe(200);
});
