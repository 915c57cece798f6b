import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Request, Response } from 'express';
import type { Prisma, PrismaClient } from '../../db/client';
import { formDataSchema, type FieldSpec, type Outcome } from '../../definitions';
import { completeTaskUpdate, taskActionUpdate, type TaskAction } from '../../workflows/messages';
import { FailureTypes, isUuid } from '../../domain';
import { EngineBehind, InvalidInput, NotAllowed, NotFound, parseInput } from './errors';
import { TASK_WORK_KINDS } from '../../notifications/messages';
import { forCaller, personalDataOwners } from './privacy';
import { type Page, type PagedList, pageOf } from './paging';
import type { Principal } from './auth-service';
import { actorOf, canSeeProject, mayActOnTask, narrowed, requireVisibleProject, visible } from './access';
import type { TaskChangeFeed } from './task-change-feed';
import type { SessionStreams } from './session-streams';
import { formatDate, type SettingsService } from './settings-service';

/** Filters of the task list. */
export interface TaskListQuery {
  mine?: boolean;
  status?: 'open' | 'completed' | 'cancelled';
  processId?: string;
  /** Open tasks past their due time only (oldest first, as every list is). */
  overdue?: boolean;
  projectId?: string;
  /** Words of the title. */
  q?: string;
  /** Assigned to this user (claimed, or given by name). */
  assignee?: string;
  /** Tasks of processes of this definition. */
  definition?: string;
  /** Only tasks escalated at least once. */
  escalated?: boolean;
  dueFrom?: Date;
  dueTo?: Date;
  /** Soonest due first (default), latest due first, or newest first. */
  sort?: 'due' | 'dueDesc' | 'created';
  cursor?: string;
  limit: number;
}

const taskLists: Record<NonNullable<TaskListQuery['sort']>, PagedList> = {
  due: {
    resource: 'tasks',
    keys: [
      { field: 'dueAt', kind: 'date', direction: 'asc' },
      { field: 'id', kind: 'string', direction: 'asc' },
    ],
  },
  dueDesc: {
    resource: 'tasks',
    keys: [
      { field: 'dueAt', kind: 'date', direction: 'desc' },
      { field: 'id', kind: 'string', direction: 'desc' },
    ],
  },
  created: {
    resource: 'tasks',
    keys: [
      { field: 'createdAt', kind: 'date', direction: 'desc' },
      { field: 'id', kind: 'string', direction: 'desc' },
    ],
  },
};

/**
 * Lists, shows, completes and acts on human tasks. The workflow applies every change;
 * the activities that record it write the audit rows.
 */
export class TaskService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly settings: SettingsService,
    private readonly changes: TaskChangeFeed,
    private readonly streams: SessionStreams,
  ) {}

  /**
   * Server-sent events: one `change` event ({processId, taskId, kind}) for every
   * change of a task in the caller's projects, as the activities announce it, so a
   * task list refreshes when something happens instead of polling. Ends after
   * `maxSeconds` (the client reconnects), when the caller's session ends (sign-out,
   * password change, deactivation: {@link SessionStreams}) or when the connection to
   * the database is lost. Heartbeats keep proxies from closing an idle stream. A
   * session has at most `STREAMS_PER_SESSION` streams open; the next gets 429.
   */
  async stream(principal: Principal, req: Request, res: Response, maxSeconds: number): Promise<void> {
    // A slot first, before anything is sent: a refusal (429, 401) is plain JSON.
    const slot = await this.streams.open(principal);
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
      req.on('close', finish);
      res.on('close', finish);
      setTimeout(finish, maxSeconds * 1000).unref();
      void slot.ended.then(finish);
      // The client may have gone while the slot was being taken: its 'close' has fired already.
      if (req.destroyed) finish();
    });
    // Listening before anything is sent: if the database cannot be reached the request fails as plain JSON.
    let unsubscribe: () => void;
    try {
      unsubscribe = await this.changes.listen(
        (change) => {
          if (canSeeProject(principal, change.projectId))
            res.write(
              `event: change\ndata: ${JSON.stringify({ processId: change.processId, taskId: change.taskId, kind: change.kind })}\n\n`,
            );
        },
        () => finish(),
      );
    } catch (err) {
      await slot.close();
      throw err;
    }
    res.status(200);
    res.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    try {
      res.flushHeaders();
      res.write('retry: 3000\n\n');
      await done;
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
      await slot.close();
    }
  }

  /** Tasks in the caller's projects; with `mine`, the open ones the caller may act on. */
  async list(principal: Principal, q: TaskListQuery) {
    requireVisibleProject(principal, q.projectId);
    const where = narrowed<Prisma.TaskWhereInput>(
      visible.tasks(principal),
      {
        ...(q.projectId || q.definition ? { process: { projectId: q.projectId, definitionKey: q.definition } } : {}),
        processId: q.processId,
        ...(q.escalated ? { escalationLevel: { gt: 0 } } : {}),
        status: q.mine || q.overdue ? 'open' : q.status,
        ...(q.q ? { title: { contains: q.q, mode: 'insensitive' } } : {}),
        ...(q.assignee ? { assigneeUserId: q.assignee } : {}),
        ...(q.dueFrom || q.dueTo ? { dueAt: { gte: q.dueFrom, lt: q.dueTo } } : {}),
      },
      {
        ...(q.overdue ? { dueAt: { lt: new Date() }, pausedAt: null } : {}),
        ...(q.mine
          ? {
              OR: [
                { assigneeUserId: principal.userId },
                { delegateUserId: principal.userId },
                { escalationLevel: { gt: 0 }, assigneeRole: { in: principal.roles } },
                { assigneeUserId: null, assigneeRole: { in: principal.roles } },
                { assigneeUserId: null, originalRole: { in: principal.roles } },
              ],
            }
          : {}),
      },
    );
    const [{ rows, nextCursor }, total] = await Promise.all([
      pageOf(taskLists[q.sort ?? 'due'], q, q, (page) =>
        this.prisma.task.findMany({
          where: page.after ? { AND: [where, page.after] } : where,
          orderBy: page.orderBy,
          take: page.take,
          include: { process: { select: { startedById: true, title: true, definitionKey: true, projectId: true } } },
        }),
      ),
      // One person's open work is small: counted on the first page of `mine`, not for whole projects.
      q.mine && q.cursor === undefined ? this.prisma.task.count({ where }) : undefined,
    ]);
    const [settings, owners] = await Promise.all([
      this.settings.get(),
      personalDataOwners(
        this.prisma,
        rows.map((r) => r.processId),
      ),
    ]);
    const now = Date.now();
    // Submitted data may hold buyers' phones and ID numbers: masked as the customers' rule says.
    const items = rows.map(({ process, ...t }) =>
      forCaller(principal, owners(t.processId, process.startedById), {
        ...t,
        // What the task is part of, so that a list needs no second read of the processes.
        processTitle: process.title,
        definitionKey: process.definitionKey,
        projectId: process.projectId,
        overdue: t.status === 'open' && t.dueAt.getTime() < now,
        dueAtDisplay: formatDate(t.dueAt, settings),
      }),
    );
    return { items, nextCursor, ...(total === undefined ? {} : { total }) } satisfies Page<unknown>;
  }

  /** One task; opening it settles the caller's notifications that asked them to do it. */
  async get(principal: Principal, id: string) {
    const task = await this.findVisible(principal, id);
    const [settings, process] = await Promise.all([
      this.settings.get(),
      this.prisma.processInstance.findUniqueOrThrow({ where: { id: task.processId } }),
      this.prisma.notification.updateMany({
        where: { userId: principal.userId, taskId: task.id, readAt: null, kind: { in: [...TASK_WORK_KINDS] } },
        data: { readAt: new Date() },
      }),
    ]);
    const owners = await personalDataOwners(this.prisma, [task.processId]);
    // The project tells a front end where to look up what the form refers to (units).
    return forCaller(principal, owners(task.processId, process.startedById), {
      ...task,
      projectId: process.projectId,
      dueAtDisplay: formatDate(task.dueAt, settings),
    });
  }

  /**
   * Completes a task: checks the caller may act on it and validates the form data
   * (both need the database), then delivers it to the workflow as an Update whose
   * id is the client's idempotency key. Whether the task is still open and the
   * outcome allowed is the Update validator's to say. A retry with the same key
   * returns the first answer.
   *
   * A retry whose key the task row already records is still delivered: the row is
   * written by a local activity inside the workflow task that accepts the Update,
   * and a Temporal server that dies before it persists that task loses the Update
   * while the row (and the process row) say done. Delivered again under the same id,
   * the Update is answered from Temporal's memory if it was kept, or runs again (its
   * activities find their rows written and change nothing); only a workflow that can
   * no longer take it is answered from the row.
   */
  async complete(principal: Principal, id: string, request: { outcome: Outcome; data: Record<string, unknown> }, idempotencyKey?: string) {
    const task = await this.findVisible(principal, id);
    const repeat = task.status === 'completed' && idempotencyKey !== undefined && task.completionRequestId === idempotencyKey;
    const fromRow = { taskId: task.id, outcome: task.outcome, processId: task.processId, repeated: true };
    // A delegate does the work and hands it back; the owner then decides.
    const asDelegate = task.delegateUserId === principal.userId;
    if (task.status === 'open' && !asDelegate && !mayActOnTask(principal, task))
      throw new NotAllowed(`Task ${id} is assigned to ${task.assigneeUserId ? 'another user' : task.assigneeRole}`);
    const data = parseInput(formDataSchema(task.form as unknown as FieldSpec[]), request.data, 'data');
    try {
      const result = await this.temporal.workflow.getHandle(task.processId).executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.id, outcome: request.outcome, data, actor: actorOf(principal), asDelegate }],
        updateId: idempotencyKey ?? randomUUID(),
      });
      return { ...result, processId: task.processId, repeated: repeat };
    } catch (err) {
      if (repeat && workflowCannotTake(err)) return fromRow;
      // The row is open but the workflow has no such task: it is replaying up to the
      // step that created the row (its activity committed, the workflow task that ran
      // it was lost with a worker or server), and will know the task in a moment.
      if (task.status === 'open' && refusedAs(err, FailureTypes.taskNotFound))
        throw new EngineBehind(`Task ${id} is not in its process's state yet; repeat the request with the same Idempotency-Key`, {
          cause: err,
        });
      throw err;
    }
  }

  /**
   * Claims, releases, reassigns or delegates a task, or changes its deadline. Who
   * may: claim — a holder of the task's role; release — the claimer or a manager;
   * delegate — the assignee or a manager; reassign and deadlines — a manager
   * (`tasks.manage`, checked by the route). The workflow applies and records it.
   */
  async act(principal: Principal, id: string, action: TaskAction, idempotencyKey?: string) {
    const task = await this.findVisible(principal, id);
    const manager = principal.permissions.has('tasks.manage');
    switch (action.action) {
      case 'claim':
        if (!principal.roles.includes(task.assigneeRole) && !principal.roles.includes(task.originalRole))
          throw new NotAllowed(`Only ${task.assigneeRole} can claim this task`);
        break;
      case 'release':
        if (task.assigneeUserId !== principal.userId && !manager)
          throw new NotAllowed('Only the claimer or a manager can release this task');
        break;
      case 'delegate':
        if (!manager && !mayActOnTask(principal, task)) throw new NotAllowed('Only the assignee or a manager can delegate this task');
        await this.checkUser(action.toUserId, task.processId, 'toUserId');
        break;
      case 'reassign':
        if (action.toUserId) await this.checkUser(action.toUserId, task.processId, 'toUserId');
        break;
      default:
        break;
    }
    const state = await this.temporal.workflow.getHandle(task.processId).executeUpdate(taskActionUpdate, {
      args: [{ ...action, taskId: task.id, actor: actorOf(principal) }],
      updateId: idempotencyKey ?? randomUUID(),
    });
    return { ...state, dueAt: new Date(state.dueAt).toISOString(), startedAt: new Date(state.startedAt).toISOString() };
  }

  /** A user given as a delegate or new assignee must exist, be active and see the project. */
  private async checkUser(userId: string, processId: string, field: string): Promise<void> {
    const process = await this.prisma.processInstance.findUniqueOrThrow({ where: { id: processId } });
    const user = await this.prisma.user.findFirst({
      where: { id: userId, active: true },
      include: { memberships: true, roles: { include: { role: true } } },
    });
    const seesProject =
      user &&
      (user.memberships.some((m) => m.projectId === process.projectId) ||
        user.roles.some((r) => r.role.permissions.includes('projects.all')));
    if (!seesProject)
      throw new InvalidInput(`User ${userId} cannot work on this project`, [
        { field, reason: 'unknown user, inactive, or not a member of the project' },
      ]);
  }

  private async findVisible(principal: Principal, id: string) {
    if (!isUuid(id)) throw new NotFound(`Task ${id}`);
    const task = await this.prisma.task.findFirst({ where: { id, ...visible.tasks(principal) } });
    if (!task) throw new NotFound(`Task ${id}`);
    return task;
  }
}

/** Whether an Update failed because the workflow has ended or no longer has the task open. */
function workflowCannotTake(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || refusedAs(err, FailureTypes.taskNotOpen);
}

/** Whether the workflow refused an Update (validator or handler) with a failure of `type`. */
function refusedAs(err: unknown, type: string): boolean {
  return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === type;
}
