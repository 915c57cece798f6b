import { randomUUID } from 'node:crypto';
import { startSystem, type Session, type TestSystem } from '../support/system';

// Issue 24: every list pages on the server with an opaque keyset cursor. Paging
// reaches every row exactly once while other rows are being inserted; a tampered,
// foreign or stale cursor is a 400 naming query.cursor; limit is 1–200.

let sys: TestSystem;
let agent: Session;
let supervisor: Session;
let admin: Session;
const tag = `p${randomUUID().slice(0, 8)}`;
let phoneSeq = 0;
const newPhone = () => `137${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}${String(phoneSeq++).padStart(4, '0')}`;

async function register(name: string): Promise<string> {
  const res = await agent.post('/api/customers', { projectId: 'DEMO', name, phone: newPhone(), tags: [tag] });
  expect(res.status).toBe(201);
  return res.body.customer.id as string;
}

/** Reads every page of `path`, running `between` after each page; the ids in the order read. */
async function readAll(who: Session, path: string, between: (page: number) => Promise<void> = async () => undefined) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await who.get(
      `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((r) => r.id));
    cursor = res.body.nextCursor;
    await between(++pages);
  } while (cursor);
  return { ids, pages };
}

beforeAll(async () => {
  sys = await startSystem();
  [agent, supervisor, admin] = await Promise.all([sys.login('agent'), sys.login('supervisor'), sys.login('admin')]);
  for (let i = 0; i < 40; i++) await register(`分页客户 ${String(i).padStart(2, '0')}`);
}, 120_000);

afterAll(() => sys?.stop());

test.each(['updated', 'created', 'name'])('customers sorted by %s: every row exactly once while others are registered', async (sort) => {
  const before = (await readAll(supervisor, `/api/customers?projectId=DEMO&tag=${tag}&sort=${sort}&limit=200`)).ids;
  expect(before.length).toBeGreaterThanOrEqual(40);
  const inserted: string[] = [];
  const { ids, pages } = await readAll(supervisor, `/api/customers?projectId=DEMO&tag=${tag}&sort=${sort}&limit=7`, async () => {
    // Two registrations between every two pages: they land before, among or after the rows read.
    inserted.push(await register(`分页插入 ${sort} ${inserted.length}`), await register(`A插入 ${sort} ${inserted.length}`));
  });
  expect(pages).toBeGreaterThan(5);
  expect(new Set(ids).size).toBe(ids.length); // nothing twice
  expect(ids).toEqual(expect.arrayContaining(before)); // nothing that was there is skipped
  const extra = ids.filter((id) => !before.includes(id));
  expect(inserted).toEqual(expect.arrayContaining(extra)); // nothing that is not a customer of the list
});

test('the first page of customers counts them all; later pages do not count again', async () => {
  const first = await supervisor.get(`/api/customers?projectId=DEMO&tag=${tag}&limit=5`);
  const all = await readAll(supervisor, `/api/customers?projectId=DEMO&tag=${tag}&limit=200`);
  expect(first.body.total).toBe(all.ids.length);
  const second = await supervisor.get(`/api/customers?projectId=DEMO&tag=${tag}&limit=5&cursor=${first.body.nextCursor}`);
  expect(second.status).toBe(200);
  expect(second.body.total).toBeUndefined();
});

test('units page by building, floor and unit: all of them, in order, once', async () => {
  const { ids } = await readAll(supervisor, '/api/units?projectId=DEMO&limit=4');
  const whole = await supervisor.get('/api/units?projectId=DEMO&limit=200');
  expect(ids).toEqual((whole.body.items as { id: string }[]).map((u) => u.id));
  expect(whole.body.total).toBe(ids.length);
});

test('the audit trail pages by its growing id while entries are appended', async () => {
  const path = `/api/audit?objectType=customer&limit=9`;
  const before = (await readAll(admin, '/api/audit?objectType=customer&limit=200')).ids;
  const { ids } = await readAll(admin, path, async (page) => {
    if (page < 4) await register(`审计插入 ${page}`);
  });
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(expect.arrayContaining(before));
});

test('tasks, processes, records, users, notifications and dead letters answer pages', async () => {
  for (const [who, path] of [
    [agent, '/api/tasks?mine=true&limit=2'],
    [supervisor, '/api/processes?limit=2'],
    [supervisor, '/api/records?projectId=DEMO&limit=2'],
    [admin, '/api/users?limit=2'],
    [supervisor, '/api/people?projectId=DEMO&limit=2'],
    [agent, '/api/notifications?limit=2'],
    [admin, '/api/notifications/dead-letters?limit=2'],
    [supervisor, '/api/deals?projectId=DEMO&limit=2'],
    [supervisor, '/api/orders?projectId=DEMO&limit=2'],
  ] as const) {
    const { ids } = await readAll(who, path);
    expect(new Set(ids).size).toBe(ids.length);
  }
  const users = await readAll(admin, '/api/users?limit=3');
  const everyone = await admin.get('/api/users?limit=200');
  expect(users.ids).toEqual((everyone.body.items as { id: string }[]).map((u) => u.id));
});

describe('a bad cursor or limit is a 400 naming the field, never a 500', () => {
  const fieldOf = (body: { error: { details: { field: string }[] } }) => body.error.details.map((d) => d.field);

  test.each([
    ['garbage', 'not-a-cursor!'],
    ['base64 of nonsense', Buffer.from('{"x":1}').toString('base64url')],
    ['a wrong value type', Buffer.from(JSON.stringify({ v: 1, r: 'customers', f: 'x', k: [42, 'id'] })).toString('base64url')],
  ])('%s', async (_, cursor) => {
    const res = await supervisor.get(`/api/customers?projectId=DEMO&cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(400);
    expect(fieldOf(res.body)).toContain('query.cursor');
  });

  test('a cursor altered in place', async () => {
    const first = await supervisor.get(`/api/customers?projectId=DEMO&tag=${tag}&limit=3`);
    const decoded = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    decoded.k[0] = 'yesterday';
    const res = await supervisor.get(
      `/api/customers?projectId=DEMO&tag=${tag}&limit=3&cursor=${Buffer.from(JSON.stringify(decoded)).toString('base64url')}`,
    );
    expect(res.status).toBe(400);
    expect(fieldOf(res.body)).toContain('query.cursor');
  });

  test("another list's cursor, or the same list's with other filters", async () => {
    const units = await supervisor.get('/api/units?projectId=DEMO&limit=1');
    const foreign = await supervisor.get(`/api/customers?projectId=DEMO&cursor=${units.body.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(fieldOf(foreign.body)).toContain('query.cursor');
    const first = await supervisor.get(`/api/customers?projectId=DEMO&tag=${tag}&limit=3`);
    const stale = await supervisor.get(`/api/customers?projectId=DEMO&stage=visitor&limit=3&cursor=${first.body.nextCursor}`);
    expect(stale.status).toBe(400);
    expect(stale.body.error.message).toMatch(/filters changed/);
  });

  test.each(['0', '201', 'ten'])('limit=%s', async (limit) => {
    const res = await supervisor.get(`/api/tasks?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(fieldOf(res.body)).toContain('query.limit');
  });
});

test('tasks are searched on the server by title, assignee, process and due range; processes by title and business key', async () => {
  // Rows only (no workflow): the list reads the database, and this checks its search.
  const me = (await agent.get('/api/auth/me')).body.id as string;
  const processId = `paging-probe:${tag}`;
  await sys.prisma.processInstance.create({
    data: {
      id: processId,
      projectId: 'DEMO',
      definitionKey: 'paging-probe',
      definitionVersion: 1,
      title: `分页探针 ${tag}`,
      status: 'running',
      input: {},
    },
  });
  const day = 86_400_000;
  const base = Date.now() + 400 * day;
  const task = (n: number, title: string, assigneeUserId: string | null) => ({
    processId,
    taskKey: `t${n}`,
    stepId: `t${n}`,
    title,
    originalRole: 'sales_agent',
    assigneeRole: 'sales_agent',
    assigneeUserId,
    status: 'open',
    dueAt: new Date(base + n * day),
    outcomes: ['done'],
  });
  await sys.prisma.task.createMany({
    data: [task(1, `回访王先生 ${tag}`, me), task(2, `回访李女士 ${tag}`, null), task(3, `签约资料 ${tag}`, me)],
  });
  try {
    const titles = async (query: string) =>
      ((await supervisor.get(`/api/tasks?processId=${encodeURIComponent(processId)}&${query}`)).body.items as { title: string }[]).map(
        (t) => t.title.replace(` ${tag}`, ''),
      );
    expect(await titles('limit=200')).toEqual(['回访王先生', '回访李女士', '签约资料']);
    expect(await titles(`q=${encodeURIComponent('回访')}`)).toEqual(['回访王先生', '回访李女士']);
    expect(await titles(`assignee=${me}`)).toEqual(['回访王先生', '签约资料']);
    const from = new Date(base + 1.5 * day).toISOString();
    const to = new Date(base + 2.5 * day).toISOString();
    expect(await titles(`dueFrom=${encodeURIComponent(from)}&dueTo=${encodeURIComponent(to)}`)).toEqual(['回访李女士']);
    expect(await titles('sort=created&limit=200')).toHaveLength(3);
    const byKey = await supervisor.get(`/api/processes?q=${encodeURIComponent(tag)}`);
    expect((byKey.body.items as { id: string }[]).map((p) => p.id)).toEqual([processId]);
    const byTitle = await supervisor.get(`/api/processes?q=${encodeURIComponent(`分页探针 ${tag}`)}`);
    expect((byTitle.body.items as { id: string }[]).map((p) => p.id)).toEqual([processId]);
  } finally {
    await sys.prisma.processInstance.delete({ where: { id: processId } });
  }
});
