import { z } from 'zod';
import { durationSchema } from '../../definitions';
import { PROCESS_STATUSES } from '../../domain';
import { route } from '../http';
import type { Services } from '../services';
import { processListResponse, processShowResponse, processStartResponse } from './responses';
import { booleanQuery, idempotencyKey, INT4_MAX, paging } from './route-helpers';

const processParams = z.strictObject({ id: z.string().min(1).max(300) });

/** Process instances: start, list, show, cancel, events, retries, approver changes. */
export function processRoutes(s: Services) {
  return [
    route({
      id: 'processes.start',
      scope: 'project',
      statuses: [201, 200],
      response: processStartResponse,
      idempotent: true,
      method: 'post',
      path: '/api/processes',
      access: 'processes.start',
      summary: 'Start a process instance; Idempotency-Key makes a retry safe',
      body: z.strictObject({
        definition: z.string().min(1).max(100),
        version: z.number().int().positive().max(INT4_MAX).optional(),
        projectId: z.string().min(1).max(100),
        businessKey: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,120}$/, 'letters, digits, . _ - only')
          .optional(),
        input: z.record(z.string(), z.unknown()).default({}),
      }),
      // ?wait=true: answer once the first task is open (or the process ended), with the open tasks,
      // so a client needs no polling; bounded by START_WAIT_MS.
      query: z.strictObject({ wait: booleanQuery.optional() }),
      handler: async ({ req, principal, body, query }) => {
        const waitMs = query.wait ? s.config.START_WAIT_MS : 0;
        const started = await s.processes.start(principal, body, idempotencyKey(req.get('idempotency-key')), waitMs);
        // A retry with the first request's key gets the same process, as 200.
        return { status: started.created ? 201 : 200, body: started };
      },
    }),
    route({
      id: 'processes.list',
      scope: 'customer',
      response: processListResponse,
      method: 'get',
      path: '/api/processes',
      access: 'processes.read',
      summary:
        'Instances, newest first, a page at a time; filtered by definition, status, starter, project, overdue, title or business key',
      query: z.strictObject({
        definition: z.string().optional(),
        status: z.enum(PROCESS_STATUSES).optional(),
        startedBy: z.uuid().optional(),
        projectId: z.string().optional(),
        overdue: booleanQuery.optional(),
        q: z.string().trim().min(1).max(100).optional(),
        parent: z.string().min(1).max(300).optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.processes.list(principal, query) }),
    }),
    route({
      id: 'processes.show',
      scope: 'customer',
      response: processShowResponse,
      method: 'get',
      path: '/api/processes/:id',
      access: 'processes.read',
      summary: 'One instance: status, open and finished tasks, variables, history',
      params: processParams,
      handler: async ({ principal, params }) => ({ body: await s.processes.get(principal, params.id) }),
    }),
    route({
      id: 'processes.cancel',
      scope: 'project',
      statuses: [202],
      method: 'post',
      path: '/api/processes/:id/cancel',
      access: 'processes.cancel',
      summary: 'Cancel a running instance',
      params: processParams,
      handler: async ({ principal, params }) => ({ status: 202, body: await s.processes.cancel(principal, params.id) }),
    }),
    route({
      id: 'processes.events',
      scope: 'project',
      statuses: [202],
      idempotent: true,
      method: 'post',
      path: '/api/processes/:id/events',
      access: 'processes.events',
      summary: 'Send a declared external event with its payload; Idempotency-Key makes a retry safe',
      params: processParams,
      body: z.strictObject({ name: z.string().min(1).max(100), payload: z.record(z.string(), z.unknown()).default({}) }),
      handler: async ({ req, principal, params, body }) => ({
        status: 202,
        body: await s.processes.sendEvent(principal, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'processes.retry',
      scope: 'project',
      statuses: [202],
      idempotent: true,
      method: 'post',
      path: '/api/processes/:id/retry',
      access: 'processes.events',
      summary: 'Run a failing activity step again',
      params: processParams,
      body: z.strictObject({ stepKey: z.string().min(1).max(300) }),
      handler: async ({ req, principal, params, body }) => ({
        status: 202,
        body: await s.processes.retryStep(principal, params.id, body.stepKey, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'processes.migrate',
      scope: 'project',
      idempotent: true,
      method: 'post',
      path: '/api/processes/:id/migrate',
      // Whoever publishes definitions moves running instances onto them.
      access: 'definitions.publish',
      summary:
        'Move a running instance to a newer version of its definition: dryRun shows what moves, is withdrawn, passed over and begins; Idempotency-Key makes a retry safe',
      params: processParams,
      body: z.strictObject({
        version: z.number().int().positive().max(INT4_MAX),
        // Old step id → new step id, or null for a step that is gone; unmapped ids keep their step.
        mapping: z.record(z.string().min(1).max(100), z.string().min(1).max(100).nullable()).default({}),
        dryRun: z.boolean().default(false),
      }),
      handler: async ({ req, principal, params, body }) => ({
        body: await s.processes.migrate(principal, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'processes.approvers',
      scope: 'project',
      idempotent: true,
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
          due: durationSchema,
          position: z.number().int().min(0).optional(),
        }),
        z.strictObject({ action: z.literal('skip'), stepKey: z.string().min(1), index: z.number().int().min(0) }),
      ]),
      handler: async ({ req, principal, params, body }) => ({
        body: await s.processes.changeApprovers(principal, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
  ];
}
