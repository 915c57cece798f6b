import type { FieldSpec, ProcessDefinition, Step } from '../definitions/types';
import { stepsOnEvent, stepsWithin } from '../definitions/walk';
import type { StepStatus } from '../domain';

// Moving a running instance to another version of its definition. This module is
// pure (no Temporal, no I/O): the API runs it for a dry run from the instance's
// query state, and the workflow runs the same function when it applies the
// migration, so what the preview shows is what happens.
//
// The model: the instance keeps its variables and its open human tasks; the new
// version's step tree is walked again from the root, where every step the instance
// had finished counts as finished (under its new key), every step it was in is
// entered again, and the new version's steps that lie before where it stands are
// passed over. Tasks of plain task steps move to their new step with the same id,
// assignee, deadline and escalation level; a running approval starts again under
// the new version's approvers (its open decisions are withdrawn).

/** Old step id → new step id, or `null` for a step that is gone in the new version. */
export type StepMapping = Record<string, string | null>;

/** What the planner reads of a running instance (a subset of its query state). */
export interface MigrationState {
  steps: Record<string, StepStatus>;
  variables: Record<string, unknown>;
  tasks: { taskId: string; taskKey: string; stepId: string; title: string; status: string; escalationLevel: number }[];
}

/** One problem that stops a migration; `field` names the request field it concerns. */
export interface MigrationProblem {
  field: string;
  message: string;
}

/** A task that moves to a step of the new version, keeping its id and deadline. */
export interface MovedTask {
  taskId: string;
  title: string;
  fromKey: string;
  toKey: string;
  /** The new step's id, title, role, form and document kind: the task takes them. */
  stepId: string;
  newTitle: string;
  role: string;
  form: FieldSpec[];
  record: string | null;
}

/** What a migration does, as the dry run shows it and the workflow applies it. */
export interface MigrationPlan {
  fromVersion: number;
  toVersion: number;
  moved: MovedTask[];
  /** Open tasks withdrawn: their step is gone, or their approval starts again. */
  withdrawn: { taskId: string; title: string; key: string; reason: 'step-removed' | 'approval-restarts' }[];
  /** Running approvals that start again under the new version. */
  restarted: string[];
  /** New-version steps before where the instance stands: passed over, never run. */
  skipped: string[];
  /** New-version steps that begin as soon as the migration is applied. */
  starts: string[];
  /** Finished steps under their new keys. */
  done: Record<string, StepStatus>;
  /** Steps the instance is in, old key → new key (timers keep their instant by it). */
  active: Record<string, string>;
  /** Loops the instance is in, by new key: the iteration it resumes. */
  loops: Record<string, number>;
  /** Decisions the instance is in, by new key: the branch it stays on. */
  decisions: Record<string, number | 'otherwise'>;
  /** Step variables that move to a renamed step's id. */
  renames: { from: string; to: string }[];
  problems: MigrationProblem[];
}

interface Located {
  step: Step;
  /** Loop ancestors' ids, outermost first. */
  loops: string[];
  /** Inside an event handler or an interruption's `then` (entered only by an event). */
  byEvent: boolean;
}

/** Every step of a definition by id, with the loops around it. */
function locate(definition: ProcessDefinition): Map<string, Located> {
  const found = new Map<string, Located>();
  const visit = (step: Step, loops: string[], byEvent: boolean) => {
    found.set(step.id, { step, loops, byEvent });
    const inner = step.kind === 'loop' ? [...loops, step.id] : loops;
    for (const child of childrenOf(step)) visit(child, inner, byEvent);
    for (const { step: handler } of stepsOnEvent(step)) visit(handler, loops, true);
  };
  visit(definition.root, [], false);
  return found;
}

/** The steps a block runs in its normal course (not those events start). */
const childrenOf = (step: Step): Step[] => stepsWithin(step).map((inner) => inner.step);

const ACTIVE: ReadonlySet<StepStatus> = new Set(['running', 'waiting', 'failed']);

/** A step key's parts: the scopes around it (`loop[n]`) and the step id. */
function parseKey(key: string): { scopes: { name: string; n: number }[]; id: string } {
  const parts = key.split('/');
  const id = parts.pop()!;
  const scopes = parts.map((p) => {
    const m = /^(.*)\[(\d+)\]$/.exec(p);
    return m ? { name: m[1]!, n: Number(m[2]) } : { name: p, n: 0 };
  });
  return { scopes, id };
}

/**
 * Works out what migrating an instance in `state` from `from` to `to` with
 * `mapping` does, or the problems that stop it. Steps whose id is the same in both
 * versions map to each other unless the mapping says otherwise.
 */
export function planMigration(from: ProcessDefinition, to: ProcessDefinition, state: MigrationState, mapping: StepMapping): MigrationPlan {
  const plan: MigrationPlan = {
    fromVersion: from.version,
    toVersion: to.version,
    moved: [],
    withdrawn: [],
    restarted: [],
    skipped: [],
    starts: [],
    done: {},
    active: {},
    loops: {},
    decisions: {},
    renames: [],
    problems: [],
  };
  const problem = (field: string, message: string) => plan.problems.push({ field, message });
  if (to.key !== from.key) problem('version', `Version ${to.version} is of ${to.key}, not ${from.key}`);
  // Only forward: task keys of approvals that start again carry the new version, so they never repeat.
  if (to.version <= from.version) problem('version', `Version ${to.version} is not newer than the instance's version ${from.version}`);
  const olds = locate(from);
  const news = locate(to);

  // The mapping itself: old ids to new ids, no two onto one.
  const targets = new Map<string, string>();
  for (const [oldId, newId] of Object.entries(mapping)) {
    if (!olds.has(oldId)) problem(`mapping.${oldId}`, `Version ${from.version} has no step "${oldId}"`);
    if (newId === null) continue;
    if (!news.has(newId)) problem(`mapping.${oldId}`, `Version ${to.version} has no step "${newId}"`);
    const other = targets.get(newId);
    if (other !== undefined) problem(`mapping.${oldId}`, `"${other}" and "${oldId}" both map to "${newId}"`);
    targets.set(newId, oldId);
  }
  for (const oldId of olds.keys()) {
    const other = targets.get(oldId);
    if (!(oldId in mapping) && news.has(oldId) && other !== undefined && other !== oldId) {
      problem(
        `mapping.${other}`,
        `"${other}" maps to "${oldId}", which "${oldId}" keeps as well: map "${oldId}" to another step or to null`,
      );
    }
  }
  // A fresh step with the id of an old step that ran and was mapped elsewhere would
  // reuse that step's task keys.
  for (const [oldId, newId] of Object.entries(mapping)) {
    if (newId === oldId || !news.has(oldId) || targets.has(oldId)) continue;
    if (Object.keys(state.steps).some((k) => parseKey(k).id === oldId)) {
      problem(
        `mapping.${oldId}`,
        `"${oldId}" ran in this instance, so version ${to.version}'s new step "${oldId}" cannot take its place: give the new step another id`,
      );
    }
  }
  const mapped = (oldId: string): string | null => {
    if (oldId in mapping) return mapping[oldId] ?? null;
    return news.has(oldId) ? oldId : null;
  };

  /** An old key's new key, or why it has none. */
  const translate = (oldKey: string): { key: string } | { removed: true } | { problem: string } => {
    const { scopes, id } = parseKey(oldKey);
    if (scopes.some((s) => olds.get(s.name)?.step.kind !== 'loop')) return { problem: 'an event handler of it is running' };
    const newId = mapped(id);
    if (newId === null || !news.has(newId)) return { removed: true };
    const prefix: string[] = [];
    for (const loopId of news.get(newId)!.loops) {
      const scope = scopes.find((s) => mapped(s.name) === loopId);
      if (!scope) return { problem: `its new step "${newId}" is inside loop "${loopId}", which it is not in now` };
      prefix.push(`${loopId}[${scope.n}]/`);
    }
    if (scopes.some((s) => !news.get(newId)!.loops.includes(mapped(s.name) ?? ''))) {
      return { problem: `its new step "${newId}" is outside a loop it is in now` };
    }
    return { key: prefix.join('') + newId };
  };

  const activeNew = new Set<string>();
  for (const [oldKey, status] of Object.entries(state.steps)) {
    const { id } = parseKey(oldKey);
    const old = olds.get(id);
    if (!old) continue;
    const where = translate(oldKey);
    if (!ACTIVE.has(status)) {
      // A finished step keeps its status under its new key; one that is gone is forgotten.
      if ('key' in where) plan.done[where.key] = status;
      continue;
    }
    const field = `mapping.${id}`;
    if ('problem' in where) {
      problem(field, `Step ${oldKey} is running and cannot move: ${where.problem}`);
      continue;
    }
    if (old.byEvent) {
      problem(field, `Step ${oldKey} was started by an event: migrate when it has finished`);
      continue;
    }
    if (old.step.kind === 'activity') {
      problem(field, `Step ${oldKey} is an activity that is running or failing: migrate when it has finished`);
      continue;
    }
    if (old.step.kind === 'subprocess') {
      problem(field, `Step ${oldKey} waits for a sub-process: migrate when it has finished (or migrate the sub-process)`);
      continue;
    }
    if ('removed' in where) {
      if (!(id in mapping)) {
        problem(
          field,
          `Step ${oldKey} is running and version ${to.version} has no step "${id}": map it to a step, or to null to withdraw it`,
        );
      } else if (old.step.kind !== 'task' && old.step.kind !== 'approval' && old.step.kind !== 'timer' && old.step.kind !== 'event') {
        problem(
          field,
          `Step ${oldKey} is a running ${old.step.kind}: it cannot be removed, map it to a ${old.step.kind} of version ${to.version}`,
        );
      }
      continue;
    }
    const target = news.get(parseKey(where.key).id)!.step;
    if (target.kind !== old.step.kind) {
      problem(field, `Step ${oldKey} is a ${old.step.kind} and cannot become a ${target.kind}`);
      continue;
    }
    activeNew.add(where.key);
    plan.active[oldKey] = where.key;
    if (old.step.kind === 'loop') {
      const iteration = (state.variables[id] as { iteration?: unknown } | undefined)?.iteration;
      plan.loops[where.key] = typeof iteration === 'number' ? iteration : 1;
    }
    if (old.step.kind === 'approval') plan.restarted.push(where.key);
  }

  // Open tasks: a task step's task moves; an approval's decisions are withdrawn.
  for (const task of state.tasks) {
    if (task.status === 'completing') {
      problem('mapping', `Task "${task.title}" is being completed right now: try again in a moment`);
      continue;
    }
    if (task.status !== 'open') continue;
    const old = olds.get(task.stepId);
    if (old?.step.kind === 'approval') {
      plan.withdrawn.push({ taskId: task.taskId, title: task.title, key: task.taskKey, reason: 'approval-restarts' });
      continue;
    }
    const where = translate(task.taskKey);
    if ('key' in where) {
      const step = news.get(parseKey(where.key).id)!.step;
      if (step.kind === 'task') {
        plan.moved.push({
          taskId: task.taskId,
          title: task.title,
          fromKey: task.taskKey,
          toKey: where.key,
          stepId: step.id,
          newTitle: step.title,
          role: step.role,
          form: step.form ?? [],
          record: step.record ?? null,
        });
        continue;
      }
    }
    if ('removed' in where || 'key' in where) {
      plan.withdrawn.push({ taskId: task.taskId, title: task.title, key: task.taskKey, reason: 'step-removed' });
    }
  }

  for (const [oldId, newId] of Object.entries(mapping)) {
    if (newId !== null && newId !== oldId && oldId in state.variables) plan.renames.push({ from: oldId, to: newId });
  }

  // Walk the new version where the instance stands: what is passed over, what begins.
  const touched = (step: Step, scope: string): boolean => {
    const key = scope + step.id;
    if (plan.done[key] !== undefined || activeNew.has(key)) return true;
    const inner = step.kind === 'loop' && plan.loops[key] !== undefined ? `${scope}${step.id}[${plan.loops[key]}]/` : scope;
    return childrenOf(step).some((c) => touched(c, inner));
  };
  const enter = (step: Step, scope: string): void => {
    const key = scope + step.id;
    if (plan.done[key] !== undefined) return;
    if (!activeNew.has(key)) {
      plan.starts.push(key);
      return;
    }
    switch (step.kind) {
      case 'sequence': {
        let last = -1;
        step.steps.forEach((c, i) => {
          if (touched(c, scope)) last = i;
        });
        step.steps.forEach((c, i) => {
          if (i < last && !touched(c, scope)) plan.skipped.push(scope + c.id);
        });
        const at = step.steps[last];
        if (at && activeNew.has(scope + at.id)) enter(at, scope);
        else if (step.steps[last + 1]) enter(step.steps[last + 1]!, scope);
        break;
      }
      case 'parallel':
        for (const branch of step.branches) enter(branch, scope);
        break;
      case 'loop':
        enter(step.body, `${scope}${step.id}[${plan.loops[key]}]/`);
        break;
      case 'decision': {
        const index = step.branches.findIndex((b) => touched(b.step, scope));
        if (index >= 0) {
          plan.decisions[key] = index;
          enter(step.branches[index]!.step, scope);
        } else if (step.otherwise && touched(step.otherwise, scope)) {
          plan.decisions[key] = 'otherwise';
          enter(step.otherwise, scope);
        }
        break;
      }
      default:
        break;
    }
  };
  if (plan.problems.length === 0) {
    if (!activeNew.has(to.root.id)) problem('mapping', `The instance would not be in version ${to.version}'s root step "${to.root.id}"`);
    else enter(to.root, '');
    // A step the instance is in but the walk cannot reach (its block is not entered) would be lost.
    for (const [oldKey, newKey] of Object.entries(plan.active)) {
      if (!reachable(to.root, '', newKey, plan))
        problem(`mapping.${parseKey(oldKey).id}`, `Step ${oldKey} would move to ${newKey}, which the instance does not reach`);
    }
  }
  plan.starts = plan.starts.filter((k) => !plan.restarted.includes(k));
  return plan;
}

/** Whether the new walk, resumed by `plan`, enters `target`. */
function reachable(step: Step, scope: string, target: string, plan: MigrationPlan): boolean {
  const key = scope + step.id;
  if (key === target) return true;
  if (!Object.values(plan.active).includes(key)) return false;
  const inner = step.kind === 'loop' ? `${scope}${step.id}[${plan.loops[key]}]/` : scope;
  if (step.kind === 'decision') {
    const chosen = plan.decisions[key];
    const next = chosen === 'otherwise' ? step.otherwise : chosen === undefined ? undefined : step.branches[chosen]?.step;
    return next !== undefined && reachable(next, scope, target, plan);
  }
  return childrenOf(step).some((c) => reachable(c, inner, target, plan));
}
