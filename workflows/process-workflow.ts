import { allHandlersFinished, condition, currentUpdateInfo, setHandler } from '@temporalio/workflow';
import { Approvals } from './approvals';
import { HumanTasks } from './human-tasks';
import {
  approverChangeUpdate,
  completeTaskUpdate,
  migrateUpdate,
  retryStepUpdate,
  sendEventUpdate,
  stateQuery,
  taskActionUpdate,
  type ProcessInput,
  type ProcessResult,
  type ProcessSnapshot,
} from './messages';
import { RunState } from './run-state';
import { StepWalker } from './step-walker';

/** The update id of the running handler: the client's action id, recorded with what it did. */
const actionId = (): string => currentUpdateInfo()?.id ?? 'unknown';

/**
 * The workflow: runs any validated process definition. One instance per business
 * process; its workflow ID is the process ID. Its type name, `processInterpreter`,
 * is recorded in every history and must not change. This function only wires
 * messages to the parts that hold the state: the {@link StepWalker}, the
 * {@link HumanTasks} and the {@link Approvals}.
 */
export async function processInterpreter(input: ProcessInput): Promise<ProcessResult> {
  const run = new RunState(input);
  const tasks = new HumanTasks(run);
  const approvals = new Approvals(run, tasks);
  const walker = new StepWalker(run, tasks, approvals);

  setHandler(stateQuery, (): ProcessSnapshot => ({
    processId: input.processId,
    definitionKey: run.definition.key,
    definitionVersion: run.definition.version,
    status: run.status,
    // A copy, so the caller cannot change the run's state (JSON: variables are plain data).
    variables: JSON.parse(JSON.stringify(run.variables)) as Record<string, unknown>,
    steps: { ...run.steps },
    tasks: tasks.list(),
    ...walker.snapshot(),
    approvals: approvals.snapshot(),
  }));
  // Each handler reads its update id before its first await: afterwards the
  // "current update" may be another one.
  setHandler(completeTaskUpdate, (request) => tasks.complete(request, actionId()), {
    validator: (request) => tasks.validateCompletion(request),
  });
  setHandler(taskActionUpdate, (request) => tasks.act(request, actionId()), {
    validator: (request) => tasks.validateAction(request),
  });
  setHandler(approverChangeUpdate, (request) => approvals.change(request, actionId()), {
    validator: (request) => approvals.validateChange(request),
  });
  setHandler(sendEventUpdate, (request) => walker.receiveEvent(request, actionId()), {
    validator: (request) => walker.validateEvent(request),
  });
  setHandler(migrateUpdate, (request) => walker.migrate(request, actionId()), {
    validator: (request) => walker.validateMigration(request),
  });
  setHandler(retryStepUpdate, (request) => walker.retryStep(request.stepKey, request.actor, actionId()), {
    validator: (request) => walker.validateRetry(request.stepKey),
  });

  const result = await walker.execute();
  // Let an update handler that is still writing finish before the run closes.
  await condition(allHandlersFinished);
  return result;
}
