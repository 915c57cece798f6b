import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { PrismaClient } from '../../db/client';
import { validateDefinition } from '../../definitions';
import { completeTaskUpdate, migrateUpdate, sendEventUpdate, stateQuery, type MigrateRequest } from '../../workflows/messages';
import { planMigration } from '../../workflows/migration';
import { migrationDefinition } from '../support/migration-definitions';
import { openTaskWhere, startProcess } from '../support/processes';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

// Migrating a running instance to a newer version of its definition, on the
// time-skipping server with the real activities: the dry run's plan, the moved
// task (same id, deadline and escalation), the withdrawn approval that starts
// again, the step passed over, the new step reached later, the timer that keeps
// its instant, refusals that change nothing, and the run to its end.

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let system: TimeSkippingSystem;
const actor = { userId: null, username: 'tester' };
const v1 = migrationDefinition(1, 'mig-wf');
const v2 = migrationDefinition(2, 'mig-wf');

beforeAll(async () => {
  system = await startTimeSkipping();
  ({ env, prisma } = system);
});
afterAll(() => system?.stop());

const openTask = (processId: string, taskKey: string) => openTaskWhere(prisma, { processId, taskKey });

const complete = (processId: string, taskId: string, outcome: 'done' | 'approve' = 'done') =>
  env.client.workflow.getHandle(processId).executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data: {}, actor }] });

const request = (mapping: MigrateRequest['mapping'], definition = v2): MigrateRequest => ({
  definition,
  subDefinitions: {},
  mapping,
  actor,
});

test('both versions are valid definitions', () => {
  const context = { roles: v1.roles, activities: [], findDefinition: () => undefined };
  for (const d of [v1, v2]) expect(validateDefinition(d, context)).toMatchObject({ ok: true });
});

test('a migration moves the open task, passes over what lies behind, restarts nothing else, and the run goes on in the new version', async () => {
  const { processId, handle } = await startProcess(env.client, system.taskQueue, v1);
  await complete(processId, (await openTask(processId, 'intake')).id);
  const report = await openTask(processId, 'phases[1]/report');
  // A day passes: the cool-off timer (3 days) is a day in.
  await env.sleep('1 day');

  // The dry run: what the API shows before anything changes.
  const state = await handle.query(stateQuery);
  const plan = planMigration(v1, v2, state, { report: 'phase-report' });
  expect(plan.problems).toEqual([]);
  expect(plan.moved).toEqual([
    expect.objectContaining({ taskId: report.id, fromKey: 'phases[1]/report', toKey: 'phases[1]/phase-report', newTitle: 'phase-report' }),
  ]);
  expect(plan.skipped).toEqual(['kickoff']);
  expect(plan.starts).toEqual(['notes']);
  expect(plan.withdrawn).toEqual([]);

  const summary = await handle.executeUpdate(migrateUpdate, { args: [request({ report: 'phase-report' })] });
  expect(summary).toMatchObject({ fromVersion: 1, toVersion: 2, skipped: ['kickoff'], starts: ['notes'] });

  // The task is the same task under its new step: id, deadline, status kept.
  const notes = await openTask(processId, 'notes');
  const moved = await prisma.task.findUniqueOrThrow({ where: { id: report.id } });
  expect(moved).toMatchObject({ status: 'open', taskKey: 'phases[1]/phase-report', stepId: 'phase-report', title: 'phase-report' });
  expect(moved.dueAt).toEqual(report.dueAt);
  expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).definitionVersion).toBe(2);
  expect(await prisma.task.count({ where: { processId, taskKey: 'kickoff' } })).toBe(0);
  const history = await prisma.processEvent.findFirstOrThrow({ where: { processId, type: 'process.migrated' } });
  expect(history.data).toMatchObject({
    fromVersion: 1,
    toVersion: 2,
    moved: [{ taskId: report.id, from: 'phases[1]/report', to: 'phases[1]/phase-report' }],
  });
  expect(await prisma.auditEvent.count({ where: { objectId: processId, action: 'process.migrate' } })).toBe(1);
  let live = await handle.query(stateQuery);
  expect(live.definitionVersion).toBe(2);
  expect(live.steps).toMatchObject({ intake: 'completed', kickoff: 'skipped', work: 'running', phases: 'running' });

  // The moved task keeps its deadline policy's clock: it escalates at its old due instant.
  await env.sleep('1 day');
  await env.sleep('1 minute');
  expect(await prisma.task.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({
    assigneeRole: 'sales_supervisor',
    escalationLevel: 1,
  });

  // The timer kept its instant: it fires three days after it started, not three days after the migration.
  await env.sleep('1 day');
  live = await handle.query(stateQuery);
  expect(live.steps['cool-off']).toBe('completed');
  const firedAt = (live.variables['cool-off'] as { firedAt: string }).firedAt;
  expect(new Date(firedAt).getTime() - report.createdAt.getTime()).toBeLessThan(3 * 86_400_000 + 3_600_000);

  // The new version runs on: the moved task completes, then the new `check`, then a two-approver review.
  await complete(processId, report.id);
  await complete(processId, (await openTask(processId, 'phases[1]/check')).id);
  await complete(processId, (await openTask(processId, 'phases[1]/review/r1/1')).id, 'approve');
  await complete(processId, (await openTask(processId, 'phases[1]/review/r1/2')).id, 'approve');
  await handle.executeUpdate(sendEventUpdate, { args: [{ name: 'stop', payload: {}, actor }] });
  await complete(processId, (await openTask(processId, 'phases[2]/phase-report')).id);
  await complete(processId, (await openTask(processId, 'phases[2]/check')).id);
  await complete(processId, (await openTask(processId, 'phases[2]/review/r1/1')).id, 'approve');
  await complete(processId, (await openTask(processId, 'phases[2]/review/r1/2')).id, 'approve');
  await complete(processId, notes.id);
  await complete(processId, (await openTask(processId, 'close-out')).id);
  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.variables['phase-report']).toMatchObject({ completedBy: 'tester' });
  expect(result.variables.report).toBeUndefined();
});

test('a running approval starts again under the new approvers; its open decision is withdrawn', async () => {
  const { processId, handle } = await startProcess(env.client, system.taskQueue, v1);
  await complete(processId, (await openTask(processId, 'intake')).id);
  await complete(processId, (await openTask(processId, 'phases[1]/report')).id);
  const decision = await openTask(processId, 'phases[1]/review/r1/1');

  const summary = await handle.executeUpdate(migrateUpdate, { args: [request({ report: 'phase-report' })] });
  expect(summary.withdrawn).toEqual([{ taskId: decision.id, title: 'review', key: 'phases[1]/review/r1/1', reason: 'approval-restarts' }]);
  expect(summary.restarted).toEqual(['phases[1]/review']);

  const again = await openTask(processId, 'phases[1]/review/v2/r1/1');
  expect(again.id).not.toBe(decision.id);
  expect((await prisma.task.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe('cancelled');
  const withdrawn = await prisma.processEvent.findFirstOrThrow({ where: { processId, type: 'task.cancelled', taskId: decision.id } });
  expect(withdrawn.data).toEqual({ reason: 'migrated to version 2' });
  // `check` lies before the review in version 2: the instance has passed it.
  const live = await handle.query(stateQuery);
  expect(live.steps['phases[1]/check']).toBe('skipped');
  expect(live.steps['phases[1]/phase-report']).toBe('completed');
  await complete(processId, again.id, 'approve');
  await openTask(processId, 'phases[1]/review/v2/r1/2');
  await handle.cancel();
});

test('what cannot move is refused before anything changes', async () => {
  const { processId, handle } = await startProcess(env.client, system.taskQueue, v1);
  const intake = await openTask(processId, 'intake');
  const refused = async (req: MigrateRequest) => {
    const err = await handle.executeUpdate(migrateUpdate, { args: [req] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as Error).message;
  };
  expect(await refused(request({ intake: 'nowhere' }))).toMatch(/mapping\.intake: Version 2 has no step "nowhere"/);
  expect(await refused(request({ intake: 'phases' }))).toMatch(/mapping\.intake: .*task and cannot become a loop/);
  expect(await refused(request({ intake: 'kickoff', kickoff: 'kickoff' }))).toMatch(/mapping\.kickoff: Version 1 has no step "kickoff"/);
  expect(await refused(request({}, v1))).toMatch(/version: Version 1 is not newer/);
  expect(await refused(request({}, { ...v2, key: 'other' }))).toMatch(/version: Version 2 is of other/);
  // A running block cannot be dropped.
  await complete(processId, intake.id);
  await openTask(processId, 'phases[1]/report');
  expect(await refused(request({ phases: null }))).toMatch(/mapping\.phases: .*running loop: it cannot be removed/);
  // A running step whose id is gone must be mapped, to a step or to null.
  expect(await refused(request({}))).toMatch(/mapping\.report: .*map it to a step, or to null/);

  // Nothing changed: still version 1, the task still open, no history entry.
  expect((await prisma.processInstance.findUniqueOrThrow({ where: { id: processId } })).definitionVersion).toBe(1);
  expect((await handle.query(stateQuery)).definitionVersion).toBe(1);
  expect(await prisma.processEvent.count({ where: { processId, type: 'process.migrated' } })).toBe(0);

  // Mapped to null, the open task is withdrawn and the loop's body goes on with what follows it.
  const summary = await handle.executeUpdate(migrateUpdate, { args: [request({ report: null })] });
  expect(summary.withdrawn).toEqual([expect.objectContaining({ key: 'phases[1]/report', reason: 'step-removed' })]);
  expect(summary.starts).toEqual(['phases[1]/phase-report', 'notes']);
  await openTask(processId, 'phases[1]/phase-report');
  await handle.cancel();
});
