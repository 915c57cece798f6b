import type { Prisma, PrismaClient } from '../../db/client';
import { isUuid } from '../../domain';
import { canSeeProject, narrowed, requireVisibleProject, visible } from './access';
import type { Principal } from './auth-service';
import { NotFound } from './errors';
import { type Page, type PagedList, pageOf } from './paging';
import { forCaller, personalDataOwners } from './privacy';

/** Filters of the record list. */
export interface RecordQuery {
  projectId?: string;
  kind?: string;
  processId?: string;
  cursor?: string;
  limit: number;
}

const recordList: PagedList = {
  resource: 'records',
  keys: [
    { field: 'createdAt', kind: 'date', direction: 'desc' },
    { field: 'id', kind: 'string', direction: 'desc' },
  ],
};

/**
 * Records: the documents people submit in the sales procedure (a step's `record`
 * kind: subscription agreement, phase summary…), kept apart from the process
 * history so that they can be found and read as documents.
 */
export class RecordService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records by project, kind and process, newest first; only the caller's projects. */
  async list(principal: Principal, q: RecordQuery) {
    requireVisibleProject(principal, q.projectId);
    const where = narrowed<Prisma.RecordWhereInput>(visible.records(principal), {
      kind: q.kind,
      processId: q.processId,
      projectId: q.projectId,
    });
    const [{ rows: records, nextCursor }, total] = await Promise.all([
      pageOf(recordList, q, q, (page) =>
        this.prisma.record.findMany({ where: page.after ? { AND: [where, page.after] } : where, orderBy: page.orderBy, take: page.take }),
      ),
      q.cursor === undefined ? this.prisma.record.count({ where }) : undefined,
    ]);
    const owners = await personalDataOwners(
      this.prisma,
      records.map((r) => r.processId),
    );
    // Buyers' phones and ID numbers: masked unless the caller is the customer's agent or may read every customer.
    const items = records.map((r) => forCaller(principal, owners(r.processId, r.createdById), r));
    return { items, nextCursor, ...(total === undefined ? {} : { total }) } satisfies Page<unknown>;
  }

  /** One record. */
  async get(principal: Principal, id: string) {
    const record = isUuid(id) ? await this.prisma.record.findUnique({ where: { id } }) : null;
    if (!record || !canSeeProject(principal, record.projectId)) throw new NotFound(`Record ${id}`);
    const owners = await personalDataOwners(this.prisma, [record.processId]);
    return forCaller(principal, owners(record.processId, record.createdById), record);
  }
}
