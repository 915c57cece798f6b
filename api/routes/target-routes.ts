import { z } from 'zod';
import { route } from '../http';
import { targetListResponse } from './responses';
import type { Services } from '../services';

const date = z.iso.date();

/** Sales targets (销售任务): assigned by the supervisor, progress computed from the data. */
export function targetRoutes(s: Services) {
  return [
    route({
      id: 'targets.list',
      scope: 'project',
      response: targetListResponse,
      method: 'get',
      path: '/api/targets',
      access: 'targets.read',
      summary: 'Sales targets (销售任务) with progress computed from contracts, visits and follow-ups',
      query: z.strictObject({ projectId: z.string().min(1), periodStart: date.optional(), userId: z.string().min(1).max(100).optional() }),
      handler: async ({ principal, query }) => ({ body: await s.targets.list(principal, query) }),
    }),
    route({
      id: 'targets.put',
      scope: 'project',
      method: 'put',
      path: '/api/targets',
      access: 'targets.manage',
      summary: "Assign an agent's (userId) or the team's target for a month or quarter",
      body: z.strictObject({
        projectId: z.string().min(1),
        userId: z.string().min(1).max(100).optional(),
        period: z.enum(['month', 'quarter']),
        periodStart: date,
        units: z.number().int().min(0).max(100000),
        amount: z.number().min(0).max(1e13).multipleOf(0.01),
        visits: z.number().int().min(0).max(1000000),
        followUps: z.number().int().min(0).max(1000000),
      }),
      handler: async ({ principal, body }) => ({ body: await s.targets.put(principal, body) }),
    }),
  ];
}
