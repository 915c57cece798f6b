import type { NotificationMessage } from './messages';

// The typed messages the process activities write, one builder per event, so each
// call site in the activities is one line. Every dedupe key names the event exactly
// as the history row does, so an activity retried after a crash writes its message
// once.

/** A new task for its assignee, or for the holders of its role. */
export function taskCreatedMessage(a: {
  processId: string;
  taskId: string;
  role: string;
  assigneeUserId: string | null;
}): NotificationMessage {
  return {
    kind: 'task.created',
    dedupeKey: `task.created:${a.taskId}`,
    processId: a.processId,
    taskId: a.taskId,
    role: a.role,
    userId: a.assigneeUserId,
  };
}

/** A reminder that a task is due soon; the summary keeps the outbox row readable as before. */
export function taskReminderMessage(a: {
  processId: string;
  taskId: string;
  taskKey: string;
  role: string;
  index: number;
  dueAt: number;
}): NotificationMessage {
  const due = new Date(a.dueAt).toISOString();
  return {
    kind: 'task.reminder',
    dedupeKey: `task.reminded:${a.processId}:${a.taskKey}:${a.index}`,
    processId: a.processId,
    taskId: a.taskId,
    role: a.role,
    payload: { dueAt: due, index: a.index },
    summary: {
      channel: 'role',
      recipient: a.role,
      subject: `Task due ${due}`,
      body: `Task ${a.taskId} of process ${a.processId} is due at ${due}.`,
    },
  };
}

/** An overdue task moved up: to the new role's holders, and a note to whoever missed it. */
export function taskEscalatedMessage(a: {
  processId: string;
  taskId: string;
  taskKey: string;
  fromRole: string;
  toRole: string;
  level: number;
}): NotificationMessage {
  return {
    kind: 'task.escalated',
    dedupeKey: `task.escalated:${a.processId}:${a.taskKey}:${a.level}`,
    processId: a.processId,
    taskId: a.taskId,
    role: a.toRole,
    payload: { fromRole: a.fromRole, toRole: a.toRole, level: a.level },
  };
}

/** An approval step was decided: to the process's requester. */
export function approvalDecidedMessage(a: { processId: string; taskId: string; outcome: string; actorName: string }): NotificationMessage {
  return {
    kind: 'approval.decided',
    dedupeKey: `approval.decided:${a.taskId}`,
    processId: a.processId,
    taskId: a.taskId,
    payload: { outcome: a.outcome, actorName: a.actorName },
  };
}

/** Outcomes that decide an approval. */
export const APPROVAL_OUTCOMES: readonly string[] = ['approve', 'reject'];

/** The process ended (completed or rejected): to its requester. */
export function processFinishedMessage(a: { processId: string; status: string }): NotificationMessage {
  return { kind: 'process.finished', dedupeKey: `process.finished:${a.processId}`, processId: a.processId, payload: { status: a.status } };
}

/**
 * The message of a task action, if it tells someone something: a delegation (to the
 * delegate), a hand-back (to the owner), a reassignment (to the new assignee).
 */
export function taskActionMessage(a: {
  processId: string;
  taskId: string;
  actionId: string;
  type: string;
  actorName: string;
  assigneeRole: string;
  assigneeUserId: string | null;
  delegateUserId: string | null;
}): NotificationMessage | undefined {
  const base = { dedupeKey: `action:${a.actionId}`, processId: a.processId, taskId: a.taskId, payload: { actorName: a.actorName } };
  switch (a.type) {
    case 'task.delegate':
      return a.delegateUserId ? { ...base, kind: 'task.delegated', userId: a.delegateUserId } : undefined;
    case 'task.returned':
      return { ...base, kind: 'task.returned', role: a.assigneeRole, userId: a.assigneeUserId };
    case 'task.reassign':
      return { ...base, kind: 'task.assigned', role: a.assigneeRole, userId: a.assigneeUserId };
    default:
      return undefined;
  }
}
