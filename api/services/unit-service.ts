import type { Prisma, PrismaClient } from '../../db/client';
import { isUuid, type UnitStatus } from '../../domain';
import { canSeeProject } from './access';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { Conflict, InvalidInput, NotAllowed, NotFound } from './errors';
import { type Page, type PagedList, pageOf } from './paging';

/** A unit to create, as the route's schema shapes it. */
export interface NewUnit {
  building: string;
  unitNo: string;
  floor: number;
  area: number;
  layout: string;
  listPrice: number;
}

/** Filters of the unit list. */
export interface UnitQuery {
  projectId: string;
  status?: UnitStatus;
  building?: string;
  cursor?: string;
  limit: number;
}

/** The sales control chart's order: building, floor, unit. */
const unitList: PagedList = {
  resource: 'units',
  keys: [
    { field: 'building', kind: 'string', direction: 'asc' },
    { field: 'floor', kind: 'number', direction: 'asc' },
    { field: 'unitNo', kind: 'string', direction: 'asc' },
    { field: 'id', kind: 'string', direction: 'asc' },
  ],
};

/**
 * Units for sale (房源). Unit statuses change only through the subscription's
 * activities (`activities/units.ts`); here units are created and read.
 */
export class UnitService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  /** A project's units, and how many there are in each status. */
  async list(principal: Principal, q: UnitQuery) {
    if (!canSeeProject(principal, q.projectId)) throw new NotAllowed(`You are not a member of project ${q.projectId}`);
    const where: Prisma.UnitWhereInput = { projectId: q.projectId, status: q.status, building: q.building };
    const [{ rows, nextCursor }, total, counts] = await Promise.all([
      pageOf(unitList, q, q, (page) =>
        this.prisma.unit.findMany({ where: page.after ? { AND: [where, page.after] } : where, orderBy: page.orderBy, take: page.take }),
      ),
      q.cursor === undefined ? this.prisma.unit.count({ where }) : undefined,
      this.prisma.unit.groupBy({ by: ['status'], where: { projectId: q.projectId }, _count: true }),
    ]);
    return {
      items: rows,
      nextCursor,
      ...(total === undefined ? {} : { total }),
      /** The whole project's units by status, whatever the filters. */
      counts: Object.fromEntries(counts.map((c) => [c.status, c._count])),
    } satisfies Page<unknown> & { counts: Record<string, number> };
  }

  /** One unit with its status history (from the audit trail). */
  async get(principal: Principal, id: string) {
    const unit = isUuid(id) ? await this.prisma.unit.findUnique({ where: { id } }) : null;
    if (!unit || !canSeeProject(principal, unit.projectId)) throw new NotFound(`Unit ${id}`);
    const history = await this.prisma.auditEvent.findMany({ where: { objectType: 'unit', objectId: id }, orderBy: { id: 'asc' } });
    return { ...unit, history: history.map((h) => ({ at: h.at, action: h.action, before: h.before, after: h.after })) };
  }

  /** Creates units in one transaction: all or none. A unit that exists already is a conflict. */
  async create(principal: Principal, projectId: string, units: NewUnit[]) {
    if (!canSeeProject(principal, projectId)) throw new NotAllowed(`You are not a member of project ${projectId}`);
    if (!(await this.prisma.project.findUnique({ where: { id: projectId } }))) {
      throw new InvalidInput(`Unknown project ${projectId}`, [{ field: 'projectId', reason: 'unknown project' }]);
    }
    const keys = units.map((u) => `${u.building}-${u.unitNo}`);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw new InvalidInput(`Unit ${dup} is listed twice`, [{ field: 'units', reason: `duplicate ${dup}` }]);
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.unit.findMany({
        where: { projectId, OR: units.map((u) => ({ building: u.building, unitNo: u.unitNo })) },
        select: { building: true, unitNo: true },
      });
      if (existing.length) throw new Conflict(`Units already exist: ${existing.map((e) => `${e.building}-${e.unitNo}`).join(', ')}`);
      await tx.unit.createMany({ data: units.map((u) => ({ ...u, projectId })) });
      await this.audit.append(tx, {
        actor: principal,
        action: 'unit.create',
        objectType: 'project',
        objectId: projectId,
        after: { units: keys },
      });
      return tx.unit.findMany({ where: { projectId, OR: units.map((u) => ({ building: u.building, unitNo: u.unitNo })) } });
    });
  }
}
