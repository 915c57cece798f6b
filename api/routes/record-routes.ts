import { z } from 'zod';
import { route } from '../http';
import { recordListResponse, recordShowResponse } from './responses';
import type { Services } from '../services';
import { paging } from './route-helpers';

const idParams = z.strictObject({ id: z.string().min(1).max(100) });

/** Records: the documents submitted in the sales procedure. */
export function recordRoutes(s: Services) {
  return [
    route({
      id: 'records.list',
      scope: 'customer',
      response: recordListResponse,
      method: 'get',
      path: '/api/records',
      access: 'records.read',
      summary: 'Submitted documents, by project, kind and process',
      query: z.strictObject({
        projectId: z.string().optional(),
        kind: z.string().optional(),
        processId: z.string().optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.records.list(principal, query) }),
    }),
    route({
      id: 'records.show',
      scope: 'customer',
      response: recordShowResponse,
      method: 'get',
      path: '/api/records/:id',
      access: 'records.read',
      summary: 'One submitted document',
      params: idParams,
      handler: async ({ principal, params }) => ({ body: await s.records.get(principal, params.id) }),
    }),
  ];
}
