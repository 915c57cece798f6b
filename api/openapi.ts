import { z } from 'zod';
import type { AnyRoute } from './http';

// The OpenAPI 3.1 document is generated from the route table, the one source of
// truth for paths, access and request schemas: a route added to the table is in the
// document, with the same zod schema that parses its requests. zod 4's own
// `z.toJSONSchema` emits JSON Schema 2020-12, which is what OpenAPI 3.1 embeds, so no
// converter library is needed.

/** A JSON Schema object as embedded in the document. */
type JsonSchema = Record<string, unknown>;

/** The OpenAPI 3.1 document, as plain JSON. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown>; responses: Record<string, unknown> };
  tags: { name: string }[];
}

/** The error body every refusal has (`api/http.ts` errorHandler). */
const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', examples: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'unavailable'] },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'reason'],
            properties: { field: { type: 'string', examples: ['body.outcome'] }, reason: { type: 'string' } },
          },
        },
      },
    },
  },
};

/** Refusals any route may answer, by status, with what they mean here. */
const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Malformed request; `details` names each bad field',
  '401': 'No valid bearer token',
  '403': 'Signed in, but not allowed (permission, assignee, project)',
  '404': 'No such object, or not visible to the caller',
  '409': 'Conflicts with the current state (task done, duplicate key, process not running)',
  '413': 'Body larger than BODY_LIMIT',
  '415': 'Body in an unsupported content type, charset or encoding',
  '429': 'Too many attempts (sign-in, password, reset) or open streams; see Retry-After',
  '502': "A task's effect could not be applied",
  '503':
    'The process engine did not answer within HTTP_WORKFLOW_TIMEOUT_MS, or the database cannot be reached right now; repeat (with the same Idempotency-Key) after Retry-After',
};

/** Express's `/api/tasks/:id` as OpenAPI's `/api/tasks/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * Converts a zod schema to JSON Schema for the document. Recursive schemas come back
 * with `$defs` and `#/$defs/…` references, which would resolve against the document
 * root: they are moved to `components.schemas` under a name prefixed by `name`.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', name: string, components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  const defs = json.$defs as Record<string, JsonSchema> | undefined;
  delete json.$defs;
  if (!defs) return json;
  const rename = (def: string) => `${name}.${def}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${rename(v.slice(8))}` : rewrite(v),
      ]),
    );
  };
  for (const [def, body] of Object.entries(defs)) components[rename(def)] = rewrite(body) as JsonSchema;
  return rewrite(json) as JsonSchema;
}

/** The parameters (`in: path` or `in: query`) that an object schema declares. */
function parameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  name: string,
  components: Record<string, JsonSchema>,
): Record<string, unknown>[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input', name, components);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([param, s]) => ({
    name: param,
    in: where,
    required: where === 'path' || required.has(param),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

/** One operation of the document from one route of the table. */
function operation(spec: AnyRoute, components: Record<string, JsonSchema>): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of spec.statuses ?? [200]) {
    if (status === 204) responses[String(status)] = { description: 'Done; no body' };
    else if (spec.produces)
      responses[String(status)] = {
        description: 'A stream or a file',
        content: Object.fromEntries([spec.produces].flat().map((type) => [type, { schema: { type: 'string' } }])),
      };
    else
      responses[String(status)] = {
        description: 'Success',
        content: {
          'application/json': { schema: spec.response ? toSchema(spec.response, 'output', `${spec.id}.response`, components) : {} },
        },
      };
  }
  for (const status of Object.keys(ERROR_RESPONSES)) {
    responses[status] = { $ref: `#/components/responses/${status}` };
  }
  const params = [
    ...parameters(spec.params, 'path', `${spec.id}.params`, components),
    ...parameters(spec.query, 'query', `${spec.id}.query`, components),
    ...(spec.idempotent
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Repeating the request with the same key acts once and returns the first answer',
            schema: { type: 'string', minLength: 1, maxLength: 200 },
          },
        ]
      : []),
  ];
  return {
    operationId: spec.id,
    summary: spec.summary,
    tags: [spec.id.split('.')[0]],
    description: spec.access === 'public' || spec.access === 'signed-in' ? `Access: ${spec.access}` : `Permission: \`${spec.access}\``,
    security: spec.access === 'public' ? [] : [{ bearer: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(spec.body, 'input', `${spec.id}.body`, components) } },
          },
        }
      : {}),
    responses,
  };
}

/** Routes outside the table that clients see: the health check and this document. */
function extraPaths(): Record<string, Record<string, unknown>> {
  const status = { type: 'object', required: ['status'], properties: { status: { enum: ['ok', 'down'] } } };
  const health = {
    type: 'object',
    required: ['status'],
    properties: { status: { enum: ['ok', 'down'] }, database: status, temporal: status },
  };
  return {
    '/health': {
      get: {
        operationId: 'health',
        summary: 'API, database and Temporal, each ok or down',
        tags: ['health'],
        security: [],
        responses: {
          '200': { description: 'All up', content: { 'application/json': { schema: health } } },
          '503': { description: 'Something is down', content: { 'application/json': { schema: health } } },
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        tags: ['docs'],
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  };
}

/** Builds the OpenAPI 3.1 document of the route table. */
export function buildOpenApi(routes: readonly AnyRoute[], version: string): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { Error: errorSchema };
  const paths: Record<string, Record<string, unknown>> = extraPaths();
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    paths[path] = { ...paths[path], [spec.method]: operation(spec, schemas) };
  }
  const responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, description]) => [
      status,
      {
        description,
        ...(status === '429' || status === '503'
          ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 } } } }
          : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );
  const tags = [...new Set(routes.map((r) => r.id.split('.')[0]!))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sales-process engine API',
      version,
      description:
        'Generated from the route table (api/routes). Errors are `{"error": {code, message, details}}`; writes to processes and tasks accept `Idempotency-Key`; see docs/security.md for permissions and docs/api.md for the rest.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login' } },
    },
    tags: [...tags, { name: 'health' }, { name: 'docs' }],
  };
}
