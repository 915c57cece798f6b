import type { ProcessDefinition } from '../../../types';
import * as forms from '../forms';
import { gmPolicy, managementPolicy, teamLeadPolicy } from '../policies';
import { task } from '../task';

const approverGm = { role: 'general_manager', due: { workingDays: 2 }, deadline: gmPolicy };
const approverManagement = { role: 'management', due: { workingDays: 3 }, deadline: managementPolicy };
const revise = {
  role: 'sales_supervisor',
  due: { workingDays: 2 },
  maxRounds: 3,
  form: forms.adjustedPhasePlanV2,
  record: 'adjusted-phase-plan',
  deadline: teamLeadPolicy,
};

/**
 * Version 2, superseded by version 3 (`../plan-adjustment.ts`), whose adoption task
 * and outcome carry the plan as the review left it; kept so recorded histories and
 * running instances keep their definition.
 *
 * 5.9 and §4.3.2 — a phase plan adjustment, version 2.
 *
 * From a phase summary (5.9): with the annual overall plan unchanged, the
 * supervisor submits the adjusted phase plan and its corrective measures; the
 * general manager reviews, revises and adds (revise returns it to the
 * supervisor); management confirms. From management's own correction (§4.3.2:
 * management "决定临时性修正"): the supervisor's task carries management's
 * instruction, and the general manager reviews it; management does not confirm
 * its own decision. Once confirmed, marketing takes the adjustment into its next
 * plan (5.9 → 5.10), project management adjusts the construction schedule, and
 * the sales team checks the schedule supports sales.
 *
 * Changed from version 1: the management-initiated path, the handover to
 * marketing, and a form without annual totals.
 */
export const planAdjustmentV2: ProcessDefinition = {
  key: 'plan-adjustment',
  version: 2,
  title: '阶段性计划调整 Phase plan adjustment',
  roles: ['sales_supervisor', 'general_manager', 'management', 'project_manager', 'marketing'],
  starters: ['sales_supervisor', 'general_manager', 'management'],
  input: [
    { name: 'phase', label: '阶段 Phase', type: 'integer', required: true, min: 1 },
    { name: 'reasons', label: '原因（修正性措施）Why (corrective measures)', type: 'text', required: true },
    { name: 'initiatedBy', label: '发起方 Initiated by', type: 'enum', options: ['sales', 'management'] },
    { name: 'instruction', label: '管理层指示 Management’s instruction', type: 'text' },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      task({
        id: 'adjusted-plan',
        title: '提交调整后的阶段性销售计划 Submit the adjusted phase plan',
        role: 'sales_supervisor',
        form: forms.adjustedPhasePlanV2,
        record: 'adjusted-phase-plan',
        context: { phase: { var: 'phase' }, reasons: { var: 'reasons' }, instruction: { var: 'instruction' } },
        due: { workingDays: 2 },
      }),
      {
        kind: 'decision',
        id: 'who-confirms',
        branches: [
          {
            when: { var: 'initiatedBy', op: 'eq', value: 'management' },
            step: {
              kind: 'approval',
              id: 'gm-review',
              title: '总经理审核管理层指示的调整 GM reviews the adjustment management asked for',
              approvers: [approverGm],
              form: forms.planDecision,
              record: 'plan-adjustment-decision',
              revise,
            },
          },
        ],
        otherwise: {
          kind: 'approval',
          id: 'review',
          title: '审核、修改、补充并确认 Review and confirm the adjusted plan',
          approvers: [approverGm, approverManagement],
          form: forms.planDecision,
          record: 'plan-adjustment-decision',
          revise,
        },
      },
      task({
        id: 'marketing-adoption',
        title: '营销管理部据调整制定下阶段推广 Marketing takes the adjustment into its next plan',
        role: 'marketing',
        form: forms.adjustmentAdoption,
        record: 'adjustment-adoption',
        context: { plan: { var: 'adjusted-plan.plan' }, measures: { var: 'adjusted-plan.measures' } },
        due: { workingDays: 2 },
      }),
      task({
        id: 'schedule-adjustment',
        title: '调整工程进度 Adjust the construction schedule',
        role: 'project_manager',
        form: forms.scheduleAdjustment,
        record: 'construction-schedule-adjustment',
        due: { workingDays: 5 },
      }),
      task({
        id: 'schedule-check',
        title: '监督工程进度调整 Check the schedule supports sales',
        role: 'sales_supervisor',
        form: forms.scheduleCheck,
        record: 'construction-schedule-check',
        due: { workingDays: 2 },
      }),
      // What the launch passes on to the next marketing plan (5.9 → 5.10).
      {
        kind: 'activity',
        id: 'outcome',
        activity: 'echo',
        input: { plan: { var: 'adjusted-plan.plan' }, measures: { var: 'adjusted-plan.measures' } },
      },
    ],
  },
};
