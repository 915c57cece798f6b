import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { migrationDefinition } from '../support/migration-definitions';
import { DESKTOP, PHONE, pick, scrollsSideways, seriousViolations, settled, signIn } from '../support/browser';
import { eventually, type Session, type TestSystem } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// Migrating a running process from its page in a real Chromium, in Chinese: the
// administrator maps the running step, previews (what moves, what is passed over,
// what begins), applies, and the page shows the new version; the task kept its id.

let sys: TestSystem;
let web: WebSystem;
let admin: Session;
let supervisor: Session;
let agent: Session;
const key = `mig-web-${randomUUID().slice(0, 6)}`;
const shots = process.env.SCREENSHOT_DIR ?? '/tmp/salesproc-screens';

beforeAll(async () => {
  web = await startWebSystem();
  sys = web.sys;
  [admin, supervisor, agent] = await Promise.all([sys.login('admin'), sys.login('supervisor'), sys.login('agent')]);
  for (const version of [1, 2] as const) {
    expect((await admin.post('/api/definitions', { definition: migrationDefinition(version, key) })).status).toBe(201);
  }
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await web?.stop();
});

const openTask = (processId: string, taskKey: string) =>
  eventually(
    () => sys.prisma.task.findFirst({ where: { processId, taskKey, status: 'open' } }).then((t) => t ?? undefined),
    15_000,
    taskKey,
  );

async function runningInstance(): Promise<{ id: string; reportId: string }> {
  const started = await supervisor.post('/api/processes', { definition: key, version: 1, projectId: 'DEMO', input: {} });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const intake = await openTask(id, 'intake');
  expect((await agent.post(`/api/tasks/${intake.id}/complete`, { outcome: 'done', data: {} })).status).toBe(200);
  return { id, reportId: (await openTask(id, 'phases[1]/report')).id };
}

async function openDialog(page: Page, id: string): Promise<void> {
  await page.goto(`${sys.url}/#/processes/${encodeURIComponent(id)}`);
  await page.getByRole('button', { name: '迁移到新版本' }).click();
  await page.locator('.ant-modal').getByText('目标版本').waitFor();
  await page.locator('#migrate-report').waitFor();
}

test('an administrator previews and applies a migration from the process page', async () => {
  const { id, reportId } = await runningInstance();
  const page = await web.newPage(DESKTOP);
  await signIn(page, sys.url, 'admin', sys.env.password);
  await openDialog(page, id);

  // Unmapped, the preview says why it cannot apply, in words.
  await page.locator('.ant-modal').getByRole('button', { name: '预览' }).click();
  const preview = page.getByTestId('migration-preview');
  await preview.getByText('无法迁移').waitFor();

  await pick(page, 'migrate-report', /phase-report/);
  await page.locator('.ant-modal').getByRole('button', { name: '预览' }).click();
  await preview.getByText('可以迁移到第 2 版').waitFor();
  await preview.getByText('phases[1]/report → phases[1]/phase-report').waitFor();
  await preview.getByText('kickoff (kickoff)').waitFor();
  await preview.getByText('notes (notes)').waitFor();
  await settled(page);
  await page.screenshot({ path: `${shots}/migrate-desktop.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  // The dry run changed nothing.
  expect((await sys.prisma.processInstance.findUniqueOrThrow({ where: { id } })).definitionVersion).toBe(1);

  await page.locator('.ant-modal').getByRole('button', { name: '应用迁移' }).click();
  await page.getByText('已迁移到第 2 版').waitFor();
  await page.locator('.ant-descriptions').getByText('第 2 版').waitFor();
  const moved = await sys.prisma.task.findUniqueOrThrow({ where: { id: reportId } });
  expect(moved).toMatchObject({ status: 'open', taskKey: 'phases[1]/phase-report' });
  expect(await sys.prisma.processEvent.count({ where: { processId: id, type: 'process.migrated' } })).toBe(1);
  // The history names the migration in words.
  await page.getByTestId('history').getByText('流程已迁移到新版本').waitFor();
  await page.context().close();
  expect((await supervisor.post(`/api/processes/${encodeURIComponent(id)}/cancel`)).status).toBe(202);
});

test('the migration dialog fits a phone', async () => {
  const { id } = await runningInstance();
  const page = await web.newPage(PHONE, { isMobile: true, hasTouch: true });
  await signIn(page, sys.url, 'admin', sys.env.password);
  await openDialog(page, id);
  await pick(page, 'migrate-report', /phase-report/);
  await page.locator('.ant-modal').getByRole('button', { name: '预览' }).click();
  await page.getByTestId('migration-preview').getByText('可以迁移到第 2 版').waitFor();
  await settled(page);
  await page.screenshot({ path: `${shots}/migrate-phone.png`, fullPage: true });
  expect(await scrollsSideways(page)).toBe(false);
  await page.context().close();
  expect((await supervisor.post(`/api/processes/${encodeURIComponent(id)}/cancel`)).status).toBe(202);
});
