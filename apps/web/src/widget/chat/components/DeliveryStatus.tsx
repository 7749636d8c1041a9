import { Button, Space, Typography } from 'antd';
import type { DeliveryState } from '../../../shared/realtime/realtime-client.ts';

interface DeliveryStatusProps {
  state: DeliveryState;
  error?: string;
  onRetry?: () => void;
}

const LABELS: Record<DeliveryState, string> = { sending: '发送中…', sent: '已发送', failed: '发送失败' };

/** Under an own message: 发送中 / 已发送 / 发送失败 + 重试. */
export function DeliveryStatus({ state, error, onRetry }: DeliveryStatusProps) {
  return (
    <Space size={4} data-testid="delivery-state" data-state={state}>
      <Typography.Text type={state === 'failed' ? 'danger' : 'secondary'} style={{ fontSize: 12 }} title={error}>
        {LABELS[state]}
        {state === 'failed' && error ? `（${error}）` : ''}
      </Typography.Text>
      {state === 'failed' && onRetry && (
        <Button size="small" type="link" onClick={onRetry} aria-label="重试发送" data-testid="retry-send">
          重试
        </Button>
      )}
    </Space>
  );
}
