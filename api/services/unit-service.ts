import type { PrismaClient } from '../../db/client';
import { isUuid, type UnitStatus } from '../../domain';
import { canSeeProject } from './access';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { Conflict, InvalidInput, NotAllowed, NotFound } from './errors';

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
  limit: number;
}

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
    const units = await this.prisma.unit.findMany({
      where: { projectId: q.projectId, status: q.status, building: q.building },
      orderBy: [{ building: 'asc' }, { floor: 'asc' }, { unitNo: 'asc' }],
      take: q.limit,
    });
    const counts = await this.prisma.unit.groupBy({ by: ['status'], where: { projectId: q.projectId }, _count: true });
    return { units, counts: Object.fromEntries(counts.map((c) => [c.status, c._count])) };
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
