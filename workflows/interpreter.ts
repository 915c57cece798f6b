import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  proxyActivities,
  sleep,
  uuid4,
} from '@temporalio/workflow';
import type { ProcessActivities } from '../activities';
import type {
  ActivityStep,
  ApprovalStep,
  ApproverSpec,
  AssignTo,
  CompletionEffect,
  DeadlinePolicy,
  DueSpec,
  EventStep,
  FieldSpec,
  LoopStep,
  Outcome,
  Step,
  SubprocessStep,
  TimerStep,
} from '../definitions/types';
import { addDuration, checkpoints, type Checkpoint } from './deadlines';
import {
  type ApproverChangeRequest,
  type CompleteTaskRequest,
  type CompleteTaskResult,
  type ProcessInput,
  type ProcessResult,
  type ProcessSnapshot,
  type ProcessStatus,
  type SendEventRequest,
  type StepStatus,
  type TaskActionRequest,
  type TaskState,
  FailureTypes,
  SYSTEM_ACTOR,
} from './messages';
import { evaluate, readPath, resolveMappings } from './variables';

// Activities are imported by type only: no database or Node code enters the sandbox.
// Bookkeeping activities retry until the database answers; a process must not
// lose a record because Postgres blinked.
const acts = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// Completion effects run while a person waits for the answer: a few quick attempts,
// then the completion is refused rather than left hanging.
const effects = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});

/** A step's result: whether what follows it goes on. */
type StepResult = 'completed' | 'rejected';

/** How a human task ended for the step that waited on it. */
type TaskEnd = { kind: 'completed'; completion: CompleteTaskRequest } | { kind: 'cancelled' };

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

/** A running approval, whose approvers an authorised user may change. */
interface ApprovalRun {
  approvers: ApproverSpec[];
  skipped: Set<number>;
  round: number;
  /** Task ids of the current round, by approver index. */
  openTasks: Map<number, string>;
}

/** An external event the instance received. */
interface ReceivedEvent {
  name: string;
  payload: Record<string, unknown>;
  at: number;
  consumed: boolean;
}

/** Thrown through the step tree by an `end` step. */
class ProcessEnded extends Error {
  constructor(readonly outcome: 'completed' | 'rejected') {
    super(`process ended: ${outcome}`);
  }
}

const checkpointKey = (p: Checkpoint) => (p.kind === 'remind' ? `remind:${p.index}` : `escalate:${p.level}`);

/**
 * Interprets one process definition. The state lives here, in a plain class; the
 * workflow function (`process-interpreter.ts`) only wires messages to its methods.
 * Everything here is deterministic: time is the workflow's clock, ids come from
 * the workflow's seeded random source, and all I/O goes through activities.
 */
export class Interpreter {
  status: ProcessStatus = 'running';
  readonly variables: Record<string, unknown>;
  readonly steps: Record<string, StepStatus> = {};
  readonly tasks = new Map<string, RunTask>();
  readonly events: ReceivedEvent[] = [];
  readonly approvals = new Map<string, ApprovalRun>();
  readonly failedSteps = new Map<string, string>();
  private readonly retryRequests = new Set<string>();
  private ended: ProcessEnded | undefined;

  constructor(readonly input: ProcessInput) {
    // Besides its input, every step can read who started the process and its id.
    this.variables = { ...input.input, startedBy: input.startedBy, $process: { id: input.processId, projectId: input.projectId } };
  }

  get processId(): string {
    return this.input.processId;
  }

  // ---------------------------------------------------------------- queries

  snapshot(): ProcessSnapshot {
    return {
      processId: this.processId,
      definitionKey: this.input.definition.key,
      definitionVersion: this.input.definition.version,
      status: this.status,
      // A copy, so the caller cannot change the run's state (JSON: variables are plain data).
      variables: JSON.parse(JSON.stringify(this.variables)) as Record<string, unknown>,
      steps: { ...this.steps },
      tasks: [...this.tasks.values()].map((t) => this.publicTask(t)),
      failedSteps: [...this.failedSteps.entries()].map(([stepKey, message]) => ({ stepKey, message })),
      events: this.events.map(({ name, at, consumed }) => ({ name, at, consumed })),
      approvals: Object.fromEntries(
        [...this.approvals.entries()].map(([key, a]) => [
          key,
          { approvers: a.approvers.map((x) => x.role), skipped: [...a.skipped], round: a.round },
        ]),
      ),
    };
  }

  private publicTask(task: RunTask): TaskState {
    const { recorded: _r, completion: _c, policy: _p, fired: _f, deadlineVersion: _d, effect: _e, effectResult: _er, ...rest } = task;
    return { ...rest };
  }

  // ---------------------------------------------------------------- running

  /** Runs the definition to its end and records how it ended. */
  async execute(): Promise<ProcessResult> {
    const { definition } = this.input;
    await acts.registerProcess({
      processId: this.processId,
      projectId: this.input.projectId,
      parentId: this.input.parentId ?? null,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      title: definition.title,
      input: this.input.input,
      startedBy: this.input.startedBy,
      at: Date.now(),
    });
    let result: StepResult;
    try {
      // The step tree runs in its own scope so that an `end` step can cancel every
      // branch still running (parallel siblings, waiting timers and tasks).
      const scope = new CancellationScope();
      result = await scope.run(async () => {
        try {
          return await this.run(definition.root, '');
        } catch (err) {
          if (err instanceof ProcessEnded) {
            this.ended = err;
            scope.cancel();
            return err.outcome === 'completed' ? 'completed' : 'rejected';
          }
          throw err;
        }
      });
    } catch (err) {
      if (this.ended && isCancellation(err)) {
        result = this.ended.outcome === 'completed' ? 'completed' : 'rejected';
      } else if (isCancellation(err)) {
        this.status = 'cancelled';
        // Record it even so, in a scope the cancellation cannot interrupt.
        await CancellationScope.nonCancellable(() =>
          acts.finishProcess({ processId: this.processId, status: 'cancelled', at: Date.now() }),
        );
        throw err;
      } else {
        throw err;
      }
    }
    this.status = result;
    await acts.finishProcess({ processId: this.processId, status: result, at: Date.now() });
    return { status: result, variables: this.variables };
  }

  private async run(step: Step, scope: string): Promise<StepResult> {
    const key = scope + step.id;
    this.steps[key] = 'running';
    const result = await this.runKind(step, scope, key);
    this.steps[key] = result;
    return result;
  }

  private async runKind(step: Step, scope: string, key: string): Promise<StepResult> {
    switch (step.kind) {
      case 'sequence':
        for (const child of step.steps) {
          if ((await this.run(child, scope)) === 'rejected') return 'rejected';
        }
        return 'completed';
      case 'parallel': {
        const results = await Promise.all(step.branches.map((branch) => this.run(branch, scope)));
        return results.includes('rejected') ? 'rejected' : 'completed';
      }
      case 'decision': {
        const index = step.branches.findIndex((b) => evaluate(b.when, this.variables));
        this.variables[step.id] = { branch: index >= 0 ? index : 'otherwise' };
        const chosen = index >= 0 ? step.branches[index]!.step : step.otherwise;
        return chosen ? this.run(chosen, scope) : 'completed';
      }
      case 'loop':
        return this.loop(step, scope);
      case 'task': {
        const end = await this.humanTask({
          taskKey: key,
          stepId: step.id,
          title: step.title,
          role: step.role,
          assignTo: step.assignTo,
          outcomes: ['done'],
          form: step.form ?? [],
          record: step.record,
          effect: step.onComplete,
          due: step.due,
          policy: step.deadline,
        });
        if (end.kind === 'cancelled') return 'rejected';
        const { data, actor } = end.completion;
        const effect = this.tasks.get(end.completion.taskId)?.effectResult;
        this.variables[step.id] = {
          ...data,
          completedBy: actor.username,
          completedById: actor.userId,
          ...(effect !== undefined ? { effect } : {}),
        };
        return 'completed';
      }
      case 'approval':
        return this.approval(step, key);
      case 'timer':
        return this.timer(step, key);
      case 'event':
        return this.waitForEvent(step, key);
      case 'activity':
        return this.activity(step, key);
      case 'subprocess':
        return this.subprocess(step, key);
      case 'end':
        throw new ProcessEnded(step.outcome);
    }
  }

  private async loop(step: LoopStep, scope: string): Promise<StepResult> {
    let iteration = 0;
    let exit: 'condition' | 'event' | 'bound' = 'bound';
    while (iteration < step.maxIterations) {
      if (step.while && !evaluate(step.while, this.variables)) {
        exit = 'condition';
        break;
      }
      const untilEvents = [step.untilEvent ?? []].flat();
      if (this.events.some((e) => untilEvents.includes(e.name))) {
        exit = 'event';
        break;
      }
      iteration += 1;
      this.variables[step.id] = { iteration };
      // Each iteration has its own scope, so its tasks and step states are its own.
      // A rejection inside one iteration ends that iteration, not the loop.
      await this.run(step.body, `${scope}${step.id}[${iteration}]/`);
    }
    this.variables[step.id] = { iterations: iteration, exit };
    return 'completed';
  }

  private async timer(step: TimerStep, key: string): Promise<StepResult> {
    const now = Date.now();
    const until = step.duration ? addDuration(now, step.duration, this.input.calendar) : this.instantOf(step.untilVariable!);
    this.steps[key] = 'waiting';
    if (until > now) await sleep(until - now);
    this.variables[step.id] = { firedAt: new Date(Date.now()).toISOString() };
    return 'completed';
  }

  private async waitForEvent(step: EventStep, key: string): Promise<StepResult> {
    this.steps[key] = 'waiting';
    const pending = () => this.events.find((e) => e.name === step.event && !e.consumed);
    const timeout = step.timeout ? addDuration(Date.now(), step.timeout, this.input.calendar) - Date.now() : undefined;
    const arrived =
      timeout === undefined
        ? (await condition(() => pending() !== undefined), true)
        : await condition(() => pending() !== undefined, timeout);
    const event = arrived ? pending() : undefined;
    if (event) {
      event.consumed = true;
      this.variables[step.id] = { received: true, payload: event.payload, at: new Date(event.at).toISOString() };
    } else {
      this.variables[step.id] = { received: false, timedOut: true };
    }
    return 'completed';
  }

  /**
   * Calls a registered activity. When it has failed `maxAttempts` times the step
   * shows as failed and the process as failing, and it waits for a retry: a
   * failing activity is never silently stuck, nor silently skipped.
   */
  private async activity(step: ActivityStep, key: string): Promise<StepResult> {
    const call = proxyActivities<ProcessActivities>({
      startToCloseTimeout: '1 minute',
      retry: { maximumAttempts: step.maxAttempts ?? 3, initialInterval: '1 second', backoffCoefficient: 2 },
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const input = resolveMappings(step.input, this.variables);
        this.variables[step.id] = await call.runStepActivity({ processId: this.processId, stepKey: key, activity: step.activity, input });
        return 'completed';
      } catch (err) {
        if (isCancellation(err)) throw err;
        const message = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
        this.failedSteps.set(key, message);
        this.steps[key] = 'failed';
        this.status = 'failing';
        await acts.recordStepFailure({ processId: this.processId, stepKey: key, attempt, message, at: Date.now() });
        await condition(() => this.retryRequests.has(key));
        this.retryRequests.delete(key);
        this.failedSteps.delete(key);
        this.steps[key] = 'running';
        if (this.failedSteps.size === 0) this.status = 'running';
      }
    }
  }

  private async subprocess(step: SubprocessStep, key: string): Promise<StepResult> {
    const ref = `${step.definition}@${step.version ?? 'latest'}`;
    const definition = this.input.subDefinitions?.[ref];
    if (!definition) throw ApplicationFailure.nonRetryable(`Sub-process definition ${ref} was not resolved at start`, 'MissingDefinition');
    const items: unknown[] = step.forEach ? ((readPath(this.variables, step.forEach) as unknown[] | undefined) ?? []) : [undefined];
    this.steps[key] = 'waiting';
    const results = await Promise.all(
      items.map(async (item, i) => {
        const childId = `${this.processId}/${key}/${i + 1}`;
        const result = await executeChild('processInterpreter', {
          workflowId: childId,
          args: [
            {
              processId: childId,
              projectId: this.input.projectId,
              definition,
              input: resolveMappings(step.input, { ...this.variables, $item: item }),
              startedBy: this.input.startedBy,
              calendar: this.input.calendar,
              subDefinitions: this.input.subDefinitions,
              parentId: this.processId,
            } satisfies ProcessInput,
          ],
        });
        return { processId: childId, ...(result as ProcessResult) };
      }),
    );
    this.variables[step.id] = { results };
    return results.every((r) => r.status === 'completed') ? 'completed' : 'rejected';
  }

  // ---------------------------------------------------------------- approvals

  private async approval(step: ApprovalStep, key: string): Promise<StepResult> {
    const run: ApprovalRun = { approvers: [...step.approvers], skipped: new Set(), round: 1, openTasks: new Map() };
    this.approvals.set(key, run);
    const decisions: { round: number; role: string; outcome: Outcome; by: string; data: Record<string, unknown> }[] = [];
    const data: Record<string, unknown> = {};
    const publish = (outcome?: string) => {
      this.variables[step.id] = { ...(outcome ? { outcome } : {}), rounds: run.round, decisions: [...decisions], data: { ...data } };
    };
    for (;;) {
      const canRevise = step.revise !== undefined && run.round <= step.revise.maxRounds;
      const outcomes: Outcome[] = canRevise ? ['approve', 'reject', 'revise'] : ['approve', 'reject'];
      const decide = async (index: number): Promise<Outcome | 'skipped'> => {
        const approver = run.approvers[index]!;
        const end = await this.humanTask({
          taskKey: `${key}/r${run.round}/${index + 1}`,
          stepId: step.id,
          title: step.title,
          role: approver.role,
          outcomes,
          form: step.form ?? [],
          record: step.record,
          due: approver.due,
          policy: approver.deadline,
          onCreated: (taskId) => run.openTasks.set(index, taskId),
        });
        run.openTasks.delete(index);
        if (end.kind === 'cancelled') return 'skipped';
        const c = end.completion;
        decisions.push({ round: run.round, role: approver.role, outcome: c.outcome, by: c.actor.username, data: c.data });
        Object.assign(data, c.data);
        publish();
        return c.outcome;
      };

      let verdict: 'approve' | 'reject' | 'revise' = 'approve';
      if (step.mode === 'joint') {
        const verdicts: (Outcome | 'skipped')[] = [];
        const indexes = run.approvers.map((_, i) => i).filter((i) => !run.skipped.has(i));
        const pending = indexes.map((i) => decide(i).then((v) => void verdicts.push(v)));
        // Everyone decides at once; the first reject or revise settles the round,
        // and the others' tasks are withdrawn.
        await condition(() => verdicts.some((v) => v === 'reject' || v === 'revise') || verdicts.length === indexes.length);
        verdict = verdicts.includes('reject') ? 'reject' : verdicts.includes('revise') ? 'revise' : 'approve';
        if (verdict !== 'approve') for (const taskId of run.openTasks.values()) await this.cancelTask(taskId, 'withdrawn');
        await Promise.all(pending);
      } else {
        // Read the length each time: an approver may be added while the chain runs.
        for (let i = 0; i < run.approvers.length; i++) {
          if (run.skipped.has(i)) continue;
          const v = await decide(i);
          if (v === 'reject' || v === 'revise') {
            verdict = v;
            break;
          }
        }
      }
      if (verdict === 'approve' || verdict === 'reject') {
        publish(verdict === 'approve' ? 'approved' : 'rejected');
        return verdict === 'approve' ? 'completed' : 'rejected';
      }
      // Revise: back to the submitter, whose changed data goes through every approver again.
      const revise = step.revise!;
      const end = await this.humanTask({
        taskKey: `${key}/r${run.round}/revise`,
        stepId: step.id,
        title: `Revise: ${step.title}`,
        role: revise.role,
        assignTo: revise.assignTo,
        outcomes: ['done'],
        form: revise.form ?? step.form ?? [],
        record: revise.record,
        due: revise.due,
        policy: revise.deadline,
      });
      if (end.kind === 'completed') Object.assign(data, end.completion.data);
      run.round += 1;
      run.skipped.clear();
      publish();
    }
  }

  /** Validator of {@link approverChangeUpdate}. */
  validateApproverChange(request: ApproverChangeRequest): void {
    const run = this.approvals.get(request.stepKey);
    if (!run || this.steps[request.stepKey] !== 'running')
      throw fail(FailureTypes.approvalNotFound, `No running approval ${request.stepKey}`);
    if (request.action === 'skip') {
      if (request.index < 0 || request.index >= run.approvers.length)
        throw fail(FailureTypes.actionNotAllowed, `No approver ${request.index}`);
      if (run.skipped.has(request.index)) throw fail(FailureTypes.actionNotAllowed, `Approver ${request.index} is already skipped`);
      if (run.approvers.length - run.skipped.size <= 1)
        throw fail(FailureTypes.actionNotAllowed, 'An approval keeps at least one approver');
    } else if (!this.input.definition.roles.includes(request.role)) {
      throw fail(FailureTypes.actionNotAllowed, `Role ${request.role} is not one of this process's roles`);
    }
  }

  /** Handler of {@link approverChangeUpdate}: state first, then the record. */
  async changeApprovers(request: ApproverChangeRequest, actionId: string): Promise<{ approvers: string[]; skipped: number[] }> {
    const run = this.approvals.get(request.stepKey)!;
    if (request.action === 'skip') {
      run.skipped.add(request.index);
      const open = run.openTasks.get(request.index);
      if (open) await this.cancelTask(open, 'skipped');
    } else {
      const position = Math.min(request.position ?? run.approvers.length, run.approvers.length);
      run.approvers.splice(position, 0, { role: request.role, due: request.due });
      // Indexes after the insertion point move up by one.
      run.skipped = new Set([...run.skipped].map((i) => (i >= position ? i + 1 : i)));
      run.openTasks = new Map([...run.openTasks].map(([i, id]) => [i >= position ? i + 1 : i, id]));
    }
    await acts.recordProcessAction({
      processId: this.processId,
      actionId,
      type: `approval.${request.action === 'add' ? 'approver_added' : 'approver_skipped'}`,
      stepKey: request.stepKey,
      actor: request.actor,
      data: request.action === 'add' ? { role: request.role, position: request.position ?? null } : { index: request.index },
      at: Date.now(),
    });
    return { approvers: run.approvers.map((a) => a.role), skipped: [...run.skipped] };
  }

  // ---------------------------------------------------------------- human tasks

  /** Creates a task, waits for it under its deadline policy, and returns how it ended. */
  private async humanTask(spec: {
    taskKey: string;
    stepId: string;
    title: string;
    role: string;
    assignTo?: AssignTo;
    outcomes: Outcome[];
    form: FieldSpec[];
    record?: string;
    effect?: CompletionEffect;
    due: DueSpec;
    policy?: DeadlinePolicy;
    onCreated?: (taskId: string) => void;
  }): Promise<TaskEnd> {
    const startedAt = Date.now();
    const dueAt = this.dueAt(spec.due, startedAt);
    const assigneeUserId = spec.assignTo ? (readPath(this.variables, spec.assignTo.userFrom) as string | undefined) : undefined;
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
    await acts.createTask({
      processId: this.processId,
      taskId: task.taskId,
      taskKey: spec.taskKey,
      stepId: spec.stepId,
      title: spec.title,
      role: spec.role,
      assigneeUserId: task.assigneeUserId ?? null,
      outcomes: spec.outcomes,
      form: spec.form,
      recordKind: spec.record ?? null,
      dueAt,
      at: startedAt,
    });
    task.recorded = true;
    return this.waitForTask(task);
  }

  private async waitForTask(task: RunTask): Promise<TaskEnd> {
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
      const next = this.nextCheckpoint(task);
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
        await acts.remindTask({
          processId: this.processId,
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
        await acts.escalateTask({
          processId: this.processId,
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

  private nextCheckpoint(
    task: RunTask,
  ): ((Checkpoint & { key: string }) | { kind: 'finally'; at: number; key: string; action: 'auto-approve' | 'auto-reject' }) | undefined {
    const points: (
      (Checkpoint & { key: string }) | { kind: 'finally'; at: number; key: string; action: 'auto-approve' | 'auto-reject' }
    )[] = checkpoints(task.startedAt, task.dueAt, task.policy).map((p) => ({ ...p, key: checkpointKey(p) }));
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

  /** Validator of {@link completeTaskUpdate}: refuse before anything reaches history. */
  validateCompletion(request: CompleteTaskRequest): void {
    const task = this.openTask(request.taskId);
    if (request.asDelegate) {
      if (!task.delegateUserId || task.delegateUserId !== request.actor.userId)
        throw fail(FailureTypes.actionNotAllowed, 'You are not the delegate of this task');
      return;
    }
    if (!task.outcomes.includes(request.outcome)) {
      throw fail(
        FailureTypes.outcomeNotAllowed,
        `Outcome "${request.outcome}" is not allowed; expected one of ${task.outcomes.join(', ')}`,
      );
    }
  }

  /** Handler of {@link completeTaskUpdate}. */
  async completeTask(request: CompleteTaskRequest, actionId: string): Promise<CompleteTaskResult> {
    const task = this.tasks.get(request.taskId);
    // Two updates accepted in the same activation both passed the validator; the
    // first handler to run claims the task synchronously, the second is refused.
    if (!task || task.status !== 'open')
      throw fail(FailureTypes.taskNotOpen, `Task ${request.taskId} is already ${task?.status ?? 'gone'}`);
    if (request.asDelegate) {
      delete task.delegateUserId;
      await this.recordTaskAction(task, actionId, 'task.returned', request.actor, { delegateUserId: null }, { data: request.data });
      return { taskId: task.taskId, outcome: request.outcome, returnedToOwner: true };
    }
    task.status = 'completing';
    if (task.effect) {
      try {
        task.effectResult = await effects.runStepActivity({
          processId: this.processId,
          stepKey: `${task.taskKey}#complete`,
          activity: task.effect.activity,
          input: resolveMappings(task.effect.input, { ...this.variables, $form: request.data }),
        });
      } catch (err) {
        // The effect refused (say, the unit is already taken): so is the completion,
        // and the task stays open for another try.
        task.status = 'open';
        const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
        throw fail(cause?.type ?? FailureTypes.effectFailed, cause?.message ?? (err as Error).message);
      }
    }
    await this.recordCompletion(task, request, actionId);
    return { taskId: task.taskId, outcome: request.outcome, returnedToOwner: false };
  }

  private async recordCompletion(task: RunTask, request: CompleteTaskRequest, requestId: string): Promise<void> {
    // The completion updates the task's row, so that row must exist first.
    await condition(() => task.recorded);
    await acts.completeTask({
      processId: this.processId,
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

  /** Validator of {@link taskActionUpdate}. */
  validateTaskAction(request: TaskActionRequest): void {
    const task = this.openTask(request.taskId);
    switch (request.action) {
      case 'claim':
        if (task.assigneeUserId && task.assigneeUserId !== request.userId)
          throw fail(FailureTypes.actionNotAllowed, 'The task is claimed by someone else');
        break;
      case 'release':
        if (!task.assigneeUserId) throw fail(FailureTypes.actionNotAllowed, 'The task is not claimed');
        break;
      case 'reassign':
        if (!request.toRole && !request.toUserId) throw fail(FailureTypes.actionNotAllowed, 'Name a role or a user to reassign to');
        if (request.toRole && !this.input.definition.roles.includes(request.toRole)) {
          throw fail(FailureTypes.actionNotAllowed, `Role ${request.toRole} is not one of this process's roles`);
        }
        break;
      case 'delegate':
        if (task.delegateUserId) throw fail(FailureTypes.actionNotAllowed, 'The task is already delegated');
        break;
      case 'pause-deadline':
        if (task.pausedAt !== undefined) throw fail(FailureTypes.actionNotAllowed, 'The deadline is already paused');
        break;
      case 'resume-deadline':
        if (task.pausedAt === undefined) throw fail(FailureTypes.actionNotAllowed, 'The deadline is not paused');
        break;
      case 'extend-deadline':
        break;
    }
  }

  /** Handler of {@link taskActionUpdate}: changes the state synchronously, then records it. */
  async taskAction(request: TaskActionRequest, actionId: string): Promise<TaskState> {
    const task = this.openTask(request.taskId);
    const now = Date.now();
    let patch: {
      assigneeUserId?: string | null;
      assigneeRole?: string;
      delegateUserId?: string | null;
      dueAt?: number;
      pausedAt?: number | null;
    };
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
        task.dueAt = addDuration(task.dueAt, request.by, this.input.calendar);
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
    await this.recordTaskAction(task, actionId, `task.${request.action}`, request.actor, patch, request);
    return this.publicTask(task);
  }

  private async recordTaskAction(
    task: RunTask,
    actionId: string,
    type: string,
    actor: TaskActionRequest['actor'],
    patch: Parameters<ProcessActivities['recordTaskAction']>[0]['patch'],
    data: unknown,
  ): Promise<void> {
    await condition(() => task.recorded);
    const { taskId: _t, actor: _a, ...details } = data as Record<string, unknown>;
    await acts.recordTaskAction({
      processId: this.processId,
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
  private async cancelTask(taskId: string, reason: string): Promise<void> {
    const task = this.tasks.get(taskId);
    if (!task || task.status !== 'open') return;
    task.status = 'cancelled';
    await condition(() => task.recorded);
    await acts.cancelTask({ processId: this.processId, taskId, taskKey: task.taskKey, reason, at: Date.now() });
  }

  private openTask(taskId: string): RunTask {
    const task = this.tasks.get(taskId);
    if (!task) throw fail(FailureTypes.taskNotFound, `Task ${taskId} is not part of this process`);
    if (task.status !== 'open') throw fail(FailureTypes.taskNotOpen, `Task ${taskId} is already ${task.status}`);
    return task;
  }

  // ---------------------------------------------------------------- events and retries

  /** Validator of {@link sendEventUpdate}. */
  validateEvent(request: SendEventRequest): void {
    if (!this.input.definition.events?.some((e) => e.name === request.name)) {
      throw fail(FailureTypes.unknownEvent, `This process does not accept the event "${request.name}"`);
    }
  }

  /** Handler of {@link sendEventUpdate}: buffered until a step waits for it. */
  async receiveEvent(request: SendEventRequest, actionId: string): Promise<{ accepted: true; name: string }> {
    this.events.push({ name: request.name, payload: request.payload, at: Date.now(), consumed: false });
    await acts.recordProcessAction({
      processId: this.processId,
      actionId,
      type: 'event.received',
      stepKey: null,
      actor: request.actor,
      data: { name: request.name, payload: request.payload },
      at: Date.now(),
    });
    return { accepted: true, name: request.name };
  }

  /** Validator of {@link retryStepUpdate}. */
  validateRetry(stepKey: string): void {
    if (!this.failedSteps.has(stepKey)) throw fail(FailureTypes.stepNotFailing, `Step ${stepKey} is not failing`);
  }

  /** Handler of {@link retryStepUpdate}. */
  async retryStep(stepKey: string, actor: TaskActionRequest['actor'], actionId: string): Promise<{ retried: true; stepKey: string }> {
    this.retryRequests.add(stepKey);
    await acts.recordProcessAction({
      processId: this.processId,
      actionId,
      type: 'step.retry',
      stepKey,
      actor,
      data: {},
      resumesFailing: true,
      at: Date.now(),
    });
    return { retried: true, stepKey };
  }

  // ---------------------------------------------------------------- helpers

  /** The due instant of a human step that starts at `startedAt`. */
  private dueAt(due: DueSpec, startedAt: number): number {
    if ('atVariable' in due) {
      const path = [due.atVariable].flat().find((p) => this.instantOrUndefined(p) !== undefined);
      if (path !== undefined) return this.instantOrUndefined(path)!;
      return due.ifMissing ? this.dueAt(due.ifMissing, startedAt) : startedAt;
    }
    if ('byValueOf' in due) {
      const value = [due.byValueOf]
        .flat()
        .map((p) => readPath(this.variables, p))
        .find((v) => v !== undefined && v !== null);
      return addDuration(startedAt, due.cases[String(value)] ?? due.otherwise, this.input.calendar);
    }
    return addDuration(startedAt, due, this.input.calendar);
  }

  private instantOrUndefined(path: string): number | undefined {
    const value = readPath(this.variables, path);
    const at = typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN;
    return Number.isNaN(at) ? undefined : at;
  }

  /** The instant a date or date-time variable holds; now when it holds none. */
  private instantOf(path: string): number {
    return this.instantOrUndefined(path) ?? Date.now();
  }
}

function fail(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}
