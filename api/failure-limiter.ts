import { HttpError } from './errors';

/**
 * Counts failed attempts per client address in a sliding window and refuses
 * further attempts from an address that failed too often: brute force across many
 * accounts from one place is slowed down, which the per-account lockout alone does
 * not do. In memory, so per API process.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 with the seconds to wait when `key` failed too often lately. */
  check(key: string): void {
    const recent = this.recent(key);
    if (recent.length >= this.maxFailures) {
      const retryAfter = Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000);
      throw new HttpError(429, 'too_many_requests', `Too many failed attempts; try again in ${retryAfter} s`, [], {
        cause: { retryAfter },
      });
    }
  }

  /** Records a failure of `key`. */
  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent;
  }
}
