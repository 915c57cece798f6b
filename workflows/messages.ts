import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DurationSpec, FieldSpec, Outcome, ProcessDefinition, WorkingCalendar } from '../definitions/types';
import type { Actor, ProcessStatus, StepStatus, TaskStatus } from '../domain';
import type { MigrationPlan, StepMapping } from './migration';

// Message definitions and the shapes that cross the workflow boundary. The API and
// the tests import these same objects, so names and types cannot drift apart.
// Every message that changes state is an Update, not a Signal: the caller learns
// synchronously whether the workflow accepted it, validators refuse what the
// workflow cannot accept before anything reaches history, and the client's action
// id becomes the update id, so a retried action takes effect exactly once.

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
  /**
   * The definitions its sub-process steps start, resolved when the top process
   * started (`key@version` or `key@latest`), for the whole tree of children.
   */
  subDefinitions?: Record<string, ProcessDefinition>;
  /** The parent process, for a sub-process. */
  parentId?: string;
  /**
   * `local`: bookkeeping runs as local activities (fewer history events and round
   * trips). Absent in instances started before it existed, which keep remote
   * activities so that their histories replay.
   */
  bookkeeping?: 'local';
  /**
   * The process's row is written with its first task's (one write, one local
   * activity fewer) instead of by a write of its own before the walk. Absent in
   * instances started before it existed, which register first so that their
   * histories replay.
   */
  registerWithFirstWrite?: true;
}

/** The workflow's result. */
export interface ProcessResult {
  status: 'completed' | 'rejected';
  variables: Record<string, unknown>;
}

/** A human task as the workflow tracks it. */
export interface TaskState {
  taskId: string;
  taskKey: string;
  stepId: string;
  title: string;
  role: string;
  assigneeUserId?: string;
  delegateUserId?: string;
  outcomes: Outcome[];
  form: FieldSpec[];
  /** What the person sees besides the form (resolved from the step's `context`). */
  context?: Record<string, unknown>;
  status: TaskStatus;
  startedAt: number;
  dueAt: number;
  pausedAt?: number;
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
  steps: Record<string, StepStatus>;
  tasks: TaskState[];
  failedSteps: { stepKey: string; message: string }[];
  events: { name: string; at: number; consumed: boolean }[];
  approvals: Record<string, { approvers: string[]; skipped: number[]; round: number }>;
}

/** A request to complete a human task. */
export interface CompleteTaskRequest {
  taskId: string;
  outcome: Outcome;
  /** Form data, already validated by the API against the task's form. */
  data: Record<string, unknown>;
  actor: Actor;
  /** The caller is the task's delegate: the work returns to the owner for sign-off. */
  asDelegate?: boolean;
}

/** What completing a task returns to the caller. */
export interface CompleteTaskResult {
  taskId: string;
  outcome: Outcome;
  /** True when a delegate handed the work back: the task stays open for its owner. */
  returnedToOwner: boolean;
}

/** Completes a human task (or hands a delegated one back). */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTask');

/** An action on an open task other than completing it. */
export type TaskAction =
  | { action: 'claim'; userId: string }
  | { action: 'release' }
  | { action: 'reassign'; toRole?: string; toUserId?: string }
  | { action: 'delegate'; toUserId: string }
  | { action: 'extend-deadline'; by: DurationSpec }
  | { action: 'pause-deadline' }
  | { action: 'resume-deadline' };

/** A task action with its target and actor. */
export type TaskActionRequest = TaskAction & { taskId: string; actor: Actor };

/** Claims, releases, reassigns or delegates a task, or extends or pauses its deadline. */
export const taskActionUpdate = defineUpdate<TaskState, [TaskActionRequest]>('taskAction');

/** Adds an approver to, or skips one of, a running approval. */
export type ApproverChangeRequest =
  | { action: 'add'; stepKey: string; role: string; due: DurationSpec; position?: number; actor: Actor }
  | { action: 'skip'; stepKey: string; index: number; actor: Actor };

/** Changes the approvers of a running approval. */
export const approverChangeUpdate = defineUpdate<{ approvers: string[]; skipped: number[] }, [ApproverChangeRequest]>('changeApprovers');

/** An external event with its payload (already validated by the API). */
export interface SendEventRequest {
  name: string;
  payload: Record<string, unknown>;
  actor: Actor;
}

/** Delivers an external event, e.g. "construction milestone reached". */
export const sendEventUpdate = defineUpdate<{ accepted: true; name: string }, [SendEventRequest]>('sendEvent');

/** Runs a failing activity step again. */
export const retryStepUpdate = defineUpdate<{ retried: true; stepKey: string }, [{ stepKey: string; actor: Actor }]>('retryStep');

/**
 * Moves the instance to a newer version of its definition (see `migration.ts`).
 * The API resolved the definition and its sub-definitions; the workflow plans
 * again from its own state and refuses, in the validator, what cannot move.
 */
export interface MigrateRequest {
  definition: ProcessDefinition;
  subDefinitions: Record<string, ProcessDefinition>;
  mapping: StepMapping;
  actor: Actor;
}

/** What a migration did: the plan without the resume details. */
export type MigrationSummary = Pick<
  MigrationPlan,
  'fromVersion' | 'toVersion' | 'moved' | 'withdrawn' | 'restarted' | 'skipped' | 'starts'
>;

/** Applies a migration to a newer definition version. */
export const migrateUpdate = defineUpdate<MigrationSummary, [MigrateRequest]>('migrate');

/** The instance's variables, step states and tasks. */
export const stateQuery = defineQuery<ProcessSnapshot>('state');
