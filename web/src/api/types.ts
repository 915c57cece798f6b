// What the API returns, as the front end reads it (dates are ISO strings in JSON).
// Shared vocabularies come from the server's own modules by type.
import type { Permission } from '../../../api/permissions';
import type { FieldSpec, Outcome, ProcessDefinition, Step, WorkingCalendar } from '../../../definitions/types';
import type {
  CustomerClass,
  CustomerEventType,
  CustomerStage,
  DealStage,
  FieldType,
  FollowUpChannel,
  ProcessStatus,
  StepStatus,
  TaskStatus,
  UnitStatus,
} from '../../../domain';

export type {
  CustomerClass,
  CustomerEventType,
  CustomerStage,
  DealStage,
  FieldSpec,
  FieldType,
  FollowUpChannel,
  Outcome,
  Permission,
  ProcessDefinition,
  ProcessStatus,
  Step,
  StepStatus,
  TaskStatus,
  UnitStatus,
};

/** The signed-in user (`GET /api/auth/me`). */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: Permission[];
  projects: string[] | 'all';
}

/** `GET /api/settings`. */
export interface Settings {
  dateFormat: string;
  currencySymbol: string;
  defaultLocale: 'zh-CN' | 'en';
  /** The organisation's business time zone (IANA), where days are cut. */
  businessTimeZone: string;
  workingCalendar: WorkingCalendar;
}

/** A task row (`GET /api/tasks`, `GET /api/tasks/:id`). */
export interface Task {
  id: string;
  processId: string;
  taskKey: string;
  stepId: string;
  title: string;
  originalRole: string;
  assigneeRole: string;
  assigneeUserId: string | null;
  delegateUserId: string | null;
  pausedAt: string | null;
  status: TaskStatus;
  dueAt: string;
  dueAtDisplay?: string;
  escalationLevel: number;
  form: FieldSpec[];
  outcomes: Outcome[];
  outcome: string | null;
  data: Record<string, unknown> | null;
  /** What the definition shows the assignee alongside the form (earlier answers, the instruction…). */
  context?: Record<string, unknown> | null;
  createdAt: string;
  completedAt?: string | null;
  completedById?: string | null;
  overdue?: boolean;
  projectId?: string;
  /** In lists: the title and definition of the process the task is part of. */
  processTitle?: string;
  definitionKey?: string;
}

/** A process row (`GET /api/processes`). */
export interface ProcessRow {
  id: string;
  projectId: string;
  definitionKey: string;
  definitionVersion: number;
  title: string;
  status: ProcessStatus;
  input: Record<string, unknown>;
  startedById: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  parentId: string | null;
}

/** One history entry of a process. */
export interface HistoryEvent {
  id: string;
  at: string;
  type: string;
  stepId: string | null;
  taskId: string | null;
  actorName: string | null;
  data: Record<string, unknown> | null;
}

/** `GET /api/processes/:id`. */
export interface ProcessDetail extends ProcessRow {
  startedAtDisplay: string;
  inputDisplay: Record<string, string> | null;
  variables: Record<string, unknown> | null;
  steps: Record<string, StepStatus> | null;
  /** Running approvals by step key: the approvers' roles in order, the skipped indexes, the round. */
  approvals: Record<string, { approvers: string[]; skipped: number[]; round: number }> | null;
  tasks: { open: Task[]; finished: Task[] };
  history: HistoryEvent[];
}

/** `GET /api/definitions` rows. */
/** A definition key with its published versions, as `GET /api/definitions` lists them. */
export interface DefinitionSummary {
  key: string;
  title: string;
  latestVersion: number;
  /** `api`: offered on the start page; `route`/`parent`: started from its order or customer, or by its parent process. */
  startedBy: 'api' | 'route' | 'parent';
  versions: { version: number; source: string; publishedAt: string }[];
}

/** A unit for sale (房源). Decimals arrive as strings. */
export interface Unit {
  id: string;
  projectId: string;
  building: string;
  unitNo: string;
  floor: number;
  area: string;
  layout: string;
  listPrice: string;
  status: UnitStatus;
  holderProcessId: string | null;
  updatedAt: string;
}

/** `GET /api/units`: a page of a project's units, and the whole project's counts by status. */
export interface UnitList {
  items: Unit[];
  nextCursor: string | null;
  total?: number;
  counts: Partial<Record<UnitStatus, number>>;
}

/** `GET /api/units/:id`. */
export interface UnitDetail extends Unit {
  history: { at: string; action: string; before: unknown; after: unknown }[];
}

/** A submitted document. */
export interface RecordRow {
  id: string;
  projectId: string;
  processId: string;
  taskId: string;
  stepId: string;
  kind: string;
  data: Record<string, unknown>;
  createdById: string | null;
  createdByName: string;
  createdAt: string;
}

export interface Project {
  id: string;
  name: string;
  createdAt?: string;
}

/** A user as `/api/users` shows it. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  active: boolean;
  roles: string[];
  projects: string[];
  createdAt?: string;
}

export interface Role {
  name: string;
  title: string;
  permissions: Permission[];
}

/** `GET /api/roles`. */
export interface RoleList {
  roles: Role[];
  permissions: Permission[];
}

export interface AuditRow {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  /** The actor's display name and the object's name (a customer's, a unit's number…), where there is one. */
  actorDisplayName: string | null;
  objectName: string | null;
}

/** A colleague one may hand work to (`GET /api/board` → people). */
export interface Person {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  projects: string[];
}

/** Open work counted one way (`GET /api/board`). */
export interface BoardGroup {
  key: string;
  open: number;
  overdue: number;
  escalated: number;
}

/** `GET /api/board`. */
export interface Board {
  byRole: BoardGroup[];
  byPerson: BoardGroup[];
  byProject: BoardGroup[];
  people: Person[];
}

/** A customer as lists show it (`GET /api/customers`): others' phones masked. */
export interface Customer {
  id: string;
  projectId: string;
  name: string;
  phone: string;
  phoneMasked: boolean;
  owner: { id: string; username: string; displayName: string };
  protectedUntil: string;
  classification: CustomerClass | null;
  stage: CustomerStage;
  lostReason: string | null;
  source: string | null;
  tags: string[];
  archived: boolean;
  createdAt: string;
}

/** One row of a customer's timeline. */
export interface CustomerEvent {
  id: string;
  at: string;
  type: CustomerEventType;
  channel: FollowUpChannel | null;
  result: string | null;
  notes: string | null;
  nextContactAt: string | null;
  byName: string;
  /** The name of the user who did it (the timeline keeps the sign-in name). */
  byDisplayName?: string | null;
  processId: string | null;
  data: Record<string, unknown> | null;
}

/** A deal (商机, `GET /api/deals`). */
export interface Deal {
  id: string;
  projectId: string;
  customerId: string;
  originProcessId: string;
  unitId: string | null;
  stage: DealStage;
  probability: number;
  expectedAmount: string | null;
  expectedCloseDate: string | null;
  lostReason: string | null;
  createdAt: string;
  updatedAt: string;
  customer?: { id: string; name: string };
}

/** One instalment of an order's payment schedule. */
export interface Payment {
  id: string;
  seq: number;
  dueAt: string;
  amount: string;
  paidAmount: string | null;
  paidAt: string | null;
  method: string | null;
  late: boolean;
}

/** A cancellation's refund. */
export interface Refund {
  id: string;
  processId: string;
  reason: string;
  amount: string;
  status: 'approved' | 'refunded';
  refundedAt: string | null;
  createdAt: string;
}

/** A subscription or contract with its payments and refunds (`GET /api/orders`). */
export interface Order {
  id: string;
  projectId: string;
  customerId: string;
  unitId: string;
  kind: 'subscription' | 'contract';
  processId: string;
  holderProcessId: string;
  number: string | null;
  listPrice: string;
  price: string;
  discount: string;
  paymentMethod: string | null;
  deposit: string | null;
  signingDeadline: string | null;
  approvalLevel: string | null;
  status: 'draft' | 'approved' | 'signed' | 'cancelled';
  signedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  payments: Payment[];
  refunds: Refund[];
  customer?: { id: string; name: string };
  unit: { id: string; building: string; unitNo: string; layout: string } | null;
}

/** An after-sales case (售后). */
export interface ServiceCase {
  id: string;
  processId: string;
  kind: 'complaint' | 'repair' | 'delivery' | 'contract-question';
  description: string;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

/** One customer in full (`GET /api/customers/:id`). */
export interface CustomerDetail extends Customer {
  household: Record<string, unknown> | null;
  timeline: CustomerEvent[];
  deals: Deal[];
  orders: Order[];
  serviceCases: ServiceCase[];
  records: RecordRow[];
}

/** A sales target with its progress computed from the data (`GET /api/targets`). */
export interface Target {
  id: string;
  projectId: string;
  userId: string | null;
  team: boolean;
  period: 'month' | 'quarter';
  periodStart: string;
  periodEnd: string;
  units: number;
  amount: string;
  visits: number;
  followUps: number;
  progress: { units: number; amount: number; visits: number; followUps: number };
}

/** The help centre (`GET /api/help`). */
export interface HelpPages {
  locale: string;
  pages: { slug: string; title: string; markdown: string }[];
}
