import {
  CALL_KIND_LABELS,
  CALL_STATE_LABELS,
  maskPersonalNumbers,
  type TCall,
  type TConversationSummary,
} from '@zhengna/contracts';
import { Badge, Flex, Tag, Typography, theme } from 'antd';
import { formatMessageTime } from '../../../shared/ui/format-time.ts';
import { formatWait, waitingSince } from '../hooks/conversation-list-state.ts';

interface ConversationListItemProps {
  summary: TConversationSummary;
  unread: number;
  /** A call that is not over: a taxpayer's request shows as 请求远程协助 etc., a call in progress with its state. */
  call?: TCall | null;
  selected: boolean;
  onSelect: (id: string) => void;
  /** Now (ms), for the waiting time; omitted = not shown. */
  now?: number;
}

const PREVIEW_PREFIX = { taxpayer: '', agent: '[坐席] ', bot: '[智能助理] ', system: '[系统] ' } as const;

export function ConversationListItem({
  summary,
  unread,
  call = null,
  selected,
  onSelect,
  now,
}: ConversationListItemProps) {
  const since = now === undefined ? null : waitingSince(summary);
  const waited = since ? Math.max(0, (now ?? 0) - Date.parse(since)) / 1000 : null;
  const { token } = theme.useToken();
  const last = summary.lastMessage;
  const time = summary.lastMessageAt ?? summary.createdAt;
  const prefix =
    last?.payload?.kind === 'handoff_requested' ? '[请求转人工] ' : last ? PREVIEW_PREFIX[last.senderType] : '';
  const preview = last ? prefix + maskPersonalNumbers(last.body) : '暂无消息';
  const callLabel = call
    ? call.state === 'requested'
      ? `请求${CALL_KIND_LABELS[call.kind]}`
      : `${CALL_KIND_LABELS[call.kind]}${CALL_STATE_LABELS[call.state]}`
    : null;
  return (
    <li style={{ listStyle: 'none' }}>
      <button
        type="button"
        onClick={() => onSelect(summary.id)}
        aria-current={selected ? 'true' : undefined}
        aria-label={`${summary.taxpayer.name}，${summary.personName}${callLabel ? `，${callLabel}` : ''}${unread > 0 ? `，${unread} 条未读` : ''}`}
        data-testid="conversation-item"
        data-conversation-id={summary.id}
        style={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          border: 0,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
          borderLeft: `3px solid ${selected ? token.colorPrimary : 'transparent'}`,
          background: selected ? token.colorPrimaryBg : 'transparent',
          padding: '10px 12px',
          cursor: 'pointer',
          font: 'inherit',
        }}
      >
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text strong ellipsis style={{ minWidth: 0 }}>
            {summary.taxpayer.name}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>
            <time dateTime={time}>{formatMessageTime(time)}</time>
          </Typography.Text>
        </Flex>
        <Flex justify="space-between" align="center" gap={8} style={{ marginTop: 4 }}>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 13, minWidth: 0 }}>
            {summary.personName}：{preview}
          </Typography.Text>
          <Badge count={unread} overflowCount={99} data-testid="unread-badge" />
        </Flex>
        {(waited !== null || summary.status === 'closed' || call) && (
          <Flex gap={4} style={{ marginTop: 4 }}>
            {call && callLabel && (
              <Tag
                color={call.state === 'requested' ? 'magenta' : 'green'}
                data-testid={call.state === 'requested' ? 'call-request-badge' : 'call-live-badge'}
                data-call-kind={call.kind}
              >
                {callLabel}
              </Tag>
            )}
            {waited !== null && (
              <Tag color={waited >= 120 ? 'red' : 'gold'} data-testid="waiting-time">
                已等待 {formatWait(waited)}
              </Tag>
            )}
            {summary.status === 'closed' && <Tag>已结束</Tag>}
          </Flex>
        )}
      </button>
    </li>
  );
}
