import { http, type HttpResult } from './system';

/** How a {@link RetryingClient} retries; the defaults suit a system that restarts its parts. */
export interface RetryOptions {
  /** At most this many sends of one request. */
  maxAttempts?: number;
  /** First wait between sends; doubles each time up to {@link maxDelayMs} (±25 % jitter). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A send not answered by then is abandoned and counts as a timeout. */
  requestTimeoutMs?: number;
}

/** What happened to the sends of every request so far. */
export interface RetryCounts {
  requests: number;
  sends: number;
  /** 503 answers (the engine did not answer in time; the API says to repeat). */
  unavailable: number;
  /** Refused or reset connections: the API was not there, or died mid-request. */
  connectionErrors: number;
  /** Sends not answered within `requestTimeoutMs`. */
  timeouts: number;
}

/** Raised when a request still failed after its last attempt. */
export class RetriesExhausted extends Error {
  constructor(what: string, attempts: number, last: string) {
    super(`${what}: no answer after ${attempts} attempts (last: ${last})`);
    this.name = 'RetriesExhausted';
  }
}

/**
 * An API client as a careful front end behaves under failure: a write carries an
 * `Idempotency-Key`, and the very same request (same key) is sent again after a
 * 503, a connection error or a timeout, with exponential backoff and a bounded
 * number of attempts. Any other answer, success or refusal, is final and returned.
 */
export class RetryingClient {
  readonly counts: RetryCounts = { requests: 0, sends: 0, unavailable: 0, connectionErrors: 0, timeouts: 0 };
  private readonly opts: Required<RetryOptions>;

  constructor(
    private readonly url: string,
    options: RetryOptions = {},
  ) {
    this.opts = { maxAttempts: 60, initialDelayMs: 200, maxDelayMs: 3000, requestTimeoutMs: 20_000, ...options };
  }

  /** Sends `method path` until it gets an answer other than 503; `key` becomes the Idempotency-Key of every send. */
  async send<T = any>(method: string, path: string, options: { token: string; body?: unknown; key: string }): Promise<HttpResult<T>> {
    this.counts.requests += 1;
    let last = '';
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      this.counts.sends += 1;
      try {
        const res = await http<T>(this.url, method, path, {
          token: options.token,
          body: options.body,
          headers: { 'idempotency-key': options.key },
          timeoutMs: this.opts.requestTimeoutMs,
        });
        if (res.status !== 503) return res;
        this.counts.unavailable += 1;
        last = `503 ${JSON.stringify(res.body)}`;
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError') this.counts.timeouts += 1;
        else this.counts.connectionErrors += 1;
        last = `${name}: ${(err as Error).message}`;
      }
      const delay = Math.min(this.opts.initialDelayMs * 2 ** (attempt - 1), this.opts.maxDelayMs);
      await new Promise((r) => setTimeout(r, delay * (0.75 + Math.random() / 2)));
    }
    throw new RetriesExhausted(`${method} ${path}`, this.opts.maxAttempts, last);
  }
}
