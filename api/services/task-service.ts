import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../db/client';
import { formSchema, type FieldSpec, type Outcome } from '../../definitions';
import { completeTaskUpdate } from '../../workflows/messages';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { parseOrThrow } from '../http';
import type { Principal } from './auth-service';
import { mayActOnTask, visibleProcesses } from './access';
import { formatDate, type SettingsService } from './settings-service';
import { updateErrorToHttp } from './temporal-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Filters of the task list. */
export interface TaskListQuery {
  mine?: boolean;
  status?: 'open' | 'completed' | 'cancelled';
  processId?: string;
  limit: number;
}

/** Lists, shows and completes human tasks. */
export class TaskService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly settings: SettingsService,
  ) {}

  /** Tasks in the caller's projects; with `mine`, the open ones the caller may act on. */
  async list(principal: Principal, q: TaskListQuery) {
    const rows = await this.prisma.task.findMany({
      where: {
        process: visibleProcesses(principal),
        processId: q.processId,
        status: q.mine ? 'open' : q.status,
        ...(q.mine
          ? {
              OR: [
                { assigneeUserId: principal.userId },
                { assigneeUserId: null, assigneeRole: { in: principal.roles } },
                { assigneeUserId: null, originalRole: { in: principal.roles } },
              ],
            }
          : {}),
      },
      orderBy: [{ dueAt: 'asc' }],
      take: q.limit,
    });
    const settings = await this.settings.get();
    const now = Date.now();
    return rows.map((t) => ({
      ...t,
      overdue: t.status === 'open' && t.dueAt.getTime() < now,
      dueAtDisplay: formatDate(t.dueAt, settings),
    }));
  }

  async get(principal: Principal, id: string) {
    const task = await this.findVisible(principal, id);
    const settings = await this.settings.get();
    return { ...task, dueAtDisplay: formatDate(task.dueAt, settings) };
  }

  /**
   * Completes a task: checks the caller may, validates the outcome and the form
   * data, then delivers it to the workflow as an Update whose id is the client's
   * idempotency key. A retry with the same key returns the first answer.
   */
  async complete(principal: Principal, id: string, request: { outcome: Outcome; data: Record<string, unknown> }, idempotencyKey?: string) {
    const task = await this.findVisible(principal, id);
    if (task.status === 'completed' && idempotencyKey && task.completionRequestId === idempotencyKey) {
      return { taskId: task.id, outcome: task.outcome, processId: task.processId, repeated: true };
    }
    if (task.status !== 'open') throw conflict(`Task ${id} is already ${task.status}`);
    if (!mayActOnTask(principal, task)) throw forbidden(`Task ${id} is assigned to ${task.assigneeRole}`);
    if (!task.outcomes.includes(request.outcome)) {
      throw badRequest(`Outcome "${request.outcome}" is not allowed for this task`, [
        { field: 'body.outcome', reason: `expected one of ${task.outcomes.join(', ')}` },
      ]);
    }
    const data = parseOrThrow(formSchema(task.form as unknown as FieldSpec[]), request.data, 'body.data');
    try {
      const result = await this.temporal.workflow.getHandle(task.processId).executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.id, outcome: request.outcome, data, actor: { userId: principal.userId, username: principal.username } }],
        updateId: idempotencyKey ?? randomUUID(),
      });
      return { taskId: result.taskId, outcome: result.outcome, processId: task.processId, repeated: false };
    } catch (err) {
      return updateErrorToHttp(err);
    }
  }

  private async findVisible(principal: Principal, id: string) {
    // Task ids are UUIDs; anything else names no task (and must not reach the uuid column).
    if (!UUID.test(id)) throw notFound(`Task ${id}`);
    const task = await this.prisma.task.findFirst({ where: { id, process: visibleProcesses(principal) } });
    if (!task) throw notFound(`Task ${id}`);
    return task;
  }
}
