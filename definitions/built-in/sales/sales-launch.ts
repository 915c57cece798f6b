import type { ProcessDefinition, Step } from '../../types';
import * as forms from './forms';
import { gmPolicy, teamLeadPolicy } from './policies';
import { task } from './task';

const readiness = (id: string, title: string, form: typeof forms.trainingRecord, record: string): Step =>
  task({ id, title, role: 'sales_supervisor', form, record, due: { workingDays: 5 } });

/**
 * 5.8 — an effect summary: since version 4 it opens with the leads and deals of the
 * channels its marketing brings in (`analytics.channelFigures`, as the task's
 * context), from the project's previous summary of its kind to now; marketing
 * reviews them, adds spend and assessment, and submits.
 */
const brief = (id: string, title: string, form: typeof forms.advertisingBrief, record: string, channels: string[]): Step => ({
  kind: 'sequence',
  id: `${id}-flow`,
  steps: [
    {
      kind: 'activity',
      id: `${id}-figures`,
      activity: 'analytics.channelFigures',
      input: { channels: { value: channels }, record: { value: record } },
    },
    task({ id, title, role: 'marketing', form, record, context: { figures: { var: `${id}-figures` } }, due: { workingDays: 3 } }),
  ],
});

/**
 * 5.1–5.13 — the project's sales launch, version 5: one per project, months long.
 *
 * Version 5: a phase's values are its own (the loop's `freshValues`): a phase
 * without an adjustment hands marketing no adjusted plan of an earlier phase. The
 * next marketing plan (5.10) receives the plan last confirmed in the phase: the
 * phase's own adjustment (as the review revised it, plan-adjustment version 3),
 * else management's correction confirmed in the phase, else none (marketing works
 * from the phase's original plan). Version 4 handed on the phase-1 adjustment
 * forever and never management's correction. Version 4 was version 3 (whose
 * analysis opens with the phase's figures) plus the three effect summaries opening
 * with their leads and deals.
 *
 * - 5.1: the supervisor starts it with the overall plan (《项目销售总体计划》) as a
 *   typed document — phases with their targets, price strategy, marketing budget —
 *   and the general manager approves it (or sends it back) before anything begins.
 * - 5.2: every team member studies the plan (one `plan-study` per member); 5.3: the
 *   four readiness items run in parallel; then the launch (开盘).
 * - Phases repeat. Each runs until the supervisor declares its end or a month has
 *   passed (5.4–5.6 happen in their own `visitor-reception` processes); then the
 *   AE's analysis and the customer meeting (5.7), the three marketing briefs (5.8),
 *   the phase summary (5.9) and, when it calls for one, a plan adjustment (5.9); the
 *   next marketing plan (5.10); once it is confirmed its execution (5.11) starts
 *   beside the next phase (5.12), which the supervisor puts into execution.
 * - A rejected adjustment or marketing plan is recorded and the phase goes on: the
 *   current plan stands, and a revised proposal can be made next phase.
 * - §4.3.2: management may send a correction at any time; it goes to the supervisor
 *   as a plan adjustment carrying management's instruction, which the general
 *   manager reviews (management does not confirm its own decision).
 * - `sold-out` (sent by the supervisor or management, or raised by the system when
 *   the last unit is sold) or `closed-by-management` ends the current phase at once:
 *   its open tasks are withdrawn, its sub-processes cancelled, and the close-out
 *   summary (5.13) follows.
 */
export const salesLaunch: ProcessDefinition = {
  key: 'sales-launch',
  version: 5,
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
  input: forms.overallPlan,
  events: [
    { name: 'phase-ended', payload: [{ name: 'note', type: 'text' }], senders: ['sales_supervisor', 'general_manager', 'management'] },
    { name: 'sold-out', payload: [{ name: 'note', type: 'text' }], senders: ['sales_supervisor', 'management', 'system'] },
    { name: 'closed-by-management', payload: [{ name: 'reason', type: 'text', required: true }], senders: ['management'] },
    {
      name: 'management-correction',
      payload: [{ name: 'instruction', label: '管理层修正指示 Management’s instruction', type: 'text', required: true, max: 8000 }],
      senders: ['management'],
    },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'approval',
        id: 'overall-plan-approval',
        title: '总经理审批《项目销售总体计划》 GM approves the overall sales plan',
        approvers: [{ role: 'general_manager', due: { workingDays: 3 }, deadline: gmPolicy }],
        form: forms.overallPlanDecision,
        record: 'overall-plan-decision',
        revise: {
          role: 'sales_supervisor',
          assignTo: { userFrom: 'startedBy.userId' },
          due: { workingDays: 2 },
          maxRounds: 3,
          form: forms.overallPlanRevision,
          record: 'overall-plan-revision',
          deadline: teamLeadPolicy,
        },
      },
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
      task({
        id: 'launch',
        title: '开盘 Launch',
        role: 'sales_supervisor',
        form: forms.launchRecord,
        record: 'launch-record',
        due: { workingDays: 5 },
      }),
      {
        kind: 'loop',
        id: 'phases',
        maxIterations: 24,
        // What a phase produced (its adjustment, management's correction, its
        // summary's call) is never read as the next phase's.
        freshValues: true,
        untilEvent: ['sold-out', 'closed-by-management'],
        interruptedBy: { events: ['sold-out', 'closed-by-management'] },
        body: {
          kind: 'sequence',
          id: 'phase',
          onEvent: [
            {
              event: 'management-correction',
              step: {
                kind: 'subprocess',
                id: 'management-correction',
                definition: 'plan-adjustment',
                continueOnReject: true,
                input: {
                  phase: { var: 'phases.iteration' },
                  reasons: { var: '$event.payload.instruction' },
                  instruction: { var: '$event.payload.instruction' },
                  initiatedBy: { value: 'management' },
                },
              },
            },
          ],
          steps: [
            { kind: 'event', id: 'phase-end', event: 'phase-ended', timeout: { days: 30 } },
            {
              kind: 'parallel',
              id: 'phase-reports',
              branches: [
                {
                  kind: 'sequence',
                  id: 'customer-analysis',
                  steps: [
                    // Version 3: the analysis opens with the phase's figures from the
                    // analytics rollups (since the project's previous analysis).
                    { kind: 'activity', id: 'analysis-figures', activity: 'analytics.phaseFigures' },
                    task({
                      id: 'analysis',
                      title: '《到访、成交客户分析》 Visitor and deal analysis',
                      role: 'sales_ae',
                      form: forms.visitorDealAnalysisV2,
                      record: 'visitor-deal-analysis',
                      context: { figures: { var: 'analysis-figures' } },
                      due: { workingDays: 3 },
                    }),
                    task({
                      id: 'customer-meeting',
                      title: '客户分析会（与营销管理部）Customer meeting with marketing',
                      role: 'sales_supervisor',
                      form: forms.meetingMinutes,
                      record: 'customer-meeting-minutes',
                      due: { workingDays: 2 },
                    }),
                  ],
                },
                // Advertising and online media; events; packaging (site signage, show
                // flat, sales office) brings walk-in visitors.
                brief(
                  'ad-brief',
                  '《广告效果分析小结》 Advertising effectiveness brief',
                  forms.advertisingBrief,
                  'advertising-effectiveness-brief',
                  ['advertising', 'online'],
                ),
                brief('event-brief', '《活动推广效果分析小结》 Event effectiveness brief', forms.eventBrief, 'event-effectiveness-brief', [
                  'event',
                ]),
                brief(
                  'packaging-brief',
                  '《包装效果分析小结》 Packaging effectiveness brief',
                  forms.packagingBrief,
                  'packaging-effectiveness-brief',
                  ['walk-in'],
                ),
              ],
            },
            task({
              id: 'phase-summary',
              title: '阶段性销售总结 Phase sales summary',
              role: 'sales_supervisor',
              form: forms.phaseSummary,
              record: 'phase-sales-summary',
              due: { workingDays: 3 },
            }),
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
                    continueOnReject: true,
                    input: {
                      phase: { var: 'phases.iteration' },
                      reasons: { var: 'phase-summary.correctiveMeasures' },
                      initiatedBy: { value: 'sales' },
                    },
                  },
                },
              ],
            },
            {
              kind: 'subprocess',
              id: 'marketing-plan',
              definition: 'marketing-phase-plan',
              continueOnReject: true,
              input: {
                phase: { var: 'phases.iteration' },
                // The phase's own adjustment is the later decision (the supervisor made it
                // knowing management's correction); a rejected one has no outcome, and
                // then the correction, if one was confirmed, stands.
                adjustedPlan: {
                  var: ['plan-adjustment.results.0.variables.outcome.plan', 'management-correction.results.0.variables.outcome.plan'],
                },
              },
            },
            {
              kind: 'decision',
              id: 'marketing-confirmed',
              branches: [
                {
                  when: { var: 'marketing-plan.results.0.status', op: 'eq', value: 'completed' },
                  step: {
                    kind: 'subprocess',
                    id: 'marketing-execution',
                    definition: 'marketing-execution',
                    wait: false,
                    input: { phase: { var: 'phases.iteration' } },
                  },
                },
              ],
            },
            task({
              id: 'next-phase',
              title: '执行下阶段销售计划 Put the next phase plan into execution',
              role: 'sales_supervisor',
              form: forms.phaseStart,
              due: { workingDays: 2 },
            }),
          ],
        },
      },
      task({
        id: 'close-out',
        title: '项目销售总结 Close-out summary',
        role: 'sales_supervisor',
        form: forms.closeOutSummaryV2,
        record: 'final-sales-summary',
        context: {
          overallPlan: { var: 'overallPlan' },
          annualUnits: { var: 'annualUnits' },
          annualAmount: { var: 'annualAmount' },
          phasesPlanned: { var: 'planPhases' },
          phasesRun: { var: 'phases.iterations' },
        },
        due: { workingDays: 10 },
      }),
    ],
  },
};
