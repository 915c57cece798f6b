import { z } from 'zod';
import { route } from '../http';
import type { Services } from '../services';

const idParams = z.strictObject({ id: z.string().min(1).max(100) });

/** Units for sale and the recorded documents of the sales procedure. */
export function salesRoutes(s: Services) {
  return [
    route({
      id: 'units.list',
      method: 'get',
      path: '/api/units',
      access: 'units.read',
      summary: "A project's units with their status, and counts by status",
      query: z.strictObject({
        projectId: z.string().min(1),
        status: z.enum(['available', 'reserved', 'subscribed', 'sold']).optional(),
        building: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(2000).default(500),
      }),
      handler: async ({ principal, query }) => ({ body: await s.sales.listUnits(principal!, query) }),
    }),
    route({
      id: 'units.show',
      method: 'get',
      path: '/api/units/:id',
      access: 'units.read',
      summary: 'One unit with its status history',
      params: idParams,
      handler: async ({ principal, params }) => ({ body: await s.sales.getUnit(principal!, params.id) }),
    }),
    route({
      id: 'units.create',
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
              listPrice: z.number().positive().multipleOf(0.01),
            }),
          )
          .min(1)
          .max(2000),
      }),
      handler: async ({ principal, body }) => ({ status: 201, body: await s.sales.createUnits(principal!, body.projectId, body.units) }),
    }),
    route({
      id: 'records.list',
      method: 'get',
      path: '/api/records',
      access: 'records.read',
      summary: 'Submitted documents, by project, kind and process',
      query: z.strictObject({
        projectId: z.string().optional(),
        kind: z.string().optional(),
        processId: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      }),
      handler: async ({ principal, query }) => ({ body: await s.sales.listRecords(principal!, query) }),
    }),
    route({
      id: 'records.show',
      method: 'get',
      path: '/api/records/:id',
      access: 'records.read',
      summary: 'One submitted document',
      params: idParams,
      handler: async ({ principal, params }) => ({ body: await s.sales.getRecord(principal!, params.id) }),
    }),
  ];
}
