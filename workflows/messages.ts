import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FieldSpec, Outcome, ProcessDefinition, WorkingCalendar } from '../definitions/types';

// Message definitions and the shapes that cross the workflow boundary. The API and
// the tests import these same objects, so names and types cannot drift apart.

/** Who acted: a signed-in user, or the system itself (escalations). */
export interface Actor {
  userId: string | null;
  username: string;
}

/** What the interpreter workflow is started with. All of it is already validated. */
export interface ProcessInput {
  processId: string;
  projectId: string;
  /** The exact definition the instance runs: part of the input, so replay is deterministic. */
  definition: ProcessDefinition;
  input: Record<string, unknown>;
  startedBy: Actor;
  /** The working calendar at start; a later settings change does not move running deadlines. */
  calendar: WorkingCalendar;
}

/** How a process ended. */
export type ProcessStatus = 'running' | 'completed' | 'rejected' | 'cancelled' | 'failed';

/** The workflow's result. */
export interface ProcessResult {
  status: Exclude<ProcessStatus, 'running'>;
  variables: Record<string, unknown>;
}

/** A human task as the workflow tracks it. */
export interface TaskState {
  taskId: string;
  taskKey: string;
  stepId: string;
  title: string;
  role: string;
  outcomes: Outcome[];
  form: FieldSpec[];
  status: 'open' | 'completing' | 'completed' | 'cancelled';
  startedAt: number;
  dueAt: number;
  escalationLevel: number;
  outcome?: Outcome;
  completedBy?: Actor;
}

/** The state a query returns. */
export interface ProcessSnapshot {
  processId: string;
  definitionKey: string;
  definitionVersion: number;
  status: ProcessStatus;
  variables: Record<string, unknown>;
  steps: Record<string, 'running' | 'completed' | 'rejected'>;
  tasks: TaskState[];
}

/** A request to complete a human task. */
export interface CompleteTaskRequest {
  taskId: string;
  outcome: Outcome;
  /** Form data, already validated by the API against the task's form. */
  data: Record<string, unknown>;
  actor: Actor;
}

/** What completing a task returns to the caller. */
export interface CompleteTaskResult {
  taskId: string;
  outcome: Outcome;
  processStatus: ProcessStatus;
}

/**
 * Completes a human task. An Update rather than a Signal: the caller learns
 * synchronously whether the workflow accepted it, and the validator rejects an
 * unknown or already completed task before anything is written to history. The
 * API passes the client's idempotency key as the update id, so a retried request
 * is answered from the first one instead of acting twice.
 */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTask');

/** The instance's variables, step states and tasks. */
export const stateQuery = defineQuery<ProcessSnapshot>('state');

/** Failure types the workflow raises for rejections that the API maps to HTTP. */
export const FailureTypes = {
  taskNotFound: 'TaskNotFound',
  taskNotOpen: 'TaskNotOpen',
  outcomeNotAllowed: 'OutcomeNotAllowed',
} as const;
