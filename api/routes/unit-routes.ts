import { z } from 'zod';
import { UNIT_STATUSES } from '../../domain';
import { route } from '../http';
import { unitListResponse, unitShowResponse, unitsCreatedResponse } from './responses';
import type { Services } from '../services';
import { paging } from './route-helpers';

const idParams = z.strictObject({ id: z.string().min(1).max(100) });

/** Units for sale (房源): list with counts, show with history, create. */
export function unitRoutes(s: Services) {
  return [
    route({
      id: 'units.list',
      scope: 'project',
      response: unitListResponse,
      method: 'get',
      path: '/api/units',
      access: 'units.read',
      summary: "A project's units with their status, by building, floor and unit, a page at a time; and the project's counts by status",
      query: z.strictObject({
        projectId: z.string().min(1),
        status: z.enum(UNIT_STATUSES).optional(),
        building: z.string().optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.units.list(principal, query) }),
    }),
    route({
      id: 'units.show',
      scope: 'project',
      response: unitShowResponse,
      method: 'get',
      path: '/api/units/:id',
      access: 'units.read',
      summary: 'One unit with its status history',
      params: idParams,
      handler: async ({ principal, params }) => ({ body: await s.units.get(principal, params.id) }),
    }),
    route({
      id: 'units.create',
      scope: 'project',
      statuses: [201],
      response: unitsCreatedResponse,
      method: 'post',
      path: '/api/units',
      access: 'units.write',
      summary: 'Add units to a project (all or none)',
      body: z.strictObject({
        projectId: z.string().min(1),
        units: z
          .array(
            z.strictObject({
              building: z.string().min(1).max(20),
              unitNo: z.string().min(1).max(20),
              floor: z.number().int().min(-5).max(200),
              area: z.number().positive().max(100000),
              layout: z.string().min(1).max(50),
              // numeric(14, 2): twelve digits before the point.
              listPrice: z.number().positive().multipleOf(0.01).max(999_999_999_999.99),
            }),
          )
          .min(1)
          .max(2000),
      }),
      handler: async ({ principal, body }) => ({ status: 201, body: await s.units.create(principal, body.projectId, body.units) }),
    }),
  ];
}
