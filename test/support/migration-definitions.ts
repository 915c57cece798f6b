import type { ProcessDefinition, Step } from '../../definitions';

// Two versions of one small definition, for the migration tests (workflow, API,
// replay): version 2 adds a step before the loop (passed over by a migrated
// instance), renames `report` to `phase-report` (its open task moves), adds a
// `check` after it (runs when reached), gives the review a second approver (a
// running review starts again), and adds a parallel `notes` beside the loop's body.

const ROLES = ['sales_agent', 'sales_supervisor', 'general_manager', 'management'];

const task = (id: string, role = 'sales_agent'): Step => ({
  kind: 'task',
  id,
  title: id,
  role,
  form: [{ name: 'summary', type: 'text' }],
  due: { days: 2 },
  deadline: { escalate: [{ atFraction: 1, toRole: role === 'sales_agent' ? 'sales_supervisor' : 'general_manager' }] },
});

const review = (approvers: string[]): Step => ({
  kind: 'approval',
  id: 'review',
  title: 'review',
  approvers: approvers.map((role) => ({ role, due: { days: 1 } })),
});

export function migrationDefinition(version: 1 | 2, key = 'migrating'): ProcessDefinition {
  const body: Step =
    version === 1
      ? { kind: 'sequence', id: 'phase', steps: [task('report'), review(['sales_supervisor'])] }
      : {
          kind: 'sequence',
          id: 'phase',
          steps: [task('phase-report'), task('check', 'sales_supervisor'), review(['sales_supervisor', 'general_manager'])],
        };
  return {
    key,
    version,
    title: `Migrating v${version}`,
    roles: ROLES,
    input: [],
    events: [{ name: 'stop', payload: [] }],
    root: {
      kind: 'sequence',
      id: 'main',
      steps: [
        task('intake'),
        ...(version === 2 ? [task('kickoff', 'sales_supervisor')] : []),
        {
          kind: 'parallel',
          id: 'work',
          branches: [
            { kind: 'timer', id: 'cool-off', duration: { days: 3 } },
            { kind: 'loop', id: 'phases', maxIterations: 5, untilEvent: 'stop', body },
            ...(version === 2 ? [task('notes')] : []),
          ],
        },
        task('close-out', 'sales_supervisor'),
      ],
    },
  };
}
