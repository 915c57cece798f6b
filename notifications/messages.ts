import type { Db } from '../db/client';

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
  const channel = m.summary?.channel ?? 'notify';
  const recipient = m.summary?.recipient ?? (m.userId ? `user:${m.userId}` : `role:${m.role ?? ''}`);
  const subject = m.summary?.subject ?? m.kind;
  const body = m.summary?.body ?? '';
  const rows = await db.$executeRaw`
    INSERT INTO outbox_messages (channel, recipient, subject, body, dedupe_key, kind, project_id, process_id, task_id, role, user_id, payload)
    VALUES (${channel}, ${recipient}, ${subject}, ${body}, ${m.dedupeKey}, ${m.kind},
            COALESCE(${m.projectId ?? null}::text, (SELECT project_id FROM process_instances WHERE id = ${m.processId ?? null}::text)),
            ${m.processId ?? null}, ${m.taskId ?? null}::uuid, ${m.role ?? null}, ${m.userId ?? null}::uuid,
            ${m.payload === undefined ? null : JSON.stringify(m.payload)}::jsonb)
    ON CONFLICT (dedupe_key) DO NOTHING`;
  return rows > 0;
}

/** Kinds a group robot receives unless it lists its own. */
export const GROUP_KINDS: readonly NotificationKind[] = ['task.created', 'task.reminder', 'task.escalated', 'process.finished'];
