import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { NotificationDispatcher } from '../../notifications';
import { buildWeb } from '../../scripts/build-web';
import { DESKTOP, launchChromium, signIn, waitForPath } from '../support/browser';
import { eventually, startSystem, type Session, type TestSystem } from '../support/system';

// The notification centre in a real Chromium: the unread count rises while the page
// is open when a task is assigned to the user's role, and the notification opens the task.

let sys: TestSystem;
let browser: Browser;
let context: BrowserContext;
let dispatcher: NotificationDispatcher;
let admin: Session;

beforeAll(async () => {
  await buildWeb();
  sys = await startSystem();
  dispatcher = new NotificationDispatcher({ prisma: sys.prisma, config: sys.config, log: () => undefined });
  dispatcher.start();
  admin = await sys.login('admin');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
}, 120_000);
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await dispatcher?.stop();
  await sys?.stop();
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

  const page = await context.newPage();
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
