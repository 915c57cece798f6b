import type { PrismaClient } from '../../db/client';
import { isUuid } from '../../domain';
import { canSeeProject, inVisibleProjects } from './access';
import type { Principal } from './auth-service';
import { NotAllowed, NotFound } from './errors';
import { forCaller } from './privacy';

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
    if (q.projectId && !canSeeProject(principal, q.projectId)) throw new NotAllowed(`You are not a member of project ${q.projectId}`);
    const records = await this.prisma.record.findMany({
      where: { kind: q.kind, processId: q.processId, ...(q.projectId ? { projectId: q.projectId } : inVisibleProjects(principal)) },
      orderBy: { createdAt: 'desc' },
      take: q.limit,
    });
    // Buyers' phones and ID numbers: masked unless the caller wrote it or may read every customer.
    return records.map((r) => forCaller(principal, r.createdById, r));
  }

  /** One record. */
  async get(principal: Principal, id: string) {
    const record = isUuid(id) ? await this.prisma.record.findUnique({ where: { id } }) : null;
    if (!record || !canSeeProject(principal, record.projectId)) throw new NotFound(`Record ${id}`);
    return forCaller(principal, record.createdById, record);
  }
}
