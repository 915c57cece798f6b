import {
  CancellationScope,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  sleep,
  startChild,
} from '@temporalio/workflow';
import type {
  ActivityStep,
  EventHandler,
  EventStep,
  LoopStep,
  ParallelStep,
  SequenceStep,
  Step,
  SubprocessStep,
  TimerStep,
} from '../definitions/types';
import { walkSteps } from '../definitions/walk';
import type { Actor } from '../domain/actor';
import { FailureTypes } from '../domain/failures';
import { stepActivities } from './activity-proxies';
import type { Approvals } from './approvals';
import { addDuration } from './deadlines';
import type { HumanTasks } from './human-tasks';
import type { MigrateRequest, MigrationSummary, ProcessInput, ProcessResult, SendEventRequest } from './messages';
import { planMigration, type MigrationPlan } from './migration';
// A cycle by design: a sub-process step starts this same workflow as a child, by
// reference so that its arguments are type-checked. It is only called at run time.
import { processInterpreter } from './process-workflow';
import { refuse, type RunState } from './run-state';
import { evaluate, readPath, resolveMappings } from './variables';

/** A step's result: whether what follows it goes on. */
type StepResult = 'completed' | 'rejected';

/** A block that may declare interrupting events and event handlers. */
type BlockStep = SequenceStep | ParallelStep | LoopStep;

const hasBlockEvents = (step: Step): step is BlockStep =>
  (step.kind === 'sequence' || step.kind === 'parallel' || step.kind === 'loop') &&
  (step.interruptedBy !== undefined || step.onEvent !== undefined);

/** Whether a rejection of `step` lets the enclosing sequence go on. */
const continuesOnReject = (step: Step): boolean =>
  (step.kind === 'approval' || step.kind === 'subprocess') && step.continueOnReject === true;

/** An external event the instance received. */
interface ReceivedEvent {
  name: string;
  payload: Record<string, unknown>;
  at: number;
  consumed: boolean;
  actor: Actor;
}

/** Thrown through the step tree by an `end` step. */
class ProcessEnded extends Error {
  constructor(readonly outcome: 'completed' | 'rejected') {
    super(`process ended: ${outcome}`);
  }
}

/**
 * Walks a definition's step tree: sequences, parallel branches, decisions, loops,
 * timers, events, activity steps (with their retries) and sub-processes. Human
 * steps are handed to {@link HumanTasks} and approvals to {@link Approvals}.
 * Everything here is deterministic: time is the workflow's clock, and all I/O
 * goes through activities.
 */
export class StepWalker {
  private readonly events: ReceivedEvent[] = [];
  private readonly failedSteps = new Map<string, string>();
  private readonly retryRequests = new Set<string>();
  /** Children started without waiting that still run, each with the scope it was started in. */
  private readonly detached = new Map<string, CancellationScope>();
  private ended: ProcessEnded | undefined;
  /** The scope the step tree runs in: a migration cancels it and walks the new version. */
  private root: CancellationScope | undefined;
  /** A migration being applied: set by its handler, consumed when the old walk has stopped. */
  private migrating: { plan: MigrationPlan; request: MigrateRequest } | undefined;
  /** A migration's handler is running (from its first line until the new version walks). */
  private claimed = false;
  /** Where the walk of a migrated instance resumes (see `migration.ts`). */
  private resume: MigrationPlan | undefined;
  /** Running timers' instants by step key, so that a migration does not restart them. */
  private readonly timers = new Map<string, number>();

  constructor(
    private readonly run: RunState,
    private readonly tasks: HumanTasks,
    private readonly approvals: Approvals,
  ) {}

  /** Failing activity steps and the events received, as queries show them. */
  snapshot(): { failedSteps: { stepKey: string; message: string }[]; events: { name: string; at: number; consumed: boolean }[] } {
    return {
      failedSteps: [...this.failedSteps.entries()].map(([stepKey, message]) => ({ stepKey, message })),
      events: this.events.map(({ name, at, consumed }) => ({ name, at, consumed })),
    };
  }

  /** Runs the definition to its end and records how it ended. */
  async execute(): Promise<ProcessResult> {
    const { input, processId } = this.run;
    const { definition } = input;
    await this.run.register({
      processId,
      projectId: input.projectId,
      parentId: input.parentId ?? null,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      title: definition.title,
      input: input.input,
      startedBy: input.startedBy,
      at: Date.now(),
    });
    let result: StepResult;
    for (;;) {
      try {
        // The step tree runs in its own scope so that an `end` step can cancel every
        // branch still running (parallel siblings, waiting timers and tasks), and a
        // migration can stop the walk of the old version.
        const scope = new CancellationScope();
        this.root = scope;
        result = await scope.run(async () => {
          try {
            return await this.walk(this.run.definition.root, '');
          } catch (err) {
            if (err instanceof ProcessEnded) {
              this.ended = err;
              scope.cancel();
              return err.outcome === 'completed' ? 'completed' : 'rejected';
            }
            throw err;
          }
        });
        break;
      } catch (err) {
        if (this.ended && isCancellation(err)) {
          result = this.ended.outcome === 'completed' ? 'completed' : 'rejected';
          break;
        } else if (this.migrating && isCancellation(err)) {
          // The old version's walk has stopped: walk the new one from where the instance stands.
          this.switchVersion(this.migrating);
          continue;
        } else if (isCancellation(err)) {
          this.run.status = 'cancelled';
          // Record it even so, in a scope the cancellation cannot interrupt.
          await CancellationScope.nonCancellable(() => this.run.acts.finishProcess({ processId, status: 'cancelled', at: Date.now() }));
          throw err;
        } else {
          throw err;
        }
      }
    }
    this.run.status = result;
    if (this.detached.size) await this.cancelDetached();
    await this.tasks.withdrawParked('migrated');
    await this.run.acts.finishProcess({ processId, status: result, at: Date.now() });
    return { status: result, variables: this.run.variables };
  }

  private async walk(step: Step, scope: string): Promise<StepResult> {
    const key = scope + step.id;
    // After a migration, a step the instance had finished, or has passed, is not run again.
    const carried = this.resume?.done[key];
    if (carried !== undefined) {
      this.run.steps[key] = carried;
      return carried === 'rejected' ? 'rejected' : 'completed';
    }
    if (this.resume?.skipped.includes(key)) {
      this.run.steps[key] = 'skipped';
      return 'completed';
    }
    this.run.steps[key] = 'running';
    // Only blocks that declare events take the longer path: every other step runs
    // exactly as before, so histories recorded before blocks had events replay.
    const result = hasBlockEvents(step) ? await this.block(step, scope, key) : await this.runKind(step, scope, key);
    this.run.steps[key] = result;
    return result;
  }

  /**
   * Runs a block while watching the events that arrive meanwhile: an interrupting
   * one cancels the block (its tasks are withdrawn with the event as the reason,
   * its children cancelled) and the flow goes on with `then`; each handled one
   * starts its handler beside the block. The block ends when its steps and the
   * handlers it started have.
   */
  private async block(step: BlockStep, scope: string, key: string): Promise<StepResult> {
    const inner = new CancellationScope();
    let settled = false;
    let interruption: ReceivedEvent | undefined;
    const handlers: Promise<StepResult>[] = [];
    const body = inner.run(() => this.runKind(step, scope, key)).finally(() => (settled = true));
    // Only events that arrive while the block runs concern it.
    let seen = this.events.length;
    const watch = async () => {
      while (!settled && !interruption) {
        await condition(() => settled || this.events.length > seen);
        for (; seen < this.events.length && !interruption; seen++) {
          const event = this.events[seen]!;
          if (step.interruptedBy?.events.includes(event.name)) {
            interruption = event;
            event.consumed = true;
            this.run.interrupt(inner, `interrupted: ${event.name}`);
          } else {
            const handler = step.onEvent?.find((h) => h.event === event.name);
            if (!handler) continue;
            event.consumed = true;
            handlers.push(inner.run(() => this.handle(handler, event, scope, handlers.length + 1)));
          }
        }
      }
    };
    const [outcome] = await Promise.allSettled([body, watch()]);
    const settledHandlers = await Promise.allSettled(handlers);
    if (interruption) {
      const at = new Date(interruption.at).toISOString();
      const before = this.run.variables[step.id];
      const interrupted = { event: interruption.name, at, payload: interruption.payload };
      // A loop says how far it got, as one that ended by itself does.
      const iteration = step.kind === 'loop' ? ((before as { iteration?: number } | undefined)?.iteration ?? 0) : undefined;
      this.run.variables[step.id] =
        iteration !== undefined
          ? { iterations: iteration, exit: 'interrupted', interrupted }
          : { ...(before && typeof before === 'object' ? before : {}), interrupted };
      await this.run.acts.recordProcessAction({
        processId: this.run.processId,
        actionId: `interrupt:${key}`,
        type: 'step.interrupted',
        stepKey: key,
        actor: interruption.actor,
        data: { event: interruption.name },
        at: Date.now(),
      });
      return step.interruptedBy?.then ? this.walk(step.interruptedBy.then, scope) : 'completed';
    }
    if (outcome.status === 'rejected') throw outcome.reason;
    const failed = settledHandlers.find((h) => h.status === 'rejected');
    if (failed) throw failed.reason;
    return outcome.value;
  }

  /** Runs one event handler's step for one arrival, in its own scope of step keys. */
  private async handle(handler: EventHandler, event: ReceivedEvent, scope: string, n: number): Promise<StepResult> {
    this.run.variables.$event = {
      name: event.name,
      payload: event.payload,
      by: event.actor.username,
      at: new Date(event.at).toISOString(),
    };
    return this.walk(handler.step, `${scope}${handler.event}[${n}]/`);
  }

  private async runKind(step: Step, scope: string, key: string): Promise<StepResult> {
    const { variables } = this.run;
    switch (step.kind) {
      case 'sequence':
        for (const child of step.steps) {
          if ((await this.walk(child, scope)) === 'rejected' && !continuesOnReject(child)) return 'rejected';
        }
        return 'completed';
      case 'parallel': {
        const results = await Promise.all(step.branches.map((branch) => this.walk(branch, scope)));
        return results.includes('rejected') ? 'rejected' : 'completed';
      }
      case 'decision': {
        // After a migration, a decision the instance was in stays on its branch.
        const resumed = this.takeResumed('decisions', key);
        const index = resumed === 'otherwise' ? -1 : (resumed ?? step.branches.findIndex((b) => evaluate(b.when, variables)));
        variables[step.id] = { branch: index >= 0 ? index : 'otherwise' };
        const chosen = index >= 0 ? step.branches[index]!.step : step.otherwise;
        return chosen ? this.walk(chosen, scope) : 'completed';
      }
      case 'loop':
        return this.loop(step, scope, key);
      case 'task': {
        const end = await this.tasks.open({
          taskKey: key,
          stepId: step.id,
          title: step.title,
          role: step.role,
          assignTo: step.assignTo,
          outcomes: ['done'],
          form: step.form ?? [],
          record: step.record,
          effect: step.onComplete,
          ...(step.context ? { context: resolveMappings(step.context, variables) } : {}),
          due: step.due,
          policy: step.deadline,
        });
        if (end.kind === 'cancelled') return 'rejected';
        const { data, actor } = end.completion;
        const effect = this.tasks.effectResultOf(end.completion.taskId);
        variables[step.id] = {
          ...data,
          completedBy: actor.username,
          completedById: actor.userId,
          ...(effect !== undefined ? { effect } : {}),
        };
        return 'completed';
      }
      case 'approval':
        // An approval that starts again after a migration keys its tasks by the new version.
        return this.approvals.decide(step, key, this.resume?.restarted.includes(key) ? `${key}/v${this.resume.toVersion}` : key);
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

  private async loop(step: LoopStep, scope: string, key: string): Promise<StepResult> {
    // After a migration, a loop the instance was in goes on with the iteration it was in.
    const resumed = this.takeResumed('loops', key);
    let iteration = resumed !== undefined ? resumed - 1 : 0;
    let exit: 'condition' | 'event' | 'bound' = 'bound';
    for (let first = true; iteration < step.maxIterations; first = false) {
      // The iteration a migrated instance was in has passed the loop's checks already.
      const check = !(first && resumed !== undefined);
      if (check && step.while && !evaluate(step.while, this.run.variables)) {
        exit = 'condition';
        break;
      }
      const untilEvents = [step.untilEvent ?? []].flat();
      if (check && this.events.some((e) => untilEvents.includes(e.name))) {
        exit = 'event';
        break;
      }
      iteration += 1;
      // A loop that asks for it starts each iteration without the values its body
      // produced before (not the iteration a migrated instance resumes, which is under
      // way). Only definitions that set `freshValues` take this path.
      if (step.freshValues && check) for (const { step: inner } of walkSteps(step.body)) delete this.run.variables[inner.id];
      this.run.variables[step.id] = { iteration };
      // Each iteration has its own scope, so its tasks and step states are its own.
      // A rejection inside one iteration ends that iteration, not the loop.
      await this.walk(step.body, `${scope}${step.id}[${iteration}]/`);
    }
    this.run.variables[step.id] = { iterations: iteration, exit };
    return 'completed';
  }

  private async timer(step: TimerStep, key: string): Promise<StepResult> {
    const now = Date.now();
    // A timer moved by a migration keeps the instant it was set for.
    const until =
      this.timers.get(key) ??
      (step.duration ? addDuration(now, step.duration, this.run.input.calendar) : this.run.instantOf(step.untilVariable!));
    this.timers.set(key, until);
    this.run.steps[key] = 'waiting';
    if (until > now) await sleep(until - now);
    this.timers.delete(key);
    this.run.variables[step.id] = { firedAt: new Date(Date.now()).toISOString() };
    return 'completed';
  }

  private async waitForEvent(step: EventStep, key: string): Promise<StepResult> {
    this.run.steps[key] = 'waiting';
    const pending = () => this.events.find((e) => e.name === step.event && !e.consumed);
    const timeout = step.timeout ? addDuration(Date.now(), step.timeout, this.run.input.calendar) - Date.now() : undefined;
    const arrived =
      timeout === undefined
        ? (await condition(() => pending() !== undefined), true)
        : await condition(() => pending() !== undefined, timeout);
    const event = arrived ? pending() : undefined;
    if (event) {
      event.consumed = true;
      this.run.variables[step.id] = { received: true, payload: event.payload, at: new Date(event.at).toISOString() };
    } else {
      this.run.variables[step.id] = { received: false, timedOut: true };
    }
    return 'completed';
  }

  /**
   * Calls a registered activity. When it has failed `maxAttempts` times the step
   * shows as failed and the process as failing, and it waits for a retry: a
   * failing activity is never silently stuck, nor silently skipped.
   */
  private async activity(step: ActivityStep, key: string): Promise<StepResult> {
    const call = stepActivities(step.maxAttempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        const input = resolveMappings(step.input, this.run.variables);
        this.run.variables[step.id] = await call.runStepActivity({
          processId: this.run.processId,
          stepKey: key,
          activity: step.activity,
          input,
        });
        return 'completed';
      } catch (err) {
        if (isCancellation(err)) throw err;
        const message = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
        this.failedSteps.set(key, message);
        this.run.steps[key] = 'failed';
        this.run.status = 'failing';
        await this.run.acts.recordStepFailure({ processId: this.run.processId, stepKey: key, attempt, message, at: Date.now() });
        await condition(() => this.retryRequests.has(key));
        this.retryRequests.delete(key);
        this.failedSteps.delete(key);
        this.run.steps[key] = 'running';
        if (this.failedSteps.size === 0) this.run.status = 'running';
      }
    }
  }

  private async subprocess(step: SubprocessStep, key: string): Promise<StepResult> {
    const { input, processId, variables } = this.run;
    const ref = `${step.definition}@${step.version ?? 'latest'}`;
    const definition = this.run.subDefinitions?.[ref];
    if (!definition) throw refuse('MissingDefinition', `Sub-process definition ${ref} was not resolved at start`);
    const items: unknown[] = step.forEach ? ((readPath(variables, step.forEach) as unknown[] | undefined) ?? []) : [undefined];
    this.run.steps[key] = 'waiting';
    const results = await Promise.all(
      items.map(async (item, i) => {
        const childId = `${processId}/${key}/${i + 1}`;
        const childInput: ProcessInput = {
          processId: childId,
          projectId: input.projectId,
          definition,
          input: resolveMappings(step.input, { ...variables, $item: item }),
          startedBy: input.startedBy,
          calendar: input.calendar,
          subDefinitions: this.run.subDefinitions,
          parentId: processId,
          // A child books the way its parent does (absent in instances started before it existed).
          ...(input.bookkeeping ? { bookkeeping: input.bookkeeping } : {}),
          ...(input.registerWithFirstWrite ? { registerWithFirstWrite: true } : {}),
        };
        if (step.wait === false) {
          // Started and left running beside what follows; cancelled if this process ends first.
          // Started in the block's scope: an interruption of the block cancels it too.
          const child = await startChild(processInterpreter, {
            workflowId: childId,
            args: [childInput],
            parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          });
          this.detached.set(childId, CancellationScope.current());
          const ended = () => void this.detached.delete(childId);
          void child.result().then(ended, ended);
          return { processId: childId, status: 'completed' as const, variables: {} };
        }
        const result = await executeChild(processInterpreter, { workflowId: childId, args: [childInput] });
        return { processId: childId, ...result };
      }),
    );
    if (step.wait === false) {
      this.run.variables[step.id] = { started: results.map((r) => r.processId) };
      return 'completed';
    }
    this.run.variables[step.id] = { results };
    return results.every((r) => r.status === 'completed') ? 'completed' : 'rejected';
  }

  /**
   * Asks the children started without waiting that still run to cancel when this
   * process ends. The parent close policy says the same to the server; asking here
   * does not depend on the server honouring it.
   */
  private async cancelDetached(): Promise<void> {
    const running = [...this.detached];
    this.detached.clear();
    for (const [id, startedIn] of running) {
      // A child whose block was interrupted has been asked to cancel already (the SDK
      // asks when the scope it was started in is cancelled) and may still be finishing.
      // Asking again is redundant, and Temporal's test server fails the whole workflow
      // task on a second cancel request for one workflow. Instances that asked twice
      // before this patch keep doing so on replay.
      if (startedIn.consideredCancelled && patched('detached-child-cancelled-once')) continue;
      try {
        await getExternalWorkflowHandle(id).cancel();
      } catch (err) {
        // A child that has already ended has nothing to cancel.
        if (isCancellation(err)) throw err;
      }
    }
  }

  /** A resume point of a migrated walk, used once: later iterations run as usual. */
  private takeResumed<K extends 'loops' | 'decisions'>(kind: K, key: string): MigrationPlan[K][string] | undefined {
    const value = this.resume?.[kind][key];
    if (value !== undefined) delete this.resume![kind][key];
    return value as MigrationPlan[K][string] | undefined;
  }

  /** What migrating with `request` would do, planned from the instance's own state. */
  private planFor(request: MigrateRequest): MigrationPlan {
    return planMigration(
      this.run.definition,
      request.definition,
      { steps: this.run.steps, variables: this.run.variables, tasks: this.tasks.list() },
      request.mapping,
    );
  }

  /** Validator of `migrateUpdate`: what cannot move is refused before anything changes. */
  validateMigration(request: MigrateRequest): void {
    if (this.claimed) throw refuse(FailureTypes.migrationRefused, 'A migration is being applied');
    if (this.run.status !== 'running') throw refuse(FailureTypes.migrationRefused, `The process is ${this.run.status}`);
    if (this.detached.size) {
      throw refuse(
        FailureTypes.migrationRefused,
        `Sub-processes still run (${[...this.detached.keys()].join(', ')}): migrate when they have ended`,
      );
    }
    const { problems } = this.planFor(request);
    if (problems.length) throw refuse(FailureTypes.migrationRefused, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }

  /**
   * Handler of `migrateUpdate`: stops the old version's walk (its tasks that do not
   * move are withdrawn, those that move are parked), records the migration, and
   * the walk goes on in the new version (see {@link execute}).
   */
  async migrate(request: MigrateRequest, actionId: string): Promise<MigrationSummary> {
    // Claimed at once, so that a second migration arriving meanwhile is refused.
    this.claimed = true;
    // A task whose row is being written would be cut off mid-write: let it land first.
    await condition(() => this.tasks.allRecorded());
    const plan = this.planFor(request);
    this.migrating = { plan, request };
    this.run.carry = new Map(plan.moved.map((m) => [m.taskId, m.toKey]));
    this.run.interrupt(this.root!, `migrated to version ${plan.toVersion}`);
    await this.run.acts.recordMigration({
      processId: this.run.processId,
      actionId,
      actor: request.actor,
      fromVersion: plan.fromVersion,
      toVersion: plan.toVersion,
      mapping: request.mapping,
      moved: plan.moved,
      withdrawn: plan.withdrawn,
      skipped: plan.skipped,
      starts: plan.starts,
      at: Date.now(),
    });
    const { fromVersion, toVersion, moved, withdrawn, restarted, skipped, starts } = plan;
    return { fromVersion, toVersion, moved, withdrawn, restarted, skipped, starts };
  }

  /** Puts the new version in place once the old walk has stopped. */
  private switchVersion({ plan, request }: { plan: MigrationPlan; request: MigrateRequest }): void {
    this.migrating = undefined;
    this.claimed = false;
    this.run.carry = undefined;
    this.run.definition = request.definition;
    this.run.subDefinitions = request.subDefinitions;
    const { variables, steps } = this.run;
    for (const { from, to } of plan.renames) {
      variables[to] = variables[from];
      delete variables[from];
    }
    for (const key of Object.keys(steps)) delete steps[key];
    Object.assign(steps, plan.done);
    for (const [from, to] of Object.entries(plan.active)) {
      const until = this.timers.get(from);
      this.timers.delete(from);
      if (until !== undefined) this.timers.set(to, until);
    }
    this.resume = plan;
  }

  /** Validator of `sendEventUpdate`. */
  validateEvent(request: SendEventRequest): void {
    if (!this.run.definition.events?.some((e) => e.name === request.name)) {
      throw refuse(FailureTypes.unknownEvent, `This process does not accept the event "${request.name}"`);
    }
  }

  /** Handler of `sendEventUpdate`: buffered until a step waits for it. */
  async receiveEvent(request: SendEventRequest, actionId: string): Promise<{ accepted: true; name: string }> {
    this.events.push({ name: request.name, payload: request.payload, at: Date.now(), consumed: false, actor: request.actor });
    await this.run.acts.recordProcessAction({
      processId: this.run.processId,
      actionId,
      type: 'event.received',
      stepKey: null,
      actor: request.actor,
      data: { name: request.name, payload: request.payload },
      at: Date.now(),
    });
    return { accepted: true, name: request.name };
  }

  /** Validator of `retryStepUpdate`. */
  validateRetry(stepKey: string): void {
    if (!this.failedSteps.has(stepKey)) throw refuse(FailureTypes.stepNotFailing, `Step ${stepKey} is not failing`);
  }

  /** Handler of `retryStepUpdate`. */
  async retryStep(stepKey: string, actor: Actor, actionId: string): Promise<{ retried: true; stepKey: string }> {
    this.retryRequests.add(stepKey);
    await this.run.acts.recordProcessAction({
      processId: this.run.processId,
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
}
