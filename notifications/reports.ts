import { projectFigures } from '../db/analytics';
import type { PrismaClient } from '../db/client';
import { businessTimeZone } from '../db/business-time';
import { addDays, businessDate, REPORT_KINDS, reportPeriods, type Period, type ReportKind } from '../domain';
import { enqueueNotification } from './messages';
import { REPORT_MEASURES, type ReportMeasure, type ReportSummary } from './templates';

// Subscribed sales reports (日报 / 周报 / 月报, issue 11) as notifications (issue 12):
// once a period has ended, each subscriber of the project gets one message with the
// period's key figures against the period before and a link to the full report. The
// dispatcher asks every round; when nothing is due that is one indexed query a kind.

/**
 * The latest period of `kind` that has ended by `today` (a business day, in the
 * organisation's time zone, as the rollups and the report page count them), with the
 * one before it.
 */
export function lastEndedPeriod(kind: ReportKind, today: string): { period: Period; previous: Period } {
  const yesterday = addDays(today, -1);
  const periods = reportPeriods(kind, yesterday);
  // Yesterday's week or month may still be running: then the one before it is the last ended.
  return periods.period.to <= yesterday ? periods : reportPeriods(kind, addDays(periods.period.from, -1));
}

/** The figures a report message lists: a project's, over a period. */
async function figures(prisma: PrismaClient, projectId: string, p: Period): Promise<Record<ReportMeasure, number>> {
  const all = await projectFigures(prisma, projectId, p);
  return Object.fromEntries(REPORT_MEASURES.map((m) => [m, all[m]])) as Record<ReportMeasure, number>;
}

/**
 * Writes the report messages that are due: for every subscription whose last ended
 * period has not been sent (and that existed when it ended), one `report.ready`
 * message to its user. Exactly once per subscription and period: the message's key
 * names both, and the subscription remembers the period in the same transaction.
 * Returns how many it wrote.
 */
export async function collectDueReports(prisma: PrismaClient, now: Date, limit = 100): Promise<number> {
  let written = 0;
  // The business day of `now` (a Beijing day, not a UTC one): a day's report goes out after its local midnight.
  const today = businessDate(now, await businessTimeZone(prisma));
  for (const kind of REPORT_KINDS) {
    const { period, previous } = lastEndedPeriod(kind, today);
    const due = await prisma.reportSubscription.findMany({
      where: {
        kind,
        OR: [{ lastSentFrom: null }, { lastSentFrom: { lt: new Date(`${period.from}T00:00:00Z`) } }],
        // A subscription made after the period ended starts with the next one.
        createdAt: { lt: new Date(`${addDays(period.to, 1)}T00:00:00Z`) },
      },
      take: limit,
    });
    const byProject = new Map<string, { figures: Record<ReportMeasure, number>; previous: Record<ReportMeasure, number> }>();
    for (const sub of due) {
      let f = byProject.get(sub.projectId);
      if (!f) {
        f = { figures: await figures(prisma, sub.projectId, period), previous: await figures(prisma, sub.projectId, previous) };
        byProject.set(sub.projectId, f);
      }
      const report: ReportSummary = { kind, from: period.from, to: period.to, ...f };
      await prisma.$transaction(async (tx) => {
        const fresh = await enqueueNotification(tx, {
          kind: 'report.ready',
          dedupeKey: `report:${sub.id}:${period.from}`,
          projectId: sub.projectId,
          userId: sub.userId,
          payload: { report },
          summary: { subject: `${kind} report ${sub.projectId} ${period.from}` },
        });
        await tx.reportSubscription.update({ where: { id: sub.id }, data: { lastSentFrom: new Date(`${period.from}T00:00:00Z`) } });
        if (fresh) written += 1;
      });
    }
  }
  return written;
}
