// The status vocabularies of the product, as constant lists so that zod schemas,
// database checks, the workflow and the web app enumerate the same values.

/** How a process stands. `failing`: an activity step exhausted its attempts and waits for a retry. */
export const PROCESS_STATUSES = ['running', 'failing', 'completed', 'rejected', 'cancelled', 'failed'] as const;
/** One of {@link PROCESS_STATUSES}. */
export type ProcessStatus = (typeof PROCESS_STATUSES)[number];

/** The state of a step instance (keyed by its scope path, e.g. `phases[2]/summary`). */
export const STEP_STATUSES = ['running', 'waiting', 'failed', 'completed', 'rejected', 'skipped'] as const;
/** One of {@link STEP_STATUSES}. */
export type StepStatus = (typeof STEP_STATUSES)[number];

/** A human task's status as the workflow tracks it; `completing` only while a completion is being written. */
export const TASK_STATUSES = ['open', 'completing', 'completed', 'cancelled'] as const;
/** One of {@link TASK_STATUSES}. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A unit's sales status (销控): available → reserved (deposit) → subscribed → sold, or back to available. */
export const UNIT_STATUSES = ['available', 'reserved', 'subscribed', 'sold'] as const;
/** One of {@link UNIT_STATUSES}. */
export type UnitStatus = (typeof UNIT_STATUSES)[number];
