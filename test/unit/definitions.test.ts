import { formSchema, twoLevelApproval, validateDefinition, type ProcessDefinition } from '../../definitions';
import { ROLE_NAMES } from '../../api/permissions';

const problemsOf = (candidate: unknown) => {
  const result = validateDefinition(candidate, ROLE_NAMES);
  return result.ok ? [] : result.problems;
};

test('the built-in definitions are valid', () => {
  expect(validateDefinition(twoLevelApproval, ROLE_NAMES)).toEqual({ ok: true, definition: twoLevelApproval });
});

test('shape errors carry the path', () => {
  const problems = problemsOf({ ...twoLevelApproval, version: 0, root: { ...twoLevelApproval.root, chain: [] } });
  expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['version', 'root.chain']));
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
      chain: [
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
  expect(problemsOf(bad)).toEqual([{ path: 'root.chain.0.deadline.escalate', message: 'levels must be in increasing atFraction order' }]);
});

describe('formSchema', () => {
  const schema = formSchema([
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
