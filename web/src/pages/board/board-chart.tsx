import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import type { BarChartOption } from './chart-option';

// Only what this chart draws is registered: ECharts' core with bars on canvas.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

/** Renders an option computed elsewhere; loaded on demand (React.lazy) with ECharts itself. */
export default function BoardChart({ option, height }: { option: BarChartOption; height: number }) {
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height }} notMerge />;
}
