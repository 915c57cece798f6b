/** Everything with side effects that the workflows call. */
export { createActivities } from './process-activities';
export type { ActivityDeps, ProcessActivities } from './process-activities';
