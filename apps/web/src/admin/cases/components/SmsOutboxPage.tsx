import type { TSmsOutboxItem } from '@zhengna/contracts';
import { Alert, Button, Flex, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { fetchSmsOutbox } from '../api/cases-admin-api.ts';
import { SMS_TEMPLATE_LABELS } from '../case-settings-form.ts';

const STATUS = {
  stored: { color: 'default', label: '已记录' },
  sent: { color: 'green', label: '已发送' },
  failed: { color: 'red', label: '发送失败' },
} as const;

/** 短信发件箱: every SMS the service sent (or, with the outbox driver, stored instead of sending); numbers masked. */
export function SmsOutboxPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const [list, setList] = useState<TSmsOutboxItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setList(await fetchSmsOutbox());
    } catch (e) {
      setError(adminErrorMessage(e, '短信发件箱加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Flex vertical gap={12}>
      <Flex align="center" gap={12}>
        <Typography.Text type="secondary" style={{ flex: 1 }}>
          留言答复、工单办结等通知短信。未接入短信平台时，短信只记录在这里，不会真正发出。
        </Typography.Text>
        <Button onClick={() => void load()} loading={loading} data-testid="sms-reload">
          刷新
        </Button>
      </Flex>
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      <Table<TSmsOutboxItem>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无短信' }}
        data-testid="sms-table"
        onRow={(m) => ({ 'data-testid': 'sms-row', 'data-template': m.template }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '时间', dataIndex: 'createdAt', width: 190, render: (v: string) => formatFullTime(v) },
          { title: '手机号码', dataIndex: 'maskedPhone', width: 130 },
          {
            title: '类型',
            dataIndex: 'template',
            width: 110,
            render: (t: string) => SMS_TEMPLATE_LABELS[t as keyof typeof SMS_TEMPLATE_LABELS]?.label ?? t,
          },
          {
            title: '内容',
            dataIndex: 'content',
            render: (c: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{c}</span>,
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 150,
            render: (s: TSmsOutboxItem['status'], m) => (
              <>
                <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag>
                {m.error && (
                  <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                    {m.error}
                  </Typography.Text>
                )}
              </>
            ),
          },
          { title: '通道', dataIndex: 'driver', width: 90 },
        ]}
      />
    </Flex>
  );
}
