import type { PrismaClient } from '../db/client';
import { HttpError } from './errors';

/**
 * Counts failed attempts per client address in a sliding window and refuses
 * further attempts from an address that failed too often: brute force across many
 * accounts from one place is slowed down, which the per-account lockout alone does
 * not do. The failures are rows of `auth_failures`, so every API process behind a
 * load balancer counts the same ones (in memory, each would allow its own quota).
 * Times come from the API's clock (`now`), so the processes' clocks should agree
 * to well within the window, as NTP keeps them.
 */
export class FailureLimiter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 with the seconds to wait when `address` failed too often lately. */
  async check(address: string): Promise<void> {
    const recent = await this.prisma.authFailure.aggregate({
      where: { address, at: { gt: new Date(this.now() - this.windowMs) } },
      _count: { _all: true },
      _min: { at: true },
    });
    if (recent._count._all >= this.maxFailures) {
      const retryAfter = Math.ceil((recent._min.at!.getTime() + this.windowMs - this.now()) / 1000);
      throw new HttpError(429, 'too_many_requests', `Too many failed attempts; try again in ${retryAfter} s`, [], {
        cause: { retryAfter },
      });
    }
  }

  /** Records a failure of `address`, and forgets every failure that has left the window. */
  async fail(address: string): Promise<void> {
    const now = this.now();
    await this.prisma.$transaction([
      this.prisma.authFailure.deleteMany({ where: { at: { lte: new Date(now - this.windowMs) } } }),
      this.prisma.authFailure.create({ data: { address, at: new Date(now) } }),
    ]);
  }
}
