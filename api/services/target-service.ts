import { Prisma, type PrismaClient } from '../../db/client';
import { isoDate, isUuid } from '../../domain';
import { canSeeProject } from './access';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { InvalidInput, NotAllowed } from './errors';

/** A target as the supervisor assigns it: an agent's (`userId`) or the team's (none). */
export interface TargetInput {
  projectId: string;
  userId?: string;
  period: 'month' | 'quarter';
  /** The first day of the month or quarter, `YYYY-MM-DD`. */
  periodStart: string;
  units: number;
  amount: number;
  visits: number;
  followUps: number;
}

/** The end (exclusive) of a period that starts on `start`. */
function periodEnd(start: Date, period: 'month' | 'quarter'): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + (period === 'month' ? 1 : 3), 1));
}

/**
 * Sales targets (销售任务) per agent and per team, per month or quarter. Progress is
 * computed from the data the processes wrote — contracts signed, their amounts,
 * visits and follow-ups — never typed.
 */
export class TargetService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  /** Sets (creates or replaces) a target; audited. */
  async put(principal: Principal, t: TargetInput) {
    if (!canSeeProject(principal, t.projectId)) throw new NotAllowed(`You are not a member of project ${t.projectId}`);
    const start = new Date(`${t.periodStart}T00:00:00Z`);
    if (start.getUTCDate() !== 1 || (t.period === 'quarter' && start.getUTCMonth() % 3 !== 0)) {
      throw new InvalidInput('periodStart must be the first day of the month or quarter', [
        { field: 'periodStart', reason: 'not a period start' },
      ]);
    }
    if (t.userId !== undefined) {
      const member = isUuid(t.userId)
        ? await this.prisma.projectMember.findUnique({ where: { projectId_userId: { projectId: t.projectId, userId: t.userId } } })
        : null;
      if (!member)
        throw new InvalidInput(`User ${t.userId} is not a member of ${t.projectId}`, [{ field: 'userId', reason: 'not a project member' }]);
    }
    const key = { projectId: t.projectId, userId: t.userId ?? '', periodStart: start, period: t.period };
    const values = {
      units: t.units,
      amount: t.amount,
      visits: t.visits,
      followUps: t.followUps,
      assignedById: principal.userId,
      periodEnd: periodEnd(start, t.period),
    };
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.salesTarget.upsert({
        where: { projectId_userId_periodStart_period: key },
        create: { ...key, ...values },
        update: values,
      });
      await this.audit.append(tx, { actor: principal, action: 'target.set', objectType: 'sales_target', objectId: row.id, after: t });
      return row;
    });
  }

  /** A project's targets (optionally of one period) with their progress. */
  async list(principal: Principal, q: { projectId: string; periodStart?: string; userId?: string }) {
    if (!canSeeProject(principal, q.projectId)) throw new NotAllowed(`You are not a member of project ${q.projectId}`);
    const targets = await this.prisma.salesTarget.findMany({
      where: {
        projectId: q.projectId,
        ...(q.periodStart ? { periodStart: new Date(`${q.periodStart}T00:00:00Z`) } : {}),
        ...(q.userId ? { userId: q.userId } : {}),
      },
      orderBy: [{ periodStart: 'desc' }, { userId: 'asc' }],
    });
    return Promise.all(
      targets.map(async (t) => ({ ...t, userId: t.userId || null, team: t.userId === '', progress: await this.progress(t) })),
    );
  }

  /**
   * What was done in the target's period, by its agent or by the whole team: signed
   * contracts (not cancelled) and their prices from the orders; visits (registrations
   * and return visits) and follow-ups from the monthly analytics rollup, which a
   * target's whole months read in a few rows (db/analytics.ts keeps it with the facts).
   */
  private async progress(t: { projectId: string; userId: string; periodStart: Date; periodEnd: Date }) {
    const agent = t.userId || undefined;
    const inPeriod = { gte: t.periodStart, lt: t.periodEnd };
    const contracts = await this.prisma.salesOrder.aggregate({
      where: { projectId: t.projectId, kind: 'contract', status: 'signed', signedAt: inPeriod, ...(agent ? { agentId: agent } : {}) },
      _count: true,
      _sum: { price: true },
    });
    const [done] = await this.prisma.$queryRaw<{ visits: number; followUps: number }[]>`
      SELECT coalesce(sum(visits), 0)::int AS visits, coalesce(sum(follow_ups), 0)::int AS "followUps" FROM analytics_monthly
      WHERE project_id = ${t.projectId} AND month >= ${isoDate(t.periodStart)}::date AND month < ${isoDate(t.periodEnd)}::date
        ${agent ? Prisma.sql`AND agent_id::text = ${agent}` : Prisma.empty}`;
    return {
      units: contracts._count,
      amount: Number(contracts._sum.price ?? 0),
      visits: done?.visits ?? 0,
      followUps: done?.followUps ?? 0,
    };
  }
}
