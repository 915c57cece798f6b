import type { PrismaClient } from '../../db/client';
import { isUuid } from '../../domain';
import { canSeeProject, narrowed, requireVisibleProject, visible } from './access';
import type { Principal } from './auth-service';
import { NotFound } from './errors';
import { forCaller, personalDataOwners } from './privacy';

/** Filters of the record list. */
export interface RecordQuery {
  projectId?: string;
  kind?: string;
  processId?: string;
  limit: number;
}

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
    const records = await this.prisma.record.findMany({
      where: narrowed(visible.records(principal), { kind: q.kind, processId: q.processId, projectId: q.projectId }),
      orderBy: { createdAt: 'desc' },
      take: q.limit,
    });
    const owners = await personalDataOwners(
      this.prisma,
      records.map((r) => r.processId),
    );
    // Buyers' phones and ID numbers: masked unless the caller is the customer's agent or may read every customer.
    return records.map((r) => forCaller(principal, owners(r.processId, r.createdById), r));
  }

  /** One record. */
  async get(principal: Principal, id: string) {
    const record = isUuid(id) ? await this.prisma.record.findUnique({ where: { id } }) : null;
    if (!record || !canSeeProject(principal, record.projectId)) throw new NotFound(`Record ${id}`);
    const owners = await personalDataOwners(this.prisma, [record.processId]);
    return forCaller(principal, owners(record.processId, record.createdById), record);
  }
}
