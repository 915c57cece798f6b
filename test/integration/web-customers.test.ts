import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PHONE, pick, scrollsSideways, seriousViolations, settled, signIn, waitForPath } from '../support/browser';
import { eventually, type TestSystem } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// The customer pages (issue 10) in a real headless Chromium against the real API,
// worker, Temporal dev server and Postgres, in zh-CN: register → search → detail →
// follow-up; a contract's payment schedule with a late instalment, and its
// cancellation; targets with progress computed from the data; the help centre.

let sys: TestSystem;
let web: WebSystem;

beforeAll(async () => {
  web = await startWebSystem();
  sys = web.sys;
}, 120_000);
afterAll(async () => {
  await web?.stop();
});

/** A fresh mainland mobile number: other test files share the demo project. */
const newPhone = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

test('agent: registers a customer (a bad phone is refused beside the field), finds them by the last digits, records a follow-up', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'agent', sys.env.password);
  await page.getByRole('link', { name: '客户', exact: true }).click();
  await page.locator('h1', { hasText: '客户' }).waitFor();
  // Other test files add projects to the shared database: choose the demo project (remembered from here on).
  await pick(page, 'customers-project', /演示项目/);

  await page.getByRole('button', { name: '报备客户' }).click();
  await page.locator('#customer-register_name').fill('周先生');
  await page.locator('#customer-register_phone').fill('12345');
  await page.locator('.ant-modal').getByRole('button', { name: '报备客户' }).click();
  const phoneError = page
    .locator('.ant-form-item', { has: page.locator('#customer-register_phone') })
    .locator('.ant-form-item-explain-error');
  await phoneError.waitFor();
  expect(await sys.prisma.customer.count({ where: { name: '周先生', phone: '12345' } })).toBe(0);

  const phone = newPhone();
  await page.locator('#customer-register_phone').fill(`+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`);
  await pick(page, 'customer-register_source', '转介绍');
  await page.locator('.ant-modal').getByRole('button', { name: '报备客户' }).click();
  await waitForPath(page, /^\/customers\/[0-9a-f-]{36}$/);
  await page.getByText('已报备：周先生').waitFor();
  const customer = await sys.prisma.customer.findFirstOrThrow({ where: { projectId: 'DEMO', phone } });
  expect(customer).toMatchObject({ name: '周先生', source: 'referral', stage: 'visitor' });

  // Found from the list by the phone's last four digits.
  await page.goto(`${sys.url}/#/customers`);
  await page.locator('#customers-search').fill(phone.slice(-4));
  await page.locator('#customers-search').press('Enter');
  await page.locator('main a', { hasText: '周先生' }).first().click();
  await waitForPath(page, new RegExp(`^/customers/${customer.id}$`));
  await page.locator('main').getByText(phone).first().waitFor();

  // A follow-up through WeChat with a next contact; the timeline shows it in words.
  await page.locator('[data-testid=add-follow-up]').click();
  await page.locator('#follow-up_result').fill('发送了样板间视频');
  await page.locator('.ant-modal').getByText('微信', { exact: true }).click();
  await page.locator('#follow-up_notes').fill('周末带父母来');
  await page.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
  await page.getByText('跟进已记录').waitFor();
  const timeline = page.locator('[data-testid=timeline]');
  await timeline.getByText('微信 · 发送了样板间视频 · 周末带父母来').waitFor();
  expect(await timeline.textContent()).toContain('报备');
  const events = await sys.prisma.customerEvent.findMany({ where: { customerId: customer.id }, orderBy: { id: 'asc' } });
  expect(events.map((e) => [e.type, e.channel, e.result])).toEqual([
    ['registered', null, null],
    ['follow_up', 'wechat', '发送了样板间视频'],
  ]);

  // Tags, then the list finds the customer by tag.
  await page.getByRole('button', { name: '编辑标签' }).click();
  const tag = `学区${randomUUID().slice(0, 4)}`;
  await page.locator('#customer-tags_tags').fill(tag);
  await page.locator('#customer-tags_tags').press('Enter');
  await page.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存').first().waitFor();
  expect((await sys.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).tags).toEqual([tag]);
  await page.goto(`${sys.url}/#/customers`);
  await page.locator('#customers-search').fill(`#${tag}`);
  await page.locator('#customers-search').press('Enter');
  await page.locator('main a', { hasText: '周先生' }).first().waitFor();
}, 120_000);

test('the contract page: the payment schedule shows what is paid and what is late; the cancellation goes for approval', async () => {
  const supervisor = await sys.login('supervisor');
  const agent = await sys.login('agent');
  const building = `W${randomUUID().slice(0, 4).toUpperCase()}`;
  const units = await supervisor.post('/api/units', {
    projectId: 'DEMO',
    units: [{ building, unitNo: '1201', floor: 12, area: 118, layout: '3室2厅', listPrice: 3_200_000 }],
  });
  expect(units.status).toBe(201);
  const phone = newPhone();
  const registered = await agent.post('/api/customers', { projectId: 'DEMO', name: '吴女士', phone });
  expect(registered.status).toBe(201);
  const customerId: string = registered.body.customer.id;
  // The contract as the contract step writes it (its process is over): three instalments,
  // the first paid, the second past due and unpaid, the third still to come.
  const day = 86_400_000;
  const processId = `contract-fixture:${randomUUID()}`;
  await sys.prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId,
      unitId: units.body[0].id,
      agentId: (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } })).id,
      kind: 'contract',
      processId,
      holderProcessId: processId,
      number: `HT-${building}-1201`,
      listPrice: 3_200_000,
      price: 3_150_000,
      discount: 50_000,
      paymentMethod: 'instalments',
      approvalLevel: 'sales_supervisor',
      status: 'signed',
      signedAt: new Date(Date.now() - 40 * day),
      payments: {
        create: [
          {
            seq: 1,
            dueAt: new Date(Date.now() - 30 * day),
            amount: 1_050_000,
            paidAmount: 1_050_000,
            paidAt: new Date(Date.now() - 31 * day),
            method: 'transfer',
          },
          { seq: 2, dueAt: new Date(Date.now() - 2 * day), amount: 1_050_000 },
          { seq: 3, dueAt: new Date(Date.now() + 60 * day), amount: 1_050_000 },
        ],
      },
    },
  });

  const page = await web.newPage();
  await signIn(page, sys.url, 'agent', sys.env.password);
  await page.goto(`${sys.url}/#/customers/${customerId}`);
  await page.getByRole('tab', { name: /订单/ }).click();
  const contract = page.locator('[data-testid=order-contract]');
  await contract.waitFor();
  expect(await contract.textContent()).toContain(`HT-${building}-1201`);
  expect(await contract.textContent()).toContain('已回款 ¥1,050,000.00 / 应收 ¥3,150,000.00');
  expect(await contract.textContent()).toContain('逾期 1 期');
  const rows = contract.locator('[data-testid=payments] tbody tr.ant-table-row');
  await expect(rows.count()).resolves.toBe(3);
  expect(await rows.nth(1).textContent()).toContain('已逾期');
  expect(await rows.nth(2).textContent()).toContain('未到期');

  // The ledger lists it with the late instalment, and exports it.
  await page.getByRole('link', { name: '订单与回款', exact: true }).click();
  await pick(page, 'orders-project', /演示项目/);
  const row = page.locator('tr', { hasText: `HT-${building}-1201` });
  await row.waitFor();
  expect(await row.textContent()).toContain('逾期 1 期');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeff编号,类型,客户姓名,房号,表价,成交价,优惠,状态,已回款,应收,逾期期数');
  expect(csv).toContain(`HT-${building}-1201,签约,吴女士,${building}-1201,3200000,3150000,50000,已签署,1050000,3150000,1`);

  // Cancel it: the dialog starts the cancellation process, which waits for the supervisor.
  await page.goto(`${sys.url}/#/customers/${customerId}`);
  await page.getByRole('tab', { name: /订单/ }).click();
  await page.getByRole('button', { name: '退订 / 退房' }).click();
  await page.locator('#order-cancel_reason').fill('客户资金周转困难');
  await page.locator('#order-cancel_refundAmount').fill('1000000');
  await page.locator('.ant-modal').getByRole('button', { name: '提交审批' }).click();
  await page.getByText('退订已提交，等待审批').waitFor();
  const cancellation = await eventually(
    async () =>
      (await sys.prisma.processInstance.findFirst({
        where: { definitionKey: 'order-cancellation', input: { path: ['reason'], equals: '客户资金周转困难' } },
      })) ?? undefined,
  );
  expect(cancellation.input).toMatchObject({ refundAmount: 1_000_000 });
}, 120_000);

test('supervisor: assigns the team a target and sees progress computed from the data; the help centre answers in Chinese', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.getByRole('link', { name: '销售任务', exact: true }).click();
  await pick(page, 'targets-project', /演示项目/);
  await page.getByRole('button', { name: '设定目标' }).click();
  await page.locator('#target_visits').fill('1000');
  await page.locator('#target_followUps').fill('2000');
  await page.locator('#target_units').fill('10');
  await page.locator('#target_amount').fill('30000000');
  await page.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存').first().waitFor();
  const month = new Date();
  const target = await sys.prisma.salesTarget.findFirstOrThrow({
    where: {
      projectId: 'DEMO',
      userId: '',
      period: 'month',
      periodStart: new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1)),
    },
  });
  expect(target).toMatchObject({ visits: 1000, followUps: 2000, units: 10 });
  // The page's figures are the API's, computed from the visits and follow-ups of the month.
  const api = await (
    await sys.login('supervisor')
  ).get(`/api/targets?projectId=DEMO&periodStart=${target.periodStart.toISOString().slice(0, 10)}`);
  const progress = api.body.find((x: { id: string }) => x.id === target.id).progress;
  const teamRow = page.locator('tr', { hasText: '团队' }).first();
  await eventually(async () => ((await teamRow.textContent())?.includes(`${progress.visits} / 1,000`) ? true : undefined));

  // Help: from the header on any page, the supervisor's guide in Chinese.
  await page.getByRole('link', { name: '帮助中心', exact: true }).click();
  await waitForPath(page, /^\/help/);
  const article = page.locator('[data-testid=help-article]');
  await article.locator('h1').waitFor();
  expect(await article.locator('h1').textContent()).toMatch(/[\u4e00-\u9fff]/);
  await page.locator('.ant-menu-item', { hasText: '销售主管' }).first().click();
  await article.locator('h1', { hasText: '销售主管' }).waitFor();
  await settled(page);
  expect(await seriousViolations(page)).toEqual([]);
}, 120_000);

test('on a phone the customer pages fit the screen', async () => {
  const page = await web.newPage(PHONE);
  await signIn(page, sys.url, 'agent', sys.env.password);
  await page.goto(`${sys.url}/#/customers`);
  await page.locator('h1', { hasText: '客户' }).waitFor();
  await pick(page, 'customers-project', /演示项目/);
  await settled(page);
  expect(await scrollsSideways(page)).toBe(false);
  const first = page.locator('main a[href^="#/customers/"]').first();
  await first.waitFor();
  await first.click();
  await page.locator('[data-testid=timeline]').waitFor();
  expect(await scrollsSideways(page)).toBe(false);
}, 120_000);
