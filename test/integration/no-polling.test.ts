import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { startSystem, type Session, type TestSystem } from '../support/system';

// A client never needs to poll: a start can answer with the first tasks, and the
// task list has a stream of changes. And the one-task instance stays cheap in
// history (local activities for the bookkeeping).

let sys: TestSystem;
let supervisor: Session;
let admin: Session;

const oneTask = {
  key: `one-task-${randomUUID().slice(0, 8)}`,
  version: 1,
  title: 'One task',
  roles: ['sales_supervisor'],
  input: [],
  root: { kind: 'task', id: 'do', title: 'Do it', role: 'sales_supervisor', due: { days: 1 } },
};

beforeAll(async () => {
  sys = await startSystem();
  supervisor = await sys.login('supervisor');
  admin = await sys.login('admin');
  expect((await admin.post('/api/definitions', { definition: oneTask })).status).toBe(201);
}, 60_000);
afterAll(() => sys?.stop());

test('a start with ?wait=true answers with the first open task', async () => {
  const res = await supervisor.post(`/api/processes?wait=true`, { definition: oneTask.key, projectId: 'DEMO', input: {} });
  expect(res.status).toBe(201);
  expect(res.body.tasks).toHaveLength(1);
  expect(res.body.tasks[0]).toMatchObject({ taskKey: 'do', status: 'open', processId: res.body.id });
  // The task it returns is the one there is: completing it at once works.
  const done = await supervisor.post(`/api/tasks/${res.body.tasks[0].id}/complete`, { outcome: 'done', data: {} });
  expect(done.status).toBe(200);
  // Without ?wait the answer does not carry tasks.
  const plain = await supervisor.post('/api/processes', { definition: oneTask.key, projectId: 'DEMO', input: {} });
  expect(plain.status).toBe(201);
  expect(plain.body.tasks).toBeUndefined();
});

test('a one-task instance costs at most 15 history events, its bookkeeping as local activities', async () => {
  const res = await supervisor.post(`/api/processes?wait=true`, { definition: oneTask.key, projectId: 'DEMO', input: {} });
  await supervisor.post(`/api/tasks/${res.body.tasks[0].id}/complete`, { outcome: 'done', data: {} });
  const handle = sys.client.workflow.getHandle(res.body.id);
  await handle.result();
  const events = (await handle.fetchHistory()).events ?? [];
  const T = temporal.api.enums.v1.EventType;
  expect(events.length).toBeLessThanOrEqual(15);
  expect(events.filter((e) => e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toHaveLength(0);
  const markers = events.filter((e) => e.eventType === T.EVENT_TYPE_MARKER_RECORDED).length;
  // createTask (carrying the process's registration), completeTask, finishProcess.
  expect(markers).toBe(3);
});

test('the task stream tells of each change in the caller’s projects as it happens', async () => {
  const received: { processId: string; taskId: string | null; kind: string }[] = [];
  const controller = new AbortController();
  const stream = await fetch(`${sys.url}/api/tasks/changes?maxSeconds=20`, {
    headers: { authorization: `Bearer ${supervisor.token}` },
    signal: controller.signal,
  });
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = stream.body!.getReader();
  const reading = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += new TextDecoder().decode(value);
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: change') && data) received.push(JSON.parse(data.slice(6)));
      }
    }
  })();
  const started = await supervisor.post(`/api/processes?wait=true`, { definition: oneTask.key, projectId: 'DEMO', input: {} });
  const taskId = started.body.tasks[0].id as string;
  await supervisor.post(`/api/tasks/${taskId}/complete`, { outcome: 'done', data: {} });
  const deadline = Date.now() + 10_000;
  while (!received.some((c) => c.processId === started.body.id && c.kind === 'process.finished') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  await reading;
  const mine = received.filter((c) => c.processId === started.body.id);
  expect(mine.map((c) => c.kind)).toEqual(['created', 'completed', 'process.finished']);
  expect(mine[0]!.taskId).toBe(taskId);
});
