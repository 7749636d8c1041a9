import { type TWorkOrderStatus, WORK_ORDER_STATUS_LABELS } from '@zhengna/contracts';
import { Descriptions, Tag, Timeline, Typography } from 'antd';
import { formatMessageTime } from '../../../shared/ui/format-time.ts';
import { PanelState } from '../../panels/components/PanelState.tsx';
import { useLoad } from '../../panels/hooks/use-load.ts';
import { usePanelServices } from '../../panels/panel-services.ts';
import { fetchWorkOrderProgress } from '../api/inquiry-api.ts';

const STATUS_COLORS: Record<TWorkOrderStatus, string> = {
  pending: 'orange',
  processing: 'blue',
  done: 'green',
  returned: 'red',
};

/** A 工单's progress as the taxpayer sees it: status, time limit, each step and the result. */
export function WorkOrderProgress({ id }: { id: string }) {
  const { withAuth } = usePanelServices();
  const { state, reload } = useLoad(
    () => withAuth((token) => fetchWorkOrderProgress(token, id)),
    '工单进度加载失败，请稍后再试。',
  );
  return (
    <PanelState state={state} empty="" isEmpty={() => false} onRetry={reload}>
      {(order) => (
        <div data-testid="work-order-progress" style={{ padding: 8, background: '#fafafa', borderRadius: 6 }}>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'number', label: '工单编号', children: order.number },
              {
                key: 'status',
                label: '办理状态',
                children: (
                  <Tag color={STATUS_COLORS[order.status]} data-testid="work-order-status">
                    {WORK_ORDER_STATUS_LABELS[order.status]}
                  </Tag>
                ),
              },
              { key: 'office', label: '办理机构', children: order.taxOfficeName },
              { key: 'due', label: '办理时限', children: formatMessageTime(order.dueAt) },
            ]}
          />
          <Timeline
            style={{ marginTop: 8 }}
            items={order.progress.map((step, i) => ({
              key: `${step.action}-${i}`,
              content: (
                <span>
                  {step.label}
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                    {formatMessageTime(step.createdAt)}
                  </Typography.Text>
                </span>
              ),
            }))}
          />
          {order.result && (
            <div data-testid="work-order-result" style={{ whiteSpace: 'pre-wrap' }}>
              <Typography.Text strong>办理结果：</Typography.Text>
              {order.result}
            </div>
          )}
        </div>
      )}
    </PanelState>
  );
}
