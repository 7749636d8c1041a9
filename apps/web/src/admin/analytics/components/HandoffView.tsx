import { formatRate, formatSeconds, handoffReasonLabel } from '../analytics-format.ts';
import type { AnalyticsOf } from '../api/analytics-api.ts';
import { handoffDailyChart, handoffReasonChart } from '../charts/handoff-charts.ts';
import { AnalyticsChart } from './AnalyticsChart.tsx';
import { Figures } from './Figures.tsx';
import { FigureTable } from './FigureTable.tsx';

/** 转人工: how often and why taxpayers asked for a human, and how long they waited. */
export function HandoffView({ a }: { a: AnalyticsOf<'handoff'> }) {
  const t = a.totals;
  return (
    <>
      <Figures
        items={[
          { title: '转人工', value: t.handoffs },
          { title: '转人工率', value: formatRate(t.handoffRate) },
          { title: '排队等待（中位数）', value: formatSeconds(t.waitP50Seconds) },
          { title: '排队等待（P90）', value: formatSeconds(t.waitP90Seconds) },
          { title: '放弃排队率', value: formatRate(t.abandonRate) },
          {
            title: '未接入 → 留言 / 预约',
            value: `${t.unserved} → ${t.inquiryConversions} / ${t.appointmentConversions}`,
          },
        ]}
      />
      <FigureTable
        heading="按触发原因"
        chart={<AnalyticsChart chart={handoffReasonChart} figures={a} />}
        rowKey="reason"
        dataSource={a.byReason}
        columns={[
          { title: '原因', dataIndex: 'reason', render: handoffReasonLabel },
          { title: '次数', dataIndex: 'count' },
          { title: '占会话比例', dataIndex: 'rate', render: formatRate },
        ]}
      />
      <FigureTable
        heading="按日"
        chart={<AnalyticsChart chart={handoffDailyChart} figures={a} />}
        rowKey="date"
        dataSource={a.days}
        scroll={{ y: 360 }}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '会话数', dataIndex: 'conversations' },
          { title: '转人工', dataIndex: 'handoffs' },
          { title: '已接入', dataIndex: 'assigned' },
          { title: '放弃排队', dataIndex: 'abandoned' },
          { title: '等待中位数', dataIndex: 'waitP50Seconds', render: formatSeconds },
          { title: '等待 P90', dataIndex: 'waitP90Seconds', render: formatSeconds },
        ]}
      />
    </>
  );
}
