import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, pick, scrollsSideways, settled, signIn } from '../support/browser';
import { eventually, type Session, type TestSystem } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// The analysis pages (issue 11) in a real headless Chromium against the real API and
// Postgres, in zh-CN: each chart's table view shows the API's figures for the same
// filters (the figures themselves are checked against hand-computed values in
// analytics.test.ts), the chart is drawn, and the export downloads the same numbers.

let sys: TestSystem;
let web: WebSystem;
let agent: Session;
let supervisor: Session;

beforeAll(async () => {
  web = await startWebSystem();
  sys = web.sys;
  agent = await sys.login('agent');
  supervisor = await sys.login('supervisor');
  // Today's facts in the demo project: two registrations and a follow-up by the agent.
  for (const name of ['蒋女士', '沈先生']) {
    const phone = `134${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const res = await agent.post('/api/customers', {
      projectId: 'DEMO',
      name: `${name}${randomUUID().slice(0, 3)}`,
      phone,
      source: 'event',
    });
    expect(res.status).toBe(201);
    if (name === '蒋女士')
      expect(
        (await agent.post(`/api/customers/${res.body.customer.id}/follow-ups`, { channel: 'phone', result: '约周末看房' })).status,
      ).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await web?.stop();
});

/** The period the page shows (its range picker's two dates). */
async function periodOf(page: Page): Promise<{ from: string; to: string }> {
  const inputs = page.locator('.ant-picker-range input');
  return { from: await inputs.nth(0).inputValue(), to: await inputs.nth(1).inputValue() };
}

/** The cells of the table rows of a card, as text. */
async function rowsOf(page: Page, card: string): Promise<string[][]> {
  const rows = page.locator(`[data-testid=${card}] tbody tr.ant-table-row`);
  await rows.first().waitFor();
  return rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

const STAGE_NAMES: Record<string, string> = {
  visits: '到访',
  registrations: '报备',
  intents: '意向登记',
  subscriptions: '认购',
  contracts: '签约',
  paid: '回款完成',
};

test("supervisor: the funnel's table and XLSX show the API's figures, the chart is drawn; the agents' ranking and the daily report too", async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.getByRole('link', { name: '销售分析', exact: true }).click();
  await pick(page, 'analytics-project', /演示项目/);
  const { from, to } = await periodOf(page);
  const funnel = (await supervisor.get(`/api/analytics/funnel?projectId=DEMO&from=${from}&to=${to}`)).body as {
    stages: { stage: string; count: number }[];
    figures: Record<string, number>;
  };
  expect(funnel.figures.registrations).toBeGreaterThanOrEqual(2);

  // The chart first, drawn on a canvas.
  await page.locator('[data-testid=funnel-chart] canvas').first().waitFor();
  // Its table: every stage with the API's count.
  await page.locator('[data-testid=funnel]').getByText('表格').click();
  const rows = await rowsOf(page, 'funnel');
  expect(rows.map((r) => [r[0], r[1]])).toEqual(funnel.stages.map((s) => [STAGE_NAMES[s.stage], s.count.toLocaleString('zh-CN')]));
  // The KPIs above are the same figures.
  expect(await page.locator('[data-testid=kpis]').textContent()).toContain(`报备${funnel.figures.registrations}`);

  // The export: the same counts in the workbook.
  const download = page.waitForEvent('download');
  await page.locator('[data-testid=funnel]').getByRole('button', { name: 'XLSX' }).click();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await (await download).path());
  const sheet = workbook.worksheets[0]!;
  const exported: [string, number][] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) exported.push([String(row.getCell(1).value), Number(row.getCell(2).value)]);
  });
  // In the page's language: Chinese headers and stage names.
  expect(sheet.getRow(1).getCell(1).value).toBe('环节');
  expect(sheet.getRow(1).getCell(2).value).toBe('数量');
  expect(exported).toEqual(funnel.stages.map((s) => [STAGE_NAMES[s.stage], s.count]));

  // The agents ranked: the demo agent's registrations and follow-ups as the API has them.
  await page.getByRole('tab', { name: '团队与渠道' }).click();
  const agents = (await supervisor.get(`/api/analytics/breakdown?projectId=DEMO&from=${from}&to=${to}&by=agent`)).body.rows as {
    name: string;
    registrations: number;
    followUps: number;
  }[];
  const demo = agents.find((a) => a.name === '张伟')!;
  expect(demo.registrations).toBeGreaterThanOrEqual(2);
  await page.locator('[data-testid=by-agent]').getByText('表格').click();
  const agentRow = (await rowsOf(page, 'by-agent')).find((r) => r[1] === '张伟')!;
  // Columns: rank, name, visits, registrations, intents, follow-ups, …
  expect([agentRow[3], agentRow[5]]).toEqual([demo.registrations.toLocaleString('zh-CN'), demo.followUps.toLocaleString('zh-CN')]);

  // Today's daily report: the registrations of the day against the day before.
  await page.getByRole('tab', { name: '日报/周报/月报' }).click();
  const report = page.locator('[data-testid=report]');
  await report.waitFor();
  const day = await page.locator('.ant-picker:not(.ant-picker-range) input').first().inputValue();
  const api = (await supervisor.get(`/api/analytics/reports/daily?projectId=DEMO&date=${day}`)).body as {
    figures: Record<string, number>;
    previous: Record<string, number>;
  };
  expect(await report.textContent()).toContain('日报');
  const registrations = (await rowsOf(page, 'report')).find((r) => r[0] === '报备')!;
  expect([registrations[1], registrations[2]]).toEqual([
    api.figures.registrations!.toLocaleString('zh-CN'),
    api.previous.registrations!.toLocaleString('zh-CN'),
  ]);

  // The report as a workbook: the same figures, measures in words.
  const reportFile = page.waitForEvent('download');
  await page.getByRole('button', { name: 'XLSX' }).click();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await (await reportFile).path());
  const reportRows: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => reportRows.push([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value]));
  expect(reportRows[0]).toEqual(['指标', '本期', '上期']);
  expect(reportRows).toContainEqual(['报备', api.figures.registrations, api.previous.registrations]);

  // And as a PDF file.
  const pdfFile = page.waitForEvent('download');
  await page.getByTestId('report-pdf').click();
  const pdf = await readFile(await (await pdfFile).path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  // Subscribing to the daily report from the page, then stopping it again.
  const subscription = page.getByRole('switch', { name: '订阅此项目的日报（每期结束后通知我）' });
  await subscription.click();
  await page.getByText('已订阅，每期结束后将通知您').waitFor();
  const supervisorId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'supervisor' } })).id;
  expect(await sys.prisma.reportSubscription.count({ where: { userId: supervisorId, projectId: 'DEMO', kind: 'daily' } })).toBe(1);
  await page.locator('[data-testid=report-subscription][aria-checked=true]').waitFor();
  await page.screenshot({ path: '/tmp/salesproc-screens/report-subscribed.png' });
  await subscription.click();
  await page.getByText('已取消订阅').waitFor();
  expect(await sys.prisma.reportSubscription.count({ where: { userId: supervisorId, projectId: 'DEMO', kind: 'daily' } })).toBe(0);
}, 120_000);

test("agent on a phone: 我的业绩 shows the agent's own figures of the month, and nothing scrolls sideways", async () => {
  const page = await web.newPage(PHONE);
  await signIn(page, sys.url, 'agent', sys.env.password);
  await page.goto(`${sys.url}/#/performance`);
  await pick(page, 'performance-project', /演示项目/);
  const kpis = page.locator('[data-testid=my-kpis]');
  await kpis.waitFor();
  const today = new Date().toISOString().slice(0, 10);
  const mine = (await agent.get(`/api/analytics/mine?projectId=DEMO&from=${today.slice(0, 8)}01&to=${today}`)).body as {
    figures: Record<string, number>;
  };
  expect(mine.figures.registrations).toBeGreaterThanOrEqual(2);
  await page.locator('[data-testid=my-funnel] canvas').first().waitFor();
  expect(await kpis.textContent()).toContain(`报备${mine.figures.registrations}`);
  expect(await kpis.textContent()).toContain(`跟进${mine.figures.followUps}`);
  await settled(page);
  expect(await scrollsSideways(page)).toBe(false);
}, 120_000);

test('on a phone the period is two one-month pickers with the presets as a select, and none runs past the screen', async () => {
  const page = await web.newPage(PHONE);
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.goto(`${sys.url}/#/analytics`);
  await pick(page, 'analytics-period-quick', '近 7 天');
  const from = page.getByLabel('统计期间 开始');
  const to = page.getByLabel('统计期间 结束');
  const day = (offset: number) => {
    const d = new Date(Date.now() - offset * 86_400_000);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  await page.waitForFunction(`document.querySelector('input[aria-label="统计期间 开始"]')?.value === '${day(6)}'`);
  expect(await to.inputValue()).toBe(day(0));
  // Each opens one month, within the 390-px screen.
  for (const input of [from, to]) {
    await input.click();
    const panel = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-panel-container');
    await panel.waitFor();
    await settled(page);
    expect(await panel.locator('.ant-picker-date-panel').count()).toBe(1);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  }
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: '/tmp/salesproc-screens/analytics-period-390.png' });
  expect(await scrollsSideways(page)).toBe(false);
}, 120_000);

test('an analysis task opens prefilled with the figures the system computed; the AE sees that it is prefilled', async () => {
  const admin = await sys.login('admin');
  const key = `phase-analysis-${randomUUID().slice(0, 8)}`;
  const definition = {
    key,
    version: 1,
    title: '阶段客户分析 Phase customer analysis',
    roles: ['sales_ae'],
    input: [],
    root: {
      kind: 'sequence',
      id: 'main',
      steps: [
        { kind: 'activity', id: 'analysis-figures', activity: 'analytics.phaseFigures', input: { from: { value: '2026-01-01' } } },
        {
          kind: 'task',
          id: 'analysis',
          title: '《到访、成交客户分析》 Visitor and deal analysis',
          role: 'sales_ae',
          due: { days: 3 },
          context: { figures: { var: 'analysis-figures' } },
          form: [
            { name: 'visitors', label: '到访客户 Visitors', type: 'integer', required: true, min: 0 },
            { name: 'registrations', label: '意向登记 Registrations', type: 'integer', required: true, min: 0 },
            { name: 'byChannel', label: '按渠道 By channel', type: 'text' },
            { name: 'findings', label: '分析结论 Findings', type: 'text', required: true },
          ],
        },
      ],
    },
  };
  const created = await admin.post('/api/definitions', { definition });
  expect({ status: created.status, body: created.status === 201 ? 'ok' : created.body }).toEqual({ status: 201, body: 'ok' });
  const started = await supervisor.post('/api/processes', { definition: key, projectId: 'DEMO', input: {} });
  expect(started.status).toBe(201);
  const task = await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId: started.body.id, status: 'open' } })) ?? undefined,
    30_000,
  );
  const figures = (task.context as { figures: { visitors: number; registrations: number; byChannel: string } }).figures;
  expect(typeof figures.visitors).toBe('number');

  const page = await web.newPage();
  await signIn(page, sys.url, 'ae', sys.env.password);
  await page.goto(`${sys.url}/#/tasks/${task.id}`);
  await page.locator('[data-testid=prefilled]').waitFor();
  await expect(page.locator('#task-form_visitors').inputValue()).resolves.toBe(String(figures.visitors));
  await expect(page.locator('#task-form_registrations').inputValue()).resolves.toBe(String(figures.registrations));
  await expect(page.locator('#task-form_byChannel').inputValue()).resolves.toBe(figures.byChannel);
  await expect(page.locator('#task-form_findings').inputValue()).resolves.toBe('');
}, 120_000);

test('GM view: the phase comparison shows each phase of the launch as the API has it, chart and table, on desktop and phone', async () => {
  // A project of this test with a launch whose first phase began ten days ago and whose second began today.
  const admin = await sys.login('admin');
  const projectId = `PH${randomUUID().slice(0, 6).toUpperCase()}`;
  expect((await admin.post('/api/projects', { id: projectId, name: `阶段项目 ${projectId}` })).status).toBe(201);
  const supervisorId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'supervisor' } })).id;
  await sys.prisma.projectMember.create({ data: { projectId, userId: supervisorId } });
  const launchId = `sales-launch:${projectId}`;
  await sys.prisma.processInstance.create({
    data: {
      id: launchId,
      projectId,
      definitionKey: 'sales-launch',
      definitionVersion: 3,
      title: 'Launch',
      status: 'running',
      input: { planPhases: [{ name: '开盘', units: 10, amount: 20_000_000 }] },
      startedAt: new Date(Date.now() - 12 * 86_400_000),
    },
  });
  for (const [taskKey, daysAgo] of [
    ['phases[1]/reception', 10],
    ['phases[2]/reception', 0],
  ] as const) {
    await sys.prisma.task.create({
      data: {
        processId: launchId,
        taskKey,
        stepId: 'reception',
        title: taskKey,
        originalRole: 'sales_agent',
        assigneeRole: 'sales_agent',
        status: 'open',
        dueAt: new Date(),
        outcomes: ['done'],
        createdAt: new Date(Date.now() - daysAgo * 86_400_000),
      },
    });
  }
  const api = (await supervisor.get(`/api/analytics/phases?projectId=${projectId}`)).body as {
    phases: { phase: number; from: string; to: string; figures: Record<string, number> }[];
  };
  expect(api.phases.map((p) => p.phase)).toEqual([1, 2]);

  for (const viewport of [DESKTOP, PHONE]) {
    const page = await web.newPage(viewport);
    await signIn(page, sys.url, 'supervisor', sys.env.password);
    await page.goto(`${sys.url}/#/analytics?tab=inventory`);
    await pick(page, 'analytics-project', new RegExp(projectId));
    const card = page.locator('[data-testid=phases]');
    await card.locator('[data-testid=phases-chart] canvas').first().waitFor();
    await settled(page);
    await card.screenshot({ path: `/tmp/salesproc-screens/phases-${viewport.width}.png` });
    await card.getByText('表格').click();
    const rows = await rowsOf(page, 'phases');
    // Phase, period, then visits …: as the API has them, the first named from the plan.
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['第 1 阶段 开盘', `${api.phases[0]!.from} ~ ${api.phases[0]!.to}`],
      ['第 2 阶段进行中', `${api.phases[1]!.from} ~ ${api.phases[1]!.to}`],
    ]);
    if (viewport === PHONE) expect(await scrollsSideways(page)).toBe(false);
  }
}, 120_000);
