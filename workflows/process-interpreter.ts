import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  allHandlersFinished,
  currentUpdateInfo,
  uuid4,
} from '@temporalio/workflow';
import type { ProcessActivities } from '../activities';
import type { ApprovalStep, DeadlinePolicy, FieldSpec, HumanTaskStep, Outcome, Step } from '../definitions/types';
import { addDuration, checkpoints } from './deadlines';
import {
  type CompleteTaskRequest,
  type CompleteTaskResult,
  type ProcessInput,
  type ProcessResult,
  type ProcessSnapshot,
  type ProcessStatus,
  type TaskState,
  completeTaskUpdate,
  FailureTypes,
  stateQuery,
} from './messages';

// Activities are imported by type only: no database or Node code enters the sandbox.
const acts = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A task as the run tracks it: its public state plus what only the workflow needs. */
type RunTask = TaskState & {
  /** Set once the task's row is in the database. */
  recorded: boolean;
  completion?: CompleteTaskRequest;
};

/** A step's result: whether the process goes on. */
type StepResult = 'completed' | 'rejected';

/**
 * The state of one running instance, kept in a plain class so that the workflow
 * function only wires handlers and drives steps.
 */
class ProcessRun {
  status: ProcessStatus = 'running';
  readonly variables: Record<string, unknown>;
  readonly steps: Record<string, 'running' | 'completed' | 'rejected'> = {};
  readonly tasks = new Map<string, RunTask>();

  constructor(readonly input: ProcessInput) {
    this.variables = { ...input.input };
  }

  snapshot(): ProcessSnapshot {
    return {
      processId: this.input.processId,
      definitionKey: this.input.definition.key,
      definitionVersion: this.input.definition.version,
      status: this.status,
      variables: { ...this.variables },
      steps: { ...this.steps },
      tasks: [...this.tasks.values()].map(({ completion: _completion, recorded: _recorded, ...task }) => ({ ...task })),
    };
  }

  /** Runs in the update validator: refuse before anything reaches history. */
  validateCompletion(request: CompleteTaskRequest): void {
    const task = this.tasks.get(request.taskId);
    if (!task) throw ApplicationFailure.nonRetryable(`Task ${request.taskId} is not part of this process`, FailureTypes.taskNotFound);
    if (task.status !== 'open')
      throw ApplicationFailure.nonRetryable(`Task ${request.taskId} is already ${task.status}`, FailureTypes.taskNotOpen);
    if (!task.outcomes.includes(request.outcome))
      throw ApplicationFailure.nonRetryable(
        `Outcome "${request.outcome}" is not allowed; expected one of ${task.outcomes.join(', ')}`,
        FailureTypes.outcomeNotAllowed,
      );
  }
}

/**
 * The generic interpreter: runs any validated process definition. One instance
 * per business process; its workflow ID is the process ID.
 */
export async function processInterpreter(input: ProcessInput): Promise<ProcessResult> {
  const run = new ProcessRun(input);
  const { processId } = input;

  setHandler(stateQuery, () => run.snapshot());
  setHandler(
    completeTaskUpdate,
    async (request): Promise<CompleteTaskResult> => {
      // The update id is the client's idempotency key; the task row keeps it so a
      // retry that arrives after the process moved on is still answered.
      const requestId = currentUpdateInfo()?.id ?? 'unknown';
      const task = run.tasks.get(request.taskId);
      // Two updates accepted in the same activation both passed the validator; the
      // first handler to run claims the task synchronously, the second is refused.
      if (!task || task.status !== 'open') {
        throw ApplicationFailure.nonRetryable(`Task ${request.taskId} is already ${task?.status ?? 'gone'}`, FailureTypes.taskNotOpen);
      }
      task.status = 'completing';
      // The completion updates the task's row, so that row must exist first.
      await condition(() => task.recorded);
      await acts.completeTask({
        processId,
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
      return { taskId: task.taskId, outcome: request.outcome, processStatus: run.status };
    },
    { validator: (request) => run.validateCompletion(request) },
  );

  /** Creates a task, waits for it with reminders and escalations, returns its completion. */
  async function humanTask(spec: {
    taskKey: string;
    stepId: string;
    title: string;
    role: string;
    outcomes: Outcome[];
    form: FieldSpec[];
    due: HumanTaskStep['due'];
    deadline?: DeadlinePolicy;
  }): Promise<CompleteTaskRequest> {
    const startedAt = Date.now();
    const dueAt = addDuration(startedAt, spec.due, input.calendar);
    // The id comes from the workflow's deterministic random source, and the task is
    // in the workflow's state before its row exists: a person who sees the row and
    // completes it at once is never refused as "unknown task".
    const task: RunTask = {
      taskId: uuid4(),
      taskKey: spec.taskKey,
      stepId: spec.stepId,
      title: spec.title,
      role: spec.role,
      outcomes: spec.outcomes,
      form: spec.form,
      status: 'open',
      startedAt,
      dueAt,
      escalationLevel: 0,
      recorded: false,
    };
    run.tasks.set(task.taskId, task);
    const taskId = task.taskId;
    await acts.createTask({
      processId,
      taskId: task.taskId,
      taskKey: spec.taskKey,
      stepId: spec.stepId,
      title: spec.title,
      role: spec.role,
      outcomes: spec.outcomes,
      form: spec.form,
      dueAt,
      at: startedAt,
    });
    task.recorded = true;
    const completed = (): boolean => task.completion !== undefined;

    for (const point of checkpoints(startedAt, dueAt, spec.deadline)) {
      const wait = point.at - Date.now();
      // condition() returns false when the timeout passes first: the deadline point.
      if (wait > 0 && (await condition(completed, wait))) break;
      if (completed()) break;
      // A completion in flight wins over a due escalation: do not move a task
      // that a person is completing right now.
      if (task.status !== 'open') continue;
      if (point.kind === 'remind') {
        await acts.remindTask({ processId, taskId, taskKey: spec.taskKey, role: task.role, index: point.index, dueAt, at: Date.now() });
      } else {
        const fromRole = task.role;
        await acts.escalateTask({
          processId,
          taskId,
          taskKey: spec.taskKey,
          fromRole,
          toRole: point.toRole,
          level: point.level,
          at: Date.now(),
        });
        task.role = point.toRole;
        task.escalationLevel = point.level;
      }
    }
    // Once the chain is exhausted the task stays with its last assignee.
    await condition(completed);
    return task.completion!;
  }

  async function runStep(step: Step): Promise<StepResult> {
    run.steps[step.id] = 'running';
    const result = await runStepKind(step);
    run.steps[step.id] = result;
    return result;
  }

  async function runStepKind(step: Step): Promise<StepResult> {
    switch (step.kind) {
      case 'sequence':
        for (const child of step.steps) {
          if ((await runStep(child)) === 'rejected') return 'rejected';
        }
        return 'completed';
      case 'task': {
        const done = await humanTask({
          taskKey: step.id,
          stepId: step.id,
          title: step.title,
          role: step.role,
          outcomes: ['done'],
          form: step.form ?? [],
          due: step.due,
          deadline: step.deadline,
        });
        run.variables[step.id] = { ...done.data, completedBy: done.actor.username };
        return 'completed';
      }
      case 'approval':
        return runApproval(step);
    }
  }

  async function runApproval(step: ApprovalStep): Promise<StepResult> {
    const decisions: { role: string; outcome: Outcome; by: string; data: Record<string, unknown> }[] = [];
    for (const [level, approver] of step.chain.entries()) {
      const done = await humanTask({
        taskKey: `${step.id}/${level + 1}`,
        stepId: step.id,
        title: step.title,
        role: approver.role,
        outcomes: ['approve', 'reject'],
        form: step.form ?? [],
        due: approver.due,
        deadline: approver.deadline,
      });
      decisions.push({ role: approver.role, outcome: done.outcome, by: done.actor.username, data: done.data });
      run.variables[step.id] = { decisions: [...decisions] };
      if (done.outcome === 'reject') return 'rejected';
    }
    return 'completed';
  }

  await acts.registerProcess({
    processId,
    projectId: input.projectId,
    definitionKey: input.definition.key,
    definitionVersion: input.definition.version,
    title: input.definition.title,
    input: input.input,
    startedBy: input.startedBy,
    at: Date.now(),
  });

  try {
    const result = await runStep(input.definition.root);
    run.status = result === 'completed' ? 'completed' : 'rejected';
  } catch (err) {
    if (!isCancellation(err)) throw err;
    run.status = 'cancelled';
    // The workflow is being cancelled: record it even so, in a scope that the
    // cancellation cannot interrupt.
    await CancellationScope.nonCancellable(() => acts.finishProcess({ processId, status: 'cancelled', at: Date.now() }));
    throw err;
  }
  await acts.finishProcess({ processId, status: run.status, at: Date.now() });
  // Let an update handler that is still writing finish before the run closes.
  await condition(allHandlersFinished);
  return { status: run.status, variables: run.variables };
}
