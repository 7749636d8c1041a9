/**
 * 统计分析's charts as data: for each chart, the ECharts option and the sentence that names it for screen readers,
 * both from the same figures (one file per section beside this one). Pure and free of ECharts' code (types only), so
 * the page names its charts before the ECharts chunk arrives and tests read the sentences without drawing anything.
 * This file holds what they share.
 */
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { formatRate, formatSeconds } from '../analytics-format.ts';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | AriaComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** Colours and type from the antd theme, and whether to animate (not when the user asks for reduced motion). */
export interface ChartTheme {
  primary: string;
  success: string;
  warning: string;
  error: string;
  /** A fifth series colour (工单 beside 留言). */
  accent: string;
  /** Outcomes that are neither good nor bad (已取消). */
  neutral: string;
  text: string;
  textSecondary: string;
  border: string;
  split: string;
  fontFamily: string;
  fontSize: number;
  animation: boolean;
}

export interface ChartSpec {
  /** The chart's accessible name: what a sighted reader takes from it, in one or two sentences. */
  label: string;
  option: ChartOption;
  /** Pixels; the default suits a day-by-day chart. */
  height?: number;
}

/** Builds one chart from a section's figures; a module-level constant, so AnalyticsChart can memoise on it. */
export type ChartOf<T> = (figures: T, theme: ChartTheme) => ChartSpec;

export function base(label: string, t: ChartTheme): ChartOption {
  return {
    animation: t.animation,
    // ECharts' own accessibility: this description on its drawing surface, as the page names the chart around it
    aria: { enabled: true, label: { description: label } },
    textStyle: { fontFamily: t.fontFamily, fontSize: t.fontSize, color: t.text },
    legend: { top: 0, textStyle: { color: t.text } },
  };
}

/** Base plus a grid with room for the legend above; the axes come from the chart. */
export function cartesian(label: string, t: ChartTheme): ChartOption {
  return {
    ...base(label, t),
    grid: { left: 8, right: 16, top: 40, bottom: 8 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  };
}

export const dateAxis = (dates: string[], t: ChartTheme) => ({
  type: 'category' as const,
  data: dates,
  // the year is in the range above the chart; the tooltip shows the whole date
  axisLabel: { color: t.textSecondary, formatter: (d: string) => d.slice(5) },
  axisLine: { lineStyle: { color: t.border } },
  axisTick: { alignWithLabel: true },
});

export const countAxis = (t: ChartTheme, name?: string) => ({
  type: 'value' as const,
  name,
  minInterval: 1,
  nameTextStyle: { color: t.textSecondary },
  axisLabel: { color: t.textSecondary },
  splitLine: { lineStyle: { color: t.split } },
});

export const sum = (xs: readonly number[]) => xs.reduce((n, x) => n + x, 0);

/** The day with the most of something, or null when there is none of it. */
export function busiestDay<D extends { date: string }>(days: readonly D[], count: (d: D) => number): D | null {
  let best: D | null = null;
  for (const d of days) if (count(d) > 0 && (!best || count(d) > count(best))) best = d;
  return best;
}

export const inRange = (r: { from: string; to: string }) => `${r.from} 至 ${r.to}`;
/** "，按期率 83.3%"; nothing when there is nothing to divide by (a screen reader would read "—" as a dash). */
export const rateClause = (name: string, v: number | null) => (v === null ? '' : `，${name} ${formatRate(v)}`);
export const secondsOf = (v: unknown) => formatSeconds(typeof v === 'number' ? v : null);
