// The thin typed layer over the HTTP API: one `request` that adds the session token,
// turns error bodies into `ApiError`, and sends the user back to sign-in on a 401.

const TOKEN_KEY = 'salesproc.token';

/** The session token, kept in localStorage so that a new tab is signed in too. */
export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string): void => localStorage.setItem(TOKEN_KEY, token),
  clear: (): void => localStorage.removeItem(TOKEN_KEY),
};

/** One problem of a 400, naming the field (`body.data.amount`). */
export interface ErrorDetail {
  field: string;
  reason: string;
}

/** An error answer of the API: `{error: {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[],
    /** Why, for a person: a code the app words in the user's language, and its values. */
    readonly reason?: { code: string; params?: Record<string, string> },
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called on a 401 from any request but sign-in: the session has ended. */
let onUnauthorized: () => void = () => undefined;
/** Sets what a 401 does (the session provider signs the user out). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  /** Makes a retried write act once: the API uses it as the Temporal Update id. */
  idempotencyKey?: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Aborts the request (a read whose page went away). */
  signal?: AbortSignal;
}

/** Sends one request to the API and returns its JSON body. */
export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  // The API words its validation messages in the language the user reads the app in.
  headers['accept-language'] = document.documentElement.lang || 'zh-CN';
  const query = Object.entries(options.query ?? {}).filter(
    (e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== '',
  );
  const url = query.length ? `${path}?${new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString()}` : path;
  const res = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (res.ok) return parsed as T;
  if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
  const error = (
    parsed as
      | { error?: { code?: string; message?: string; details?: ErrorDetail[]; reason?: { code: string; params?: Record<string, string> } } }
      | undefined
  )?.error;
  throw new ApiError(res.status, error?.code ?? 'error', error?.message ?? res.statusText, error?.details ?? [], error?.reason);
}

/** Shorthands. */
export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body: unknown = {}, idempotencyKey?: string) => request<T>('POST', path, { body, idempotencyKey }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
};

/** A fresh idempotency key: one per rendering of a form, so a double click acts once. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/** Fetches a file the API makes (an export) with the session's token: its content and the name the API gives it. */
export async function fetchFile(path: string, query: RequestOptions['query'] = {}): Promise<{ blob: Blob; name: string }> {
  const token = tokenStore.get();
  const entries = Object.entries(query).filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== '');
  const url = `${path}?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined;
    throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? res.statusText, body?.error?.details ?? []);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  return { blob: await res.blob(), name };
}
