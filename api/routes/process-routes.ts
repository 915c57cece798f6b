import { z } from 'zod';
import { durationSchema } from '../../definitions';
import { notFound } from '../errors';
import { route } from '../http';
import type { Permission } from '../permissions';
import type { Principal } from '../services/auth-service';
import type { TaskAction } from '../../workflows/messages';
import type { Services } from '../services';

const idempotencyKey = (header: string | undefined): string | undefined => {
  const key = header?.trim();
  return key ? key.slice(0, 200) : undefined;
};

const processParams = z.strictObject({ id: z.string().min(1).max(300) });
const taskParams = z.strictObject({ id: z.string().min(1).max(100) });
const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const limit = z.coerce.number().int().min(1).max(500).default(100);
const duration = durationSchema;

/** Definitions, process instances and tasks. */
export function processRoutes(s: Services) {
  return [
    route({
      id: 'definitions.list',
      method: 'get',
      path: '/api/definitions',
      access: 'definitions.read',
      summary: 'Process definitions and their versions',
      handler: async () => ({ body: await s.definitions.list() }),
    }),
    route({
      id: 'definitions.show',
      method: 'get',
      path: '/api/definitions/:key',
      access: 'definitions.read',
      summary: 'One definition (latest version, or ?version=N)',
      params: z.strictObject({ key: z.string().min(1).max(100) }),
      query: z.strictObject({ version: z.coerce.number().int().positive().optional() }),
      handler: async ({ params, query }) => {
        const definition = await s.definitions.find(params.key, query.version);
        if (!definition) throw notFound(`Definition ${params.key}${query.version ? `@${query.version}` : ''}`);
        return { body: definition };
      },
    }),
    route({
      id: 'definitions.validate',
      method: 'post',
      path: '/api/definitions/validate',
      access: 'definitions.read',
      summary: 'Check a candidate definition without publishing it: every problem with its path',
      body: z.strictObject({ definition: z.unknown() }),
      handler: async ({ body }) => {
        const result = await s.definitions.validate(body.definition);
        return { body: result.ok ? { ok: true, problems: [] } : result };
      },
    }),
    route({
      id: 'definitions.publish',
      method: 'post',
      path: '/api/definitions',
      access: 'definitions.publish',
      summary: 'Publish a definition version (immutable once published)',
      body: z.strictObject({ definition: z.unknown() }),
      handler: async ({ principal, body }) => s.definitions.publish(principal!, body.definition),
    }),
    route({
      id: 'processes.start',
      method: 'post',
      path: '/api/processes',
      access: 'processes.start',
      summary: 'Start a process instance; Idempotency-Key makes a retry safe',
      body: z.strictObject({
        definition: z.string().min(1).max(100),
        version: z.number().int().positive().optional(),
        projectId: z.string().min(1).max(100),
        businessKey: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,120}$/, 'letters, digits, . _ - only')
          .optional(),
        input: z.record(z.string(), z.unknown()).default({}),
      }),
      handler: async ({ req, principal, body }) => s.processes.start(principal!, body, idempotencyKey(req.get('idempotency-key'))),
    }),
    route({
      id: 'processes.list',
      method: 'get',
      path: '/api/processes',
      access: 'processes.read',
      summary: 'Instances, filtered by definition, status, starter, project, overdue',
      query: z.strictObject({
        definition: z.string().optional(),
        status: z.enum(['running', 'failing', 'completed', 'rejected', 'cancelled', 'failed']).optional(),
        startedBy: z.uuid().optional(),
        projectId: z.string().optional(),
        overdue: booleanQuery.optional(),
        limit,
      }),
      handler: async ({ principal, query }) => ({ body: await s.processes.list(principal!, query) }),
    }),
    route({
      id: 'processes.show',
      method: 'get',
      path: '/api/processes/:id',
      access: 'processes.read',
      summary: 'One instance: status, open and finished tasks, variables, history',
      params: processParams,
      handler: async ({ principal, params }) => ({ body: await s.processes.get(principal!, params.id) }),
    }),
    route({
      id: 'processes.cancel',
      method: 'post',
      path: '/api/processes/:id/cancel',
      access: 'processes.cancel',
      summary: 'Cancel a running instance',
      params: processParams,
      handler: async ({ principal, params }) => s.processes.cancel(principal!, params.id),
    }),
    route({
      id: 'processes.events',
      method: 'post',
      path: '/api/processes/:id/events',
      access: 'processes.events',
      summary: 'Send a declared external event with its payload; Idempotency-Key makes a retry safe',
      params: processParams,
      body: z.strictObject({ name: z.string().min(1).max(100), payload: z.record(z.string(), z.unknown()).default({}) }),
      handler: async ({ req, principal, params, body }) => ({
        status: 202,
        body: await s.processes.sendEvent(principal!, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'processes.retry',
      method: 'post',
      path: '/api/processes/:id/retry',
      access: 'processes.events',
      summary: 'Run a failing activity step again',
      params: processParams,
      body: z.strictObject({ stepKey: z.string().min(1).max(300) }),
      handler: async ({ req, principal, params, body }) => ({
        status: 202,
        body: await s.processes.retryStep(principal!, params.id, body.stepKey, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'processes.approvers',
      method: 'post',
      path: '/api/processes/:id/approvers',
      access: 'tasks.manage',
      summary: 'Add an approver to, or skip one of, a running approval',
      params: processParams,
      body: z.discriminatedUnion('action', [
        z.strictObject({
          action: z.literal('add'),
          stepKey: z.string().min(1),
          role: z.string().min(1),
          due: duration,
          position: z.number().int().min(0).optional(),
        }),
        z.strictObject({ action: z.literal('skip'), stepKey: z.string().min(1), index: z.number().int().min(0) }),
      ]),
      handler: async ({ req, principal, params, body }) => ({
        body: await s.processes.changeApprovers(principal!, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'tasks.list',
      method: 'get',
      path: '/api/tasks',
      access: 'tasks.read',
      summary: 'Tasks; ?mine=true lists the open tasks the caller may complete',
      query: z.strictObject({
        mine: booleanQuery.optional(),
        status: z.enum(['open', 'completed', 'cancelled']).optional(),
        processId: z.string().optional(),
        limit,
      }),
      handler: async ({ principal, query }) => ({ body: await s.tasks.list(principal!, query) }),
    }),
    route({
      id: 'tasks.show',
      method: 'get',
      path: '/api/tasks/:id',
      access: 'tasks.read',
      summary: 'One task, with its form and allowed outcomes',
      params: taskParams,
      handler: async ({ principal, params }) => ({ body: await s.tasks.get(principal!, params.id) }),
    }),
    route({
      id: 'tasks.complete',
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
        body: await s.tasks.complete(principal!, params.id, body, idempotencyKey(req.get('idempotency-key'))),
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
        z.strictObject({ action: z.literal('extend'), by: duration }),
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
      method: 'post',
      path: `/api/tasks/:id/${segment}`,
      access,
      summary: `${summary}; Idempotency-Key makes a retry safe`,
      params: taskParams,
      body,
      handler: async ({ req, principal, params, body: parsed }) => ({
        body: await s.tasks.act(principal!, params.id, toAction(principal!, parsed), idempotencyKey(req.get('idempotency-key'))),
      }),
    });
  }
}
