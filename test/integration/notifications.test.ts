import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../config/env';
import type { RoleName } from '../../api/permissions';
import { channelsFromConfig, NotificationDispatcher, type NotificationChannel } from '../../notifications';
import type { ProcessDefinition } from '../../definitions';
import { startProcess } from '../support/processes';
import { startMailServer, startRobotReceiver, type MailServer, type RobotReceiver } from '../support/notify-servers';
import { eventually, http, startSystem, type Session, type TestSystem } from '../support/system';

// Notifications end to end: the real dev server and worker, the API over HTTP, a real
// SMTP server and a local robot receiver. The dispatcher is the one the worker
// process runs, started here with fast retries and a clock the test can move
// forward (quiet hours, digests) without waiting hours.

const PASSWORD = 'notify-password-1';
const DINGTALK_SECRET = 'SEC-test-secret-0123456789';
const PUBLIC_URL = 'http://app.test';

let sys: TestSystem;
let mail: MailServer;
let robots: RobotReceiver;
let dispatcher: NotificationDispatcher;
let admin: Session;
let skewMs = 0;
const clock = () => new Date(Date.now() + skewMs);
/** Idempotency keys whose next send "crashes" right after the channel accepted it. */
const crashAfterSend = new Set<string>();

/** A user of a team, signed in. */
interface Member {
  id: string;
  username: string;
  email: string;
  session: Session;
}

/** Creates a project and one user per role in it (members of that project only). */
async function team(roles: RoleName[]): Promise<{ projectId: string; members: Record<string, Member> }> {
  const projectId = `N${randomUUID().slice(0, 8)}`;
  expect((await admin.post('/api/projects', { id: projectId, name: `Notify ${projectId}` })).status).toBe(201);
  const members: Record<string, Member> = {};
  for (const role of roles) members[role] = await member(role, projectId);
  return { projectId, members };
}

async function member(role: RoleName, projectId: string): Promise<Member> {
  const username = `n-${role.slice(0, 8)}-${randomUUID().slice(0, 6)}`;
  const email = `${username}@example.test`;
  const res = await admin.post('/api/users', {
    username,
    displayName: username,
    email,
    password: PASSWORD,
    roles: [role],
    projects: [projectId],
  });
  expect(res.status).toBe(201);
  return { id: res.body.id, username, email, session: await sys.login(username, PASSWORD) };
}

/** Starts a one-task process owed by the sales supervisor, with the given SLA. */
async function startTask(
  projectId: string,
  startedBy: Member,
  opts: { dueSeconds: number; remindAt?: number[]; escalate?: boolean; title?: string },
): Promise<{ processId: string; taskId: string }> {
  const definition: ProcessDefinition = {
    key: 'notify-sla',
    version: 1,
    title: 'Deposit check',
    roles: ['sales_supervisor', 'general_manager', 'management'],
    input: [],
    root: {
      kind: 'task',
      id: 'check',
      title: opts.title ?? 'Check the deposit',
      role: 'sales_supervisor',
      due: { seconds: opts.dueSeconds },
      deadline: {
        remindAt: opts.remindAt ?? [],
        escalate: opts.escalate ? [{ atFraction: 1, toRole: 'general_manager' }] : [],
      },
    },
  };
  const { processId } = await startProcess(sys.client, sys.taskQueue, definition, {
    projectId,
    startedBy: { userId: startedBy.id, username: startedBy.username },
  });
  const taskId = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId } }))?.id, 15_000, 'the task');
  return { processId, taskId };
}

/** The caller's notifications about one task. */
async function notesAbout(who: Member, taskId: string) {
  const res = await who.session.get('/api/notifications?limit=200');
  expect(res.status).toBe(200);
  return (res.body.items as { id: string; kind: string; title: string; body: string; link: string; taskId: string }[]).filter(
    (n) => n.taskId === taskId,
  );
}

const mailsTo = (m: Member, about?: string) => mail.mails.filter((x) => x.to.includes(m.email) && (!about || x.text.includes(about)));
const hm = (at: Date) => at.toISOString().slice(11, 16);

beforeAll(async () => {
  mail = await startMailServer();
  robots = await startRobotReceiver({ '/dingtalk': DINGTALK_SECRET });
  // The robot receiver runs on loopback: allowed here only, by name (default off).
  sys = await startSystem({
    SMTP_URL: mail.url,
    PUBLIC_URL,
    NOTIFY_WEBHOOK_ALLOW_PRIVATE: 'true',
    NOTIFY_WEBHOOK_HOSTS: 'wecom:127.0.0.1,dingtalk:127.0.0.1',
  });
  const config: AppConfig = {
    ...sys.config,
    NOTIFY_POLL_MS: 100,
    NOTIFY_BACKOFF_MS: 300,
    NOTIFY_MAX_ATTEMPTS: 5,
    NOTIFY_SEND_TIMEOUT_MS: 2000,
    // Flat out: these tests are about what is delivered, once, to whom. Resting after
    // busy rounds (the default 0.2) spaces retries by up to 5 s more on a slow
    // machine, past these tests' waits; its effect is measured by `npm run bench:notify`.
    NOTIFY_DUTY_CYCLE: 1,
  };
  // The configured channels, each wrapped so a test can make the process "crash"
  // after a send and before the delivery is marked sent.
  const channels = new Map<string, NotificationChannel>();
  for (const [name, channel] of channelsFromConfig(config, sys.prisma)) {
    channels.set(name, {
      name,
      async send(m) {
        await channel.send(m);
        if (crashAfterSend.delete(m.idempotencyKey)) throw new Error('simulated crash after send');
      },
      ...(channel.sendBatch
        ? {
            async sendBatch(ms) {
              await channel.sendBatch!(ms);
              if (ms.filter((m) => crashAfterSend.delete(m.idempotencyKey)).length > 0) throw new Error('simulated crash after send');
            },
          }
        : {}),
      close: () => channel.close?.() ?? Promise.resolve(),
    });
  }
  // The test database is shared by every file, and most start processes with no
  // dispatcher running (the permission matrix alone opens hundreds of tasks): their
  // messages are not this file's to deliver. Left pending they would be expanded and
  // sent first, ahead of every message these tests wait for.
  await sys.prisma.$executeRaw`UPDATE outbox_messages SET sent_at = now() WHERE sent_at IS NULL`;
  await sys.prisma.$executeRaw`UPDATE notification_deliveries SET status = 'sent', sent_at = now() WHERE status IN ('pending', 'held')`;
  dispatcher = new NotificationDispatcher({ prisma: sys.prisma, config, channels, clock, log: () => undefined });
  dispatcher.start();
  admin = await sys.login('admin');
});

afterAll(async () => {
  await dispatcher?.stop();
  await sys?.stop();
  await mail?.stop();
  await robots?.stop();
});

test('an overdue task: a reminder, then an escalation, in-app and by e-mail to the right users only; live over SSE', async () => {
  const { projectId, members } = await team(['sales_supervisor', 'general_manager', 'management']);
  const sup = members.sales_supervisor!;
  const gm = members.general_manager!;
  const mgmt = members.management!;
  // Holds the same role in another project: must hear nothing.
  const outsider = await member('sales_supervisor', (await team([])).projectId);
  expect((await gm.session.send('PUT', '/api/me/notification-preferences', { locale: 'en' })).status).toBe(200);

  // The GM listens live before anything happens.
  const ctrl = new AbortController();
  const stream = await fetch(`${sys.url}/api/notifications/stream?maxSeconds=60`, {
    headers: { authorization: `Bearer ${gm.session.token}` },
    signal: ctrl.signal,
  });
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
  let streamed = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) streamed += decoder.decode(chunk);
    } catch {
      // aborted
    }
  })();

  const { taskId } = await startTask(projectId, sup, { dueSeconds: 6, remindAt: [0.5], escalate: true });
  const supNotes = await eventually(
    async () => {
      const notes = await notesAbout(sup, taskId);
      return notes.length === 3 ? notes : undefined;
    },
    25_000,
    'three notifications for the supervisor',
  );
  expect(supNotes.map((n) => n.kind).sort()).toEqual(['task.created', 'task.escalated', 'task.reminder']);
  // The supervisor reads Chinese (the default); the escalation tells them they missed it.
  expect(supNotes.find((n) => n.kind === 'task.reminder')!.title).toBe('任务提醒：Check the deposit');
  expect(supNotes.find((n) => n.kind === 'task.escalated')!.title).toBe('任务已逾期并升级：Check the deposit');
  for (const n of supNotes) expect(n.link).toBe(`${PUBLIC_URL}/#/tasks/${taskId}`);

  const gmNotes = await eventually(async () => {
    const notes = await notesAbout(gm, taskId);
    return notes.length > 0 ? notes : undefined;
  });
  expect(gmNotes.map((n) => [n.kind, n.title])).toEqual([['task.escalated', 'Escalated to you: Check the deposit']]);

  // The same by e-mail, each with the deep link.
  await eventually(async () => (mailsTo(sup, taskId).length === 3 && mailsTo(gm, taskId).length === 1 ? true : undefined), 15_000, 'mails');
  expect(
    mailsTo(sup, taskId)
      .map((m) => m.subject)
      .sort(),
  ).toEqual(['新任务：Check the deposit', '任务已逾期并升级：Check the deposit', '任务提醒：Check the deposit'].sort());
  expect(mailsTo(gm, taskId)[0]!.text).toContain(`${PUBLIC_URL}/#/tasks/${taskId}`);

  // Nobody else heard of it.
  expect(await notesAbout(mgmt, taskId)).toEqual([]);
  expect(await notesAbout(outsider, taskId)).toEqual([]);
  expect(mail.mails.filter((m) => m.text.includes(taskId) && ![sup.email, gm.email].includes(m.to[0]!))).toEqual([]);
  const demoSupervisor = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'supervisor' } });
  expect(await sys.prisma.notification.count({ where: { taskId, userId: demoSupervisor.id } })).toBe(0);

  // The GM's stream carried the escalation as it arrived.
  await eventually(async () => (streamed.includes('Escalated to you: Check the deposit') ? true : undefined), 5_000, 'the SSE event');
  expect(streamed).toMatch(/event: unread\ndata: \{"unreadCount":\d+\}/);
  expect(streamed).toMatch(/event: notification\ndata: \{.*"kind":"task.escalated"/);
  ctrl.abort();
  await reading;

  // Paging: newest first, then the rest from the last one seen.
  const first = (await sup.session.get('/api/notifications?limit=2')).body;
  const page1 = first.items as { id: string }[];
  const page2 = (await sup.session.get(`/api/notifications?limit=200&cursor=${first.nextCursor}`)).body.items as { id: string }[];
  expect(page2.map((n) => n.id)).not.toContain(page1[0]!.id);
  expect(page2.map((n) => n.id)).not.toContain(page1[1]!.id);
  expect(page1.length + page2.length).toBe((await sup.session.get('/api/notifications?limit=200')).body.items.length);

  // Unread count, read one, read all.
  const before = (await sup.session.get('/api/notifications?unread=true')).body;
  expect(before.unreadCount).toBeGreaterThanOrEqual(3);
  const read = await sup.session.post(`/api/notifications/${supNotes[0]!.id}/read`);
  expect(read.status).toBe(200);
  expect(read.body.unreadCount).toBe(before.unreadCount - 1);
  expect((await sup.session.post(`/api/notifications/${supNotes[0]!.id}/read`)).body.unreadCount).toBe(before.unreadCount - 1);
  // Another user's notification is not there for them.
  expect((await gm.session.post(`/api/notifications/${supNotes[1]!.id}/read`)).status).toBe(404);
  expect((await sup.session.post('/api/notifications/read-all')).body.unreadCount).toBe(0);
  expect((await sup.session.get('/api/notifications?unread=true')).body).toMatchObject({ items: [], unreadCount: 0 });
}, 60_000);

test('SMTP down for a while: the mail arrives after it returns, once', async () => {
  const { projectId, members } = await team(['sales_supervisor']);
  const sup = members.sales_supervisor!;
  await mail.stop();
  const { taskId } = await startTask(projectId, sup, { dueSeconds: 3600 });
  // The in-app copy goes at once; the e-mail keeps failing and waits.
  await eventually(async () => ((await notesAbout(sup, taskId)).length === 1 ? true : undefined));
  const failing = await eventually(
    async () => {
      const d = await sys.prisma.notificationDelivery.findFirst({ where: { taskId, channel: 'email' } });
      return d && d.attempts >= 2 ? d : undefined;
    },
    15_000,
    'failed attempts',
  );
  expect(failing).toMatchObject({ status: 'pending', sentAt: null });
  expect(failing.lastError).toMatch(/ECONNREFUSED|connect/i);

  await mail.start();
  await eventually(async () => (mailsTo(sup, taskId).length === 1 ? true : undefined), 20_000, 'the mail after SMTP returned');
  await new Promise((r) => setTimeout(r, 1500));
  expect(mailsTo(sup, taskId)).toHaveLength(1);
  expect(await sys.prisma.notificationDelivery.findFirstOrThrow({ where: { taskId, channel: 'email' } })).toMatchObject({ status: 'sent' });
});

test('a crash between sending and marking sent: in-app once, the e-mail re-sent with the same Message-ID', async () => {
  const { projectId, members } = await team(['sales_supervisor']);
  const sup = members.sales_supervisor!;
  // The key the dispatcher will use for this user's in-app and e-mail copies of the
  // next message is not known before it exists: crash every first send of this user.
  const before = await sys.prisma.outboxMessage.aggregate({ _max: { id: true } });
  const next = Number(before._max.id ?? 0n);
  for (let id = next + 1; id <= next + 20; id++) {
    crashAfterSend.add(`m${id}:u${sup.id}:in_app`);
    crashAfterSend.add(`m${id}:u${sup.id}:email`);
  }
  const { taskId } = await startTask(projectId, sup, { dueSeconds: 3600 });
  const deliveries = await eventually(
    async () => {
      const rows = await sys.prisma.notificationDelivery.findMany({ where: { taskId, userId: sup.id } });
      return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : undefined;
    },
    20_000,
    'both delivered',
  );
  // Each was attempted twice: the first "crashed" after the channel accepted it.
  expect(deliveries.map((d) => d.attempts)).toEqual([2, 2]);
  expect(await sys.prisma.notification.count({ where: { taskId, userId: sup.id } })).toBe(1);
  const mails = mailsTo(sup, taskId);
  expect(mails).toHaveLength(2);
  expect(new Set(mails.map((m) => m.messageId)).size).toBe(1);
  crashAfterSend.clear();
});

test('a DingTalk robot answering 500 then 200 gets the message once, signed; a WeCom robot only its role', async () => {
  const { projectId, members } = await team(['sales_supervisor', 'general_manager']);
  const sup = members.sales_supervisor!;
  const ding = await admin.post('/api/notification-webhooks', {
    name: 'Sales group',
    provider: 'dingtalk',
    url: `${robots.url}/dingtalk?access_token=t0k3n`,
    secret: DINGTALK_SECRET,
    projectId,
  });
  expect(ding.status).toBe(201);
  expect(ding.body).toMatchObject({ provider: 'dingtalk', hasSecret: true, url: `${robots.url}/dingtalk?…` });
  expect(ding.body.secret).toBeUndefined();
  const wecom = await admin.post('/api/notification-webhooks', {
    name: 'GM group',
    provider: 'wecom',
    url: `${robots.url}/wecom?key=k3y`,
    projectId,
    role: 'general_manager',
  });
  expect(wecom.status).toBe(201);
  expect(
    (await admin.post('/api/notification-webhooks', { name: 'x', provider: 'slack', url: 'http://x' })).body.error.details[0].field,
  ).toBe('body.provider');
  expect((await sup.session.get('/api/notification-webhooks')).status).toBe(403);

  robots.script.push(500);
  const { taskId } = await startTask(projectId, sup, { dueSeconds: 3600, title: 'Sign the agreement' });
  const hits = await eventually(
    async () => {
      const got = robots.requests.filter((r) => r.path === '/dingtalk' && JSON.stringify(r.body).includes(taskId));
      return got.some((r) => r.status === 200) ? got : undefined;
    },
    15_000,
    'the robot delivery',
  );
  await new Promise((r) => setTimeout(r, 1000));
  const all = robots.requests.filter((r) => r.path === '/dingtalk' && JSON.stringify(r.body).includes(taskId));
  expect(all.map((r) => r.status)).toEqual([500, 200]);
  expect(all.every((r) => r.signatureOk)).toBe(true);
  expect(all[0]!.query.get('access_token')).toBe('t0k3n');
  expect(hits[1]!.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '新任务：Sign the agreement' } });
  expect(hits[1]!.body.markdown.text).toContain(`${PUBLIC_URL}/#/tasks/${taskId}`);
  expect(hits[1]!.body.markdown.text).toContain('sales_supervisor');
  // The WeCom robot is for the GM's role: a new supervisor task is not for it.
  expect(robots.requests.filter((r) => r.path === '/wecom' && JSON.stringify(r.body).includes(taskId))).toEqual([]);

  const listed = await admin.get('/api/notification-webhooks');
  expect(listed.body.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining([ding.body.id, wecom.body.id]));
  expect((await admin.send('PATCH', `/api/notification-webhooks/${wecom.body.id}`, { active: false })).body.active).toBe(false);
  expect((await admin.send('DELETE', `/api/notification-webhooks/${ding.body.id}`)).status).toBe(204);
  expect((await admin.send('DELETE', `/api/notification-webhooks/${wecom.body.id}`)).status).toBe(204);
});

test('a robot that keeps failing is dead-lettered, listed for admins, and can be retried', async () => {
  const { projectId, members } = await team(['sales_supervisor']);
  const sup = members.sales_supervisor!;
  const hook = await admin.post('/api/notification-webhooks', {
    name: 'Broken',
    provider: 'wecom',
    url: `${robots.url}/wecom-broken?key=x`,
    projectId,
  });
  robots.script.push(...Array<number>(5).fill(500));
  const { taskId } = await startTask(projectId, sup, { dueSeconds: 3600 });
  const dead = await eventually(
    async () => {
      const res = await admin.get('/api/notifications/dead-letters');
      return res.body.items.find((d: { taskId: string }) => d.taskId === taskId);
    },
    40_000,
    'the dead letter',
  );
  expect(dead).toMatchObject({ channel: 'wecom', attempts: 5, lastError: expect.stringMatching(/500/) });
  expect((await sup.session.get('/api/notifications/dead-letters')).status).toBe(403);
  expect((await admin.post(`/api/notifications/dead-letters/${dead.id}/retry`)).body).toMatchObject({ status: 'pending' });
  await eventually(async () => {
    const d = await sys.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: BigInt(dead.id) } });
    return d.status === 'sent' ? true : undefined;
  });
  expect((await admin.post(`/api/notifications/dead-letters/${dead.id}/retry`)).status).toBe(404);
  await admin.send('DELETE', `/api/notification-webhooks/${hook.body.id}`);
}, 60_000);

test('quiet hours hold a reminder until they end, but not an escalation', async () => {
  const { projectId, members } = await team(['sales_supervisor', 'general_manager']);
  const sup = members.sales_supervisor!;
  const now = clock();
  const prefs = await sup.session.send('PUT', '/api/me/notification-preferences', {
    timeZone: 'UTC',
    quietHours: { start: hm(new Date(now.getTime() - 60_000)), end: hm(new Date(now.getTime() + 30 * 60_000)) },
  });
  expect(prefs.status).toBe(200);
  expect(prefs.body).toMatchObject({ channels: ['in_app', 'email'], timeZone: 'UTC', digest: { enabled: false } });

  const { taskId } = await startTask(projectId, sup, { dueSeconds: 6, remindAt: [0.5], escalate: true });
  // The escalation note comes through the quiet hours...
  await eventually(
    async () => ((await notesAbout(sup, taskId)).some((n) => n.kind === 'task.escalated') ? true : undefined),
    20_000,
    'the escalation',
  );
  // ...the reminder waits for their end.
  const reminder = await sys.prisma.notificationDelivery.findFirstOrThrow({
    where: { taskId, userId: sup.id, kind: 'task.reminder', channel: 'in_app' },
  });
  expect(reminder.status).toBe('pending');
  expect(reminder.nextAttemptAt.getTime()).toBeGreaterThan(clock().getTime() + 25 * 60_000);
  expect((await notesAbout(sup, taskId)).map((n) => n.kind).sort()).toEqual(['task.created', 'task.escalated']);

  skewMs += 31 * 60_000; // the quiet hours are over
  await eventually(
    async () => ((await notesAbout(sup, taskId)).some((n) => n.kind === 'task.reminder') ? true : undefined),
    10_000,
    'the reminder',
  );
  await eventually(async () => (mailsTo(sup, taskId).some((m) => m.subject.startsWith('任务提醒')) ? true : undefined));
}, 60_000);

test('the daily digest collects the reminders instead of sending each', async () => {
  const { projectId, members } = await team(['sales_supervisor']);
  const sup = members.sales_supervisor!;
  const digestAt = new Date(clock().getTime() + 60 * 60_000);
  expect(
    (
      await sup.session.send('PUT', '/api/me/notification-preferences', {
        timeZone: 'UTC',
        digest: { enabled: true, time: hm(digestAt) },
        locale: 'en',
      })
    ).status,
  ).toBe(200);
  const a = await startTask(projectId, sup, { dueSeconds: 4, remindAt: [0.5], title: 'Call back visitor A' });
  const b = await startTask(projectId, sup, { dueSeconds: 4, remindAt: [0.5], title: 'Call back visitor B' });
  const held = await eventually(
    async () => {
      const rows = await sys.prisma.notificationDelivery.findMany({ where: { userId: sup.id, kind: 'task.reminder' } });
      return rows.length === 4 && rows.every((r) => r.status === 'held') ? rows : undefined;
    },
    20_000,
    'held reminders',
  );
  expect(held.map((r) => r.channel).sort()).toEqual(['email', 'email', 'in_app', 'in_app']);
  expect(await notesAbout(sup, a.taskId)).toHaveLength(1); // only "new task"

  skewMs += 61 * 60_000; // digest time
  const digest = await eventually(
    async () => {
      const res = await sup.session.get('/api/notifications');
      return res.body.items.find((n: { kind: string }) => n.kind === 'digest');
    },
    10_000,
    'the in-app digest',
  );
  expect(digest.title).toBe("Today's task reminders (2)");
  expect(digest.body).toContain('Reminder: Call back visitor A');
  expect(digest.body).toContain('Reminder: Call back visitor B');
  expect(digest.body).toContain(`${PUBLIC_URL}/#/tasks/${b.taskId}`);
  await eventually(async () => (mailsTo(sup).some((m) => m.subject === "Today's task reminders (2)") ? true : undefined));
  expect(mailsTo(sup).filter((m) => m.subject.startsWith('Reminder:'))).toEqual([]);
  expect(await sys.prisma.notificationDelivery.count({ where: { userId: sup.id, kind: 'task.reminder', status: 'digested' } })).toBe(4);
});

test('preferences: bad input is refused naming the field', async () => {
  const sup = (await team(['sales_supervisor'])).members.sales_supervisor!;
  const cases: [unknown, string][] = [
    [{ quietHours: { start: '25:00', end: '07:00' } }, 'body.quietHours.start'],
    [{ channels: ['pigeon'] }, 'body.channels.0'],
    [{ timeZone: 'Mars/Olympus' }, 'body.timeZone'],
    [{ digest: { enabled: true } }, 'body.digest.time'],
    [{ locale: 'fr' }, 'body.locale'],
    [{ colour: 'red' }, 'body.colour'],
  ];
  for (const [body, field] of cases) {
    const res = await sup.session.send('PUT', '/api/me/notification-preferences', body);
    expect({ status: res.status, fields: res.body.error.details.map((d: { field: string }) => d.field) }).toEqual({
      status: 400,
      fields: expect.arrayContaining([field]),
    });
  }
  const shown = await sup.session.get('/api/me/notification-preferences');
  expect(shown.body).toMatchObject({ channels: ['in_app', 'email'], quietHours: null, locale: 'zh-CN', available: ['in_app', 'email'] });
});

test('the forgot-password code arrives by e-mail and works', async () => {
  const sup = (await team(['sales_supervisor'])).members.sales_supervisor!;
  const request = await http(sys.url, 'POST', '/api/auth/password-reset/request', { body: { username: sup.username } });
  expect(request.status).toBe(202);
  const message = await eventually(async () => mailsTo(sup).find((m) => m.subject === '密码重置验证码'), 15_000, 'the reset mail');
  const code = /验证码：(\S+)/.exec(message.text)![1]!;
  const confirm = await http(sys.url, 'POST', '/api/auth/password-reset/confirm', {
    body: { token: code, newPassword: 'after-reset-password-2' },
  });
  expect(confirm.status).toBe(204);
  await sys.login(sup.username, 'after-reset-password-2');
  // Only by e-mail: the code is not in the notification centre.
  expect(await sys.prisma.notification.count({ where: { userId: sup.id, kind: 'auth.password_reset' } })).toBe(0);
  // Neither the outbox message nor the delivered row keeps the code.
  const outbox = await sys.prisma.outboxMessage.findFirstOrThrow({ where: { userId: sup.id, kind: 'auth.password_reset' } });
  expect(`${outbox.body} ${JSON.stringify(outbox.payload)}`).not.toContain(code);
  const row = await sys.prisma.notificationDelivery.findFirstOrThrow({ where: { userId: sup.id, kind: 'auth.password_reset' } });
  expect(row.body).not.toContain(code);
});

test('an admin resets a password: the user must change it before anything else', async () => {
  const sup = (await team(['sales_supervisor'])).members.sales_supervisor!;
  const reset = await admin.post(`/api/users/${sup.id}/password-reset`, {});
  expect(reset.status).toBe(200);
  const temporary: string = reset.body.temporaryPassword;
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  // Signed out everywhere.
  expect((await sup.session.get('/api/auth/me')).status).toBe(401);
  const login = await http(sys.url, 'POST', '/api/auth/login', { body: { username: sup.username, password: temporary } });
  expect(login.body.mustChangePassword).toBe(true);
  const token: string = login.body.token;
  const as = (method: string, path: string, body?: unknown) => http(sys.url, method, path, { token, body });
  expect((await as('GET', '/api/auth/me')).body.mustChangePassword).toBe(true);
  const blocked = await as('GET', '/api/tasks?mine=true');
  expect(blocked.status).toBe(403);
  expect(blocked.body.error.code).toBe('password_change_required');
  expect((await as('POST', '/api/auth/password', { currentPassword: temporary, newPassword: 'my-own-password-3' })).status).toBe(204);
  expect((await as('GET', '/api/tasks?mine=true')).status).toBe(200);
  const again = await http(sys.url, 'POST', '/api/auth/login', { body: { username: sup.username, password: 'my-own-password-3' } });
  expect(again.body.mustChangePassword).toBe(false);
  expect((await admin.post(`/api/users/${randomUUID()}/password-reset`, {})).status).toBe(404);
  expect((await admin.post(`/api/users/${sup.id}/password-reset`, { temporaryPassword: 'short' })).body.error.details[0].field).toBe(
    'body.temporaryPassword',
  );
});

test('delegated and handed back; the approval decided and the process finished reach the requester', async () => {
  const { projectId, members } = await team(['sales_agent', 'sales_supervisor', 'sales_ae']);
  const agent = members.sales_agent!;
  const sup = members.sales_supervisor!;
  const ae = members.sales_ae!;
  const { processId } = await startProcess(
    sys.client,
    sys.taskQueue,
    {
      key: 'notify-approval',
      version: 1,
      title: 'Discount request',
      roles: ['sales_supervisor', 'sales_agent'],
      input: [],
      root: {
        kind: 'approval',
        id: 'approve',
        title: 'Approve the discount',
        approvers: [{ role: 'sales_supervisor', due: { hours: 4 } }],
      },
    },
    { projectId, startedBy: { userId: agent.id, username: agent.username } },
  );
  const taskId = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId } }))?.id, 15_000, 'the task');
  expect((await sup.session.post(`/api/tasks/${taskId}/delegate`, { toUserId: ae.id })).status).toBe(200);
  await eventually(
    async () => ((await notesAbout(ae, taskId)).some((n) => n.kind === 'task.delegated') ? true : undefined),
    15_000,
    'delegated',
  );
  const handedBack = await ae.session.post(`/api/tasks/${taskId}/complete`, { outcome: 'approve' });
  expect(handedBack.body).toMatchObject({ returnedToOwner: true });
  const returned = await eventually(
    async () => (await notesAbout(sup, taskId)).find((n) => n.kind === 'task.returned'),
    15_000,
    'returned',
  );
  expect(returned.title).toBe('委托任务已交回：Approve the discount');
  expect((await sup.session.post(`/api/tasks/${taskId}/complete`, { outcome: 'approve' })).status).toBe(200);

  const requester = await eventually(
    async () => {
      const items = (await agent.session.get('/api/notifications')).body.items as { kind: string; title: string; link: string }[];
      return items.length >= 2 ? items : undefined;
    },
    15_000,
    "the requester's notes",
  );
  expect(requester.map((n) => n.kind).sort()).toEqual(['approval.decided', 'process.finished']);
  expect(requester.find((n) => n.kind === 'approval.decided')!.title).toBe('审批结果：Approve the discount — 批准');
  expect(requester.find((n) => n.kind === 'process.finished')).toMatchObject({
    title: '流程已完成：Discount request',
    link: `${PUBLIC_URL}/#/processes/${encodeURIComponent(processId)}`,
  });
  // The delegate heard only of the delegation; the supervisor of the new task and the hand-back.
  expect((await notesAbout(ae, taskId)).map((n) => n.kind)).toEqual(['task.delegated']);
  expect((await notesAbout(sup, taskId)).map((n) => n.kind).sort()).toEqual(['task.created', 'task.returned']);
});
