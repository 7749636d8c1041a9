import { HANDOFF_REASON_LABELS, type TMessagePayload, type TSenderType } from '@zhengna/contracts';
import { Button, Flex, Tag, Typography, theme } from 'antd';
import type { DeliveryState } from '../../../shared/realtime/realtime-client.ts';
import { formatFullTime, formatMessageTime } from '../../../shared/ui/format-time.ts';
import { SafeMarkdown } from '../../../shared/ui/SafeMarkdown.tsx';
import { CallNotice } from '../../calls/components/CallNotice.tsx';
import { BotPayloadSummary } from './BotPayloadSummary.tsx';

interface StaffMessageItemProps {
  senderType: TSenderType;
  senderName: string;
  body: string;
  /** The assistant's structured content (null for people's messages). */
  payload?: TMessagePayload | null;
  createdAt: string;
  own: boolean;
  /** 内部备注: staff only, shown in yellow. */
  isPrivate?: boolean;
  /** File names of the message's attachments. */
  attachmentNames?: readonly string[];
  delivery?: DeliveryState;
  error?: string;
  onRetry?: () => void;
}

const ROLE_LABEL: Record<TSenderType, string> = { taxpayer: '纳税人', agent: '坐席', bot: '智能助理', system: '系统' };
/** Notices in the middle of the conversation (not somebody's bubble). */
const NOTICE_TEXT: Partial<Record<TMessagePayload['kind'], string>> = {
  agent_joined: '坐席接入',
  transferred: '会话转接',
  rating_request: '会话结束',
  agents_unavailable: '暂无坐席',
};
const DELIVERY_LABEL: Record<DeliveryState, string> = { sending: '发送中…', sent: '已发送', failed: '发送失败' };

/** One message in the agent's view: own replies right, the taxpayer left, the assistant and colleagues left and tinted. */
export function StaffMessageItem({
  senderType,
  senderName,
  body,
  payload = null,
  createdAt,
  own,
  isPrivate = false,
  attachmentNames = [],
  delivery,
  error,
  onRetry,
}: StaffMessageItemProps) {
  const { token } = theme.useToken();
  if (payload?.kind === 'handoff_requested') {
    return (
      <Flex
        vertical
        align="center"
        gap={2}
        style={{ margin: '10px 0' }}
        data-testid="handoff-notice"
        data-sender-type={senderType}
        data-reason={payload.reason}
      >
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          请求转人工：{HANDOFF_REASON_LABELS[payload.reason]}
        </Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
          {body}{' '}
          <time dateTime={createdAt} title={formatFullTime(createdAt)}>
            {formatMessageTime(createdAt)}
          </time>
        </Typography.Text>
      </Flex>
    );
  }
  if (payload?.kind === 'call') return <CallNotice payload={payload} body={body} createdAt={createdAt} />;
  if (payload && NOTICE_TEXT[payload.kind]) {
    return (
      <Flex justify="center" style={{ margin: '8px 0' }} data-testid="system-notice" data-payload-kind={payload.kind}>
        <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
          <Tag style={{ marginInlineEnd: 6 }}>{NOTICE_TEXT[payload.kind]}</Tag>
          {body}{' '}
          <time dateTime={createdAt} title={formatFullTime(createdAt)}>
            {formatMessageTime(createdAt)}
          </time>
        </Typography.Text>
      </Flex>
    );
  }
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
  const background = isPrivate
    ? '#fffbe6'
    : own
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
      data-payload-kind={payload?.kind}
      data-private={isPrivate ? 'true' : undefined}
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {isPrivate && (
          <Tag color="gold" data-testid="private-note-tag">
            内部备注
          </Tag>
        )}
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
          color: own && !isPrivate ? token.colorWhite : token.colorText,
          border: isPrivate
            ? '1px dashed #d4b106'
            : senderType === 'taxpayer'
              ? `1px solid ${token.colorBorderSecondary}`
              : undefined,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        {senderType === 'bot' ? (
          <>
            <SafeMarkdown>{body}</SafeMarkdown>
            {payload && <BotPayloadSummary payload={payload} />}
          </>
        ) : (
          body
        )}
        {attachmentNames.length > 0 && (
          <div style={{ fontSize: 12, marginTop: 4, opacity: 0.85 }}>附件：{attachmentNames.join('、')}</div>
        )}
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
