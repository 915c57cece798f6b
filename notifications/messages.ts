import { Prisma, type Db } from '../db/client';

/**
 * What can happen that someone must be told about. A message names the event in
 * business terms (project, process, task, role or user); who receives it is decided
 * by the dispatcher when it delivers, from the users, roles and memberships of that
 * moment, so a message never goes to a role string.
 */
export const NOTIFICATION_KINDS = [
  'task.created',
  'task.assigned',
  'task.reminder',
  'task.escalated',
  'approval.decided',
  'process.finished',
  'task.delegated',
  'task.returned',
  'auth.password_reset',
  'process.message',
  'report.ready',
] as const;

/** One kind of {@link NOTIFICATION_KINDS}. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A typed message as writers put it into the outbox. */
export interface NotificationMessage {
  kind: NotificationKind;
  /**
   * Unique per message: writers that may run twice (activities retried after a
   * crash) pass the same key and the second write is refused.
   */
  dedupeKey: string;
  /** Taken from the process when omitted. */
  projectId?: string | null;
  processId?: string | null;
  taskId?: string | null;
  /** The role the message is for when no user is named (resolved to its holders in the project). */
  role?: string | null;
  /** The user the message is for (assignee, requester, delegate). */
  userId?: string | null;
  payload?: Record<string, unknown>;
  /**
   * The plain-text columns of the outbox row, for people reading the table. They
   * default to the kind and the addressee; nothing is sent from them.
   */
  summary?: { channel?: string; recipient?: string; subject?: string; body?: string };
}

/**
 * Writes a typed message into the outbox, in the caller's transaction, so it exists
 * exactly when what caused it does. Idempotent: `dedupe_key` is unique and a second
 * write with the same key does nothing. Returns whether this call wrote it.
 */
export async function enqueueNotification(db: Db, m: NotificationMessage): Promise<boolean> {
  return (await db.$executeRaw(notificationInsert(m))) > 0;
}

/**
 * The statement of {@link enqueueNotification}, to be one part of a larger one
 * (`oneStatement`); with `source` the message is written once per row of it.
 */
export function notificationInsert(m: NotificationMessage, source: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const channel = m.summary?.channel ?? 'notify';
  const recipient = m.summary?.recipient ?? (m.userId ? `user:${m.userId}` : `role:${m.role ?? ''}`);
  const subject = m.summary?.subject ?? m.kind;
  const body = m.summary?.body ?? '';
  return Prisma.sql`
    INSERT INTO outbox_messages (channel, recipient, subject, body, dedupe_key, kind, project_id, process_id, task_id, role, user_id, payload)
    SELECT ${channel}::text, ${recipient}::text, ${subject}::text, ${body}::text, ${m.dedupeKey}::text, ${m.kind}::text,
           COALESCE(${m.projectId ?? null}::text, (SELECT project_id FROM process_instances WHERE id = ${m.processId ?? null}::text)),
           ${m.processId ?? null}::text, ${m.taskId ?? null}::uuid, ${m.role ?? null}::text, ${m.userId ?? null}::uuid,
           ${m.payload === undefined ? null : JSON.stringify(m.payload)}::jsonb
    ${source}
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

/** Kinds that ask someone to do a task: they are settled (read) once the task is done, withdrawn, or opened. */
export const TASK_WORK_KINDS: readonly NotificationKind[] = [
  'task.created',
  'task.assigned',
  'task.reminder',
  'task.escalated',
  'task.delegated',
  'task.returned',
];

/**
 * Marks read the in-app notifications that asked for work on tasks that no longer
 * need it (done or withdrawn): the bell counts what is still owed, not what was.
 * `tasks` selects the task ids (a part of a larger statement).
 */
export function settleTaskNotifications(tasks: Prisma.Sql, at: Date): Prisma.Sql {
  return Prisma.sql`
    UPDATE notifications SET read_at = ${at}::timestamptz
    WHERE read_at IS NULL AND kind IN (${Prisma.join([...TASK_WORK_KINDS])}) AND task_id IN (${tasks})`;
}

/** Kinds a group robot receives unless it lists its own. */
export const GROUP_KINDS: readonly NotificationKind[] = ['task.created', 'task.reminder', 'task.escalated', 'process.finished'];
