import {
  Conflict,
  EffectFailed,
  EngineBehind,
  InvalidInput,
  NotAllowed,
  NotFound,
  NotSignedIn,
  type RefusalReason,
  type ServiceError,
} from './services/errors';

/** One reason a request was refused, naming the field of the request it concerns (`body.outcome`, `query.limit`). */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** An error that becomes an HTTP response with this status and body. Only the HTTP edge makes these. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    options?: { cause?: unknown; retryAfter?: number; reason?: RefusalReason },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.retryAfter = options?.retryAfter;
    this.reason = options?.reason;
  }

  /** Why, for a person (a code and its values), when the refusal has one. */
  readonly reason: RefusalReason | undefined;

  /** Seconds for the `Retry-After` header (429, 503). */
  readonly retryAfter: number | undefined;
}

/** 400: the request is malformed or a field is invalid. */
export const badRequest = (message: string, details: FieldIssue[] = []): HttpError => new HttpError(400, 'bad_request', message, details);
/** 401: no valid credentials. */
export const unauthorized = (message = 'Sign in first'): HttpError => new HttpError(401, 'unauthorized', message);
/**
 * How long a client should wait after a 503: long enough for a restarted worker to
 * poll again, short enough that a person retrying by hand is not kept waiting.
 */
export const RETRY_AFTER_SECONDS = 5;

/** 403: signed in, but not allowed. */
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);

/**
 * The one mapping from a service's refusal to HTTP. A service names fields as its
 * request does; the route's request body is that request, so they gain `body.`
 * (or `query.`, `params.` where the service says so).
 */
export function serviceErrorToHttp(err: ServiceError): HttpError | undefined {
  if (err instanceof InvalidInput)
    return new HttpError(
      400,
      'bad_request',
      err.message,
      err.issues.map((i) => ({ field: `${i.in ?? 'body'}.${i.field}`, reason: i.reason })),
      { cause: err },
    );
  if (err instanceof NotSignedIn) return new HttpError(401, 'unauthorized', err.message, [], { cause: err });
  if (err instanceof NotAllowed) return new HttpError(403, 'forbidden', err.message, [], { cause: err, reason: err.reason });
  if (err instanceof NotFound) return new HttpError(404, 'not_found', err.message, [], { cause: err });
  if (err instanceof Conflict) return new HttpError(409, 'conflict', err.message, [], { cause: err, reason: err.reason });
  if (err instanceof EffectFailed) return new HttpError(502, 'effect_failed', err.message, [], { cause: err });
  if (err instanceof EngineBehind)
    return new HttpError(503, 'unavailable', err.message, [], { cause: err, retryAfter: RETRY_AFTER_SECONDS });
  return undefined;
}
