/**
 * An 统计分析 chart drawn by ECharts. This module is reached only through AnalyticsChart's React.lazy, so it and the
 * parts of ECharts it registers (tree-shaken from `echarts/core`) are one chunk that the browser fetches when the page
 * first shows a chart — never part of the admin console's first load, and never reachable from the widget.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ChartOption } from '../charts/chart-kit.ts';

// SVG rather than canvas: a few hundred points at most, sharp text at any zoom, and it draws where there is no canvas
use([BarChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface EChartProps {
  /** The chart's accessible name, a summary of its figures. */
  label: string;
  option: ChartOption;
  height: number;
}

/** Draws `option`, again whenever it changes; follows its element's size; lets ECharts go on unmount. */
export function EChart({ label, option, height }: EChartProps) {
  const surface = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const el = surface.current;
    if (!el) return;
    // ECharts' Chinese texts whatever the browser's language
    const c = init(el, null, { renderer: 'svg', locale: 'ZH' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a series or category that is gone from the figures must go from the chart
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  // One image, one name. ECharts' aria option (on in every option) puts role="img" and the same summary on its drawing
  // surface, but the surface is hidden from assistive technology: Chrome reads an image's SVG text (axis ticks,
  // legend) and its tooltips as loose words after the name. The surface's content is ECharts' own; React renders none.
  return (
    <div role="img" aria-label={label} style={{ height, marginBottom: 8 }}>
      <div ref={surface} aria-hidden="true" style={{ height: '100%' }} />
    </div>
  );
}
