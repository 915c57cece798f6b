// What the API returns, as the front end reads it (dates are ISO strings in JSON).
// Shared vocabularies come from the server's own modules by type.
import type { Permission } from '../../../api/permissions';
import type { FieldSpec, Outcome, ProcessDefinition, Step, WorkingCalendar } from '../../../definitions/types';
import type { FieldType, ProcessStatus, StepStatus, TaskStatus, UnitStatus } from '../../../domain';

export type { FieldSpec, FieldType, Outcome, Permission, ProcessDefinition, ProcessStatus, Step, StepStatus, TaskStatus, UnitStatus };

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
  overdue?: boolean;
  projectId?: string;
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
  tasks: { open: Task[]; finished: Task[] };
  history: HistoryEvent[];
}

/** `GET /api/definitions` rows. */
export interface DefinitionSummary {
  key: string;
  title: string;
  version: number;
  description?: string;
  starters?: string[];
  versions?: number[];
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

/** `GET /api/units`. */
export interface UnitList {
  units: Unit[];
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
