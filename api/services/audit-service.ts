import type { Db, PrismaClient } from '../../db/client';
import { Prisma } from '../../db/client';

/** Who did something: a user, or nobody (an anonymous sign-in attempt). */
export interface AuditActor {
  userId: string | null;
  username: string;
}

/** One change of state, as the audit trail records it. */
export interface AuditEntry {
  actor: AuditActor;
  action: string;
  objectType: string;
  objectId?: string;
  before?: unknown;
  after?: unknown;
}

/** Filters of the audit query. */
export interface AuditQuery {
  userId?: string;
  objectType?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

const json = (v: unknown) => (v === undefined ? Prisma.DbNull : (v as Prisma.InputJsonValue));

/**
 * The append-only audit trail. `record` takes the transaction that made the change,
 * so an audit row exists exactly when the change does.
 */
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(db: Db, entry: AuditEntry): Promise<void> {
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

  async query(q: AuditQuery) {
    const rows = await this.prisma.auditEvent.findMany({
      where: {
        actorId: q.userId,
        objectType: q.objectType,
        objectId: q.objectId,
        at: { gte: q.from, lte: q.to },
      },
      orderBy: { id: 'desc' },
      take: q.limit,
    });
    return rows.map((r) => ({ ...r, id: r.id.toString() }));
  }
}
