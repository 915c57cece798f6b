import type { AppConfig } from '../../config/env';
import type { PrismaClient } from '../../db/client';
import type { PgNotificationHub } from '../../db/pg-notifications';
import { HttpError, unauthorized } from '../errors';
import type { Principal } from './auth-service';

/**
 * The Postgres channel on which a session that ended (revoked or deleted, or its
 * user deactivated) is announced with its id — by triggers on `sessions` and `users`
 * (migration `20261205010000_auth_throttles`), so whichever code ends a session,
 * every API process hears it.
 */
export const SESSION_ENDED_CHANNEL = 'session_ended';

/** An open stream's slot: `ended` resolves when the session ends; `close` gives the slot back. */
export interface StreamSlot {
  ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * The lifecycle of server-sent-event streams tied to the session that opened them.
 *
 * - At most `STREAMS_PER_SESSION` open at once per session, across API processes:
 *   each open stream holds a row of `session_streams`, taken under a lock of the
 *   session's row, so concurrent opens cannot all pass the count. A row is a lease
 *   renewed while the stream runs, so the slot of a process that died is given back
 *   when its lease ends (three check intervals).
 * - A stream ends within moments of its session ending — sign-out, password change or
 *   reset, an admin's reset or deactivation — on whichever process it runs: the
 *   database announces the end (`session_ended`, sent by triggers on commit), and
 *   each stream listens on the process's one LISTEN connection. Every
 *   `STREAM_SESSION_CHECK_SECONDS` the stream also re-reads its session (the same
 *   statement renews its lease), which catches an expiry and a notice lost with a
 *   broken connection (a lost LISTEN connection ends the streams anyway).
 */
export class SessionStreams {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hub: PgNotificationHub,
    private readonly config: Pick<AppConfig, 'STREAMS_PER_SESSION' | 'STREAM_SESSION_CHECK_SECONDS'>,
  ) {}

  private get leaseMs(): number {
    return this.config.STREAM_SESSION_CHECK_SECONDS * 3000;
  }

  /**
   * Takes a slot for a stream of the caller's session, before anything is sent: 429
   * (with `Retry-After`) when the session has its maximum open, 401 when it has ended.
   */
  async open(principal: Principal): Promise<StreamSlot> {
    let end = () => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    // Listening before the slot is taken: an end announced meanwhile is not missed.
    const unsubscribe = await this.hub.subscribe(SESSION_ENDED_CHANNEL, {
      onPayload: (sessionId) => {
        if (sessionId === principal.sessionId) end();
      },
      onLost: () => end(),
    });
    let slotId: string;
    try {
      slotId = await this.take(principal.sessionId);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    const timer = setInterval(() => {
      this.renew(slotId).then(
        (alive) => {
          if (!alive) end();
        },
        // The database cannot be reached: the stream ends; the client reconnects and is checked anew.
        () => end(),
      );
    }, this.config.STREAM_SESSION_CHECK_SECONDS * 1000);
    timer.unref();
    let closed = false;
    return {
      ended,
      close: async () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        end();
        unsubscribe();
        await this.prisma.sessionStream.deleteMany({ where: { id: slotId } }).catch(() => undefined);
      },
    };
  }

  private take(sessionId: string): Promise<string> {
    return this.prisma.$transaction(async (tx) => {
      // The session's row lock serialises the opens of one session across processes.
      const [session] = await tx.$queryRaw<{ id: string }[]>`
        SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ${sessionId}::uuid AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active
        FOR UPDATE OF s`;
      if (!session) throw unauthorized();
      await tx.$executeRaw`DELETE FROM session_streams WHERE session_id = ${sessionId}::uuid AND lease_until <= now()`;
      const open = await tx.sessionStream.count({ where: { sessionId } });
      if (open >= this.config.STREAMS_PER_SESSION) {
        throw new HttpError(
          429,
          'too_many_streams',
          `This session already has ${open} open streams (at most ${this.config.STREAMS_PER_SESSION}); close one first`,
          [],
          { retryAfter: this.config.STREAM_SESSION_CHECK_SECONDS },
        );
      }
      const [slot] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO session_streams (id, session_id, lease_until)
        VALUES (gen_random_uuid(), ${sessionId}::uuid, now() + ${this.leaseMs} * interval '1 millisecond')
        RETURNING id`;
      return slot!.id;
    });
  }

  /** Renews the slot's lease if its session is still good; false when it is not (or the slot is gone). */
  private async renew(slotId: string): Promise<boolean> {
    const changed = await this.prisma.$executeRaw`
      UPDATE session_streams ss SET lease_until = now() + ${this.leaseMs} * interval '1 millisecond'
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE ss.id = ${slotId}::uuid AND s.id = ss.session_id
        AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`;
    return changed > 0;
  }
}
