import { figuresOf, FOLLOWED_STAGES, MEASURE_COLUMNS, MEASURE_SUMS } from '../../db/analytics';
import { businessTimeZone, businessToday } from '../../db/business-time';
import type { PrismaClient } from '../../db/client';
import { Prisma } from '../../db/client';
import {
  addDays,
  ANALYTICS_MEASURES,
  businessDate,
  forecastSales,
  funnel,
  isoDate,
  ratio,
  reportPeriods,
  utcDate,
  type AnalyticsDimension,
  type Figures,
  type Period,
  type ReportKind,
  type TrendGrain,
} from '../../domain';
import { canSeeProject } from './access';
import type { Principal } from './auth-service';
import { InvalidInput, NotAllowed, NotFound } from './errors';
import type { TargetService } from './target-service';

// Analysis, reports and forecasts (issue 11). Every figure is read from the rollups
// (`analytics_daily`, `analytics_unit_stats`, see db/analytics.ts) through their
// primary keys — project first, then the day range — or, for overdue follow-ups,
// from `customers` through its (project, next contact) index. Nothing here reads a
// fact table whole. Projects are always named (the caller's visible ones when none
// is given), so that the index's leading column is used across projects too.

/** The filters every analysis takes. */
export interface AnalyticsFilter {
  projectId?: string;
  from?: string;
  to?: string;
  agentId?: string;
  channel?: string;
  intent?: string;
}

/** The filters as applied: the projects, the period and the rest. */
interface Scope {
  projectIds: string[];
  from: string;
  to: string;
  agentId?: string;
  channel?: string;
  intent?: string;
}

/** The longest period one request may cover: ten years of days (the routes refuse longer ones). */
export const MAX_PERIOD_DAYS = 3660;
const DAY = 86_400_000;

/** The rollup's columns and the names the API gives them. */
const DIMENSION_COLUMN: Record<AnalyticsDimension, string> = {
  agent: 'agent_id::text',
  channel: 'channel',
  intent: 'intent',
  project: 'project_id',
};

/** Dashboards, rankings, sell-through, forecasts and reports over the rollups. */
export class AnalyticsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly targets: TargetService,
  ) {}

  /** The projects and period a request covers, checked against what the caller may see. */
  private async scope(principal: Principal, f: AnalyticsFilter, defaultDays = 30): Promise<Scope> {
    let projectIds: string[];
    if (f.projectId) {
      if (!canSeeProject(principal, f.projectId)) throw new NotAllowed(`You are not a member of project ${f.projectId}`);
      projectIds = [f.projectId];
    } else if (principal.projects === 'all') {
      projectIds = (await this.prisma.project.findMany({ select: { id: true } })).map((p) => p.id);
    } else projectIds = [...principal.projects];
    const to = f.to ?? (await businessToday(this.prisma));
    const from = f.from ?? addDays(to, -(defaultDays - 1));
    if (from > to) throw new InvalidInput('from is after to', [{ field: 'from', reason: 'after to' }]);
    if ((utcDate(to).getTime() - utcDate(from).getTime()) / DAY > MAX_PERIOD_DAYS)
      throw new InvalidInput(`The period is longer than ${MAX_PERIOD_DAYS} days`, [{ field: 'from', reason: 'period too long' }]);
    return { projectIds, from, to, agentId: f.agentId, channel: f.channel, intent: f.intent };
  }

  /** The WHERE clause of a scope over `analytics_daily` (or, with `column = 'month'`, over months). */
  private where(s: Scope, column: 'day' | 'month' = 'day', from = s.from, to = s.to): Prisma.Sql {
    const parts = [
      Prisma.sql`project_id = ANY(${s.projectIds}::text[])`,
      Prisma.sql`${Prisma.raw(column)} BETWEEN ${from}::date AND ${to}::date`,
      ...(s.agentId ? [Prisma.sql`agent_id = ${s.agentId}::uuid`] : []),
      ...(s.channel !== undefined ? [Prisma.sql`channel = ${s.channel}`] : []),
      ...(s.intent !== undefined ? [Prisma.sql`intent = ${s.intent}`] : []),
    ];
    return Prisma.join(parts, ' AND ');
  }

  /**
   * The narrowest rollups that answer a scope: by channel or intent level (a filter or
   * a breakdown), the full ones; by agent, the per-agent ones; otherwise per project.
   */
  private grain(s: Scope, by?: AnalyticsDimension): { daily: string; monthly: string; cols: string } {
    const measures = ANALYTICS_MEASURES.map((m) => MEASURE_COLUMNS[m]).join(', ');
    if (s.channel !== undefined || s.intent !== undefined || by === 'channel' || by === 'intent')
      return { daily: 'analytics_daily', monthly: 'analytics_monthly', cols: `project_id, agent_id, channel, intent, ${measures}` };
    if (s.agentId || by === 'agent')
      return { daily: 'analytics_agent_daily', monthly: 'analytics_agent_monthly', cols: `project_id, agent_id, ${measures}` };
    return { daily: 'analytics_project_daily', monthly: '', cols: `project_id, ${measures}` };
  }

  /**
   * The rollup rows of a scope, as `(day, project_id[, agent_id, channel, intent],
   * measures…)`, from the narrowest rollups that answer it: the whole months of the
   * period from the monthly one (a row a month, dated its first day) and the days
   * before and after them from the daily one. Sums over them equal sums over the days
   * alone, at a thirtieth of the rows for long periods.
   */
  private rows(s: Scope, by?: AnalyticsDimension): Prisma.Sql {
    const g = this.grain(s, by);
    const cols = Prisma.raw(g.cols);
    const days = (from: string, to: string) =>
      Prisma.sql`SELECT day, ${cols} FROM ${Prisma.raw(g.daily)} WHERE ${this.where(s, 'day', from, to)}`;
    const firstFull = s.from.endsWith('-01') ? s.from : `${addDays(`${s.from.slice(0, 7)}-01`, 40).slice(0, 7)}-01`;
    const nextDay = addDays(s.to, 1);
    const lastFullMonth = nextDay.endsWith('-01') ? `${s.to.slice(0, 7)}-01` : `${addDays(`${s.to.slice(0, 7)}-01`, -1).slice(0, 7)}-01`;
    // Per project, a row a day is few enough: no monthly table.
    if (!g.monthly || firstFull > lastFullMonth) return days(s.from, s.to);
    const lastFullDay = addDays(`${addDays(lastFullMonth, 40).slice(0, 7)}-01`, -1);
    return Prisma.sql`SELECT month AS day, ${cols} FROM ${Prisma.raw(g.monthly)} WHERE ${this.where(s, 'month', firstFull, lastFullMonth)}
      UNION ALL ${days(s.from, addDays(firstFull, -1))}
      UNION ALL ${days(addDays(lastFullDay, 1), s.to)}`;
  }

  /** The day rows of a scope (for trends by day or week), from the narrowest daily rollup. */
  private days(s: Scope): Prisma.Sql {
    const g = this.grain(s);
    return Prisma.sql`SELECT day, ${Prisma.raw(g.cols)} FROM ${Prisma.raw(g.daily)} WHERE ${this.where(s)}`;
  }

  private async totals(s: Scope): Promise<Figures> {
    const [row] = await this.prisma.$queryRaw<Record<string, unknown>[]>`SELECT ${MEASURE_SUMS} FROM (${this.rows(s)}) r`;
    return figuresOf(row);
  }

  private echo(s: Scope) {
    return {
      projectIds: s.projectIds,
      from: s.from,
      to: s.to,
      agentId: s.agentId ?? null,
      channel: s.channel ?? null,
      intent: s.intent ?? null,
    };
  }

  /** The funnel (visits → registrations → intents → subscriptions → contracts → paid) with conversion rates and the period's amounts. */
  async funnel(principal: Principal, f: AnalyticsFilter) {
    const s = await this.scope(principal, f);
    const figures = await this.totals(s);
    return { filters: this.echo(s), stages: funnel(figures), figures };
  }

  /**
   * Figures by agent, channel, intent level or project, ranked by contract amount
   * (then contracts, then visits), each with its conversion from visit to contract.
   */
  async breakdown(principal: Principal, f: AnalyticsFilter & { by: AnalyticsDimension }) {
    const s = await this.scope(principal, f);
    const key = Prisma.raw(DIMENSION_COLUMN[f.by]);
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT ${key} AS key, ${MEASURE_SUMS} FROM (${this.rows(s, f.by)}) r GROUP BY 1`;
    const names = await this.names(
      f.by,
      rows.map((r) => String(r.key)),
    );
    const ranked = rows
      .map((r) => ({ key: String(r.key), name: names.get(String(r.key)) ?? String(r.key), ...figuresOf(r) }))
      .sort(
        (a, b) => b.contractAmount - a.contractAmount || b.contracts - a.contracts || b.visits - a.visits || a.key.localeCompare(b.key),
      );
    return {
      filters: this.echo(s),
      by: f.by,
      rows: ranked.map((r, i) => ({
        rank: i + 1,
        ...r,
        visitToContract: ratio(r.contracts, r.visits),
        intentToContract: ratio(r.contracts, r.intents),
      })),
    };
  }

  /** Display names of agents and projects (channels and intent levels are their own names). */
  private async names(by: AnalyticsDimension, keys: string[]): Promise<Map<string, string>> {
    if (by === 'agent') {
      const users = await this.prisma.user.findMany({ where: { id: { in: keys } }, select: { id: true, displayName: true } });
      return new Map(users.map((u) => [u.id, u.displayName]));
    }
    if (by === 'project') {
      const projects = await this.prisma.project.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } });
      return new Map(projects.map((p) => [p.id, p.name]));
    }
    return new Map();
  }

  /** Every measure per day, ISO week (from its Monday) or month, with no gaps. */
  async trend(principal: Principal, f: AnalyticsFilter & { grain: TrendGrain }) {
    const s = await this.scope(principal, f, f.grain === 'day' ? 30 : f.grain === 'week' ? 84 : 365);
    const grain = Prisma.raw(`'${f.grain}'`);
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH periods AS (
        SELECT generate_series(date_trunc(${grain}, ${s.from}::date), ${s.to}::date, ('1 ' || ${f.grain})::interval)::date AS period),
      sums AS (SELECT date_trunc(${grain}, day)::date AS period, ${MEASURE_SUMS}
               FROM (${f.grain === 'month' ? this.rows(s) : this.days(s)}) r GROUP BY 1)
      SELECT to_char(p.period, 'YYYY-MM-DD') AS period, ${Prisma.raw(ANALYTICS_MEASURES.map((m) => `coalesce(x."${m}", 0) AS "${m}"`).join(', '))}
      FROM periods p LEFT JOIN sums x ON x.period = p.period ORDER BY p.period`;
    return { filters: this.echo(s), grain: f.grain, points: rows.map((r) => ({ period: String(r.period), ...figuresOf(r) })) };
  }

  /**
   * Follow-ups overdue: customers whose planned next contact is past (still in the
   * sales, not archived), per agent, and the longest-waiting ones (names, not phones).
   */
  async overdue(principal: Principal, f: { projectId?: string; agentId?: string; limit: number }) {
    const s = await this.scope(principal, f);
    const now = new Date();
    const where = Prisma.join(
      [
        Prisma.sql`c.project_id = ANY(${s.projectIds}::text[])`,
        Prisma.sql`c.next_contact_at < ${now}`,
        Prisma.sql`c.stage IN (${Prisma.join(FOLLOWED_STAGES)})`,
        Prisma.sql`c.archived_at IS NULL`,
        ...(f.agentId ? [Prisma.sql`c.owner_id = ${f.agentId}::uuid`] : []),
      ],
      ' AND ',
    );
    const byAgent = await this.prisma.$queryRaw<{ agentId: string; name: string; overdue: number; oldest: Date }[]>`
      SELECT c.owner_id::text AS "agentId", min(u.display_name) AS name, count(*)::int AS overdue, min(c.next_contact_at) AS oldest
      FROM customers c JOIN users u ON u.id = c.owner_id WHERE ${where} GROUP BY c.owner_id ORDER BY 3 DESC, 1`;
    const customers = await this.prisma.$queryRaw<
      { customerId: string; name: string; projectId: string; agentId: string; stage: string; intent: string | null; nextContactAt: Date }[]
    >`
      SELECT c.id::text AS "customerId", c.name, c.project_id AS "projectId", c.owner_id::text AS "agentId", c.stage,
        c.classification AS intent, c.next_contact_at AS "nextContactAt"
      FROM customers c WHERE ${where} ORDER BY c.next_contact_at LIMIT ${f.limit}`;
    return {
      projectIds: s.projectIds,
      asOf: now.toISOString(),
      total: byAgent.reduce((sum, a) => sum + a.overdue, 0),
      byAgent: byAgent.map((a) => ({ ...a, oldest: a.oldest.toISOString() })),
      customers: customers.map((c) => ({
        ...c,
        nextContactAt: c.nextContactAt.toISOString(),
        daysOverdue: Math.floor((now.getTime() - c.nextContactAt.getTime()) / DAY),
      })),
    };
  }

  /**
   * Sell-through (units and amount, sold against total), average prices against the
   * list, unit types (layouts) ranked best to worst by sell-through, and the
   * building × floor heat map, from the units grid rollup.
   */
  async inventory(principal: Principal, f: { projectId?: string }) {
    const s = await this.scope(principal, f);
    type Sum = {
      units: number;
      area: number;
      listAmount: number;
      soldUnits: number;
      soldArea: number;
      soldList: number;
      contracts: number;
      contractAmount: number;
    };
    // One pass over the cells, summed five ways: all, per project, per layout, per floor, per building × floor.
    const sums = await this.prisma.$queryRaw<(Sum & { set: string; projectId: string; building: string; floor: number; layout: string })[]>`
      SELECT CASE WHEN grouping(building) = 0 THEN 'cell' WHEN grouping(project_id) = 0 THEN 'project'
                  WHEN grouping(layout) = 0 THEN 'layout' WHEN grouping(floor) = 0 THEN 'floor' ELSE 'total' END AS set,
        project_id AS "projectId", building, floor, layout, coalesce(sum(units), 0)::int AS units, coalesce(sum(area), 0)::float8 AS area,
        coalesce(sum(list_amount), 0)::float8 AS "listAmount", coalesce(sum(sold_units), 0)::int AS "soldUnits", coalesce(sum(sold_area), 0)::float8 AS "soldArea",
        coalesce(sum(sold_list), 0)::float8 AS "soldList", coalesce(sum(contracts), 0)::int AS contracts, coalesce(sum(contract_amount), 0)::float8 AS "contractAmount"
      FROM analytics_unit_stats WHERE project_id = ANY(${s.projectIds}::text[]) AND units > 0
      GROUP BY GROUPING SETS ((), (project_id), (layout), (floor), (project_id, building, floor))`;
    const of = (set: string) => sums.filter((r) => r.set === set);
    const money = (v: number) => Math.round(v * 100) / 100;
    const describe = (x: Sum) => ({
      units: x.units,
      soldUnits: x.soldUnits,
      unitSellThrough: ratio(x.soldUnits, x.units),
      listAmount: money(x.listAmount),
      soldListAmount: money(x.soldList),
      amountSellThrough: ratio(x.soldList, x.listAmount),
      contracts: x.contracts,
      contractAmount: money(x.contractAmount),
      avgListPricePerM2: x.area > 0 ? money(x.listAmount / x.area) : null,
      avgSoldListPricePerM2: x.soldArea > 0 ? money(x.soldList / x.soldArea) : null,
      avgContractPrice: x.contracts > 0 ? money(x.contractAmount / x.contracts) : null,
      /** Contract amount ÷ the list prices of the units sold: below 1 is the average discount. */
      priceVsList: ratio(x.contractAmount, x.soldList),
    });
    const total = of('total')[0] ?? {
      units: 0,
      area: 0,
      listAmount: 0,
      soldUnits: 0,
      soldArea: 0,
      soldList: 0,
      contracts: 0,
      contractAmount: 0,
    };
    const layouts = of('layout')
      .map((x) => ({ layout: x.layout, ...describe(x) }))
      .sort(
        (a, b) =>
          (b.unitSellThrough ?? 0) - (a.unitSellThrough ?? 0) || b.contractAmount - a.contractAmount || a.layout.localeCompare(b.layout),
      );
    const heat = of('cell')
      .map((x) => ({ projectId: x.projectId, building: x.building, floor: x.floor, ...describe(x) }))
      .sort((a, b) => a.projectId.localeCompare(b.projectId) || a.building.localeCompare(b.building) || b.floor - a.floor);
    const floors = of('floor')
      .map((x) => ({ floor: x.floor, ...describe(x) }))
      .sort((a, b) => b.floor - a.floor);
    // Best and worst sellers say something only once something sold, and a layout is
    // not both: with nothing sold (or one layout) both are empty, and the page says so.
    const ranked = layouts.some((l) => (l.unitSellThrough ?? 0) > 0) && layouts.length > 1;
    const best = ranked ? layouts.filter((l) => (l.unitSellThrough ?? 0) > 0).slice(0, 3) : [];
    const worst = ranked
      ? layouts
          .filter((l) => !best.includes(l))
          .slice(-3)
          .reverse()
      : [];
    return {
      projectIds: s.projectIds,
      total: describe(total),
      byProject: of('project').map((x) => ({ projectId: x.projectId, ...describe(x) })),
      layouts,
      best,
      worst,
      floors,
      heatmap: heat,
    };
  }

  /** The targets of a project's period with their progress, as the target service computes it, and the share achieved. */
  async targetsAgainstActuals(principal: Principal, q: { projectId: string; periodStart?: string }) {
    const periodStart = q.periodStart ?? `${(await businessToday(this.prisma)).slice(0, 7)}-01`;
    const rows = await this.targets.list(principal, { projectId: q.projectId, periodStart });
    return {
      projectId: q.projectId,
      periodStart,
      targets: rows.map((t) => ({
        id: t.id,
        userId: t.userId,
        team: t.team,
        period: t.period,
        periodStart: isoDate(t.periodStart),
        periodEnd: isoDate(t.periodEnd),
        target: { units: t.units, amount: Number(t.amount), visits: t.visits, followUps: t.followUps },
        actual: t.progress,
        achieved: {
          units: ratio(t.progress.units, t.units),
          amount: ratio(t.progress.amount, Number(t.amount)),
          visits: ratio(t.progress.visits, t.visits),
          followUps: ratio(t.progress.followUps, t.followUps),
        },
      })),
    };
  }

  /**
   * The sell-out date and the period's amount from the last `weeks` complete weeks
   * of signed contracts (see `FORECAST_METHOD`). The period defaults to this month.
   */
  async forecast(principal: Principal, q: { projectId?: string; weeks: number; from?: string; to?: string; asOf?: string }) {
    const asOf = q.asOf ?? (await businessToday(this.prisma));
    const monday = addDays(asOf, -((utcDate(asOf).getUTCDay() + 6) % 7));
    const s = await this.scope(principal, { projectId: q.projectId, from: addDays(monday, -7 * q.weeks), to: addDays(monday, -1) });
    const weekly = await this.prisma.$queryRaw<{ week: string; units: number; amount: number }[]>`
      WITH weeks AS (SELECT generate_series(${s.from}::date, ${s.to}::date, '1 week'::interval)::date AS week),
      sums AS (SELECT date_trunc('week', day)::date AS week, sum(contracts)::float8 AS units, sum(contract_amount)::float8 AS amount
               FROM (${this.days(s)}) r GROUP BY 1)
      SELECT to_char(w.week, 'YYYY-MM-DD') AS week, coalesce(x.units, 0) AS units, coalesce(x.amount, 0) AS amount
      FROM weeks w LEFT JOIN sums x ON x.week = w.week ORDER BY w.week`;
    const period: Period = { from: q.from ?? `${asOf.slice(0, 7)}-01`, to: q.to ?? reportPeriods('monthly', asOf).period.to };
    const [inPeriod] = await this.prisma.$queryRaw<{ amount: number }[]>`
      SELECT coalesce(sum(contract_amount), 0)::float8 AS amount FROM analytics_project_daily
      WHERE project_id = ANY(${s.projectIds}::text[]) AND day BETWEEN ${period.from}::date AND ${period.to < asOf ? period.to : asOf}::date`;
    const [stock] = await this.prisma.$queryRaw<{ remaining: number }[]>`
      SELECT coalesce(sum(units - sold_units), 0)::int AS remaining FROM analytics_unit_stats WHERE project_id = ANY(${s.projectIds}::text[])`;
    return {
      projectIds: s.projectIds,
      asOf,
      history: weekly,
      ...forecastSales({ weekly, remainingUnits: stock?.remaining ?? 0, today: asOf, period, signedInPeriod: inPeriod?.amount ?? 0 }),
    };
  }

  /**
   * A daily, weekly or monthly report (日报/周报/月报) of one project: the period's
   * figures and funnel, the previous period's and the change, the month's team
   * target with its progress, the agents' and channels' rankings.
   */
  async report(principal: Principal, q: { kind: ReportKind; projectId: string; date?: string }) {
    const project = await this.prisma.project.findUnique({ where: { id: q.projectId }, select: { id: true, name: true } });
    if (!project || !canSeeProject(principal, q.projectId)) throw new NotFound(`Project ${q.projectId}`);
    const { period, previous } = reportPeriods(q.kind, q.date ?? (await businessToday(this.prisma)));
    const s = await this.scope(principal, { projectId: q.projectId, ...period });
    const p = await this.scope(principal, { projectId: q.projectId, ...previous });
    const [figures, before] = await Promise.all([this.totals(s), this.totals(p)]);
    const change = Object.fromEntries(
      ANALYTICS_MEASURES.map((m) => [
        m,
        { delta: Math.round((figures[m] - before[m]) * 100) / 100, ratio: ratio(figures[m] - before[m], before[m]) },
      ]),
    );
    const monthStart = `${period.from.slice(0, 7)}-01`;
    const team =
      (await this.targetsAgainstActuals(principal, { projectId: q.projectId, periodStart: monthStart })).targets.find((t) => t.team) ??
      null;
    const [agents, channels] = await Promise.all([
      this.breakdown(principal, { projectId: q.projectId, ...period, by: 'agent' }),
      this.breakdown(principal, { projectId: q.projectId, ...period, by: 'channel' }),
    ]);
    return {
      kind: q.kind,
      project,
      period,
      previousPeriod: previous,
      figures,
      previous: before,
      change,
      funnel: funnel(figures),
      monthTarget: team,
      agents: agents.rows,
      channels: channels.rows,
    };
  }

  /** An agent's own dashboard: their funnel, figures, follow-ups due and this month's target. */
  async mine(principal: Principal, f: { projectId: string; from?: string; to?: string }) {
    const s = await this.scope(principal, { ...f, agentId: principal.userId });
    const figures = await this.totals(s);
    const overdue = await this.overdue(principal, { projectId: f.projectId, agentId: principal.userId, limit: 50 });
    const periodStart = `${(await businessToday(this.prisma)).slice(0, 7)}-01`;
    const target = await this.prisma.salesTarget.findFirst({
      where: { projectId: f.projectId, userId: principal.userId, periodStart: utcDate(periodStart) },
    });
    const targets =
      target && principal.permissions.has('targets.read')
        ? (await this.targetsAgainstActuals(principal, { projectId: f.projectId, periodStart })).targets.filter(
            (t) => t.userId === principal.userId,
          )
        : [];
    return {
      filters: this.echo(s),
      figures,
      stages: funnel(figures),
      overdue: { total: overdue.total, customers: overdue.customers },
      targets,
    };
  }

  /**
   * Phase-by-phase comparison of a project's sales launch (阶段对比): each phase of
   * its phase loop with its period, figures, conversion, the overall plan's target for
   * it (`planPhases`, 5.1) and the change from the phase before. A phase runs from
   * the day its first task opened to the day before the next phase's first task (the
   * current one to today); whole days, as the rollups hold them. The launch is the
   * project's latest `sales-launch` instance.
   */
  async phases(principal: Principal, q: { projectId: string }) {
    if (!canSeeProject(principal, q.projectId)) throw new NotAllowed(`You are not a member of project ${q.projectId}`);
    const launch = await this.prisma.processInstance.findFirst({
      where: { projectId: q.projectId, definitionKey: 'sales-launch', parentId: null },
      orderBy: { startedAt: 'desc' },
      select: { id: true, status: true, startedAt: true, finishedAt: true, input: true },
    });
    if (!launch) return { projectId: q.projectId, launchId: null, phases: [] };
    // The first task of each iteration of the phase loop marks when that phase began.
    const starts = await this.prisma.$queryRaw<{ phase: number; startedAt: Date }[]>`
      SELECT substring(task_key FROM '^phases\\[([0-9]+)\\]/')::int AS phase, min(created_at) AS "startedAt"
      FROM tasks WHERE process_id = ${launch.id} AND task_key LIKE 'phases[%' GROUP BY 1 ORDER BY 1`;
    const plan = ((launch.input as { planPhases?: unknown }).planPhases ?? []) as { name?: string; units?: number; amount?: number }[];
    const zone = await businessTimeZone(this.prisma);
    const end = businessDate(launch.finishedAt ?? new Date(), zone);
    const phases = [];
    let before: Figures | undefined;
    for (const [i, p] of starts.entries()) {
      const from = businessDate(p.startedAt, zone);
      const next = starts[i + 1];
      const to = next ? addDays(businessDate(next.startedAt, zone), -1) : end;
      const figures = to < from ? figuresOf(undefined) : await this.totals({ projectIds: [q.projectId], from, to });
      const target = plan[p.phase - 1];
      phases.push({
        phase: p.phase,
        name: target?.name ?? null,
        from,
        to: to < from ? from : to,
        current: !next && launch.status === 'running',
        figures,
        visitToContract: ratio(figures.contracts, figures.visits),
        target: target ? { units: target.units ?? null, amount: target.amount ?? null } : null,
        achieved: target
          ? { units: ratio(figures.contracts, target.units ?? 0), amount: ratio(figures.contractAmount, target.amount ?? 0) }
          : null,
        change: before
          ? Object.fromEntries(
              (['visits', 'intents', 'contracts', 'contractAmount'] as const).map((m) => [
                m,
                { delta: figures[m] - before![m], ratio: ratio(figures[m] - before![m], before![m]) },
              ]),
            )
          : null,
      });
      before = figures;
    }
    return { projectId: q.projectId, launchId: launch.id, phases };
  }

  /** The caller's subscriptions to sales reports (日报/周报/月报), delivered as notifications. */
  async reportSubscriptions(principal: Principal) {
    const rows = await this.prisma.reportSubscription.findMany({
      where: { userId: principal.userId },
      orderBy: [{ projectId: 'asc' }, { kind: 'asc' }],
      select: { projectId: true, kind: true, createdAt: true, lastSentFrom: true },
    });
    return rows.map((r) => ({ ...r, lastSentFrom: r.lastSentFrom ? isoDate(r.lastSentFrom) : null }));
  }

  /**
   * Subscribes the caller to a project's report of one kind, or ends it. Idempotent:
   * the same request twice leaves one subscription (or none). The first message
   * comes once the first whole period after now has ended.
   */
  async setReportSubscription(principal: Principal, q: { projectId: string; kind: ReportKind; subscribed: boolean }) {
    if (!canSeeProject(principal, q.projectId)) throw new NotAllowed(`You are not a member of project ${q.projectId}`);
    if (!(await this.prisma.project.findUnique({ where: { id: q.projectId }, select: { id: true } })))
      throw new InvalidInput(`Unknown project ${q.projectId}`, [{ field: 'projectId', reason: 'unknown project' }]);
    const key = { userId: principal.userId, projectId: q.projectId, kind: q.kind };
    if (q.subscribed) {
      await this.prisma.reportSubscription.upsert({ where: { userId_projectId_kind: key }, create: key, update: {} });
    } else {
      await this.prisma.reportSubscription.deleteMany({ where: key });
    }
    return this.reportSubscriptions(principal);
  }

  /** One analysis as a table (columns and rows) for export. */
  async table(
    principal: Principal,
    q: AnalyticsFilter & { table: ExportTable },
  ): Promise<{ name: string; columns: string[]; rows: unknown[][] }> {
    const pick = (rows: Record<string, unknown>[], columns: string[]) => ({
      columns,
      rows: rows.map((r) => columns.map((c) => r[c] ?? null)),
    });
    const measures = [...ANALYTICS_MEASURES];
    switch (q.table) {
      case 'funnel': {
        const r = await this.funnel(principal, q);
        return { name: 'funnel', ...pick(r.stages as unknown as Record<string, unknown>[], ['stage', 'count', 'rate', 'overall']) };
      }
      case 'agents':
      case 'channels':
      case 'intents':
      case 'projects': {
        const by = ({ agents: 'agent', channels: 'channel', intents: 'intent', projects: 'project' } as const)[q.table];
        const r = await this.breakdown(principal, { ...q, by });
        return { name: q.table, ...pick(r.rows, ['rank', 'key', 'name', ...measures, 'visitToContract', 'intentToContract']) };
      }
      case 'trend-day':
      case 'trend-week':
      case 'trend-month': {
        const r = await this.trend(principal, { ...q, grain: q.table.slice(6) as TrendGrain });
        return { name: q.table, ...pick(r.points, ['period', ...measures]) };
      }
      case 'layouts':
      case 'heatmap': {
        const r = await this.inventory(principal, q);
        const figures = [
          'units',
          'soldUnits',
          'unitSellThrough',
          'listAmount',
          'soldListAmount',
          'amountSellThrough',
          'contracts',
          'contractAmount',
          'avgListPricePerM2',
          'avgSoldListPricePerM2',
          'avgContractPrice',
          'priceVsList',
        ];
        return q.table === 'layouts'
          ? { name: 'layouts', ...pick(r.layouts, ['layout', ...figures]) }
          : { name: 'heatmap', ...pick(r.heatmap, ['projectId', 'building', 'floor', ...figures]) };
      }
      case 'phases': {
        if (!q.projectId) throw new InvalidInput('The phase comparison is of one project', [{ field: 'projectId', reason: 'required' }]);
        const r = await this.phases(principal, { projectId: q.projectId });
        const rows = r.phases.map((p) => ({
          phase: p.phase,
          name: p.name,
          from: p.from,
          to: p.to,
          ...p.figures,
          visitToContract: p.visitToContract,
          targetUnits: p.target?.units ?? null,
          targetAmount: p.target?.amount ?? null,
          unitsAchieved: p.achieved?.units ?? null,
          amountAchieved: p.achieved?.amount ?? null,
        }));
        return {
          name: 'phases',
          ...pick(rows, [
            'phase',
            'name',
            'from',
            'to',
            ...measures,
            'visitToContract',
            'targetUnits',
            'targetAmount',
            'unitsAchieved',
            'amountAchieved',
          ]),
        };
      }
      case 'report-daily':
      case 'report-weekly':
      case 'report-monthly':
      case 'report-quarterly':
      case 'report-yearly': {
        // The report whose period holds `to` (today by default), as the reports tab shows it.
        if (!q.projectId) throw new InvalidInput('A report is of one project', [{ field: 'projectId', reason: 'required' }]);
        const kind = q.table.slice(7) as ReportKind;
        const r = await this.report(principal, { kind, projectId: q.projectId, date: q.to });
        const rows = ANALYTICS_MEASURES.map((m) => ({
          measure: m,
          thisPeriod: r.figures[m],
          previousPeriod: r.previous[m],
          delta: r.change[m]!.delta,
          change: r.change[m]!.ratio,
        }));
        return { name: `${q.table}-${r.period.from}`, ...pick(rows, ['measure', 'thisPeriod', 'previousPeriod', 'delta', 'change']) };
      }
      case 'overdue': {
        const r = await this.overdue(principal, { ...q, limit: 500 });
        return {
          name: 'overdue',
          ...pick(r.customers, ['customerId', 'name', 'projectId', 'agentId', 'stage', 'intent', 'nextContactAt', 'daysOverdue']),
        };
      }
    }
  }
}

/** The analysis tables that can be exported. */
export const EXPORT_TABLES = [
  'funnel',
  'agents',
  'channels',
  'intents',
  'projects',
  'trend-day',
  'trend-week',
  'trend-month',
  'layouts',
  'heatmap',
  'overdue',
  'phases',
  'report-daily',
  'report-weekly',
  'report-monthly',
  'report-quarterly',
  'report-yearly',
] as const;
/** One of {@link EXPORT_TABLES}. */
export type ExportTable = (typeof EXPORT_TABLES)[number];
