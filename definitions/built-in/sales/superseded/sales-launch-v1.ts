import type { ProcessDefinition, Step } from '../../../types';
import * as forms from '../forms';
import { task } from '../task';
import { agentPolicy, teamLeadPolicy } from '../policies';

const readiness = (id: string, title: string, form: typeof forms.trainingRecord, record: string): Step =>
  task({ id, title, role: 'sales_supervisor', form, record, due: { workingDays: 5 } });

const brief = (id: string, title: string, record: string): Step =>
  task({ id, title, role: 'marketing', form: forms.effectivenessBrief, record, due: { workingDays: 3 } });

/**
 * Version 1, superseded by version 2 (`../sales-launch.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.1–5.13 — one per project, months long. The team studies the overall plan (one
 * sub-process per member), the four readiness items run in parallel, the project
 * launches, then phases repeat until the project is sold out or management closes
 * it: each phase ends with the AE's analysis and the customer meeting, the three
 * marketing briefs, the phase summary, a plan adjustment if the summary calls for
 * one, and the next phase's marketing plan; then the next phase starts. At the end,
 * the close-out summary. Receptions run as their own `visitor-reception` processes.
 */
export const salesLaunchV1: ProcessDefinition = {
  key: 'sales-launch',
  version: 1,
  title: '项目销售进程 Project sales launch',
  roles: [
    'sales_supervisor',
    'sales_ae',
    'marketing',
    'general_manager',
    'management',
    'sales_agent',
    'project_manager',
    'design_consultant',
  ],
  starters: ['sales_supervisor', 'management'],
  input: [
    { name: 'overallPlan', label: '《项目销售总体计划》 Overall sales plan (title and version)', type: 'string', required: true, max: 200 },
    { name: 'approvedBy', label: 'Approved by (GM)', type: 'string', required: true, max: 100 },
    { name: 'team', label: 'Team members (user ids)', type: 'list', min: 1, required: true },
  ],
  events: [
    { name: 'phase-ended', payload: [{ name: 'note', type: 'text' }] },
    { name: 'sold-out', payload: [{ name: 'note', type: 'text' }] },
    { name: 'closed-by-management', payload: [{ name: 'reason', type: 'text', required: true }] },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      { kind: 'subprocess', id: 'study', definition: 'plan-study', forEach: 'team', input: { member: { var: '$item' } } },
      {
        kind: 'parallel',
        id: 'readiness',
        branches: [
          readiness('engineering-training', '工程及设计培训 Engineering and design training', forms.trainingRecord, 'training-record'),
          readiness('sales-skills-training', '销售技巧培训 Sales-skills training', forms.trainingRecord, 'training-record'),
          readiness(
            'collaboration',
            '与设计、工程、物业约定协作 Agree collaboration',
            forms.collaborationAgreement,
            'collaboration-agreement',
          ),
          readiness('market-research', '考察竞争楼盘与市场 Visit competitors, study the market', forms.marketResearch, 'market-research'),
        ],
      },
      {
        kind: 'task',
        id: 'launch',
        title: '开盘 Launch',
        role: 'sales_supervisor',
        form: forms.launchRecord,
        record: 'launch-record',
        due: { workingDays: 5 },
        deadline: teamLeadPolicy,
      },
      {
        kind: 'loop',
        id: 'phases',
        maxIterations: 24,
        untilEvent: ['sold-out', 'closed-by-management'],
        body: {
          kind: 'sequence',
          id: 'phase',
          steps: [
            // The phase runs (receptions happen in their own processes) until the
            // supervisor declares its end, or a month has passed.
            { kind: 'event', id: 'phase-end', event: 'phase-ended', timeout: { days: 30 } },
            {
              kind: 'parallel',
              id: 'phase-reports',
              branches: [
                {
                  kind: 'sequence',
                  id: 'customer-analysis',
                  steps: [
                    {
                      kind: 'task',
                      id: 'analysis',
                      title: '《到访、成交客户分析》 Visitor and deal analysis',
                      role: 'sales_ae',
                      form: forms.visitorDealAnalysis,
                      record: 'visitor-deal-analysis',
                      due: { workingDays: 3 },
                      deadline: agentPolicy,
                    },
                    {
                      kind: 'task',
                      id: 'customer-meeting',
                      title: '客户分析会（与营销管理部）Customer meeting with marketing',
                      role: 'sales_supervisor',
                      form: forms.meetingMinutes,
                      record: 'customer-meeting-minutes',
                      due: { workingDays: 2 },
                      deadline: teamLeadPolicy,
                    },
                  ],
                },
                brief('ad-brief', '《广告效果分析小结》 Advertising effectiveness brief', 'advertising-effectiveness-brief'),
                brief('event-brief', '《活动推广效果分析小结》 Event effectiveness brief', 'event-effectiveness-brief'),
                brief('packaging-brief', '《包装效果分析小结》 Packaging effectiveness brief', 'packaging-effectiveness-brief'),
              ],
            },
            {
              kind: 'task',
              id: 'phase-summary',
              title: '阶段性销售总结 Phase sales summary',
              role: 'sales_supervisor',
              form: forms.phaseSummary,
              record: 'phase-sales-summary',
              due: { workingDays: 3 },
              deadline: teamLeadPolicy,
            },
            {
              kind: 'decision',
              id: 'needs-adjustment',
              branches: [
                {
                  when: { var: 'phase-summary.adjustPlan', op: 'truthy' },
                  step: {
                    kind: 'subprocess',
                    id: 'plan-adjustment',
                    definition: 'plan-adjustment',
                    input: { phase: { var: 'phases.iteration' }, reasons: { var: 'phase-summary.correctiveMeasures' } },
                  },
                },
              ],
            },
            { kind: 'subprocess', id: 'marketing-plan', definition: 'marketing-phase-plan', input: { phase: { var: 'phases.iteration' } } },
            {
              kind: 'task',
              id: 'next-phase',
              title: '执行下阶段销售计划 Put the next phase plan into execution',
              role: 'sales_supervisor',
              form: forms.phaseStart,
              due: { workingDays: 2 },
              deadline: teamLeadPolicy,
            },
          ],
        },
      },
      {
        kind: 'task',
        id: 'close-out',
        title: '项目销售总结 Close-out summary',
        role: 'sales_supervisor',
        form: forms.closeOutSummary,
        record: 'final-sales-summary',
        due: { workingDays: 10 },
        deadline: teamLeadPolicy,
      },
    ],
  },
};
