/** 坐席 charts: conversations handled by each agent, and the load over the hours of the day. */
import type { TAgentAnalytics } from '@zhengna/contracts';
import { type ChartOf, cartesian, countAxis, sum } from './chart-kit.ts';

const NAMED_AGENTS = 10;

export const agentHandledChart: ChartOf<TAgentAnalytics> = (a, t) => {
  const rows = [...a.agents].sort((x, y) => y.handled - x.handled);
  const named = rows.slice(0, NAMED_AGENTS).map((r) => `${r.name} ${r.handled} 个`);
  const label =
    rows.length === 0
      ? '各坐席接待会话数图表：统计范围内没有坐席接待会话。'
      : `各坐席接待会话数图表：${named.join('，')}${rows.length > NAMED_AGENTS ? `，共 ${rows.length} 名坐席` : ''}。`;
  return {
    label,
    height: Math.max(160, 48 + rows.length * 28),
    option: {
      ...cartesian(label, t),
      grid: { left: 8, right: 40, top: 8, bottom: 8 },
      legend: { show: false },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.name),
        axisLabel: { color: t.text },
        axisLine: { lineStyle: { color: t.border } },
      },
      xAxis: countAxis(t),
      series: [
        {
          type: 'bar',
          name: '接待会话',
          barMaxWidth: 20,
          itemStyle: { color: t.primary },
          label: { show: true, position: 'right', color: t.text },
          data: rows.map((r) => r.handled),
        },
      ],
    },
  };
};

export const agentHourlyChart: ChartOf<TAgentAnalytics> = (a, t) => {
  const peak = a.hourly.reduce<TAgentAnalytics['hourly'][number] | null>(
    (best, h) => (h.avgConcurrent > 0 && (!best || h.avgConcurrent > best.avgConcurrent) ? h : best),
    null,
  );
  const mean = a.hourly.length ? sum(a.hourly.map((h) => h.avgConcurrent)) / a.hourly.length : 0;
  const label = peak
    ? `各时段平均同时接待会话数图表：高峰在 ${peak.hour} 时，平均同时接待 ${peak.avgConcurrent} 个会话；` +
      `全天各时段平均 ${mean.toFixed(2)} 个。`
    : '各时段平均同时接待会话数图表：统计范围内没有坐席接待会话。';
  return {
    label,
    option: {
      ...cartesian(label, t),
      legend: { show: false },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: a.hourly.map((h) => `${h.hour} 时`),
        axisLabel: { color: t.textSecondary },
        axisLine: { lineStyle: { color: t.border } },
      },
      yAxis: {
        type: 'value',
        name: '会话数',
        nameTextStyle: { color: t.textSecondary },
        axisLabel: { color: t.textSecondary },
        splitLine: { lineStyle: { color: t.split } },
      },
      series: [
        {
          type: 'line',
          name: '平均同时接待',
          smooth: true,
          itemStyle: { color: t.primary },
          areaStyle: { opacity: 0.15 },
          data: a.hourly.map((h) => h.avgConcurrent),
        },
      ],
    },
  };
};
