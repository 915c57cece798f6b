import {
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { api, fetchFile } from '../../api/client';
import { errorText } from '../../api/error-text';
import { loadProjects } from '../../api/shared';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { PeriodPicker } from '../../components/period-picker';
import { saveBlob } from '../../components/download';
import { Muted } from '../../components/text';
import { useMessage } from '../../feedback';
import { formatMoney, formatNumber } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, navigate } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { REPORT_KINDS, type ReportKind } from '../../../../domain/analytics';
import {
  funnelOption,
  heatmapOption,
  phasesOption,
  rankingOption,
  shareOption,
  trendOption,
  type FunnelStepData,
  type HeatCell,
  type PhaseData,
  type RankRow,
  type TrendPoint,
} from './chart-options';

// ECharts loads with this page's first chart, not before.
const EChart = lazy(() => import('../../components/echart'));

const AMOUNTS = new Set([
  'subscriptionAmount',
  'contractAmount',
  'paidAmount',
  'cancelledAmount',
  'refundAmount',
  'listAmount',
  'soldListAmount',
]);
type Figures = Record<string, number>;
interface Filters {
  projectId?: string;
  from: string;
  to: string;
}

/** Downloads a file the analysis API makes (a table as XLSX or CSV, a report as PDF), in the page's language. */
function useDownload() {
  const { language } = useLabels();
  const message = useMessage();
  return async (path: string, params: Record<string, string | undefined>) => {
    try {
      const lang = language === 'en' ? 'en' : 'zh-CN';
      const { blob, name } = await fetchFile(path, { ...params, lang });
      saveBlob(blob, name);
    } catch (err) {
      message.error(errorText(err));
    }
  };
}

/** Downloads an analysis table (`/api/analytics/export`) as XLSX or CSV. */
function useExport() {
  const download = useDownload();
  return (params: Record<string, string | undefined>, format: 'xlsx' | 'csv') => download('/api/analytics/export', { ...params, format });
}

/** A chart with its table view and its export beside it: every figure can be read, checked and taken away. */
function ChartCard({
  title,
  chart,
  table,
  exportTable,
  filters,
  height = 280,
  testId,
}: {
  title: ReactNode;
  chart: object | null;
  table: ReactNode;
  exportTable?: string;
  filters: Filters;
  height?: number;
  testId: string;
}) {
  const { t } = useLabels();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const save = useExport();
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      extra={
        <Space size={4} wrap>
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            options={[
              { value: 'chart', label: t('analytics.chart') },
              { value: 'table', label: t('analytics.table') },
            ]}
          />
          {exportTable && (
            <>
              <Button size="small" onClick={() => void save({ ...filters, table: exportTable }, 'xlsx')}>
                XLSX
              </Button>
              <Button size="small" onClick={() => void save({ ...filters, table: exportTable }, 'csv')}>
                CSV
              </Button>
            </>
          )}
        </Space>
      }
    >
      {view === 'table' || !chart ? (
        table
      ) : (
        <Suspense fallback={<Spin />}>
          <EChart option={chart} height={height} testId={`${testId}-chart`} />
        </Suspense>
      )}
    </Card>
  );
}

/** A change from the period before: green up, red down, with its share of the before. */
function ChangeTag({ change, show }: { change: { delta: number; ratio: number | null } | undefined; show: (v: number) => string }) {
  if (!change) return <>—</>;
  const { delta, ratio } = change;
  return (
    <Tag color={delta > 0 ? 'green' : delta < 0 ? 'red' : 'default'}>
      {`${delta > 0 ? '+' : ''}${show(delta)}${ratio === null ? '' : ` (${percent(ratio)})`}`}
    </Tag>
  );
}

/** Percent of a ratio (0.1234 → 12.3%), or a dash. */
const percent = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

/**
 * Sales analysis (销售分析) for supervisors, the GM and management: the funnel and its
 * trend, rankings by agent, channel and intent level, follow-ups overdue, sell-through
 * with unit types and the building × floor heat map, targets against actuals, the
 * forecast, and the daily / weekly / monthly reports. Filters: project, period.
 */
export default function AnalyticsPage({ query }: PageProps) {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const projects = useApi(['/api/projects'], loadProjects);
  const [projectId, setProjectId] = useState<string | undefined>(query.projectId);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  // The tab is in the address: a report or a ranking can be linked to and reloaded.
  const tab = query.tab ?? 'overview';
  const filters: Filters = { projectId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const value = (measure: string, v: number | null | undefined) =>
    v === null || v === undefined ? '—' : AMOUNTS.has(measure) ? formatMoney(v, settings, language) : formatNumber(v, language);
  const measure = (m: string) => t(`analytics.measures.${m}`);
  const projectName = (id: string) => projects.data?.find((p) => p.id === id)?.name ?? id;

  return (
    <>
      <PageTitle
        title={t('analytics.title')}
        extra={
          <>
            <Select
              id="analytics-project"
              allowClear
              aria-label={t('common.project')}
              placeholder={t('analytics.allProjects')}
              style={{ width: 180 }}
              value={projectId}
              onChange={setProjectId}
              options={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            />
            <PeriodPicker
              id="analytics-period"
              ariaLabel={t('analytics.period')}
              allowClear={false}
              value={range}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
              presets={[
                { label: t('analytics.presets.last7'), value: [dayjs().subtract(6, 'day'), dayjs()] },
                { label: t('analytics.presets.last30'), value: [dayjs().subtract(29, 'day'), dayjs()] },
                { label: t('analytics.presets.thisMonth'), value: [dayjs().startOf('month'), dayjs()] },
                { label: t('analytics.presets.thisYear'), value: [dayjs().startOf('year'), dayjs()] },
              ]}
            />
          </>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(`/analytics?tab=${key}`)}
        destroyOnHidden
        items={[
          {
            key: 'overview',
            label: t('analytics.tabs.overview'),
            children: <Overview filters={filters} value={value} measure={measure} />,
          },
          {
            key: 'team',
            label: t('analytics.tabs.team'),
            children: <Team filters={filters} value={value} measure={measure} projectName={projectName} />,
          },
          {
            key: 'inventory',
            label: t('analytics.tabs.inventory'),
            children: <Inventory filters={filters} value={value} projectName={projectName} />,
          },
          {
            key: 'reports',
            label: t('analytics.tabs.reports'),
            children: <Reports projectId={projectId ?? projects.data?.[0]?.id} value={value} measure={measure} />,
          },
        ]}
      />
    </>
  );
}

type ValueFn = (measure: string, v: number | null | undefined) => string;

/** KPIs, the funnel and the trend. */
function Overview({ filters, value, measure }: { filters: Filters; value: ValueFn; measure: (m: string) => string }) {
  const { t } = useLabels();
  const [grain, setGrain] = useState<'day' | 'week' | 'month'>('day');
  const funnel = useApi(['/api/analytics/funnel', filters.projectId, filters.from, filters.to], () =>
    api.get<{ stages: FunnelStepData[]; figures: Figures }>('/api/analytics/funnel', { ...filters }),
  );
  const trend = useApi(['/api/analytics/trend', filters.projectId, filters.from, filters.to, grain], () =>
    api.get<{ points: TrendPoint[] }>('/api/analytics/trend', { ...filters, grain }),
  );
  const stage = (s: string) => t(`analytics.stages.${s}`);
  const figures = funnel.data?.figures;
  return (
    <>
      <LoadError error={funnel.error ?? trend.error} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={32} data-testid="kpis">
          {['visits', 'registrations', 'subscriptions', 'contracts', 'contractAmount', 'paidAmount'].map((m) => (
            <Statistic key={m} title={measure(m)} value={figures ? value(m, figures[m]) : '—'} />
          ))}
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <ChartCard
            title={t('analytics.funnel')}
            testId="funnel"
            filters={filters}
            exportTable="funnel"
            chart={funnel.data ? funnelOption(funnel.data.stages, stage) : null}
            table={
              <Table<FunnelStepData>
                size="small"
                rowKey="stage"
                pagination={false}
                loading={funnel.loading}
                dataSource={funnel.data?.stages ?? []}
                columns={[
                  { title: t('analytics.stage'), dataIndex: 'stage', render: stage },
                  { title: t('analytics.count'), dataIndex: 'count', render: (v: number) => value('visits', v) },
                  { title: t('analytics.stepRate'), dataIndex: 'rate', render: percent },
                  { title: t('analytics.overallRate'), dataIndex: 'overall', render: percent },
                ]}
              />
            }
          />
        </Col>
        <Col xs={24} lg={14}>
          <ChartCard
            title={
              <Space>
                {t('analytics.trend')}
                <Segmented
                  size="small"
                  value={grain}
                  onChange={(g) => setGrain(g as typeof grain)}
                  options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`analytics.grains.${g}`) }))}
                />
              </Space>
            }
            testId="trend"
            filters={filters}
            exportTable={`trend-${grain}`}
            chart={
              trend.data ? trendOption(trend.data.points, ['visits', 'registrations', 'contracts'], ['contractAmount'], measure) : null
            }
            table={
              <Table<TrendPoint>
                size="small"
                rowKey="period"
                pagination={{ pageSize: 31, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                loading={trend.loading}
                dataSource={trend.data?.points ?? []}
                columns={[
                  { title: t('analytics.periodColumn'), dataIndex: 'period' },
                  ...['visits', 'registrations', 'followUps', 'subscriptions', 'contracts', 'contractAmount', 'paidAmount'].map((m) => ({
                    title: measure(m),
                    dataIndex: m,
                    render: (v: number) => value(m, v),
                  })),
                ]}
              />
            }
          />
        </Col>
      </Row>
    </>
  );
}

/** A breakdown (ranking) table's columns. */
function rankColumns(value: ValueFn, measure: (m: string) => string, t: (k: string) => string, name: (r: RankRow) => ReactNode) {
  return [
    { title: '#', dataIndex: 'rank', width: 48 },
    { title: t('analytics.name'), key: 'name', render: (_: unknown, r: RankRow) => name(r) },
    ...['visits', 'registrations', 'intents', 'followUps', 'contracts', 'contractAmount'].map((m) => ({
      title: measure(m),
      dataIndex: m,
      render: (v: number) => value(m, v),
    })),
    { title: t('analytics.visitToContract'), dataIndex: 'visitToContract', render: percent },
  ];
}

/** Rankings by agent, channel and intent level, and the follow-ups overdue. */
function Team({
  filters,
  value,
  measure,
  projectName,
}: {
  filters: Filters;
  value: ValueFn;
  measure: (m: string) => string;
  projectName: (id: string) => string;
}) {
  const { t, option } = useLabels();
  const deps = [filters.projectId, filters.from, filters.to];
  const load = (by: string) => () => api.get<{ rows: RankRow[] }>('/api/analytics/breakdown', { ...filters, by });
  const agents = useApi(['/api/analytics/breakdown', 'agent', ...deps], load('agent'));
  const channels = useApi(['/api/analytics/breakdown', 'channel', ...deps], load('channel'));
  const intents = useApi(['/api/analytics/breakdown', 'intent', ...deps], load('intent'));
  const projects = useApi(['/api/analytics/breakdown', 'project', ...deps], load('project'));
  const overdue = useApi(['/api/analytics/follow-ups/overdue', filters.projectId], () =>
    api.get<{
      total: number;
      byAgent: { agentId: string; name: string; overdue: number; oldest: string }[];
      customers: { customerId: string; name: string; agentId: string; stage: string; intent: string | null; daysOverdue: number }[];
    }>('/api/analytics/follow-ups/overdue', { projectId: filters.projectId, limit: 20 }),
  );
  const keyName = (r: RankRow) => (r.key === '' ? t('analytics.none') : option(r.key));
  const table = (rows: RankRow[] | undefined, loading: boolean, name: (r: RankRow) => ReactNode) => (
    <Table<RankRow>
      size="small"
      rowKey="key"
      pagination={false}
      scroll={{ x: 'max-content' }}
      loading={loading}
      dataSource={rows ?? []}
      columns={rankColumns(value, measure, t, name)}
    />
  );
  return (
    <>
      <LoadError error={agents.error ?? overdue.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t('analytics.byAgent')}
            testId="by-agent"
            filters={filters}
            exportTable="agents"
            height={Math.max(200, 36 * (agents.data?.rows.length ?? 0) + 40)}
            chart={agents.data ? rankingOption(agents.data.rows, 'contractAmount', (r) => r.name) : null}
            table={table(agents.data?.rows, agents.loading, (r) => r.name)}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t('analytics.byChannel')}
            testId="by-channel"
            filters={filters}
            exportTable="channels"
            chart={channels.data ? shareOption(channels.data.rows, 'visits', keyName) : null}
            table={table(channels.data?.rows, channels.loading, keyName)}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t('analytics.byIntent')}
            testId="by-intent"
            filters={filters}
            exportTable="intents"
            chart={intents.data ? rankingOption(intents.data.rows, 'visitToContract', keyName) : null}
            table={table(intents.data?.rows, intents.loading, keyName)}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t('analytics.byProject')}
            testId="by-project"
            filters={filters}
            exportTable="projects"
            chart={projects.data ? rankingOption(projects.data.rows, 'contractAmount', (r) => projectName(r.key)) : null}
            table={table(projects.data?.rows, projects.loading, (r) => projectName(r.key))}
          />
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title={`${t('analytics.overdue')} (${overdue.data?.total ?? 0})`}
            data-testid="overdue"
            extra={
              <Space wrap size={4}>
                {(overdue.data?.byAgent ?? []).map((a) => (
                  <Tag key={a.agentId} color="red">
                    {a.name} {a.overdue}
                  </Tag>
                ))}
              </Space>
            }
          >
            <Table
              size="small"
              rowKey="customerId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={overdue.data?.customers ?? []}
              columns={[
                {
                  title: t('customers.name'),
                  dataIndex: 'name',
                  render: (n: string, c) => <a href={href(`/customers/${c.customerId}`)}>{n}</a>,
                },
                {
                  title: t('customers.owner'),
                  dataIndex: 'agentId',
                  render: (id: string) => overdue.data?.byAgent.find((a) => a.agentId === id)?.name ?? '',
                },
                { title: t('customers.stage'), dataIndex: 'stage', render: (s: string) => t(`customers.stages.${s}`) },
                { title: t('customers.class'), dataIndex: 'intent', render: (v: string | null) => (v ? option(v) : '—') },
                { title: t('analytics.daysOverdue'), dataIndex: 'daysOverdue' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

interface LayoutRow {
  layout: string;
  units: number;
  soldUnits: number;
  unitSellThrough: number | null;
  contractAmount: number;
  avgListPricePerM2: number | null;
  priceVsList: number | null;
}

/** Sell-through, unit types, the heat map, targets against actuals and the forecast. */
function Inventory({ filters, value, projectName }: { filters: Filters; value: ValueFn; projectName: (id: string) => string }) {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const inventory = useApi(['/api/analytics/inventory', filters.projectId], () =>
    api.get<{
      total: Figures & { unitSellThrough: number | null; amountSellThrough: number | null; priceVsList: number | null };
      layouts: LayoutRow[];
      best: LayoutRow[];
      worst: LayoutRow[];
      heatmap: HeatCell[];
    }>('/api/analytics/inventory', { projectId: filters.projectId }),
  );
  const forecast = useApi(['/api/analytics/forecast', filters.projectId], () =>
    api.get<{
      weeks: number;
      rate: { units: { expected: number; low: number; high: number }; amount: { expected: number; low: number; high: number } };
      remainingUnits: number;
      sellOut: { expected: string | null; earliest: string | null; latest: string | null };
      period: { from: string; to: string; signedAmount: number; amount: { expected: number; low: number; high: number } };
    }>('/api/analytics/forecast', { projectId: filters.projectId }),
  );
  const total = inventory.data?.total;
  const money = (v: number) => formatMoney(v, settings, language);
  const f = forecast.data;
  const buildings = new Set((inventory.data?.heatmap ?? []).map((c) => c.building)).size;
  return (
    <>
      <LoadError error={inventory.error ?? forecast.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('analytics.sellThrough')} data-testid="sell-through">
            <Space wrap size={32}>
              <Statistic title={t('analytics.unitsSold')} value={total ? `${total.soldUnits} / ${total.units}` : '—'} />
              <Statistic title={t('analytics.unitSellThrough')} value={percent(total?.unitSellThrough)} />
              <Statistic title={t('analytics.amountSellThrough')} value={percent(total?.amountSellThrough)} />
              <Statistic title={t('analytics.priceVsList')} value={percent(total?.priceVsList)} />
            </Space>
            <Muted block style={{ marginTop: 12 }}>
              {inventory.data && !inventory.data.best.length
                ? t('analytics.notEnoughSales')
                : t('analytics.bestWorst', {
                    best: (inventory.data?.best ?? []).map((l) => `${l.layout} ${percent(l.unitSellThrough)}`).join('、') || '—',
                    worst: (inventory.data?.worst ?? []).map((l) => `${l.layout} ${percent(l.unitSellThrough)}`).join('、') || '—',
                  })}
            </Muted>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('analytics.forecast')} data-testid="forecast">
            {f && (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('analytics.rate')}>
                  {t('analytics.rateValue', { expected: f.rate.units.expected, low: f.rate.units.low, high: f.rate.units.high })}
                </Descriptions.Item>
                <Descriptions.Item label={t('analytics.remaining')}>{f.remainingUnits}</Descriptions.Item>
                <Descriptions.Item label={t('analytics.sellOut')}>
                  {f.sellOut.expected
                    ? t('analytics.sellOutValue', {
                        expected: f.sellOut.expected,
                        earliest: f.sellOut.earliest ?? '—',
                        latest: f.sellOut.latest ?? t('analytics.notInSight'),
                      })
                    : t('analytics.notInSight')}
                </Descriptions.Item>
                <Descriptions.Item label={t('analytics.periodAmount', { from: f.period.from, to: f.period.to })}>
                  {t('analytics.amountRange', {
                    expected: money(f.period.amount.expected),
                    low: money(f.period.amount.low),
                    high: money(f.period.amount.high),
                  })}
                </Descriptions.Item>
              </Descriptions>
            )}
            <Muted block>{t('analytics.forecastMethod', { weeks: f?.weeks ?? 12 })}</Muted>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t('analytics.layouts')}
            testId="layouts"
            filters={filters}
            exportTable="layouts"
            chart={
              inventory.data
                ? rankingOption(
                    inventory.data.layouts.map((l) => ({ ...l, key: l.layout, name: l.layout })),
                    'soldUnits',
                    (r) => r.name,
                  )
                : null
            }
            table={
              <Table<LayoutRow>
                size="small"
                rowKey="layout"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={inventory.data?.layouts ?? []}
                columns={[
                  { title: t('analytics.layout'), dataIndex: 'layout' },
                  { title: t('analytics.unitsSold'), key: 'sold', render: (_, l) => `${l.soldUnits} / ${l.units}` },
                  { title: t('analytics.unitSellThrough'), dataIndex: 'unitSellThrough', render: percent },
                  {
                    title: t('analytics.measures.contractAmount'),
                    dataIndex: 'contractAmount',
                    render: (v: number) => value('contractAmount', v),
                  },
                  {
                    title: t('analytics.avgListPricePerM2'),
                    dataIndex: 'avgListPricePerM2',
                    render: (v: number | null) => (v === null ? '—' : money(v)),
                  },
                  { title: t('analytics.priceVsList'), dataIndex: 'priceVsList', render: percent },
                ]}
              />
            }
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t('analytics.heatmap')}
            testId="heatmap"
            filters={filters}
            exportTable="heatmap"
            height={Math.max(240, 22 * new Set((inventory.data?.heatmap ?? []).map((c) => c.floor)).size + 100)}
            chart={inventory.data && buildings ? heatmapOption(inventory.data.heatmap, { sold: t('analytics.sold') }) : null}
            table={
              <Table<HeatCell>
                size="small"
                rowKey={(c) => `${c.projectId}/${c.building}/${c.floor}`}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                dataSource={inventory.data?.heatmap ?? []}
                columns={[
                  { title: t('common.project'), dataIndex: 'projectId', render: projectName },
                  { title: t('analytics.building'), dataIndex: 'building' },
                  { title: t('analytics.floor'), dataIndex: 'floor' },
                  { title: t('analytics.unitsSold'), key: 'sold', render: (_, c) => `${c.soldUnits} / ${c.units}` },
                  { title: t('analytics.unitSellThrough'), dataIndex: 'unitSellThrough', render: percent },
                ]}
              />
            }
          />
        </Col>
        <Col xs={24}>
          <Phases filters={filters} value={value} />
        </Col>
      </Row>
    </>
  );
}

/**
 * Phase by phase (阶段对比): each phase of the project's launch against its plan
 * target and the phase before — how the GM and management compare phases.
 */
function Phases({ filters, value }: { filters: Filters; value: ValueFn }) {
  const { t } = useLabels();
  const projectId = filters.projectId;
  const phases = useApi(projectId ? ['/api/analytics/phases', projectId] : null, () =>
    api.get<{ launchId: string | null; phases: PhaseData[] }>('/api/analytics/phases', { projectId }),
  );
  const label = (p: PhaseData) =>
    p.name ? t('analytics.phaseLabel', { n: p.phase, name: p.name }) : t('analytics.phaseN', { n: p.phase });
  const rows = phases.data?.phases ?? [];
  if (!projectId) return <Muted block>{t('analytics.chooseProject')}</Muted>;
  return (
    <>
      <LoadError error={phases.error} />
      <ChartCard
        title={t('analytics.phases')}
        testId="phases"
        filters={filters}
        exportTable="phases"
        chart={
          rows.length > 0
            ? phasesOption(rows, {
                label,
                visits: t('analytics.measures.visits'),
                contracts: t('analytics.measures.contracts'),
                targetUnits: t('analytics.targetUnits'),
                contractAmount: t('analytics.measures.contractAmount'),
              })
            : null
        }
        table={
          <Table<PhaseData>
            size="small"
            rowKey="phase"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={rows}
            locale={{ emptyText: phases.data ? t('analytics.noLaunch') : t('common.empty') }}
            columns={[
              {
                title: t('analytics.phase'),
                key: 'phase',
                render: (_, p) => (
                  <Space size={4}>
                    {label(p)}
                    {p.current && <Tag color="processing">{t('analytics.phaseCurrent')}</Tag>}
                  </Space>
                ),
              },
              { title: t('analytics.phasePeriod'), key: 'period', render: (_, p) => `${p.from} ~ ${p.to}` },
              ...(['visits', 'intents', 'subscriptions', 'contracts', 'contractAmount'] as const).map((m) => ({
                title: t(`analytics.measures.${m}`),
                key: m,
                render: (_: unknown, p: PhaseData) => value(m, p.figures[m]),
              })),
              { title: t('analytics.visitToContract'), key: 'conversion', render: (_, p) => percent(p.visitToContract) },
              { title: t('analytics.targetUnits'), key: 'target', render: (_, p) => value('contracts', p.target?.units) },
              { title: t('analytics.achievedUnits'), key: 'achievedUnits', render: (_, p) => percent(p.achieved?.units) },
              { title: t('analytics.achievedAmount'), key: 'achievedAmount', render: (_, p) => percent(p.achieved?.amount) },
              {
                title: t('analytics.vsPrevious'),
                key: 'change',
                render: (_, p) => <ChangeTag change={p.change?.contracts} show={(v) => value('contracts', v)} />,
              },
            ]}
          />
        }
      />
    </>
  );
}

/** A report's figures against the previous period and the month's target. */
interface Report {
  kind: string;
  project: { id: string; name: string };
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  figures: Figures;
  previous: Figures;
  change: Record<string, { delta: number; ratio: number | null }>;
  funnel: FunnelStepData[];
  monthTarget: { target: Figures; actual: Figures; achieved: Record<string, number | null> } | null;
  agents: RankRow[];
  channels: RankRow[];
}

/** The caller's subscription to the project's report of one kind: a switch; the report then arrives as a notification. */
function ReportSubscription({ projectId, kind }: { projectId: string; kind: ReportKind }) {
  const { t } = useLabels();
  const message = useMessage();
  const subs = useApi(['/api/analytics/report-subscriptions'], () =>
    api.get<{ projectId: string; kind: string }[]>('/api/analytics/report-subscriptions'),
  );
  const [busy, setBusy] = useState(false);
  const on = subs.data?.some((s) => s.projectId === projectId && s.kind === kind) ?? false;
  const toggle = async (subscribed: boolean) => {
    setBusy(true);
    try {
      await api.put('/api/analytics/report-subscriptions', { projectId, kind, subscribed });
      message.success(t(subscribed ? 'analytics.subscribed' : 'analytics.unsubscribed'));
      subs.reload();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const label = t('analytics.subscribe', { kind: t(`analytics.reportKinds.${kind}`) });
  return (
    <Space size={8}>
      <Switch
        checked={on}
        loading={busy || subs.loading}
        onChange={(v) => void toggle(v)}
        aria-label={label}
        data-testid="report-subscription"
      />
      <span>{label}</span>
    </Space>
  );
}

/** 日报 / 周报 / 月报 / 季报 / 年报: on screen, printable, exportable. */
function Reports({ projectId, value, measure }: { projectId?: string; value: ValueFn; measure: (m: string) => string }) {
  const { t, option } = useLabels();
  const [kind, setKind] = useState<ReportKind>('daily');
  const [day, setDay] = useState<Dayjs>(dayjs());
  const save = useExport();
  const download = useDownload();
  const savePdf = (project: string) =>
    download(`/api/analytics/reports/${kind}/pdf`, { projectId: project, date: day.format('YYYY-MM-DD') });
  const report = useApi(projectId ? ['/api/analytics/reports', projectId, kind, day.format('YYYY-MM-DD')] : null, () =>
    api.get<Report>(`/api/analytics/reports/${kind}`, { projectId, date: day.format('YYYY-MM-DD') }),
  );
  const r = report.data;
  const rows = [
    'visits',
    'registrations',
    'intents',
    'followUps',
    'subscriptions',
    'contracts',
    'contractAmount',
    'paidAmount',
    'cancellations',
    'refundAmount',
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }} className="no-print">
        <Segmented
          value={kind}
          onChange={(k) => setKind(k as typeof kind)}
          options={REPORT_KINDS.map((k) => ({ value: k, label: t(`analytics.reportKinds.${k}`) }))}
        />
        <DatePicker aria-label={t('analytics.reportDate')} value={day} allowClear={false} onChange={(d) => d && setDay(d)} />
        <Button onClick={() => window.print()}>{t('common.print')}</Button>
        {projectId && (
          <Button onClick={() => void savePdf(projectId)} data-testid="report-pdf">
            PDF
          </Button>
        )}
        {projectId &&
          (['xlsx', 'csv'] as const).map((format) => (
            <Button key={format} onClick={() => void save({ projectId, to: day.format('YYYY-MM-DD'), table: `report-${kind}` }, format)}>
              {format.toUpperCase()}
            </Button>
          ))}
        {projectId && <ReportSubscription projectId={projectId} kind={kind} />}
      </Space>
      <LoadError error={report.error} />
      {r && (
        <Card
          size="small"
          data-testid="report"
          title={t('analytics.reportTitle', {
            project: r.project.name,
            kind: t(`analytics.reportKinds.${r.kind}`),
            from: r.period.from,
            to: r.period.to,
          })}
        >
          <Table
            size="small"
            rowKey="m"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={rows.map((m) => ({ m }))}
            columns={[
              { title: t('analytics.measure'), dataIndex: 'm', render: measure },
              { title: t('analytics.thisPeriod'), key: 'now', render: (_, { m }) => value(m, r.figures[m]) },
              {
                title: t('analytics.previous', { from: r.previousPeriod.from, to: r.previousPeriod.to }),
                key: 'before',
                render: (_, { m }) => value(m, r.previous[m]),
              },
              {
                title: t('analytics.change'),
                key: 'change',
                render: (_, { m }) => <ChangeTag change={r.change[m]} show={(v) => value(m, v)} />,
              },
              {
                title: t('analytics.monthTarget'),
                key: 'target',
                render: (_, { m }) => {
                  const key = m === 'contracts' ? 'units' : m === 'contractAmount' ? 'amount' : m;
                  const goal = r.monthTarget?.target[key];
                  return goal === undefined
                    ? '—'
                    : `${value(m, r.monthTarget?.actual[key])} / ${value(m, goal)} (${percent(r.monthTarget?.achieved[key])})`;
                },
              },
            ]}
          />
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} md={12}>
              <Muted block>{t('analytics.byAgent')}</Muted>
              {r.agents.map((a) => (
                <div key={a.key}>
                  {String(a.rank)}. {a.name} · {value('contracts', Number(a.contracts))} ·{' '}
                  {value('contractAmount', Number(a.contractAmount))}
                </div>
              ))}
            </Col>
            <Col xs={24} md={12}>
              <Muted block>{t('analytics.byChannel')}</Muted>
              {r.channels.map((c) => (
                <div key={c.key}>
                  {c.key ? option(c.key) : t('analytics.none')} · {value('visits', Number(c.visits))} ·{' '}
                  {value('contracts', Number(c.contracts))}
                </div>
              ))}
            </Col>
          </Row>
        </Card>
      )}
    </>
  );
}
