import type { Db, Prisma, PrismaClient } from '../../db/client';
import { isUuid } from '../../domain';
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
    const names = await this.namesOf(rows);
    return {
      items: rows.map((r) => ({
        ...r,
        id: r.id.toString(),
        // Who and what, as people call them (the row keeps ids and the sign-in name).
        actorDisplayName: r.actorId ? (names.get(`user:${r.actorId}`) ?? null) : null,
        objectName: r.objectId ? (names.get(`${r.objectType}:${r.objectId}`) ?? null) : null,
      })),
      nextCursor,
    } satisfies Page<unknown>;
  }

  /**
   * The names of a page's actors and objects, one query per kind of object: a
   * customer's name, a user's display name, a unit's building and number, an order's
   * number, a process's or task's title, a project's name. Keyed `<type>:<id>`.
   */
  private async namesOf(rows: { actorId: string | null; objectType: string; objectId: string | null }[]): Promise<Map<string, string>> {
    const idsOf = (type: string, uuidOnly = true) => [
      ...new Set(
        rows
          .filter((r) => r.objectType === type && r.objectId)
          .map((r) => r.objectId!)
          .filter((id) => !uuidOnly || isUuid(id)),
      ),
    ];
    const users = [...new Set([...rows.map((r) => r.actorId).filter((id): id is string => !!id), ...idsOf('user')])];
    const [people, customers, units, orders, processes, tasks, projects] = await Promise.all([
      this.prisma.user.findMany({ where: { id: { in: users } }, select: { id: true, displayName: true } }),
      this.prisma.customer.findMany({ where: { id: { in: idsOf('customer') } }, select: { id: true, name: true } }),
      this.prisma.unit.findMany({ where: { id: { in: idsOf('unit') } }, select: { id: true, building: true, unitNo: true } }),
      this.prisma.salesOrder.findMany({ where: { id: { in: idsOf('order') } }, select: { id: true, number: true } }),
      this.prisma.processInstance.findMany({ where: { id: { in: idsOf('process', false) } }, select: { id: true, title: true } }),
      this.prisma.task.findMany({ where: { id: { in: idsOf('task') } }, select: { id: true, title: true } }),
      this.prisma.project.findMany({ where: { id: { in: idsOf('project', false) } }, select: { id: true, name: true } }),
    ]);
    return new Map([
      ...people.map((p) => [`user:${p.id}`, p.displayName] as const),
      ...customers.map((c) => [`customer:${c.id}`, c.name] as const),
      ...units.map((u) => [`unit:${u.id}`, `${u.building}-${u.unitNo}`] as const),
      ...orders.filter((o) => o.number).map((o) => [`order:${o.id}`, o.number!] as const),
      ...processes.map((p) => [`process:${p.id}`, p.title] as const),
      ...tasks.map((t) => [`task:${t.id}`, t.title] as const),
      ...projects.map((p) => [`project:${p.id}`, p.name] as const),
    ]);
  }
}
