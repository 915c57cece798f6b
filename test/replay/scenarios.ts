import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import { twoLevelApproval, type ProcessDefinition } from '../../definitions';
import { completeTaskUpdate, sendEventUpdate, taskActionUpdate, type ProcessInput } from '../../workflows/messages';

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
  input: Record<string, unknown>;
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

export const SCENARIOS: Scenario[] = [
  {
    name: 'escalated-then-approved',
    definition: twoLevelApproval,
    input: { subject: 'Discount for unit 3-1201', amount: 12000 },
    async drive(ctx) {
      const first = await openTask(ctx);
      await ctx.env.sleep('3 days');
      await complete(ctx, first.id, 'approve', { comment: 'late but fine' });
      const second = await openTask(ctx, 'approve/r1/2');
      await ctx.handle.executeUpdate(taskActionUpdate, {
        args: [{ action: 'extend-deadline', by: { hours: 4 }, taskId: second.id, actor }],
      });
      await complete(ctx, second.id, 'approve');
    },
  },
  {
    name: 'rejected',
    definition: twoLevelApproval,
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
];

/** The workflow input of a scenario's run. */
export function scenarioInput(scenario: Scenario, processId: string): ProcessInput {
  return {
    processId,
    projectId: 'DEMO',
    definition: scenario.definition,
    input: scenario.input,
    startedBy: actor,
    calendar: { weekendDays: [0, 6], holidays: [], utcOffsetMinutes: 480 },
  };
}
