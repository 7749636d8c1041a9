import { TAXPAYER_TYPE_LABELS, type TConversationSummary } from '@zhengna/contracts';
import { Alert, Button, Flex, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { useConversationView } from '../../../shared/realtime/use-realtime.ts';
import { useRemoteTyping, useTypingSignal } from '../../../shared/realtime/use-typing.ts';
import { fetchConversationMessages } from '../api/workspace-api.ts';
import { ReplyBox } from './ReplyBox.tsx';
import { StaffMessageItem } from './StaffMessageItem.tsx';

interface ConversationPaneProps {
  client: RealtimeClient | null;
  summary: TConversationSummary;
  staffId: string;
  staffName: string;
}

/** The open conversation: who it is with, the timeline, and the reply box. */
export function ConversationPane({ client, summary, staffId, staffName }: ConversationPaneProps) {
  const conversationId = summary.id;
  const view = useConversationView(client, conversationId);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const taxpayerTyping = useRemoteTyping(client, conversationId, 'taxpayer');
  const signalTyping = useTypingSignal(client, conversationId);

  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    setLoading(true);
    setLoadError(null);
    fetchConversationMessages(conversationId).then(
      (page) => {
        if (cancelled) return;
        client.track(conversationId, page.messages);
        setHasOlder(page.hasMore);
        setLoading(false);
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError(errorMessage(error, '消息加载失败。'));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
      client.untrack(conversationId);
    };
  }, [client, conversationId]);

  const loadOlder = useCallback(async () => {
    const oldest = view.messages[0];
    if (!client || !oldest) return;
    setLoadingOlder(true);
    try {
      const page = await fetchConversationMessages(conversationId, oldest.seq);
      keepScrollOnPrepend.current = true;
      client.merge(conversationId, page.messages);
      setHasOlder(page.hasMore);
    } catch (error) {
      setLoadError(errorMessage(error, '加载记录失败。'));
    } finally {
      setLoadingOlder(false);
    }
  }, [client, conversationId, view.messages]);

  // Stick to the bottom when something new arrives; keep the reading position when older messages are prepended.
  const scrollRef = useRef<HTMLDivElement>(null);
  const keepScrollOnPrepend = useRef(false);
  const lastHeight = useRef(0);
  const itemCount = view.messages.length + view.pending.length;
  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (!box || itemCount === 0) return;
    if (keepScrollOnPrepend.current) {
      box.scrollTop += box.scrollHeight - lastHeight.current;
      keepScrollOnPrepend.current = false;
    } else {
      box.scrollTop = box.scrollHeight;
    }
    lastHeight.current = box.scrollHeight;
  }, [itemCount]);

  const send = (body: string) => client?.send(conversationId, body);

  return (
    <Flex vertical style={{ height: '100%', minHeight: 0 }}>
      <Flex
        component="header"
        align="center"
        gap={8}
        wrap
        style={{ padding: '10px 16px', background: '#fff', borderBottom: '1px solid rgba(5,5,5,.06)' }}
      >
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {summary.taxpayer.name}
        </Typography.Title>
        <Tag color="blue">{TAXPAYER_TYPE_LABELS[summary.taxpayer.type]}</Tag>
        <Typography.Text type="secondary">
          {summary.personName} · {summary.taxpayer.taxpayerNo} · {summary.taxpayer.taxOfficeName}
        </Typography.Text>
        {summary.status === 'closed' && <Tag>已结束</Tag>}
      </Flex>
      {loadError && <Alert type="error" banner title={loadError} />}
      <div
        ref={scrollRef}
        role="log"
        aria-live="polite"
        aria-label={`与${summary.taxpayer.name}的会话消息`}
        style={{ flex: 1, minHeight: 0, overflowY: 'auto', padding: '8px 16px', background: '#f7f8fa' }}
      >
        {loading ? (
          <Spin style={{ display: 'block', margin: '40px auto' }} description="加载消息…" />
        ) : (
          <>
            {hasOlder && view.messages.length > 0 && (
              <Flex justify="center" style={{ margin: '8px 0' }}>
                <Button size="small" onClick={loadOlder} loading={loadingOlder} data-testid="load-older">
                  加载记录
                </Button>
              </Flex>
            )}
            {view.messages.map((m) => {
              const own = m.senderType === 'agent' && m.senderId === staffId;
              return (
                <StaffMessageItem
                  key={m.clientId ? `c:${m.clientId}` : m.id}
                  senderType={m.senderType}
                  senderName={m.senderName}
                  body={m.body}
                  payload={m.payload}
                  createdAt={m.createdAt}
                  own={own}
                  delivery={own ? 'sent' : undefined}
                />
              );
            })}
            {view.pending.map((p) => (
              <StaffMessageItem
                key={`c:${p.clientId}`}
                senderType="agent"
                senderName={staffName}
                body={p.body}
                createdAt={p.createdAt}
                own
                delivery={p.state}
                error={p.error}
                onRetry={() => client?.retry(p.clientId)}
              />
            ))}
          </>
        )}
      </div>
      <div aria-live="polite" style={{ minHeight: 20, padding: '0 16px', fontSize: 12 }}>
        {taxpayerTyping && <Typography.Text type="secondary">纳税人正在输入…</Typography.Text>}
      </div>
      <ReplyBox
        disabled={!client || loading || summary.status === 'closed'}
        onSend={send}
        onTypingChange={signalTyping}
      />
    </Flex>
  );
}
