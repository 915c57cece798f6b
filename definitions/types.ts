/**
 * Plain types of a process definition. They are what the workflow sandbox sees:
 * the zod schema in `schema.ts` validates definitions outside the sandbox, and the
 * interpreter receives already-validated plain data typed by these interfaces.
 * (Constructing zod schemas inside workflow code costs memory per cached workflow.)
 */

/** Field types that forms and process inputs may declare. */
export type FieldType = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'date' | 'enum';

/** One field of a form or of a process input. */
export interface FieldSpec {
  name: string;
  label?: string;
  type: FieldType;
  required?: boolean;
  /** Lower bound for numbers; minimum length for strings. */
  min?: number;
  /** Upper bound for numbers; maximum length for strings. */
  max?: number;
  /** Allowed values of an `enum` field. */
  options?: string[];
}

/** An allowed time. `workingDays` counts days of the working calendar. */
export interface DurationSpec {
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
  workingDays?: number;
}

/** One escalation level: at `atFraction` of the allowed time, the task moves to `toRole`. */
export interface EscalationLevel {
  atFraction: number;
  toRole: string;
}

/** What happens to an overdue human step. */
export interface DeadlinePolicy {
  /** Reminders to the current assignee, as fractions of the allowed time (e.g. 0.5). */
  remindAt?: number[];
  /** Escalation levels in increasing `atFraction` order. */
  escalate?: EscalationLevel[];
  /** After the last level: keep waiting on the last assignee (the default). */
  onExhausted?: 'keep-waiting';
}

/** The outcomes a human step accepts. */
export type Outcome = 'approve' | 'reject' | 'done';

/** A task that one role owes: fill a form and submit it. */
export interface HumanTaskStep {
  kind: 'task';
  id: string;
  title: string;
  role: string;
  form?: FieldSpec[];
  due: DurationSpec;
  deadline?: DeadlinePolicy;
}

/** One approver of an approval chain. */
export interface ApproverSpec {
  role: string;
  due: DurationSpec;
  deadline?: DeadlinePolicy;
}

/** An ordered chain of approvers: each approves in turn; any rejection ends it as rejected. */
export interface ApprovalStep {
  kind: 'approval';
  id: string;
  title: string;
  chain: ApproverSpec[];
  form?: FieldSpec[];
}

/** Steps run one after another. */
export interface SequenceStep {
  kind: 'sequence';
  id: string;
  steps: Step[];
}

/** Any step. */
export type Step = HumanTaskStep | ApprovalStep | SequenceStep;

/** A versioned process definition: data that the interpreter workflow runs. */
export interface ProcessDefinition {
  key: string;
  version: number;
  title: string;
  description?: string;
  /** Every role the definition assigns work or escalates to. */
  roles: string[];
  /** The fields a start request must carry. */
  input: FieldSpec[];
  root: Step;
}

/** The working calendar used to compute due times in working days. */
export interface WorkingCalendar {
  /** Days of the week that are not worked, 0 = Sunday. */
  weekendDays: number[];
  /** Non-working dates, `YYYY-MM-DD`, in the calendar's time zone. */
  holidays: string[];
  /** Offset of the calendar's time zone from UTC (China: 480). */
  utcOffsetMinutes: number;
}
