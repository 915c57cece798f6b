import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { type z } from 'zod';
import { badRequest, forbidden, HttpError, unauthorized, type FieldIssue } from './errors';
import type { Permission } from './permissions';
import type { Principal } from './services/auth-service';

/** Who may call a route: anyone, any signed-in user, or holders of one permission. */
export type Access = 'public' | 'signed-in' | Permission;

/** What a handler receives: the parsed request and the caller. */
export interface RouteContext<Body, Query, Params> {
  req: Request;
  res: Response;
  body: Body;
  query: Query;
  params: Params;
  /** The caller; `undefined` only on public routes. */
  principal: Principal | undefined;
}

/** A handler's answer: a body (200) or an explicit status and body. */
export type RouteResult = { status: number; body?: unknown } | { body: unknown } | undefined;

/** One route of the API: the single table that the server mounts and the permission tests walk. */
export interface RouteSpec<Body = unknown, Query = unknown, Params = unknown> {
  /** Stable name, e.g. `tasks.complete`. */
  id: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: Access;
  summary: string;
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  params?: z.ZodType<Params>;
  handler: (ctx: RouteContext<Body, Query, Params>) => Promise<RouteResult>;
}

/** Declares a route with its types inferred from its schemas. */
export function route<Body = undefined, Query = undefined, Params = undefined>(
  spec: RouteSpec<Body, Query, Params>,
): RouteSpec<Body, Query, Params> {
  return spec;
}

/** Resolves a bearer token to its principal, or `undefined` when it is not valid. */
export type Authenticator = (token: string) => Promise<Principal | undefined>;

/** Turns zod issues into field-named details. */
export function fieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return { field: [...path, ...issue.keys].join('.'), reason: 'unknown field' };
    }
    return { field: path.join('.') || prefix, reason: issue.message };
  });
}

/** Parses `value` with `schema` or throws a 400 naming every bad field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = fieldIssues(result.error, prefix);
    throw badRequest(`Invalid ${prefix}: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`, details);
  }
  return result.data;
}

/** What a user whose password an admin reset may still call: everything else waits for the change. */
const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set(['auth.me', 'auth.password', 'auth.logout']);

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * Mounts the route table. For each request: authenticate (401), authorise (403),
 * parse params, query and body (400 naming the field), then call the handler.
 * Authorisation comes before parsing, so a caller without the permission learns
 * nothing about what the route would accept.
 */
export function mountRoutes(router: Router, routes: readonly RouteSpec<any, any, any>[], authenticate: Authenticator): void {
  for (const spec of routes) {
    const handler: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
      try {
        let principal: Principal | undefined;
        if (spec.access !== 'public') {
          const token = bearerToken(req);
          principal = token ? await authenticate(token) : undefined;
          if (!principal) throw unauthorized();
          if (principal.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(spec.id)) {
            throw new HttpError(403, 'password_change_required', 'Change your password first (POST /api/auth/password)');
          }
          if (spec.access !== 'signed-in' && !principal.permissions.has(spec.access)) {
            throw forbidden(`Permission ${spec.access} is required`);
          }
        }
        const params = spec.params ? parseOrThrow(spec.params, req.params, 'params') : undefined;
        const query = spec.query ? parseOrThrow(spec.query, req.query, 'query') : undefined;
        const body = spec.body ? parseOrThrow(spec.body, req.body ?? {}, 'body') : undefined;
        const result = await spec.handler({ req, res, body, query, params, principal });
        // A streaming handler (server-sent events) has answered by itself.
        if (res.headersSent) return;
        const status = result && 'status' in result ? result.status : 200;
        if (result?.body === undefined) res.status(status === 200 ? 204 : status).end();
        else res.status(status).json(result.body);
      } catch (err) {
        next(err);
      }
    };
    router[spec.method](spec.path, handler);
  }
}

/** Renders any error as JSON: HttpErrors as they say, body-parser errors as 400/413, the rest as 500. */
export function errorHandler(log: (msg: string, err: unknown) => void) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof HttpError) {
      const retryAfter = (err.cause as { retryAfter?: number } | undefined)?.retryAfter;
      if (retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'bad_request', message: 'Malformed JSON body', details: [{ field: 'body', reason: 'malformed JSON' }] } });
      return;
    }
    if (e.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: { code: 'too_large', message: 'Request body too large', details: [{ field: 'body', reason: 'too large' }] } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'Bad request', details: [] } });
      return;
    }
    log('unhandled error', err);
    res.status(500).json({ error: { code: 'internal', message: 'Internal error', details: [] } });
  };
}
