import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import {
  afterSales,
  marketingPhasePlanV1,
  orderCancellation,
  marketingExecution,
  marketingPhasePlan,
  planAdjustmentV1,
  planAdjustmentV2,
  planStudy,
  salesLaunch,
  salesLaunchV1,
  salesLaunchV2,
  salesLaunchV3,
  salesLaunchV4,
  subscriptionV1,
  twoLevelApproval,
  twoLevelApprovalV1,
  visitorReception,
  visitorReceptionV1,
  type ProcessDefinition,
} from '../../definitions';
import { completeTaskUpdate, migrateUpdate, sendEventUpdate, taskActionUpdate, type ProcessInput } from '../../workflows/messages';
import { migrationDefinition } from '../support/migration-definitions';

/** What a scenario drives: a running instance and the means to act on it. */
export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  prisma: PrismaClient;
  handle: WorkflowHandle;
  processId: string;
}

/** A recorded path through one definition. The replay test needs one per built-in. */
export interface Scenario {
  name: string;
  definition: ProcessDefinition;
  /** The input, or how to work it out from what earlier scenarios left in the database. */
  input: Record<string, unknown> | ((prisma: PrismaClient) => Promise<Record<string, unknown>>);
  /** The demo user who starts it (when the definition needs a real one, e.g. to own a customer). */
  startedBy?: string;
  /** The sub-process definitions it starts; by default the latest built-in of each key. */
  subDefinitions?: Record<string, ProcessDefinition>;
  /** `local`: bookkeeping as local activities, as the API starts instances now; absent: as before. */
  bookkeeping?: 'local';
  /** The process row written with the first task's (as the API starts instances now); absent: before. */
  registerWithFirstWrite?: true;
  drive(ctx: ScenarioContext): Promise<void>;
}

const actor = { userId: null, username: 'recorder' };

/** The open task of a process with this key prefix, once it exists. */
async function openTask(ctx: ScenarioContext, keyPrefix = '') {
  for (let i = 0; i < 400; i++) {
    const task = await ctx.prisma.task.findFirst({
      where: { processId: ctx.processId, status: 'open', taskKey: { startsWith: keyPrefix } },
      orderBy: { createdAt: 'asc' },
    });
    if (task) return task;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no open task ${keyPrefix} in ${ctx.processId}`);
}

/**
 * Completes the open task of the process tree (the process and its sub-processes)
 * whose key starts with `keyPrefix`, through the workflow that owns it.
 */
export async function completeInTree(
  ctx: ScenarioContext,
  keyPrefix: string,
  outcome: 'approve' | 'reject' | 'revise' | 'done',
  data: Record<string, unknown> = {},
) {
  for (let i = 0; i < 400; i++) {
    const task = await ctx.prisma.task.findFirst({
      where: { processId: { startsWith: ctx.processId }, status: 'open', taskKey: { startsWith: keyPrefix } },
      orderBy: { createdAt: 'asc' },
    });
    if (task) {
      await ctx.env.client.workflow
        .getHandle(task.processId)
        .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome, data, actor }] });
      return task;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no open task ${keyPrefix} under ${ctx.processId}`);
}

const complete = (
  ctx: ScenarioContext,
  taskId: string,
  outcome: 'approve' | 'reject' | 'revise' | 'done',
  data: Record<string, unknown> = {},
) => ctx.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, actor }] });

/** Every step kind in one definition, so the interpreter's whole surface has a recorded history. */
export const coverageDefinition: ProcessDefinition = {
  key: 'engine-coverage',
  version: 1,
  title: 'Every step kind',
  roles: ['sales_agent', 'sales_supervisor', 'general_manager', 'management'],
  input: [{ name: 'amount', type: 'money' }],
  events: [{ name: 'milestone', payload: [{ name: 'floor', type: 'integer' }] }],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'parallel',
        id: 'readiness',
        branches: [
          {
            kind: 'task',
            id: 'training',
            title: 'Training',
            role: 'sales_agent',
            due: { days: 1 },
            deadline: { remindAt: [0.5], escalate: [{ atFraction: 1, toRole: 'sales_supervisor' }] },
          },
          { kind: 'activity', id: 'copy', activity: 'echo', input: { amount: { var: 'amount' } } },
        ],
      },
      {
        kind: 'loop',
        id: 'phases',
        maxIterations: 2,
        while: { var: 'amount', op: 'gt', value: 0 },
        body: { kind: 'timer', id: 'week', duration: { days: 7 } },
      },
      { kind: 'event', id: 'reached', event: 'milestone', timeout: { days: 30 } },
      {
        kind: 'decision',
        id: 'route',
        branches: [
          {
            when: { var: 'copy.amount', op: 'gte', value: 1000 },
            step: {
              kind: 'approval',
              id: 'adjust',
              title: 'Adjust',
              approvers: [{ role: 'general_manager', due: { days: 1 } }],
              revise: { role: 'sales_supervisor', due: { days: 1 }, maxRounds: 2 },
            },
          },
        ],
        otherwise: { kind: 'end', id: 'small', outcome: 'completed' },
      },
      {
        kind: 'approval',
        id: 'joint',
        title: 'Joint',
        mode: 'joint',
        approvers: [
          { role: 'sales_supervisor', due: { days: 1 } },
          { role: 'general_manager', due: { days: 1 } },
        ],
      },
    ],
  },
};

/**
 * Versions 3 and 4 of the launch, one walk: the GM approves the overall plan; phase 1 with a
 * confirmed adjustment handed to marketing and a confirmed marketing plan whose execution runs
 * beside the next phase; in phase 2 management's correction (the GM alone reviews it); then
 * sold-out in the middle of the phase ends it at once.
 */
export const TWO_PHASES_INPUT = {
  overallPlan: 'Overall plan v2',
  annualUnits: 48,
  annualAmount: 96000000,
  planPhases: [{ name: 'Opening', units: 24, amount: 48000000 }],
  priceStrategy: 'open low',
  marketingBudget: 1000000,
  team: ['00000000-0000-4000-8000-000000000001'],
};

async function driveTwoPhases(ctx: ScenarioContext): Promise<void> {
  await completeInTree(ctx, 'overall-plan-approval/r1/1', 'approve', { comments: 'go' });
  await completeInTree(ctx, 'acknowledge', 'done', { overallPlanRead: true, salesManualRead: true, positioningRead: true });
  for (const key of ['engineering-training', 'sales-skills-training', 'collaboration', 'market-research'])
    await completeInTree(ctx, key, 'done');
  await completeInTree(ctx, 'launch', 'done', { launchDate: '2026-12-01' });
  await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'phase-ended', payload: {}, actor }] });
  await completeInTree(ctx, 'phases[1]/analysis', 'done', { visitors: 120, registrations: 40, deals: 8, findings: 'slow' });
  await completeInTree(ctx, 'phases[1]/customer-meeting', 'done', { attendees: ['ae', 'marketing'], minutes: 'agreed' });
  for (const key of ['ad-brief', 'event-brief', 'packaging-brief'])
    await completeInTree(ctx, `phases[1]/${key}`, 'done', { assessment: 'ok' });
  await completeInTree(ctx, 'phases[1]/phase-summary', 'done', {
    summary: 's',
    correctiveMeasures: 'cut prices on B',
    adjustPlan: true,
  });
  await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p1', measures: 'm', reasons: 'r' });
  await completeInTree(ctx, 'review/r1/1', 'approve');
  await completeInTree(ctx, 'review/r1/2', 'approve');
  await completeInTree(ctx, 'marketing-adoption', 'done', { consequences: 'more families' });
  await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'show flat first' });
  await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
  await completeInTree(ctx, 'direction', 'done', { direction: 'families' });
  await completeInTree(ctx, 'agency-plan', 'done', { agency: 'Ad Co', strategy: 's', plan: 'p' });
  await completeInTree(ctx, 'agency-review', 'done', { assessment: 'good' });
  await completeInTree(ctx, 'joint-approval/r1/1', 'approve');
  await completeInTree(ctx, 'joint-approval/r1/2', 'approve');
  await completeInTree(ctx, 'phases[1]/next-phase', 'done');
  // Phase 2 runs while phase 1's marketing is executed.
  for (const key of ['ad-release', 'events', 'channels', 'outdoor-packaging', 'site-updates'])
    await completeInTree(ctx, key, 'done', { done: 'done' });
  await completeInTree(ctx, 'completeness-check', 'done', { complete: true });
  await ctx.handle.executeUpdate(sendEventUpdate, {
    args: [{ name: 'management-correction', payload: { instruction: 'hold prices on A' }, actor }],
  });
  await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p2', measures: 'hold A', reasons: 'management' });
  await completeInTree(ctx, 'gm-review/r1/1', 'approve');
  await completeInTree(ctx, 'marketing-adoption', 'done', { consequences: 'none' });
  await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'none' });
  await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
  await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'sold-out', payload: { note: 'all sold' }, actor }] });
  await completeInTree(ctx, 'close-out', 'done', { summary: 'sold out', againstPlan: 'on plan', lessons: 'launch earlier' });
}

/** A phase's reports and its summary, which calls for an adjustment or not. */
async function phaseReports(ctx: ScenarioContext, phase: number, adjustPlan: boolean): Promise<void> {
  await completeInTree(ctx, `phases[${phase}]/analysis`, 'done', { visitors: 100, registrations: 30, deals: 6, findings: 'steady' });
  await completeInTree(ctx, `phases[${phase}]/customer-meeting`, 'done', { attendees: ['ae', 'marketing'], minutes: 'agreed' });
  for (const key of ['ad-brief', 'event-brief', 'packaging-brief'])
    await completeInTree(ctx, `phases[${phase}]/${key}`, 'done', { assessment: 'ok' });
  await completeInTree(ctx, `phases[${phase}]/phase-summary`, 'done', {
    summary: `phase ${phase}`,
    ...(adjustPlan ? { correctiveMeasures: 'cut prices on B' } : {}),
    adjustPlan,
  });
}

/** Marketing's direction, the agency's plan and marketing's review of it (5.10). */
async function marketingProposal(ctx: ScenarioContext): Promise<void> {
  await completeInTree(ctx, 'direction', 'done', { direction: 'families' });
  await completeInTree(ctx, 'agency-plan', 'done', { agency: 'Ad Co', strategy: 's', plan: 'p' });
  await completeInTree(ctx, 'agency-review', 'done', { assessment: 'good' });
}

/**
 * Version 5 of the launch (issue 25): phase 1's adjustment is sent back by the GM, revised
 * by the supervisor, amended by the GM and confirmed by management; in phase 2 management's
 * correction (the GM reviews it) and no adjustment of the phase's own, and a rejected
 * marketing plan; phase 3 without any adjustment, sold out while marketing proposes its
 * direction. `test/workflows/sales-phase-plans.test.ts` drives the same walk and checks which
 * plan each marketing task received.
 */
export async function drivePhasePlans(ctx: ScenarioContext): Promise<void> {
  await completeInTree(ctx, 'overall-plan-approval/r1/1', 'approve', { comments: 'go' });
  await completeInTree(ctx, 'acknowledge', 'done', { overallPlanRead: true, salesManualRead: true, positioningRead: true });
  for (const key of ['engineering-training', 'sales-skills-training', 'collaboration', 'market-research'])
    await completeInTree(ctx, key, 'done');
  await completeInTree(ctx, 'launch', 'done', { launchDate: '2026-12-01' });
  // Phase 1: the GM sends the draft back, the supervisor revises it, the GM amends it, management confirms.
  await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'phase-ended', payload: {}, actor }] });
  await phaseReports(ctx, 1, true);
  await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p1 draft', measures: 'm1 draft', reasons: 'r' });
  await completeInTree(ctx, 'review/r1/1', 'revise', { comments: 'add a weekly target' });
  await completeInTree(ctx, 'review/r1/revise', 'done', { plan: 'p1 revised', measures: 'm1 revised', reasons: 'r' });
  await completeInTree(ctx, 'review/r2/1', 'approve', { comments: 'one more', plan: 'p1 as the GM amended it' });
  await completeInTree(ctx, 'review/r2/2', 'approve', { comments: 'confirmed' });
  await completeInTree(ctx, 'marketing-adoption', 'done', { consequences: 'more families' });
  await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'show flat first' });
  await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
  await marketingProposal(ctx);
  await completeInTree(ctx, 'joint-approval/r1/1', 'approve');
  await completeInTree(ctx, 'joint-approval/r1/2', 'approve');
  await completeInTree(ctx, 'phases[1]/next-phase', 'done');
  for (const key of ['ad-release', 'events', 'channels', 'outdoor-packaging', 'site-updates'])
    await completeInTree(ctx, key, 'done', { done: 'done' });
  await completeInTree(ctx, 'completeness-check', 'done', { complete: true });
  // Phase 2: management's correction; the phase's summary calls for no adjustment.
  await ctx.handle.executeUpdate(sendEventUpdate, {
    args: [{ name: 'management-correction', payload: { instruction: 'hold prices on A' }, actor }],
  });
  await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p2 from management', measures: 'hold A', reasons: 'management' });
  await completeInTree(ctx, 'gm-review/r1/1', 'approve');
  await completeInTree(ctx, 'marketing-adoption', 'done', { consequences: 'none' });
  await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'none' });
  await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
  await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'phase-ended', payload: {}, actor }] });
  await phaseReports(ctx, 2, false);
  await marketingProposal(ctx);
  await completeInTree(ctx, 'joint-approval/r1/1', 'reject', { comments: 'too expensive' });
  await completeInTree(ctx, 'phases[2]/next-phase', 'done');
  // Phase 3: no adjustment; sold out while marketing works on its direction.
  await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'phase-ended', payload: {}, actor }] });
  await phaseReports(ctx, 3, false);
  await openTaskInTree(ctx, 'direction');
  await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'sold-out', payload: { note: 'all sold' }, actor }] });
  await completeInTree(ctx, 'close-out', 'done', { summary: 'sold out', againstPlan: 'on plan', lessons: 'launch earlier' });
}

/** The first approver answers late (escalated meanwhile), the second after an extension. */
async function escalatedThenApproved(ctx: ScenarioContext): Promise<void> {
  const first = await openTask(ctx);
  await ctx.env.sleep('3 days');
  await complete(ctx, first.id, 'approve', { comment: 'late but fine' });
  const second = await openTask(ctx, 'approve/r1/2');
  await ctx.handle.executeUpdate(taskActionUpdate, {
    args: [{ action: 'extend-deadline', by: { hours: 4 }, taskId: second.id, actor }],
  });
  await complete(ctx, second.id, 'approve');
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'escalated-then-approved',
    definition: twoLevelApprovalV1,
    input: { subject: 'Discount for unit 3-1201', amount: 12000 },
    drive: escalatedThenApproved,
  },
  {
    // The same path with the bookkeeping as local activities (instances started since).
    name: 'escalated-then-approved-local',
    definition: twoLevelApprovalV1,
    bookkeeping: 'local',
    input: { subject: 'Discount for unit 3-1202', amount: 15000 },
    drive: escalatedThenApproved,
  },
  {
    // The same path with the process row written with the first task's (instances started since).
    name: 'escalated-then-approved-registered-with-task',
    definition: twoLevelApprovalV1,
    bookkeeping: 'local',
    registerWithFirstWrite: true,
    input: { subject: 'Discount for unit 3-1202', amount: 15000 },
    drive: escalatedThenApproved,
  },
  {
    // Version 2 (its names in both languages): approved by both in time.
    name: 'approved',
    definition: twoLevelApproval,
    bookkeeping: 'local',
    registerWithFirstWrite: true,
    input: { subject: '车位折扣 3-1203', amount: 8000 },
    async drive(ctx) {
      const first = await openTask(ctx);
      await complete(ctx, first.id, 'approve', { comment: '同意' });
      const second = await openTask(ctx, 'approve/r1/2');
      await complete(ctx, second.id, 'approve');
    },
  },
  {
    name: 'rejected',
    definition: twoLevelApprovalV1,
    input: { subject: 'Free parking space' },
    async drive(ctx) {
      const first = await openTask(ctx);
      await complete(ctx, first.id, 'reject', { comment: 'no' });
    },
  },
  {
    name: 'all-step-kinds',
    definition: coverageDefinition,
    input: { amount: 5000 },
    async drive(ctx) {
      const training = await openTask(ctx, 'training');
      await ctx.env.sleep('30 hours');
      await complete(ctx, training.id, 'done');
      await ctx.env.sleep('15 days');
      await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'milestone', payload: { floor: 9 }, actor }] });
      const adjust = await openTask(ctx, 'adjust/r1/1');
      await complete(ctx, adjust.id, 'revise');
      const revise = await openTask(ctx, 'adjust/r1/revise');
      await complete(ctx, revise.id, 'done', { note: 'v2' });
      await complete(ctx, (await openTask(ctx, 'adjust/r2/1')).id, 'approve');
      await complete(ctx, (await openTask(ctx, 'joint/r1/1')).id, 'approve');
      await complete(ctx, (await openTask(ctx, 'joint/r1/2')).id, 'approve');
    },
  },
  {
    // Migrated to version 2 while a loop, a timer and a task run: the recorded
    // history has the migration Update, the moved task and the new version's steps
    // (its file name carries the version it ended on).
    name: 'migrated-mid-loop',
    definition: migrationDefinition(1),
    bookkeeping: 'local',
    input: {},
    async drive(ctx) {
      await complete(ctx, (await openTask(ctx, 'intake')).id, 'done');
      const report = await openTask(ctx, 'phases[1]/report');
      await ctx.env.sleep('1 day');
      await ctx.handle.executeUpdate(migrateUpdate, {
        args: [{ definition: migrationDefinition(2), subDefinitions: {}, mapping: { report: 'phase-report' }, actor }],
      });
      await complete(ctx, report.id, 'done', { summary: 'moved' });
      await complete(ctx, (await openTask(ctx, 'phases[1]/check')).id, 'done');
      await complete(ctx, (await openTask(ctx, 'phases[1]/review/r1/1')).id, 'approve');
      await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'stop', payload: {}, actor }] });
      await complete(ctx, (await openTask(ctx, 'phases[1]/review/r1/2')).id, 'approve');
      await complete(ctx, (await openTask(ctx, 'notes')).id, 'done');
      // The cool-off timer fires three days after it started (the migration kept its instant).
      await ctx.env.sleep('3 days');
      await complete(ctx, (await openTask(ctx, 'close-out')).id, 'done');
    },
  },
];

/** A unit of the demo project that is still available. */
async function freeUnit(ctx: ScenarioContext): Promise<string> {
  return (
    await ctx.prisma.unit.findFirstOrThrow({
      where: { projectId: 'DEMO', status: 'available' },
      orderBy: [{ building: 'desc' }, { floor: 'desc' }],
    })
  ).id;
}

SCENARIOS.push(
  {
    name: 'one-phase-with-adjustment',
    definition: salesLaunchV1,
    input: { overallPlan: 'Overall plan v1', approvedBy: 'GM', team: ['00000000-0000-4000-8000-000000000001'] },
    // Version 1 ran with the version 1 children it was recorded with.
    subDefinitions: {
      'plan-study@latest': planStudy,
      'plan-adjustment@latest': planAdjustmentV1,
      'marketing-phase-plan@latest': marketingPhasePlanV1,
    },
    async drive(ctx) {
      await completeInTree(ctx, 'acknowledge', 'done', { overallPlanRead: true, salesManualRead: true, positioningRead: true });
      for (const key of ['engineering-training', 'sales-skills-training', 'collaboration', 'market-research'])
        await completeInTree(ctx, key, 'done');
      await completeInTree(ctx, 'launch', 'done', { launchDate: '2026-12-01' });
      await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'phase-ended', payload: {}, actor }] });
      await completeInTree(ctx, 'phases[1]/analysis', 'done', { visitors: 120, deals: 8, findings: 'slow' });
      await completeInTree(ctx, 'phases[1]/customer-meeting', 'done', { attendees: ['ae', 'marketing'], minutes: 'agreed' });
      for (const key of ['ad-brief', 'event-brief', 'packaging-brief'])
        await completeInTree(ctx, `phases[1]/${key}`, 'done', { assessment: 'ok' });
      await completeInTree(ctx, 'phases[1]/phase-summary', 'done', {
        summary: 's',
        correctiveMeasures: 'cut prices on B',
        adjustPlan: true,
      });
      await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p1', reasons: 'r' });
      await completeInTree(ctx, 'review/r1/1', 'revise', { comments: 'add targets' });
      await completeInTree(ctx, 'review/r1/revise', 'done', { plan: 'p2', reasons: 'r' });
      await completeInTree(ctx, 'review/r2/1', 'approve');
      await completeInTree(ctx, 'review/r2/2', 'approve');
      await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'show flat first' });
      await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
      await completeInTree(ctx, 'direction', 'done', { direction: 'families' });
      await completeInTree(ctx, 'agency-plan', 'done', { agency: 'Ad Co', strategy: 's', plan: 'p' });
      await completeInTree(ctx, 'joint-approval/r1/1', 'approve');
      await completeInTree(ctx, 'joint-approval/r1/2', 'approve');
      for (const key of ['ad-release', 'events', 'channels', 'outdoor-packaging', 'site-updates'])
        await completeInTree(ctx, key, 'done', { done: 'done' });
      await completeInTree(ctx, 'completeness-check', 'done', { complete: true });
      await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'sold-out', payload: {}, actor }] });
      await completeInTree(ctx, 'phases[1]/next-phase', 'done');
      await completeInTree(ctx, 'close-out', 'done', { summary: 'sold out', lessons: 'launch earlier' });
    },
  },
  {
    // Version 2: the GM approves the overall plan; phase 1 with a confirmed adjustment
    // handed to marketing and a confirmed marketing plan whose execution runs beside
    // the next phase; in phase 2 management's correction (the GM alone reviews it);
    // then sold-out in the middle of the phase ends it at once.
    name: 'correction-then-sold-out',
    definition: salesLaunchV2,
    input: {
      overallPlan: 'Overall plan v2',
      annualUnits: 48,
      annualAmount: 96000000,
      planPhases: [{ name: 'Opening', units: 24, amount: 48000000 }],
      priceStrategy: 'open low',
      marketingBudget: 1000000,
      team: ['00000000-0000-4000-8000-000000000001'],
    },
    async drive(ctx) {
      await completeInTree(ctx, 'overall-plan-approval/r1/1', 'approve', { comments: 'go' });
      await completeInTree(ctx, 'acknowledge', 'done', { overallPlanRead: true, salesManualRead: true, positioningRead: true });
      for (const key of ['engineering-training', 'sales-skills-training', 'collaboration', 'market-research'])
        await completeInTree(ctx, key, 'done');
      await completeInTree(ctx, 'launch', 'done', { launchDate: '2026-12-01' });
      await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'phase-ended', payload: {}, actor }] });
      await completeInTree(ctx, 'phases[1]/analysis', 'done', { visitors: 120, registrations: 40, deals: 8, findings: 'slow' });
      await completeInTree(ctx, 'phases[1]/customer-meeting', 'done', { attendees: ['ae', 'marketing'], minutes: 'agreed' });
      for (const key of ['ad-brief', 'event-brief', 'packaging-brief'])
        await completeInTree(ctx, `phases[1]/${key}`, 'done', { assessment: 'ok' });
      await completeInTree(ctx, 'phases[1]/phase-summary', 'done', {
        summary: 's',
        correctiveMeasures: 'cut prices on B',
        adjustPlan: true,
      });
      await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p1', measures: 'm', reasons: 'r' });
      await completeInTree(ctx, 'review/r1/1', 'approve');
      await completeInTree(ctx, 'review/r1/2', 'approve');
      await completeInTree(ctx, 'marketing-adoption', 'done', { consequences: 'more families' });
      await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'show flat first' });
      await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
      await completeInTree(ctx, 'direction', 'done', { direction: 'families' });
      await completeInTree(ctx, 'agency-plan', 'done', { agency: 'Ad Co', strategy: 's', plan: 'p' });
      await completeInTree(ctx, 'agency-review', 'done', { assessment: 'good' });
      await completeInTree(ctx, 'joint-approval/r1/1', 'approve');
      await completeInTree(ctx, 'joint-approval/r1/2', 'approve');
      await completeInTree(ctx, 'phases[1]/next-phase', 'done');
      // Phase 2 runs while phase 1's marketing is executed.
      for (const key of ['ad-release', 'events', 'channels', 'outdoor-packaging', 'site-updates'])
        await completeInTree(ctx, key, 'done', { done: 'done' });
      await completeInTree(ctx, 'completeness-check', 'done', { complete: true });
      await ctx.handle.executeUpdate(sendEventUpdate, {
        args: [{ name: 'management-correction', payload: { instruction: 'hold prices on A' }, actor }],
      });
      await completeInTree(ctx, 'adjusted-plan', 'done', { plan: 'p2', measures: 'hold A', reasons: 'management' });
      await completeInTree(ctx, 'gm-review/r1/1', 'approve');
      await completeInTree(ctx, 'marketing-adoption', 'done', { consequences: 'none' });
      await completeInTree(ctx, 'schedule-adjustment', 'done', { changes: 'none' });
      await completeInTree(ctx, 'schedule-check', 'done', { supportsSales: true });
      await ctx.handle.executeUpdate(sendEventUpdate, { args: [{ name: 'sold-out', payload: { note: 'all sold' }, actor }] });
      await completeInTree(ctx, 'close-out', 'done', { summary: 'sold out', againstPlan: 'on plan', lessons: 'launch earlier' });
    },
  },
  {
    // Version 3 (the same walk; the analysis opens with the phase's figures).
    name: 'phase-figures',
    definition: salesLaunchV3,
    input: TWO_PHASES_INPUT,
    drive: driveTwoPhases,
  },
  {
    // Version 4 (the same walk; the three effect summaries open with their leads and deals).
    name: 'brief-figures',
    definition: salesLaunchV4,
    // Recorded with the version 2 adjustment, before version 3.
    subDefinitions: {
      'plan-study@latest': planStudy,
      'plan-adjustment@latest': planAdjustmentV2,
      'marketing-phase-plan@latest': marketingPhasePlan,
      'marketing-execution@latest': marketingExecution,
    },
    input: TWO_PHASES_INPUT,
    drive: driveTwoPhases,
  },
  {
    // Version 5 (issue 25): phases keep their values; marketing receives the plan last confirmed.
    name: 'phase-plans',
    definition: salesLaunch,
    input: TWO_PHASES_INPUT,
    drive: drivePhasePlans,
  },
  {
    name: 'registered-then-buys',
    definition: visitorReceptionV1,
    // Version 1 ran with the version 1 subscription it was recorded with.
    subDefinitions: { 'subscription@latest': subscriptionV1 },
    input: { visitorName: 'Ms Zhao', phone: '13800000000' },
    async drive(ctx) {
      await completeInTree(ctx, 'reception', 'done', { decision: 'not-yet' });
      await completeInTree(ctx, 'registration', 'done', { intentLevel: 'B', needs: '3 rooms', source: 'walk-in' });
      await ctx.env.sleep('6 days'); // overdue: the follow-up climbs to the supervisor
      await completeInTree(ctx, 'follow-ups[1]/follow-up', 'done', { result: 'continue', notes: 'called', intentLevel: 'A' });
      await completeInTree(ctx, 'follow-ups[2]/follow-up', 'done', { result: 'buy', notes: 'came back' });
      await completeInTree(ctx, 'deposit', 'done', { unitId: await freeUnit(ctx), amount: 50000, method: 'transfer' });
      await completeInTree(ctx, 'agreement', 'done', { result: 'signed', agreementNo: 'RG-1', price: 2800000 });
      await completeInTree(ctx, 'archive', 'done', { customerName: 'Ms Zhao', phone: '13800000000', paymentPlan: 'mortgage' });
      await completeInTree(ctx, 'handover', 'done', { receivedBy: 'service' });
    },
  },
  {
    name: 'buys-then-abandons',
    definition: visitorReceptionV1,
    subDefinitions: { 'subscription@latest': subscriptionV1 },
    input: { visitorName: 'Mr Sun', phone: '13900000000' },
    async drive(ctx) {
      await completeInTree(ctx, 'reception', 'done', { decision: 'buy' });
      await completeInTree(ctx, 'deposit', 'done', { unitId: await freeUnit(ctx), amount: 20000, method: 'card' });
      await completeInTree(ctx, 'agreement', 'done', { result: 'abandoned', reason: 'financing' });
      await completeInTree(ctx, 'refund', 'done', { amount: 20000, method: 'card' });
    },
  },
);

// Issue 10: a buyer through reception v2, subscription v2, contract (a discount the
// GM approves), payment schedule (one receipt late); then that contract cancelled;
// then a complaint whose resolution climbs the chain.
SCENARIOS.push(
  {
    name: 'buys-with-contract',
    bookkeeping: 'local',
    definition: visitorReception,
    input: { visitorName: 'Ms Guo', phone: '+86 139 0000 1111' },
    startedBy: 'agent',
    async drive(ctx) {
      await completeInTree(ctx, 'reception', 'done', { decision: 'buy' });
      const unitId = await freeUnit(ctx);
      const { listPrice } = await ctx.prisma.unit.findUniqueOrThrow({ where: { id: unitId } });
      const price = Number(listPrice) - 150_000;
      await completeInTree(ctx, 'deposit', 'done', { unitId, amount: 50000, method: 'transfer' });
      await completeInTree(ctx, 'agreement', 'done', {
        result: 'signed',
        agreementNo: 'RG-2',
        buyers: [{ name: 'Guo Mei', idNumber: '110101199001011234', phone: '13900001111' }],
        price,
        paymentMethod: 'mortgage',
        depositCredited: 50000,
        signingDeadline: '2026-12-20',
      });
      await completeInTree(ctx, 'archive', 'done', { household: 'couple', occupation: 'teacher', ageBand: '35-44', motive: 'school' });
      const day = 86_400_000;
      const now = Date.now();
      await completeInTree(ctx, 'terms', 'done', {
        agreedPrice: price,
        paymentMethod: 'mortgage',
        instalments: [
          { dueDate: new Date(now + day).toISOString(), amount: 1_000_000 },
          { dueDate: new Date(now + 30 * day).toISOString(), amount: price - 1_000_000 },
        ],
      });
      await completeInTree(ctx, 'gm-approval/r1/1', 'approve');
      await completeInTree(ctx, 'gm-approval/r1/2', 'approve');
      await completeInTree(ctx, 'sign', 'done', { contractNo: 'HT-2', signedAt: '2026-12-01' });
      await openTaskInTree(ctx, 'receipt');
      await ctx.env.sleep('3 days'); // the first instalment is late: its receipt climbs the chain
      await completeInTree(ctx, 'receipt', 'done', { amount: 1_000_000, method: 'transfer' });
      await completeInTree(ctx, 'receipt', 'done', { amount: price - 1_000_000, method: 'mortgage-loan' });
      await completeInTree(ctx, 'handover', 'done', { receivedBy: 'service' });
    },
  },
  {
    name: 'cancelled-after-contract',
    bookkeeping: 'local',
    definition: orderCancellation,
    input: async (prisma) => ({
      orderId: (await prisma.salesOrder.findFirstOrThrow({ where: { kind: 'contract', status: 'signed' } })).id,
      reason: 'moved away',
      refundAmount: 100000,
    }),
    async drive(ctx) {
      await completeInTree(ctx, 'contract-cancellation/r1/1', 'approve');
      await completeInTree(ctx, 'contract-cancellation/r1/2', 'approve');
      await completeInTree(ctx, 'refund', 'done', { amount: 100000, method: 'transfer' });
    },
  },
  {
    name: 'complaint-escalates',
    bookkeeping: 'local',
    definition: afterSales,
    input: async (prisma) => ({
      customerId: (await prisma.customer.findFirstOrThrow({ orderBy: { createdAt: 'asc' } })).id,
      kind: 'complaint',
      description: 'water in the basement',
    }),
    async drive(ctx) {
      const service = await ctx.prisma.user.findUniqueOrThrow({ where: { username: 'service' } });
      await completeInTree(ctx, 'assign', 'done', { assigneeId: service.id });
      await openTaskInTree(ctx, 'resolve');
      await ctx.env.sleep('3 days');
      await completeInTree(ctx, 'resolve', 'done', { resolution: 'pump repaired', customerSatisfied: true });
    },
  },
);

/** Waits for an open task of the tree, without completing it (so that time can pass on it). */
async function openTaskInTree(ctx: ScenarioContext, keyPrefix: string) {
  for (let i = 0; i < 400; i++) {
    const task = await ctx.prisma.task.findFirst({
      where: { processId: { startsWith: ctx.processId }, status: 'open', taskKey: { startsWith: keyPrefix } },
    });
    if (task) return task;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no open task ${keyPrefix} under ${ctx.processId}`);
}

/** The workflow input of a scenario's run. */
export function scenarioInput(
  scenario: Scenario,
  processId: string,
  subDefinitions: Record<string, ProcessDefinition> = {},
  resolved?: { input?: Record<string, unknown>; startedBy?: { userId: string; username: string } },
): ProcessInput {
  return {
    processId,
    projectId: 'DEMO',
    definition: scenario.definition,
    input: resolved?.input ?? (scenario.input as Record<string, unknown>),
    subDefinitions,
    ...(scenario.bookkeeping ? { bookkeeping: scenario.bookkeeping } : {}),
    ...(scenario.registerWithFirstWrite ? { registerWithFirstWrite: true } : {}),
    startedBy: resolved?.startedBy ?? { userId: '00000000-0000-4000-8000-000000000002', username: 'recorder' },
    calendar: { weekendDays: [0, 6], holidays: [], utcOffsetMinutes: 480 },
  };
}
