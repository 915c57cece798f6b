import { z } from 'zod';
import { ANALYTICS_DIMENSIONS, CUSTOMER_CLASSES, REPORT_KINDS, TREND_GRAINS } from '../../domain';
import { route } from '../http';
import { EXPORT_LANGUAGES, localizeTable, tableToCsv, tableToXlsx } from '../services/analytics-export';
import { EXPORT_TABLES, MAX_PERIOD_DAYS } from '../services/analytics-service';
import { pdfFont, reportToPdf } from '../services/report-pdf';
import { HttpError } from '../errors';
import type { Services } from '../services';

const date = z.iso.date();
const projectId = z.string().min(1).max(100);
/** The filters of every analysis; `none` selects the facts without a channel or intent level. */
const filters = {
  projectId: projectId.optional(),
  from: date.optional(),
  to: date.optional(),
  agentId: z.uuid().optional(),
  channel: z.string().min(1).max(50).optional(),
  intent: z.enum([...CUSTOMER_CLASSES, 'none']).optional(),
};
/** The period's ends in order and at most ten years apart: refused here, naming `query.from`. */
const ordered = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const bounded = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_PERIOD_DAYS * 86_400_000;
const period = <T extends z.ZodType<{ from?: string; to?: string }>>(schema: T) =>
  schema
    .refine(ordered, { path: ['from'], message: 'after to' })
    .refine(bounded, { path: ['from'], message: `more than ${MAX_PERIOD_DAYS} days before to` });
type Filters = { channel?: string; intent?: string };
/** `none` as the empty value the rollup keeps. */
const unnamed = <T extends Filters>(q: T): T => ({
  ...q,
  ...(q.channel === 'none' ? { channel: '' } : {}),
  ...(q.intent === 'none' ? { intent: '' } : {}),
});

const rate = z.number().nullable();
const figures = z.looseObject({ visits: z.number(), contracts: z.number(), contractAmount: z.number() });
const funnelSteps = z.array(z.strictObject({ stage: z.string(), count: z.number(), rate, overall: rate }));

/** Analysis, reports and forecasts (issue 11): dashboards' data, as JSON for charts and tables, and exports. */
export function analyticsRoutes(s: Services) {
  return [
    route({
      id: 'analytics.funnel',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/funnel',
      access: 'analytics.read',
      summary: 'The funnel visits → registrations → intents → subscriptions → contracts → paid with conversion rates and amounts',
      query: period(z.strictObject(filters)),
      response: z.looseObject({ stages: funnelSteps, figures }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.funnel(principal, unnamed(query)) }),
    }),
    route({
      id: 'analytics.breakdown',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/breakdown',
      access: 'analytics.read',
      summary: 'Figures ranked by agent, channel, intent level or project, with visit → contract conversion',
      query: period(z.strictObject({ ...filters, by: z.enum(ANALYTICS_DIMENSIONS) })),
      response: z.looseObject({ by: z.string(), rows: z.array(z.looseObject({ rank: z.number(), key: z.string(), name: z.string() })) }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.breakdown(principal, unnamed(query)) }),
    }),
    route({
      id: 'analytics.trend',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/trend',
      access: 'analytics.read',
      summary: 'Every measure per day, week or month over the period, without gaps',
      query: period(z.strictObject({ ...filters, grain: z.enum(TREND_GRAINS).default('day') })),
      response: z.looseObject({ grain: z.string(), points: z.array(z.looseObject({ period: z.string() })) }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.trend(principal, unnamed(query)) }),
    }),
    route({
      id: 'analytics.overdue',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/follow-ups/overdue',
      access: 'analytics.read',
      summary: 'Customers whose planned next contact is past, per agent and the longest-waiting first',
      query: z.strictObject({
        projectId: projectId.optional(),
        agentId: z.uuid().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
      response: z.looseObject({ total: z.number(), byAgent: z.array(z.looseObject({ agentId: z.string(), overdue: z.number() })) }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.overdue(principal, query) }),
    }),
    route({
      id: 'analytics.inventory',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/inventory',
      access: 'analytics.read',
      summary: 'Sell-through (units, amount), prices against list, unit types best to worst, floors and the building × floor heat map',
      query: z.strictObject({ projectId: projectId.optional() }),
      response: z.looseObject({
        total: z.looseObject({ units: z.number() }),
        layouts: z.array(z.looseObject({ layout: z.string() })),
        heatmap: z.array(z.looseObject({ building: z.string(), floor: z.number() })),
      }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.inventory(principal, query) }),
    }),
    route({
      id: 'analytics.targets',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/targets',
      access: 'analytics.read',
      summary: "Targets against actuals of a project's month or quarter (this month by default), with the share achieved",
      query: z.strictObject({ projectId, periodStart: date.optional() }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.targetsAgainstActuals(principal, query) }),
    }),
    route({
      id: 'analytics.phases',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/phases',
      access: 'analytics.read',
      summary: "Phase-by-phase comparison of a project's sales launch: each phase's period, figures, conversion, plan target and change",
      query: z.strictObject({ projectId }),
      response: z.looseObject({
        launchId: z.string().nullable(),
        phases: z.array(z.looseObject({ phase: z.number(), from: date, to: date, figures, visitToContract: rate })),
      }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.phases(principal, query) }),
    }),
    route({
      id: 'analytics.forecast',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/forecast',
      access: 'analytics.read',
      summary: 'Sell-out date and the period’s amount from the recent weekly rate, with a range and the method',
      query: period(
        z.strictObject({
          projectId: projectId.optional(),
          weeks: z.coerce.number().int().min(2).max(104).default(12),
          from: date.optional(),
          to: date.optional(),
          asOf: date.optional(),
        }),
      ),
      response: z.looseObject({ method: z.string(), sellOut: z.looseObject({ expected: z.string().nullable() }) }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.forecast(principal, query) }),
    }),
    route({
      id: 'analytics.report',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/reports/:kind',
      access: 'analytics.read',
      summary: "A project's daily, weekly or monthly report (日报/周报/月报): figures, previous period, change, target, rankings",
      params: z.strictObject({ kind: z.enum(REPORT_KINDS) }),
      query: z.strictObject({ projectId, date: date.optional() }),
      response: z.looseObject({ kind: z.string(), figures, previous: figures, funnel: funnelSteps }),
      handler: async ({ principal, params, query }) => ({ body: await s.analytics.report(principal, { kind: params.kind, ...query }) }),
    }),
    route({
      id: 'analytics.reportSubscriptions',
      scope: 'own',
      method: 'get',
      path: '/api/analytics/report-subscriptions',
      access: 'analytics.read',
      summary: "The caller's subscriptions to projects' daily, weekly and monthly reports",
      handler: async ({ principal }) => ({ body: await s.analytics.reportSubscriptions(principal) }),
    }),
    route({
      id: 'analytics.subscribeReport',
      scope: 'project',
      method: 'put',
      path: '/api/analytics/report-subscriptions',
      access: 'analytics.read',
      summary: "Subscribe to (or stop) a project's daily, weekly or monthly report, sent as a notification when each period ends",
      body: z.strictObject({ projectId, kind: z.enum(REPORT_KINDS), subscribed: z.boolean() }),
      handler: async ({ principal, body }) => ({ body: await s.analytics.setReportSubscription(principal, body) }),
    }),
    route({
      id: 'analytics.reportPdf',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/reports/:kind/pdf',
      access: 'analytics.read',
      summary: "A project's daily, weekly or monthly report as a PDF file, in the reader's language",
      params: z.strictObject({ kind: z.enum(REPORT_KINDS) }),
      query: z.strictObject({ projectId, date: date.optional(), lang: z.enum(EXPORT_LANGUAGES).default('zh-CN') }),
      produces: ['application/pdf'],
      handler: async ({ principal, params, query, res }) => {
        // The report first: a caller who may not see the project learns that, not what the server lacks.
        const report = await s.analytics.report(principal, { kind: params.kind, projectId: query.projectId, date: query.date });
        const font = pdfFont(s.config);
        if (!font) {
          throw new HttpError(
            501,
            'not_implemented',
            'This server has no font with Chinese glyphs for PDF files: install one (fonts-noto-cjk) or set PDF_FONT_PATH',
          );
        }
        const pdf = await reportToPdf(report, query.lang, font);
        res.setHeader('content-type', 'application/pdf');
        res.setHeader('content-disposition', `attachment; filename="${params.kind}-report-${query.projectId}-${report.period.from}.pdf"`);
        res.status(200).send(pdf);
        return undefined;
      },
    }),
    route({
      id: 'analytics.mine',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/mine',
      access: 'signed-in',
      summary: "The caller's own figures (an agent's dashboard): funnel, follow-ups overdue, this month's target",
      query: period(z.strictObject({ projectId, from: date.optional(), to: date.optional() })),
      response: z.looseObject({ figures, stages: funnelSteps }),
      handler: async ({ principal, query }) => ({ body: await s.analytics.mine(principal, query) }),
    }),
    route({
      id: 'analytics.export',
      scope: 'project',
      method: 'get',
      path: '/api/analytics/export',
      access: 'analytics.read',
      summary: 'Any analysis table as XLSX or CSV (the same filters as the analysis)',
      query: period(
        z.strictObject({
          ...filters,
          table: z.enum(EXPORT_TABLES),
          format: z.enum(['xlsx', 'csv']).default('xlsx'),
          lang: z.enum(EXPORT_LANGUAGES).optional(),
        }),
      ),
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
      handler: async ({ principal, query, res }) => {
        // Headers in the reader's language when asked (the web app asks in its own); keys otherwise.
        const table = localizeTable(await s.analytics.table(principal, unnamed(query)), query.lang);
        const file = `${table.name}-${query.from ?? ''}${query.to ? `_${query.to}` : ''}`.replace(/-$/, '');
        if (query.format === 'csv') {
          res.setHeader('content-type', 'text/csv; charset=utf-8');
          res.setHeader('content-disposition', `attachment; filename="${file}.csv"`);
          res.status(200).send(tableToCsv(table));
        } else {
          res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
          res.setHeader('content-disposition', `attachment; filename="${file}.xlsx"`);
          res.status(200).send(await tableToXlsx(table));
        }
        return undefined;
      },
    }),
  ];
}
