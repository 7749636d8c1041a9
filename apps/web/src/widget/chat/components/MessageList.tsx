import { Bubble, type BubbleItemType, type BubbleListProps } from '@ant-design/x';
import type { TAttachment, TMessage } from '@zhengna/contracts';
import { Button, Flex, type GetRef, Spin, Typography, theme } from 'antd';
import { lazy, type ReactNode, Suspense, type UIEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import { FEATURES } from '../../../shared/config/features.ts';
import type { PendingMessage } from '../../../shared/realtime/realtime-client.ts';
import { BotMessage } from '../bot/BotMessage.tsx';
import { useBotActions } from '../bot/bot-actions.ts';
import { DeliveryStatus } from './DeliveryStatus.tsx';
import { MessageMeta } from './MessageMeta.tsx';

const MessageAttachments = lazy(() => import('../attachments/MessageAttachments.tsx'));
const RatingCard = lazy(() => import('../handoff/RatingCard.tsx'));

interface MessageListProps {
  welcome: ReactNode;
  messages: readonly TMessage[];
  pending: readonly PendingMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  fontSize: number;
  /** Shown above the messages, e.g. after 清屏. */
  notice?: ReactNode;
  /** Messages of conversations that ended in this visit, shown above a divider "本次服务已结束". */
  earlier?: readonly TMessage[];
}

/** Within this many pixels of the top, scrolling up loads the previous page (加载记录, older first). */
const LOAD_OLDER_WITHIN_PX = 48;

const BOT_NAME = '智能助理';

/** The conversation as chat bubbles: taxpayer (own) on the right, agents and the assistant on the left. */
export function MessageList({
  welcome,
  messages,
  pending,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  onRetry,
  fontSize,
  notice,
  earlier,
}: MessageListProps) {
  const { token } = theme.useToken();

  const roles = useMemo<BubbleListProps['role']>(() => {
    const text = { whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize } as const;
    return {
      taxpayer: {
        placement: 'end',
        styles: { content: { ...text, background: token.colorPrimary, color: token.colorWhite } },
      },
      agent: { placement: 'start', styles: { content: { ...text, background: token.colorSuccessBg } } },
      bot: { placement: 'start', styles: { content: text } },
      notice: { placement: 'start', variant: 'borderless', styles: { content: { padding: 0, width: '100%' } } },
    };
  }, [token, fontSize]);

  const items = useMemo(() => {
    const list: BubbleItemType[] = [{ key: 'welcome', role: 'notice', content: welcome }];
    if (hasOlder || loadingOlder) {
      list.push({
        key: 'load-older',
        role: 'notice',
        content: (
          <Flex justify="center" data-testid="older-hint">
            {loadingOlder ? (
              <Spin size="small" description="正在加载更早的记录…" />
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                向上滚动或点击“加载记录”查看更早的消息
              </Typography.Text>
            )}
          </Flex>
        ),
      });
    }
    if (notice) list.push({ key: 'notice', role: 'notice', content: notice });
    // "已发送" only under the latest own message; older ones would just repeat it.
    const lastOwn = pending.length === 0 ? messages.findLast((m) => m.senderType === 'taxpayer')?.id : undefined;
    if (earlier?.length) {
      for (const message of earlier) list.push(storedItem(message, false));
      list.push({
        key: 'ended-divider',
        role: 'system',
        content: '本次服务已结束',
        ...dataAttributes({ 'data-testid': 'service-ended-divider' }),
      });
    }
    for (const message of messages) list.push(storedItem(message, message.id === lastOwn));
    for (const entry of pending) list.push(pendingItem(entry, onRetry));
    return list;
  }, [welcome, hasOlder, loadingOlder, notice, earlier, messages, pending, onRetry]);

  // The list keeps the reader's place when they scrolled up; sending something brings them back down.
  const listRef = useRef<GetRef<typeof Bubble.List>>(null);
  const pendingCount = pending.length;
  const previousPending = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > previousPending.current) listRef.current?.scrollTo({ top: 'bottom', behavior: 'instant' });
    previousPending.current = pendingCount;
  }, [pendingCount]);

  // Older pages on scroll-up. The list scrolls in reverse (newest at the bottom, scrollTop ≤ 0 upwards).
  const onScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) => {
      const box = event.currentTarget;
      const reversed = getComputedStyle(box).flexDirection === 'column-reverse';
      const fromTop = reversed ? box.scrollHeight - box.clientHeight + box.scrollTop : box.scrollTop;
      if (fromTop < LOAD_OLDER_WITHIN_PX && hasOlder && !loadingOlder) onLoadOlder();
    },
    [hasOlder, loadingOlder, onLoadOlder],
  );

  return (
    <div
      role="log"
      aria-live="polite"
      aria-label="会话消息"
      style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}
    >
      <Bubble.List ref={listRef} items={items} role={roles} onScroll={onScroll} style={{ flex: 1, minHeight: 0 }} />
    </div>
  );
}

const NOTICE_KINDS = new Set([
  'handoff_requested',
  'agent_joined',
  'agents_unavailable',
  'transferred',
  'idle_warning',
  'inquiry_reply',
  'call',
]);

/** data-* attributes reach the bubble's root element (Bubble passes them through); used by tests and styling. */
function dataAttributes(values: Record<string, string>): Record<string, string> {
  return values;
}

function storedItem(message: TMessage, showDelivery: boolean): BubbleItemType {
  const own = message.senderType === 'taxpayer';
  const key = message.clientId ? `c:${message.clientId}` : message.id;
  // "请求转人工", "坐席已接入" and "暂无坐席" are notices in the middle of the conversation, not somebody's bubble.
  if (message.payload && NOTICE_KINDS.has(message.payload.kind)) {
    return {
      key,
      role: 'system',
      content:
        message.payload.kind === 'agents_unavailable' && message.payload.offers.length > 0 ? (
          <InquiryOffer body={message.body} offers={message.payload.offers} />
        ) : (
          message.body
        ),
      ...dataAttributes({
        'data-testid': 'system-notice',
        'data-sender-type': message.senderType,
        'data-payload-kind': message.payload.kind,
        'data-seq': String(message.seq),
        // the notice's icon (widget.css) follows the kind of call
        ...(message.payload.kind === 'call' ? { 'data-call-kind': message.payload.callKind } : {}),
      }),
    };
  }
  if (message.payload?.kind === 'rating_request') {
    return {
      key,
      role: 'notice',
      content: <RatingSlot conversationId={message.conversationId} />,
      ...dataAttributes({ 'data-payload-kind': 'rating_request', 'data-seq': String(message.seq) }),
    };
  }
  if (message.senderType === 'system') {
    return { key, role: 'system', content: message.body };
  }
  const bot = message.senderType === 'bot';
  const name = bot ? BOT_NAME : message.senderName;
  return {
    key,
    role: message.senderType,
    // The assistant writes Markdown and may attach choices; people's messages stay plain text.
    content: bot ? (
      <BotMessage message={message} />
    ) : (
      <>
        {message.body}
        {message.attachments.length > 0 && <AttachmentBlock attachments={message.attachments} />}
      </>
    ),
    header: <MessageMeta name={own ? undefined : name} time={message.createdAt} />,
    footer: own && showDelivery ? <DeliveryStatus state="sent" /> : undefined,
    ...dataAttributes({
      'data-testid': 'message-bubble',
      'data-sender-type': message.senderType,
      'data-seq': String(message.seq),
      'data-delivery': own ? 'sent' : 'received',
      ...(message.payload ? { 'data-payload-kind': message.payload.kind } : {}),
    }),
  };
}

/** "暂无坐席" (every agent away, or after hours) with the 留言 and 预约 it offers, when those features are on. */
function InquiryOffer({ body, offers }: { body: string; offers: readonly string[] }) {
  const { startInquiry, startAppointment } = useBotActions();
  return (
    <>
      {body}
      {FEATURES.inquiry && startInquiry && offers.includes('inquiry') && (
        <Button size="small" type="link" onClick={startInquiry} data-testid="inquiry-offer">
          留言
        </Button>
      )}
      {FEATURES.appointment && startAppointment && offers.includes('appointment') && (
        <Button size="small" type="link" onClick={startAppointment} data-testid="appointment-offer">
          预约
        </Button>
      )}
    </>
  );
}

/** 满意度 card of a closed conversation (its code loads when the first one is shown). */
function RatingSlot({ conversationId }: { conversationId: string }) {
  const { rate } = useBotActions();
  return (
    <Suspense fallback={<Spin size="small" />}>
      <RatingCard onSubmit={(score, comment) => rate(conversationId, score, comment)} />
    </Suspense>
  );
}

function AttachmentBlock({ attachments }: { attachments: readonly TAttachment[] }) {
  return (
    <Suspense fallback={<Typography.Text type="secondary">附件加载中…</Typography.Text>}>
      <MessageAttachments attachments={attachments} />
    </Suspense>
  );
}

function pendingItem(entry: PendingMessage, onRetry: (clientId: string) => void): BubbleItemType {
  return {
    key: `c:${entry.clientId}`,
    role: 'taxpayer',
    content: entry.attachmentIds.length > 0 ? `${entry.body}\n（${entry.attachmentIds.length} 个附件）` : entry.body,
    header: <MessageMeta time={entry.createdAt} />,
    footer: <DeliveryStatus state={entry.state} error={entry.error} onRetry={() => onRetry(entry.clientId)} />,
    ...dataAttributes({
      'data-testid': 'message-bubble',
      'data-sender-type': 'taxpayer',
      'data-delivery': entry.state,
    }),
  };
}
