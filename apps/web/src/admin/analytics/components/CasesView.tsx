import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { formatRate } from '../analytics-format.ts';
import type { AnalyticsOf } from '../api/analytics-api.ts';
import { caseDailyChart, caseOnTimeChart, caseOnTimeRows } from '../charts/case-charts.ts';
import { AnalyticsChart } from './AnalyticsChart.tsx';
import { Figures } from './Figures.tsx';
import { FigureTable } from './FigureTable.tsx';

/** 留言与工单: volumes by day, replies and completions by the deadline, and what is overdue now. */
export function CasesView({ a }: { a: AnalyticsOf<'cases'> }) {
  return (
    <>
      <Figures
        items={[
          { title: '新增留言', value: a.inquiries.created },
          { title: '留言按期答复率', value: formatRate(a.inquiries.onTimeRate) },
          { title: '逾期留言', value: a.inquiries.overdueOpen },
          { title: '新增工单', value: a.workOrders.created },
          { title: '工单按期办结率', value: formatRate(a.workOrders.onTimeRate) },
          { title: '逾期工单', value: a.workOrders.overdueOpen },
        ]}
      />
      <FigureTable
        heading="按日"
        chart={<AnalyticsChart chart={caseDailyChart} figures={a} />}
        rowKey="date"
        dataSource={a.days}
        scroll={{ y: 360 }}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '新增留言', dataIndex: 'inquiries' },
          { title: '新增工单', dataIndex: 'workOrders' },
        ]}
      />
      <FigureTable
        heading="按期情况"
        chart={<AnalyticsChart chart={caseOnTimeChart} figures={a} />}
        rowKey="kind"
        dataSource={caseOnTimeRows(a)}
        columns={[
          { title: '类别', dataIndex: 'kind' },
          { title: '新增', dataIndex: 'created' },
          { title: '已答复 / 办结', dataIndex: 'finished' },
          { title: '按期', dataIndex: 'onTime' },
          { title: '按期率', dataIndex: 'onTimeRate', render: formatRate },
          { title: '逾期未办', dataIndex: 'overdueOpen' },
        ]}
      />
      <FigureTable
        heading="逾期清单"
        rowKey="id"
        dataSource={a.overdue}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '类别', dataIndex: 'kind', render: (k: string) => (k === 'inquiry' ? '留言' : '工单') },
          { title: '编号', dataIndex: 'number', render: (n: string | null) => n ?? '—' },
          { title: '类型', dataIndex: 'type' },
          { title: '办理期限', dataIndex: 'dueAt', render: (d: string) => formatFullTime(d) },
          { title: '税务机关', dataIndex: 'officeName' },
          { title: '承办人', dataIndex: 'assigneeName', render: (n: string | null) => n ?? '未分配' },
        ]}
      />
    </>
  );
}
