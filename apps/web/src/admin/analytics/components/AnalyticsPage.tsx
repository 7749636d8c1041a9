import { HANDOFF_REASON_LABELS, type TAnalyticsSection, type TSkillGroup } from '@zhengna/contracts';
import type { TableProps } from 'antd';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { fetchSkillGroups, fetchTaxOffices, type TTaxOffice } from '../../organization/api/organization-api.ts';
import {
  ANALYTICS_SECTION_LABELS,
  type AnalyticsFilters,
  csvHref,
  formatRate,
  formatSeconds,
} from '../analytics-format.ts';
import { type AnalyticsOf, fetchAnalytics } from '../api/analytics-api.ts';

interface FormValues {
  range?: [Dayjs, Dayjs] | null;
  officeId?: string;
  groupId?: string;
}

const SECTIONS = Object.keys(ANALYTICS_SECTION_LABELS) as TAnalyticsSection[];

function Figures({ items }: { items: { title: string; value: ReactNode }[] }) {
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
      {items.map((x) => (
        <Col key={x.title} xs={12} sm={8} lg={6} xl={4}>
          <Card size="small">
            <Statistic title={x.title} value={x.value as string | number} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

const Block = ({ title, children }: { title: string; children: ReactNode }) => (
  <section style={{ marginBottom: 16 }}>
    <Typography.Title level={3} style={{ fontSize: 16 }}>
      {title}
    </Typography.Title>
    {children}
  </section>
);

/** A titled table of figures; the title also names the table for screen readers. */
function FigureTable<T extends object>({ heading, ...table }: { heading: string } & Omit<TableProps<T>, 'title'>) {
  return (
    <Block title={heading}>
      <Table<T> size="small" pagination={false} aria-label={heading} {...table} />
    </Block>
  );
}

function BotView({ a }: { a: AnalyticsOf<'bot'> }) {
  const t = a.totals;
  return (
    <>
      <Figures
        items={[
          { title: '会话数', value: t.conversations },
          { title: '回答率', value: formatRate(t.answeredRate) },
          { title: '澄清率', value: formatRate(t.clarifiedRate) },
          { title: '未回答率', value: formatRate(t.noAnswerRate) },
          { title: '有用 / 没用', value: `${t.helpful} / ${t.unhelpful}` },
          { title: '有用率', value: formatRate(t.helpfulRate) },
        ]}
      />
      <FigureTable
        heading="按日"
        rowKey="date"
        dataSource={a.days}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '会话数', dataIndex: 'conversations' },
          { title: '已回答', dataIndex: 'answered' },
          { title: '澄清', dataIndex: 'clarified' },
          { title: '未找到答案', dataIndex: 'noAnswer' },
          { title: '有用', dataIndex: 'helpful' },
          { title: '没用', dataIndex: 'unhelpful' },
        ]}
        scroll={{ y: 360 }}
      />
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <FigureTable
            heading="热门问题"
            rowKey="entryId"
            dataSource={a.topQuestions}
            columns={[
              { title: '问题', dataIndex: 'question' },
              { title: '次数', dataIndex: 'count', width: 80 },
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <FigureTable
            heading="热门未回答问题"
            rowKey="question"
            dataSource={a.topUnanswered}
            columns={[
              { title: '问题', dataIndex: 'question' },
              { title: '次数', dataIndex: 'count', width: 80 },
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <FigureTable
            heading="问题条目（多次没用）"
            rowKey="entryId"
            dataSource={a.problemEntries}
            columns={[
              { title: '条目', dataIndex: 'question' },
              { title: '有用', dataIndex: 'helpful', width: 64 },
              { title: '没用', dataIndex: 'unhelpful', width: 64 },
            ]}
          />
        </Col>
      </Row>
    </>
  );
}

function HandoffView({ a }: { a: AnalyticsOf<'handoff'> }) {
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
        rowKey="reason"
        dataSource={a.byReason}
        columns={[
          {
            title: '原因',
            dataIndex: 'reason',
            render: (r: string) => HANDOFF_REASON_LABELS[r as keyof typeof HANDOFF_REASON_LABELS] ?? '其他',
          },
          { title: '次数', dataIndex: 'count' },
          { title: '占会话比例', dataIndex: 'rate', render: formatRate },
        ]}
      />
      <FigureTable
        heading="按日"
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

function AgentsView({ a }: { a: AnalyticsOf<'agents'> }) {
  const peak = Math.max(0.01, ...a.hourly.map((h) => h.avgConcurrent));
  return (
    <>
      <FigureTable
        heading="坐席工作量"
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
      <Block title="各时段平均同时接待会话数">
        <Flex align="flex-end" gap={4} style={{ height: 140 }} role="img" aria-label="各时段平均同时接待会话数">
          {a.hourly.map((h) => (
            <Flex key={h.hour} vertical align="center" style={{ flex: 1 }} title={`${h.hour} 时：${h.avgConcurrent}`}>
              <div
                style={{ width: '100%', background: '#1456c7', height: Math.round((h.avgConcurrent / peak) * 110) }}
              />
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {h.hour}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      </Block>
    </>
  );
}

function CasesView({ a }: { a: AnalyticsOf<'cases'> }) {
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
        heading="逾期清单"
        rowKey="id"
        dataSource={a.overdue}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '类别', dataIndex: 'kind', render: (k: string) => (k === 'inquiry' ? '留言' : '工单') },
          { title: '编号', dataIndex: 'number', render: (n: string | null) => n ?? '—' },
          { title: '类型', dataIndex: 'type' },
          { title: '办理期限', dataIndex: 'dueAt', render: (d: string) => new Date(d).toLocaleString('zh-CN') },
          { title: '税务机关', dataIndex: 'officeName' },
          { title: '承办人', dataIndex: 'assigneeName', render: (n: string | null) => n ?? '未分配' },
        ]}
      />
    </>
  );
}

function AppointmentsView({ a }: { a: AnalyticsOf<'appointments'> }) {
  const t = a.totals;
  return (
    <Figures
      items={[
        { title: '预约数', value: t.booked },
        { title: '已完成', value: t.completed },
        { title: '失约', value: t.noShow },
        { title: '已取消', value: t.cancelled },
        { title: '失约率', value: formatRate(t.noShowRate) },
      ]}
    />
  );
}

/** 统计分析 (班长、管理员): figures by section for a date range, tax office and skill group, each exportable as CSV. */
export function AnalyticsPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const [filters, setFilters] = useState<AnalyticsFilters>({ range: null, officeId: null, groupId: null });
  const [section, setSection] = useState<TAnalyticsSection>('bot');
  const [data, setData] = useState<{ section: TAnalyticsSection; figures: unknown } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [offices, setOffices] = useState<TTaxOffice[]>([]);
  const [groups, setGroups] = useState<TSkillGroup[]>([]);
  const request = useRef(0);

  const load = useCallback(
    async (s: TAnalyticsSection, f: AnalyticsFilters) => {
      const id = ++request.current;
      setLoading(true);
      setError(null);
      try {
        const figures = await fetchAnalytics(s, f);
        if (id === request.current) setData({ section: s, figures });
      } catch (e) {
        if (id === request.current) setError(adminErrorMessage(e, '统计数据加载失败，请稍后再试。', onSessionExpired));
      } finally {
        if (id === request.current) setLoading(false);
      }
    },
    [onSessionExpired],
  );

  useEffect(() => {
    void load(section, filters);
  }, [load, section, filters]);

  useEffect(() => {
    // the lists only help to pick a filter; the figures load without them
    fetchTaxOffices()
      .then(setOffices)
      .catch(() => setOffices([]));
    fetchSkillGroups()
      .then(setGroups)
      .catch(() => setGroups([]));
    return () => {
      request.current++;
    };
  }, []);

  const search = (v: FormValues) =>
    setFilters({
      range: v.range ? [v.range[0].format('YYYY-MM-DD'), v.range[1].format('YYYY-MM-DD')] : null,
      officeId: v.officeId ?? null,
      groupId: v.groupId ?? null,
    });

  const shown = data?.section === section ? data.figures : null;
  const range = shown ? (shown as { range: { from: string; to: string } }).range : null;
  const view = (() => {
    if (!shown) return null;
    switch (section) {
      case 'bot':
        return <BotView a={shown as AnalyticsOf<'bot'>} />;
      case 'handoff':
        return <HandoffView a={shown as AnalyticsOf<'handoff'>} />;
      case 'agents':
        return <AgentsView a={shown as AnalyticsOf<'agents'>} />;
      case 'cases':
        return <CasesView a={shown as AnalyticsOf<'cases'>} />;
      case 'appointments':
        return <AppointmentsView a={shown as AnalyticsOf<'appointments'>} />;
    }
  })();

  return (
    <>
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="range" label="日期">
          <DatePicker.RangePicker allowClear placeholder={['开始日期', '结束日期']} />
        </Form.Item>
        <Form.Item name="officeId" label="税务机关">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部"
            style={{ width: 200 }}
            options={offices.map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <Form.Item name="groupId" label="技能组">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 180 }}
            options={groups.map((g) => ({ value: g.id, label: g.name }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
        </Form.Item>
      </Form>
      <Tabs
        activeKey={section}
        onChange={(k) => setSection(k as TAnalyticsSection)}
        items={SECTIONS.map((s) => ({ key: s, label: ANALYTICS_SECTION_LABELS[s] }))}
        tabBarExtraContent={
          <Button href={csvHref(section, filters)} download data-testid="analytics-csv">
            导出 CSV
          </Button>
        }
      />
      {range && (
        <Typography.Paragraph type="secondary">
          统计范围：{range.from} 至 {range.to}（北京时间）
          {section === 'bot' && filters.groupId ? '；智能问答不按技能组区分' : ''}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Spin spinning={loading}>{view ?? <div style={{ minHeight: 120 }} />}</Spin>
    </>
  );
}
