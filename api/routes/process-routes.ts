import { z } from 'zod';
import { notFound } from '../errors';
import { route } from '../http';
import type { Services } from '../services';

const idempotencyKey = (header: string | undefined): string | undefined => {
  const key = header?.trim();
  return key ? key.slice(0, 200) : undefined;
};

const processParams = z.strictObject({ id: z.string().min(1).max(300) });
const taskParams = z.strictObject({ id: z.string().min(1).max(100) });
const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const limit = z.coerce.number().int().min(1).max(500).default(100);

/** Definitions, process instances and tasks. */
export function processRoutes(s: Services) {
  return [
    route({
      id: 'definitions.list',
      method: 'get',
      path: '/api/definitions',
      access: 'definitions.read',
      summary: 'Process definitions and their versions',
      handler: async () => ({ body: s.definitions.list() }),
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
        const definition = s.definitions.find(params.key, query.version);
        if (!definition) throw notFound(`Definition ${params.key}${query.version ? `@${query.version}` : ''}`);
        return { body: definition };
      },
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
        status: z.enum(['running', 'completed', 'rejected', 'cancelled', 'failed']).optional(),
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
        outcome: z.enum(['approve', 'reject', 'done']),
        data: z.record(z.string(), z.unknown()).default({}),
      }),
      handler: async ({ req, principal, params, body }) => ({
        body: await s.tasks.complete(principal!, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
  ];
}
