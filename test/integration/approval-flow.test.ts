import { randomUUID } from 'node:crypto';
import { startSystem, eventually, type Session, type TestSystem } from '../support/system';
import { startProcess } from '../support/processes';

// The walking skeleton end to end: real HTTP, the real Temporal dev server, real Postgres.

let sys: TestSystem;
let supervisor: Session;
let gm: Session;
let agent: Session;

beforeAll(async () => {
  sys = await startSystem();
  [supervisor, gm, agent] = await Promise.all([sys.login('supervisor'), sys.login('gm'), sys.login('agent')]);
});
afterAll(() => sys?.stop());

const startRequest = (businessKey = randomUUID()) => ({
  definition: 'two-level-approval',
  projectId: 'DEMO',
  businessKey,
  input: { subject: 'Discount for unit 3-1201', amount: 12000 },
});

/** The open task of `processId` that `who` sees in their list. */
async function openTaskFor(who: Session, processId: string) {
  return eventually(
    async () => {
      const res = await who.get(`/api/tasks?mine=true&processId=${encodeURIComponent(processId)}`);
      expect(res.status).toBe(200);
      return res.body.items[0];
    },
    15_000,
    `a task of ${processId}`,
  );
}

test('supervisor then GM approve: the process completes, with its history', async () => {
  const started = await supervisor.post('/api/processes', startRequest());
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(id).toMatch(/^two-level-approval:/);

  const first = await openTaskFor(supervisor, id);
  expect(first).toMatchObject({ assigneeRole: 'sales_supervisor', status: 'open', outcomes: ['approve', 'reject'] });
  // The GM has nothing yet: the chain is ordered.
  expect((await gm.get(`/api/tasks?mine=true&processId=${encodeURIComponent(id)}`)).body.items).toEqual([]);

  const done = await supervisor.post(`/api/tasks/${first.id}/complete`, { outcome: 'approve', data: { comment: 'ok' } });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ taskId: first.id, outcome: 'approve' });

  const second = await openTaskFor(gm, id);
  expect(second).toMatchObject({ assigneeRole: 'general_manager', taskKey: 'approve/r1/2' });
  expect((await gm.post(`/api/tasks/${second.id}/complete`, { outcome: 'approve' })).status).toBe(200);

  const finished = await eventually(async () => {
    const res = await supervisor.get(`/api/processes/${encodeURIComponent(id)}`);
    return res.body.status === 'completed' ? res.body : undefined;
  });
  expect(finished.tasks.open).toEqual([]);
  expect(finished.tasks.finished.map((t: { outcome: string }) => t.outcome)).toEqual(['approve', 'approve']);
  const history = finished.history.map((e: { type: string; actorName: string }) => `${e.type}:${e.actorName}`);
  expect(history).toEqual([
    'process.started:supervisor',
    'task.created:system',
    'task.completed:supervisor',
    'task.created:system',
    'task.completed:gm',
    'process.completed:system',
  ]);
  const result = await sys.client.workflow.getHandle(id).result();
  expect(result.status).toBe('completed');
});

test('a rejection ends the process as rejected', async () => {
  const { body } = await supervisor.post('/api/processes', startRequest());
  const task = await openTaskFor(supervisor, body.id);
  expect((await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'reject', data: { comment: 'too much' } })).status).toBe(200);
  const result = await sys.client.workflow.getHandle(body.id).result();
  expect(result.status).toBe('rejected');
  const shown = await supervisor.get(`/api/processes/${encodeURIComponent(body.id)}`);
  expect(shown.body.status).toBe('rejected');
  expect(shown.body.tasks.open).toEqual([]);
});

test('bad input is refused with the field named, and writes nothing', async () => {
  const before = await sys.prisma.processInstance.count();
  const cases: [unknown, number, string][] = [
    ['{"definition": ', 400, 'body'],
    [{ ...startRequest(), extra: 1 }, 400, 'body.extra'],
    [{ ...startRequest(), input: { subject: 42 } }, 400, 'body.input.subject'],
    [{ ...startRequest(), input: { subject: 'x', colour: 'red' } }, 400, 'body.input.colour'],
    [{ ...startRequest(), definition: 'no-such-process' }, 400, 'body.definition'],
    [{ ...startRequest(), projectId: 'NOPE' }, 400, 'body.projectId'],
    [{ ...startRequest(), businessKey: 'has space' }, 400, 'body.businessKey'],
    [{ projectId: 'DEMO' }, 400, 'body.definition'],
  ];
  for (const [body, status, field] of cases) {
    const res = await supervisor.post('/api/processes', body);
    expect({ status: res.status, fields: res.body.error.details.map((d: { field: string }) => d.field) }).toEqual({
      status,
      fields: expect.arrayContaining([field]),
    });
  }
  expect(await sys.prisma.processInstance.count()).toBe(before);
});

test('401 without a token, 403 with the wrong role, 404 for unknown ids', async () => {
  const anonymous = await fetch(`${sys.url}/api/processes`);
  expect(anonymous.status).toBe(401);
  const badToken = await fetch(`${sys.url}/api/tasks`, { headers: { authorization: 'Bearer nope' } });
  expect(badToken.status).toBe(401);
  // The sales service team may not start processes; agents may not start a launch.
  const service = await sys.login('service');
  expect((await service.post('/api/processes', startRequest())).status).toBe(403);
  const launch = { definition: 'sales-launch', projectId: 'DEMO', input: { overallPlan: 'p', approvedBy: 'gm', team: ['x'] } };
  expect((await agent.post('/api/processes', launch)).status).toBe(403);
  expect((await supervisor.get('/api/processes/two-level-approval:missing')).status).toBe(404);
  expect((await supervisor.get(`/api/tasks/${randomUUID()}`)).status).toBe(404);
  expect((await supervisor.get('/api/tasks/not-a-uuid')).status).toBe(404);
  expect((await supervisor.post(`/api/tasks/${randomUUID()}/complete`, { outcome: 'approve' })).status).toBe(404);
});

test('completing a task: wrong assignee 403, bad outcome 400, done twice 409', async () => {
  const { body } = await supervisor.post('/api/processes', startRequest());
  const task = await openTaskFor(supervisor, body.id);
  const byGm = await gm.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' });
  expect(byGm.status).toBe(403);
  const badOutcome = await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'done' });
  expect(badOutcome.status).toBe(400);
  expect(badOutcome.body.error.details[0].field).toBe('body.outcome');
  const badData = await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve', data: { comment: 7 } });
  expect(badData.status).toBe(400);
  expect(badData.body.error.details[0].field).toBe('body.data.comment');
  expect((await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  const again = await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' });
  expect(again.status).toBe(409);
});

test('two concurrent completions of one task: exactly one succeeds', async () => {
  const { body } = await supervisor.post('/api/processes', startRequest());
  const task = await openTaskFor(supervisor, body.id);
  const other = await sys.login('supervisor');
  const results = await Promise.all([
    supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' }),
    other.post(`/api/tasks/${task.id}/complete`, { outcome: 'reject' }),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  const winner = results.find((r) => r.status === 200)!.body.outcome;
  const row = await sys.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
  expect(row.outcome).toBe(winner);
  const completions = await sys.prisma.processEvent.count({ where: { processId: body.id, type: 'task.completed' } });
  expect(completions).toBe(1);
  expect(await sys.prisma.auditEvent.count({ where: { objectId: task.id, action: 'task.complete' } })).toBe(1);
});

test('a retried completion with the same Idempotency-Key acts once', async () => {
  const { body } = await supervisor.post('/api/processes', startRequest());
  const task = await openTaskFor(supervisor, body.id);
  const key = randomUUID();
  const [a, b] = await Promise.all([
    supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' }, { 'idempotency-key': key }),
    supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' }, { 'idempotency-key': key }),
  ]);
  expect([a.status, b.status]).toEqual([200, 200]);
  const later = await supervisor.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' }, { 'idempotency-key': key });
  expect(later.status).toBe(200);
  expect(later.body).toMatchObject({ taskId: task.id, outcome: 'approve' });
  // One completion, one next task: the retry did not approve the GM's step too.
  await openTaskFor(gm, body.id);
  expect(await sys.prisma.task.count({ where: { processId: body.id } })).toBe(2);
  expect(await sys.prisma.processEvent.count({ where: { processId: body.id, type: 'task.completed' } })).toBe(1);
});

test('a duplicate start: same business key is 409, a retried request is answered once', async () => {
  const businessKey = randomUUID();
  expect((await supervisor.post('/api/processes', startRequest(businessKey))).status).toBe(201);
  expect((await supervisor.post('/api/processes', startRequest(businessKey))).status).toBe(409);

  const key = randomUUID();
  const { businessKey: _omit, ...withoutKey } = startRequest();
  const first = await supervisor.post('/api/processes', withoutKey, { 'idempotency-key': key });
  const retry = await supervisor.post('/api/processes', withoutKey, { 'idempotency-key': key });
  expect(first.status).toBe(201);
  expect(retry.status).toBe(200);
  expect(retry.body.id).toBe(first.body.id);
  expect(await sys.prisma.auditEvent.count({ where: { objectId: first.body.id, action: 'process.start' } })).toBe(1);
});

test('an overdue task escalates by itself on the dev server (short SLA)', async () => {
  // A definition with a two-second SLA, started directly on the interpreter; the
  // API then shows what the workflow did.
  const definition = {
    key: 'short-sla',
    version: 1,
    title: 'Short SLA',
    roles: ['sales_supervisor', 'general_manager', 'management'],
    input: [],
    root: {
      kind: 'approval' as const,
      id: 'approve',
      title: 'Approve quickly',
      approvers: [
        {
          role: 'sales_supervisor',
          due: { seconds: 2 },
          deadline: {
            escalate: [
              { atFraction: 1, toRole: 'general_manager' },
              { atFraction: 2, toRole: 'management' },
            ],
          },
        },
      ],
    },
  };
  const { processId, handle } = await startProcess(sys.client, sys.taskQueue, definition);
  const escalated = await eventually(
    async () => {
      const res = await gm.get(`/api/tasks?mine=true&processId=${encodeURIComponent(processId)}`);
      return res.body.items[0]?.escalationLevel === 1 ? res.body.items[0] : undefined;
    },
    20_000,
    'escalation to the GM',
  );
  expect(escalated.assigneeRole).toBe('general_manager');
  // The GM, as escalation target, may complete it.
  expect((await gm.post(`/api/tasks/${escalated.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  expect((await handle.result()).status).toBe('completed');
  const shown = await gm.get(`/api/processes/${encodeURIComponent(processId)}`);
  expect(shown.body.history.map((e: { type: string }) => e.type)).toContain('task.escalated');
  // Completed before the second level: management never got it.
  expect(shown.body.history.filter((e: { type: string }) => e.type === 'task.escalated')).toHaveLength(1);
});

test('GET /health reports the API, the database and Temporal', async () => {
  const res = await fetch(`${sys.url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok', api: { status: 'ok' }, database: { status: 'ok' }, temporal: { status: 'ok' } });
});
