import type { ProcessDefinition, Step } from '../../../types';
import * as forms from '../forms';
import { task } from '../task';
import { teamLeadPolicy } from '../policies';

const execution = (id: string, title: string, role = 'marketing'): Step => ({
  kind: 'task',
  id,
  title,
  role,
  form: forms.executionRecord,
  record: role === 'marketing' ? 'marketing-execution' : 'site-update',
  due: { workingDays: 10 },
  deadline: teamLeadPolicy,
});

/**
 * Version 1, superseded by version 2 (`../marketing-phase-plan.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.10–5.11 — the next phase's marketing: marketing proposes the direction and
 * records the agency's strategy and plan; the sales supervisor AND the general
 * manager must both approve (revise returns it to marketing); then execution —
 * advertising, events, channels, outdoor packaging, and the design consultant's
 * show flat, reception hall and sales path updates — and the sales team checks it
 * is complete.
 */
export const marketingPhasePlanV1: ProcessDefinition = {
  key: 'marketing-phase-plan',
  version: 1,
  title: '阶段营销推广方案 Phase marketing plan',
  roles: ['marketing', 'sales_supervisor', 'general_manager', 'management', 'design_consultant'],
  starters: ['marketing', 'sales_supervisor'],
  input: [{ name: 'phase', label: 'Phase', type: 'integer', required: true, min: 1 }],
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
        due: { workingDays: 3 },
      }),
      task({
        id: 'agency-plan',
        title: '记录广告公司的阶段策略与计划 Record the agency’s strategy and plan',
        role: 'marketing',
        form: forms.phaseMarketingPlan,
        record: 'phase-marketing-plan',
        due: { workingDays: 5 },
      }),
      {
        kind: 'approval',
        id: 'joint-approval',
        title: '销售主管与总经理审核 Sales supervisor and GM approve',
        mode: 'joint',
        approvers: [
          { role: 'sales_supervisor', due: { workingDays: 2 }, deadline: teamLeadPolicy },
          { role: 'general_manager', due: { workingDays: 2 }, deadline: teamLeadPolicy },
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
      {
        kind: 'parallel',
        id: 'execution',
        branches: [
          execution('ad-release', '广告发布 Release the advertising'),
          execution('events', '活动推广 Run the events'),
          execution('channels', '渠道建设 Build the channels'),
          execution('outdoor-packaging', '户外包装 Outdoor packaging'),
          execution('site-updates', '样板间、接待厅、销售动线更新 Show flat, reception hall, sales path', 'design_consultant'),
        ],
      },
      task({
        id: 'completeness-check',
        title: '检查执行完整性 Check execution is complete',
        role: 'sales_supervisor',
        form: forms.completenessCheck,
        record: 'execution-completeness-check',
        due: { workingDays: 2 },
      }),
    ],
  },
};
