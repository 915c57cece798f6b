import {
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError as TemporalServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { FailureTypes } from '../domain';
import { HttpError, RETRY_AFTER_SECONDS } from './errors';

/**
 * Maps what Temporal says about an Update to HTTP: the workflow's business
 * refusals (validator or handler failures of a known type, which name what
 * happened) become 4xx; a process that is no longer running is a conflict.
 * Returns `undefined` for anything else, which is then a fault.
 */
export function temporalErrorToHttp(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    switch (type) {
      case FailureTypes.outcomeNotAllowed:
        return new HttpError(400, 'bad_request', message, [{ field: 'body.outcome', reason: message }], { cause: err });
      case FailureTypes.unknownEvent:
        return new HttpError(400, 'bad_request', message, [{ field: 'body.name', reason: message }], { cause: err });
      case FailureTypes.unitNotInProject:
        return new HttpError(400, 'bad_request', message, [{ field: 'body.data', reason: message }], { cause: err });
      case FailureTypes.invalidData:
        return new HttpError(400, 'bad_request', message, [{ field: 'body.data', reason: message }], { cause: err });
      case FailureTypes.notInProject:
        return new HttpError(403, 'forbidden', message, [], { cause: err });
      case FailureTypes.effectFailed:
        return new HttpError(502, 'effect_failed', `The task's effect could not be applied: ${message}`, [], { cause: err });
      case FailureTypes.unitUnavailable:
      case FailureTypes.customerOwned:
      case FailureTypes.orderNotActive:
      case FailureTypes.taskNotOpen:
      case FailureTypes.taskNotFound:
      case FailureTypes.actionNotAllowed:
      case FailureTypes.stepNotFailing:
      case FailureTypes.approvalNotFound:
      case FailureTypes.migrationRefused:
        return new HttpError(409, 'conflict', message, [], { cause: err });
    }
  }
  if (err instanceof WorkflowNotFoundError) return new HttpError(409, 'conflict', 'The process is no longer running', [], { cause: err });
  if (isUnavailable(err))
    return new HttpError(
      503,
      'unavailable',
      'The process engine did not answer in time; repeat the request with the same Idempotency-Key',
      [],
      { cause: err, retryAfter: RETRY_AFTER_SECONDS },
    );
  return undefined;
}

export { RETRY_AFTER_SECONDS };

/**
 * Whether Temporal did not answer: the request's deadline passed (no worker took
 * the Update or the query, see `HTTP_WORKFLOW_TIMEOUT_MS`) or the server cannot be
 * reached. Both are worth repeating later, which 503 says; a 500 would not.
 */
function isUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  // Both helpers look at the error and its cause (the SDK wraps gRPC errors).
  if (isGrpcDeadlineError(err) || isGrpcCancelledError(err)) return true;
  const grpc = err instanceof TemporalServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && grpc.code === GRPC_UNAVAILABLE;
}

/** gRPC's status UNAVAILABLE (the server cannot be reached), without depending on @grpc/grpc-js directly. */
const GRPC_UNAVAILABLE = 14;
