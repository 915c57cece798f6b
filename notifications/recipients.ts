import type { Db } from '../db/client';
import type { NotificationKind } from './messages';
import type { TemplateKey } from './templates';

/** An outbox message as the dispatcher reads it. */
export interface OutboxRow {
  id: bigint;
  kind: NotificationKind;
  projectId: string | null;
  processId: string | null;
  taskId: string | null;
  role: string | null;
  userId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The task and process a message is about, read once per message. */
export interface MessageSubject {
  task: {
    id: string;
    title: string;
    status: string;
    assigneeRole: string;
    assigneeUserId: string | null;
    delegateUserId: string | null;
    dueAt: Date;
  } | null;
  process: { id: string; title: string; startedById: string | null; projectId: string } | null;
  projectName: string | null;
}

/** One user to tell, and which text they get. */
export interface Recipient {
  userId: string;
  template: TemplateKey;
}

/** Who is told about a message: users, and the roles whose group robots hear of it. */
export interface Resolution {
  recipients: Recipient[];
  /** Roles the message concerns, to match group robots configured per role. */
  roles: string[];
}

/**
 * Resolves role holders in a project, cached for one dispatcher round (10,000
 * reminders for one role cost one query, not 10,000).
 */
export class RoleDirectory {
  private readonly cache = new Map<string, Promise<string[]>>();

  constructor(private readonly db: Db) {}

  /** The active users holding `role` who are members of `projectId`. */
  holders(projectId: string | null, role: string): Promise<string[]> {
    if (!projectId) return Promise.resolve([]);
    const key = `${projectId}\u0000${role}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.db.user
        .findMany({
          where: { active: true, roles: { some: { roleName: role } }, memberships: { some: { projectId } } },
          select: { id: true },
          orderBy: { username: 'asc' },
        })
        .then((rows) => rows.map((r) => r.id));
      this.cache.set(key, found);
    }
    return found;
  }
}

/**
 * Reads the tasks, processes and projects a batch of messages is about: three
 * queries per batch rather than three per message.
 */
export async function loadSubjects(db: Db, rows: readonly OutboxRow[]): Promise<Map<bigint, MessageSubject>> {
  const taskIds = [...new Set(rows.flatMap((r) => (r.taskId ? [r.taskId] : [])))];
  const processIds = [...new Set(rows.flatMap((r) => (r.processId ? [r.processId] : [])))];
  const tasks = new Map(
    (
      await db.task.findMany({
        where: { id: { in: taskIds } },
        select: { id: true, title: true, status: true, assigneeRole: true, assigneeUserId: true, delegateUserId: true, dueAt: true },
      })
    ).map((t) => [t.id, t]),
  );
  const processes = new Map(
    (
      await db.processInstance.findMany({
        where: { id: { in: processIds } },
        select: { id: true, title: true, startedById: true, projectId: true },
      })
    ).map((p) => [p.id, p]),
  );
  const projectIds = [...new Set(rows.flatMap((r) => (r.projectId ? [r.projectId] : [])))];
  const projects = new Map(
    (await db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        task: (r.taskId && tasks.get(r.taskId)) || null,
        process: (r.processId && processes.get(r.processId)) || null,
        projectName: (r.projectId && projects.get(r.projectId)) || null,
      },
    ]),
  );
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Who receives a message: the named user; otherwise the active users holding the
 * role in the message's project. Decided at delivery, from the data of that moment.
 */
export async function resolveRecipients(m: OutboxRow, subject: MessageSubject, directory: RoleDirectory): Promise<Resolution> {
  const owner = async (template: TemplateKey, userId: string | null, role: string | null): Promise<Resolution> => {
    if (userId) return { recipients: [{ userId, template }], roles: role ? [role] : [] };
    if (!role) return { recipients: [], roles: [] };
    const users = await directory.holders(m.projectId, role);
    return { recipients: users.map((u) => ({ userId: u, template })), roles: [role] };
  };
  const single = (template: TemplateKey, userId: string | null | undefined): Resolution => ({
    recipients: userId ? [{ userId, template }] : [],
    roles: [],
  });
  const { task, process } = subject;

  switch (m.kind) {
    case 'task.created':
    case 'task.assigned':
      return owner(m.kind, m.userId, m.role);
    case 'task.reminder':
      // A reminder is about the task as it stands now: none for a finished task,
      // and to whoever holds it now (claimed → that user).
      if (!task || task.status !== 'open') return { recipients: [], roles: [] };
      return owner('task.reminder', task.assigneeUserId, task.assigneeRole);
    case 'task.escalated': {
      const toRole = str(m.payload.toRole) ?? m.role;
      const fromRole = str(m.payload.fromRole);
      const fresh = toRole ? await directory.holders(m.projectId, toRole) : [];
      // The one who missed it: the user who had claimed it, else the previous role's holders.
      const missed = task?.assigneeUserId ? [task.assigneeUserId] : fromRole ? await directory.holders(m.projectId, fromRole) : [];
      const freshSet = new Set(fresh);
      return {
        recipients: [
          ...fresh.map((userId) => ({ userId, template: 'task.escalated' as const })),
          ...missed.filter((u) => !freshSet.has(u)).map((userId) => ({ userId, template: 'task.escalation_missed' as const })),
        ],
        roles: toRole ? [toRole] : [],
      };
    }
    case 'approval.decided':
    case 'process.finished':
      return single(m.kind, process?.startedById);
    case 'task.delegated':
      return single('task.delegated', m.userId);
    case 'task.returned':
      return task ? owner('task.returned', task.assigneeUserId, task.assigneeRole) : { recipients: [], roles: [] };
    case 'auth.password_reset':
      return single('auth.password_reset', m.userId);
    case 'process.message':
      return owner('process.message', m.userId, m.role);
    case 'report.ready':
      return single('report.ready', m.userId);
  }
}
