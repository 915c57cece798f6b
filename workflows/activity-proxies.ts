import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ProcessActivities } from '../activities';

// Activities are imported by type only: no database or Node code enters the sandbox.

/**
 * Bookkeeping (process and task rows, history, audit) retries until the database
 * answers: a process must not lose a record because Postgres blinked.
 */
export const bookkeeping = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Completion effects run while a person waits for the answer: a few quick
 * attempts, then the completion is refused rather than left hanging.
 */
export const completionEffects = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});

/**
 * The same bookkeeping as local activities: run by the worker inside the workflow
 * task that asks for them, recorded as one marker instead of three events and a
 * round trip through the server. Every one of them is a short, idempotent database
 * write (the activities say how), which is what local activities are for. New
 * instances use these (`ProcessInput.bookkeeping: 'local'`); instances started
 * before keep the remote ones, so their histories replay.
 */
export const localBookkeeping = proxyLocalActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Completion effects as local activities, for new instances (see {@link localBookkeeping}). */
export const localCompletionEffects = proxyLocalActivities<ProcessActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});

/** Activity steps retry `maxAttempts` times before the step shows as failed and waits for a retry. */
export function stepActivities(maxAttempts: number): ProcessActivities {
  return proxyActivities<ProcessActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: maxAttempts, initialInterval: '1 second', backoffCoefficient: 2 },
  });
}
