import {
  CALL_FAILURE_LABELS,
  CALL_KIND_LABELS,
  CALL_STATE_LABELS,
  type TCallKind,
  type TCallRecord,
  type TCallRecordsPage,
  type TCallState,
} from '@zhengna/contracts';
import { Alert, Button, DatePicker, Flex, Form, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { maskTaxpayerNo } from '../../taxpayer/mask.ts';
import { fetchCallRecords } from '../api/calls-api.ts';
import {
  type CallRecordFilters,
  NO_FILTERS,
  recordDuration,
  recordEndedBy,
  toCallRecordsQuery,
} from '../call-records.ts';

const STATE_COLOR: Partial<Record<TCallState, string>> = {
  active: 'green',
  failed: 'red',
  missed: 'orange',
  declined: 'orange',
};

type FormValues = { range?: [Dayjs, Dayjs] | null; kind?: TCallKind; state?: TCallState };

/** 通话记录 (班长/管理员): every call and remote assistance, who took part, how it ended and how long it lasted. */
export function CallRecordsView() {
  const [filters, setFilters] = useState<CallRecordFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<TCallRecordsPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    fetchCallRecords(toCallRecordsQuery(filters, page, pageSize)).then(
      (next) => {
        if (cancelled) return;
        setData(next);
        setLoading(false);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(errorMessage(e, '通话记录加载失败，请稍后再试。'));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [filters, page, pageSize, attempt]);

  const onValuesChange = (_: unknown, all: FormValues) => {
    setFilters({
      range: all.range ? [all.range[0].format('YYYY-MM-DD'), all.range[1].format('YYYY-MM-DD')] : null,
      kind: all.kind ?? null,
      state: all.state ?? null,
    });
    setPage(1);
  };

  return (
    <Flex vertical gap={16} style={{ padding: 16, overflowY: 'auto', height: '100%' }} data-testid="call-records">
      <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
        通话记录
      </Typography.Title>
      <Form<FormValues> layout="inline" name="callRecords" onValuesChange={onValuesChange}>
        <Form.Item label="日期" name="range">
          <DatePicker.RangePicker
            placeholder={['开始日期', '结束日期']}
            format="YYYY-MM-DD"
            data-testid="call-records-range"
          />
        </Form.Item>
        <Form.Item label="类型" name="kind">
          <Select<TCallKind>
            allowClear
            placeholder="全部类型"
            style={{ width: 140 }}
            data-testid="call-records-kind"
            options={Object.entries(CALL_KIND_LABELS).map(([value, label]) => ({ value: value as TCallKind, label }))}
          />
        </Form.Item>
        <Form.Item label="状态" name="state">
          <Select<TCallState>
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            data-testid="call-records-state"
            options={Object.entries(CALL_STATE_LABELS).map(([value, label]) => ({ value: value as TCallState, label }))}
          />
        </Form.Item>
        <Form.Item>
          <Button onClick={() => setAttempt((n) => n + 1)} data-testid="call-records-reload">
            刷新
          </Button>
        </Form.Item>
      </Form>
      {error && (
        <Alert
          type="error"
          title={error}
          action={
            <Button size="small" onClick={() => setAttempt((n) => n + 1)}>
              重试
            </Button>
          }
        />
      )}
      <Table<TCallRecord>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="call-records-table"
        locale={{ emptyText: '暂无通话记录' }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => `共 ${total} 条`,
          onChange: (next, size) => {
            setPage(size === pageSize ? next : 1);
            setPageSize(size);
          },
        }}
        columns={[
          {
            title: '时间',
            dataIndex: 'createdAt',
            render: (at: string) => <time dateTime={at}>{formatFullTime(at)}</time>,
          },
          { title: '类型', dataIndex: 'kind', render: (k: TCallKind) => CALL_KIND_LABELS[k] },
          { title: '坐席', dataIndex: 'agentName' },
          {
            title: '纳税人',
            key: 'taxpayer',
            render: (_: unknown, r) => (
              <>
                {r.taxpayerName}
                {r.taxpayerNo && (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {maskTaxpayerNo(r.taxpayerNo)}
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            title: '状态',
            key: 'state',
            render: (_: unknown, r) => (
              <>
                <Tag color={STATE_COLOR[r.state]}>{CALL_STATE_LABELS[r.state]}</Tag>
                {r.state === 'failed' && (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {CALL_FAILURE_LABELS[r.failureReason ?? 'other']}
                  </Typography.Text>
                )}
              </>
            ),
          },
          { title: '时长', key: 'duration', render: (_: unknown, r) => recordDuration(r) },
          { title: '结束方', key: 'endedBy', render: (_: unknown, r) => recordEndedBy(r) },
        ]}
      />
    </Flex>
  );
}
