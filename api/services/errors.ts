import type { z } from 'zod';

// What services throw when they refuse a request, in the domain's words. None of
// them knows about HTTP: the route table (`api/http.ts`) alone picks the status.

/** One reason an input was refused, naming its field as the service's request names it (`outcome`, `data.amount`). */
export interface InputIssue {
  field: string;
  reason: string;
  /** Where the field is when it is not in the request's body: a list's `cursor` is in its query. */
  in?: 'query' | 'params';
}

/**
 * Why a request was refused, for a person: a stable code and the values its sentence
 * needs. Clients word it in their user's language (the web app's `errors.reasons`);
 * the English `message` stays for logs and machine clients.
 */
export interface RefusalReason {
  code: string;
  params?: Record<string, string>;
}

/** Base of the refusals a service makes; anything else escaping a service is a fault. */
export abstract class ServiceError extends Error {
  readonly reason: RefusalReason | undefined;
  constructor(message: string, options?: { cause?: unknown; reason?: RefusalReason }) {
    super(message, options);
    this.name = new.target.name;
    this.reason = options?.reason;
  }
}

/** A field of the request is invalid (unknown reference, wrong value, form data that does not fit the form). */
export class InvalidInput extends ServiceError {
  constructor(
    message: string,
    readonly issues: InputIssue[],
  ) {
    super(message);
  }
}

/** The caller is not who they claim to be: wrong password, expired session. */
export class NotSignedIn extends ServiceError {}

/** The caller is signed in but may not do this: not a member of the project, not the assignee. */
export class NotAllowed extends ServiceError {}

/** No such thing, or none the caller may see (the two are not told apart). */
export class NotFound extends ServiceError {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The request conflicts with the current state: already done, already exists, no longer running. */
export class Conflict extends ServiceError {}

/** A completion effect (an activity run on completion) failed for a reason other than a refusal. */
export class EffectFailed extends ServiceError {}

/**
 * The process engine is behind the database: a row exists that the workflow has not
 * (re)created yet, as after a crash between an activity's commit and Temporal
 * recording it, or after a restore. The same request succeeds once it has caught up.
 */
export class EngineBehind extends ServiceError {}

/** Turns zod issues into issues naming the field under `prefix`. */
export function inputIssues(error: z.ZodError, prefix: string): InputIssue[] {
  return error.issues.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return { field: [...path, ...issue.keys].join('.'), reason: 'unknown field' };
    }
    return { field: path.join('.') || prefix, reason: issue.message };
  });
}

/** Parses `value` with `schema`, or throws {@link InvalidInput} naming every bad field under `field`. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = inputIssues(result.error, field);
    throw new InvalidInput(`Invalid ${field}: ${issues.map((d) => `${d.field}: ${d.reason}`).join('; ')}`, issues);
  }
  return result.data;
}
