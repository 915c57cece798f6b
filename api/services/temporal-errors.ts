import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { FailureTypes } from '../../workflows/messages';
import { badRequest, conflict, HttpError } from '../errors';

/**
 * Maps what Temporal says about an update to HTTP: the workflow's business
 * rejections (validator or handler failures with a known type) become 4xx; a
 * process that is no longer running is a conflict. Anything else is rethrown.
 */
export function updateErrorToHttp(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      switch (cause.type) {
        case FailureTypes.outcomeNotAllowed:
          throw badRequest(cause.message, [{ field: 'body.outcome', reason: cause.message }]);
        case FailureTypes.unknownEvent:
          throw badRequest(cause.message, [{ field: 'body.name', reason: cause.message }]);
        case FailureTypes.invalid:
          throw badRequest(cause.message, [{ field: 'body.data', reason: cause.message }]);
        case FailureTypes.effectFailed:
          throw new HttpError(502, 'effect_failed', `The task's effect could not be applied: ${cause.message}`, [], { cause: err });
        case FailureTypes.conflict:
        case FailureTypes.taskNotOpen:
        case FailureTypes.taskNotFound:
        case FailureTypes.actionNotAllowed:
        case FailureTypes.stepNotFailing:
        case FailureTypes.approvalNotFound:
          throw new HttpError(409, 'conflict', cause.message, [], { cause: err });
      }
    }
  }
  if (err instanceof WorkflowNotFoundError) throw conflict('The process is no longer running');
  throw err;
}
