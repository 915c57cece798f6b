import { randomUUID } from 'node:crypto';
import { analyticsDrift } from '../../db/analytics';
import { appendCustomerEvent } from '../../db/customers';
import { DEFAULT_BUSINESS_TIME_ZONE } from '../../domain';
import { startSystem, type Session, type TestSystem } from '../support/system';

// Days are cut in the organisation's business time zone (Asia/Shanghai by default), not
// at UTC midnight: a visit at 07:30 in Beijing is on that Beijing day's 日报, one at
// 23:30 on the day before's, and so for weeks, months and quarters. Facts are written
// through the same code path as real work (appendCustomerEvent keeps the rollups).

let sys: TestSystem;
let admin: Session;
const project = `TZ${randomUUID().slice(0, 6)}`;

/** A Beijing wall-clock time as an instant. */
const beijing = (local: string) => new Date(`${local}+08:00`);

beforeAll(async () => {
  sys = await startSystem();
  admin = await sys.login('admin');
  expect((await admin.post('/api/projects', { id: project, name: 'Time zone project' })).status).toBe(201);
  const agent = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
  const visit = async (at: Date) => {
    const c = await sys.prisma.customer.create({
      data: { projectId: project, name: 'TZ', phone: `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, ownerId: agent.id },
    });
    await appendCustomerEvent(sys.prisma, c.id, { userId: agent.id, username: 'agent' }, { type: 'visit', at });
  };
  // 07:30 on 1 December in Beijing is 23:30 UTC on 30 November; 23:30 on 30 November in Beijing is still 30 November.
  await visit(beijing('2026-12-01T07:30:00'));
  await visit(beijing('2026-11-30T23:30:00'));
  // Across a quarter: 23:30 on 30 September (Q3) and 07:30 on 1 October (Q4, 23:30 UTC on 30 September).
  await visit(beijing('2026-09-30T23:30:00'));
  await visit(beijing('2026-10-01T07:30:00'));
});
afterAll(async () => {
  await admin?.send('PATCH', '/api/settings', { businessTimeZone: DEFAULT_BUSINESS_TIME_ZONE });
  await sys?.stop();
});

const visitsOn = async (kind: string, date: string) => {
  const res = await admin.get(`/api/analytics/reports/${kind}?projectId=${project}&date=${date}`);
  expect(res.status).toBe(200);
  return res.body.figures.visits as number;
};

test('the database and the code agree on the default zone, and the migration left no rebuild pending', async () => {
  const [row] = await sys.prisma.$queryRaw<{ zone: string }[]>`SELECT business_time_zone() AS zone`;
  expect(row!.zone).toBe(DEFAULT_BUSINESS_TIME_ZONE);
  expect((await admin.get('/api/settings')).body.businessTimeZone).toBe(DEFAULT_BUSINESS_TIME_ZONE);
  expect(await sys.prisma.setting.findUnique({ where: { key: 'analyticsRebuildPending' } })).toBeNull();
});

test('07:30 and 23:30 in Beijing land on their Beijing day, week and month (so quarter)', async () => {
  const days = await sys.prisma.$queryRaw<{ day: Date; visits: number }[]>`
    SELECT day, sum(visits)::int AS visits FROM analytics_daily WHERE project_id = ${project} GROUP BY day ORDER BY day`;
  expect(days.map((d) => [d.day.toISOString().slice(0, 10), d.visits])).toEqual([
    ['2026-09-30', 1],
    ['2026-10-01', 1],
    ['2026-11-30', 1],
    ['2026-12-01', 1],
  ]);
  expect(await visitsOn('daily', '2026-12-01')).toBe(1);
  expect(await visitsOn('daily', '2026-11-30')).toBe(1);
  // Monday 30 November starts the week that holds both.
  expect(await visitsOn('weekly', '2026-12-01')).toBe(2);
  expect(await visitsOn('monthly', '2026-12-15')).toBe(1);
  expect(await visitsOn('monthly', '2026-11-15')).toBe(1);
  const trend = await admin.get(`/api/analytics/trend?projectId=${project}&grain=month&from=2026-09-01&to=2026-12-31`);
  expect(trend.status).toBe(200);
  const byMonth = Object.fromEntries(trend.body.points.map((p: { period: string; visits: number }) => [p.period.slice(0, 7), p.visits]));
  expect(byMonth).toMatchObject({ '2026-09': 1, '2026-10': 1, '2026-11': 1, '2026-12': 1 });
  // The rollups equal a recomputation from the facts (what `analytics:rebuild -- --check` prints).
  expect(await analyticsDrift(sys.prisma, project)).toEqual([]);
});

test('another business zone recounts the days in it; a zone nobody knows is a 400 naming the field', async () => {
  const bad = await admin.send('PATCH', '/api/settings', { businessTimeZone: 'Mars/Olympus' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('body.businessTimeZone');
  expect((await admin.get('/api/settings')).body.businessTimeZone).toBe(DEFAULT_BUSINESS_TIME_ZONE);

  const utc = await admin.send('PATCH', '/api/settings', { businessTimeZone: 'UTC' });
  expect(utc.status).toBe(200);
  expect(utc.body.workingCalendar.utcOffsetMinutes).toBe(0);
  // In UTC both November visits are on 30 November, and 1 October's early visit is in September.
  expect(await visitsOn('daily', '2026-11-30')).toBe(2);
  expect(await visitsOn('daily', '2026-12-01')).toBe(0);
  expect(await analyticsDrift(sys.prisma, project)).toEqual([]);

  const back = await admin.send('PATCH', '/api/settings', { businessTimeZone: DEFAULT_BUSINESS_TIME_ZONE });
  expect(back.body.workingCalendar.utcOffsetMinutes).toBe(480);
  expect(await visitsOn('daily', '2026-12-01')).toBe(1);
});

test('the default working calendar is the national one: holidays and 调休 make-up days', async () => {
  const settings = (await admin.get('/api/settings')).body;
  expect(settings.workingCalendar.holidays).toContain('2026-10-01');
  expect(settings.workingCalendar.extraWorkingDays).toContain('2026-10-10');
});

test('季报 and 年报: the quarter and the year in Beijing, on screen, in PDF and by subscription', async () => {
  // Q4 2026 holds the visits of 1 October (07:30 Beijing), 30 November and 1 December; Q3 the one of 30 September.
  expect(await visitsOn('quarterly', '2026-11-15')).toBe(3);
  expect(await visitsOn('quarterly', '2026-08-15')).toBe(1);
  expect(await visitsOn('yearly', '2026-03-01')).toBe(4);
  const sub = await admin.send('PUT', '/api/analytics/report-subscriptions', { projectId: project, kind: 'quarterly', subscribed: true });
  expect(sub.status).toBe(200);
  const csv = await admin.get(`/api/analytics/export?projectId=${project}&table=report-yearly&format=csv&to=2026-12-01`);
  expect(csv.status).toBe(200);
  const pdf = await admin.get(`/api/analytics/reports/quarterly/pdf?projectId=${project}&date=2026-11-15`);
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toContain('application/pdf');
});
