import { randomUUID } from 'node:crypto';
import { eventually, startSystem, type Session, type TestSystem } from '../support/system';

// One sample project through its whole launch, through the HTTP API only, logged in
// as the different role users, on the real dev server and real Postgres: readiness;
// two phases with receptions; one deal, one abandoned subscription, one visitor who
// comes back and buys; one overdue follow-up that escalates (a real, short
// deadline); one plan adjustment the GM sends back once before management
// confirms; the marketing plans; the close-out. Then the records, tasks, unit
// states and histories are checked.

let sys: TestSystem;
const as: Record<string, Session> = {};
const building = `E${randomUUID().slice(0, 4).toUpperCase()}`;
let units: { id: string; unitNo: string }[];

beforeAll(async () => {
  sys = await startSystem();
  for (const user of ['admin', 'supervisor', 'agent', 'ae', 'marketing', 'gm', 'management', 'service', 'pm', 'designer'])
    as[user] = await sys.login(user);
  // The sample project's units, through the API.
  const created = await as.supervisor!.post('/api/units', {
    projectId: 'DEMO',
    units: [1, 2, 3, 4].map((n) => ({
      building,
      unitNo: `0${n}01`,
      floor: n,
      area: 98.5,
      layout: '3室2厅',
      listPrice: 2_500_000 + n * 10_000,
    })),
  });
  expect(created.status).toBe(201);
  units = created.body;
}, 60_000);
afterAll(() => sys?.stop());

const id = (who: string) => as[who]!.get('/api/auth/me').then((r) => r.body.id as string);

/** The caller's open task in the process tree under `processId` whose key starts with `key`. */
async function myTask(who: string, processId: string, key: string, suffix = '') {
  return eventually(
    async () => {
      const res = await as[who]!.get('/api/tasks?mine=true&limit=500');
      expect(res.status).toBe(200);
      return res.body.find(
        (t: { processId: string; taskKey: string }) =>
          t.processId.startsWith(processId) && t.processId.endsWith(suffix) && t.taskKey.startsWith(key),
      );
    },
    20_000,
    `${who}'s task ${key} in ${processId}`,
  );
}

/** Completes that task through the API and expects `status`. */
async function act(
  who: string,
  processId: string,
  key: string,
  data: Record<string, unknown> = {},
  outcome = 'done',
  status = 200,
  suffix = '',
) {
  const task = await myTask(who, processId, key, suffix);
  const res = await as[who]!.post(`/api/tasks/${task.id}/complete`, { outcome, data }, { 'idempotency-key': randomUUID() });
  expect({ key, status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({ key, status, body: 'ok' });
  return { task, res };
}

async function startProcess(who: string, definition: string, input: Record<string, unknown>) {
  const res = await as[who]!.post('/api/processes', {
    definition,
    projectId: 'DEMO',
    businessKey: `${building}-${randomUUID().slice(0, 6)}`,
    input,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const show = (processId: string) => as.supervisor!.get(`/api/processes/${encodeURIComponent(processId)}`).then((r) => r.body);
const unitStatus = async (n: number) => (await as.agent!.get(`/api/units/${units[n]!.id}`)).body.status;

/** A fresh mainland mobile number per visitor: customers are one per phone and project. */
const phones: Record<string, string> = {};
const phoneOf = (visitor: string) =>
  (phones[visitor] ??= `13${5 + (Object.keys(phones).length % 5)}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);

/** The 认购书 of a visitor, signed at `price`. */
const agreement = (visitor: string, price: number) => ({
  result: 'signed',
  agreementNo: `RG-${visitor}`,
  buyers: [{ name: visitor, idNumber: '110101198001011234', phone: phoneOf(visitor) }],
  price,
  paymentMethod: 'mortgage',
  depositCredited: 50000,
  signingDeadline: '2026-12-31',
});

/**
 * From the signed subscription to the handover: the deal-customer archive, the
 * contract at `price` with its instalments (the list price of a unit here is above
 * it by less than the agent's limit, so no one approves), the signature, one
 * receipt per instalment, the handover.
 */
async function contractAndPayments(processId: string, visitor: string, price: number, instalments: number[]) {
  await act('agent', processId, 'archive', { household: 'family of three', occupation: 'engineer', ageBand: '35-44', motive: 'upgrade' });
  const day = 86_400_000;
  await act('agent', processId, 'terms', {
    agreedPrice: price,
    paymentMethod: instalments.length === 1 ? 'full' : 'instalments',
    instalments: instalments.map((amount, i) => ({ dueDate: new Date(Date.now() + (i + 1) * 30 * day).toISOString(), amount })),
  });
  await act('agent', processId, 'sign', { contractNo: `HT-${visitor}`, signedAt: '2026-12-10' });
  for (const [i, amount] of instalments.entries())
    await act('agent', processId, 'receipt', { amount, method: 'transfer' }, 'done', 200, `/receipts/${i + 1}`);
  await act('service', processId, 'handover', { receivedBy: 'service desk' });
}

/** A visitor who buys at once: deposit on `unit`, agreement signed, archive, contract paid in full, handover. */
async function dealNow(visitor: string, unit: number) {
  const reception = await startProcess('agent', 'visitor-reception', { visitorName: visitor, phone: phoneOf(visitor) });
  await act('agent', reception, 'reception', { decision: 'buy', needs: 'family' });
  await act('agent', reception, 'deposit', { unitId: units[unit]!.id, amount: 50000, method: 'transfer' });
  // 10 000 below the list price: within the agent's discount limit.
  const price = 2_500_000 + unit * 10_000;
  await act('agent', reception, 'agreement', agreement(visitor, price));
  await contractAndPayments(reception, visitor, price, [price]);
  return reception;
}

/** The phase-end reviews of one phase, up to the phase summary. */
async function phaseReviews(launch: string, phase: number, adjustPlan: boolean) {
  const prefix = `phases[${phase}]/`;
  await act('ae', launch, `${prefix}analysis`, { visitors: 40 * phase, deals: 2, findings: 'families prefer building A' });
  await act('supervisor', launch, `${prefix}customer-meeting`, { attendees: ['ae', 'marketing'], minutes: 'focus on families' });
  for (const brief of ['ad-brief', 'event-brief', 'packaging-brief'])
    await act('marketing', launch, `${prefix}${brief}`, { spend: 12000, assessment: 'fair' });
  await act('supervisor', launch, `${prefix}phase-summary`, {
    summary: `phase ${phase}`,
    correctiveMeasures: 'more weekend events',
    adjustPlan,
  });
}

/** The next phase's marketing plan, approved jointly, executed and checked. */
async function marketingPlan(launch: string) {
  await act('marketing', launch, 'direction', { direction: 'young families' });
  await act('marketing', launch, 'agency-plan', { agency: 'Ad Co', strategy: 'schools', plan: 'weekend fairs', budget: 300000 });
  await act('supervisor', launch, 'joint-approval/r1', {}, 'approve');
  await act('gm', launch, 'joint-approval/r1', {}, 'approve');
  for (const key of ['ad-release', 'events', 'channels', 'outdoor-packaging']) await act('marketing', launch, key, { done: key });
  await act('designer', launch, 'site-updates', { done: 'show flat refreshed' });
  await act('supervisor', launch, 'completeness-check', { complete: true });
}

test('a sample project goes through its whole launch', async () => {
  // 5.1–5.3: launch started, plan studied by each member, readiness in parallel.
  const launch = await startProcess('supervisor', 'sales-launch', {
    overallPlan: 'E2E overall plan v1',
    approvedBy: 'gm',
    team: [await id('agent'), await id('ae')],
  });
  for (const who of ['agent', 'ae'])
    await act(who, launch, 'acknowledge', { overallPlanRead: true, salesManualRead: true, positioningRead: true });
  const bad = await as.supervisor!.post(`/api/tasks/${(await myTask('supervisor', launch, 'engineering-training')).id}/complete`, {
    outcome: 'done',
    data: { sessions: 0, topics: 'x' },
  });
  expect(bad.body.error.details[0].field).toBe('body.data.sessions');
  await act('supervisor', launch, 'engineering-training', { sessions: 2, topics: 'structure, materials' });
  await act('supervisor', launch, 'sales-skills-training', { sessions: 3, topics: 'objections' });
  await act('supervisor', launch, 'collaboration', { design: 'weekly', projectManagement: 'biweekly', propertyManagement: 'monthly' });
  await act('supervisor', launch, 'market-research', { competitors: ['Lakeside', 'Sunrise'], findings: 'priced 5% above' });
  await act('supervisor', launch, 'launch', { launchDate: '2026-12-05' });

  // Phase 1, receptions. One deal.
  const deal = await dealNow('Wang', 0);
  // One abandoned subscription: the unit the deal holds is refused (409), another one is taken, then released.
  const quitter = await startProcess('agent', 'visitor-reception', { visitorName: 'Sun', phone: phoneOf('Sun') });
  await act('agent', quitter, 'reception', { decision: 'buy' });
  await act('agent', quitter, 'deposit', { unitId: units[0]!.id, amount: 20000, method: 'card' }, 'done', 409);
  await act('agent', quitter, 'deposit', { unitId: units[1]!.id, amount: 20000, method: 'card' });
  expect(await unitStatus(1)).toBe('reserved');
  await act('agent', quitter, 'agreement', { result: 'abandoned', reason: 'financing fell through' });
  await act('agent', quitter, 'refund', { amount: 20000, method: 'card' });
  // One visitor who registers, whose follow-up goes overdue and escalates, and who comes back and buys.
  const returning = await startProcess('agent', 'visitor-reception', { visitorName: 'Zhao', phone: phoneOf('Zhao') });
  await act('agent', returning, 'reception', { decision: 'not-yet' });
  await act('agent', returning, 'registration', {
    intentLevel: 'A',
    needs: 'near the school',
    budget: 2600000,
    source: 'referral',
    nextContactAt: new Date(Date.now() + 2000).toISOString(),
  });
  const escalated = await eventually(
    async () => {
      const t = await myTask('supervisor', returning, 'follow-ups[1]/follow-up');
      return t.escalationLevel === 1 ? t : undefined;
    },
    20_000,
    'the overdue follow-up to reach the supervisor',
  );
  expect(escalated).toMatchObject({ assigneeRole: 'sales_supervisor', originalRole: 'sales_agent' });
  await act('agent', returning, 'follow-ups[1]/follow-up', { channel: 'visit', result: 'buy', notes: 'came back with family' });
  await act('agent', returning, 'deposit', { unitId: units[2]!.id, amount: 50000, method: 'transfer' });
  await act('agent', returning, 'agreement', agreement('Zhao', 2_520_000));
  // Zhao pays in three instalments.
  await contractAndPayments(returning, 'Zhao', 2_520_000, [520_000, 1_000_000, 1_000_000]);

  // End of phase 1: reviews, summary calling for an adjustment.
  expect(
    (
      await as.supervisor!.post(`/api/processes/${encodeURIComponent(launch)}/events`, {
        name: 'phase-ended',
        payload: { note: 'month 1' },
      })
    ).status,
  ).toBe(202);
  await phaseReviews(launch, 1, true);
  // 5.9: the adjusted plan; the GM sends it back once; then the GM approves and management confirms.
  await act('supervisor', launch, 'adjusted-plan', { plan: 'discount B floors 1-3', reasons: 'slow sales' });
  await act('gm', launch, 'review/r1/1', { comments: 'add a target per week' }, 'revise');
  await act('supervisor', launch, 'review/r1/revise', { plan: 'discount B floors 1-3, 5 deals a week', reasons: 'slow sales' });
  await act('gm', launch, 'review/r2/1', { comments: 'agreed' }, 'approve');
  await act('management', launch, 'review/r2/2', { comments: 'confirmed' }, 'approve');
  await act('pm', launch, 'schedule-adjustment', { changes: 'show flat of building B first' });
  await act('supervisor', launch, 'schedule-check', { supportsSales: true });
  await marketingPlan(launch);
  await act('supervisor', launch, 'phases[1]/next-phase', { notes: 'phase 2 starts' });

  // Phase 2: another deal; then sold out.
  const lastDeal = await dealNow('Li', 3);
  await as.supervisor!.post(`/api/processes/${encodeURIComponent(launch)}/events`, {
    name: 'sold-out',
    payload: { note: 'last unit sold' },
  });
  await as.supervisor!.post(`/api/processes/${encodeURIComponent(launch)}/events`, { name: 'phase-ended', payload: {} });
  await phaseReviews(launch, 2, false);
  await marketingPlan(launch);
  await act('supervisor', launch, 'phases[2]/next-phase');
  // 5.13: close-out.
  await act('supervisor', launch, 'close-out', { summary: 'sold out in two phases', lessons: 'start weekend events earlier' });

  // The launch and every process in it ended as they should.
  const finished = await eventually(
    async () => ((await show(launch)).status === 'completed' ? show(launch) : undefined),
    20_000,
    'launch completed',
  );
  expect(finished.tasks.open).toEqual([]);
  const statuses = await Promise.all([deal, quitter, returning, lastDeal].map(async (p) => (await show(p)).status));
  // The reception whose subscription was abandoned ends without a deal: rejected.
  expect(statuses).toEqual(['completed', 'rejected', 'completed', 'completed']);
  expect((await show(`${quitter}/subscription-now/1`)).status).toBe('rejected');
  const children = (await as.management!.get(`/api/processes?definition=plan-adjustment&limit=500`)).body.filter((p: { id: string }) =>
    p.id.startsWith(launch),
  );
  expect(children.map((p: { status: string }) => p.status)).toEqual(['completed']);

  // The visitors are customers of the agent, at the stage their processes left them in.
  const customers: Record<string, any> = Object.fromEntries(
    await Promise.all(
      ['Wang', 'Sun', 'Zhao', 'Li'].map(async (visitor) => {
        const found = (await as.agent!.get(`/api/customers?projectId=DEMO&q=${phoneOf(visitor)}`)).body;
        expect(found).toHaveLength(1);
        return [visitor, (await as.agent!.get(`/api/customers/${found[0].id}`)).body];
      }),
    ),
  );
  expect(Object.fromEntries(Object.entries(customers).map(([v, c]) => [v, c.stage]))).toEqual({
    Wang: 'handed_over',
    Sun: 'lost',
    Zhao: 'handed_over',
    Li: 'handed_over',
  });
  expect(customers.Sun).toMatchObject({ lostReason: 'financing fell through', owner: { username: 'agent' } });
  expect(customers.Zhao).toMatchObject({ classification: 'A', source: 'referral' });
  expect(customers.Zhao.timeline.map((e: { type: string }) => e.type)).toEqual(
    expect.arrayContaining(['registered', 'classified', 'follow_up', 'order', 'payment', 'stage']),
  );
  const zhaoContract = customers.Zhao.orders.find((o: { kind: string }) => o.kind === 'contract');
  expect(zhaoContract).toMatchObject({ status: 'signed', price: '2520000', discount: '10000', paymentMethod: 'instalments' });
  expect(zhaoContract.payments.map((p: { paidAmount: string }) => p.paidAmount)).toEqual(['520000', '1000000', '1000000']);
  expect(customers.Zhao.deals).toMatchObject([{ stage: 'handed_over', unitId: units[2]!.id, probability: '1' }]);

  // Units follow the subscriptions.
  expect(await Promise.all([0, 1, 2, 3].map(unitStatus))).toEqual(['sold', 'available', 'sold', 'sold']);
  const available = (await as.agent!.get(`/api/units?projectId=DEMO&building=${building}`)).body;
  expect(available.units.map((u: { status: string }) => u.status).sort()).toEqual(['available', 'sold', 'sold', 'sold']);

  // The documents, as records linked to the project and the process.
  const records = async (kind: string) =>
    (await as.supervisor!.get(`/api/records?projectId=DEMO&kind=${kind}&limit=1000`)).body.filter((r: { processId: string }) =>
      [launch, deal, quitter, returning, lastDeal].some((p) => r.processId.startsWith(p)),
    );
  const expected: Record<string, number> = {
    'plan-acknowledgement': 2,
    'training-record': 2,
    'collaboration-agreement': 1,
    'market-research': 1,
    'launch-record': 1,
    'reception-record': 4,
    'deposit-receipt': 4,
    'subscription-agreement': 4,
    'deposit-refund': 1,
    'deal-customer-archive': 3,
    'contract-terms': 3,
    contract: 3,
    'payment-receipt': 5,
    'handover-record': 3,
    'visitor-intent-registration': 1,
    'customer-follow-up': 1,
    'visitor-deal-analysis': 2,
    'customer-meeting-minutes': 2,
    'advertising-effectiveness-brief': 2,
    'event-effectiveness-brief': 2,
    'packaging-effectiveness-brief': 2,
    'phase-sales-summary': 2,
    'adjusted-phase-plan': 2,
    'plan-adjustment-decision': 3,
    'construction-schedule-adjustment': 1,
    'construction-schedule-check': 1,
    'promotion-direction': 2,
    'phase-marketing-plan': 2,
    'marketing-plan-decision': 4,
    'marketing-execution': 8,
    'site-update': 2,
    'execution-completeness-check': 2,
    'final-sales-summary': 1,
  };
  const counted = Object.fromEntries(await Promise.all(Object.keys(expected).map(async (kind) => [kind, (await records(kind)).length])));
  expect(counted).toEqual(expected);
  const archive = (await records('deal-customer-archive')).find((r: { processId: string }) => r.processId.startsWith(returning));
  expect(archive).toMatchObject({
    projectId: 'DEMO',
    stepId: 'archive',
    data: { occupation: 'engineer', motive: 'upgrade' },
    createdByName: 'agent',
  });
  expect((await as.supervisor!.get(`/api/records/${archive.id}`)).body.id).toBe(archive.id);

  // Histories: the escalation is there; the GM's revise and management's confirmation too.
  const followUpHistory = (await show(returning)).history.map((e: { type: string }) => e.type);
  expect(followUpHistory).toEqual(expect.arrayContaining(['task.created', 'task.escalated', 'task.completed']));
  const adjustment = (await show(children[0].id)).history;
  const decisions = adjustment
    .filter((e: { type: string }) => e.type === 'task.completed')
    .map((e: { actorName: string; data: { outcome: string } }) => `${e.actorName}:${e.data.outcome}`);
  expect(decisions).toEqual([
    'supervisor:done',
    'gm:revise',
    'supervisor:done',
    'gm:approve',
    'management:approve',
    'pm:done',
    'supervisor:done',
  ]);
}, 240_000);
