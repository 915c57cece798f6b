import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import type { DueSpec, ProcessDefinition, Step } from '../definitions/types';
import type { ProcessStatus, StepStatus } from '../domain';
import { addDuration } from './deadlines';
import type { ProcessActivities, ProcessRegistration } from '../activities';
import { bookkeeping, completionEffects, localBookkeeping, localCompletionEffects } from './activity-proxies';
import type { ProcessInput } from './messages';
import { readPath } from './variables';

/**
 * What every part of a running process shares: its input, variables, step states
 * and overall status, and the time arithmetic that reads variables. The step
 * walker, human tasks and approvals each own the rest of their state.
 */
export class RunState {
  status: ProcessStatus = 'running';
  readonly variables: Record<string, unknown>;
  readonly steps: Record<string, StepStatus> = {};
  /** The bookkeeping activities (process and task rows, history, audit), local for new instances. */
  readonly acts: ProcessActivities;
  /** The completion effects' activities, local for new instances. */
  readonly effects: ProcessActivities;
  /** The definition the instance runs: its input's, until a migration moves it to a newer version. */
  definition: ProcessDefinition;
  /** The sub-process definitions its steps start (see {@link ProcessInput.subDefinitions}). */
  subDefinitions: Record<string, ProcessDefinition> | undefined;
  /** While a migration is applied: the open tasks that move, task id → new task key. */
  carry: Map<string, string> | undefined;
  /** Scopes cancelled by an interrupting event, with the reason their tasks are withdrawn for. */
  private readonly interrupted = new WeakMap<CancellationScope, string>();
  /** The registration still to be written with the first write (see {@link ProcessInput.registerWithFirstWrite}). */
  private registration: ProcessRegistration | undefined;
  /** Settles once a write carrying the registration has (or the registration alone). */
  private registered: Promise<void> = Promise.resolve();

  constructor(readonly input: ProcessInput) {
    this.definition = input.definition;
    this.subDefinitions = input.subDefinitions;
    const local = input.bookkeeping === 'local';
    const acts = local ? localBookkeeping : bookkeeping;
    this.acts = input.registerWithFirstWrite ? this.registeringFirst(acts) : acts;
    this.effects = local ? localCompletionEffects : completionEffects;
    // Besides its input, every step can read who started the process and its id.
    this.variables = { ...input.input, startedBy: input.startedBy, $process: { id: input.processId, projectId: input.projectId } };
  }

  get processId(): string {
    return this.input.processId;
  }

  /**
   * Records the instance: at once, or — instances started with `registerWithFirstWrite`
   * whose definition opens with a task — with that task's creation, in its
   * statement. Only then: a process that opens with a timer, an event or an
   * activity would have no row while it waits. Should another write come first
   * after all (a migration), it waits until a registration of its own is written.
   */
  async register(registration: ProcessRegistration): Promise<void> {
    if (this.input.registerWithFirstWrite && opensWithTask(this.definition.root)) this.registration = registration;
    else await this.acts.registerProcess(registration);
  }

  /** `acts` whose first write registers the instance (see {@link register}). */
  private registeringFirst(acts: ProcessActivities): ProcessActivities {
    // Runs `write` once the instance is registered: carrying the registration when it
    // is a task's creation, else after a registration written alone. A write that
    // carried it and failed (its scope was cancelled) leaves it pending for the next.
    const afterRegistration = <T>(write: (register?: ProcessRegistration) => Promise<T>, canCarry: boolean): Promise<T> => {
      const registration = this.takeRegistration();
      if (registration && canCarry) {
        const written = write(registration);
        this.settleRegistration(written, registration);
        return written;
      }
      if (registration) this.settleRegistration(acts.registerProcess(registration), registration);
      return this.registered.then(() => (this.registration ? afterRegistration(write, canCarry) : write()));
    };
    return new Proxy(acts, {
      get: (target, name: keyof ProcessActivities) => {
        if (name === 'createTask') {
          return (args: Parameters<ProcessActivities['createTask']>[0]) =>
            afterRegistration((register) => target.createTask(register ? { ...args, register } : args), true);
        }
        const write = target[name] as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => afterRegistration(() => write(...args), false);
      },
    });
  }

  private takeRegistration(): ProcessRegistration | undefined {
    const registration = this.registration;
    this.registration = undefined;
    return registration;
  }

  /**
   * Later writes wait for `written`. If it fails (its scope was cancelled), the
   * registration is pending again: the next write writes it (it is idempotent).
   */
  private settleRegistration(written: Promise<unknown>, registration: ProcessRegistration): void {
    this.registered = written.then(
      () => undefined,
      () => {
        this.registration ??= registration;
      },
    );
  }

  /** Marks `scope` as cancelled by an interruption, so the tasks under it are withdrawn with `reason`. */
  interrupt(scope: CancellationScope, reason: string): void {
    this.interrupted.set(scope, reason);
    scope.cancel();
  }

  /**
   * Why the current scope (or one around it) was interrupted; `undefined` when it
   * was cancelled otherwise (an end step, the whole process cancelled), where tasks
   * are closed with the process as before.
   */
  interruptionReason(): string | undefined {
    for (let scope: CancellationScope | undefined = CancellationScope.current(); scope; scope = scope.parent) {
      const reason = this.interrupted.get(scope);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** The due instant of a human step that starts at `startedAt`. */
  dueAt(due: DueSpec, startedAt: number): number {
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

  /** The instant a date or date-time variable holds; now when it holds none. */
  instantOf(path: string): number {
    return this.instantOrUndefined(path) ?? Date.now();
  }

  private instantOrUndefined(path: string): number | undefined {
    const value = readPath(this.variables, path);
    const at = typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN;
    return Number.isNaN(at) ? undefined : at;
  }
}

/**
 * A business refusal: non-retryable, typed by one of the `FailureTypes`. Thrown
 * from an Update validator it leaves no trace in history.
 */
export function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/** Whether the first thing a walk of `step` does is to open a task (in every branch). */
function opensWithTask(step: Step): boolean {
  switch (step.kind) {
    case 'task':
      return true;
    case 'approval':
      // Its first approver's task (sequential) or all of them (parallel) open first.
      return step.approvers.length > 0;
    case 'sequence':
      return step.steps.length > 0 && opensWithTask(step.steps[0]!);
    case 'parallel':
      return step.branches.length > 0 && step.branches.every(opensWithTask);
    default:
      return false;
  }
}
