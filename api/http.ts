import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { Prisma } from '../db/client';
import { isDatabaseUnavailable } from '../db/availability';
import { badRequest, forbidden, HttpError, RETRY_AFTER_SECONDS, serviceErrorToHttp, unauthorized, type FieldIssue } from './errors';
import type { Permission } from './permissions';
import type { Principal } from './services/auth-service';
import { ServiceError } from './services/errors';
import { temporalErrorToHttp } from './temporal-errors';

/** Who may call a route: anyone, any signed-in user, or holders of one permission. */
export type Access = 'public' | 'signed-in' | Permission;

/**
 * Whose data a route reads or changes. The permission matrix test takes it from the
 * route table and calls every route as outsiders accordingly, so a new route is
 * attacked the day it is added:
 *
 * - `project`: one project's data — a user who is a member only of another project
 *   is refused (403/404) or sees none of it;
 * - `customer`: a customer's personal data as well (phones, ID numbers, orders) — a
 *   colleague in the same project who neither owns the customer nor reads every
 *   customer is refused, sees it masked, or does not find it;
 * - `own`: only the caller's own things (session, notifications, preferences);
 * - `organisation`: no project's data (definitions, settings, users and roles, help,
 *   the organisation-wide audit trail and robots), guarded by its permission alone.
 */
export type Scope = 'project' | 'customer' | 'own' | 'organisation';

/** The caller a route's handler sees: none on public routes, always one elsewhere. */
export type PrincipalFor<A extends Access> = A extends 'public' ? undefined : Principal;

/** What a handler receives: the parsed request and the caller. */
export interface RouteContext<Body, Query, Params, A extends Access = Access> {
  req: Request;
  res: Response;
  body: Body;
  query: Query;
  params: Params;
  principal: PrincipalFor<A>;
}

/** A handler's answer: a body (200), an explicit status and body, or nothing (204). */
export type RouteResult = { status: number; body?: unknown } | { body: unknown } | undefined;

/** One route of the API: the single table that the server mounts and the permission tests walk. */
export interface RouteSpec<Body = unknown, Query = unknown, Params = unknown, A extends Access = Access> {
  /** Stable name, e.g. `tasks.complete`. */
  id: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: A;
  /** Whose data it touches; see {@link Scope}. */
  scope: Scope;
  summary: string;
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  params?: z.ZodType<Params>;
  /**
   * The success answer's body, for the OpenAPI document (and so for schemathesis's
   * conformance checks). Documentation only: the handler's value is not parsed again.
   */
  response?: z.ZodType;
  /** The success statuses the handler answers; 200 when not given (204 when it returns no body). */
  statuses?: readonly number[];
  /** Whether an `Idempotency-Key` header makes a retry safe (documented as a header parameter). */
  idempotent?: boolean;
  /** The success answer's media types when it is not JSON (server-sent events, a file in one of several formats). */
  produces?: string | readonly string[];
  handler: (ctx: RouteContext<Body, Query, Params, A>) => Promise<RouteResult>;
}

/** Declares a route with its types inferred from its schemas and its access. */
export function route<Body = undefined, Query = undefined, Params = undefined, A extends Access = Access>(
  spec: RouteSpec<Body, Query, Params, A>,
): RouteSpec<Body, Query, Params, A> {
  return spec;
}

/** A route of any types, as the table holds them. */
export type AnyRoute = RouteSpec<any, any, any, any>;

/** Resolves a bearer token to its principal, or `undefined` when it is not valid. */
export type Authenticator = (token: string) => Promise<Principal | undefined>;

/**
 * The language a person reads the API's validation messages in: the request's
 * `Accept-Language` (the web app sends its own). Chinese when it asks for Chinese;
 * English otherwise, as machine clients and scripts expect.
 */
export function requestLanguage(req: Request): 'zh-CN' | 'en' {
  return /^zh\b/i.test(req.get('accept-language')?.trim() ?? '') ? 'zh-CN' : 'en';
}

/** zod's own Chinese messages (数值过大：期望 string <=100 字符), made once. */
const ZH_CN = z.locales.zhCN();

/** Parses one part of the request with `schema`, or throws a 400 naming every bad field under `part`, in `language`. */
function parsePart<T>(schema: z.ZodType<T>, value: unknown, part: 'params' | 'query' | 'body', language: 'zh-CN' | 'en'): T {
  const bad = findBadText(value, part);
  if (bad) throw badRequest(`Invalid ${part}: ${bad.field}: ${bad.reason}`, [bad]);
  const result = schema.safeParse(value, language === 'zh-CN' ? { error: ZH_CN.localeError } : undefined);
  if (!result.success) {
    const details: FieldIssue[] = result.error.issues.map((issue) => {
      const path = [part, ...issue.path.map(String)];
      if (issue.code === 'unrecognized_keys')
        return { field: [...path, ...issue.keys].join('.'), reason: language === 'zh-CN' ? '未知字段' : 'unknown field' };
      return { field: path.join('.'), reason: issue.message };
    });
    throw badRequest(`Invalid ${part}: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`, details);
  }
  return result.data;
}

/** What a user whose password an admin reset may still call: everything else waits for the change. */
const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set(['auth.me', 'auth.password', 'auth.logout']);

/** A UTF-16 code unit of a surrogate pair without its other half: no Unicode character, and no valid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How deeply a request's JSON may nest; process definitions, the deepest legitimate input, stay far below. */
const MAX_DEPTH = 64;

/** Why a string cannot be stored, if it cannot. */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate (not valid Unicode)';
  return undefined;
}

/**
 * The first string (or key) that Postgres cannot store: a NUL character, which
 * text columns refuse, or an unpaired surrogate (`"\ud800"` in JSON), which jsonb
 * refuses. Such input is refused here, naming the field, instead of failing deep in
 * a query as a 500.
 */
function findBadText(value: unknown, path: string, depth = 0): FieldIssue | undefined {
  if (typeof value === 'string') {
    const reason = textProblem(value);
    return reason ? { field: path, reason } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  // JSON.parse takes any depth, but whatever walks it later (zod, JSON.stringify for
  // Postgres and Temporal) recurses: deep enough, that is a stack overflow and a 500.
  if (depth >= MAX_DEPTH) return { field: path, reason: `nested deeper than ${MAX_DEPTH} levels` };
  for (const [key, item] of Object.entries(value)) {
    const reason = textProblem(key);
    if (reason) return { field: path, reason: `a key ${reason}` };
    const found = findBadText(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The HTTP form of any error a handler throws, or `undefined` for a fault (500). */
export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof ServiceError) return serviceErrorToHttp(err);
  // Two concurrent requests creating the same row (e.g. upserts of one user's
  // preferences): the loser violates a unique key. It is the state that conflicts,
  // not a fault, and the retry succeeds.
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')
    return new HttpError(409, 'conflict', 'A concurrent request changed the same record; try again', [], { cause: err });
  // A number too large for its column that no route schema bounded: the request's
  // fault, though it cannot name the field (the route schemas should, and do for
  // those found so far).
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2020')
    return new HttpError(400, 'bad_request', 'A value is out of range for its field', [], { cause: err });
  // Likewise a value of the wrong form for its column (a non-UUID for a uuid column).
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2007')
    return new HttpError(400, 'bad_request', 'A value has the wrong form for its field (an id, a date or a number)', [], { cause: err });
  // Postgres restarting, a lost connection, a pool with no free connection: worth repeating.
  if (isDatabaseUnavailable(err))
    return new HttpError(503, 'unavailable', 'The database is not reachable right now; repeat the request shortly', [], {
      cause: err,
      retryAfter: RETRY_AFTER_SECONDS,
    });
  return temporalErrorToHttp(err);
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** How {@link mountRoutes} runs handlers. */
export interface MountOptions {
  /**
   * Runs a handler so that whatever it asks Temporal gives up at a bounded time
   * (`HTTP_WORKFLOW_TIMEOUT_MS`); the timeout then surfaces as 503 through
   * `temporalErrorToHttp`. Applied here, once, so no service needs its own timeouts.
   */
  bounded?: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Checks each success answer against the route's declared `response` schema and
   * turns a mismatch into a 500 naming it. On in tests (`NODE_ENV=test`), so every
   * integration test keeps the OpenAPI document honest; off in production, where the
   * extra serialisation would cost and a client is better served by the answer.
   */
  checkResponses?: boolean;
}

/** What the request logger and the metrics learn about a request from its route (`res.locals`). */
export interface RouteLocals {
  routeId?: string;
  userId?: string;
  username?: string;
  /** The process or task a route acted on, from its path or its answer. */
  processId?: string;
  taskId?: string;
}

/**
 * Mounts the route table. For each request: authenticate (401), authorise (403),
 * parse params, query and body (400 naming the field), then call the handler.
 * Authorisation comes before parsing, so a caller without the permission learns
 * nothing about what the route would accept.
 */
export function mountRoutes(router: Router, routes: readonly AnyRoute[], authenticate: Authenticator, options: MountOptions = {}): void {
  const bounded = options.bounded ?? (<T>(fn: () => Promise<T>) => fn());
  for (const spec of routes) {
    const handler: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
      const locals = res.locals as RouteLocals;
      locals.routeId = spec.id;
      try {
        let principal: Principal | undefined;
        if (spec.access !== 'public') {
          const token = bearerToken(req);
          principal = token ? await authenticate(token) : undefined;
          if (!principal) throw unauthorized();
          locals.userId = principal.userId;
          locals.username = principal.username;
          if (principal.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(spec.id)) {
            throw new HttpError(403, 'password_change_required', 'Change your password first (POST /api/auth/password)');
          }
          if (spec.access !== 'signed-in' && !principal.permissions.has(spec.access)) {
            throw forbidden(`Permission ${spec.access} is required`);
          }
        }
        const language = requestLanguage(req);
        const params = spec.params ? parsePart(spec.params, req.params, 'params', language) : undefined;
        const query = spec.query ? parsePart(spec.query, req.query, 'query', language) : undefined;
        const body = spec.body ? parsePart(spec.body, req.body ?? {}, 'body', language) : undefined;
        noteSubject(spec, params, locals);
        const result = await bounded(() => spec.handler({ req, res, body, query, params, principal }));
        noteSubject(spec, result?.body, locals);
        if (options.checkResponses) checkResponse(spec, result);
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

/** Throws when a success answer does not match the route's declared response schema (as JSON: dates as strings). */
function checkResponse(spec: AnyRoute, result: RouteResult): void {
  if (!spec.response || result?.body === undefined) return;
  const status = 'status' in result ? result.status : 200;
  if (status >= 300) return;
  const parsed = spec.response.safeParse(JSON.parse(JSON.stringify(result.body)));
  if (!parsed.success)
    throw new Error(
      `Route ${spec.id} answered outside its declared response schema: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
}

/**
 * Records in the request's locals the process or task a route concerns, for its log
 * line: `id` of a process or task route's path, or `processId`/`taskId` of its answer
 * (`id` too, for the process a start created).
 */
function noteSubject(spec: AnyRoute, value: unknown, locals: RouteLocals): void {
  if (!value || typeof value !== 'object') return;
  const v = value as { id?: unknown; processId?: unknown; taskId?: unknown };
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  if (spec.id.startsWith('processes.')) locals.processId ??= str(v.id);
  if (spec.id.startsWith('tasks.')) locals.taskId ??= str(v.id) ?? str(v.taskId);
  locals.processId ??= str(v.processId);
  locals.taskId ??= str(v.taskId);
}

/**
 * Renders any error as JSON: refusals of services and of the workflow with the
 * status the HTTP layer gives them, body-parser errors as 400/413, the rest as 500.
 */
export function errorHandler(log: (msg: string, err: unknown) => void) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const http = toHttpError(err);
    if (http) {
      const retryAfter = http.retryAfter ?? (http.cause as { retryAfter?: number } | undefined)?.retryAfter;
      if (retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
      res.status(http.status).json({
        error: { code: http.code, message: http.message, details: http.details, ...(http.reason ? { reason: http.reason } : {}) },
      });
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
    // pino-http puts it on the request's line too.
    (res as Response & { err?: Error }).err = err instanceof Error ? err : new Error(String(err));
    res.status(500).json({ error: { code: 'internal', message: 'Internal error', details: [] } });
  };
}
