import { formatRate } from '../analytics-format.ts';
import type { AnalyticsOf } from '../api/analytics-api.ts';
import { appointmentDailyChart } from '../charts/appointment-charts.ts';
import { AnalyticsChart } from './AnalyticsChart.tsx';
import { Figures } from './Figures.tsx';
import { FigureTable } from './FigureTable.tsx';

/** 预约: bookings and their outcomes by the slot's date. */
export function AppointmentsView({ a }: { a: AnalyticsOf<'appointments'> }) {
  const t = a.totals;
  return (
    <>
      <Figures
        items={[
          { title: '预约数', value: t.booked },
          { title: '已完成', value: t.completed },
          { title: '失约', value: t.noShow },
          { title: '已取消', value: t.cancelled },
          { title: '失约率', value: formatRate(t.noShowRate) },
        ]}
      />
      <FigureTable
        heading="按日"
        chart={<AnalyticsChart chart={appointmentDailyChart} figures={a} />}
        rowKey="date"
        dataSource={a.days}
        scroll={{ y: 360 }}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '预约数', dataIndex: 'booked' },
          { title: '已完成', dataIndex: 'completed' },
          { title: '失约', dataIndex: 'noShow' },
          { title: '已取消', dataIndex: 'cancelled' },
        ]}
      />
    </>
  );
}
