import { formatRate, formatSeconds } from '../analytics-format.ts';
import type { AnalyticsOf } from '../api/analytics-api.ts';
import { agentHandledChart, agentHourlyChart } from '../charts/agent-charts.ts';
import { AnalyticsChart } from './AnalyticsChart.tsx';
import { FigureTable } from './FigureTable.tsx';

/** 坐席: each agent's workload and quality, and the load over the hours of the day. */
export function AgentsView({ a }: { a: AnalyticsOf<'agents'> }) {
  return (
    <>
      <FigureTable
        heading="坐席工作量"
        chart={<AnalyticsChart chart={agentHandledChart} figures={a} />}
        rowKey="staffId"
        dataSource={a.agents}
        columns={[
          { title: '坐席', dataIndex: 'name' },
          { title: '接待会话', dataIndex: 'handled' },
          { title: '首次响应（中位数）', dataIndex: 'firstResponseP50Seconds', render: formatSeconds },
          { title: '平均处理时长', dataIndex: 'handlingAvgSeconds', render: formatSeconds },
          { title: '评价数', dataIndex: 'ratings' },
          { title: '平均评分', dataIndex: 'avgScore', render: (v: number | null) => v ?? '—' },
          { title: '满意率', dataIndex: 'satisfiedRate', render: formatRate },
        ]}
      />
      <FigureTable
        heading="各时段平均同时接待会话数"
        chart={<AnalyticsChart chart={agentHourlyChart} figures={a} />}
        rowKey="hour"
        dataSource={a.hourly}
        scroll={{ y: 240 }}
        columns={[
          { title: '时段', dataIndex: 'hour', render: (h: number) => `${h}:00–${h + 1}:00` },
          { title: '平均同时接待会话数', dataIndex: 'avgConcurrent' },
        ]}
      />
    </>
  );
}
