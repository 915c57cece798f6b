import { allHandlersFinished, condition, currentUpdateInfo, setHandler } from '@temporalio/workflow';
import { Interpreter } from './interpreter';
import {
  approverChangeUpdate,
  completeTaskUpdate,
  retryStepUpdate,
  sendEventUpdate,
  stateQuery,
  taskActionUpdate,
  type ProcessInput,
  type ProcessResult,
} from './messages';

/** The update id of the running handler: the client's action id, recorded with what it did. */
const actionId = (): string => currentUpdateInfo()?.id ?? 'unknown';

/**
 * The generic interpreter workflow: runs any validated process definition. One
 * instance per business process; its workflow ID is the process ID. This function
 * only wires messages to the {@link Interpreter}, which holds the state.
 */
export async function processInterpreter(input: ProcessInput): Promise<ProcessResult> {
  const run = new Interpreter(input);

  setHandler(stateQuery, () => run.snapshot());
  // Each handler reads its update id before its first await: afterwards the
  // "current update" may be another one.
  setHandler(completeTaskUpdate, (request) => run.completeTask(request, actionId()), {
    validator: (request) => run.validateCompletion(request),
  });
  setHandler(taskActionUpdate, (request) => run.taskAction(request, actionId()), {
    validator: (request) => run.validateTaskAction(request),
  });
  setHandler(approverChangeUpdate, (request) => run.changeApprovers(request, actionId()), {
    validator: (request) => run.validateApproverChange(request),
  });
  setHandler(sendEventUpdate, (request) => run.receiveEvent(request, actionId()), {
    validator: (request) => run.validateEvent(request),
  });
  setHandler(retryStepUpdate, (request) => run.retryStep(request.stepKey, request.actor, actionId()), {
    validator: (request) => run.validateRetry(request.stepKey),
  });

  const result = await run.execute();
  // Let an update handler that is still writing finish before the run closes.
  await condition(allHandlersFinished);
  return result;
}
