/** Everything with side effects that the workflows call. */
export { createActivities } from './process-activities';
export type { ActivityDeps, ProcessActivities, ProcessRegistration } from './process-activities';
export { BUILT_IN_STEP_ACTIVITIES, BUILT_IN_STEP_ACTIVITY_NAMES } from './registry';
export type { RegisteredActivity, StepActivityContext } from './registry';
