import { z } from 'zod';
import { durationSchema } from '../../definitions';
import type { TaskAction } from '../../workflows/messages';
import { route } from '../http';
import type { Permission } from '../permissions';
import type { Principal } from '../services/auth-service';
import type { Services } from '../services';
import { taskActionResponse, taskCompleteResponse, taskListResponse, taskShowResponse } from './responses';
import { booleanQuery, idempotencyKey, paging } from './route-helpers';

const taskParams = z.strictObject({ id: z.string().min(1).max(100) });

/** Human tasks: list, show, complete, and the actions on open tasks. */
export function taskRoutes(s: Services) {
  return [
    route({
      id: 'tasks.list',
      scope: 'customer',
      response: taskListResponse,
      method: 'get',
      path: '/api/tasks',
      access: 'tasks.read',
      summary:
        'Tasks, a page at a time, due first (or ?sort=created); searched by title, assignee, due range; ?mine=true lists the open tasks the caller may complete, ?overdue=true the open tasks past due',
      query: z.strictObject({
        mine: booleanQuery.optional(),
        status: z.enum(['open', 'completed', 'cancelled']).optional(),
        processId: z.string().optional(),
        overdue: booleanQuery.optional(),
        projectId: z.string().min(1).max(100).optional(),
        q: z.string().trim().min(1).max(100).optional(),
        assignee: z.uuid().optional(),
        dueFrom: z.iso
          .datetime({ offset: true })
          .transform((d) => new Date(d))
          .optional(),
        dueTo: z.iso
          .datetime({ offset: true })
          .transform((d) => new Date(d))
          .optional(),
        definition: z.string().min(1).max(100).optional(),
        escalated: booleanQuery.optional(),
        sort: z.enum(['due', 'dueDesc', 'created']).optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.tasks.list(principal, query) }),
    }),
    route({
      id: 'tasks.changes',
      scope: 'project',
      produces: 'text/event-stream',
      method: 'get',
      path: '/api/tasks/changes',
      access: 'tasks.read',
      summary: "Server-sent events: every change of a task in the caller's projects, as it happens",
      query: z.strictObject({ maxSeconds: z.coerce.number().int().min(1).max(3600).default(600) }),
      handler: async ({ principal, req, res, query }) => {
        await s.tasks.stream(principal, req, res, query.maxSeconds);
        return undefined;
      },
    }),
    route({
      id: 'tasks.show',
      scope: 'customer',
      response: taskShowResponse,
      method: 'get',
      path: '/api/tasks/:id',
      access: 'tasks.read',
      summary: 'One task, with its form and allowed outcomes',
      params: taskParams,
      handler: async ({ principal, params }) => ({ body: await s.tasks.get(principal, params.id) }),
    }),
    route({
      id: 'tasks.complete',
      scope: 'project',
      response: taskCompleteResponse,
      idempotent: true,
      method: 'post',
      path: '/api/tasks/:id/complete',
      access: 'tasks.complete',
      summary: 'Complete a task with an outcome and form data; Idempotency-Key makes a retry safe',
      params: taskParams,
      body: z.strictObject({
        outcome: z.enum(['approve', 'reject', 'revise', 'done']),
        data: z.record(z.string(), z.unknown()).default({}),
      }),
      handler: async ({ req, principal, params, body }) => ({
        body: await s.tasks.complete(principal, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    taskAction('tasks.claim', 'claim', 'tasks.complete', 'Claim a task of one of your roles for yourself', z.strictObject({}), (p) => ({
      action: 'claim',
      userId: p.userId,
    })),
    taskAction('tasks.release', 'release', 'tasks.complete', 'Give a claimed task back to its role', z.strictObject({}), () => ({
      action: 'release',
    })),
    taskAction(
      'tasks.delegate',
      'delegate',
      'tasks.complete',
      'Let another user do the work; it returns to the assignee for sign-off',
      z.strictObject({ toUserId: z.uuid() }),
      (_p, b) => ({ action: 'delegate', toUserId: b.toUserId }),
    ),
    taskAction(
      'tasks.reassign',
      'reassign',
      'tasks.manage',
      'Reassign a task to a role or a user',
      z.strictObject({ toRole: z.string().min(1).optional(), toUserId: z.uuid().optional() }).refine((b) => b.toRole || b.toUserId, {
        message: 'give toRole or toUserId',
        path: ['toRole'],
      }),
      (_p, b) => ({ action: 'reassign', ...b }),
    ),
    taskAction(
      'tasks.deadline',
      'deadline',
      'tasks.manage',
      'Extend, pause or resume a task deadline',
      z.discriminatedUnion('action', [
        z.strictObject({ action: z.literal('extend'), by: durationSchema }),
        z.strictObject({ action: z.literal('pause') }),
        z.strictObject({ action: z.literal('resume') }),
      ]),
      (_p, b) =>
        b.action === 'extend'
          ? { action: 'extend-deadline', by: b.by }
          : { action: b.action === 'pause' ? 'pause-deadline' : 'resume-deadline' },
    ),
  ];

  /** A route that applies one task action through the workflow. */
  function taskAction<B>(
    id: string,
    segment: string,
    access: Permission,
    summary: string,
    body: z.ZodType<B>,
    toAction: (principal: Principal, body: B) => TaskAction,
  ) {
    return route({
      id,
      scope: 'project',
      method: 'post',
      path: `/api/tasks/:id/${segment}`,
      response: taskActionResponse,
      idempotent: true,
      access,
      summary: `${summary}; Idempotency-Key makes a retry safe`,
      params: taskParams,
      body,
      handler: async ({ req, principal, params, body: parsed }) => ({
        body: await s.tasks.act(principal, params.id, toAction(principal, parsed), idempotencyKey(req.get('idempotency-key'))),
      }),
    });
  }
}
