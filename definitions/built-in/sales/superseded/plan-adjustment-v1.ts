import type { ProcessDefinition } from '../../../types';
import * as forms from '../forms';
import { task } from '../task';
import { gmPolicy, managementPolicy, teamLeadPolicy } from '../policies';

/**
 * Version 1, superseded by version 2 (`../plan-adjustment.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.9 and §4.3.2 — a phase plan adjustment (management may start a temporary
 * correction itself): the supervisor submits the adjusted plan with its reasons;
 * the general manager reviews, revises and adds (revise returns it to the
 * supervisor); management confirms or rejects. Once confirmed, project management
 * adjusts the construction schedule and the sales supervisor checks it is done.
 */
export const planAdjustmentV1: ProcessDefinition = {
  key: 'plan-adjustment',
  version: 1,
  title: '阶段性计划调整 Phase plan adjustment',
  roles: ['sales_supervisor', 'general_manager', 'management', 'project_manager'],
  starters: ['sales_supervisor', 'general_manager', 'management'],
  input: [
    { name: 'phase', label: 'Phase', type: 'integer', required: true, min: 1 },
    { name: 'reasons', label: 'Why (corrective measures)', type: 'text', required: true },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      task({
        id: 'adjusted-plan',
        title: '提交调整后的阶段性销售计划 Submit the adjusted phase plan',
        role: 'sales_supervisor',
        form: forms.adjustedPhasePlan,
        record: 'adjusted-phase-plan',
        due: { workingDays: 2 },
      }),
      {
        kind: 'approval',
        id: 'review',
        title: '审核、修改、补充并确认 Review and confirm the adjusted plan',
        approvers: [
          { role: 'general_manager', due: { workingDays: 2 }, deadline: gmPolicy },
          { role: 'management', due: { workingDays: 3 }, deadline: managementPolicy },
        ],
        form: forms.planDecision,
        record: 'plan-adjustment-decision',
        revise: {
          role: 'sales_supervisor',
          due: { workingDays: 2 },
          maxRounds: 3,
          form: forms.adjustedPhasePlan,
          record: 'adjusted-phase-plan',
          deadline: teamLeadPolicy,
        },
      },
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
    ],
  },
};
