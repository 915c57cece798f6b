import { businessTimeZone } from '../db/business-time';
import { businessDate, ratio } from '../domain';
import { invalid, projectOf } from './customers';
import type { RegisteredActivity } from './registry';

// The analysis documents filled from data (issue 11): the phase's 《到访、成交客户分析》
// opens with the figures the rollups hold, so the AE reviews and comments rather
// than counting by hand.

/** The record kind of the visitor and deal analysis: the previous one ends the period the next one covers. */
const ANALYSIS_RECORD = 'visitor-deal-analysis';

const instant = (v: unknown): Date | null => {
  const at = typeof v === 'string' ? new Date(v) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
};

interface Group {
  key: string;
  visits: number;
  registrations: number;
  intents: number;
  contracts: number;
  contractAmount: number;
}

const line = (label: (k: string) => string, groups: Group[]) =>
  groups
    .filter((g) => g.visits > 0 || g.contracts > 0)
    .map((g) => `${label(g.key)}: 到访 ${g.visits}, 成交 ${g.contracts} (${((ratio(g.contracts, g.visits) ?? 0) * 100).toFixed(1)}%)`)
    .join('\n');

/** The analytics activities, by the names definitions use. */
export const ANALYTICS_ACTIVITIES: Record<string, RegisteredActivity> = {
  /**
   * The figures of the process's project for 《到访、成交客户分析》, as the form
   * `visitorDealAnalysisV2` names them (visitors, registrations, deals, by channel,
   * by customer type — new or returning —, by intent level), with the period and the
   * figures as data. The period runs from the project's previous analysis (or the
   * process's start) to now, unless `from`/`to` are given; business days, read from the
   * daily rollup. Idempotent: it only reads.
   */
  'analytics.phaseFigures': async (input, ctx) => {
    const projectId = await projectOf(ctx.prisma, ctx.processId);
    const to = instant(input.to) ?? new Date();
    const previous = await ctx.prisma.record.findFirst({
      where: { projectId, kind: ANALYSIS_RECORD, createdAt: { lt: to } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    const started = await ctx.prisma.processInstance.findUniqueOrThrow({ where: { id: ctx.processId }, select: { startedAt: true } });
    const from = instant(input.from) ?? previous?.createdAt ?? started.startedAt;
    if (from > to) throw invalid('from is after to');
    const zone = await businessTimeZone(ctx.prisma);
    const rows = await ctx.prisma.$queryRaw<(Group & { channel: string; intent: string })[]>`
      SELECT channel, intent, sum(visits)::int AS visits, sum(registrations)::int AS registrations, sum(intents)::int AS intents,
        sum(contracts)::int AS contracts, sum(contract_amount)::float8 AS "contractAmount"
      FROM analytics_daily WHERE project_id = ${projectId} AND day BETWEEN ${businessDate(from, zone)}::date AND ${businessDate(to, zone)}::date
      GROUP BY 1, 2`;
    const group = (key: (r: (typeof rows)[number]) => string): Group[] => {
      const m = new Map<string, Group>();
      for (const r of rows) {
        const g = m.get(key(r)) ?? { key: key(r), visits: 0, registrations: 0, intents: 0, contracts: 0, contractAmount: 0 };
        g.visits += r.visits;
        g.registrations += r.registrations;
        g.intents += r.intents;
        g.contracts += r.contracts;
        g.contractAmount += r.contractAmount;
        m.set(g.key, g);
      }
      return [...m.values()].sort((a, b) => b.visits - a.visits || b.contracts - a.contracts || a.key.localeCompare(b.key));
    };
    const total = group(() => 'all')[0] ?? { key: 'all', visits: 0, registrations: 0, intents: 0, contracts: 0, contractAmount: 0 };
    const channels = group((r) => r.channel);
    const intents = group((r) => r.intent);
    return {
      periodFrom: businessDate(from, zone),
      periodTo: businessDate(to, zone),
      visitors: total.visits,
      registrations: total.intents,
      deals: total.contracts,
      byChannel: line((k) => k || '未知渠道', channels),
      byCustomerType: `新客户 ${total.registrations}, 老客户复访 ${total.visits - total.registrations}`,
      byIntentLevel: line((k) => (k ? `${k} 类` : '未分级'), intents),
      figures: { total, channels, intents },
    };
  },

  /**
   * The leads and deals of the channels a marketing effort brings in, for the three
   * effect summaries of 5.8 (《广告效果分析小结》 advertising and online media,
   * 《活动推广效果分析小结》 events, 《包装效果分析小结》 packaging — site signage,
   * show flat and sales office bring walk-in visitors). Leads are the period's visits
   * through those channels, deals its contracts. The period runs from the project's
   * previous document of the same kind (`record`) or the process's start to now;
   * business days, read from the daily rollup. Idempotent: it only reads.
   */
  'analytics.channelFigures': async (input, ctx) => {
    const channels = input.channels;
    if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c) => typeof c === 'string' && c.length > 0))
      throw invalid('channels must be a non-empty list of channel names');
    const record = typeof input.record === 'string' ? input.record : undefined;
    const projectId = await projectOf(ctx.prisma, ctx.processId);
    const to = new Date();
    const previous = record
      ? await ctx.prisma.record.findFirst({
          where: { projectId, kind: record, createdAt: { lt: to } },
          orderBy: { createdAt: 'desc' },
          select: { createdAt: true },
        })
      : null;
    const started = await ctx.prisma.processInstance.findUniqueOrThrow({ where: { id: ctx.processId }, select: { startedAt: true } });
    const from = previous?.createdAt ?? started.startedAt;
    const zone = await businessTimeZone(ctx.prisma);
    const [row] = await ctx.prisma.$queryRaw<{ visits: number; contracts: number; contractAmount: number }[]>`
      SELECT coalesce(sum(visits), 0)::int AS visits, coalesce(sum(contracts), 0)::int AS contracts,
        coalesce(sum(contract_amount), 0)::float8 AS "contractAmount"
      FROM analytics_daily
      WHERE project_id = ${projectId} AND channel = ANY(${channels as string[]}::text[])
        AND day BETWEEN ${businessDate(from, zone)}::date AND ${businessDate(to, zone)}::date`;
    return {
      periodFrom: businessDate(from, zone),
      periodTo: businessDate(to, zone),
      channels,
      leads: row?.visits ?? 0,
      deals: row?.contracts ?? 0,
      dealAmount: row?.contractAmount ?? 0,
    };
  },
};
