import { INQUIRY_STATUS_LABELS, RECEIVE_BY_LABELS, type TInquiry, type TInquiryStatus } from '@zhengna/contracts';
import { Button, Flex, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatMessageTime } from '../../../shared/ui/format-time.ts';
import { LIST } from '../../panels/components/list-styles.ts';
import { PanelState } from '../../panels/components/PanelState.tsx';
import { useLoad } from '../../panels/hooks/use-load.ts';
import { usePanelServices } from '../../panels/panel-services.ts';
import { fetchMyInquiries } from '../api/inquiry-api.ts';
import { WorkOrderProgress } from './WorkOrderProgress.tsx';

const STATUS_COLORS: Record<TInquiryStatus, string> = {
  pending: 'orange',
  replied: 'green',
  converted: 'blue',
  closed: 'default',
};

/** 我的留言: the enterprise's 留言, newest first, each with its status, the office's reply and any 工单's progress. */
export function MyInquiries() {
  const { withAuth, onInbox } = usePanelServices();
  const { state, reload } = useLoad(() => withAuth(fetchMyInquiries), '我的留言加载失败，请稍后再试。');
  const [openOrder, setOpenOrder] = useState<string | null>(null);

  // a reply or a work-order result arriving while the list is open shows at once
  useEffect(
    () =>
      onInbox((event) => {
        if (event.item?.kind === 'inquiry_reply' || event.item?.kind === 'work_order_result') reload();
      }),
    [onInbox, reload],
  );

  return (
    <PanelState state={state} empty="您还没有留言" isEmpty={(list) => list.length === 0} onRetry={reload}>
      {(list) => (
        <ul style={LIST} aria-label="我的留言" data-testid="my-inquiries">
          {list.map((inquiry) => (
            <InquiryItem
              key={inquiry.id}
              inquiry={inquiry}
              showOrder={openOrder === inquiry.workOrderId}
              onToggleOrder={() => setOpenOrder((id) => (id === inquiry.workOrderId ? null : inquiry.workOrderId))}
            />
          ))}
        </ul>
      )}
    </PanelState>
  );
}

function InquiryItem({
  inquiry,
  showOrder,
  onToggleOrder,
}: {
  inquiry: TInquiry;
  showOrder: boolean;
  onToggleOrder: () => void;
}) {
  const orderRegion = `work-order-${inquiry.id}`;
  return (
    <li
      data-testid="my-inquiry"
      data-status={inquiry.status}
      style={{ padding: '8px 0', borderBottom: '1px solid rgba(5,5,5,.06)' }}
    >
      <Flex align="center" gap={6} wrap>
        <Tag color={STATUS_COLORS[inquiry.status]} style={{ marginInlineEnd: 0 }} data-testid="my-inquiry-status">
          {INQUIRY_STATUS_LABELS[inquiry.status]}
        </Tag>
        <strong>{inquiry.typeName}</strong>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {inquiry.taxOfficeName} · {formatMessageTime(inquiry.createdAt)}
        </Typography.Text>
      </Flex>
      <Typography.Paragraph
        ellipsis={{ rows: 3, expandable: 'collapsible', symbol: (open) => (open ? '收起' : '展开') }}
        style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}
      >
        {inquiry.content}
      </Typography.Paragraph>
      {inquiry.files.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          附件：{inquiry.files.map((f) => f.fileName).join('、')}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        接收方式：{RECEIVE_BY_LABELS[inquiry.receiveBy]}
        {inquiry.receiveBy !== 'inbox' && ` · 手机 ${inquiry.maskedPhone}`}
      </Typography.Text>
      {inquiry.reply && (
        <div
          data-testid="my-inquiry-reply"
          style={{ marginTop: 6, padding: 8, background: '#f6ffed', borderRadius: 6, whiteSpace: 'pre-wrap' }}
        >
          <Typography.Text strong>答复：</Typography.Text>
          {inquiry.reply}
          {inquiry.repliedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
              {formatMessageTime(inquiry.repliedAt)}
            </Typography.Text>
          )}
        </div>
      )}
      {inquiry.workOrderId && (
        <>
          <Button
            size="small"
            type="link"
            style={{ paddingInline: 0 }}
            aria-expanded={showOrder}
            aria-controls={orderRegion}
            onClick={onToggleOrder}
            data-testid="my-inquiry-order"
          >
            {showOrder ? '收起工单进度' : '查看工单进度'}
          </Button>
          {showOrder && (
            <div id={orderRegion}>
              <WorkOrderProgress id={inquiry.workOrderId} />
            </div>
          )}
        </>
      )}
    </li>
  );
}
