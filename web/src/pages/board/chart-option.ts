import type { BoardGroup } from '../../api/types';

/** The words the chart shows, already translated. */
export interface ChartLabels {
  open: string;
  overdue: string;
  escalated: string;
  /** The human name of a group's key (a role's name). */
  name: (key: string) => string;
}

/** The subset of an ECharts option this chart uses (kept structural so it is testable without ECharts). */
export interface BarChartOption {
  tooltip: { trigger: 'axis' };
  legend: { data: string[]; top: number };
  grid: { left: number; right: number; bottom: number; top: number; containLabel: boolean };
  xAxis: { type: 'value'; minInterval: number };
  yAxis: { type: 'category'; data: string[]; inverse: boolean };
  series: { name: string; type: 'bar'; data: number[]; itemStyle: { color: string } }[];
  aria: { enabled: boolean };
}

/**
 * Open work by role as horizontal bars: open, overdue and escalated side by side.
 * A pure function of the data, so the chart's content is tested without a browser.
 */
export function boardChartOption(groups: BoardGroup[], labels: ChartLabels): BarChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [labels.open, labels.overdue, labels.escalated], top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: groups.map((g) => labels.name(g.key)), inverse: true },
    series: [
      { name: labels.open, type: 'bar', data: groups.map((g) => g.open), itemStyle: { color: '#1d39c4' } },
      { name: labels.overdue, type: 'bar', data: groups.map((g) => g.overdue), itemStyle: { color: '#ff4d4f' } },
      { name: labels.escalated, type: 'bar', data: groups.map((g) => g.escalated), itemStyle: { color: '#fa8c16' } },
    ],
    aria: { enabled: true },
  };
}
