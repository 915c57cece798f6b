import { randomUUID } from 'node:crypto';
import { eventually, startSystem, type Session, type TestSystem } from '../support/system';

// Issue 10 through HTTP on the real dev server and Postgres: customers de-duplicated
// by phone, ownership and protection, transfer, masking, the registration race; and
// one buyer through reception, subscription, a contract whose discount needs the GM,
// three instalments (one late, escalating), handover and a cancellation after contract
// that releases the unit and records the refund.

let sys: TestSystem;
const as: Record<string, Session> = {};
const ids: Record<string, string> = {};
const building = `C${randomUUID().slice(0, 4).toUpperCase()}`;
let unitId: string;

/** A fresh mainland mobile number, so that test files sharing the demo project never meet. */
const newPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

beforeAll(async () => {
  sys = await startSystem();
  for (const user of ['admin', 'supervisor', 'agent', 'ae', 'gm', 'service']) as[user] = await sys.login(user);
  // A second agent, to own customers the first one may not see.
  const username = `agent2${randomUUID().slice(0, 6)}`;
  const created = await as.admin!.post('/api/users', {
    username,
    displayName: 'Second agent',
    password: 'second-agent-password-1',
    roles: ['sales_agent'],
    projects: ['DEMO'],
  });
  expect(created.status).toBe(201);
  as.agent2 = await sys.login(username, 'second-agent-password-1');
  for (const who of Object.keys(as)) ids[who] = (await as[who]!.get('/api/auth/me')).body.id;
  const units = await as.supervisor!.post('/api/units', {
    projectId: 'DEMO',
    units: [{ building, unitNo: '0801', floor: 8, area: 120, layout: '3室2厅', listPrice: 3_000_000 }],
  });
  expect(units.status).toBe(201);
  unitId = units.body[0].id;
}, 60_000);
afterAll(() => sys?.stop());

const register = (who: string, phone: string, name = 'Ms Chen') => as[who]!.post('/api/customers', { projectId: 'DEMO', name, phone });

test('phone spellings are one customer; another agent is refused until protection lapses; a supervisor transfers', async () => {
  const phone = newPhone();
  const spaced = `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
  const first = await register('agent', spaced);
  expect(first.status).toBe(201);
  expect(first.body.customer).toMatchObject({ phone, owner: { username: 'agent' }, stage: 'visitor', phoneMasked: false });
  const again = await register('agent', `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ created: false, outcome: 'returning', customer: { id: first.body.customer.id } });

  const bad = await register('agent', '12345');
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('body.phone');

  // Another agent: refused, naming the owner and when protection ends.
  const refused = await register('agent2', `0086${phone}`);
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toContain('张伟');
  expect(refused.body.error.message).toContain(first.body.customer.protectedUntil.slice(0, 10));

  // Masked for the other agent in the list; their detail is refused; the supervisor reads it in full.
  // A number one may not see finds nothing (by its last digits or whole): search must not
  // tell which customer a number is, or the mask could be read back digit by digit.
  const byDigits = await as.agent2!.get(`/api/customers?projectId=DEMO&q=${phone.slice(-4)}`);
  expect(byDigits.status).toBe(200);
  expect(byDigits.body.items.some((c: { id: string }) => c.id === first.body.customer.id)).toBe(false);
  expect((await as.ae!.get(`/api/customers?projectId=DEMO&q=${phone}`)).body.items).toEqual([]);
  const listed = await as.agent2!.get(`/api/customers?projectId=DEMO&limit=200`);
  const seen = listed.body.items.find((c: { id: string }) => c.id === first.body.customer.id);
  expect(seen).toMatchObject({ phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, phoneMasked: true });
  expect((await as.agent2!.get(`/api/customers/${first.body.customer.id}`)).status).toBe(403);
  expect((await as.supervisor!.get(`/api/customers/${first.body.customer.id}`)).body.phone).toBe(phone);
  expect(
    (await as.supervisor!.get(`/api/customers?projectId=DEMO&q=${phone.slice(-4)}`)).body.items.map((c: { id: string }) => c.id),
  ).toContain(first.body.customer.id);

  // Protection lapses 30 days (the setting) after the last effective contact: then the other agent takes it.
  await sys.prisma.customer.update({
    where: { id: first.body.customer.id },
    data: { protectedFrom: new Date(Date.now() - 31 * 86_400_000) },
  });
  const taken = await register('agent2', phone);
  expect(taken.status).toBe(200);
  expect(taken.body.outcome).toBe('lapsed-takeover');
  expect(taken.body.customer.owner.id).toBe(ids.agent2);

  // The supervisor moves it (and another) back to the first agent: audited, on the timeline.
  const other = await register('agent2', newPhone(), 'Mr Lin');
  const moved = await as.supervisor!.post('/api/customers/transfer', {
    customerIds: [first.body.customer.id, other.body.customer.id],
    toUserId: ids.agent,
    reason: 'agent2 leaves the project',
  });
  expect(moved.status).toBe(200);
  expect(moved.body.transferred).toHaveLength(2);
  const mine = (await as.agent!.get(`/api/customers/${other.body.customer.id}`)).body;
  expect(mine.owner.id).toBe(ids.agent);
  expect(mine.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'transfer']);
  const audit = await sys.prisma.auditEvent.findMany({ where: { action: 'customer.transfer', objectId: other.body.customer.id } });
  expect(audit).toHaveLength(1);
  expect((await as.agent!.post('/api/customers/transfer', { customerIds: [mine.id], toUserId: ids.agent2, reason: 'x' })).status).toBe(403);

  // Follow-ups, tags and search by tag; the export is audited.
  expect((await as.agent!.post(`/api/customers/${mine.id}/follow-ups`, { channel: 'wechat', result: 'sent brochure' })).status).toBe(201);
  expect((await as.agent!.send('PATCH', `/api/customers/${mine.id}`, { tags: ['school', 'vip'] })).status).toBe(200);
  expect((await as.agent!.get('/api/customers?projectId=DEMO&tag=vip')).body.items.map((c: { id: string }) => c.id)).toContain(mine.id);
  const exported = await as.supervisor!.get('/api/customers/export?projectId=DEMO');
  expect(exported.body.find((c: { id: string }) => c.id === mine.id).phone).toMatch(/^1\d{10}$/);
  expect(await sys.prisma.auditEvent.count({ where: { action: 'customer.export' } })).toBeGreaterThan(0);
  expect((await as.agent!.get('/api/customers/export?projectId=DEMO')).status).toBe(403);
});

test('two agents registering the same new phone at once: exactly one owner', async () => {
  for (let round = 0; round < 5; round++) {
    const phone = newPhone();
    const results = await Promise.all([register('agent', phone), register('agent2', phone)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await sys.prisma.customer.count({ where: { projectId: 'DEMO', phone } })).toBe(1);
  }
});

/** The caller's open task in the tree under `root` whose key starts with `key` (and whose process id ends with `suffix`). */
async function myTask(who: string, root: string, key: string, suffix = '') {
  return eventually(
    async () => {
      const res = await as[who]!.get('/api/tasks?mine=true&limit=200');
      return res.body.items.find(
        (t: { processId: string; taskKey: string }) =>
          t.processId.startsWith(root) && t.processId.endsWith(suffix) && t.taskKey.startsWith(key),
      );
    },
    20_000,
    `${who}'s task ${key} in ${root}${suffix}`,
  );
}

async function act(
  who: string,
  root: string,
  key: string,
  data: Record<string, unknown> = {},
  outcome = 'done',
  status = 200,
  suffix = '',
) {
  const task = await myTask(who, root, key, suffix);
  const res = await as[who]!.post(`/api/tasks/${task.id}/complete`, { outcome, data }, { 'idempotency-key': randomUUID() });
  expect({ key, status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({ key, status, body: 'ok' });
  return res;
}

async function start(who: string, definition: string, input: Record<string, unknown>) {
  const res = await as[who]!.post('/api/processes', { definition, projectId: 'DEMO', input });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const customerByPhone = async (phone: string) =>
  eventually(async () => (await sys.prisma.customer.findFirst({ where: { projectId: 'DEMO', phone } })) ?? undefined, 15_000, phone);

test('the processes move customers: registration, lost follow-up, a returning visitor', async () => {
  const phone = newPhone();
  const visit = await start('agent', 'visitor-reception', { visitorName: 'Mr Zhou', phone: `+86${phone}` });
  await act('agent', visit, 'reception', { decision: 'not-yet', needs: 'two rooms' });
  const customer = await customerByPhone(phone);
  expect(customer).toMatchObject({ stage: 'visitor', ownerId: ids.agent });
  await act('agent', visit, 'registration', { intentLevel: 'B', needs: 'two rooms', budget: 1_800_000, source: 'online' });
  expect((await as.agent!.get(`/api/customers/${customer.id}`)).body).toMatchObject({ stage: 'intent', classification: 'B' });
  await act('agent', visit, 'follow-ups[1]/follow-up', { channel: 'phone', result: 'lost', notes: 'bought elsewhere' });
  const lost = (await as.agent!.get(`/api/customers/${customer.id}`)).body;
  expect(lost).toMatchObject({ stage: 'lost', lostReason: 'bought elsewhere' });
  expect(lost.deals).toMatchObject([{ stage: 'lost', expectedAmount: '1800000' }]);
  expect(lost.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'classified', 'stage', 'follow_up', 'stage']);

  // Back a month later: the same customer, a visitor again; another agent's reception of them is refused.
  const back = await start('agent', 'visitor-reception', { visitorName: 'Mr Zhou', phone: `${phone.slice(0, 3)} ${phone.slice(3)}` });
  await act('agent', back, 'reception', { decision: 'not-yet' });
  expect((await as.agent!.get(`/api/customers/${customer.id}`)).body.stage).toBe('visitor');
  // The reception shows the phone to its agent and to roles that read every customer; masked to the AE.
  expect((await as.agent!.get(`/api/processes/${encodeURIComponent(back)}`)).body.input.phone).toBe(
    `${phone.slice(0, 3)} ${phone.slice(3)}`,
  );
  expect((await as.supervisor!.get(`/api/processes/${encodeURIComponent(back)}`)).body.input.phone).toBe(
    `${phone.slice(0, 3)} ${phone.slice(3)}`,
  );
  expect((await as.ae!.get(`/api/processes/${encodeURIComponent(back)}`)).body.input.phone).toBe(
    `${phone.slice(0, 3)}****${phone.slice(-4)}`,
  );
  const listed = (await as.ae!.get(`/api/processes?definition=visitor-reception&startedBy=${ids.agent}&limit=200`)).body.items;
  expect(listed.find((p: { id: string }) => p.id === back).input.phone).toContain('****');
  const poach = await start('agent2', 'visitor-reception', { visitorName: 'Mr Zhou', phone });
  await act('agent2', poach, 'reception', { decision: 'not-yet' }, 'done', 409);
  expect(await sys.prisma.customer.count({ where: { projectId: 'DEMO', phone } })).toBe(1);
});

test('a buyer: subscription, a discount the GM approves, three instalments (one late), handover, then a cancellation after contract', async () => {
  const phone = newPhone();
  const reception = await start('agent', 'visitor-reception', { visitorName: 'Ms Guo', phone });
  await act('agent', reception, 'reception', { decision: 'buy' });
  await act('agent', reception, 'deposit', { unitId, amount: 50_000, method: 'transfer' });
  // The 认购书 cannot be signed without its buyers and terms.
  const incomplete = await act('agent', reception, 'agreement', { result: 'signed', agreementNo: 'RG-1' }, 'done', 400);
  expect(incomplete.body.error.message).toContain('buyers');
  await act('agent', reception, 'agreement', {
    result: 'signed',
    agreementNo: `RG-${building}`,
    buyers: [{ name: 'Guo Mei', idNumber: '110101199001011234', phone }],
    price: 2_900_000,
    paymentMethod: 'instalments',
    depositCredited: 50_000,
    signingDeadline: '2026-12-20',
  });
  const customer = await customerByPhone(phone);
  expect((await as.agent!.get(`/api/customers/${customer.id}`)).body.stage).toBe('subscribed');
  // The 认购书's buyers: in full for the agent, masked for the AE.
  const agreementRecord = async (who: string) =>
    (
      await as[who]!.get(
        `/api/records?projectId=DEMO&kind=subscription-agreement&processId=${encodeURIComponent(`${reception}/subscription-now/1`)}`,
      )
    ).body.items[0];
  expect((await agreementRecord('agent')).data.buyers[0]).toMatchObject({ phone, idNumber: '110101199001011234' });
  expect((await agreementRecord('ae')).data.buyers[0]).toMatchObject({
    phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    idNumber: '110***********1234',
  });
  await act('agent', reception, 'archive', { household: 'couple, one child', occupation: 'teacher', ageBand: '35-44', motive: 'school' });

  // Contract terms 150 000 below list: beyond the supervisor's 100 000, so the supervisor and then the GM approve.
  const soon = new Date(Date.now() + 3000).toISOString();
  const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const instalments = [
    { dueDate: soon, amount: 850_000 },
    { dueDate: later(30), amount: 1_000_000 },
    { dueDate: later(60), amount: 1_000_000 },
  ];
  const wrongSum = await act(
    'agent',
    reception,
    'terms',
    { agreedPrice: 2_850_000, paymentMethod: 'instalments', instalments: instalments.slice(0, 2) },
    'done',
    400,
  );
  expect(wrongSum.body.error.message).toContain('agreed price');
  await act('agent', reception, 'terms', { agreedPrice: 2_850_000, paymentMethod: 'instalments', instalments });
  const contractOrder = await eventually(
    async () => (await sys.prisma.salesOrder.findFirst({ where: { customerId: customer.id, kind: 'contract' } })) ?? undefined,
  );
  expect(contractOrder).toMatchObject({ approvalLevel: 'general_manager', status: 'draft' });
  expect(Number(contractOrder.discount)).toBe(150_000);
  await act('supervisor', reception, 'gm-approval/r1/1', { comment: 'ok for a teacher' }, 'approve');
  await act('gm', reception, 'gm-approval/r1/2', { comment: 'approved' }, 'approve');
  await act('agent', reception, 'sign', { contractNo: `HT-${building}`, signedAt: '2026-12-01' });
  expect((await as.agent!.get(`/api/units/${unitId}`)).body.status).toBe('sold');
  expect((await as.agent!.get(`/api/customers/${customer.id}`)).body.stage).toBe('signed');

  // The first instalment is late: its receipt climbs to the supervisor; the agent still records it.
  const late = await eventually(
    async () => {
      const t = await myTask('supervisor', reception, 'receipt', '/receipts/1');
      return t.escalationLevel === 1 ? t : undefined;
    },
    20_000,
    'the late instalment to reach the supervisor',
  );
  expect(late).toMatchObject({ assigneeRole: 'sales_supervisor', originalRole: 'sales_agent' });
  const lateOrders = (await as.agent!.get(`/api/orders?customerId=${customer.id}&kind=contract`)).body.items;
  expect(lateOrders[0].payments.map((p: { late: boolean }) => p.late)).toEqual([true, false, false]);
  for (const [n, amount] of [
    [1, 850_000],
    [2, 1_000_000],
    [3, 1_000_000],
  ] as const)
    await act('agent', reception, 'receipt', { amount, method: 'transfer' }, 'done', 200, `/receipts/${n}`);
  await eventually(async () => ((await as.agent!.get(`/api/customers/${customer.id}`)).body.stage === 'paid' ? true : undefined));
  await act('service', reception, 'handover', { receivedBy: 'service desk' });
  await eventually(async () => ((await as.agent!.get(`/api/customers/${customer.id}`)).body.stage === 'handed_over' ? true : undefined));
  // After-sales: sales service registers a complaint on the customer, assigns it to itself, resolves it; the timeline shows it.
  const complaint = await as.service!.post(`/api/customers/${customer.id}/service-cases`, { kind: 'complaint', description: 'noisy lift' });
  expect(complaint.status).toBe(201);
  await act('service', complaint.body.id, 'assign', { assigneeId: ids.service });
  await act('service', complaint.body.id, 'resolve', { resolution: 'lift serviced', customerSatisfied: true });
  await eventually(async () =>
    (await sys.prisma.serviceCase.findUnique({ where: { processId: complaint.body.id } }))?.status === 'resolved' ? true : undefined,
  );
  expect((await as.agent2!.post(`/api/customers/${customer.id}/service-cases`, { kind: 'repair', description: 'x' })).status).toBe(403);
  const full = (await as.agent!.get(`/api/customers/${customer.id}`)).body;
  expect(full.deals).toMatchObject([{ stage: 'handed_over', unitId, expectedAmount: '2850000' }]);
  expect(full.household).toMatchObject({ occupation: 'teacher', unitId, price: 2_900_000 });
  expect(full.orders.map((o: { kind: string; status: string }) => `${o.kind}:${o.status}`)).toEqual([
    'subscription:signed',
    'contract:signed',
  ]);
  expect(full.orders[1].payments.every((p: { paidAt: string | null }) => p.paidAt !== null)).toBe(true);
  await eventually(async () =>
    (await sys.prisma.processInstance.findUnique({ where: { id: reception } }))?.status === 'completed' ? true : undefined,
  );

  // 退房: after contract the supervisor and the GM approve; the unit is for sale again; sales service pays the refund.
  const cancel = await as.agent!.post(`/api/orders/${contractOrder.id}/cancel`, {
    reason: 'job moved to another city',
    refundAmount: 2_800_000,
  });
  expect(cancel.status).toBe(201);
  const cancellation = cancel.body.id as string;
  await act('supervisor', cancellation, 'contract-cancellation/r1/1', {}, 'approve');
  await act('gm', cancellation, 'contract-cancellation/r1/2', {}, 'approve');
  await act('service', cancellation, 'refund', { amount: 2_800_000, method: 'transfer' });
  await eventually(async () =>
    (await sys.prisma.processInstance.findUnique({ where: { id: cancellation } }))?.status === 'completed' ? true : undefined,
  );
  expect((await as.agent!.get(`/api/units/${unitId}`)).body).toMatchObject({ status: 'available', holderProcessId: null });
  const after = (await as.agent!.get(`/api/customers/${customer.id}`)).body;
  expect(after).toMatchObject({ stage: 'lost', lostReason: 'job moved to another city' });
  expect(after.orders.map((o: { status: string }) => o.status)).toEqual(['cancelled', 'cancelled']);
  expect(after.orders[1].refunds).toMatchObject([{ status: 'refunded', amount: '2800000', method: 'transfer' }]);
  expect(after.timeline.map((e: { type: string }) => e.type)).toEqual(
    expect.arrayContaining(['order', 'payment', 'refund', 'service_case']),
  );
  expect(after.serviceCases).toMatchObject([{ kind: 'complaint', status: 'resolved', resolution: 'lift serviced' }]);
  // Every document of the customer's processes is linked to them.
  expect(new Set(after.records.map((r: { kind: string }) => r.kind))).toEqual(
    new Set([
      'reception-record',
      'deposit-receipt',
      'subscription-agreement',
      'deal-customer-archive',
      'contract-terms',
      'discount-decision',
      'contract',
      'payment-receipt',
      'handover-record',
      'service-resolution',
      'cancellation-decision',
      'refund',
    ]),
  );
  // A second cancellation of the same order is refused.
  expect((await as.agent!.post(`/api/orders/${contractOrder.id}/cancel`, { reason: 'again', refundAmount: 0 })).status).toBe(409);
}, 180_000);

test('退订 after subscription: refused while the subscription runs; once it is cancelled, the supervisor approves and the unit is for sale again', async () => {
  const units = await as.supervisor!.post('/api/units', {
    projectId: 'DEMO',
    units: [{ building, unitNo: '0901', floor: 9, area: 120, layout: '3室2厅', listPrice: 3_000_000 }],
  });
  const unit = units.body[0].id as string;
  const phone = newPhone();
  const reception = await start('agent', 'visitor-reception', { visitorName: 'Mr He', phone });
  await act('agent', reception, 'reception', { decision: 'buy' });
  await act('agent', reception, 'deposit', { unitId: unit, amount: 20_000, method: 'card' });
  await act('agent', reception, 'agreement', {
    result: 'signed',
    agreementNo: `RG-${building}-2`,
    buyers: [{ name: 'He Lei', idNumber: '110101198502021234', phone }],
    price: 3_000_000,
    paymentMethod: 'full',
    depositCredited: 20_000,
    signingDeadline: '2026-12-31',
  });
  const order = await eventually(
    async () => (await sys.prisma.salesOrder.findFirst({ where: { kind: 'subscription', unitId: unit } })) ?? undefined,
  );
  await myTask('agent', reception, 'archive');
  expect((await as.agent!.get(`/api/units/${unit}`)).body.status).toBe('subscribed');
  const early = await as.agent!.post(`/api/orders/${order.id}/cancel`, { reason: 'changed plans', refundAmount: 20_000 });
  expect(early.status).toBe(409);
  expect(early.body.error.message).toContain('cancel it first');

  expect((await as.supervisor!.post(`/api/processes/${encodeURIComponent(reception)}/cancel`)).status).toBe(202);
  await eventually(async () =>
    (await sys.prisma.processInstance.count({ where: { id: { startsWith: reception }, status: { in: ['running', 'failing'] } } })) === 0
      ? true
      : undefined,
  );
  // The cancelled process still holds the unit: the order and the unit agree until the cancellation.
  expect((await as.agent!.get(`/api/units/${unit}`)).body.status).toBe('subscribed');
  const cancel = await as.agent!.post(`/api/orders/${order.id}/cancel`, { reason: 'changed plans', refundAmount: 20_000 });
  expect(cancel.status).toBe(201);
  await act('supervisor', cancel.body.id, 'subscription-cancellation/r1/1', { comment: 'refund the deposit' }, 'approve');
  await act('service', cancel.body.id, 'refund', { amount: 20_000, method: 'card' });
  await eventually(async () => ((await as.agent!.get(`/api/units/${unit}`)).body.status === 'available' ? true : undefined));
  const customer = await customerByPhone(phone);
  const after = (await as.agent!.get(`/api/customers/${customer.id}`)).body;
  expect(after).toMatchObject({ stage: 'lost', lostReason: 'changed plans' });
  expect(after.orders).toMatchObject([{ kind: 'subscription', status: 'cancelled', refunds: [{ status: 'refunded', amount: '20000' }] }]);
});

test('targets: progress is computed from the data; help in both languages', async () => {
  const month = new Date();
  const periodStart = `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const put = await as.supervisor!.send('PUT', '/api/targets', {
    projectId: 'DEMO',
    userId: ids.agent,
    period: 'month',
    periodStart,
    units: 4,
    amount: 10_000_000,
    visits: 40,
    followUps: 80,
  });
  expect(put.status).toBe(200);
  expect(
    (
      await as.agent!.send('PUT', '/api/targets', {
        projectId: 'DEMO',
        period: 'month',
        periodStart,
        units: 1,
        amount: 0,
        visits: 0,
        followUps: 0,
      })
    ).status,
  ).toBe(403);
  const bad = await as.supervisor!.send('PUT', '/api/targets', {
    projectId: 'DEMO',
    period: 'quarter',
    periodStart: '2026-02-01',
    units: 1,
    amount: 0,
    visits: 0,
    followUps: 0,
  });
  expect(bad.body.error.details[0].field).toBe('body.periodStart');
  const targets = (await as.agent!.get(`/api/targets?projectId=DEMO&periodStart=${periodStart}&userId=${ids.agent}`)).body;
  expect(targets[0]).toMatchObject({ units: 4, team: false });
  expect(targets[0].progress.visits).toBeGreaterThan(0);
  expect(targets[0].progress.followUps).toBeGreaterThan(0);

  // The rules' settings: defaults, and refused nonsense naming the field.
  expect((await as.admin!.get('/api/settings')).body).toMatchObject({
    customerProtectionDays: 30,
    discountLimits: { agent: 20000, supervisor: 100000 },
  });
  const zero = await as.admin!.send('PATCH', '/api/settings', { customerProtectionDays: 0 });
  expect(zero.body.error.details[0].field).toBe('body.customerProtectionDays');
  const upsideDown = await as.admin!.send('PATCH', '/api/settings', { discountLimits: { agent: 50000, supervisor: 10000 } });
  expect(upsideDown.body.error.details[0].field).toBe('body.discountLimits.supervisor');

  const zh = (await as.agent!.get('/api/help?locale=zh-CN')).body;
  const en = (await as.agent!.get('/api/help?locale=en')).body;
  expect(zh.pages.map((p: { slug: string }) => p.slug)).toEqual(en.pages.map((p: { slug: string }) => p.slug));
  expect((await as.agent!.get('/api/help?locale=fr')).body.error.details[0].field).toBe('query.locale');
});
