import type { PrismaClient, Prisma } from '../../db/client';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { canSeeProject } from './access';

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
  status?: 'available' | 'reserved' | 'subscribed' | 'sold';
  building?: string;
  limit: number;
}

/** Filters of the record list. */
export interface RecordQuery {
  projectId?: string;
  kind?: string;
  processId?: string;
  limit: number;
}

/**
 * Units for sale (房源) and the documents the sales procedure records. Unit
 * statuses change only through the subscription's activities (`activities/units.ts`);
 * here units are created and read.
 */
export class SalesService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  async listUnits(principal: Principal, q: UnitQuery) {
    if (!canSeeProject(principal, q.projectId)) throw forbidden(`You are not a member of project ${q.projectId}`);
    const units = await this.prisma.unit.findMany({
      where: { projectId: q.projectId, status: q.status, building: q.building },
      orderBy: [{ building: 'asc' }, { floor: 'asc' }, { unitNo: 'asc' }],
      take: q.limit,
    });
    const counts = await this.prisma.unit.groupBy({ by: ['status'], where: { projectId: q.projectId }, _count: true });
    return { units, counts: Object.fromEntries(counts.map((c) => [c.status, c._count])) };
  }

  async getUnit(principal: Principal, id: string) {
    const unit = /^[0-9a-f-]{36}$/i.test(id) ? await this.prisma.unit.findUnique({ where: { id } }) : null;
    if (!unit || !canSeeProject(principal, unit.projectId)) throw notFound(`Unit ${id}`);
    const history = await this.prisma.auditEvent.findMany({ where: { objectType: 'unit', objectId: id }, orderBy: { id: 'asc' } });
    return { ...unit, history: history.map((h) => ({ at: h.at, action: h.action, before: h.before, after: h.after })) };
  }

  /** Creates units in one transaction: all or none. A unit that exists already is a conflict. */
  async createUnits(principal: Principal, projectId: string, units: NewUnit[]) {
    if (!canSeeProject(principal, projectId)) throw forbidden(`You are not a member of project ${projectId}`);
    if (!(await this.prisma.project.findUnique({ where: { id: projectId } }))) {
      throw badRequest(`Unknown project ${projectId}`, [{ field: 'body.projectId', reason: 'unknown project' }]);
    }
    const keys = units.map((u) => `${u.building}-${u.unitNo}`);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw badRequest(`Unit ${dup} is listed twice`, [{ field: 'body.units', reason: `duplicate ${dup}` }]);
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.unit.findMany({
        where: { projectId, OR: units.map((u) => ({ building: u.building, unitNo: u.unitNo })) },
        select: { building: true, unitNo: true },
      });
      if (existing.length) throw conflict(`Units already exist: ${existing.map((e) => `${e.building}-${e.unitNo}`).join(', ')}`);
      await tx.unit.createMany({ data: units.map((u) => ({ ...u, projectId })) });
      await this.audit.record(tx, {
        actor: principal,
        action: 'unit.create',
        objectType: 'project',
        objectId: projectId,
        after: { units: keys },
      });
      return tx.unit.findMany({ where: { projectId, OR: units.map((u) => ({ building: u.building, unitNo: u.unitNo })) } });
    });
  }

  async listRecords(principal: Principal, q: RecordQuery) {
    if (q.projectId && !canSeeProject(principal, q.projectId)) throw forbidden(`You are not a member of project ${q.projectId}`);
    const where: Prisma.RecordWhereInput = {
      kind: q.kind,
      processId: q.processId,
      ...(q.projectId ? { projectId: q.projectId } : principal.projects === 'all' ? {} : { projectId: { in: [...principal.projects] } }),
    };
    return this.prisma.record.findMany({ where, orderBy: { createdAt: 'desc' }, take: q.limit });
  }

  async getRecord(principal: Principal, id: string) {
    const record = /^[0-9a-f-]{36}$/i.test(id) ? await this.prisma.record.findUnique({ where: { id } }) : null;
    if (!record || !canSeeProject(principal, record.projectId)) throw notFound(`Record ${id}`);
    return record;
  }
}
