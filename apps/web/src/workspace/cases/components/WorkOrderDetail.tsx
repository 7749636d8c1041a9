import {
  type TWorkOrderAction,
  type TWorkOrderDetail,
  type TWorkOrderStatus,
  WORK_ORDER_ACTION_LABELS,
  WORK_ORDER_STATUS_LABELS,
} from '@zhengna/contracts';
import { Alert, Button, Card, Descriptions, Flex, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { maskTaxpayerNo } from '../../taxpayer/mask.ts';
import { actOnWorkOrder, caseFileUrl, fetchWorkOrder } from '../api/cases-api.ts';
import { deadlineText } from '../case-deadline.ts';
import {
  ACTION_BUTTON_LABELS,
  actionErrorMessage,
  actionsFor,
  isConflict,
  type WorkOrderActionName,
} from '../work-order-actions.ts';
import { WorkOrderActionDialog } from './WorkOrderActionDialog.tsx';

const STATUS_COLORS: Record<TWorkOrderStatus, string> = {
  pending: 'orange',
  processing: 'blue',
  done: 'green',
  returned: 'red',
};

interface WorkOrderDetailProps {
  id: string;
  now: number;
  onChanged: () => void;
}

/** One 工单: status and deadline, the taxpayer's request and files, every step (who, when, what), and its actions. */
export function WorkOrderDetail({ id, now, onChanged }: WorkOrderDetailProps) {
  const [order, setOrder] = useState<TWorkOrderDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ message: string; conflict: boolean } | null>(null);
  const [dialog, setDialog] = useState<WorkOrderActionName | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    setActionError(null);
    try {
      setOrder(await fetchWorkOrder(id));
    } catch (e) {
      setLoadError(errorMessage(e, '工单加载失败，请稍后再试。'));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs one step on the version shown; a 409 means someone else moved the order first. */
  const act = async (action: TWorkOrderAction): Promise<string | null> => {
    setBusy(true);
    setActionError(null);
    try {
      setOrder(await actOnWorkOrder(id, action));
      onChanged();
      return null;
    } catch (e) {
      const failure = { message: actionErrorMessage(e), conflict: isConflict(e) };
      setActionError(failure);
      return failure.message;
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={loadError}
        action={<Button onClick={() => void load()}>重试</Button>}
      />
    );
  }
  if (!order) return <Spin description="正在加载工单…" style={{ display: 'block', marginTop: '20vh' }} />;

  const open = order.status !== 'done';
  return (
    <Flex vertical gap={12} style={{ maxWidth: 860 }} data-testid="work-order-detail" data-version={order.version}>
      <Flex align="center" gap={8} wrap>
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          工单 {order.number}：{order.title}
        </Typography.Title>
        <Tag color={STATUS_COLORS[order.status]} data-testid="work-order-detail-status">
          {WORK_ORDER_STATUS_LABELS[order.status]}
        </Tag>
        {open && (
          <Tag color={order.overdue ? 'red' : 'blue'}>
            {order.overdue ? '已超期' : '办理时限'}：{deadlineText(order.dueAt, now)}
          </Tag>
        )}
        {order.escalated && <Tag color="volcano">已升级至班长</Tag>}
      </Flex>
      {actionError && (
        <Alert
          type={actionError.conflict ? 'warning' : 'error'}
          showIcon
          role="alert"
          title={actionError.message}
          action={actionError.conflict ? <Button onClick={() => void load()}>刷新</Button> : undefined}
          data-testid="work-order-error"
        />
      )}
      {open && (
        <Flex gap={8} wrap role="toolbar" aria-label="工单操作">
          {actionsFor(order.status).map((name) =>
            name === 'accept' ? (
              <Button
                key={name}
                type="primary"
                loading={busy}
                onClick={() => void act({ action: 'accept', version: order.version })}
                data-testid="work-order-accept"
              >
                受理
              </Button>
            ) : (
              <Button
                key={name}
                type={name === 'complete' ? 'primary' : 'default'}
                danger={name === 'return'}
                onClick={() => setDialog(name)}
                data-testid={`work-order-${name}`}
              >
                {ACTION_BUTTON_LABELS[name]}
              </Button>
            ),
          )}
        </Flex>
      )}
      <Descriptions
        size="small"
        bordered
        column={2}
        items={[
          { key: 'type', label: '工单类型', children: order.typeName },
          { key: 'office', label: '承办机构', children: order.taxOfficeName },
          { key: 'taxpayer', label: '纳税人', children: order.taxpayerName },
          { key: 'no', label: '纳税人识别号', children: maskTaxpayerNo(order.taxpayerNo) },
          { key: 'assignee', label: '承办人', children: order.assigneeName ?? '未分配' },
          { key: 'due', label: '办理时限', children: formatFullTime(order.dueAt) },
          { key: 'created', label: '创建时间', children: formatFullTime(order.createdAt) },
          { key: 'updated', label: '更新时间', children: formatFullTime(order.updatedAt) },
        ]}
      />
      <Card size="small" title="诉求内容">
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{order.content}</Typography.Paragraph>
        {order.files.length > 0 && (
          <ul aria-label="附件材料" style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
            {order.files.map((f) => (
              <li key={f.id}>
                <a href={caseFileUrl(f.id)} target="_blank" rel="noopener noreferrer">
                  {f.fileName}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {order.result && (
        <Card size="small" title="办理结果" data-testid="work-order-detail-result">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{order.result}</Typography.Paragraph>
        </Card>
      )}
      <Card size="small" title="办理记录">
        <Timeline
          data-testid="work-order-steps"
          items={order.steps.map((step) => ({
            key: step.id,
            title: (
              <span>
                <strong>{WORK_ORDER_ACTION_LABELS[step.action]}</strong>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {step.staffName ?? '系统'} · {formatFullTime(step.createdAt)}
                </Typography.Text>
              </span>
            ),
            content: (
              <span data-testid="work-order-step" data-action={step.action}>
                {step.fromStatus && step.toStatus && step.fromStatus !== step.toStatus && (
                  <span style={{ display: 'block' }}>
                    {statusLabel(step.fromStatus)} → {statusLabel(step.toStatus)}
                  </span>
                )}
                {step.toOfficeName && (
                  <span style={{ display: 'block' }}>
                    {step.fromOfficeName ?? ''} → {step.toOfficeName}
                  </span>
                )}
                {step.note && <span style={{ display: 'block', whiteSpace: 'pre-wrap' }}>{step.note}</span>}
              </span>
            ),
          }))}
        />
      </Card>
      <WorkOrderActionDialog
        action={dialog}
        version={order.version}
        currentOfficeId={order.taxOfficeId}
        onCancel={() => setDialog(null)}
        onSubmit={async (action) => {
          const failed = await act(action);
          if (!failed) setDialog(null);
          return failed;
        }}
      />
    </Flex>
  );
}

function statusLabel(status: string): string {
  return WORK_ORDER_STATUS_LABELS[status as TWorkOrderStatus] ?? status;
}
