import SwaggerParser from '@apidevtools/swagger-parser';
import type { AnyRoute } from '../../api/http';
import { buildOpenApi, openApiPath } from '../../api/openapi';
import { buildRoutes } from '../../api/routes';
import type { Services } from '../../api/services';

// The OpenAPI document is generated from the route table: it must be a valid
// OpenAPI 3.1 document and hold every route, with its path parameters and access.

const ROUTES: AnyRoute[] = buildRoutes({} as Services);
const document = buildOpenApi(ROUTES, '0.0.0-test');

test('the document is valid OpenAPI 3.1', async () => {
  // The validator dereferences in place: give it a copy.
  const api = await SwaggerParser.validate(structuredClone(document) as never);
  expect((api as { openapi?: string }).openapi).toBe('3.1.0');
});

test('every route of the table is in the document, with its parameters and security', () => {
  for (const spec of ROUTES) {
    const path = openApiPath(spec.path);
    const op = document.paths[path]?.[spec.method] as
      | {
          operationId: string;
          parameters?: { name: string; in: string }[];
          security: unknown[];
          requestBody?: unknown;
          responses: Record<string, unknown>;
        }
      | undefined;
    expect({ route: spec.id, found: op?.operationId }).toEqual({ route: spec.id, found: spec.id });
    const pathParams = [...spec.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    expect(op!.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? []).toEqual(pathParams);
    expect(op!.security).toEqual(spec.access === 'public' ? [] : [{ bearer: [] }]);
    expect(op!.requestBody !== undefined).toBe(spec.body !== undefined);
    expect(op!.responses['400']).toEqual({ $ref: '#/components/responses/400' });
  }
  const operations = Object.values(document.paths).flatMap((item) => Object.keys(item));
  // The table's routes, plus /health and the document itself.
  expect(operations).toHaveLength(ROUTES.length + 2);
});

test('paths use OpenAPI templates, and declared responses carry their schema', () => {
  expect(Object.keys(document.paths)).toContain('/api/tasks/{id}/complete');
  expect(Object.keys(document.paths).some((p) => p.includes(':'))).toBe(false);
  const complete = document.paths['/api/tasks/{id}/complete']!.post as {
    parameters: { name: string; in: string }[];
    responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
  };
  expect(complete.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id', 'header:Idempotency-Key']);
  expect(Object.keys(complete.responses['200']!.content!['application/json']!.schema.properties!)).toEqual(
    expect.arrayContaining(['taskId', 'processId', 'repeated']),
  );
  expect(document.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
  expect(document.components.schemas.Error).toBeDefined();
});
