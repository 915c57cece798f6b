import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE, scrollsSideways, signIn } from '../support/browser';
import { eventually } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// Issue 23: "The GM's task 总经理审批《项目销售总体计划》 shows a comment box and
// 同意/退回修改/驳回 — and not the plan." The GM, on a phone, opens the approval and
// reads the plan above the decision: phases and targets as a table, the team by name,
// money as money, the long price strategy folded — and no id or JSON on the screen.

let web: WebSystem;
const project = `SJ${randomUUID().slice(0, 4).toUpperCase()}`;
const SHOTS = join(__dirname, '..', '..', '.data', 'screenshots');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

beforeAll(async () => {
  web = await startWebSystem();
  const admin = await web.sys.login('admin');
  expect((await admin.post('/api/projects', { id: project, name: '滨江壹号' })).status).toBe(201);
  for (const username of ['supervisor', 'gm', 'agent']) {
    const user = await web.sys.prisma.user.findUniqueOrThrow({ where: { username } });
    await web.sys.prisma.projectMember.create({ data: { projectId: project, userId: user.id } });
  }
}, 120_000);

afterAll(() => web?.stop());

test('the GM reads the overall plan above the decision, on a phone, by name and as money', async () => {
  const supervisor = await web.sys.login('supervisor');
  const agent = await web.sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
  const strategy = '低开高走：首批房源以市场价九五折入市，'.repeat(8) + '后续按去化速度每两周评估一次调价。';
  const started = await supervisor.post('/api/processes', {
    definition: 'sales-launch',
    projectId: project,
    input: {
      overallPlan: '《滨江壹号项目销售总体计划》第一版',
      annualUnits: 120,
      annualAmount: 360_000_000,
      planPhases: [
        { name: '开盘期', units: 40, amount: 120_000_000 },
        { name: '持续销售期', units: 80, amount: 240_000_000 },
      ],
      priceStrategy: strategy,
      marketingBudget: 5_000_000,
      team: [agent.id],
    },
  });
  expect(started.status).toBe(201);
  const task = await eventually(
    async () => (await web.sys.prisma.task.findFirst({ where: { processId: started.body.id, status: 'open' } })) ?? undefined,
    45_000,
    "the GM's approval",
  );

  const page = await web.newPage(PHONE);
  await signIn(page, web.sys.url, 'gm', web.sys.env.password);
  await page.goto(`${web.sys.url}/#/tasks/${task.id}`);
  const subject = page.getByTestId('task-subject');
  await subject.waitFor();
  await subject.getByText('持续销售期').waitFor();
  const shown = (await subject.innerText()).replace(/\s+/g, ' ');
  // The plan by its own labels, in Chinese; phases as a table; money as money; the team by name.
  expect(shown).toContain('《滨江壹号项目销售总体计划》第一版');
  expect(shown).toContain('阶段目标');
  expect(shown).toMatch(/开盘期 40 ¥120,000,000(\.00)?/);
  expect(shown).toContain('¥5,000,000');
  expect(shown).toContain(agent.displayName);
  // The long strategy is folded until asked for.
  expect(shown).not.toContain('后续按去化速度每两周评估一次调价');
  await subject.getByText('展开').first().click();
  await subject.getByText('后续按去化速度每两周评估一次调价', { exact: false }).waitFor();
  // The plan comes before the decision.
  const plan = await subject.boundingBox();
  const decision = await page.locator('[data-outcome=approve]').boundingBox();
  expect(plan!.y).toBeLessThan(decision!.y);
  // No ids, no JSON, no English labels of the plan on this Chinese screen.
  const main = await page.locator('main').innerText();
  expect(main).not.toMatch(UUID);
  expect(main).not.toContain('{"');
  expect(shown).not.toMatch(/Overall sales plan|Price strategy|Team members/);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'gm-plan-approval-phone.png'), fullPage: true });
  expect(await scrollsSideways(page)).toBe(false);
  const desk = await web.newPage();
  await signIn(desk, web.sys.url, 'gm', web.sys.env.password);
  await desk.goto(`${web.sys.url}/#/tasks/${task.id}`);
  await desk.getByTestId('task-subject').getByText('持续销售期').waitFor();
  await desk.screenshot({ path: join(SHOTS, 'gm-plan-approval-desktop.png'), fullPage: true });
});
