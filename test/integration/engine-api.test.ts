import { randomUUID } from 'node:crypto';
import { twoLevelApproval, type ProcessDefinition } from '../../definitions';
import { eventually, startSystem, type Session, type TestSystem } from '../support/system';

// The engine through its API: publishing and validating definitions, versions,
// events, retries and task actions — real HTTP, the dev server, Postgres.

let sys: TestSystem;
let admin: Session;
let supervisor: Session;
let agent: Session;
let gm: Session;

beforeAll(async () => {
  sys = await startSystem();
  [admin, supervisor, agent, gm] = await Promise.all([sys.login('admin'), sys.login('supervisor'), sys.login('agent'), sys.login('gm')]);
});
afterAll(() => sys?.stop());

const uniqueKey = () => `t-${randomUUID().slice(0, 8)}`;

/** A definition with an event wait and then a task, under a fresh key. */
const eventThenTask = (key: string, version = 1, title = 'Milestone then check'): ProcessDefinition => ({
  key,
  version,
  title,
  roles: ['sales_supervisor', 'sales_agent'],
  input: [{ name: 'building', type: 'string', required: true }],
  events: [{ name: 'milestone', payload: [{ name: 'floor', type: 'integer', required: true, min: 1 }] }],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      { kind: 'event', id: 'reached', event: 'milestone' },
      {
        kind: 'task',
        id: 'check',
        title: 'Check the sales path',
        role: 'sales_agent',
        due: { hours: 8 },
        form: [{ name: 'ok', type: 'boolean', required: true }],
      },
    ],
  },
});

async function startAndWait(definition: string, input: Record<string, unknown>, version?: number) {
  const res = await supervisor.post('/api/processes', { definition, version, projectId: 'DEMO', input });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('definitions', () => {
  test('validate reports every problem with its path, and stores nothing', async () => {
    const bad = {
      ...twoLevelApproval,
      key: uniqueKey(),
      roles: ['sales_supervisor', 'wizard'],
      root: { kind: 'loop', id: 'l', body: { kind: 'timer', id: 't', duration: { hours: 1 } }, maxIterations: 3 },
    };
    const res = await supervisor.post('/api/definitions/validate', { definition: bad });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems).toEqual(
      expect.arrayContaining([
        { path: 'roles.1', message: 'unknown role "wizard"' },
        { path: 'root', message: 'a loop needs an exit: a while condition or an untilEvent' },
      ]),
    );
    expect((await supervisor.post('/api/definitions/validate', { definition: twoLevelApproval })).body).toEqual({ ok: true, problems: [] });
    expect((await admin.get(`/api/definitions/${bad.key}`)).status).toBe(404);
  });

  test('publish refuses a bad definition with 400 and the full list, and stores nothing', async () => {
    const key = uniqueKey();
    const res = await admin.post('/api/definitions', { definition: { ...eventThenTask(key), roles: ['sales_supervisor'], events: [] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'body.root.steps.0.event', reason: 'unknown event "milestone"' },
      { field: 'body.root.steps.1.role', reason: 'role "sales_agent" is not declared in roles' },
    ]);
    expect((await admin.get(`/api/definitions/${key}`)).status).toBe(404);
    expect((await supervisor.post('/api/definitions', { definition: eventThenTask(key) })).status).toBe(403);
  });

  test('a published version is immutable; a new version changes only new instances', async () => {
    const key = uniqueKey();
    expect((await admin.post('/api/definitions', { definition: eventThenTask(key) })).status).toBe(201);
    // The same content again is a no-op; other content under the same version is refused.
    expect((await admin.post('/api/definitions', { definition: eventThenTask(key) })).body).toMatchObject({ created: false });
    expect((await admin.post('/api/definitions', { definition: eventThenTask(key, 1, 'Changed') })).status).toBe(409);
    await expect(sys.prisma.$executeRawUnsafe(`UPDATE process_definitions SET title = 'x' WHERE key = '${key}'`)).rejects.toThrow(
      /immutable/,
    );

    const v1 = await startAndWait(key, { building: 'B1' });
    expect((await admin.post('/api/definitions', { definition: eventThenTask(key, 2, 'Version two') })).status).toBe(201);
    const v2 = await startAndWait(key, { building: 'B2' });
    const pinned = await startAndWait(key, { building: 'B3' }, 1);
    const versions = await Promise.all(
      [v1, v2, pinned].map(async (id) => (await supervisor.get(`/api/processes/${encodeURIComponent(id)}`)).body.definitionVersion),
    );
    expect(versions).toEqual([1, 2, 1]);
    const listed = (await supervisor.get('/api/definitions')).body.find((d: { key: string }) => d.key === key);
    expect(listed).toMatchObject({ latestVersion: 2, versions: [{ version: 1 }, { version: 2 }] });
    expect(
      (await supervisor.post('/api/processes', { definition: key, version: 9, projectId: 'DEMO', input: { building: 'x' } })).body.error
        .details[0].field,
    ).toBe('body.version');
    expect(await sys.prisma.auditEvent.count({ where: { action: 'definition.publish', objectId: { startsWith: `${key}@` } } })).toBe(2);
  });
});

describe('processes', () => {
  test('events: payload validated, delivered once per idempotency key, then the process goes on', async () => {
    const key = uniqueKey();
    await admin.post('/api/definitions', { definition: eventThenTask(key) });
    const id = await startAndWait(key, { building: 'B7' });
    const path = `/api/processes/${encodeURIComponent(id)}/events`;
    expect((await supervisor.post(path, { name: 'milestone', payload: { floor: 0 } })).body.error.details[0].field).toBe(
      'body.payload.floor',
    );
    expect((await supervisor.post(path, { name: 'other', payload: {} })).status).toBe(400);
    expect((await agent.post(path, { name: 'milestone', payload: { floor: 3 } })).status).toBe(403);
    const eventKey = randomUUID();
    const [a, b] = await Promise.all([
      supervisor.post(path, { name: 'milestone', payload: { floor: 12 } }, { 'idempotency-key': eventKey }),
      supervisor.post(path, { name: 'milestone', payload: { floor: 12 } }, { 'idempotency-key': eventKey }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const task = await eventually(async () => (await agent.get(`/api/tasks?mine=true&processId=${encodeURIComponent(id)}`)).body.items[0]);
    const shown = await supervisor.get(`/api/processes/${encodeURIComponent(id)}`);
    expect(shown.body.variables.reached).toMatchObject({ received: true, payload: { floor: 12 } });
    expect(shown.body.history.filter((e: { type: string }) => e.type === 'event.received')).toHaveLength(1);
    expect((await agent.post(`/api/tasks/${task.id}/complete`, { outcome: 'done', data: { ok: 'yes' } })).body.error.details[0].field).toBe(
      'body.data.ok',
    );
    expect((await agent.post(`/api/tasks/${task.id}/complete`, { outcome: 'done', data: { ok: true } })).status).toBe(200);
  });

  test('a failing activity step shows in the API and is retried through it', async () => {
    const key = uniqueKey();
    const definition: ProcessDefinition = {
      key,
      version: 1,
      title: 'Notify',
      roles: ['sales_supervisor'],
      input: [{ name: 'role', type: 'string' }],
      root: {
        kind: 'activity',
        id: 'notify',
        activity: 'notify.role',
        input: { role: { var: 'role' }, subject: { value: 'Phase plan confirmed' } },
        maxAttempts: 1,
      },
    };
    expect((await admin.post('/api/definitions', { definition })).status).toBe(201);
    const id = await startAndWait(key, {});
    const failing = await eventually(
      async () => {
        const res = await supervisor.get(`/api/processes/${encodeURIComponent(id)}`);
        return res.body.status === 'failing' ? res.body : undefined;
      },
      20_000,
      'failing',
    );
    expect(failing.steps).toEqual({ notify: 'failed' });
    expect((await supervisor.get('/api/processes?status=failing')).body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await supervisor.post(`/api/processes/${encodeURIComponent(id)}/retry`, { stepKey: 'nope' })).status).toBe(409);
    expect((await supervisor.post(`/api/processes/${encodeURIComponent(id)}/retry`, { stepKey: 'notify' })).status).toBe(202);
    // Still failing (the role input is still missing), and still visible as such.
    await eventually(
      async () => {
        const res = await supervisor.get(`/api/processes/${encodeURIComponent(id)}`);
        return res.body.history.filter((e: { type: string }) => e.type === 'step.failed').length === 2 ? true : undefined;
      },
      20_000,
      'second failure',
    );
    const cancels = await Promise.all([1, 2].map(() => supervisor.post(`/api/processes/${encodeURIComponent(id)}/cancel`)));
    expect(cancels.map((r) => r.status)).toEqual([202, 202]);
    // Asked twice, cancelled once: one audit row, and the process ends cancelled.
    expect(await sys.prisma.auditEvent.count({ where: { objectId: id, action: 'process.cancel' } })).toBe(1);
    await eventually(async () =>
      (await sys.prisma.processInstance.findUnique({ where: { id } }))?.status === 'cancelled' ? true : undefined,
    );
    expect((await supervisor.post(`/api/processes/${encodeURIComponent(id)}/cancel`)).status).toBe(409);
  });

  test('list filters: definition, status, starter, overdue', async () => {
    const me = (await supervisor.get('/api/auth/me')).body;
    const id = await startAndWait('two-level-approval', { subject: 'filters' });
    await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId: id } })) ?? undefined);
    const mine = await supervisor.get(`/api/processes?definition=two-level-approval&status=running&startedBy=${me.id}`);
    expect(mine.body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await supervisor.get('/api/processes?overdue=true')).body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    await sys.prisma.task.updateMany({ where: { processId: id }, data: { dueAt: new Date(Date.now() - 1000) } });
    expect((await supervisor.get('/api/processes?overdue=true')).body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await supervisor.get('/api/processes?status=bogus')).status).toBe(400);
  });
});

describe('task actions through the API', () => {
  async function approvalTask() {
    const id = await startAndWait('two-level-approval', { subject: 'actions' });
    const task = await eventually(
      async () => (await supervisor.get(`/api/tasks?mine=true&processId=${encodeURIComponent(id)}`)).body.items[0],
    );
    return { id, task };
  }

  test('claim makes the task one person’s; release gives it back', async () => {
    const { task } = await approvalTask();
    expect((await gm.post(`/api/tasks/${task.id}/claim`)).status).toBe(403);
    expect((await supervisor.post(`/api/tasks/${task.id}/claim`)).body.assigneeUserId).toBeDefined();
    const other = await admin.post('/api/users', {
      username: `sup${randomUUID().slice(0, 6)}`,
      displayName: 'Second supervisor',
      password: 'second-super-1',
      roles: ['sales_supervisor'],
      projects: ['DEMO'],
    });
    const second = await sys.login(other.body.username, 'second-super-1');
    expect((await second.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(403);
    expect((await second.get('/api/tasks?mine=true')).body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);
    // Only the claimer (or a manager, as supervisors are) may release it.
    expect((await agent.post(`/api/tasks/${task.id}/release`)).status).toBe(403);
    expect((await supervisor.post(`/api/tasks/${task.id}/release`)).status).toBe(200);
    expect((await second.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  });

  test('delegate and return through the API', async () => {
    const { task } = await approvalTask();
    const helper = await admin.post('/api/users', {
      username: `help${randomUUID().slice(0, 6)}`,
      displayName: 'Helper',
      password: 'helper-pass-1',
      roles: ['sales_agent'],
      projects: ['DEMO'],
    });
    expect((await supervisor.post(`/api/tasks/${task.id}/delegate`, { toUserId: randomUUID() })).body.error.details[0].field).toBe(
      'body.toUserId',
    );
    expect((await supervisor.post(`/api/tasks/${task.id}/delegate`, { toUserId: helper.body.id })).status).toBe(200);
    const delegate = await sys.login(helper.body.username, 'helper-pass-1');
    expect((await delegate.get('/api/tasks?mine=true')).body.items.map((t: { id: string }) => t.id)).toContain(task.id);
    const back = await delegate.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve', data: { comment: 'looks fine to me' } });
    expect(back.body).toMatchObject({ returnedToOwner: true });
    expect((await delegate.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(403);
    expect(
      (await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve', data: { comment: 'agreed' } })).body,
    ).toMatchObject({ returnedToOwner: false });
  });

  test('reassign, extend, pause and resume need tasks.manage and are audited', async () => {
    const { task } = await approvalTask();
    expect((await agent.post(`/api/tasks/${task.id}/reassign`, { toRole: 'general_manager' })).status).toBe(403);
    expect((await supervisor.post(`/api/tasks/${task.id}/reassign`, {})).status).toBe(400);
    expect((await supervisor.post(`/api/tasks/${task.id}/reassign`, { toRole: 'general_manager' })).body.role).toBe('general_manager');
    const before = (await gm.get(`/api/tasks/${task.id}`)).body.dueAt;
    const extended = await gm.post(`/api/tasks/${task.id}/deadline`, { action: 'extend', by: { hours: 4 } });
    expect(Date.parse(extended.body.dueAt) - Date.parse(before)).toBe(4 * 3_600_000);
    expect((await gm.post(`/api/tasks/${task.id}/deadline`, { action: 'resume' })).status).toBe(409);
    expect((await gm.post(`/api/tasks/${task.id}/deadline`, { action: 'pause' })).status).toBe(200);
    expect((await gm.get(`/api/tasks/${task.id}`)).body.pausedAt).not.toBeNull();
    expect((await gm.post(`/api/tasks/${task.id}/deadline`, { action: 'resume' })).status).toBe(200);
    const audit = await sys.prisma.auditEvent.findMany({ where: { objectId: task.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['task.reassign', 'task.extend-deadline', 'task.pause-deadline', 'task.resume-deadline']);
  });

  test('add and skip approvers through the API', async () => {
    const { id } = await approvalTask();
    const path = `/api/processes/${encodeURIComponent(id)}/approvers`;
    expect((await agent.post(path, { action: 'skip', stepKey: 'approve', index: 1 })).status).toBe(403);
    expect((await supervisor.post(path, { action: 'skip', stepKey: 'nope', index: 1 })).status).toBe(409);
    expect((await supervisor.post(path, { action: 'add', stepKey: 'approve', role: 'management', due: { hours: 4 } })).body).toEqual({
      approvers: ['sales_supervisor', 'general_manager', 'management'],
      skipped: [],
    });
    expect((await supervisor.post(path, { action: 'skip', stepKey: 'approve', index: 1 })).body.skipped).toEqual([1]);
  });
});
