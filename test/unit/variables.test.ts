import { evaluate, readPath, resolveMappings } from '../../workflows/variables';

const vars = { amount: 120000, level: 'B', reception: { agentId: 'u1', soldOut: false, tags: ['vip'] }, none: null };

test('readPath follows dotted paths and stops at non-objects', () => {
  expect(readPath(vars, 'reception.agentId')).toBe('u1');
  expect(readPath(vars, 'amount.digits')).toBeUndefined();
  expect(readPath(vars, 'missing.x')).toBeUndefined();
});

test('resolveMappings takes variables and constants', () => {
  expect(resolveMappings({ who: { var: 'reception.agentId' }, fixed: { value: 3 } }, vars)).toEqual({ who: 'u1', fixed: 3 });
});

test('resolveMappings with a list of variables takes the first one set: not missing, null or blank', () => {
  const review = { review: { data: { plan: '' } }, 'gm-review': { data: { plan: null } }, draft: { plan: 'draft' } };
  const plan = { var: ['missing.plan', 'review.data.plan', 'gm-review.data.plan', 'draft.plan'] };
  expect(resolveMappings({ plan }, review)).toEqual({ plan: 'draft' });
  expect(resolveMappings({ plan }, { ...review, review: { data: { plan: 'revised' } } })).toEqual({ plan: 'revised' });
  expect(resolveMappings({ plan: { var: ['missing.a', 'missing.b'] } }, review)).toEqual({ plan: undefined });
  // A single variable is read as it is, blank or not (as before lists existed).
  expect(resolveMappings({ plan: { var: 'review.data.plan' } }, review)).toEqual({ plan: '' });
});

test.each([
  [{ var: 'amount', op: 'gte', value: 100000 }, true],
  [{ var: 'amount', op: 'lt', value: 100000 }, false],
  [{ var: 'amount', op: 'gt', value: '100000' }, false], // different types never compare
  [{ var: 'level', op: 'in', value: ['A', 'B'] }, true],
  [{ var: 'level', op: 'eq', value: 'C' }, false],
  [{ var: 'reception.tags', op: 'eq', value: ['vip'] }, true],
  [{ var: 'none', op: 'exists' }, false],
  [{ var: 'reception.soldOut', op: 'truthy' }, false],
  [{ not: { var: 'reception.soldOut', op: 'truthy' } }, true],
  [
    {
      all: [
        { var: 'level', op: 'ne', value: 'A' },
        { var: 'amount', op: 'gt', value: 0 },
      ],
    },
    true,
  ],
  [
    {
      any: [
        { var: 'level', op: 'eq', value: 'A' },
        { var: 'missing', op: 'exists' },
      ],
    },
    false,
  ],
] as const)('%j → %s', (condition, expected) => {
  expect(evaluate(condition as never, vars)).toBe(expected);
});
