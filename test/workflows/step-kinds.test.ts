import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import type { ProcessDefinition, Step } from '../../definitions';
import {
  approverChangeUpdate,
  completeTaskUpdate,
  retryStepUpdate,
  sendEventUpdate,
  stateQuery,
  taskActionUpdate,
  type ProcessResult,
} from '../../workflows/messages';
import { startProcess } from '../support/processes';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

// Every step kind and every deadline and human-action feature of the interpreter,
// on the time-skipping test server with the real activities on the real database.

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let system: TimeSkippingSystem;
let taskQueue: string;
const HOUR = 3_600_000;
const actor = { userId: null, username: 'tester' };
/** A registered activity that fails until `flaky.healthy` is set. */
const flaky = { healthy: false, calls: 0 };

beforeAll(async () => {
  system = await startTimeSkipping({
    'test.flaky': async (input) => {
      flaky.calls += 1;
      if (!flaky.healthy) throw new Error('the ledger is down');
      return { booked: input.amount };
    },
  });
  ({ env, prisma, taskQueue } = system);
});

afterAll(() => system?.stop());

const ROLES = ['sales_agent', 'sales_supervisor', 'general_manager', 'management', 'marketing'];

function definition(root: Step, extra: Partial<ProcessDefinition> = {}): ProcessDefinition {
  return { key: `kinds-${root.kind}`, version: 1, title: root.kind, roles: ROLES, input: [], ...extra, root };
}

async function start(def: ProcessDefinition, input: Record<string, unknown> = {}, subDefinitions: Record<string, ProcessDefinition> = {}) {
  const { processId, handle } = await startProcess(env.client, taskQueue, def, { input, startedBy: actor, subDefinitions });
  return { processId, handle, result: (): Promise<ProcessResult> => handle.result() };
}

/** The open tasks of a process once `count` of them exist, by task key. */
async function openTasks(processId: string, count = 1) {
  for (let i = 0; i < 200; i++) {
    const tasks = await prisma.task.findMany({ where: { processId, status: 'open' }, orderBy: { taskKey: 'asc' } });
    if (tasks.length >= count) return tasks;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} open tasks in ${processId}`);
}

const complete = (handle: WorkflowHandle, taskId: string, outcome: string, data: Record<string, unknown> = {}) =>
  handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome: outcome as 'done', data, actor }] });

const task = (id: string, role = 'sales_agent', extra: Partial<Extract<Step, { kind: 'task' }>> = {}): Step => ({
  kind: 'task',
  id,
  title: id,
  role,
  due: { days: 1 },
  ...extra,
});

test('parallel: both branches run at once and the step ends when both have', async () => {
  const run = await start(definition({ kind: 'parallel', id: 'readiness', branches: [task('training'), task('research', 'marketing')] }));
  const [research, training] = await openTasks(run.processId, 2);
  expect([research!.taskKey, training!.taskKey]).toEqual(['research', 'training']);
  await complete(run.handle, training!.id, 'done');
  expect((await run.handle.query(stateQuery)).steps).toMatchObject({ readiness: 'running', training: 'completed', research: 'running' });
  await complete(run.handle, research!.id, 'done', {});
  expect((await run.result()).status).toBe('completed');
});

test('decision: the first branch whose condition holds runs, else otherwise', async () => {
  const def = definition(
    {
      kind: 'decision',
      id: 'route',
      branches: [
        {
          when: { all: [{ var: 'amount', op: 'gte', value: 100000 }, { not: { var: 'urgent', op: 'truthy' } }] },
          step: task('big', 'general_manager'),
        },
        { when: { var: 'level', op: 'in', value: ['A', 'B'] }, step: task('warm') },
      ],
      otherwise: task('cold'),
    },
    {
      input: [
        { name: 'amount', type: 'number' },
        { name: 'urgent', type: 'boolean' },
        { name: 'level', type: 'string' },
      ],
    },
  );
  for (const [input, expected] of [
    [{ amount: 200000, urgent: false, level: 'C' }, 'big'],
    [{ amount: 200000, urgent: true, level: 'B' }, 'warm'],
    [{ amount: 5, level: 'C' }, 'cold'],
  ] as const) {
    const run = await start(def, input);
    const [open] = await openTasks(run.processId);
    expect(open!.taskKey).toBe(expected);
    await complete(run.handle, open!.id, 'done');
    await run.result();
  }
});

test('loop: repeats while its condition holds, scoped per iteration, and stops at its bound', async () => {
  const def = definition({
    kind: 'loop',
    id: 'phases',
    maxIterations: 3,
    while: { not: { var: 'summary.soldOut', op: 'truthy' } },
    body: task('summary', 'sales_supervisor', { form: [{ name: 'soldOut', type: 'boolean' }] }),
  });
  const run = await start(def);
  let [open] = await openTasks(run.processId);
  expect(open!.taskKey).toBe('phases[1]/summary');
  await complete(run.handle, open!.id, 'done', { soldOut: false });
  [open] = await openTasks(run.processId);
  expect(open!.taskKey).toBe('phases[2]/summary');
  await complete(run.handle, open!.id, 'done', { soldOut: true });
  const result = await run.result();
  expect(result.variables.phases).toEqual({ iterations: 2, exit: 'condition' });

  const bounded = await start({ ...def, root: { ...(def.root as Extract<Step, { kind: 'loop' }>), maxIterations: 2 } });
  for (let i = 1; i <= 2; i++) {
    const [t] = await openTasks(bounded.processId);
    await complete(bounded.handle, t!.id, 'done', { soldOut: false });
  }
  expect((await bounded.result()).variables.phases).toEqual({ iterations: 2, exit: 'bound' });
});

test('loop with freshValues: an iteration never reads what an earlier one produced; without it, it does', async () => {
  // Iteration 2 asks whether `mark` (set later in the body) is there already.
  const body: Step = {
    kind: 'sequence',
    id: 'iteration',
    steps: [
      {
        kind: 'decision',
        id: 'seen',
        branches: [{ when: { var: 'mark', op: 'exists' }, step: { kind: 'timer', id: 'stale', duration: { hours: 1 } } }],
      },
      { kind: 'activity', id: 'mark', activity: 'echo', input: { at: { var: 'phases.iteration' } } },
    ],
  };
  const loop = {
    kind: 'loop' as const,
    id: 'phases',
    maxIterations: 2,
    while: { not: { var: 'phases.done', op: 'truthy' as const } },
    body,
  };
  const fresh = await (await start(definition({ ...loop, freshValues: true }))).result();
  expect(fresh.variables).toMatchObject({ seen: { branch: 'otherwise' }, mark: { at: 2 }, phases: { iterations: 2, exit: 'bound' } });
  expect(fresh.variables.stale).toBeUndefined();
  // Without it (every definition before sales-launch version 5), values carry over.
  const carried = await (await start(definition(loop))).result();
  expect(carried.variables).toMatchObject({ seen: { branch: 0 }, mark: { at: 2 }, stale: { firedAt: expect.any(String) } });
});

test('loop until an event: the iteration running when it arrives finishes, then the loop ends', async () => {
  const def = definition(
    { kind: 'loop', id: 'phases', maxIterations: 50, untilEvent: 'sold-out', body: { kind: 'timer', id: 'week', duration: { days: 7 } } },
    { events: [{ name: 'sold-out', payload: [] }] },
  );
  const run = await start(def);
  await env.sleep('15 days');
  await run.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'sold-out', payload: {}, actor }] });
  const result = await run.result();
  expect(result.variables.phases).toEqual({ iterations: 3, exit: 'event' });
});

test('timer: a duration, and an instant from a variable', async () => {
  const def = definition(
    {
      kind: 'sequence',
      id: 'main',
      steps: [
        { kind: 'timer', id: 'wait', duration: { hours: 30 } },
        { kind: 'timer', id: 'until', untilVariable: 'openingDay' },
      ],
    },
    { input: [{ name: 'openingDay', type: 'datetime' }] },
  );
  const started = await env.currentTimeMs();
  const opening = new Date(Number(started) + 72 * HOUR).toISOString();
  const run = await start(def, { openingDay: opening });
  const result = await run.result();
  expect(Date.parse((result.variables.wait as { firedAt: string }).firedAt) - Number(started)).toBeGreaterThanOrEqual(30 * HOUR);
  expect(Date.parse((result.variables.until as { firedAt: string }).firedAt)).toBeGreaterThanOrEqual(Date.parse(opening));
});

test('event: waits for a named event with its payload, or times out', async () => {
  const def = definition(
    { kind: 'event', id: 'milestone', event: 'construction-milestone', timeout: { days: 30 } },
    { events: [{ name: 'construction-milestone', payload: [{ name: 'milestone', type: 'string' }] }] },
  );
  const run = await start(def);
  await expect(run.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'no-such', payload: {}, actor }] })).rejects.toMatchObject({
    cause: { type: 'UnknownEvent' },
  });
  await run.handle.executeUpdate(sendEventUpdate, {
    args: [{ name: 'construction-milestone', payload: { milestone: 'topped out' }, actor }],
  });
  expect((await run.result()).variables.milestone).toMatchObject({ received: true, payload: { milestone: 'topped out' } });
  expect(await prisma.processEvent.count({ where: { processId: run.processId, type: 'event.received' } })).toBe(1);

  const late = await start(def);
  expect((await late.result()).variables.milestone).toEqual({ received: false, timedOut: true });
});

test('activity: inputs mapped from variables, output stored; a failing one shows as failing until retried', async () => {
  const def = definition(
    {
      kind: 'sequence',
      id: 'main',
      steps: [
        { kind: 'activity', id: 'copy', activity: 'echo', input: { who: { var: 'customer' }, fixed: { value: 7 } } },
        { kind: 'activity', id: 'book', activity: 'test.flaky', input: { amount: { var: 'copy.fixed' } }, maxAttempts: 2 },
      ],
    },
    { input: [{ name: 'customer', type: 'string' }] },
  );
  flaky.healthy = false;
  flaky.calls = 0;
  const run = await start(def, { customer: 'Mr Li' });
  let state = await run.handle.query(stateQuery);
  for (let i = 0; i < 100 && state.status !== 'failing'; i++) {
    await env.sleep('10 seconds');
    state = await run.handle.query(stateQuery);
  }
  expect(state).toMatchObject({
    status: 'failing',
    failedSteps: [{ stepKey: 'book', message: 'the ledger is down' }],
    steps: { book: 'failed' },
  });
  expect(state.variables.copy).toEqual({ who: 'Mr Li', fixed: 7 });
  expect(flaky.calls).toBe(2);
  expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: run.processId } })).status).toBe('failing');
  await expect(run.handle.executeUpdate(retryStepUpdate, { args: [{ stepKey: 'copy', actor }] })).rejects.toMatchObject({
    cause: { type: 'StepNotFailing' },
  });

  flaky.healthy = true;
  await run.handle.executeUpdate(retryStepUpdate, { args: [{ stepKey: 'book', actor }] });
  const result = await run.result();
  expect(result.variables.book).toEqual({ booked: 7 });
  const events = await prisma.processEvent.findMany({ where: { processId: run.processId }, orderBy: { id: 'asc' } });
  expect(events.map((e) => e.type)).toEqual(['process.started', 'step.failed', 'step.retry', 'process.completed']);
});

test('sub-process: one child per list item, each its own process, and the parent waits for all', async () => {
  const child: ProcessDefinition = {
    key: 'study-plan',
    version: 1,
    title: 'Study the plan',
    roles: ['sales_agent'],
    input: [{ name: 'member', type: 'string', required: true }],
    root: task('acknowledge'),
  };
  const def = definition(
    { kind: 'subprocess', id: 'study', definition: 'study-plan', forEach: 'team', input: { member: { var: '$item' } } },
    { input: [{ name: 'team', type: 'list' }] },
  );
  const run = await start(def, { team: ['wang', 'li'] }, { 'study-plan@latest': child });
  const tasks = await openTasks(`${run.processId}/study/1`);
  await complete(env.client.workflow.getHandle(`${run.processId}/study/1`), tasks[0]!.id, 'done');
  const second = await openTasks(`${run.processId}/study/2`);
  await complete(env.client.workflow.getHandle(`${run.processId}/study/2`), second[0]!.id, 'done');
  const result = await run.result();
  expect((result.variables.study as { results: { processId: string; status: string }[] }).results.map((r) => r.status)).toEqual([
    'completed',
    'completed',
  ]);
  const children = await prisma.processInstance.findMany({ where: { parentId: run.processId }, orderBy: { id: 'asc' } });
  expect(children.map((c) => [c.definitionKey, c.input])).toEqual([
    ['study-plan', { member: 'wang' }],
    ['study-plan', { member: 'li' }],
  ]);
});

test('end: ends the whole process at once, withdrawing what still runs', async () => {
  const def = definition({
    kind: 'parallel',
    id: 'both',
    branches: [
      task('slow'),
      {
        kind: 'sequence',
        id: 'quick',
        steps: [
          { kind: 'timer', id: 'pause', duration: { hours: 1 } },
          { kind: 'end', id: 'stop', outcome: 'rejected' },
        ],
      },
    ],
  });
  const run = await start(def);
  const [slow] = await openTasks(run.processId);
  expect((await run.result()).status).toBe('rejected');
  expect((await prisma.task.findUniqueOrThrow({ where: { id: slow!.id } })).status).toBe('cancelled');
  expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: run.processId } })).status).toBe('rejected');
});

describe('approvals', () => {
  const approval = (extra: Partial<Extract<Step, { kind: 'approval' }>> = {}): Step => ({
    kind: 'approval',
    id: 'adjustment',
    title: 'Phase plan adjustment',
    approvers: [
      { role: 'general_manager', due: { days: 2 } },
      { role: 'management', due: { days: 2 } },
    ],
    form: [{ name: 'plan', type: 'text' }],
    revise: { role: 'sales_supervisor', due: { days: 1 }, maxRounds: 1 },
    ...extra,
  });

  test('revise sends it back to the submitter, then through every approver again; rounds are bounded', async () => {
    const run = await start(definition(approval()));
    let [gm] = await openTasks(run.processId);
    expect(gm!.outcomes).toEqual(['approve', 'reject', 'revise']);
    await complete(run.handle, gm!.id, 'revise', { plan: 'cut the price less' });
    const [revise] = await openTasks(run.processId);
    expect(revise).toMatchObject({ taskKey: 'adjustment/r1/revise', assigneeRole: 'sales_supervisor' });
    await complete(run.handle, revise!.id, 'done', { plan: 'v2' });
    [gm] = await openTasks(run.processId);
    // Second round: the only revise allowed is used up.
    expect(gm).toMatchObject({ taskKey: 'adjustment/r2/1', outcomes: ['approve', 'reject'] });
    await complete(run.handle, gm!.id, 'approve');
    const [mgmt] = await openTasks(run.processId);
    expect(mgmt!.assigneeRole).toBe('management');
    await complete(run.handle, mgmt!.id, 'approve');
    const result = await run.result();
    expect(result.variables.adjustment).toMatchObject({ outcome: 'approved', rounds: 2, data: { plan: 'v2' } });
    expect((result.variables.adjustment as { decisions: { outcome: string }[] }).decisions.map((d) => d.outcome)).toEqual([
      'revise',
      'approve',
      'approve',
    ]);
  });

  test('joint: all must approve; one rejection withdraws the others', async () => {
    const joint = approval({
      mode: 'joint',
      approvers: [
        { role: 'sales_supervisor', due: { days: 2 } },
        { role: 'general_manager', due: { days: 2 } },
      ],
      revise: undefined,
    });
    const ok = await start(definition(joint));
    const both = await openTasks(ok.processId, 2);
    for (const t of both) await complete(ok.handle, t.id, 'approve');
    expect((await ok.result()).status).toBe('completed');

    const no = await start(definition(joint));
    const [first, second] = await openTasks(no.processId, 2);
    await complete(no.handle, first!.id, 'reject');
    expect((await no.result()).status).toBe('rejected');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe('cancelled');
  });

  test('an approver can be added to and skipped in a running chain', async () => {
    const run = await start(definition(approval({ revise: undefined })));
    const [gm] = await openTasks(run.processId);
    await run.handle.executeUpdate(approverChangeUpdate, {
      args: [{ action: 'add', stepKey: 'adjustment', role: 'marketing', due: { days: 1 }, position: 1, actor }],
    });
    await expect(
      run.handle.executeUpdate(approverChangeUpdate, {
        args: [{ action: 'add', stepKey: 'adjustment', role: 'wizard', due: { days: 1 }, actor }],
      }),
    ).rejects.toMatchObject({ cause: { type: 'ActionNotAllowed' } });
    const changed = await run.handle.executeUpdate(approverChangeUpdate, {
      args: [{ action: 'skip', stepKey: 'adjustment', index: 2, actor }],
    });
    expect(changed).toEqual({ approvers: ['general_manager', 'marketing', 'management'], skipped: [2] });
    await complete(run.handle, gm!.id, 'approve');
    const [marketing] = await openTasks(run.processId);
    expect(marketing!.assigneeRole).toBe('marketing');
    await complete(run.handle, marketing!.id, 'approve');
    expect((await run.result()).status).toBe('completed');
    expect(
      await prisma.processEvent.count({
        where: { processId: run.processId, type: { in: ['approval.approver_added', 'approval.approver_skipped'] } },
      }),
    ).toBe(2);
  });

  test('an approval whose chain is exhausted decides itself when its policy says so', async () => {
    const auto = approval({
      revise: undefined,
      approvers: [
        {
          role: 'general_manager',
          due: { days: 1 },
          deadline: { escalate: [{ atFraction: 1, toRole: 'management' }], finally: { atFraction: 2, action: 'auto-approve' } },
        },
      ],
    });
    const run = await start(definition(auto));
    const result = await run.result();
    expect(result.variables.adjustment).toMatchObject({ outcome: 'approved', decisions: [{ outcome: 'approve', by: 'system' }] });
    const types = (await prisma.processEvent.findMany({ where: { processId: run.processId }, orderBy: { id: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(['process.started', 'task.created', 'task.escalated', 'task.completed', 'process.completed']);
  });
});

describe('human actions and deadlines', () => {
  const overdue = (): Step =>
    task('visit', 'sales_agent', {
      deadline: { escalate: [{ atFraction: 1, toRole: 'sales_supervisor' }] },
      form: [{ name: 'notes', type: 'text' }],
    });

  test('claim, release, reassign', async () => {
    const run = await start(definition(overdue()));
    const [t] = await openTasks(run.processId);
    const claimed = await run.handle.executeUpdate(taskActionUpdate, {
      args: [{ action: 'claim', userId: randomUUID(), taskId: t!.id, actor }],
    });
    expect(claimed.assigneeUserId).toBeDefined();
    await expect(
      run.handle.executeUpdate(taskActionUpdate, { args: [{ action: 'claim', userId: randomUUID(), taskId: t!.id, actor }] }),
    ).rejects.toMatchObject({
      cause: { type: 'ActionNotAllowed' },
    });
    await run.handle.executeUpdate(taskActionUpdate, { args: [{ action: 'release', taskId: t!.id, actor }] });
    const reassigned = await run.handle.executeUpdate(taskActionUpdate, {
      args: [{ action: 'reassign', toRole: 'marketing', taskId: t!.id, actor }],
    });
    expect(reassigned.role).toBe('marketing');
    const row = await prisma.task.findUniqueOrThrow({ where: { id: t!.id } });
    expect(row).toMatchObject({ assigneeRole: 'marketing', assigneeUserId: null });
    const audit = await prisma.auditEvent.findMany({ where: { objectId: t!.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['task.claim', 'task.release', 'task.reassign']);
    await complete(run.handle, t!.id, 'done');
    await run.result();
  });

  test('delegate and return: the delegate does the work, the owner signs it off', async () => {
    const run = await start(definition(overdue()));
    const [t] = await openTasks(run.processId);
    const delegate = { userId: randomUUID(), username: 'helper' };
    await run.handle.executeUpdate(taskActionUpdate, { args: [{ action: 'delegate', toUserId: delegate.userId, taskId: t!.id, actor }] });
    await expect(
      run.handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: t!.id, outcome: 'done', data: {}, actor: { userId: randomUUID(), username: 'x' }, asDelegate: true }],
      }),
    ).rejects.toMatchObject({ cause: { type: 'ActionNotAllowed' } });
    const back = await run.handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: t!.id, outcome: 'done', data: { notes: 'drafted' }, actor: delegate, asDelegate: true }],
    });
    expect(back.returnedToOwner).toBe(true);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t!.id } })).status).toBe('open');
    await complete(run.handle, t!.id, 'done', { notes: 'drafted, checked' });
    expect((await run.result()).variables.visit).toMatchObject({ notes: 'drafted, checked' });
    const types = (await prisma.processEvent.findMany({ where: { processId: run.processId }, orderBy: { id: 'asc' } })).map((e) => e.type);
    expect(types).toContain('task.returned');
  });

  test('an extended deadline moves the escalation; a paused one stops the clock', async () => {
    const run = await start(definition(overdue()));
    const [t] = await openTasks(run.processId);
    await env.sleep('20 hours');
    await run.handle.executeUpdate(taskActionUpdate, { args: [{ action: 'extend-deadline', by: { hours: 24 }, taskId: t!.id, actor }] });
    await env.sleep('10 hours'); // 30 h: past the old due time, before the new one
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t!.id } })).escalationLevel).toBe(0);
    await run.handle.executeUpdate(taskActionUpdate, { args: [{ action: 'pause-deadline', taskId: t!.id, actor }] });
    await env.sleep('10 days');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t!.id } })).escalationLevel).toBe(0);
    await run.handle.executeUpdate(taskActionUpdate, { args: [{ action: 'resume-deadline', taskId: t!.id, actor }] });
    await env.sleep('17 hours'); // 47 h of clock time in all: the 48 h deadline is not yet due
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t!.id } })).escalationLevel).toBe(0);
    await env.sleep('2 hours');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t!.id } })).assigneeRole).toBe('sales_supervisor');
    await complete(run.handle, t!.id, 'done');
    await run.result();
  });

  test('assignee from a variable, due time from a variable', async () => {
    const agentId = randomUUID();
    const def = definition(
      {
        kind: 'sequence',
        id: 'main',
        steps: [
          task('reception'),
          task('follow-up', 'sales_agent', { assignTo: { userFrom: 'reception.agentId' }, due: { atVariable: 'reception.nextVisit' } }),
        ],
      },
      {},
    );
    const run = await start(def);
    const [reception] = await openTasks(run.processId);
    const nextVisit = new Date(Number(await env.currentTimeMs()) + 5 * 24 * HOUR).toISOString();
    await complete(run.handle, reception!.id, 'done', { agentId, nextVisit });
    const [followUp] = await openTasks(run.processId);
    expect(followUp).toMatchObject({ assigneeUserId: agentId });
    expect(followUp!.dueAt.toISOString()).toBe(nextVisit);
    await complete(run.handle, followUp!.id, 'done');
    await run.result();
  });
});
