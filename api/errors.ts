/** One reason a request was refused, naming the field it concerns. */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** An error that becomes an HTTP response with this status and body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/** 400: the request is malformed or a field is invalid. */
export const badRequest = (message: string, details: FieldIssue[] = []): HttpError => new HttpError(400, 'bad_request', message, details);
/** 401: no valid credentials. */
export const unauthorized = (message = 'Sign in first'): HttpError => new HttpError(401, 'unauthorized', message);
/** 403: signed in, but not allowed. */
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
/** 404: no such thing (or not visible to the caller). */
export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found`);
/** 409: the request conflicts with the current state. */
export const conflict = (message: string): HttpError => new HttpError(409, 'conflict', message);
/** 423: the account is locked. */
export const locked = (message: string): HttpError => new HttpError(423, 'locked', message);
