import type { FieldType } from '../domain/fields';

/**
 * Plain types of a process definition. They are what the workflow sandbox sees:
 * the zod schema in `schema.ts` validates definitions outside the sandbox, and the
 * interpreter receives already-validated plain data typed by these interfaces.
 * (Constructing zod schemas inside workflow code costs memory per cached workflow.)
 */

/** One field of a form, a process input or an event payload. */
export interface FieldSpec {
  name: string;
  label?: string;
  type: FieldType;
  required?: boolean;
  /** Lower bound for numbers; minimum length for strings and lists. */
  min?: number;
  /** Upper bound for numbers; maximum length for strings and lists. */
  max?: number;
  /** Allowed values of an `enum` field. */
  options?: string[];
  /** Fields of each item of a `list` field; without it, a list of strings. */
  of?: FieldSpec[];
}

/** An allowed time. `workingDays` counts days of the working calendar. */
export interface DurationSpec {
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
  workingDays?: number;
}

/** A duration chosen by the value of a variable (e.g. follow-up cadence by intent level). */
export interface CadenceSpec {
  /** The variable whose value picks the case; with a list, the first one that is set. */
  byValueOf: string | string[];
  cases: Record<string, DurationSpec>;
  otherwise: DurationSpec;
}

/**
 * When a human step is due: a duration from its start; a duration picked by a
 * variable's value; or an instant held by a variable (the first set one of a
 * list), falling back to `ifMissing` when none is set.
 */
export type DueSpec = DurationSpec | CadenceSpec | { atVariable: string | string[]; ifMissing?: DurationSpec | CadenceSpec };

/**
 * An activity run when a person completes a task, before the completion is
 * accepted: if it refuses (a unit already taken), the person's completion is
 * refused and the task stays open. Its mappings may read `$form.<field>`.
 */
export interface CompletionEffect {
  activity: string;
  input?: Record<string, ValueMapping>;
}

/** One escalation level: at `atFraction` of the allowed time, the task moves to `toRole`. */
export interface EscalationLevel {
  atFraction: number;
  toRole: string;
}

/** What happens to a human step as its deadline nears and passes. */
export interface DeadlinePolicy {
  /** Reminders to the current assignee, as fractions of the allowed time (e.g. 0.5). */
  remindAt?: number[];
  /** Escalation levels in increasing `atFraction` order. */
  escalate?: EscalationLevel[];
  /**
   * When the chain is exhausted: by default the task keeps waiting on its last
   * assignee; an approval may instead decide itself at `atFraction`.
   */
  finally?: { atFraction: number; action: 'auto-approve' | 'auto-reject' };
}

/** The outcomes a person can give a human step. */
export type Outcome = 'approve' | 'reject' | 'revise' | 'done';

/**
 * A value for an activity or sub-process input: a variable's value or a constant.
 * With a list of variables, the first one that is set (not missing, null or a blank
 * string): e.g. the plan as the reviewer revised it, else as it was submitted.
 */
export type ValueMapping = { var: string | string[] } | { value: unknown };

/** A declarative condition on variables: no code strings, no eval. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { var: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'truthy'; value?: unknown };

/** Who a human step goes to besides its role: a user whose id a variable holds. */
export interface AssignTo {
  userFrom: string;
}

/** A task that one role (or one user) owes: fill a form and submit it. */
export interface HumanTaskStep {
  kind: 'task';
  id: string;
  title: string;
  role: string;
  assignTo?: AssignTo;
  form?: FieldSpec[];
  /** Each submission is kept as a record of this kind (a named document of the seed). */
  record?: string;
  onComplete?: CompletionEffect;
  /**
   * What the person needs to see besides the form, resolved when the task opens
   * (e.g. management's instruction that this task carries out). Shown read-only.
   */
  context?: Record<string, ValueMapping>;
  due: DueSpec;
  deadline?: DeadlinePolicy;
}

/** One approver of an approval. */
export interface ApproverSpec {
  role: string;
  due: DueSpec;
  deadline?: DeadlinePolicy;
}

/**
 * An approval: `chain` approvers decide one after another; `joint` approvers all
 * decide at once and all must approve. Any rejection rejects it. A revise sends the
 * item back to `revise.role`, whose changed data then goes through all approvers again.
 */
export interface ApprovalStep {
  kind: 'approval';
  id: string;
  title: string;
  mode?: 'chain' | 'joint';
  approvers: ApproverSpec[];
  form?: FieldSpec[];
  /** Each decision is kept as a record of this kind. */
  record?: string;
  revise?: {
    role: string;
    assignTo?: AssignTo;
    form?: FieldSpec[];
    record?: string;
    due: DueSpec;
    maxRounds: number;
    deadline?: DeadlinePolicy;
  };
  /** A rejection is recorded and the enclosing sequence goes on (the current plan stands). */
  continueOnReject?: boolean;
}

/**
 * Events that cut a running block short: when one arrives, the block's open tasks
 * are withdrawn (with the event as the reason), its running children cancelled,
 * and the flow continues with `then` if given, then after the block.
 */
export interface Interruption {
  events: string[];
  then?: Step;
}

/**
 * A non-interrupting event handler: every time `event` arrives while the block
 * runs, `step` runs beside it. Its mappings and task contexts read the event as
 * `$event` (`$event.payload.<field>`, `$event.by`), as it is when each of them
 * starts. The block ends when its own steps and every handler started have ended.
 */
export interface EventHandler {
  event: string;
  step: Step;
}

/** What a block (sequence, parallel, loop) may declare besides its steps. */
export interface BlockEvents {
  interruptedBy?: Interruption;
  onEvent?: EventHandler[];
}

/** Steps run one after another; a rejected step ends the sequence (unless it continues on reject). */
export interface SequenceStep extends BlockEvents {
  kind: 'sequence';
  id: string;
  steps: Step[];
}

/** Branches run at once; the step ends when all have. */
export interface ParallelStep extends BlockEvents {
  kind: 'parallel';
  id: string;
  branches: Step[];
}

/** The first branch whose condition holds runs; otherwise `otherwise`, if any. */
export interface DecisionStep {
  kind: 'decision';
  id: string;
  branches: { when: Condition; step: Step }[];
  otherwise?: Step;
}

/** Runs `body` while `while` holds and until `untilEvent` (or any of a list) arrives, never more than `maxIterations` times. */
export interface LoopStep extends BlockEvents {
  kind: 'loop';
  id: string;
  body: Step;
  while?: Condition;
  untilEvent?: string | string[];
  maxIterations: number;
  /**
   * Each iteration starts without the values its body's steps (and the body's event
   * handlers) produced in earlier iterations, so that what one iteration (a sales
   * phase) produced is never read as the next one's. Off by default: a follow-up
   * loop, for one, reads the previous follow-up's planned contact.
   */
  freshValues?: boolean;
}

/** Waits a duration, or until the instant a variable holds. */
export interface TimerStep {
  kind: 'timer';
  id: string;
  duration?: DurationSpec;
  untilVariable?: string;
}

/** Waits for a named external event, optionally no longer than `timeout`. */
export interface EventStep {
  kind: 'event';
  id: string;
  event: string;
  timeout?: DurationSpec;
}

/** Calls a registered activity; its result becomes the step's variable. */
export interface ActivityStep {
  kind: 'activity';
  id: string;
  activity: string;
  input?: Record<string, ValueMapping>;
  /** Attempts before the step shows as failing and waits for a retry (default 3). */
  maxAttempts?: number;
}

/** Starts another definition as a child process (one per item of `forEach`) and waits for all. */
export interface SubprocessStep {
  kind: 'subprocess';
  id: string;
  definition: string;
  version?: number;
  input?: Record<string, ValueMapping>;
  /** A list variable: one child per item, whose mappings may read `$item`. */
  forEach?: string;
  /**
   * `false`: start the children and go on without waiting (they are cancelled if
   * this process ends first). The step's variable lists the started ids.
   */
  wait?: boolean;
  /** A rejected child is recorded and the enclosing sequence goes on. */
  continueOnReject?: boolean;
}

/** Ends the whole process with an outcome. */
export interface EndStep {
  kind: 'end';
  id: string;
  outcome: 'completed' | 'rejected';
}

/** Any step. */
export type Step =
  | HumanTaskStep
  | ApprovalStep
  | SequenceStep
  | ParallelStep
  | DecisionStep
  | LoopStep
  | TimerStep
  | EventStep
  | ActivityStep
  | SubprocessStep
  | EndStep;

/** An external event a process accepts, with its payload. */
export interface EventSpec {
  name: string;
  payload: FieldSpec[];
  /**
   * Roles whose holders may send it through the API; `system` means the system
   * itself raises it (e.g. sold-out when the last unit is sold). Unset: anyone
   * with the `processes.events` permission.
   */
  senders?: string[];
}

/** A versioned process definition: data that the interpreter workflow runs. */
export interface ProcessDefinition {
  key: string;
  version: number;
  title: string;
  description?: string;
  /** Every role the definition assigns work or escalates to. */
  roles: string[];
  /** Roles whose holders may start it through the API (besides `processes.start`); unset: any. */
  starters?: string[];
  /** The fields a start request must carry. */
  input: FieldSpec[];
  /** The external events instances accept. */
  events?: EventSpec[];
  root: Step;
}

/** The working calendar used to compute due times in working days. */
export interface WorkingCalendar {
  /** Days of the week that are not worked, 0 = Sunday. */
  weekendDays: number[];
  /** Non-working dates, `YYYY-MM-DD`, in the calendar's time zone. */
  holidays: string[];
  /**
   * Weekend dates that are worked (调休: China moves working days onto weekends
   * around Spring Festival and National Day), `YYYY-MM-DD`. Absent in calendars
   * saved before it existed, which is the same as none.
   */
  extraWorkingDays?: string[];
  /** Offset of the calendar's time zone from UTC (China: 480). */
  utcOffsetMinutes: number;
}
