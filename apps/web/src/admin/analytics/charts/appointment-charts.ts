/** 预约 charts: bookings and their outcomes by day. */
import type { TAppointmentAnalytics } from '@zhengna/contracts';
import type { BarSeriesOption } from 'echarts/charts';
import { type ChartOf, cartesian, countAxis, dateAxis, inRange, rateClause } from './chart-kit.ts';

export const appointmentDailyChart: ChartOf<TAppointmentAnalytics> = (a, t) => {
  const x = a.totals;
  const label =
    `预约按日图表，${inRange(a.range)}：预约 ${x.booked} 个，已完成 ${x.completed} 个，失约 ${x.noShow} 个，` +
    `已取消 ${x.cancelled} 个${rateClause('失约率', x.noShowRate)}。`;
  const bar = (
    name: string,
    color: string,
    pick: (d: TAppointmentAnalytics['days'][number]) => number,
  ): BarSeriesOption => ({
    type: 'bar',
    name,
    stack: 'outcome',
    barMaxWidth: 32,
    itemStyle: { color },
    data: a.days.map(pick),
  });
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
        bar('已完成', t.success, (d) => d.completed),
        bar('失约', t.error, (d) => d.noShow),
        bar('已取消', t.neutral, (d) => d.cancelled),
        { type: 'line', name: '预约数', itemStyle: { color: t.primary }, data: a.days.map((d) => d.booked) },
      ],
    },
  };
};
