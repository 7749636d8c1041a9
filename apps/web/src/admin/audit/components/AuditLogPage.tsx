import {
  AUDIT_KIND_LABELS,
  AUDIT_RESULT_LABELS,
  STAFF_ROLE_LABELS,
  type TAuditEntry,
  type TAuditKind,
  type TAuditResult,
} from '@zhengna/contracts';
import { Alert, Button, DatePicker, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useRef, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { fetchAgents, type TAgentLoad } from '../../organization/api/organization-api.ts';
import { fetchAuditPage } from '../api/audit-api.ts';
import {
  type AuditFilters,
  type AuditFormValues,
  auditRoleLabel,
  auditTargetLabel,
  filtersOf,
  formatAuditTime,
  toAuditQuery,
} from '../audit-query.ts';

const RESULT_COLORS: Record<TAuditResult, string> = { ok: 'green', denied: 'orange', failed: 'red' };

/** 审计日志 (管理员): who read personal data or changed what, searched and paged by keyset (加载更多). */
export function AuditLogPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const [form] = Form.useForm<AuditFormValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [items, setItems] = useState<TAuditEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState<'search' | 'more' | null>('search');
  // the message, and which page failed (null: the first page of a search) for 重试
  const [error, setError] = useState<{ message: string; before: string | null } | null>(null);
  const [staff, setStaff] = useState<TAgentLoad[]>([]);
  // only the latest request may write: a slow page of an old search must not land in a new one
  const request = useRef(0);

  const load = useCallback(
    async (next: AuditFilters, before: string | null) => {
      const id = ++request.current;
      setLoading(before ? 'more' : 'search');
      setError(null);
      try {
        const page = await fetchAuditPage(toAuditQuery(next, before));
        if (id !== request.current) return;
        setItems((prev) => (before ? [...prev, ...page.items] : page.items));
        setNextBefore(page.nextBefore);
      } catch (e) {
        if (id !== request.current) return;
        setError({ message: adminErrorMessage(e, '审计日志加载失败，请稍后再试。', onSessionExpired), before });
        if (!before) {
          setItems([]);
          setNextBefore(null);
        }
      } finally {
        if (id === request.current) setLoading(null);
      }
    },
    [onSessionExpired],
  );

  useEffect(() => {
    void load({}, null);
    fetchAgents()
      .then(setStaff)
      // the list only helps to pick a person; the log itself still loads and filters without it
      .catch(() => setStaff([]));
    return () => {
      request.current++;
    };
  }, [load]);

  const search = (values: AuditFormValues) => {
    const next = filtersOf(values);
    setFilters(next);
    void load(next, null);
  };

  const reset = () => {
    form.resetFields();
    setFilters({});
    void load({}, null);
  };

  const status =
    items.length === 0
      ? ''
      : nextBefore
        ? `已显示 ${items.length} 条，还有更早的记录`
        : `已显示 ${items.length} 条，已全部加载`;

  return (
    <Flex vertical gap={16} data-testid="audit-page">
      <Alert type="info" showIcon title="审计日志只可查询，任何人都不能修改或删除；保存至少 6 个月。" />
      <Form<AuditFormValues> form={form} layout="inline" name="audit" onFinish={search} style={{ rowGap: 12 }}>
        <Form.Item label="日期范围" name="range">
          <DatePicker.RangePicker
            placeholder={['开始日期', '结束日期']}
            format="YYYY-MM-DD"
            allowEmpty={[false, false]}
            data-testid="audit-range"
          />
        </Form.Item>
        <Form.Item label="人员" name="staffId">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部人员"
            style={{ width: 180 }}
            data-testid="audit-staff"
            options={staff.map((s) => ({ value: s.staffId, label: `${s.name}（${STAFF_ROLE_LABELS[s.role]}）` }))}
          />
        </Form.Item>
        <Form.Item label="操作类型" name="kind">
          <Select<TAuditKind>
            allowClear
            placeholder="全部类型"
            style={{ width: 150 }}
            data-testid="audit-kind"
            options={Object.entries(AUDIT_KIND_LABELS).map(([value, label]) => ({ value: value as TAuditKind, label }))}
          />
        </Form.Item>
        <Form.Item label="结果" name="result">
          <Select<TAuditResult>
            allowClear
            placeholder="全部结果"
            style={{ width: 120 }}
            data-testid="audit-result"
            options={Object.entries(AUDIT_RESULT_LABELS).map(([value, label]) => ({
              value: value as TAuditResult,
              label,
            }))}
          />
        </Form.Item>
        <Form.Item label="操作" name="action">
          <Input
            allowClear
            maxLength={100}
            placeholder="名称开头，如 settings."
            style={{ width: 200 }}
            data-testid="audit-action"
          />
        </Form.Item>
        <Form.Item label="对象编号" name="targetId">
          <Input allowClear maxLength={100} placeholder="完整编号" style={{ width: 200 }} data-testid="audit-target" />
        </Form.Item>
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={loading === 'search'} data-testid="audit-search">
              查询
            </Button>
            <Button onClick={reset} data-testid="audit-reset">
              重置
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error.message}
          data-testid="audit-error"
          action={
            <Button size="small" onClick={() => void load(filters, error.before)}>
              重试
            </Button>
          }
        />
      )}
      <Table<TAuditEntry>
        aria-label="审计日志"
        rowKey="id"
        size="small"
        loading={loading === 'search'}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有符合条件的审计记录' }}
        data-testid="audit-table"
        onRow={(e) => ({ 'data-testid': 'audit-row', 'data-id': e.id }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '时间',
            dataIndex: 'at',
            render: (at: string) => <time dateTime={at}>{formatAuditTime(at)}</time>,
          },
          {
            title: '人员',
            key: 'staff',
            render: (_: unknown, e) => (
              <>
                {e.staffName || '—'}
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {auditRoleLabel(e)}
                </Typography.Text>
              </>
            ),
          },
          { title: '操作类型', dataIndex: 'kind', render: (k: TAuditKind) => AUDIT_KIND_LABELS[k] },
          { title: '操作', dataIndex: 'action', render: (a: string) => <code>{a}</code> },
          { title: '对象', key: 'target', render: (_: unknown, e) => auditTargetLabel(e) },
          {
            title: '结果',
            dataIndex: 'result',
            render: (r: TAuditResult) => (
              <Tag color={RESULT_COLORS[r]} data-testid="audit-result-tag">
                {AUDIT_RESULT_LABELS[r]}
              </Tag>
            ),
          },
          { title: '状态', dataIndex: 'status' },
          { title: '来源 IP', dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
          { title: '请求', dataIndex: 'request', render: (r: string) => <code>{r}</code> },
        ]}
      />
      <Flex align="center" gap={12}>
        <Typography.Text type="secondary" aria-live="polite" data-testid="audit-count">
          {status}
        </Typography.Text>
        {nextBefore && (
          <Button
            onClick={() => void load(filters, nextBefore)}
            loading={loading === 'more'}
            disabled={loading === 'search'}
            data-testid="audit-more"
          >
            加载更多
          </Button>
        )}
      </Flex>
    </Flex>
  );
}
