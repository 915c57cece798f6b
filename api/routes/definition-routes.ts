import { z } from 'zod';
import { route } from '../http';
import { definitionListResponse, definitionResponse } from './responses';
import { INT4_MAX } from './route-helpers';
import type { Services } from '../services';
import { NotFound } from '../services/errors';

/** Process definitions: list, show, validate, publish. */
export function definitionRoutes(s: Services) {
  return [
    route({
      id: 'definitions.list',
      scope: 'organisation',
      response: definitionListResponse,
      method: 'get',
      path: '/api/definitions',
      access: 'definitions.read',
      summary: 'Process definitions and their versions',
      handler: async () => ({ body: await s.definitions.list() }),
    }),
    route({
      id: 'definitions.show',
      scope: 'organisation',
      response: definitionResponse,
      method: 'get',
      path: '/api/definitions/:key',
      access: 'definitions.read',
      summary: 'One definition (latest version, or ?version=N)',
      params: z.strictObject({ key: z.string().min(1).max(100) }),
      query: z.strictObject({ version: z.coerce.number().int().positive().max(INT4_MAX).optional() }),
      handler: async ({ params, query }) => {
        const definition = await s.definitions.find(params.key, query.version);
        if (!definition) throw new NotFound(`Definition ${params.key}${query.version ? `@${query.version}` : ''}`);
        return { body: definition };
      },
    }),
    route({
      id: 'definitions.validate',
      scope: 'organisation',
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
      scope: 'organisation',
      statuses: [201, 200],
      method: 'post',
      path: '/api/definitions',
      access: 'definitions.publish',
      summary: 'Publish a definition version (immutable once published)',
      body: z.strictObject({ definition: z.unknown() }),
      handler: async ({ principal, body }) => {
        const published = await s.definitions.publish(principal, body.definition);
        return { status: published.created ? 201 : 200, body: published };
      },
    }),
  ];
}
