import type { TSenderType } from '@zhengna/contracts';
import { Button, Flex, Typography, theme } from 'antd';
import type { DeliveryState } from '../../../shared/realtime/realtime-client.ts';
import { formatFullTime, formatMessageTime } from '../../../shared/ui/format-time.ts';

interface StaffMessageItemProps {
  senderType: TSenderType;
  senderName: string;
  body: string;
  createdAt: string;
  own: boolean;
  delivery?: DeliveryState;
  error?: string;
  onRetry?: () => void;
}

const ROLE_LABEL: Record<TSenderType, string> = { taxpayer: '纳税人', agent: '坐席', bot: '智能助理', system: '系统' };
const DELIVERY_LABEL: Record<DeliveryState, string> = { sending: '发送中…', sent: '已发送', failed: '发送失败' };

/** One message in the agent's view: own replies right, the taxpayer left, the assistant and colleagues left and tinted. */
export function StaffMessageItem({
  senderType,
  senderName,
  body,
  createdAt,
  own,
  delivery,
  error,
  onRetry,
}: StaffMessageItemProps) {
  const { token } = theme.useToken();
  if (senderType === 'system') {
    return (
      <Typography.Text
        type="secondary"
        style={{ display: 'block', textAlign: 'center', fontSize: 12, margin: '8px 0' }}
      >
        {body}
      </Typography.Text>
    );
  }
  const background = own
    ? token.colorPrimary
    : senderType === 'bot'
      ? token.colorFillSecondary
      : senderType === 'agent'
        ? token.colorSuccessBg
        : token.colorBgContainer;
  return (
    <Flex
      vertical
      align={own ? 'flex-end' : 'flex-start'}
      style={{ margin: '10px 0' }}
      data-testid="message-bubble"
      data-sender-type={senderType}
      data-delivery={own ? delivery : 'received'}
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {senderType === 'bot' ? ROLE_LABEL.bot : `${senderName}（${ROLE_LABEL[senderType]}）`}{' '}
        <time dateTime={createdAt} title={formatFullTime(createdAt)}>
          {formatMessageTime(createdAt)}
        </time>
      </Typography.Text>
      <div
        style={{
          maxWidth: '72%',
          marginTop: 4,
          padding: '8px 12px',
          borderRadius: token.borderRadiusLG,
          background,
          color: own ? token.colorWhite : token.colorText,
          border: senderType === 'taxpayer' ? `1px solid ${token.colorBorderSecondary}` : undefined,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        {body}
      </div>
      {own && delivery && (
        <Flex align="center" gap={4} data-testid="delivery-state" data-state={delivery}>
          <Typography.Text type={delivery === 'failed' ? 'danger' : 'secondary'} style={{ fontSize: 12 }} title={error}>
            {DELIVERY_LABEL[delivery]}
            {delivery === 'failed' && error ? `（${error}）` : ''}
          </Typography.Text>
          {delivery === 'failed' && onRetry && (
            <Button size="small" type="link" onClick={onRetry} aria-label="重试发送">
              重试
            </Button>
          )}
        </Flex>
      )}
    </Flex>
  );
}
