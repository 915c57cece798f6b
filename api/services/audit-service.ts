import type { Db, Prisma, PrismaClient } from '../../db/client';
import { type Page, type PagedList, pageOf } from './paging';
import { appendAudit, type AuditEntry } from '../../db/audit';

export type { AuditEntry } from '../../db/audit';

/** Filters of the audit query. */
export interface AuditQuery {
  userId?: string;
  objectType?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/** Newest first by id: the trail's ids grow with every entry. */
const auditList: PagedList = { resource: 'audit', keys: [{ field: 'id', kind: 'bigint', direction: 'desc' }] };

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
    const where: Prisma.AuditEventWhereInput = {
      actorId: q.userId,
      objectType: q.objectType,
      objectId: q.objectId,
      at: { gte: q.from, lte: q.to },
    };
    const { rows, nextCursor } = await pageOf(auditList, q, q, (page) =>
      this.prisma.auditEvent.findMany({ where: page.after ? { AND: [where, page.after] } : where, orderBy: page.orderBy, take: page.take }),
    );
    return { items: rows.map((r) => ({ ...r, id: r.id.toString() })), nextCursor } satisfies Page<unknown>;
  }
}
