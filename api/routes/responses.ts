import { z } from 'zod';
import { PROCESS_STATUSES } from '../../domain';

// Success bodies of the main routes, for the OpenAPI document. Objects are loose
// (`z.looseObject`): they name the fields clients rely on and let the services add
// more without breaking the contract. Dates are ISO 8601 strings in JSON.

const isoDate = z.iso.datetime({ offset: true });

/** A task row as the task routes return it. */
export const taskResponse = z.looseObject({
  id: z.uuid(),
  processId: z.string(),
  taskKey: z.string(),
  stepId: z.string(),
  title: z.string(),
  originalRole: z.string(),
  assigneeRole: z.string(),
  assigneeUserId: z.uuid().nullable(),
  delegateUserId: z.uuid().nullable(),
  status: z.enum(['open', 'completed', 'cancelled']),
  dueAt: isoDate,
  dueAtDisplay: z.string(),
  escalationLevel: z.int(),
  outcomes: z.array(z.string()),
  outcome: z.string().nullable(),
  completedAt: isoDate.nullable(),
  createdAt: isoDate,
});

/** One page of a list: its rows, the cursor of the next page (null on the last) and, where it is cheap, the total. */
export const pageResponse = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), nextCursor: z.string().nullable(), total: z.int().optional() });

/** `GET /api/tasks`. */
export const taskListResponse = pageResponse(
  taskResponse.extend({ overdue: z.boolean(), processTitle: z.string(), definitionKey: z.string(), projectId: z.string() }),
);

/** `GET /api/tasks/{id}`. */
export const taskShowResponse = taskResponse.extend({ projectId: z.string() });

/** `POST /api/tasks/{id}/complete`. */
export const taskCompleteResponse = z.looseObject({
  taskId: z.uuid(),
  processId: z.string(),
  outcome: z.string().nullable(),
  repeated: z.boolean(),
});

/** A task's state after an action (claim, release, delegate, reassign, deadline). */
export const taskActionResponse = z.looseObject({ dueAt: isoDate, startedAt: isoDate });

/** A process instance row. */
export const processResponse = z.looseObject({
  id: z.string(),
  projectId: z.string(),
  definitionKey: z.string(),
  definitionVersion: z.int(),
  title: z.string(),
  status: z.enum(PROCESS_STATUSES),
  startedById: z.uuid().nullable(),
  startedAt: isoDate,
  finishedAt: isoDate.nullable(),
  outcome: z.string().nullable(),
});

/** `GET /api/processes`. */
export const processListResponse = pageResponse(processResponse);

/** `GET /api/processes/{id}`. */
export const processShowResponse = processResponse.extend({
  startedAtDisplay: z.string(),
  variables: z.record(z.string(), z.unknown()).nullable(),
  tasks: z.looseObject({ open: z.array(taskResponse.partial()), finished: z.array(taskResponse.partial()) }),
  history: z.array(z.looseObject({ id: z.string(), type: z.string() })),
});

/** `POST /api/processes`: 201 for a new process, 200 for a retry with the first request's key. */
export const processStartResponse = z.looseObject({ id: z.string(), status: z.string(), created: z.boolean() });

/** `POST /api/auth/login`. */
export const loginResponse = z.looseObject({ token: z.string(), expiresAt: isoDate, mustChangePassword: z.boolean() });

/** `GET /api/auth/me`. */
export const meResponse = z.looseObject({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  projects: z.union([z.literal('all'), z.array(z.string())]),
  mustChangePassword: z.boolean(),
});

/** `GET /api/definitions`. */
export const definitionListResponse = z.array(
  z.looseObject({
    key: z.string(),
    title: z.string(),
    latestVersion: z.int(),
    startedBy: z.enum(['api', 'route', 'parent']),
    versions: z.array(z.looseObject({ version: z.int(), source: z.string(), publishedAt: isoDate })),
  }),
);

// The list routes' pages (every list pages with a cursor: docs/api.md#lists-pages-and-cursors).

const owner = z.looseObject({ id: z.uuid(), username: z.string(), displayName: z.string() });

/** `GET /api/customers`: phones masked unless the caller may read them (`phoneMasked`). */
export const customerListResponse = pageResponse(
  z.looseObject({
    id: z.uuid(),
    projectId: z.string(),
    name: z.string(),
    phone: z.string(),
    phoneMasked: z.boolean(),
    stage: z.string(),
    owner,
    protectedUntil: isoDate,
    tags: z.array(z.string()),
    archived: z.boolean(),
  }),
);

/** `GET /api/deals`: the first page carries the weighted `pipeline` (yuan, exact). */
export const dealListResponse = pageResponse(
  z.looseObject({ id: z.uuid(), projectId: z.string(), customerId: z.uuid(), stage: z.string(), probability: z.unknown() }),
).extend({ pipeline: z.string().optional() });

/** `GET /api/orders`: with payments (late ones marked), refunds and the unit. */
export const orderListResponse = pageResponse(
  z.looseObject({
    id: z.uuid(),
    projectId: z.string(),
    customerId: z.uuid(),
    kind: z.enum(['subscription', 'contract']),
    status: z.string(),
    payments: z.array(z.looseObject({ seq: z.int(), late: z.boolean() })),
    refunds: z.array(z.looseObject({ id: z.uuid() })),
  }),
);

/** `GET /api/records`. */
export const recordListResponse = pageResponse(
  z.looseObject({ id: z.uuid(), projectId: z.string(), processId: z.string(), kind: z.string(), createdAt: isoDate }),
);

/** `GET /api/audit`: with the actor's and the object's names where there are. */
export const auditListResponse = pageResponse(
  z.looseObject({
    id: z.string(),
    at: isoDate,
    action: z.string(),
    objectType: z.string(),
    objectId: z.string().nullable(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    actorDisplayName: z.string().nullable(),
    objectName: z.string().nullable(),
  }),
);

/** `GET /api/units`: a page of units and the whole project's counts by status. */
export const unitListResponse = pageResponse(
  z.looseObject({ id: z.uuid(), projectId: z.string(), building: z.string(), unitNo: z.string(), floor: z.int(), status: z.string() }),
).extend({ counts: z.record(z.string(), z.int()) });

/** `GET /api/users`. */
export const userListResponse = pageResponse(
  z.looseObject({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    active: z.boolean(),
    roles: z.array(z.string()),
    projects: z.array(z.string()),
  }),
);

/** `GET /api/people`: the pickers' colleagues. */
export const peopleListResponse = pageResponse(
  z.looseObject({ id: z.uuid(), username: z.string(), displayName: z.string(), roles: z.array(z.string()), projects: z.array(z.string()) }),
);

/** `GET /api/notifications`: with the caller's unread count. */
export const notificationListResponse = pageResponse(
  z.looseObject({ id: z.uuid(), kind: z.string(), title: z.string(), createdAt: isoDate, readAt: isoDate.nullable() }),
).extend({ unreadCount: z.int() });

/** `GET /api/notifications/dead-letters`. */
export const deadLetterListResponse = pageResponse(
  z.looseObject({ id: z.string(), channel: z.string(), kind: z.string(), attempts: z.int(), createdAt: isoDate }),
);

/** `GET /api/roles`: the roles and every permission there is. */
export const roleListResponse = z.looseObject({
  roles: z.array(z.looseObject({ name: z.string(), title: z.string(), permissions: z.array(z.string()) })),
  permissions: z.array(z.string()),
});

/** `GET /api/projects`: the caller's projects. */
export const projectListResponse = z.array(z.looseObject({ id: z.string(), name: z.string() }));

/** `GET /api/help`: the help pages of one locale. */
export const helpResponse = z.looseObject({
  locale: z.string(),
  pages: z.array(z.looseObject({ slug: z.string(), title: z.string(), markdown: z.string() })),
});

const boardGroup = z.looseObject({ key: z.string(), open: z.int(), overdue: z.int(), escalated: z.int() });

/** `GET /api/board`: open work by role, person and project, and the colleagues. */
export const boardResponse = z.looseObject({
  byRole: z.array(boardGroup),
  byPerson: z.array(boardGroup),
  byProject: z.array(boardGroup),
  people: z.array(z.looseObject({ id: z.uuid(), displayName: z.string(), roles: z.array(z.string()), projects: z.array(z.string()) })),
});

/** `GET /api/targets`: targets with what was done in their periods. */
export const targetListResponse = z.array(
  z.looseObject({ id: z.uuid(), projectId: z.string(), userId: z.uuid().nullable(), team: z.boolean(), progress: z.looseObject({}) }),
);

/** `GET /api/notification-webhooks`: group robots (their secrets are never shown). */
export const webhookListResponse = z.array(
  z.looseObject({ id: z.uuid(), name: z.string(), provider: z.string(), projectId: z.string().nullable(), active: z.boolean() }),
);

/** `GET /api/customers/{id}`: one customer in full. */
export const customerShowResponse = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  phone: z.string(),
  stage: z.string(),
  owner,
  timeline: z.array(z.looseObject({ id: z.string(), type: z.string(), at: isoDate, byDisplayName: z.string().nullable() })),
  deals: z.array(z.looseObject({ id: z.uuid() })),
  orders: z.array(z.looseObject({ id: z.uuid() })),
  serviceCases: z.array(z.looseObject({ id: z.uuid() })),
  records: z.array(z.looseObject({ id: z.uuid(), kind: z.string() })),
});

/** `GET /api/units/{id}`: one unit and its status history. */
export const unitShowResponse = z.looseObject({
  id: z.uuid(),
  building: z.string(),
  unitNo: z.string(),
  status: z.string(),
  history: z.array(z.looseObject({ at: isoDate, action: z.string() })),
});

/** `GET /api/records/{id}`. */
export const recordShowResponse = z.looseObject({ id: z.uuid(), kind: z.string(), processId: z.string(), data: z.unknown() });

// Answers of the writes that return what they made or changed.

const userItem = z.looseObject({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  active: z.boolean(),
  roles: z.array(z.string()),
  projects: z.array(z.string()),
});

/** `POST /api/users`, `PATCH /api/users/{id}`: the user as the list shows it. */
export const userResponse = userItem;

/** `POST /api/projects`. */
export const projectResponse = z.looseObject({ id: z.string(), name: z.string() });

/** `POST /api/notifications/{id}/read`. */
export const notificationReadResponse = z.looseObject({ unreadCount: z.int() });

/** `POST /api/notifications/read-all`. */
export const notificationsReadAllResponse = z.looseObject({ marked: z.int(), unreadCount: z.int() });

/** `POST /api/notification-webhooks`, `PATCH /api/notification-webhooks/{id}`. */
export const webhookResponse = z.looseObject({ id: z.uuid(), name: z.string(), provider: z.string(), active: z.boolean() });

/** `POST /api/units`: the units made. */
export const unitsCreatedResponse = z.array(
  z.looseObject({ id: z.uuid(), projectId: z.string(), building: z.string(), unitNo: z.string(), status: z.string() }),
);

/** `GET /api/definitions/{key}`: one version of a definition. */
export const definitionResponse = z.looseObject({
  key: z.string(),
  version: z.int(),
  title: z.string(),
  root: z.looseObject({ kind: z.string() }),
});

/** `POST /api/customers`: 201 new, 200 one's own returning customer. */
export const customerRegisterResponse = z.looseObject({
  created: z.boolean(),
  outcome: z.string(),
  customer: z.looseObject({ id: z.uuid() }),
});
