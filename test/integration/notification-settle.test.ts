import { randomUUID } from 'node:crypto';
import { NotificationDispatcher } from '../../notifications';
import { eventually, startSystem, type Session, type TestSystem } from '../support/system';

// Issue 23: "notifications of finished tasks stay unread (the GM's count went 1 → 3)".
// A notification that asked someone to do a task is read once the task is done or
// withdrawn, for everyone it reached, or once that person opens the task; what tells
// of a result (an approval decided) is not.

let sys: TestSystem;
let dispatcher: NotificationDispatcher;
let admin: Session;
let gm: Session;
let supervisor: Session;

beforeAll(async () => {
  sys = await startSystem();
  dispatcher = new NotificationDispatcher({ prisma: sys.prisma, config: sys.config, log: () => undefined });
  dispatcher.start();
  [admin, gm, supervisor] = await Promise.all([sys.login('admin'), sys.login('gm'), sys.login('supervisor')]);
}, 120_000);

afterAll(async () => {
  await dispatcher?.stop();
  await sys?.stop();
});

/** A one-task definition for the GM, published under a fresh key. */
async function gmTask(): Promise<string> {
  const definition = {
    key: `settle-${randomUUID().slice(0, 8)}`,
    version: 1,
    title: '总经理审批',
    roles: ['general_manager'],
    input: [],
    root: { kind: 'task', id: 'review', title: `审阅 Review ${randomUUID().slice(0, 4)}`, role: 'general_manager', due: { days: 1 } },
  };
  expect((await admin.post('/api/definitions', { definition })).status).toBe(201);
  return definition.key;
}

/** The GM's in-app notifications about `taskId`, once the dispatcher delivered them. */
const notesOf = async (userId: string, taskId: string) => sys.prisma.notification.findMany({ where: { userId, taskId } });

async function startAndDeliver(key: string) {
  const started = await supervisor.post('/api/processes', { definition: key, projectId: 'DEMO', input: {} });
  expect(started.status).toBe(201);
  const task = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId: started.body.id } })) ?? undefined);
  const gmId = (await gm.get('/api/auth/me')).body.id as string;
  const notes = await eventually(async () => {
    const found = await notesOf(gmId, task.id);
    return found.length ? found : undefined;
  }, 30_000);
  expect(notes.every((n) => n.readAt === null)).toBe(true);
  // A bilingual title reaches a Chinese reader in Chinese only (the GM's language is zh-CN).
  expect(notes[0]!.title).toBe('新任务：审阅');
  return { processId: started.body.id as string, task, gmId };
}

test('done: the notification that asked for the task is read, and the unread count falls', async () => {
  const { task, gmId } = await startAndDeliver(await gmTask());
  const before = (await gm.get('/api/notifications?limit=1')).body.unreadCount as number;
  // Completed through the API, without opening the task (a list's quick action).
  const done = await gm.post(`/api/tasks/${task.id}/complete`, { outcome: 'done', data: {} });
  expect(done.status).toBe(200);
  await eventually(async () => ((await notesOf(gmId, task.id)).every((n) => n.readAt !== null) ? true : undefined));
  expect((await gm.get('/api/notifications?limit=1')).body.unreadCount).toBeLessThan(before);
});

test('withdrawn: cancelling the process settles its task notifications too', async () => {
  const { processId, task, gmId } = await startAndDeliver(await gmTask());
  expect((await supervisor.post(`/api/processes/${encodeURIComponent(processId)}/cancel`)).status).toBe(202);
  await eventually(async () => ((await notesOf(gmId, task.id)).every((n) => n.readAt !== null) ? true : undefined));
});

test("opened: reading the task settles the reader's own notifications, not others'", async () => {
  const { task, gmId } = await startAndDeliver(await gmTask());
  const other = await sys.prisma.notification.create({
    data: {
      userId: (await supervisor.get('/api/auth/me')).body.id,
      idempotencyKey: `settle:${randomUUID()}`,
      kind: 'task.escalated',
      title: 'x',
      body: 'x',
      taskId: task.id,
    },
  });
  expect((await gm.get(`/api/tasks/${task.id}`)).status).toBe(200);
  expect((await notesOf(gmId, task.id)).every((n) => n.readAt !== null)).toBe(true);
  expect((await sys.prisma.notification.findUniqueOrThrow({ where: { id: other.id } })).readAt).toBeNull();
  // The task is still open: it is owed, but the reader has seen it.
  expect((await sys.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('open');
});
