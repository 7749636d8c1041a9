import {
  INQUIRY_STATUS_LABELS,
  type TInquiryStaff,
  type TWorkOrder,
  WORK_ORDER_STATUS_LABELS,
} from '@zhengna/contracts';
import { Alert, Button, Empty, Flex, List, Spin, Tag, Typography } from 'antd';
import { deadlineText, deadlineTone } from '../case-deadline.ts';

export type CaseItem = { kind: 'inquiry'; item: TInquiryStaff } | { kind: 'work_order'; item: TWorkOrder };

interface CaseListProps {
  items: readonly CaseItem[];
  loading: boolean;
  error: string | null;
  selectedId: string | null;
  now: number;
  onSelect: (id: string) => void;
  onReload: () => void;
}

const TONE_COLORS = { overdue: 'red', soon: 'orange', normal: 'default' } as const;

/** Pending first by deadline; each row shows the taxpayer, the type, the status and the countdown or 已超期. */
export function CaseList({ items, loading, error, selectedId, now, onSelect, onReload }: CaseListProps) {
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={error}
        action={
          <Button size="small" onClick={onReload}>
            重试
          </Button>
        }
      />
    );
  }
  if (loading && items.length === 0) return <Spin description="正在加载…" style={{ display: 'block', margin: 24 }} />;
  if (items.length === 0) return <Empty description="暂无待办" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <List
      size="small"
      dataSource={items as CaseItem[]}
      data-testid="case-list"
      renderItem={(entry) => {
        const { item } = entry;
        const open = entry.kind === 'inquiry' ? item.status === 'pending' : item.status !== 'done';
        const tone = open ? deadlineTone(item.dueAt, now) : 'normal';
        const status =
          entry.kind === 'inquiry'
            ? INQUIRY_STATUS_LABELS[entry.item.status]
            : WORK_ORDER_STATUS_LABELS[entry.item.status];
        const title = entry.kind === 'inquiry' ? entry.item.typeName : `${entry.item.number} ${entry.item.title}`;
        return (
          <List.Item style={{ padding: 0 }}>
            <Button
              type={selectedId === item.id ? 'primary' : 'text'}
              ghost={selectedId === item.id}
              block
              onClick={() => onSelect(item.id)}
              aria-current={selectedId === item.id ? 'true' : undefined}
              data-testid="case-row"
              data-id={item.id}
              style={{
                height: 'auto',
                textAlign: 'left',
                justifyContent: 'flex-start',
                whiteSpace: 'normal',
                padding: 8,
              }}
            >
              <Flex vertical gap={2} style={{ width: '100%' }}>
                <Flex gap={6} align="center" wrap>
                  <Tag style={{ marginInlineEnd: 0 }}>{status}</Tag>
                  <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
                    {title}
                  </Typography.Text>
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {item.taxpayerName} · {item.taxOfficeName}
                  {item.assigneeName ? ` · ${item.assigneeName}` : ' · 未分配'}
                </Typography.Text>
                {open && (
                  <Flex gap={4} wrap>
                    <Tag color={TONE_COLORS[tone]} data-testid="case-deadline">
                      {deadlineText(item.dueAt, now)}
                    </Tag>
                    {(item.overdue || tone === 'overdue') && <Tag color="red">已超期</Tag>}
                    {item.escalated && <Tag color="volcano">已升级至班长</Tag>}
                  </Flex>
                )}
              </Flex>
            </Button>
          </List.Item>
        );
      }}
    />
  );
}
