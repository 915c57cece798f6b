import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { NotificationDispatcher } from '../../notifications';
import { signIn, waitForPath } from '../support/browser';
import { eventually, type Session, type TestSystem } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// The notification centre in a real Chromium: the unread count rises while the page
// is open when a task is assigned to the user's role, and the notification opens the task.

let sys: TestSystem;
let web: WebSystem;
let dispatcher: NotificationDispatcher;
let admin: Session;

beforeAll(async () => {
  web = await startWebSystem();
  sys = web.sys;
  dispatcher = new NotificationDispatcher({ prisma: sys.prisma, config: sys.config, log: () => undefined });
  dispatcher.start();
  admin = await sys.login('admin');
}, 120_000);
afterAll(async () => {
  await dispatcher?.stop();
  await web?.stop();
});

const count = async (page: Page): Promise<number> => {
  const text =
    (await page
      .locator('[data-testid=notification-count] .ant-badge-count')
      .first()
      .textContent()
      .catch(() => null)) ?? '0';
  return Number(text.replace(/\D/g, '') || '0');
};

test('the unread count rises while the page is open, and the notification opens the task', async () => {
  const title = `审批折扣 ${randomUUID().slice(0, 6)}`;
  const definition = {
    key: `gm-review-${randomUUID().slice(0, 8)}`,
    version: 1,
    title: '总经理审批',
    roles: ['general_manager'],
    input: [],
    root: { kind: 'task', id: 'review', title, role: 'general_manager', due: { days: 1 } },
  };
  expect((await admin.post('/api/definitions', { definition })).status).toBe(201);

  const page = await web.newPage();
  await signIn(page, sys.url, 'gm', sys.env.password);
  await page.locator('[data-testid=notification-bell]').waitFor();
  // Let the first list and the stream settle before counting.
  await page.waitForTimeout(500);
  const before = await count(page);

  const started = await admin.post('/api/processes', { definition: definition.key, projectId: 'DEMO', input: {} });
  expect(started.status).toBe(201);
  // Nothing reloads the page: the count comes over the stream.
  await eventually(async () => ((await count(page)) > before ? true : undefined), 30_000, 'the unread count to rise');

  await page.locator('[data-testid=notification-bell]').click();
  const item = page.locator('[data-testid=notification-item]', { hasText: title }).first();
  await item.waitFor();
  await item.click();
  const path = await waitForPath(page, /^\/tasks\/[0-9a-f-]{36}$/);
  const task = await sys.prisma.task.findFirstOrThrow({ where: { processId: started.body.id } });
  expect(path).toBe(`/tasks/${task.id}`);
  await page.locator('h1', { hasText: title }).waitFor();
  // Opening it marked it read.
  const notes = (await (await sys.login('gm')).get('/api/notifications?limit=50')).body.items as {
    taskId: string;
    readAt: string | null;
  }[];
  expect(notes.find((n) => n.taskId === task.id)?.readAt).not.toBeNull();
});

test('a user sets quiet hours and the digest on the notification settings page; an admin sees undelivered notifications', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'agent', sys.env.password);
  await page.goto(`${sys.url}/#/me/notifications`);
  await page.locator('h1', { hasText: '通知设置' }).waitFor();
  await page.locator('#preferences_quiet').click();
  await page.locator('#preferences_quietStart').fill('21:30');
  await page.locator('#preferences_quietEnd').fill('07:30');
  await page.locator('#preferences_digest').click();
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await page.getByText('已保存').first().waitFor();
  const agent = await sys.login('agent');
  const saved = (await agent.get('/api/me/notification-preferences')).body;
  expect(saved).toMatchObject({ quietHours: { start: '21:30', end: '07:30' } });
  expect(typeof saved.digest.enabled).toBe('boolean');

  // A delivery that failed every attempt, as the dispatcher leaves it.
  const user = await sys.prisma.user.findFirstOrThrow({ where: { username: 'agent' } });
  const key = `test-dead-${randomUUID()}`;
  const outbox = await sys.prisma.outboxMessage.create({
    data: { channel: 'role', recipient: 'sales_agent', subject: '测试', body: '', dedupeKey: key },
  });
  await sys.prisma.notificationDelivery.create({
    data: {
      outboxId: outbox.id,
      idempotencyKey: key,
      userId: user.id,
      channel: 'email',
      target: 'agent@demo.invalid',
      kind: 'task.created',
      template: 'task.created',
      locale: 'zh-CN',
      subject: `投递失败 ${key.slice(-6)}`,
      body: '',
      status: 'dead',
      attempts: 8,
      lastError: '550 mailbox unavailable',
    },
  });
  const adminPage = await web.newPage();
  await signIn(adminPage, sys.url, 'admin', sys.env.password);
  await adminPage.goto(`${sys.url}/#/admin/dead-letters`);
  const row = adminPage.locator('tr', { hasText: `投递失败 ${key.slice(-6)}` });
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain('550 mailbox unavailable');
  await row.getByRole('button', { name: /重\s*试/ }).click();
  await adminPage.getByText('已重新排队发送').first().waitFor();
  const requeued = await sys.prisma.notificationDelivery.findFirstOrThrow({ where: { idempotencyKey: key } });
  expect(requeued.status).not.toBe('dead');
});
