import type { Actor } from '../domain';
import type { Db } from './client';
import { Prisma } from './client';

/** One change of state, as the audit trail records it. */
export interface AuditEntry {
  /** A user, the system, or nobody known (an anonymous sign-in attempt: no user id). */
  actor: Actor;
  action: string;
  objectType: string;
  objectId?: string | null;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined || v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));

/**
 * Appends to the append-only audit trail. Call it with the transaction that made
 * the change, so that an audit row exists exactly when the change does.
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actor.userId,
      actorName: entry.actor.username,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId ?? null,
      before: json(entry.before),
      after: json(entry.after),
    },
  });
}
