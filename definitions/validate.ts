import type { Condition, DeadlinePolicy, DueSpec, FieldSpec, ProcessDefinition, ValueMapping } from './types';
import { SYSTEM_SENDER } from '../domain/actor';
import { processDefinitionSchema } from './schema';
import { walkSteps } from './walk';

/** One thing wrong with a definition, with the path of what it concerns. */
export interface DefinitionProblem {
  path: string;
  message: string;
}

/** The result of {@link validateDefinition}. */
export type DefinitionValidation = { ok: true; definition: ProcessDefinition } | { ok: false; problems: DefinitionProblem[] };

/** What a definition may refer to outside itself. */
export interface ValidationContext {
  roles: readonly string[];
  /** Names of the registered activities. */
  activities: readonly string[];
  /** A sub-process definition by key and version (`undefined`: the latest). */
  findDefinition: (key: string, version?: number) => ProcessDefinition | undefined;
}

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
 * Checks a candidate definition: its shape with zod, then its meaning. Every problem
 * is reported with its path; nothing stops at the first. The semantic checks:
 * roles are declared and known, escalation targets too; step ids are unique;
 * variable references name an input field or a step; events are declared;
 * activities and sub-process definitions exist; loops have an exit; no step is
 * unreachable; forms are well-formed.
 */
export function validateDefinition(candidate: unknown, context: ValidationContext): DefinitionValidation {
  const parsed = processDefinitionSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })) };
  }
  const definition = parsed.data;
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const declared = new Set(definition.roles);
  definition.roles.forEach((role, i) => {
    if (!context.roles.includes(role)) add(`roles.${i}`, `unknown role "${role}"`);
  });
  definition.starters?.forEach((role, i) => {
    if (!context.roles.includes(role)) add(`starters.${i}`, `unknown role "${role}"`);
  });
  checkFields('input', definition.input, add);
  const events = new Set<string>();
  definition.events?.forEach((e, i) => {
    if (events.has(e.name)) add(`events.${i}.name`, `duplicate event "${e.name}"`);
    events.add(e.name);
    checkFields(`events.${i}.payload`, e.payload, add);
    e.senders?.forEach((role, j) => {
      if (role !== SYSTEM_SENDER && !context.roles.includes(role)) add(`events.${i}.senders.${j}`, `unknown role "${role}"`);
    });
  });

  const steps = walkSteps(definition.root);
  const ids = new Map<string, string>();
  for (const { step, path } of steps) {
    const earlier = ids.get(step.id);
    if (earlier !== undefined) add(`${path}.id`, `duplicate step id "${step.id}" (also at ${earlier})`);
    else ids.set(step.id, path);
  }
  const inputNames = new Set(definition.input.map((f) => f.name));
  // Besides input fields and step ids, every step may read `startedBy` (who started
  // the process) and `$process` (its id); `$item` exists only in a per-item
  // sub-process's mappings, `$form` only in a completion effect's, `$event` only
  // inside an event handler.
  const checkVar = (path: string, ref: string, scope: '$item' | '$form' | null = null) => {
    const root = ref.split('.')[0]!;
    const inHandler = root === '$event' && path.includes('.onEvent.');
    const known = inputNames.has(root) || ids.has(root) || root === 'startedBy' || root === '$process' || root === scope || inHandler;
    if (!known) add(path, `unknown variable "${ref}": not an input field${scope ? `, ${scope}` : ''} or a step id`);
  };
  const checkPaths = (path: string, refs: string | string[]) => (Array.isArray(refs) ? refs : [refs]).forEach((r) => checkVar(path, r));
  const checkRole = (path: string, role: string) => {
    if (!declared.has(role)) add(path, `role "${role}" is not declared in roles`);
  };
  const checkDue = (path: string, due: DueSpec) => {
    if ('atVariable' in due) {
      checkPaths(`${path}.atVariable`, due.atVariable);
      if (due.ifMissing && 'byValueOf' in due.ifMissing) checkPaths(`${path}.ifMissing.byValueOf`, due.ifMissing.byValueOf);
    } else if ('byValueOf' in due) {
      checkPaths(`${path}.byValueOf`, due.byValueOf);
    }
  };
  const checkDeadline = (path: string, policy: DeadlinePolicy | undefined, isApproval: boolean, owner: string) => {
    let holder = owner;
    policy?.escalate?.forEach((l, i) => {
      checkRole(`${path}.escalate.${i}.toRole`, l.toRole);
      // Escalating to the role that already holds the task reaches nobody new.
      if (l.toRole === holder) add(`${path}.escalate.${i}.toRole`, `escalates from "${holder}" to "${l.toRole}": the same role`);
      holder = l.toRole;
    });
    if (policy?.finally && !isApproval) add(`${path}.finally`, 'only approvals can decide themselves');
    const last = policy?.escalate?.[policy.escalate.length - 1];
    if (policy?.finally && last && policy.finally.atFraction <= last.atFraction)
      add(`${path}.finally.atFraction`, 'must come after the last escalation');
  };
  const checkMappings = (path: string, input: Record<string, ValueMapping> | undefined, scope: '$item' | '$form' | null) => {
    for (const [name, mapping] of Object.entries(input ?? {}))
      if ('var' in mapping) [mapping.var].flat().forEach((ref) => checkVar(`${path}.${name}.var`, ref, scope));
  };

  for (const { step, path } of steps) {
    if (step.kind === 'sequence' || step.kind === 'parallel' || step.kind === 'loop') {
      step.interruptedBy?.events.forEach((name, i) => {
        if (!events.has(name)) add(`${path}.interruptedBy.events.${i}`, `unknown event "${name}"`);
      });
      step.onEvent?.forEach((h, i) => {
        if (!events.has(h.event)) add(`${path}.onEvent.${i}.event`, `unknown event "${h.event}"`);
      });
    }
    switch (step.kind) {
      case 'task':
        checkRole(`${path}.role`, step.role);
        if (step.assignTo) checkVar(`${path}.assignTo.userFrom`, step.assignTo.userFrom);
        checkDue(`${path}.due`, step.due);
        checkDeadline(`${path}.deadline`, step.deadline, false, step.role);
        if (step.form) checkFields(`${path}.form`, step.form, add);
        checkMappings(`${path}.context`, step.context, null);
        if (step.onComplete) {
          if (!context.activities.includes(step.onComplete.activity))
            add(`${path}.onComplete.activity`, `unknown activity "${step.onComplete.activity}"`);
          checkMappings(`${path}.onComplete.input`, step.onComplete.input, '$form');
        }
        break;
      case 'approval':
        step.approvers.forEach((a, i) => {
          checkRole(`${path}.approvers.${i}.role`, a.role);
          checkDue(`${path}.approvers.${i}.due`, a.due);
          checkDeadline(`${path}.approvers.${i}.deadline`, a.deadline, true, a.role);
        });
        if (step.revise) {
          checkRole(`${path}.revise.role`, step.revise.role);
          if (step.revise.assignTo) checkVar(`${path}.revise.assignTo.userFrom`, step.revise.assignTo.userFrom);
          checkDue(`${path}.revise.due`, step.revise.due);
          checkDeadline(`${path}.revise.deadline`, step.revise.deadline, false, step.revise.role);
          if (step.revise.form) checkFields(`${path}.revise.form`, step.revise.form, add);
        }
        if (step.form) checkFields(`${path}.form`, step.form, add);
        break;
      case 'sequence': {
        const end = step.steps.findIndex((s) => s.kind === 'end');
        if (end >= 0 && end < step.steps.length - 1) {
          add(`${path}.steps.${end + 1}`, `unreachable: step "${step.steps[end + 1]!.id}" comes after an end step`);
        }
        break;
      }
      case 'decision':
        step.branches.forEach((b, i) => forEachConditionVar(b.when, (ref) => checkVar(`${path}.branches.${i}.when`, ref)));
        break;
      case 'loop':
        if (!step.while && !step.untilEvent) add(path, 'a loop needs an exit: a while condition or an untilEvent');
        if (step.while) forEachConditionVar(step.while, (ref) => checkVar(`${path}.while`, ref));
        for (const name of [step.untilEvent ?? []].flat()) if (!events.has(name)) add(`${path}.untilEvent`, `unknown event "${name}"`);
        break;
      case 'timer':
        if (!step.duration === !step.untilVariable) add(path, 'a timer needs exactly one of duration and untilVariable');
        if (step.untilVariable) checkVar(`${path}.untilVariable`, step.untilVariable);
        break;
      case 'event':
        if (!events.has(step.event)) add(`${path}.event`, `unknown event "${step.event}"`);
        break;
      case 'activity':
        if (!context.activities.includes(step.activity)) add(`${path}.activity`, `unknown activity "${step.activity}"`);
        checkMappings(`${path}.input`, step.input, null);
        break;
      case 'subprocess':
        if (step.definition === definition.key) {
          add(`${path}.definition`, 'a process cannot start itself');
        } else {
          const child = context.findDefinition(step.definition, step.version);
          if (!child) add(`${path}.definition`, `unknown definition "${step.definition}${step.version ? `@${step.version}` : ''}"`);
          const childInputs = new Set(child?.input.map((f) => f.name));
          for (const name of Object.keys(step.input ?? {})) {
            if (child && !childInputs.has(name)) add(`${path}.input.${name}`, `"${step.definition}" has no input field "${name}"`);
          }
          for (const f of child?.input ?? []) {
            if (f.required && !(f.name in (step.input ?? {})))
              add(`${path}.input`, `required input "${f.name}" of "${step.definition}" is not mapped`);
          }
        }
        if (step.forEach) checkVar(`${path}.forEach`, step.forEach);
        checkMappings(`${path}.input`, step.input, step.forEach !== undefined ? '$item' : null);
        break;
      case 'parallel':
      case 'end':
        break;
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, definition };
}

function forEachConditionVar(condition: Condition, visit: (ref: string) => void): void {
  if ('all' in condition) condition.all.forEach((c) => forEachConditionVar(c, visit));
  else if ('any' in condition) condition.any.forEach((c) => forEachConditionVar(c, visit));
  else if ('not' in condition) forEachConditionVar(condition.not, visit);
  else visit(condition.var);
}

function checkFields(path: string, fields: FieldSpec[], add: (path: string, message: string) => void): void {
  const names = new Set<string>();
  fields.forEach((f, i) => {
    if (names.has(f.name)) add(`${path}.${i}.name`, `duplicate field "${f.name}"`);
    names.add(f.name);
    if (f.type === 'enum' && !f.options) add(`${path}.${i}.options`, 'an enum field needs options');
    if (f.type !== 'enum' && f.options) add(`${path}.${i}.options`, 'only enum fields take options');
    if (f.type !== 'list' && f.of) add(`${path}.${i}.of`, 'only list fields take item fields');
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) add(`${path}.${i}.min`, 'min is greater than max');
    if (f.of) checkFields(`${path}.${i}.of`, f.of, add);
  });
}
