import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { PHONE, pick, scrollsSideways, seriousViolations, settled, signIn, waitForPath } from '../support/browser';
import { eventually, type TestSystem } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// The web app in a real headless Chromium against the real API, worker, Temporal dev
// server and Postgres, one journey per role, in zh-CN as the sales team uses it (one
// in English, one at phone size), asserting what is on the screen.

let sys: TestSystem;
let web: WebSystem;

beforeAll(async () => {
  web = await startWebSystem();
  sys = web.sys;
}, 120_000);
afterAll(async () => {
  await web?.stop();
});

/**
 * Opens the open task titled `text` of one process from that process's page (its
 * to-do list), reloading until the workflow has opened it. By process, not from the
 * inbox's first row: the database is shared with the other test files, whose open
 * tasks (on task queues no worker polls any more) the same user also holds.
 */
async function openTask(page: Page, processId: string, text: string | RegExp): Promise<void> {
  const link = page.locator('main a[href^="#/tasks/"]', { hasText: text }).first();
  await eventually(
    async () => {
      await page.goto(`${sys.url}/#/processes/${encodeURIComponent(processId)}`);
      await page.reload();
      await settled(page);
      return (await link.count()) > 0 ? true : undefined;
    },
    45_000, // a machine shared with other test runs can be slow to run the workflow
    `task "${text}" of ${processId}`,
  );
  await link.click();
  await page.locator('form#task-form').waitFor();
}

/** The id of the process whose page is open. */
const processIdOf = (page: Page) => decodeURIComponent(page.url().split('#/processes/')[1] ?? '');

test('sign-in refuses a wrong password and says why, in Chinese', async () => {
  const page = await web.newPage();
  await page.goto(`${sys.url}/`);
  await page.locator('#login_username').fill('agent');
  await page.locator('#login_password').fill('not-the-password');
  await page.locator('#login button[type=submit]').click();
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  await expect(page.locator('h3').first().textContent()).resolves.toBe('登录');
  expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
});

test('agent: receives a visitor and registers the intent (zh-CN)', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'agent', sys.env.password);
  await expect(page.locator('h1').textContent()).resolves.toMatch(/^我的任务/);

  // Start a visitor reception from the menu.
  await page.getByRole('link', { name: '发起流程', exact: true }).click();
  await page
    .getByRole('link', { name: /到访接待/ })
    .first()
    .click();
  await page.locator('#start-form_visitorName').fill('李女士');
  await page.locator('#start-form_phone').fill('13700000000');
  await page.getByRole('button', { name: '发起流程' }).click();
  await waitForPath(page, /^\/processes\/visitor-reception:/);
  const processId = processIdOf(page);
  await page.locator('[data-testid=diagram]').waitFor();
  await page.getByText('流程已发起').first().waitFor();

  // The reception task: submitting without the decision is refused by the API, and
  // the form says so beside the field.
  await openTask(page, processId, /现场接待/);
  await page.locator('#task-form_needs').fill('三居室，近学校');
  await page.locator('[data-outcome=done]').click();
  const decisionError = page
    .locator('.ant-form-item', { has: page.locator('#task-form_decision') })
    .locator('.ant-form-item-explain-error');
  await decisionError.waitFor();
  expect(await decisionError.textContent()).toBe('请选择一个选项');

  await pick(page, 'task-form_decision', '暂不购买');
  await page.locator('[data-outcome=done]').click();
  await page.getByText(/已提交：.*现场接待/).waitFor();
  const reception = await eventually(
    async () => (await sys.prisma.record.findFirst({ where: { processId, kind: 'reception-record' } })) ?? undefined,
  );
  expect(reception.data).toEqual({ needs: '三居室，近学校', decision: 'not-yet' });

  // Next: the visitor intent registration (《到访客户意向登记表》).
  await openTask(page, processId, /意向登记表/);
  await expect(page.getByText('现场接待记录').count()).resolves.toBeGreaterThan(0);
  await pick(page, 'task-form_intentLevel', 'A 级');
  await page.locator('#task-form_needs').fill('预算三百万，学区房');
  await page.locator('#task-form_budget').fill('3000000');
  await pick(page, 'task-form_source', '转介绍');
  await page.locator('[data-outcome=done]').click();
  await page.getByText(/已提交：.*意向登记表/).waitFor();
  const registration = await eventually(
    async () => (await sys.prisma.record.findFirst({ where: { processId, kind: 'visitor-intent-registration' } })) ?? undefined,
  );
  expect(registration.data).toMatchObject({ intentLevel: 'A', budget: 3000000, source: 'referral' });

  // The process page shows the history in words, never raw event keys.
  await page.goto(`${sys.url}/#/processes/${encodeURIComponent(processId)}`);
  const history = page.locator('[data-testid=history]');
  await history.getByText('任务已完成').first().waitFor();
  expect(await history.textContent()).not.toMatch(/task\.completed|process\.started/);
  // The reception step is drawn as completed.
  await expect(page.locator('[data-step=reception]').first().getAttribute('data-state')).resolves.toBe('completed');
}, 120_000);

test('My tasks is live: a task opened for the agent appears without a reload', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'agent', sys.env.password);
  await page.locator('h1', { hasText: '我的任务' }).waitFor();
  await settled(page);
  const name = `访客${randomUUID().slice(0, 4)}`;
  const started = await (
    await sys.login('agent')
  ).post('/api/processes', {
    definition: 'visitor-reception',
    projectId: 'DEMO',
    input: { visitorName: name, phone: `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` },
  });
  expect(started.status).toBe(201);
  const task = await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId: started.body.id, status: 'open' } })) ?? undefined,
    30_000,
  );
  // No reload, no navigation: the change stream brings it.
  await page.locator(`main a[href="#/tasks/${task.id}"]`).first().waitFor({ timeout: 20_000 });
}, 120_000);

test('supervisor: claims an approval, delegates it, and approves what comes back (zh-CN)', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.goto(`${sys.url}/#/start/two-level-approval`);
  // The demo project, whose members include the AE it is delegated to (other test files add projects).
  await pick(page, 'start-form_projectId', /演示项目/);
  await page.locator('#start-form_subject').fill('3-1201 折扣申请');
  await page.locator('#start-form_amount').fill('12000');
  await page.getByRole('button', { name: '发起流程' }).click();
  await waitForPath(page, /^\/processes\/two-level-approval:/);
  const processId = processIdOf(page);

  // Claim it from My tasks: the inbox may hold many approvals (other tests share the
  // database), so filter by process and sort by due time, latest first, as a user would.
  await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId } })) ?? undefined, 45_000, 'the approval task');
  await page.goto(`${sys.url}/#/tasks`);
  await settled(page);
  // Another test file publishes a copy with the same title: the options tell them apart by key.
  await pick(page, 'tasks-filter-process', /^两级审批(（two-level-approval）)?$/, '两级');
  await page.locator('th', { hasText: '截止时间' }).click();
  const row = page.locator('tr', { hasText: '审批申请' }).filter({ hasText: processId.split(':')[1]!.slice(0, 24) });
  await row.waitFor();
  await row.locator('[data-action=claim]').click();
  await page.getByText('操作成功：认领').waitFor();
  await row.getByText('我已认领').waitFor();

  // Delegate it to the sales AE.
  await row.locator('[data-action=delegate]').click();
  // The project's colleagues are many (other test files add users): typed, as a user would.
  await pick(page, 'task-delegate_toUserId', '王芳', '王芳');
  await page.locator('.ant-modal').getByRole('button', { name: '确定' }).click();
  await page.getByText('操作成功：委托').waitFor();
  const task = await sys.prisma.task.findFirstOrThrow({ where: { processId } });
  const ae = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'ae' } });
  expect(task.delegateUserId).toBe(ae.id);

  // The AE does the work and hands it back.
  const aePage = await web.newPage();
  await signIn(aePage, sys.url, 'ae', sys.env.password);
  await openTask(aePage, processId, '审批申请');
  await aePage.locator('#task-form_comment').fill('已核对价格表，建议同意');
  await expect(aePage.locator('[data-outcome]').allTextContents()).resolves.toEqual(['交回']);
  await aePage.locator('[data-outcome=done]').click();
  await aePage.getByText(/已提交：审批申请/).waitFor();

  // Back with the supervisor, who approves.
  await page.goto(`${sys.url}/#/tasks/${task.id}`);
  await page.locator('[data-outcome=approve]').waitFor();
  await expect(page.locator('[data-outcome]').allTextContents()).resolves.toEqual(['同意', '驳回']);
  await page.locator('[data-outcome=approve]').click();
  await page.getByText(/已提交：审批申请/).waitFor();
  await eventually(async () => ((await sys.prisma.task.findUnique({ where: { id: task.id } }))?.status === 'completed' ? true : undefined));
}, 120_000);

test('supervisor: adds the GM as a third approver of a running approval, then skips them (zh-CN)', async () => {
  const supervisor = await sys.login('supervisor');
  const started = await supervisor.post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: '5-0301 特价房申请', amount: 8000 },
  });
  expect(started.status).toBe(201);
  const processId: string = started.body.id;
  await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId, status: 'open' } })) ?? undefined, 45_000);

  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.goto(`${sys.url}/#/processes/${encodeURIComponent(processId)}`);
  const card = page.locator('[data-testid=approvers]');
  await card.locator('[data-approver="0"]', { hasText: '审批中' }).waitFor();
  expect(await card.locator('[data-approver]').count()).toBe(2);

  // `pick` clicks the select while the dialog still zooms in; on a loaded machine that
  // click can land beside it, on the mask, which must not close the dialog (main.tsx).
  await card.getByRole('button', { name: '添加审批人' }).click();
  await pick(page, 'approver-add_role', '总经理');
  await page.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
  await page.getByText('已添加审批人').waitFor();
  await card.locator('[data-approver="2"]', { hasText: '总经理' }).waitFor();

  await card.locator('[data-approver="2"]').getByRole('button', { name: '跳过' }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
  await page.getByText('已跳过该审批人').waitFor();
  await card.locator('[data-approver="2"]', { hasText: '已跳过' }).waitFor();
  const history = await sys.prisma.processEvent.findMany({
    where: { processId, type: { startsWith: 'approval.' } },
    orderBy: { id: 'asc' },
  });
  expect(history.map((e) => e.type)).toEqual(['approval.approver_added', 'approval.approver_skipped']);

  // The process list filtered to what the supervisor started: this process is there, the agent's are not.
  await page.goto(`${sys.url}/#/processes`);
  await pick(page, 'processes-filter-started-by', '我发起的');
  await page
    .locator(`main a[href="#/processes/${encodeURIComponent(processId)}"]`)
    .first()
    .waitFor();
  const supervisorId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'supervisor' } })).id;
  const listed = await page
    .locator('main a[href^="#/processes/"]')
    .evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute('href')!.slice(12))));
  const rows = await sys.prisma.processInstance.findMany({ where: { id: { in: listed } }, select: { startedById: true } });
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.startedById === supervisorId)).toBe(true);
}, 120_000);

test("supervisor: the launch's team is picked from the project's people, not typed as ids (zh-CN)", async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.goto(`${sys.url}/#/start/sales-launch`);
  await page.locator('#start-form_team').waitFor();
  await pick(page, 'start-form_team', /张伟/, '张伟');
  const agent = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
  // What the form would send: the agent's user id, chosen by name.
  const chosen = page.locator('.ant-form-item', { has: page.locator('#start-form_team') }).locator('.ant-select-selection-item');
  await expect(chosen.first().textContent()).resolves.toContain('张伟');
  await expect(chosen.first().textContent()).resolves.toContain('置业顾问');
  expect(await page.locator('main').textContent()).not.toContain(agent.id);
  expect(await page.locator('main').textContent()).not.toMatch(/user ids/);
}, 120_000);

test("supervisor: the team board lists an agent's overdue task, escalated to the supervisor, among the oldest overdue (zh-CN)", async () => {
  const admin = await sys.login('admin');
  const title = `核对定金 ${randomUUID().slice(0, 6)}`;
  const definition = {
    key: `deposit-check-${randomUUID().slice(0, 8)}`,
    version: 1,
    title: '定金核对',
    roles: ['sales_agent', 'sales_supervisor'],
    input: [],
    root: {
      kind: 'task',
      id: 'check',
      title,
      role: 'sales_agent',
      due: { seconds: 2 },
      deadline: { remindAt: [], escalate: [{ atFraction: 1, toRole: 'sales_supervisor' }] },
    },
  };
  expect((await admin.post('/api/definitions', { definition })).status).toBe(201);
  const started = await (
    await sys.login('supervisor')
  ).post('/api/processes', { definition: definition.key, projectId: 'DEMO', input: {} });
  expect(started.status).toBe(201);
  await eventually(
    async () =>
      (await sys.prisma.task.findFirst({ where: { processId: started.body.id, escalationLevel: { gt: 0 } } })) ? true : undefined,
    30_000,
    'the escalation',
  );

  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.getByRole('link', { name: '团队看板', exact: true }).click();
  const row = page.locator('[data-testid=overdue-tasks] tr', { hasText: title });
  await row.waitFor();
  expect(await row.textContent()).toContain('已升级至项目销售主管');
  expect(await row.textContent()).toContain('逾期');
  // The supervisor acts on it in place (claim, reassign, extend…), without opening the process.
  await row.locator('[data-action]').first().waitFor();
  // What the card lists: open tasks past due only, the oldest first.
  const listed = (await (await sys.login('supervisor')).get('/api/tasks?overdue=true&projectId=DEMO&limit=50')).body.items as {
    status: string;
    dueAt: string;
  }[];
  expect(listed.length).toBeGreaterThan(0);
  const now = Date.now();
  for (const t of listed) expect({ status: t.status, past: Date.parse(t.dueAt) < now }).toEqual({ status: 'open', past: true });
  const times = listed.map((t) => Date.parse(t.dueAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}, 120_000);

test('general manager on a phone: sends the adjusted plan back for revision, then approves it; management confirms; no page scrolls sideways', async () => {
  // The supervisor has submitted an adjusted phase plan (through the API).
  const supervisor = await sys.login('supervisor');
  const started = await supervisor.post('/api/processes', {
    definition: 'plan-adjustment',
    projectId: 'DEMO',
    input: { phase: 2, reasons: '二期去化放缓' },
  });
  expect(started.status).toBe(201);
  const processId: string = started.body.id;
  const planTask = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId, status: 'open' } })) ?? undefined);
  expect(
    (
      await supervisor.post(`/api/tasks/${planTask.id}/complete`, {
        outcome: 'done',
        data: { plan: '二期价格下调 3%', measures: '加推特价房', reasons: '去化放缓' },
      })
    ).status,
  ).toBe(200);

  const page = await web.newPage(PHONE);
  await signIn(page, sys.url, 'gm', sys.env.password);
  expect(await scrollsSideways(page)).toBe(false);
  await openTask(page, processId, /审核、修改、补充并确认/);
  expect(await scrollsSideways(page)).toBe(false);
  await page.locator('#task-form_comments').fill('请补充竞品价格对比');
  await page.locator('[data-outcome=revise]').click();
  await page.getByText(/已提交：审核、修改、补充并确认/).waitFor();
  expect(await scrollsSideways(page)).toBe(false);

  const sentBack = await eventually(
    async () =>
      (await sys.prisma.task.findFirst({ where: { processId, assigneeRole: 'general_manager', outcome: 'revise' } })) ?? undefined,
  );
  expect(sentBack.data).toEqual({ comments: '请补充竞品价格对比' });

  // The supervisor revises (through the API); the review comes back to the GM.
  const revision = await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId, status: 'open', assigneeRole: 'sales_supervisor' } })) ?? undefined,
  );
  expect(
    (
      await supervisor.post(`/api/tasks/${revision.id}/complete`, {
        outcome: 'done',
        data: { plan: '二期价格下调 3%，附竞品对比', measures: '加推特价房', reasons: '去化放缓' },
      })
    ).status,
  ).toBe(200);
  await openTask(page, processId, /审核、修改、补充并确认/);
  await page.locator('[data-outcome=approve]').click();
  await page.getByText(/已提交：审核、修改、补充并确认/).waitFor();
  const decision = await eventually(
    async () =>
      (await sys.prisma.task.findFirst({ where: { processId, assigneeRole: 'general_manager', outcome: 'approve' } })) ?? undefined,
  );
  expect(decision.status).toBe('completed');

  // Management confirms (the approval's second approver), at a desk; then marketing takes it up.
  const management = await web.newPage();
  await signIn(management, sys.url, 'management', sys.env.password);
  await openTask(management, processId, /审核、修改、补充并确认/);
  await management.locator('#task-form_comments').fill('同意调整，注意控制折扣');
  await management.locator('[data-outcome=approve]').click();
  await management.getByText(/已提交：审核、修改、补充并确认/).waitFor();
  const confirmed = await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId, assigneeRole: 'management', outcome: 'approve' } })) ?? undefined,
  );
  expect(confirmed.data).toEqual({ comments: '同意调整，注意控制折扣' });
  await eventually(
    async () => (await sys.prisma.task.findFirst({ where: { processId, status: 'open', assigneeRole: 'marketing' } })) ?? undefined,
    30_000,
    "marketing's task after the confirmation",
  );

  // The process page at phone size: the diagram and history fit the screen.
  await page.goto(`${sys.url}/#/processes/${encodeURIComponent(processId)}`);
  await page.locator('[data-testid=history]').getByText('任务已完成').first().waitFor();
  expect(await scrollsSideways(page)).toBe(false);
  // The menu is a drawer on phones.
  await page.getByRole('button', { name: '菜单' }).click();
  await page.locator('.ant-drawer').getByRole('link', { name: '我的任务', exact: true }).waitFor();
}, 120_000);

test("an agent's pages at phone size: tables become cards and nothing scrolls sideways", async () => {
  const agent = await sys.login('agent');
  const started = await agent.post('/api/processes', {
    definition: 'visitor-reception',
    projectId: 'DEMO',
    input: { visitorName: '赵先生', phone: '13900000000' },
  });
  const processId: string = started.body.id;
  const task = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId, status: 'open' } })) ?? undefined);
  const page = await web.newPage(PHONE);
  await signIn(page, sys.url, 'agent', sys.env.password);
  // My tasks as cards, not a table.
  await page.locator('.ant-card', { hasText: '现场接待' }).first().waitFor();
  expect(await page.locator('main table').count()).toBe(0);
  const sideways: string[] = [];
  for (const path of [
    '/tasks',
    `/tasks/${task.id}`,
    '/start',
    '/start/visitor-reception',
    `/processes/${encodeURIComponent(processId)}`,
    '/processes',
    '/units',
    '/records',
  ]) {
    await page.goto(`${sys.url}/#${path}`);
    await page.locator('h1').first().waitFor();
    await settled(page);
    if (await scrollsSideways(page)) sideways.push(path);
  }
  expect(sideways).toEqual([]);
}, 120_000);

test('admin: creates a user and edits a role in the permission matrix (zh-CN)', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'admin', sys.env.password);
  await page.getByRole('link', { name: '用户', exact: true }).click();
  await page.getByRole('button', { name: '新建用户' }).click();
  const username = `web${Date.now().toString(36)}`;
  await page.locator('#user-form_username').fill(username);
  await page.locator('#user-form_displayName').fill('张顾问');
  await page.locator('#user-form_password').fill('a-long-password-1');
  // Multiple choice: the list stays open after a pick; a click on the dialog's title closes it.
  await pick(page, 'user-form_roles', '置业顾问');
  await page.locator('.ant-modal-title').click();
  await pick(page, 'user-form_projects', /DEMO|演示/);
  await page.locator('.ant-modal-title').click();
  await page.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
  await page.getByText('已创建用户 张顾问').waitFor();
  await page.locator('#users-search').fill(username);
  await page.locator('tr', { hasText: username }).getByText('置业顾问').waitFor();
  const user = await sys.prisma.user.findUniqueOrThrow({ where: { username }, include: { roles: true, memberships: true } });
  expect(user.roles.map((r) => r.roleName)).toEqual(['sales_agent']);
  expect(user.memberships.map((m) => m.projectId)).toEqual(['DEMO']);

  // A forgotten password: the admin resets it; the temporary one works once, and must be changed.
  await page.locator(`[data-testid="reset-${username}"]`).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
  const temporary = (await page.locator('[data-testid=temporary-password]').textContent())?.trim() ?? '';
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  const reset = await sys.prisma.user.findUniqueOrThrow({ where: { username } });
  expect(reset.mustChangePassword).toBe(true);
  expect((await sys.login(username, temporary)).token).toBeTruthy();
  await page.locator('.ant-modal').getByRole('button', { name: '确定' }).click();

  // Give sales service the right to start processes.
  await page.getByRole('link', { name: '角色与权限', exact: true }).click();
  const cell = page.locator('[data-role=sales_service][data-permission="processes.start"]');
  await cell.waitFor();
  expect(await cell.isChecked()).toBe(false);
  await cell.check();
  await page.getByTestId('save-roles').click();
  await page.getByText('角色 销售服务组 已保存').waitFor();
  const role = await sys.prisma.role.findUniqueOrThrow({ where: { name: 'sales_service' } });
  expect(role.permissions).toContain('processes.start');
}, 120_000);

test('in English: the language is chosen on the sign-in page, remembered, and every label follows', async () => {
  const page = await web.newPage();
  await page.goto(`${sys.url}/#/login`);
  await pick(page, 'login-language', 'English');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await expect(page.locator('h1').textContent()).resolves.toMatch(/^My tasks/);
  await page.reload();
  await page.getByRole('link', { name: 'Processes', exact: true }).click();
  await page.locator('h1', { hasText: 'Processes' }).waitFor();
  // Filtered by definition: the list holds the 200 newest, and other test files share the database.
  await pick(page, 'processes-filter-definition', 'Visitor reception', 'Visitor');
  await page
    .locator('main a', { hasText: /Visitor reception/ })
    .first()
    .click();
  await page.locator('[data-testid=history]').getByText('Process started').first().waitFor();
  expect(await page.locator('main').textContent()).not.toMatch(/task\.completed|sales_agent/);
  expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
}, 120_000);

test('axe-core finds no serious or critical accessibility violations on the main pages', async () => {
  const page = await web.newPage();
  await page.goto(`${sys.url}/#/login`);
  await page.locator('#login_username').waitFor();
  const found: Record<string, unknown> = {};
  const check = async (name: string) => {
    await settled(page);
    const violations = await seriousViolations(page);
    if (violations.length) found[name] = violations;
  };
  await check('login');
  await signIn(page, sys.url, 'admin', sys.env.password);
  // Something to look at: an approval with its first task open.
  const started = await (
    await sys.login('supervisor')
  ).post('/api/processes', {
    definition: 'two-level-approval',
    projectId: 'DEMO',
    input: { subject: '无障碍检查', amount: 100 },
  });
  const processId: string = started.body.id;
  const task = await eventually(async () => (await sys.prisma.task.findFirst({ where: { processId } })) ?? undefined);
  for (const [name, path] of [
    ['tasks', '/tasks'],
    ['task', `/tasks/${task.id}`],
    ['processes', '/processes'],
    ['process', `/processes/${encodeURIComponent(processId)}`],
    ['start', '/start'],
    ['start-form', '/start/two-level-approval'],
    ['units', '/units'],
    ['records', '/records'],
    ['board', '/board'],
    ['users', '/admin/users'],
    ['roles', '/admin/roles'],
    ['audit', '/admin/audit'],
  ] as const) {
    await page.goto(`${sys.url}/#${path}`);
    await page.locator('h1').first().waitFor();
    await check(name);
  }
  expect(found).toEqual({});
}, 180_000);

test('an administrator on a phone: the audit log shows an entry per card with who, when and the change, nothing scrolls sideways', async () => {
  const admin = await sys.login('admin');
  const before = (await admin.get('/api/settings')).body.customerProtectionDays as number;
  // An audited change with a before and an after (and back, so other files see the default).
  expect((await admin.send('PATCH', '/api/settings', { customerProtectionDays: before + 1 })).status).toBe(200);
  expect((await admin.send('PATCH', '/api/settings', { customerProtectionDays: before })).status).toBe(200);
  const page = await web.newPage(PHONE);
  await signIn(page, sys.url, 'admin', sys.env.password);
  await page.goto(`${sys.url}/#/admin/audit`);
  const card = page.locator('.ant-card', { hasText: '修改设置' }).first();
  await card.waitFor();
  await settled(page);
  expect(await page.locator('table').count()).toBe(0);
  const text = await card.textContent();
  // Who, by name (the demo administrator's display name), not the sign-in name.
  expect(text).toContain('系统管理员');
  // The newest first: the change back, from before + 1 to before.
  expect(text).toContain(`客户保护期（天）变更前: ${before + 1}变更后: ${before}`);
  await page.screenshot({ path: '/tmp/salesproc-screens/audit-390.png' });
  expect(await scrollsSideways(page)).toBe(false);
}, 120_000);
