import {
  BUILT_IN_DEFINITIONS,
  formDataSchema,
  marketingPhasePlanV1,
  twoLevelApproval,
  validateDefinition,
  type ProcessDefinition,
  type ValidationContext,
} from '../../definitions';
import { ROLE_NAMES } from '../../api/permissions';
import { phaseReview } from '../../definitions/built-in/examples/phase-review';
import { BUILT_IN_STEP_ACTIVITY_NAMES } from '../../activities/registry';

const child: ProcessDefinition = {
  key: 'child',
  version: 2,
  title: 'Child',
  roles: ['sales_agent'],
  input: [{ name: 'member', type: 'string', required: true }],
  root: { kind: 'task', id: 'study', title: 'Study', role: 'sales_agent', due: { days: 1 } },
};
const context: ValidationContext = {
  roles: ROLE_NAMES,
  activities: BUILT_IN_STEP_ACTIVITY_NAMES,
  findDefinition: (key, version) =>
    [child, ...BUILT_IN_DEFINITIONS].find((d) => d.key === key && (version === undefined || d.version === version)),
};
const problemsOf = (candidate: unknown) => {
  const result = validateDefinition(candidate, context);
  return result.ok ? [] : result.problems;
};

test('the built-in definitions and the example of docs/definitions.md are valid', () => {
  for (const definition of [...BUILT_IN_DEFINITIONS, phaseReview]) {
    expect(validateDefinition(definition, context)).toEqual({ ok: true, definition });
  }
});

test('shape errors carry the path', () => {
  const problems = problemsOf({ ...twoLevelApproval, version: 0, root: { ...twoLevelApproval.root, approvers: [] } });
  expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['version', 'root.approvers']));
});

test('unknown fields are refused', () => {
  expect(
    problemsOf({ ...twoLevelApproval, colour: 'blue' })
      .map((p) => p.message)
      .join(),
  ).toMatch(/colour/);
});

test('semantic checks: unknown and undeclared roles, duplicate step ids, escalation targets, form fields', () => {
  const bad: ProcessDefinition = {
    ...twoLevelApproval,
    roles: ['sales_supervisor', 'wizard'],
    input: [
      { name: 'a', type: 'string' },
      { name: 'a', type: 'enum' },
    ],
    root: {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'task',
          id: 'one',
          title: 'One',
          role: 'sales_supervisor',
          due: { hours: 1 },
          deadline: { escalate: [{ atFraction: 1, toRole: 'general_manager' }] },
        },
        { kind: 'task', id: 'one', title: 'Again', role: 'sales_agent', due: { hours: 1 } },
      ],
    },
  };
  expect(problemsOf(bad)).toEqual(
    expect.arrayContaining([
      { path: 'roles.1', message: 'unknown role "wizard"' },
      { path: 'input.1.name', message: 'duplicate field "a"' },
      { path: 'input.1.options', message: 'an enum field needs options' },
      { path: 'root.steps.0.deadline.escalate.0.toRole', message: 'role "general_manager" is not declared in roles' },
      { path: 'root.steps.1.id', message: 'duplicate step id "one" (also at root.steps.0)' },
      { path: 'root.steps.1.role', message: 'role "sales_agent" is not declared in roles' },
    ]),
  );
});

test('escalation levels must climb', () => {
  const approval = twoLevelApproval.root as Extract<ProcessDefinition['root'], { kind: 'approval' }>;
  const bad = {
    ...twoLevelApproval,
    root: {
      ...approval,
      approvers: [
        {
          role: 'sales_supervisor',
          due: { hours: 1 },
          deadline: {
            escalate: [
              { atFraction: 2, toRole: 'management' },
              { atFraction: 1, toRole: 'general_manager' },
            ],
          },
        },
      ],
    },
  };
  expect(problemsOf(bad)).toEqual([
    { path: 'root.approvers.0.deadline.escalate', message: 'levels must be in increasing atFraction order' },
  ]);
});

test('semantic checks: variables, events, activities, sub-processes, loops, unreachable steps', () => {
  const bad = {
    key: 'checks',
    version: 1,
    title: 'Checks',
    roles: ['sales_agent'],
    input: [{ name: 'members', type: 'list' }],
    events: [{ name: 'sold-out', payload: [] }],
    root: {
      kind: 'sequence',
      id: 'main',
      steps: [
        {
          kind: 'decision',
          id: 'pick',
          branches: [{ when: { var: 'nowhere.x', op: 'truthy' }, step: { kind: 'timer', id: 't1', duration: { hours: 1 } } }],
        },
        { kind: 'loop', id: 'forever', body: { kind: 'timer', id: 't2', duration: { hours: 1 } }, maxIterations: 5 },
        { kind: 'loop', id: 'phases', body: { kind: 'event', id: 'wait', event: 'milestone' }, untilEvent: 'never', maxIterations: 5 },
        { kind: 'activity', id: 'call', activity: 'no.such', input: { a: { var: 'ghost' }, b: { var: ['members', 'spectre.x'] } } },
        {
          kind: 'subprocess',
          id: 'study',
          definition: 'child',
          forEach: 'members',
          input: { member: { var: '$item' }, colour: { value: 1 } },
        },
        { kind: 'subprocess', id: 'other', definition: 'missing' },
        {
          kind: 'task',
          id: 'late',
          title: 'Late',
          role: 'sales_agent',
          due: { atVariable: 'pick.when' },
          assignTo: { userFrom: 'nobody.id' },
        },
        { kind: 'end', id: 'stop', outcome: 'completed' },
        { kind: 'timer', id: 'after', duration: { hours: 1 } },
      ],
    },
  };
  expect(problemsOf(bad)).toEqual(
    expect.arrayContaining([
      { path: 'root.steps.0.branches.0.when', message: 'unknown variable "nowhere.x": not an input field or a step id' },
      { path: 'root.steps.1', message: 'a loop needs an exit: a while condition or an untilEvent' },
      { path: 'root.steps.2.untilEvent', message: 'unknown event "never"' },
      { path: 'root.steps.2.body.event', message: 'unknown event "milestone"' },
      { path: 'root.steps.3.activity', message: 'unknown activity "no.such"' },
      { path: 'root.steps.3.input.a.var', message: 'unknown variable "ghost": not an input field or a step id' },
      { path: 'root.steps.3.input.b.var', message: 'unknown variable "spectre.x": not an input field or a step id' },
      { path: 'root.steps.4.input.colour', message: '"child" has no input field "colour"' },
      { path: 'root.steps.5.definition', message: 'unknown definition "missing"' },
      { path: 'root.steps.6.assignTo.userFrom', message: 'unknown variable "nobody.id": not an input field or a step id' },
      { path: 'root.steps.8', message: 'unreachable: step "after" comes after an end step' },
    ]),
  );
  // `$item` is allowed only where a sub-process runs per item, and pick.when is a real step id path.
  expect(problemsOf(bad).some((p) => p.path.startsWith('root.steps.4.input.member'))).toBe(false);
  expect(problemsOf(bad).some((p) => p.path === 'root.steps.6.due.atVariable')).toBe(false);
});

test('a loop without a bound is a shape error', () => {
  const bad = {
    ...twoLevelApproval,
    root: { kind: 'loop', id: 'l', body: twoLevelApproval.root, while: { var: 'subject', op: 'truthy' } },
  };
  expect(problemsOf(bad)).toEqual([expect.objectContaining({ path: 'root.maxIterations' })]);
});

test('only approvals may decide themselves when the chain is exhausted', () => {
  const bad = {
    ...twoLevelApproval,
    root: {
      kind: 'task',
      id: 't',
      title: 'T',
      role: 'sales_supervisor',
      due: { hours: 1 },
      deadline: { finally: { atFraction: 3, action: 'auto-approve' } },
    },
  };
  expect(problemsOf(bad)).toEqual([{ path: 'root.deadline.finally', message: 'only approvals can decide themselves' }]);
});

describe('formDataSchema', () => {
  const schema = formDataSchema([
    { name: 'subject', type: 'string', required: true, max: 5 },
    { name: 'amount', type: 'number', min: 0 },
    { name: 'level', type: 'enum', options: ['A', 'B', 'C'] },
    { name: 'visitDate', type: 'date' },
    { name: 'count', type: 'integer' },
  ]);

  test('accepts valid data', () => {
    expect(schema.parse({ subject: 'abc', amount: 3.5, level: 'A', visitDate: '2026-11-27', count: 2 })).toEqual({
      subject: 'abc',
      amount: 3.5,
      level: 'A',
      visitDate: '2026-11-27',
      count: 2,
    });
  });

  test.each([
    [{}, 'subject'],
    [{ subject: '' }, 'subject'],
    [{ subject: 'toolong' }, 'subject'],
    [{ subject: 'a', amount: -1 }, 'amount'],
    [{ subject: 'a', level: 'D' }, 'level'],
    [{ subject: 'a', visitDate: '27/11/2026' }, 'visitDate'],
    [{ subject: 'a', count: 1.5 }, 'count'],
    [{ subject: 'a', other: 1 }, ''],
  ])('refuses %j at %s', (data, path) => {
    const result = schema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toBe(path);
  });
});

test('an escalation to the role that already holds the task is refused (version 1 of the marketing plan did that)', () => {
  expect(problemsOf(marketingPhasePlanV1)).toEqual([
    {
      path: 'root.steps.2.approvers.1.deadline.escalate.0.toRole',
      message: 'escalates from "general_manager" to "general_manager": the same role',
    },
  ]);
  // A later level to the role the previous level moved the task to is the same mistake.
  const twice: ProcessDefinition = {
    ...twoLevelApproval,
    root: {
      kind: 'task',
      id: 'do',
      title: 'Do',
      role: 'sales_supervisor',
      due: { days: 1 },
      deadline: {
        escalate: [
          { atFraction: 1, toRole: 'general_manager' },
          { atFraction: 2, toRole: 'general_manager' },
        ],
      },
    },
  };
  expect(problemsOf(twice).map((p) => p.path)).toEqual(['root.deadline.escalate.1.toRole']);
});

test('block events: interrupting and handled events must be declared, $event only in handlers, senders known', () => {
  const bad: ProcessDefinition = {
    ...twoLevelApproval,
    roles: ['sales_supervisor'],
    events: [{ name: 'stop', payload: [], senders: ['management', 'system', 'wizard'] }],
    root: {
      kind: 'sequence',
      id: 'main',
      interruptedBy: {
        events: ['stop', 'halt'],
        then: { kind: 'task', id: 'wrap', title: 'Wrap', role: 'sales_supervisor', due: { days: 1 } },
      },
      onEvent: [
        {
          event: 'ping',
          step: {
            kind: 'task',
            id: 'act',
            title: 'Act',
            role: 'sales_supervisor',
            due: { days: 1 },
            context: { what: { var: '$event.payload.text' } },
          },
        },
      ],
      steps: [
        { kind: 'task', id: 'work', title: 'Work', role: 'sales_supervisor', due: { days: 1 }, context: { x: { var: '$event.by' } } },
      ],
    },
  };
  expect(problemsOf(bad)).toEqual(
    expect.arrayContaining([
      { path: 'events.0.senders.2', message: 'unknown role "wizard"' },
      { path: 'root.interruptedBy.events.1', message: 'unknown event "halt"' },
      { path: 'root.onEvent.0.event', message: 'unknown event "ping"' },
      { path: 'root.steps.0.context.x.var', message: expect.stringMatching(/unknown variable "\$event.by"/) },
    ]),
  );
  // $event inside the handler and the `then` step are walked like any other step.
  const paths = problemsOf(bad).map((p) => p.path);
  expect(paths).not.toContain('root.onEvent.0.step.context.what.var');
  expect(paths).toHaveLength(4);
});
