// Failure types name what happened, never an HTTP status: the workflow and the
// activities raise them as non-retryable `ApplicationFailure`s, and only the HTTP
// layer (`api/temporal-errors.ts`) decides which status each one becomes.

/** The `type` of a business failure raised inside a workflow or an activity. */
export const FailureTypes = {
  taskNotFound: 'TaskNotFound',
  taskNotOpen: 'TaskNotOpen',
  outcomeNotAllowed: 'OutcomeNotAllowed',
  actionNotAllowed: 'ActionNotAllowed',
  unknownEvent: 'UnknownEvent',
  stepNotFailing: 'StepNotFailing',
  approvalNotFound: 'ApprovalNotFound',
  /** A completion effect failed for a reason other than a business refusal. */
  effectFailed: 'EffectFailed',
  /** The unit a form names is not a unit of the process's project. */
  unitNotInProject: 'UnitNotInProject',
  /** The unit is held by another process or not in the status the move needs. */
  unitUnavailable: 'UnitUnavailable',
  /** The phone belongs to another agent's customer whose protection has not lapsed. */
  customerOwned: 'CustomerOwned',
  /** Submitted data is valid for its form but not for the business rule (an agreement signed without its buyers). */
  invalidData: 'InvalidData',
  /** The order is not in a state the step needs (already cancelled, its process still running). */
  orderNotActive: 'OrderNotActive',
  /** A customer, order or agent a step names belongs to another project than the process. */
  notInProject: 'NotInProject',
  /** A migration to another definition version cannot be applied in the instance's state. */
  migrationRefused: 'MigrationRefused',
} as const;

/** One of {@link FailureTypes}. */
export type FailureType = (typeof FailureTypes)[keyof typeof FailureTypes];
