import type { FieldSpec, ProcessDefinition, Step } from './types';
import { processDefinitionSchema } from './schema';

/** One thing wrong with a definition, with the path of what it concerns. */
export interface DefinitionProblem {
  path: string;
  message: string;
}

/** The result of {@link validateDefinition}. */
export type DefinitionValidation = { ok: true; definition: ProcessDefinition } | { ok: false; problems: DefinitionProblem[] };

/** Raised where a definition that must be valid is not (built-ins at start-up). */
export class InvalidDefinitionError extends Error {
  constructor(
    readonly key: string,
    readonly problems: DefinitionProblem[],
  ) {
    super(`Invalid process definition ${key}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'InvalidDefinitionError';
  }
}

/**
 * Checks a candidate definition: its shape with zod, then its meaning (roles it
 * uses are declared and known, step ids are unique, forms are well-formed).
 * Every problem is reported with its path; nothing stops at the first.
 */
export function validateDefinition(candidate: unknown, knownRoles: readonly string[]): DefinitionValidation {
  const parsed = processDefinitionSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
    };
  }
  const definition = parsed.data;
  const problems: DefinitionProblem[] = [];
  const declared = new Set(definition.roles);
  for (const [i, role] of definition.roles.entries()) {
    if (!knownRoles.includes(role)) problems.push({ path: `roles.${i}`, message: `unknown role "${role}"` });
  }
  const checkRole = (path: string, role: string): void => {
    if (!declared.has(role)) problems.push({ path, message: `role "${role}" is not declared in roles` });
  };
  checkFields('input', definition.input, problems);

  const seenIds = new Map<string, string>();
  const visit = (step: Step, path: string): void => {
    const earlier = seenIds.get(step.id);
    if (earlier !== undefined) problems.push({ path: `${path}.id`, message: `duplicate step id "${step.id}" (also at ${earlier})` });
    else seenIds.set(step.id, path);
    switch (step.kind) {
      case 'task':
        checkRole(`${path}.role`, step.role);
        step.deadline?.escalate?.forEach((l, i) => checkRole(`${path}.deadline.escalate.${i}.toRole`, l.toRole));
        if (step.form) checkFields(`${path}.form`, step.form, problems);
        break;
      case 'approval':
        step.chain.forEach((a, i) => {
          checkRole(`${path}.chain.${i}.role`, a.role);
          a.deadline?.escalate?.forEach((l, j) => checkRole(`${path}.chain.${i}.deadline.escalate.${j}.toRole`, l.toRole));
        });
        if (step.form) checkFields(`${path}.form`, step.form, problems);
        break;
      case 'sequence':
        step.steps.forEach((s, i) => visit(s, `${path}.steps.${i}`));
        break;
    }
  };
  visit(definition.root, 'root');
  return problems.length ? { ok: false, problems } : { ok: true, definition };
}

function checkFields(path: string, fields: FieldSpec[], problems: DefinitionProblem[]): void {
  const names = new Set<string>();
  fields.forEach((f, i) => {
    if (names.has(f.name)) problems.push({ path: `${path}.${i}.name`, message: `duplicate field "${f.name}"` });
    names.add(f.name);
    if (f.type === 'enum' && !f.options) problems.push({ path: `${path}.${i}.options`, message: 'an enum field needs options' });
    if (f.type !== 'enum' && f.options) problems.push({ path: `${path}.${i}.options`, message: 'only enum fields take options' });
    if (f.min !== undefined && f.max !== undefined && f.min > f.max)
      problems.push({ path: `${path}.${i}.min`, message: 'min is greater than max' });
  });
}
