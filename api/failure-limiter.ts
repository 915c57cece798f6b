import { createHmac, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db/client';
import { HttpError } from './errors';

/**
 * How one kind of key is limited: `free` attempts, then each further one must wait
 * `baseDelayMs × 2^(n − free)` (at most `maxDelayMs`) after the previous charged one.
 * One charged attempt is forgiven per `forgiveMs` without attempts, so a typo now and
 * then never adds up to a delay, while a guesser settles at about one attempt per
 * `forgiveMs` (with `forgiveMs ≥ maxDelayMs`).
 */
export interface ThrottlePolicy {
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgiveMs: number;
}

/** One counter an attempt is charged to: `scope:subject`, and how it is limited. */
export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/** What charging an attempt saw: the attempts charged to each key, this one included. */
export type Charged = ReadonlyMap<string, number>;

interface Row {
  key: string;
  failures: number;
  lastAt: Date | null;
}

/** The attempts of a row still counted at `now` (one forgiven per `forgiveMs` since the last). */
function counted(row: Row, policy: ThrottlePolicy, now: number): number {
  if (!row.lastAt) return 0;
  // Never negative: another process's clock may run a little ahead of this one's.
  const elapsed = Math.max(0, now - row.lastAt.getTime());
  return Math.max(0, row.failures - Math.floor(elapsed / policy.forgiveMs));
}

/** The delay after `n` counted attempts before the next may be charged (0 while free). */
export function delayAfter(policy: ThrottlePolicy, n: number): number {
  if (n < policy.free) return 0;
  // 2^40 ms is some 35 years: past the cap anyway, and no overflow to Infinity.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(n - policy.free, 40));
}

/**
 * Charges sign-in, password-change and reset attempts to counters — per client
 * address and per typed user name (as a keyed hash) — and refuses an attempt with
 * 429 and `Retry-After` while a key's delay runs (see {@link ThrottlePolicy}).
 *
 * An attempt is charged BEFORE the password is checked, in one transaction that
 * locks the keys' rows: of a burst of concurrent attempts, only those the counters
 * allow are evaluated at all, and every API process counts the same attempts (the
 * rows are in the shared database). The caller then forgives the attempt when it
 * turns out to be good ({@link refund}, {@link clear}). Growing delays instead of a
 * hard lock: five wrong passwords no longer keep the owner out for a quarter of an
 * hour, and as unknown names are counted exactly like known ones, the answers do not
 * tell which names exist. Times come from the API's clock (`now`); keep the
 * processes' clocks in sync (NTP).
 */
export class FailureLimiter {
  private hashKey: Promise<Buffer> | undefined;
  private lastPurge = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: { hashKey?: string; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * The key of a counter of a typed user name: `scope:` and an HMAC of the name, so that a password
   * typed into the name field is not stored in readable form. The key is
   * `AUTH_HASH_KEY`, or one made once and kept in `auth_secrets` (all processes
   * must hash alike, so it cannot be made per process).
   */
  async nameKey(scope: 'login-name' | 'reset-name', name: string): Promise<string> {
    const key = await (this.hashKey ??= this.loadHashKey().catch((err: unknown) => {
      this.hashKey = undefined;
      throw err;
    }));
    return `${scope}:${createHmac('sha256', key).update(name, 'utf8').digest('base64url')}`;
  }

  private async loadHashKey(): Promise<Buffer> {
    if (this.options.hashKey) return Buffer.from(this.options.hashKey, 'utf8');
    const made = randomBytes(32).toString('base64');
    // The first process to ask makes it; every other one reads the same.
    await this.prisma
      .$executeRaw`INSERT INTO auth_secrets (name, value) VALUES ('throttle_name_key', ${made}) ON CONFLICT (name) DO NOTHING`;
    const [row] = await this.prisma.$queryRaw<{ value: string }[]>`SELECT value FROM auth_secrets WHERE name = 'throttle_name_key'`;
    return Buffer.from(row!.value, 'base64');
  }

  /**
   * Charges one attempt to every key, or — when any key's delay runs — to none,
   * counting the refusal and throwing 429 with the seconds to wait (the longest
   * of the keys). Resolves with the attempts now charged to each key.
   */
  async charge(keys: readonly ThrottleKey[]): Promise<Charged> {
    let now = this.now();
    const policies = new Map(keys.map((k) => [k.key, k.policy]));
    // One statement creates the keys' rows or locks the existing ones (DO UPDATE takes the
    // row lock, DO NOTHING would not), in one order (sorted keys), so two attempts sharing
    // keys cannot deadlock; the lock is held until the charge is written.
    const sorted = [...policies.keys()].sort();
    const result = await this.prisma.$transaction(
      async (tx): Promise<{ waitUntil: number } | { charged: Charged }> => {
        const rows = await tx.$queryRaw<Row[]>`
        INSERT INTO auth_throttles AS t (key) SELECT unnest(${sorted}::text[]) ORDER BY 1
        ON CONFLICT (key) DO UPDATE SET key = t.key
        RETURNING t.key, t.failures, t.last_at AS "lastAt"`;
        // The attempt's time is when it got its turn: an attempt that waited for the lock
        // must not see the charges made meanwhile as made in its future.
        now = Math.max(now, this.now());
        let waitUntil = 0;
        const refusing: string[] = [];
        const charged = new Map<string, number>();
        for (const row of rows) {
          const policy = policies.get(row.key)!;
          const n = counted(row, policy, now);
          const delay = delayAfter(policy, n);
          if (delay > 0 && row.lastAt && row.lastAt.getTime() + delay > now) {
            refusing.push(row.key);
            waitUntil = Math.max(waitUntil, row.lastAt.getTime() + delay);
          }
          charged.set(row.key, n + 1);
        }
        if (refusing.length) {
          await tx.$executeRaw`UPDATE auth_throttles SET refused = refused + 1 WHERE key = ANY(${refusing}::text[])`;
          return { waitUntil };
        }
        for (const [key, n] of charged) {
          const forgetAt = new Date(now + n * policies.get(key)!.forgiveMs);
          await tx.$executeRaw`
          UPDATE auth_throttles SET failures = ${n}, last_at = ${new Date(now)}, forget_at = ${forgetAt} WHERE key = ${key}`;
        }
        return { charged };
        // A burst queues on the row lock (a few ms each) and for the pool's connections:
        // longer than the default 2 s may pass before its turn, which is not a fault.
      },
      { maxWait: 15_000, timeout: 15_000 },
    );
    await this.purge(now);
    if (!('charged' in result)) {
      const retryAfter = Math.max(1, Math.ceil((result.waitUntil - now) / 1000));
      throw new HttpError(429, 'too_many_requests', `Too many attempts; try again in ${retryAfter} s`, [], { retryAfter });
    }
    return result.charged;
  }

  /** Forgives one charged attempt of each key (a good attempt should not count against an address). */
  async refund(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.$executeRaw`UPDATE auth_throttles SET failures = GREATEST(failures - 1, 0) WHERE key = ANY(${[...keys]}::text[])`;
  }

  /** Forgets the keys altogether (the account's owner signed in, or an admin reset the password). */
  async clear(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.$executeRaw`DELETE FROM auth_throttles WHERE key = ANY(${[...keys]}::text[])`;
  }

  /** Deletes rows whose attempts are all forgiven; at most once a minute per process. */
  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    // SKIP LOCKED: never waits for (or deadlocks with) an attempt being charged.
    await this.prisma.$executeRaw`
      DELETE FROM auth_throttles WHERE key IN (
        SELECT key FROM auth_throttles WHERE forget_at < ${new Date(now)} FOR UPDATE SKIP LOCKED)`;
  }
}
