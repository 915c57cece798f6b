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

/**
 * Appends to the append-only audit trail. Call it with the transaction that made
 * the change, so that an audit row exists exactly when the change does.
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.$executeRaw(auditInsert(entry));
}

const jsonText = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * {@link appendAudit} as one part of a larger statement (see `oneStatement`); with
 * `source` the row is written once per row of it, i.e. only if something changed.
 */
export function auditInsert(entry: AuditEntry, source: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO audit_events (actor_id, actor_name, action, object_type, object_id, before, after)
    SELECT ${entry.actor.userId}::uuid, ${entry.actor.username}::text, ${entry.action}::text, ${entry.objectType}::text,
           ${entry.objectId ?? null}::text, ${jsonText(entry.before)}::jsonb, ${jsonText(entry.after)}::jsonb
    ${source}`;
}
