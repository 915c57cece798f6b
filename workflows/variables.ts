import type { Condition, ValueMapping } from '../definitions/types';

// Reading variables and evaluating declarative conditions: pure functions, safe in
// the workflow sandbox and unit-tested on their own.

/** The value at a dotted path (`reception.agentId`), or `undefined`. */
export function readPath(variables: Record<string, unknown>, path: string): unknown {
  let value: unknown = variables;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * The value of `path`; with a list, of the first path whose value is set: not
 * missing, null or a blank string (a form's optional field left empty).
 */
function firstSet(variables: Record<string, unknown>, path: string | string[]): unknown {
  if (!Array.isArray(path)) return readPath(variables, path);
  for (const p of path) {
    const value = readPath(variables, p);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** Resolves input mappings against the variables (and `$item` for a sub-process per item). */
export function resolveMappings(
  mappings: Record<string, ValueMapping> | undefined,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, mapping] of Object.entries(mappings ?? {})) {
    out[name] = 'var' in mapping ? firstSet(variables, mapping.var) : mapping.value;
  }
  return out;
}

const compare = (a: unknown, b: unknown): number | undefined => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
};

/** Evaluates a condition. Comparisons of values of different types are false. */
export function evaluate(condition: Condition, variables: Record<string, unknown>): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, variables));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, variables));
  if ('not' in condition) return !evaluate(condition.not, variables);
  const value = readPath(variables, condition.var);
  const order = compare(value, condition.value);
  switch (condition.op) {
    case 'eq':
      return JSON.stringify(value) === JSON.stringify(condition.value);
    case 'ne':
      return JSON.stringify(value) !== JSON.stringify(condition.value);
    case 'gt':
      return order !== undefined && order > 0;
    case 'gte':
      return order !== undefined && order >= 0;
    case 'lt':
      return order !== undefined && order < 0;
    case 'lte':
      return order !== undefined && order <= 0;
    case 'in':
      return Array.isArray(condition.value) && condition.value.some((v) => JSON.stringify(v) === JSON.stringify(value));
    case 'exists':
      return value !== undefined && value !== null;
    case 'truthy':
      return Boolean(value);
  }
}
