// The analysis pages' charts as pure functions of the API's data and the words to
// show: what a chart draws is tested without a browser (test/unit/web.test.ts).

const BLUE = '#1d39c4';
const COLORS = ['#1d39c4', '#13c2c2', '#52c41a', '#faad14', '#fa541c', '#722ed1', '#eb2f96', '#8c8c8c'];

/** A funnel step as `GET /api/analytics/funnel` sends it. */
export interface FunnelStepData {
  stage: string;
  count: number;
  rate: number | null;
  overall: number | null;
}

/** The funnel as horizontal bars, widest first: exact counts read better as bars than as a trapezoid. */
export function funnelOption(steps: FunnelStepData[], name: (stage: string) => string) {
  return {
    color: [BLUE],
    tooltip: { trigger: 'axis' as const },
    grid: { left: 8, right: 48, bottom: 8, top: 8, containLabel: true },
    xAxis: { type: 'value' as const, minInterval: 1 },
    yAxis: { type: 'category' as const, inverse: true, data: steps.map((s) => name(s.stage)) },
    series: [
      {
        type: 'bar' as const,
        data: steps.map((s) => s.count),
        label: { show: true, position: 'right' as const },
      },
    ],
    aria: { enabled: true },
  };
}

/** A trend point: its period and every measure. */
export type TrendPoint = { period: string } & Record<string, number | string>;

/** Measures over time as lines, one per measure (counts on the left axis, amounts on the right). */
export function trendOption(points: TrendPoint[], counts: string[], amounts: string[], name: (measure: string) => string) {
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, data: [...counts, ...amounts].map(name) },
    grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: 'category' as const, data: points.map((p) => p.period) },
    yAxis: [
      { type: 'value' as const, minInterval: 1 },
      { type: 'value' as const, splitLine: { show: false } },
    ],
    series: [
      ...counts.map((m) => ({ name: name(m), type: 'line' as const, yAxisIndex: 0, data: points.map((p) => Number(p[m] ?? 0)) })),
      ...amounts.map((m) => ({ name: name(m), type: 'bar' as const, yAxisIndex: 1, data: points.map((p) => Number(p[m] ?? 0)) })),
    ],
    aria: { enabled: true },
  };
}

/** A ranked row of a breakdown. */
export type RankRow = { key: string; name: string } & Record<string, unknown>;

/** A ranking as horizontal bars of one measure, the first ranked on top. */
export function rankingOption(rows: RankRow[], measure: string, label: (row: RankRow) => string) {
  return {
    color: [BLUE],
    tooltip: { trigger: 'axis' as const },
    grid: { left: 8, right: 48, bottom: 8, top: 8, containLabel: true },
    xAxis: { type: 'value' as const },
    yAxis: { type: 'category' as const, inverse: true, data: rows.map(label) },
    series: [{ type: 'bar' as const, data: rows.map((r) => Number(r[measure] ?? 0)), label: { show: true, position: 'right' as const } }],
    aria: { enabled: true },
  };
}

/** A share as a ring: the rows' values of one measure. */
export function shareOption(rows: RankRow[], measure: string, label: (row: RankRow) => string) {
  return {
    color: COLORS,
    tooltip: { trigger: 'item' as const },
    legend: { bottom: 0, type: 'scroll' as const },
    series: [
      {
        type: 'pie' as const,
        radius: ['40%', '68%'],
        top: -24,
        data: rows.map((r) => ({ name: label(r), value: Number(r[measure] ?? 0) })),
      },
    ],
    aria: { enabled: true },
  };
}

/** A cell of the inventory's heat map. */
export interface HeatCell {
  projectId: string;
  building: string;
  floor: number;
  units: number;
  soldUnits: number;
  unitSellThrough: number | null;
}

/**
 * Sell-through by building (columns) and floor (rows, top floor up) as a heat map:
 * where the project sells and where it does not, as the sales office's wall chart.
 */
export function heatmapOption(cells: HeatCell[], labels: { sold: string }) {
  const buildings = [...new Set(cells.map((c) => c.building))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const floors = [...new Set(cells.map((c) => c.floor))].sort((a, b) => a - b);
  return {
    tooltip: { position: 'top' as const },
    grid: { left: 8, right: 8, bottom: 56, top: 8, containLabel: true },
    xAxis: { type: 'category' as const, data: buildings, splitArea: { show: true } },
    yAxis: { type: 'category' as const, data: floors.map(String), splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: 'horizontal' as const,
      left: 'center',
      bottom: 0,
      text: ['100%', `0% ${labels.sold}`],
      inRange: { color: ['#f0f5ff', '#85a5ff', BLUE] },
    },
    series: [
      {
        type: 'heatmap' as const,
        data: cells.map((c) => [
          buildings.indexOf(c.building),
          floors.indexOf(c.floor),
          c.unitSellThrough === null ? 0 : Math.round(c.unitSellThrough * 100),
        ]),
        label: { show: true, formatter: (p: { value: number[] }) => `${p.value[2]}%` },
      },
    ],
    aria: { enabled: true },
  };
}

/** One phase of a launch as `GET /api/analytics/phases` sends it. */
export interface PhaseData {
  phase: number;
  name: string | null;
  from: string;
  to: string;
  current: boolean;
  figures: Record<string, number>;
  visitToContract: number | null;
  target: { units: number | null; amount: number | null } | null;
  achieved: { units: number | null; amount: number | null } | null;
  change: Record<string, { delta: number; ratio: number | null }> | null;
}

/**
 * Phase by phase: visits, contracts and the plan's target units as bars side by side
 * (left axis), the contract amount as a line (right axis) — how each phase did
 * against its plan and against the phase before.
 */
export function phasesOption(
  phases: PhaseData[],
  words: { label: (p: PhaseData) => string; visits: string; contracts: string; targetUnits: string; contractAmount: string },
) {
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, data: [words.visits, words.contracts, words.targetUnits, words.contractAmount] },
    grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: 'category' as const, data: phases.map(words.label) },
    yAxis: [
      { type: 'value' as const, minInterval: 1 },
      { type: 'value' as const, splitLine: { show: false } },
    ],
    series: [
      { name: words.visits, type: 'bar' as const, yAxisIndex: 0, data: phases.map((p) => p.figures.visits ?? 0) },
      { name: words.contracts, type: 'bar' as const, yAxisIndex: 0, data: phases.map((p) => p.figures.contracts ?? 0) },
      // A phase the plan has no target for draws no bar (null), not a zero target.
      { name: words.targetUnits, type: 'bar' as const, yAxisIndex: 0, data: phases.map((p) => p.target?.units ?? null) },
      { name: words.contractAmount, type: 'line' as const, yAxisIndex: 1, data: phases.map((p) => p.figures.contractAmount ?? 0) },
    ],
    aria: { enabled: true },
  };
}
