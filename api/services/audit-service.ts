import type { Db, PrismaClient } from '../../db/client';
import { appendAudit, type AuditEntry } from '../../db/audit';

export type { AuditEntry } from '../../db/audit';

/** Filters of the audit query. */
export interface AuditQuery {
  userId?: string;
  objectType?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/**
 * The append-only audit trail. `append` takes the transaction that made the change,
 * so an audit row exists exactly when the change does.
 */
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Appends one entry in the caller's transaction (see {@link appendAudit}). */
  append(db: Db, entry: AuditEntry): Promise<void> {
    return appendAudit(db, entry);
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
