/** 转人工 charts: by trigger reason, and by day with the queue wait. */
import type { THandoffAnalytics } from '@zhengna/contracts';
import type { LineSeriesOption } from 'echarts/charts';
import { formatSeconds, handoffReasonLabel } from '../analytics-format.ts';
import { busiestDay, type ChartOf, cartesian, countAxis, dateAxis, inRange, secondsOf } from './chart-kit.ts';

export const handoffReasonChart: ChartOf<THandoffAnalytics> = (a, t) => {
  const rows = [...a.byReason].sort((x, y) => y.count - x.count);
  const label =
    rows.length === 0
      ? '按触发原因的转人工图表：统计范围内没有转人工。'
      : `按触发原因的转人工图表：${rows.map((r) => `${handoffReasonLabel(r.reason)} ${r.count} 次`).join('，')}。`;
  return {
    label,
    height: Math.max(160, 48 + rows.length * 32),
    option: {
      ...cartesian(label, t),
      grid: { left: 8, right: 40, top: 8, bottom: 8 },
      legend: { show: false },
      // the biggest reason on top
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => handoffReasonLabel(r.reason)),
        axisLabel: { color: t.text },
        axisLine: { lineStyle: { color: t.border } },
      },
      xAxis: countAxis(t),
      series: [
        {
          type: 'bar',
          name: '转人工次数',
          barMaxWidth: 24,
          itemStyle: { color: t.primary },
          label: { show: true, position: 'right', color: t.text },
          data: rows.map((r) => r.count),
        },
      ],
    },
  };
};

export const handoffDailyChart: ChartOf<THandoffAnalytics> = (a, t) => {
  const { handoffs, waitP50Seconds, waitP90Seconds } = a.totals;
  const busiest = busiestDay(a.days, (d) => d.handoffs);
  const label =
    `转人工按日图表，${inRange(a.range)}：转人工 ${handoffs} 次` +
    (waitP50Seconds === null
      ? '，没有接入记录可计算排队等待'
      : `，排队等待中位数 ${formatSeconds(waitP50Seconds)}、P90 ${formatSeconds(waitP90Seconds)}`) +
    (busiest ? `；转人工最多的一天是 ${busiest.date}（${busiest.handoffs} 次）` : '') +
    '。';
  const wait = (name: string, color: string, pick: (d: THandoffAnalytics['days'][number]) => number | null) =>
    ({
      type: 'line',
      name,
      yAxisIndex: 1,
      itemStyle: { color },
      tooltip: { valueFormatter: secondsOf },
      data: a.days.map(pick),
    }) satisfies LineSeriesOption;
  return {
    label,
    option: {
      ...cartesian(label, t),
      xAxis: dateAxis(
        a.days.map((d) => d.date),
        t,
      ),
      yAxis: [
        countAxis(t, '转人工（次）'),
        {
          type: 'value',
          name: '排队等待（秒）',
          nameTextStyle: { color: t.textSecondary },
          axisLabel: { color: t.textSecondary },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          type: 'bar',
          name: '转人工',
          barMaxWidth: 32,
          itemStyle: { color: t.primary },
          data: a.days.map((d) => d.handoffs),
        },
        wait('等待中位数', t.success, (d) => d.waitP50Seconds),
        wait('等待 P90', t.warning, (d) => d.waitP90Seconds),
      ],
    },
  };
};
