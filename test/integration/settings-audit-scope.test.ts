import { randomUUID } from 'node:crypto';
import { startSystem, eventually, type Session, type TestSystem } from '../support/system';

// Settings change what the API outputs; every change is audited exactly once; the
// audit trail is append-only; users see only their own projects' data.

let sys: TestSystem;
let admin: Session;
let supervisor: Session;

beforeAll(async () => {
  sys = await startSystem();
  [admin, supervisor] = await Promise.all([sys.login('admin'), sys.login('supervisor')]);
});
afterAll(async () => {
  await admin?.send('PATCH', '/api/settings', { dateFormat: 'YYYY-MM-DD HH:mm', currencySymbol: '¥', defaultLocale: 'zh-CN' });
  await sys?.stop();
});

test('settings: read, validate, change, and the API output follows them', async () => {
  const initial = await supervisor.get('/api/settings');
  expect(initial.status).toBe(200);
  expect(initial.body).toMatchObject({
    dateFormat: 'YYYY-MM-DD HH:mm',
    currencySymbol: '¥',
    defaultLocale: 'zh-CN',
    workingCalendar: { weekendDays: [0, 6] },
  });

  const bad = await admin.send('PATCH', '/api/settings', { dateFormat: 'whenever', defaultLocale: 'fr' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.dateFormat', 'body.defaultLocale']);
  expect((await supervisor.send('PATCH', '/api/settings', { currencySymbol: '$' })).status).toBe(403);

  const { body } = await supervisor.post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: 'format' },
  });
  const task = await eventually(
    async () => (await supervisor.get(`/api/tasks?mine=true&processId=${encodeURIComponent(body.id)}`)).body.items[0],
  );
  expect(task.dueAtDisplay).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

  expect((await supervisor.get(`/api/processes/${encodeURIComponent(body.id)}`)).body.inputDisplay).toEqual({});
  const priced = await supervisor.post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: 'money', amount: 1234567.5 },
  });
  expect((await supervisor.get(`/api/processes/${encodeURIComponent(priced.body.id)}`)).body.inputDisplay).toEqual({
    amount: '¥1,234,567.50',
  });
  expect(
    (
      await supervisor.post('/api/processes', {
        definition: 'two-level-approval',
        projectId: 'DEMO',
        input: { subject: 'x', amount: 1.234 },
      })
    ).body.error.details[0].field,
  ).toBe('body.input.amount');

  const changed = await admin.send('PATCH', '/api/settings', { dateFormat: 'DD/MM/YYYY HH:mm', currencySymbol: '$', defaultLocale: 'en' });
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ dateFormat: 'DD/MM/YYYY HH:mm', currencySymbol: '$', defaultLocale: 'en' });
  expect((await supervisor.get(`/api/processes/${encodeURIComponent(priced.body.id)}`)).body.inputDisplay).toEqual({
    amount: '$1,234,567.50',
  });
  const again = (await supervisor.get(`/api/tasks/${task.id}`)).body;
  expect(again.dueAtDisplay).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  expect(again.dueAtDisplay.slice(0, 10).split('/').reverse().join('-')).toBe(task.dueAtDisplay.slice(0, 10));

  // One audit event per changed setting; writing the same value again changes nothing.
  const audited = await sys.prisma.auditEvent.findMany({ where: { action: 'settings.update', objectId: 'currencySymbol' } });
  expect(audited.map((a) => [a.before, a.after])).toContainEqual(['¥', '$']);
  const before = await sys.prisma.auditEvent.count({ where: { action: 'settings.update' } });
  await admin.send('PATCH', '/api/settings', { currencySymbol: '$' });
  expect(await sys.prisma.auditEvent.count({ where: { action: 'settings.update' } })).toBe(before);
});

test('the working calendar from settings decides due dates of new processes', async () => {
  await admin.send('PATCH', '/api/settings', { workingCalendar: { weekendDays: [], holidays: [], utcOffsetMinutes: 480 } });
  const { body } = await supervisor.post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: 'calendar' },
  });
  const task = await eventually(async () => sys.prisma.task.findFirst({ where: { processId: body.id } }).then((t) => t ?? undefined));
  // One working day with no weekend is exactly 24 hours.
  expect(task.dueAt.getTime() - task.createdAt.getTime()).toBe(24 * 3_600_000);
  await admin.send('PATCH', '/api/settings', { workingCalendar: { weekendDays: [0, 6], holidays: [], utcOffsetMinutes: 480 } });
});

test('the audit trail: filter by user, object and time; append-only in the database', async () => {
  const me = (await supervisor.get('/api/auth/me')).body;
  const from = new Date(Date.now() - 60_000).toISOString();
  const { body } = await supervisor.post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: 'audit' },
  });
  const byObject = await admin.get(`/api/audit?objectType=process&objectId=${encodeURIComponent(body.id)}`);
  expect(byObject.status).toBe(200);
  expect(byObject.body.items).toHaveLength(1);
  expect(byObject.body.items[0]).toMatchObject({
    action: 'process.start',
    actorId: me.id,
    actorName: 'supervisor',
    after: { definition: 'two-level-approval@2' },
    // Named as people call them: the supervisor's display name, the process's title.
    actorDisplayName: me.displayName,
    objectName: (await sys.prisma.processInstance.findUniqueOrThrow({ where: { id: body.id } })).title,
  });
  const byUser = await admin.get(`/api/audit?userId=${me.id}&from=${encodeURIComponent(from)}`);
  expect(byUser.body.items.every((e: { actorId: string }) => e.actorId === me.id)).toBe(true);
  expect(byUser.body.items.map((e: { objectId: string }) => e.objectId)).toContain(body.id);
  const future = await admin.get(`/api/audit?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
  expect(future.body.items).toEqual([]);
  expect((await admin.get('/api/audit?from=yesterday')).status).toBe(400);
  expect((await supervisor.get('/api/audit')).status).toBe(403);

  await expect(sys.prisma.auditEvent.updateMany({ data: { action: 'tampered' } })).rejects.toThrow(/append-only/);
  await expect(sys.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
});

test('users see only their projects; management sees all', async () => {
  const projectId = `P${randomUUID().slice(0, 8)}`;
  expect((await admin.post('/api/projects', { id: projectId, name: 'Other project' })).status).toBe(201);
  expect((await admin.post('/api/projects', { id: projectId, name: 'Twice' })).status).toBe(409);
  const outsider = await admin.post('/api/users', {
    username: `out${randomUUID().slice(0, 6)}`,
    displayName: 'Outsider',
    password: 'outsider-pass-1',
    roles: ['sales_supervisor'],
    projects: [projectId],
  });
  expect(outsider.status).toBe(201);
  const other = await sys.login(outsider.body.username, 'outsider-pass-1');

  const { body } = await supervisor.post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: 'private' },
  });
  const task = await eventually(async () => sys.prisma.task.findFirst({ where: { processId: body.id } }).then((t) => t ?? undefined));
  expect((await other.get(`/api/processes/${encodeURIComponent(body.id)}`)).status).toBe(404);
  expect((await other.get(`/api/tasks/${task.id}`)).status).toBe(404);
  expect((await other.post(`/api/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(404);
  expect((await other.get('/api/processes')).body.items.map((p: { id: string }) => p.id)).not.toContain(body.id);
  expect((await other.get('/api/tasks?mine=true')).body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);
  expect(
    (await other.post('/api/processes', { definition: 'two-level-approval', projectId: 'DEMO', input: { subject: 'x' } })).status,
  ).toBe(403);
  expect((await other.get('/api/projects')).body.map((p: { id: string }) => p.id)).toEqual([projectId]);

  const management = await sys.login('management');
  expect((await management.get(`/api/processes/${encodeURIComponent(body.id)}`)).status).toBe(200);
  expect((await management.get('/api/projects')).body.map((p: { id: string }) => p.id)).toEqual(
    expect.arrayContaining(['DEMO', projectId]),
  );
});

test('an admin edits a role, and the permission takes effect', async () => {
  const agent = await sys.login('agent');
  // A permission of project data (the audit trail needs projects.all besides audit.read).
  const funnel = '/api/analytics/funnel?projectId=DEMO';
  expect((await agent.get(funnel)).status).toBe(403);
  const roles = (await admin.get('/api/roles')).body;
  const agentRole = roles.roles.find((r: { name: string }) => r.name === 'sales_agent');
  const bad = await admin.send('PUT', '/api/roles/sales_agent', { title: agentRole.title, permissions: ['audit.read', 'no.such'] });
  expect(bad.status).toBe(400);
  expect(
    (
      await admin.send('PUT', '/api/roles/sales_agent', {
        title: agentRole.title,
        permissions: [...agentRole.permissions, 'analytics.read'],
      })
    ).status,
  ).toBe(200);
  try {
    expect((await agent.get(funnel)).status).toBe(200);
    const audit = await sys.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'role.update', objectId: 'sales_agent' },
      orderBy: { id: 'desc' },
    });
    expect((audit.after as { permissions: string[] }).permissions).toContain('analytics.read');
  } finally {
    await admin.send('PUT', '/api/roles/sales_agent', { title: agentRole.title, permissions: agentRole.permissions });
  }
  expect((await agent.get(funnel)).status).toBe(403);
});

test('security headers, CORS and request size limits', async () => {
  const res = await fetch(`${sys.url}/health`);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBeTruthy();
  expect(res.headers.get('x-powered-by')).toBeNull();
  const cors = await fetch(`${sys.url}/api/auth/me`, { headers: { origin: 'http://evil.example' } });
  expect(cors.headers.get('access-control-allow-origin')).toBeNull();
  const huge = await fetch(`${sys.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'x', password: 'y'.repeat(200_000) }),
  });
  expect(huge.status).toBe(413);
});
