import type { ProcessDefinition } from '../../types';
import * as forms from './forms';
import { gmPolicy, teamLeadPolicy } from './policies';
import { task } from './task';

/**
 * 5.10 — the next phase's marketing plan, version 2. Marketing proposes the
 * promotion direction from the phase plan (and the adjustment confirmed in 5.9,
 * when there was one) and the construction milestones; the agency drafts the
 * phase strategy and plan; marketing reviews the agency's plan before it proposes
 * it (5.10: "经营销管理部审核后"); then the sales supervisor AND the general manager
 * review and revise it (a joint approval: both must approve; revise returns it to
 * marketing). Execution (5.11) is its own process, `marketing-execution`, which the
 * launch starts once this plan is confirmed, beside the next phase (5.12).
 *
 * Changed from version 1: the agency-plan review by marketing; the general
 * manager's approval escalates to management (version 1 escalated it to the GM
 * itself); execution moved out.
 */
export const marketingPhasePlan: ProcessDefinition = {
  key: 'marketing-phase-plan',
  version: 2,
  title: '阶段营销推广方案 Phase marketing plan',
  roles: ['marketing', 'sales_supervisor', 'general_manager', 'management'],
  starters: ['marketing', 'sales_supervisor'],
  input: [
    { name: 'phase', label: '阶段 Phase', type: 'integer', required: true, min: 1 },
    { name: 'adjustedPlan', label: '调整后的阶段性计划 Adjusted phase plan (5.9)', type: 'text' },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      task({
        id: 'direction',
        title: '提出下阶段推广方向 Propose the promotion direction',
        role: 'marketing',
        form: forms.promotionDirection,
        record: 'promotion-direction',
        context: { phase: { var: 'phase' }, adjustedPlan: { var: 'adjustedPlan' } },
        due: { workingDays: 3 },
      }),
      task({
        id: 'agency-plan',
        title: '广告公司拟定阶段策略与计划 The agency drafts the phase strategy and plan',
        role: 'marketing',
        form: forms.phaseMarketingPlan,
        record: 'phase-marketing-plan',
        due: { workingDays: 5 },
      }),
      task({
        id: 'agency-review',
        title: '营销管理部审核广告公司方案 Marketing reviews the agency’s plan',
        role: 'marketing',
        form: forms.agencyPlanReview,
        record: 'agency-plan-review',
        context: { strategy: { var: 'agency-plan.strategy' }, plan: { var: 'agency-plan.plan' }, budget: { var: 'agency-plan.budget' } },
        due: { workingDays: 2 },
      }),
      {
        kind: 'approval',
        id: 'joint-approval',
        title: '销售主管与总经理审核 Sales supervisor and GM approve',
        mode: 'joint',
        approvers: [
          { role: 'sales_supervisor', due: { workingDays: 2 }, deadline: teamLeadPolicy },
          { role: 'general_manager', due: { workingDays: 2 }, deadline: gmPolicy },
        ],
        form: forms.reviewComments,
        record: 'marketing-plan-decision',
        revise: {
          role: 'marketing',
          due: { workingDays: 3 },
          maxRounds: 3,
          form: forms.phaseMarketingPlan,
          record: 'phase-marketing-plan',
          deadline: teamLeadPolicy,
        },
      },
    ],
  },
};
