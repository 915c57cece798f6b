import { AnalyticsService } from '../api/services/analytics-service';
import { tableToXlsx } from '../api/services/analytics-export';
import { AuditService } from '../api/services/audit-service';
import type { Principal } from '../api/services/auth-service';
import { TargetService } from '../api/services/target-service';
import { PERMISSIONS } from '../api/permissions';
import { createPrismaClient } from '../db/client';
import { addDays, isoDate } from '../domain';
import { generateAnalyticsData, generateOptions } from '../scripts/generate-analytics-data';

/**
 * `npm run bench:analytics`: p50/p95/max of every dashboard and report query of the
 * analytics service on the generated data set (`scripts/generate-analytics-data.ts`,
 * the issue's size by default), side by side. With BENCH_REUSE=1 an existing data set
 * in ANALYTICS_BENCH_DATABASE_URL is used as it is. Each query runs BENCH_RUNS times
 * (default 40) over the projects in turn, after a few warm-up runs. The service is
 * called directly (no HTTP): these are the queries' times, plus their JavaScript.
 * Figures only; nothing is asserted. Goal: p95 ≤ 300 ms each.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function main(): Promise<void> {
  const options = generateOptions();
  if (process.env.BENCH_REUSE !== '1') {
    console.log('generating:', { ...options, databaseUrl: undefined });
    const generated = await generateAnalyticsData(options, (line) => console.log(line));
    console.log(`generated in ${(generated.totalMs / 1000).toFixed(1)} s:`, generated.counts);
  }
  const prisma = createPrismaClient(options.databaseUrl);
  const analytics = new AnalyticsService(prisma, new TargetService(prisma, new AuditService(prisma)));
  const projects = (await prisma.project.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
  const agents = await prisma.projectMember.findMany({ where: { projectId: { in: projects } }, select: { projectId: true, userId: true } });
  const management: Principal = {
    userId: '00000000-0000-0000-0000-000000000000',
    username: 'bench',
    displayName: 'Bench',
    sessionId: 'bench',
    roles: ['management'],
    permissions: new Set(PERMISSIONS),
    projects: 'all',
    mustChangePassword: false,
  };
  const today = isoDate(new Date());
  const year = { from: addDays(today, -364), to: today };
  const month = `${today.slice(0, 7)}-01`;
  const agentOf = (p: string) => agents.find((a) => a.projectId === p)!.userId;
  const asAgent = (p: string): Principal => ({ ...management, userId: agentOf(p), projects: new Set([p]), roles: ['sales_agent'] });

  const queries: [string, (p: string) => Promise<unknown>][] = [
    ['funnel · project · 30 days', (p) => analytics.funnel(management, { projectId: p })],
    ['funnel · project · 1 year', (p) => analytics.funnel(management, { projectId: p, ...year })],
    ['funnel · all projects · 1 year', () => analytics.funnel(management, year)],
    ['funnel · one agent · 1 year', (p) => analytics.funnel(management, { projectId: p, agentId: agentOf(p), ...year })],
    ['funnel · channel filter · 1 year', (p) => analytics.funnel(management, { projectId: p, channel: 'ad', ...year })],
    ['ranking by agent · project · 1 year', (p) => analytics.breakdown(management, { projectId: p, by: 'agent', ...year })],
    ['ranking by channel · project · 1 year', (p) => analytics.breakdown(management, { projectId: p, by: 'channel', ...year })],
    ['conversion by intent · project · 1 year', (p) => analytics.breakdown(management, { projectId: p, by: 'intent', ...year })],
    ['by project · all projects · 1 year', () => analytics.breakdown(management, { by: 'project', ...year })],
    ['by agent · all projects · 2 years', () => analytics.breakdown(management, { by: 'agent', from: addDays(today, -729), to: today })],
    [
      'trend by day · project · 90 days',
      (p) => analytics.trend(management, { projectId: p, grain: 'day', from: addDays(today, -89), to: today }),
    ],
    ['trend by week · project · 1 year', (p) => analytics.trend(management, { projectId: p, grain: 'week', ...year })],
    [
      'trend by month · all projects · 2 years',
      () => analytics.trend(management, { grain: 'month', from: addDays(today, -729), to: today }),
    ],
    ['follow-ups overdue · project', (p) => analytics.overdue(management, { projectId: p, limit: 50 })],
    ['follow-ups overdue · all projects', () => analytics.overdue(management, { limit: 50 })],
    ['sell-through + layouts + heat map · project', (p) => analytics.inventory(management, { projectId: p })],
    ['sell-through · all projects', () => analytics.inventory(management, {})],
    ['targets against actuals · project · month', (p) => analytics.targetsAgainstActuals(management, { projectId: p, periodStart: month })],
    ['forecast · project · 12 weeks', (p) => analytics.forecast(management, { projectId: p, weeks: 12 })],
    ['forecast · all projects · 26 weeks', () => analytics.forecast(management, { weeks: 26 })],
    ['report 日报 · project', (p) => analytics.report(management, { kind: 'daily', projectId: p })],
    ['report 周报 · project', (p) => analytics.report(management, { kind: 'weekly', projectId: p })],
    ['report 月报 · project', (p) => analytics.report(management, { kind: 'monthly', projectId: p })],
    ['agent dashboard (mine) · 30 days', (p) => analytics.mine(asAgent(p), { projectId: p })],
    [
      'export XLSX · agents · project · 1 year',
      async (p) => tableToXlsx(await analytics.table(management, { projectId: p, table: 'agents', ...year })),
    ],
  ];

  const rows: { name: string; p50: number; p95: number; max: number }[] = [];
  for (const [name, run] of queries) {
    for (let i = 0; i < 3; i++) await run(projects[i % projects.length]!);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      await run(projects[i % projects.length]!);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    rows.push({ name, p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times) });
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n${RUNS} runs each, ms (goal: p95 ≤ 300)`);
  console.log(`${'query'.padEnd(width)}   p50      p95      max`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(width)} ${r.p50.toFixed(1).padStart(7)}  ${r.p95.toFixed(1).padStart(7)}  ${r.max.toFixed(1).padStart(7)}${r.p95 > 300 ? '  > goal' : ''}`,
    );
  await prisma.$disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
