import { randomUUID } from 'node:crypto';
import { NotificationDispatcher } from '../../notifications';
import { addDays, isoDate } from '../../domain';
import { startSystem, type Session, type TestSystem } from '../support/system';

// Subscribed sales reports (issue 11) delivered as notifications (issue 12), on the
// real API, Postgres and the dispatcher: subscribe (idempotent, checked input), then
// the day after, the dispatcher writes one in-app message with the day's figures as
// the report page has them, and never a second for the same day.

let sys: TestSystem;
let supervisor: Session;
let admin: Session;

beforeAll(async () => {
  sys = await startSystem();
  [supervisor, admin] = await Promise.all([sys.login('supervisor'), sys.login('admin')]);
});
afterAll(() => sys?.stop());

test('a daily report subscription delivers the day’s figures once, the morning after', async () => {
  const path = '/api/analytics/report-subscriptions';
  const body = { projectId: 'DEMO', kind: 'daily', subscribed: true };
  expect((await supervisor.send('PUT', path, body)).status).toBe(200);
  const again = await supervisor.send('PUT', path, body);
  expect(again.status).toBe(200);
  expect(again.body.filter((s: { projectId: string; kind: string }) => s.projectId === 'DEMO' && s.kind === 'daily')).toHaveLength(1);

  // Bad input names the field; a project the caller is not a member of is refused.
  const bad = await supervisor.send('PUT', path, { ...body, kind: 'hourly' });
  expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'body.kind']);
  const other = `RS${randomUUID().slice(0, 6).toUpperCase()}`;
  expect((await admin.post('/api/projects', { id: other, name: other })).status).toBe(201);
  expect((await supervisor.send('PUT', path, { ...body, projectId: other })).status).toBe(403);

  // A visitor registered today in the project: the day has figures to report.
  const agent = await sys.login('agent');
  const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  expect(
    (await agent.post('/api/customers', { projectId: 'DEMO', name: `报表客户${randomUUID().slice(0, 3)}`, phone, source: 'walk-in' }))
      .status,
  ).toBe(201);

  const supervisorId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'supervisor' } })).id;
  const today = isoDate(new Date());
  const report = (await supervisor.get(`/api/analytics/reports/daily?projectId=DEMO&date=${today}`)).body as {
    figures: Record<string, number>;
    previous: Record<string, number>;
  };

  // Today has not ended: nothing yet.
  const now = new NotificationDispatcher({ prisma: sys.prisma, config: sys.config, log: () => undefined });
  expect((await now.runOnce()).reports).toBe(0);

  // Tomorrow morning the day has ended: one message, with today's figures and the day before's.
  const tomorrow = new Date(`${addDays(today, 1)}T01:00:00Z`);
  const dispatcher = new NotificationDispatcher({ prisma: sys.prisma, config: sys.config, clock: () => tomorrow, log: () => undefined });
  await dispatcher.drain();
  const messages = await sys.prisma.notificationDelivery.findMany({
    where: { userId: supervisorId, kind: 'report.ready', channel: 'in_app' },
  });
  const mine = messages.filter((m) => m.subject.includes(today));
  expect(mine).toHaveLength(1);
  const message = mine[0]!;
  expect(message.subject).toMatch(/日报|Daily report/);
  const fmt = (v: number) => new Intl.NumberFormat(message.locale === 'en' ? 'en' : 'zh-CN').format(v);
  expect(report.figures.visits).toBeGreaterThanOrEqual(1);
  expect(message.body).toContain(
    message.locale === 'en' ? `Visits: ${fmt(report.figures.visits!)}` : `到访：${fmt(report.figures.visits!)}`,
  );
  expect(message.body).toContain(
    message.locale === 'en' ? `Contracts: ${fmt(report.figures.contracts!)}` : `签约：${fmt(report.figures.contracts!)}`,
  );
  expect(message.link).toContain('/#/analytics?tab=reports');
  // The in-app notification centre lists it.
  const centre = await supervisor.get('/api/notifications');
  expect(centre.body.items.map((n: { title: string }) => n.title)).toContain(message.subject);

  // A second round the same morning, or a second dispatcher: nothing more.
  await dispatcher.drain();
  await new NotificationDispatcher({ prisma: sys.prisma, config: sys.config, clock: () => tomorrow, log: () => undefined }).drain();
  expect(
    (await sys.prisma.notificationDelivery.findMany({ where: { userId: supervisorId, kind: 'report.ready', channel: 'in_app' } })).filter(
      (m) => m.subject.includes(today),
    ),
  ).toHaveLength(1);

  // Unsubscribed: no subscription left.
  const off = await supervisor.send('PUT', path, { ...body, subscribed: false });
  expect(off.body.some((s: { projectId: string; kind: string }) => s.projectId === 'DEMO' && s.kind === 'daily')).toBe(false);
});
