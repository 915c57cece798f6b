import { randomUUID } from 'node:crypto';
import { DEFAULT_ROLES, ROLE_NAMES, type RoleName } from '../../api/permissions';
import { buildRoutes } from '../../api/routes';
import type { RouteSpec } from '../../api/http';
import type { Services } from '../../api/services';
import { DEMO_USERS } from '../../scripts/seed';
import { eventually, http, startSystem, type Session, type TestSystem } from '../support/system';

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

/** Starts a one-task process assigned to `role` and returns its task id. */
async function taskFor(role: RoleName): Promise<string> {
  const id = `matrix:${randomUUID()}`;
  const definition = {
    key: 'matrix',
    version: 1,
    title: 'Matrix',
    roles: [role],
    input: [],
    root: { kind: 'task', id: 'do', title: 'Do it', role, due: { hours: 1 } },
  };
  await sys.client.workflow.start('processInterpreter', {
    workflowId: id,
    taskQueue: sys.taskQueue,
    args: [
      {
        processId: id,
        projectId: 'DEMO',
        definition,
        input: {},
        startedBy: { userId: null, username: 'test' },
        calendar: { weekendDays: [], holidays: [], utcOffsetMinutes: 0 },
      },
    ],
  });
  return eventually(async () => (await sys.prisma.task.findFirst({ where: { processId: id } }))?.id, 15_000, 'matrix task');
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
  'tasks.complete': async (role) => ({ path: `/api/tasks/${await taskFor(role)}/complete`, body: { outcome: 'done' } }),
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
  'settings.show': async () => ({ path: '/api/settings' }),
  'settings.update': async () => ({ path: '/api/settings', body: { currencySymbol: '¥' } }),
  'audit.list': async () => ({ path: '/api/audit?limit=5' }),
};

beforeAll(async () => {
  sys = await startSystem();
  for (const role of ROLE_NAMES) sessions.set(role, await sys.login(userOf(role)));
  processId = await startApproval();
  taskId = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId } }))?.id);
  const spare = await sessions
    .get('admin')!
    .post('/api/users', { username: `spare${randomUUID().slice(0, 6)}`, displayName: 'Spare', password: 'spare-password-1', roles: [] });
  spareUserId = spare.body.id;
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

test.each(cases)('%s as %s', async (_id, role, route) => {
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
