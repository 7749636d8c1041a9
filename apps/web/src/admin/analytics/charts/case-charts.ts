/** 留言 / 工单 charts: new ones by day, and how many were finished by the deadline. */
import type { TCaseAnalytics } from '@zhengna/contracts';
import type { BarSeriesOption } from 'echarts/charts';
import { formatRate } from '../analytics-format.ts';
import { busiestDay, type ChartOf, cartesian, countAxis, dateAxis, inRange, rateClause } from './chart-kit.ts';

export const caseDailyChart: ChartOf<TCaseAnalytics> = (a, t) => {
  const busiest = busiestDay(a.days, (d) => d.inquiries + d.workOrders);
  const label =
    `留言与工单按日图表，${inRange(a.range)}：新增留言 ${a.inquiries.created} 条，新增工单 ${a.workOrders.created} 个` +
    (busiest ? `；最多的一天是 ${busiest.date}（留言 ${busiest.inquiries} 条、工单 ${busiest.workOrders} 个）` : '') +
    '。';
  return {
    label,
    option: {
      ...cartesian(label, t),
      xAxis: dateAxis(
        a.days.map((d) => d.date),
        t,
      ),
      yAxis: countAxis(t),
      series: [
        {
          type: 'bar',
          name: '新增留言',
          barMaxWidth: 24,
          itemStyle: { color: t.primary },
          data: a.days.map((d) => d.inquiries),
        },
        {
          type: 'bar',
          name: '新增工单',
          barMaxWidth: 24,
          itemStyle: { color: t.accent },
          data: a.days.map((d) => d.workOrders),
        },
      ],
    },
  };
};

/** The rows of the 按期情况 chart and of the table under it. */
export const caseOnTimeRows = (a: TCaseAnalytics) => [
  { kind: '留言', ...a.inquiries },
  { kind: '工单', ...a.workOrders },
];

export const caseOnTimeChart: ChartOf<TCaseAnalytics> = (a, t) => {
  const i = a.inquiries;
  const w = a.workOrders;
  const label =
    `留言与工单按期情况图表：留言已答复 ${i.finished} 条，其中按期 ${i.onTime} 条${rateClause('按期答复率', i.onTimeRate)}，` +
    `逾期未答复 ${i.overdueOpen} 条；工单已办结 ${w.finished} 个，其中按期 ${w.onTime} 个` +
    `${rateClause('按期办结率', w.onTimeRate)}，逾期未办结 ${w.overdueOpen} 个。`;
  const rows = caseOnTimeRows(a);
  const bar = (name: string, color: string, pick: (r: (typeof rows)[number]) => number): BarSeriesOption => ({
    type: 'bar',
    name,
    barMaxWidth: 28,
    itemStyle: { color },
    label: { show: true, position: 'top', color: t.text },
    data: rows.map(pick),
  });
  return {
    label,
    option: {
      ...cartesian(label, t),
      xAxis: {
        type: 'category',
        data: rows.map((r) => (r.onTimeRate === null ? r.kind : `${r.kind}（按期率 ${formatRate(r.onTimeRate)}）`)),
        axisLabel: { color: t.text },
        axisLine: { lineStyle: { color: t.border } },
      },
      yAxis: countAxis(t),
      series: [
        bar('新增', t.primary, (r) => r.created),
        bar('已答复 / 办结', t.accent, (r) => r.finished),
        bar('按期', t.success, (r) => r.onTime),
        bar('逾期未办', t.error, (r) => r.overdueOpen),
      ],
    },
  };
};
