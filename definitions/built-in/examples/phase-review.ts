import type { ProcessDefinition } from '../../types';

/**
 * The complete example of the definition language in docs/definitions.md (not a built-in):
 * an analysis task, a decision, an approval with revise, an event wait.
 * `test/unit/definitions.test.ts` keeps it valid.
 */
export const phaseReview: ProcessDefinition = {
  key: 'phase-review',
  version: 1,
  title: 'Phase review',
  roles: ['sales_ae', 'sales_supervisor', 'general_manager', 'management'],
  input: [{ name: 'phase', type: 'integer', required: true, min: 1 }],
  events: [{ name: 'construction-milestone', payload: [{ name: 'milestone', type: 'string', required: true }] }],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'task',
        id: 'analysis',
        title: 'Visitor and deal analysis',
        role: 'sales_ae',
        form: [
          { name: 'visitors', type: 'integer', required: true, min: 0 },
          { name: 'deals', type: 'integer', required: true, min: 0 },
        ],
        due: { workingDays: 2 },
        deadline: { remindAt: [0.5], escalate: [{ atFraction: 1, toRole: 'sales_supervisor' }] },
      },
      {
        kind: 'decision',
        id: 'weak-phase',
        branches: [
          {
            when: { var: 'analysis.deals', op: 'lt', value: 10 },
            step: {
              kind: 'approval',
              id: 'adjustment',
              title: 'Adjusted phase plan',
              approvers: [
                { role: 'general_manager', due: { workingDays: 2 }, deadline: { escalate: [{ atFraction: 1, toRole: 'management' }] } },
                { role: 'management', due: { workingDays: 3 } },
              ],
              form: [{ name: 'plan', type: 'text', required: true }],
              revise: { role: 'sales_supervisor', due: { workingDays: 2 }, maxRounds: 3 },
            },
          },
        ],
      },
      { kind: 'event', id: 'milestone', event: 'construction-milestone', timeout: { days: 30 } },
    ],
  },
};
