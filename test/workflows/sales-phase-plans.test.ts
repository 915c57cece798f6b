import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../db/client';
import { marketingExecution, marketingPhasePlan, planAdjustment, planStudy, salesLaunch } from '../../definitions';
import type { ProcessResult } from '../../workflows/messages';
import { drivePhasePlans, TWO_PHASES_INPUT } from '../replay/scenarios';
import { startProcess } from '../support/processes';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

// Issue 25 on the time-skipping server: which plan each phase hands marketing. A file
// of its own: the launch's analytics activities count from the process's start to
// today, which a file that has skipped time ahead (sales-procedure.test.ts) would put
// in the future.

let system: TimeSkippingSystem;
let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

beforeAll(async () => {
  system = await startTimeSkipping();
  ({ env, prisma } = system);
});
afterAll(() => system?.stop());

test('marketing receives the plan as revised and confirmed in its phase, and nothing of an earlier phase', async () => {
  const { processId, handle } = await startProcess(env.client, system.taskQueue, salesLaunch, {
    input: TWO_PHASES_INPUT,
    subDefinitions: {
      'plan-study@latest': planStudy,
      'plan-adjustment@latest': planAdjustment,
      'marketing-phase-plan@latest': marketingPhasePlan,
      'marketing-execution@latest': marketingExecution,
    },
  });
  // The walk the replay scenario records: phase 1 revised by the supervisor and amended by
  // the GM; phase 2 management's correction and no adjustment of its own; phase 3 none.
  await drivePhasePlans({ env, prisma, handle, processId });
  expect((await handle.result()).status).toBe('completed');

  const contexts = async (taskKey: string) =>
    (await prisma.task.findMany({ where: { processId: { startsWith: processId }, taskKey }, orderBy: { createdAt: 'asc' } })).map((t) => ({
      phase: /phases\[(\d+)\]/.exec(t.processId)?.[1],
      context: t.context,
    }));
  // Marketing takes in the plan as the GM amended it and management confirmed it, not the draft;
  // management's correction as the supervisor wrote it up and the GM approved it.
  expect(await contexts('marketing-adoption')).toEqual([
    { phase: '1', context: { plan: 'p1 as the GM amended it', measures: 'm1 revised' } },
    { phase: '2', context: { plan: 'p2 from management', measures: 'hold A' } },
  ]);
  // 5.10 in each phase: phase 1's adjustment; phase 2 (no adjustment of its own) management's
  // correction, not phase 1's plan; phase 3 (nothing confirmed in it) no adjusted plan at all.
  expect(await contexts('direction')).toEqual([
    { phase: '1', context: { phase: 1, adjustedPlan: 'p1 as the GM amended it' } },
    { phase: '2', context: { phase: 2, adjustedPlan: 'p2 from management' } },
    { phase: '3', context: { phase: 3 } },
  ]);
  // What each adjustment hands the launch (5.9 → 5.10).
  const outcomes = await Promise.all(
    [`${processId}/phases[1]/plan-adjustment/1`, `${processId}/phases[2]/management-correction[1]/management-correction/1`].map(
      async (id) => ((await env.client.workflow.getHandle(id).result()) as ProcessResult).variables.outcome,
    ),
  );
  expect(outcomes).toEqual([
    { plan: 'p1 as the GM amended it', measures: 'm1 revised' },
    { plan: 'p2 from management', measures: 'hold A' },
  ]);
}, 120_000);
