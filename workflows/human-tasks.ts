import { ActivityFailure, ApplicationFailure, CancellationScope, condition, isCancellation, uuid4 } from '@temporalio/workflow';
import type { ProcessActivities } from '../activities';
import type { AssignTo, CompletionEffect, DeadlinePolicy, DueSpec, FieldSpec, Outcome } from '../definitions/types';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import { FailureTypes } from '../domain/failures';
import { addDuration, checkpoints, type Checkpoint } from './deadlines';
import type { CompleteTaskRequest, CompleteTaskResult, TaskActionRequest, TaskState } from './messages';
import { refuse, type RunState } from './run-state';
import { readPath, resolveMappings } from './variables';

/** How a human task ended for the step that waited on it. */
export type TaskEnd = { kind: 'completed'; completion: CompleteTaskRequest } | { kind: 'cancelled' };

/** What a step asks of a person: who, what form, by when, and what its completion does. */
export interface HumanTaskSpec {
  taskKey: string;
  stepId: string;
  title: string;
  role: string;
  assignTo?: AssignTo;
  outcomes: Outcome[];
  form: FieldSpec[];
  /** The kind of document the submission is kept as. */
  record?: string;
  effect?: CompletionEffect;
  /** What the person sees besides the form, already resolved. */
  context?: Record<string, unknown>;
  due: DueSpec;
  policy?: DeadlinePolicy;
  /** Called once the task exists in the workflow's state (before its row is written). */
  onCreated?: (taskId: string) => void;
}

/** A task as the run tracks it: its public state plus what only the workflow needs. */
interface RunTask extends TaskState {
  /** Set once the task's row is in the database. */
  recorded: boolean;
  /** Runs when a person completes the task; its refusal refuses the completion. */
  effect?: CompletionEffect;
  effectResult?: unknown;
  completion?: CompleteTaskRequest;
  policy?: DeadlinePolicy;
  /** Checkpoints already acted on, so a changed deadline never repeats one. */
  fired: Set<string>;
  /** Bumped whenever the deadline changes, to wake the waiting step. */
  deadlineVersion: number;
}

type DueCheckpoint = (Checkpoint & { key: string }) | { kind: 'finally'; at: number; key: string; action: 'auto-approve' | 'auto-reject' };

const checkpointKey = (p: Checkpoint) => (p.kind === 'remind' ? `remind:${p.index}` : `escalate:${p.level}`);

/**
 * The human tasks of one process: opening them, waiting on them under their
 * deadline policy (reminders, escalations, automatic decisions), completing them,
 * the actions people take on open tasks, and withdrawing them. Validators here
 * are the one place where a task's open state, outcomes and delegation are checked.
 */
export class HumanTasks {
  private readonly tasks = new Map<string, RunTask>();
  /** Open tasks a migration moves, by their new task key, until the new walk reaches their step. */
  private readonly parked = new Map<string, RunTask>();

  constructor(private readonly run: RunState) {}

  /** Every task of the run, as queries show them. */
  list(): TaskState[] {
    return [...this.tasks.values()].map((t) => publicTask(t));
  }

  /** Whether every task the run holds has its row: none is being created right now. */
  allRecorded(): boolean {
    return [...this.tasks.values()].every((t) => t.recorded);
  }

  /** The effect result a completed task's completion produced, if it had an effect. */
  effectResultOf(taskId: string): unknown {
    return this.tasks.get(taskId)?.effectResult;
  }

  /** Creates a task, waits for it under its deadline policy, and returns how it ended. */
  async open(spec: HumanTaskSpec): Promise<TaskEnd> {
    const parked = this.parked.get(spec.taskKey);
    if (parked) return this.adopt(parked, spec);
    const startedAt = Date.now();
    const dueAt = this.run.dueAt(spec.due, startedAt);
    const assigneeUserId = spec.assignTo ? (readPath(this.run.variables, spec.assignTo.userFrom) as string | undefined) : undefined;
    // The id comes from the workflow's deterministic random source, and the task is
    // in the workflow's state before its row exists: a person who sees the row and
    // completes it at once is never refused as "unknown task".
    const task: RunTask = {
      taskId: uuid4(),
      taskKey: spec.taskKey,
      stepId: spec.stepId,
      title: spec.title,
      role: spec.role,
      ...(typeof assigneeUserId === 'string' ? { assigneeUserId } : {}),
      outcomes: spec.outcomes,
      form: spec.form,
      ...(spec.context ? { context: spec.context } : {}),
      status: 'open',
      startedAt,
      dueAt,
      escalationLevel: 0,
      recorded: false,
      effect: spec.effect,
      policy: spec.policy,
      fired: new Set(),
      deadlineVersion: 0,
    };
    this.tasks.set(task.taskId, task);
    spec.onCreated?.(task.taskId);
    await this.run.acts.createTask({
      processId: this.run.processId,
      taskId: task.taskId,
      taskKey: spec.taskKey,
      stepId: spec.stepId,
      title: spec.title,
      role: spec.role,
      assigneeUserId: task.assigneeUserId ?? null,
      outcomes: spec.outcomes,
      form: spec.form,
      recordKind: spec.record ?? null,
      ...(spec.context ? { context: spec.context } : {}),
      dueAt,
      at: startedAt,
    });
    task.recorded = true;
    return this.settle(task);
  }

  /** Waits for an open task; when the walk is cut short, withdraws it, or parks it for a migration. */
  private async settle(task: RunTask): Promise<TaskEnd> {
    try {
      return await this.waitFor(task);
    } catch (err) {
      if (!isCancellation(err)) throw err;
      // A migration moves this task to a step of the new version: it stays open (even
      // with a completion on its way) until the new walk reaches that step.
      const movesTo = this.run.carry?.get(task.taskId);
      if (movesTo !== undefined && task.status !== 'cancelled') {
        this.parked.set(movesTo, task);
        throw err;
      }
      // An interrupting event cut the block short: the task is withdrawn and says why.
      // Other cancellations (an end step, the process cancelled) close it with the process.
      const reason = this.run.interruptionReason();
      if (reason !== undefined && task.status === 'open') await CancellationScope.nonCancellable(() => this.withdraw(task.taskId, reason));
      throw err;
    }
  }

  /**
   * Takes a moved task into the step of the new version that reached it: same id,
   * assignee, deadline and escalation level; the new step's title, form, document
   * kind, completion effect and deadline policy (the migration activity has already
   * written them to its row).
   */
  private adopt(task: RunTask, spec: HumanTaskSpec): Promise<TaskEnd> {
    this.parked.delete(spec.taskKey);
    Object.assign(task, {
      taskKey: spec.taskKey,
      stepId: spec.stepId,
      title: spec.title,
      form: spec.form,
      outcomes: spec.outcomes,
      effect: spec.effect,
      policy: spec.policy,
      ...(spec.context ? { context: spec.context } : {}),
    });
    // Not escalated yet: it belongs to the role the new step names.
    if (task.escalationLevel === 0) task.role = spec.role;
    task.deadlineVersion += 1;
    return this.settle(task);
  }

  /** Withdraws moved tasks that the new version's walk never reached (it ended first). */
  async withdrawParked(reason: string): Promise<void> {
    const left = [...this.parked.values()];
    this.parked.clear();
    for (const task of left) await this.withdraw(task.taskId, reason);
  }

  private async waitFor(task: RunTask): Promise<TaskEnd> {
    for (;;) {
      if (task.completion) return { kind: 'completed', completion: task.completion };
      if (task.status === 'cancelled') return { kind: 'cancelled' };
      const version = task.deadlineVersion;
      const changed = () => task.completion !== undefined || task.status === 'cancelled' || task.deadlineVersion !== version;
      // A completion in flight, or a paused deadline: wait for it to settle.
      if (task.status === 'completing' || task.pausedAt !== undefined) {
        await condition(() => changed() || (task.status === 'open' && task.pausedAt === undefined));
        continue;
      }
      const next = nextCheckpoint(task);
      if (!next) {
        // The chain is exhausted: keep waiting on the last assignee.
        await condition(changed);
        continue;
      }
      const wait = next.at - Date.now();
      // condition() returns false when the timeout passes first: the checkpoint is due.
      if (wait > 0 && (await condition(changed, wait))) continue;
      // A completion that started while we slept wins over the checkpoint.
      if (task.status !== 'open') continue;
      task.fired.add(next.key);
      if (next.kind === 'finally') {
        const outcome: Outcome = next.action === 'auto-approve' ? 'approve' : 'reject';
        task.status = 'completing';
        await this.recordCompletion(task, { taskId: task.taskId, outcome, data: {}, actor: SYSTEM_ACTOR }, `auto:${task.taskId}`);
        continue;
      }
      if (next.kind === 'remind') {
        await this.run.acts.remindTask({
          processId: this.run.processId,
          taskId: task.taskId,
          taskKey: task.taskKey,
          role: task.role,
          index: next.index,
          dueAt: task.dueAt,
          at: Date.now(),
        });
      } else {
        const fromRole = task.role;
        task.role = next.toRole;
        task.escalationLevel = next.level;
        await this.run.acts.escalateTask({
          processId: this.run.processId,
          taskId: task.taskId,
          taskKey: task.taskKey,
          fromRole,
          toRole: next.toRole,
          level: next.level,
          at: Date.now(),
        });
      }
    }
  }

  /** Validator of `completeTaskUpdate`: refuse before anything reaches history. */
  validateCompletion(request: CompleteTaskRequest): void {
    const task = this.openTask(request.taskId);
    if (request.asDelegate) {
      if (!task.delegateUserId || task.delegateUserId !== request.actor.userId)
        throw refuse(FailureTypes.actionNotAllowed, 'You are not the delegate of this task');
      return;
    }
    if (!task.outcomes.includes(request.outcome)) {
      throw refuse(
        FailureTypes.outcomeNotAllowed,
        `Outcome "${request.outcome}" is not allowed; expected one of ${task.outcomes.join(', ')}`,
      );
    }
  }

  /** Handler of `completeTaskUpdate`. */
  async complete(request: CompleteTaskRequest, actionId: string): Promise<CompleteTaskResult> {
    const task = this.tasks.get(request.taskId);
    // Two updates accepted in the same activation both passed the validator; the
    // first handler to run claims the task synchronously, the second is refused.
    if (!task || task.status !== 'open')
      throw refuse(FailureTypes.taskNotOpen, `Task ${request.taskId} is already ${task?.status ?? 'gone'}`);
    if (request.asDelegate) {
      delete task.delegateUserId;
      await this.recordAction(task, actionId, 'task.returned', request.actor, { delegateUserId: null }, { data: request.data });
      return { taskId: task.taskId, outcome: request.outcome, returnedToOwner: true };
    }
    task.status = 'completing';
    if (task.effect) {
      try {
        task.effectResult = await this.run.effects.runStepActivity({
          processId: this.run.processId,
          stepKey: `${task.taskKey}#complete`,
          activity: task.effect.activity,
          input: resolveMappings(task.effect.input, { ...this.run.variables, $form: request.data }),
        });
      } catch (err) {
        // The effect refused (say, the unit is already taken): so is the completion,
        // and the task stays open for another try.
        task.status = 'open';
        const cause = refusalIn(err);
        throw refuse(cause?.type ?? FailureTypes.effectFailed, cause?.message ?? (err as Error).message);
      }
    }
    await this.recordCompletion(task, request, actionId);
    return { taskId: task.taskId, outcome: request.outcome, returnedToOwner: false };
  }

  private async recordCompletion(task: RunTask, request: CompleteTaskRequest, requestId: string): Promise<void> {
    // The completion updates the task's row, so that row must exist first.
    await condition(() => task.recorded);
    await this.run.acts.completeTask({
      processId: this.run.processId,
      taskId: task.taskId,
      taskKey: task.taskKey,
      stepId: task.stepId,
      outcome: request.outcome,
      data: request.data,
      actor: request.actor,
      requestId,
      at: Date.now(),
    });
    task.status = 'completed';
    task.outcome = request.outcome;
    task.completedBy = request.actor;
    task.completion = request;
  }

  /** Validator of `taskActionUpdate`. */
  validateAction(request: TaskActionRequest): void {
    const task = this.openTask(request.taskId);
    switch (request.action) {
      case 'claim':
        if (task.assigneeUserId && task.assigneeUserId !== request.userId)
          throw refuse(FailureTypes.actionNotAllowed, 'The task is claimed by someone else');
        break;
      case 'release':
        if (!task.assigneeUserId) throw refuse(FailureTypes.actionNotAllowed, 'The task is not claimed');
        break;
      case 'reassign':
        if (!request.toRole && !request.toUserId) throw refuse(FailureTypes.actionNotAllowed, 'Name a role or a user to reassign to');
        if (request.toRole && !this.run.definition.roles.includes(request.toRole)) {
          throw refuse(FailureTypes.actionNotAllowed, `Role ${request.toRole} is not one of this process's roles`);
        }
        break;
      case 'delegate':
        if (task.delegateUserId) throw refuse(FailureTypes.actionNotAllowed, 'The task is already delegated');
        break;
      case 'pause-deadline':
        if (task.pausedAt !== undefined) throw refuse(FailureTypes.actionNotAllowed, 'The deadline is already paused');
        break;
      case 'resume-deadline':
        if (task.pausedAt === undefined) throw refuse(FailureTypes.actionNotAllowed, 'The deadline is not paused');
        break;
      case 'extend-deadline':
        break;
    }
  }

  /** Handler of `taskActionUpdate`: changes the state synchronously, then records it. */
  async act(request: TaskActionRequest, actionId: string): Promise<TaskState> {
    const task = this.openTask(request.taskId);
    const now = Date.now();
    let patch: TaskRowPatch;
    switch (request.action) {
      case 'claim':
        task.assigneeUserId = request.userId;
        patch = { assigneeUserId: request.userId };
        break;
      case 'release':
        delete task.assigneeUserId;
        patch = { assigneeUserId: null };
        break;
      case 'reassign':
        if (request.toRole) task.role = request.toRole;
        if (request.toUserId) task.assigneeUserId = request.toUserId;
        else delete task.assigneeUserId;
        patch = { assigneeRole: task.role, assigneeUserId: task.assigneeUserId ?? null };
        break;
      case 'delegate':
        task.delegateUserId = request.toUserId;
        patch = { delegateUserId: request.toUserId };
        break;
      case 'extend-deadline':
        task.dueAt = addDuration(task.dueAt, request.by, this.run.input.calendar);
        task.deadlineVersion += 1;
        patch = { dueAt: task.dueAt };
        break;
      case 'pause-deadline':
        task.pausedAt = now;
        task.deadlineVersion += 1;
        patch = { pausedAt: now };
        break;
      case 'resume-deadline': {
        // The paused time is given back: start and due move by it, so the fractions
        // at which reminders and escalations fall keep their meaning.
        const paused = now - task.pausedAt!;
        task.startedAt += paused;
        task.dueAt += paused;
        delete task.pausedAt;
        task.deadlineVersion += 1;
        patch = { dueAt: task.dueAt, pausedAt: null };
        break;
      }
    }
    await this.recordAction(task, actionId, `task.${request.action}`, request.actor, patch, request);
    return publicTask(task);
  }

  private async recordAction(
    task: RunTask,
    actionId: string,
    type: string,
    actor: Actor,
    patch: TaskRowPatch,
    data: unknown,
  ): Promise<void> {
    await condition(() => task.recorded);
    const { taskId: _t, actor: _a, ...details } = data as Record<string, unknown>;
    await this.run.acts.recordTaskAction({
      processId: this.run.processId,
      taskId: task.taskId,
      actionId,
      type,
      actor,
      patch,
      data: details,
      at: Date.now(),
    });
  }

  /** Withdraws an open task (a joint approval settled, an approver skipped). */
  async withdraw(taskId: string, reason: string): Promise<void> {
    const task = this.tasks.get(taskId);
    if (!task || task.status !== 'open') return;
    task.status = 'cancelled';
    await condition(() => task.recorded);
    await this.run.acts.cancelTask({ processId: this.run.processId, taskId, taskKey: task.taskKey, reason, at: Date.now() });
  }

  private openTask(taskId: string): RunTask {
    const task = this.tasks.get(taskId);
    if (!task) throw refuse(FailureTypes.taskNotFound, `Task ${taskId} is not part of this process`);
    if (task.status !== 'open') throw refuse(FailureTypes.taskNotOpen, `Task ${taskId} is already ${task.status}`);
    return task;
  }
}

/**
 * The business refusal an activity raised, wherever it sits in the failure's cause
 * chain (a remote activity wraps it once; a local one may wrap it again).
 */
function refusalIn(err: unknown): ApplicationFailure | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type) return e;
    if (!(e instanceof ActivityFailure) && !(e instanceof ApplicationFailure)) return undefined;
  }
  return undefined;
}

/** The change an action makes to a task's database row. */
type TaskRowPatch = Parameters<ProcessActivities['recordTaskAction']>[0]['patch'];

function publicTask(task: RunTask): TaskState {
  const { recorded: _r, completion: _c, policy: _p, fired: _f, deadlineVersion: _d, effect: _e, effectResult: _er, ...rest } = task;
  return { ...rest };
}

function nextCheckpoint(task: RunTask): DueCheckpoint | undefined {
  const points: DueCheckpoint[] = checkpoints(task.startedAt, task.dueAt, task.policy).map((p) => ({ ...p, key: checkpointKey(p) }));
  const fin = task.policy?.finally;
  if (fin)
    points.push({
      kind: 'finally',
      at: task.startedAt + fin.atFraction * (task.dueAt - task.startedAt),
      key: 'finally',
      action: fin.action,
    });
  return points.find((p) => !task.fired.has(p.key));
}
