import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { RETRY_AFTER_SECONDS, temporalErrorToHttp } from '../../api/temporal-errors';

// Issue 13: Temporal not answering in time (the request's deadline) or not reachable
// is a 503 with Retry-After, never a 500.

/** A gRPC error as @grpc/grpc-js makes them. */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

test.each([
  [
    'an Update whose deadline passed',
    new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', { cause: grpcError(4, 'Deadline exceeded') }),
  ],
  ['a query whose deadline passed', new ServiceError('Failed to query Workflow', { cause: grpcError(4, 'Deadline exceeded') })],
  ['a call cancelled', new ServiceError('Failed to start Workflow', { cause: grpcError(1, 'Cancelled') })],
  ['the server unreachable', new ServiceError('Failed to start Workflow', { cause: grpcError(14, 'No connection established') })],
])('%s is 503 unavailable with Retry-After', (_what, err) => {
  const http = temporalErrorToHttp(err);
  expect(http).toMatchObject({ status: 503, code: 'unavailable', retryAfter: RETRY_AFTER_SECONDS });
});

test('other Temporal errors are not turned into 503', () => {
  expect(temporalErrorToHttp(new ServiceError('Failed', { cause: grpcError(13, 'Internal') }))).toBeUndefined();
  expect(temporalErrorToHttp(new Error('something else'))).toBeUndefined();
});
