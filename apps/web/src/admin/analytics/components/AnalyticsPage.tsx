import type { TAnalyticsSection, TSkillGroup } from '@zhengna/contracts';
import { Alert, Button, DatePicker, Flex, Form, Select, Spin, Tabs, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { fetchSkillGroups, fetchTaxOffices, type TTaxOffice } from '../../organization/api/organization-api.ts';
import { ANALYTICS_SECTION_LABELS, type AnalyticsFilters, exportHref } from '../analytics-format.ts';
import { type AnalyticsOf, fetchAnalytics } from '../api/analytics-api.ts';
import { AgentsView } from './AgentsView.tsx';
import { AppointmentsView } from './AppointmentsView.tsx';
import { BotView } from './BotView.tsx';
import { CasesView } from './CasesView.tsx';
import { HandoffView } from './HandoffView.tsx';

interface FormValues {
  range?: [Dayjs, Dayjs] | null;
  officeId?: string;
  groupId?: string;
}

const SECTIONS = Object.keys(ANALYTICS_SECTION_LABELS) as TAnalyticsSection[];

/**
 * 统计分析 (班长、管理员): figures by section for a date range, tax office and skill group, as charts with their tables,
 * each section exportable as CSV or Excel.
 */
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
          <Flex gap={8}>
            <Button href={exportHref(section, filters, 'csv')} download data-testid="analytics-csv">
              导出 CSV
            </Button>
            <Button href={exportHref(section, filters, 'xlsx')} download data-testid="analytics-xlsx">
              导出 Excel
            </Button>
          </Flex>
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
