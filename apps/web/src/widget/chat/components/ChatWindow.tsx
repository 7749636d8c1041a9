import { Welcome } from '@ant-design/x';
import type { TChatSession, TConversation, TMessagePage } from '@zhengna/contracts';
import { Alert, Button, Flex, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useConnectionState, useConversationView, useRealtimeClient } from '../../../shared/realtime/use-realtime.ts';
import { useRemoteTyping, useTypingSignal } from '../../../shared/realtime/use-typing.ts';
import {
  addFavorite,
  fetchChatRealtimeToken,
  fetchDocumentDetail,
  fetchOlderMessages,
  sendFeedback,
} from '../../session/chat-api.ts';
import { type BotActions, BotActionsContext } from '../bot/bot-actions.ts';
import { useFontSize } from '../hooks/use-font-size.ts';
import { useOlderMessages } from '../hooks/use-older-messages.ts';
import { ChatHeader } from './ChatHeader.tsx';
import { MessageComposer } from './MessageComposer.tsx';
import { MessageList } from './MessageList.tsx';

interface ChatWindowProps {
  session: TChatSession;
  conversation: TConversation;
  firstPage: TMessagePage;
  withAuth: <T>(call: (accessToken: string) => Promise<T>) => Promise<T>;
  onUnauthenticated: () => void;
  onClose: () => void;
}

/** The chat once the taxpayer is known: header, history, input. */
export function ChatWindow({
  session,
  conversation,
  firstPage,
  withAuth,
  onUnauthenticated,
  onClose,
}: ChatWindowProps) {
  const client = useRealtimeClient({
    enabled: true,
    fetchToken: () => withAuth(fetchChatRealtimeToken),
    onUnauthenticated,
  });
  const view = useConversationView(client, conversation.id);
  const connection = useConnectionState(client);
  const [ended, setEnded] = useState<string | null>(null);
  const font = useFontSize(session.profile.taxpayerId);
  const agentTyping = useRemoteTyping(client, conversation.id, 'agent');
  const signalTyping = useTypingSignal(client, conversation.id);

  useEffect(() => {
    if (!client) return;
    client.track(conversation.id, firstPage.messages);
    return client.onSessionEnded((reason) => setEnded(reason || '本次会话已结束。'));
  }, [client, conversation.id, firstPage.messages]);

  const fetchPage = useCallback(
    (beforeSeq: number) => withAuth((token) => fetchOlderMessages(token, conversation.id, beforeSeq)),
    [withAuth, conversation.id],
  );
  const older = useOlderMessages(client, conversation.id, firstPage.hasMore, fetchPage);

  const send = useCallback((body: string) => client?.send(conversation.id, body), [client, conversation.id]);
  const retry = useCallback((clientId: string) => client?.retry(clientId), [client]);
  const canSend = Boolean(client) && conversation.status !== 'closed';

  const botActions = useMemo<BotActions>(
    () => ({
      canSend,
      send: (text) => {
        if (canSend) send(text);
      },
      sendFeedback: (messageId, helpful) => withAuth((token) => sendFeedback(token, messageId, helpful)),
      addFavorite: (kind, refId) => withAuth((token) => addFavorite(token, kind, refId)),
      fetchDocument: (documentId) => withAuth((token) => fetchDocumentDetail(token, documentId)),
    }),
    [canSend, send, withAuth],
  );

  const welcome = useMemo(
    () => (
      <Welcome
        variant="borderless"
        title={`您好${session.personName ? `，${session.personName}` : ''}，欢迎使用征纳互动`}
        description="智能助理 7×24 小时在线，可解答发票开具、申报缴税、税务数字账户等问题；需要时可转人工客服。"
        styles={{ title: { fontSize: 16 }, description: { fontSize: font.fontSize - 1 } }}
      />
    ),
    [session.personName, font.fontSize],
  );

  return (
    <Flex vertical style={{ height: '100%' }}>
      <ChatHeader enterpriseName={session.profile.name} personName={session.personName} onClose={onClose} />
      <Flex
        align="center"
        justify="flex-end"
        gap={4}
        style={{ padding: '4px 12px', borderBottom: '1px solid rgba(5,5,5,.06)', flex: 'none' }}
      >
        <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 'auto' }}>
          {session.profile.taxOfficeName}
        </Typography.Text>
        <Button size="small" type="text" onClick={font.shrink} disabled={!font.canShrink} aria-label="缩小字体">
          A-
        </Button>
        <Button size="small" type="text" onClick={font.grow} disabled={!font.canGrow} aria-label="放大字体">
          A+
        </Button>
      </Flex>
      {connection === 'disconnected' && (
        <Alert type="warning" banner title="网络连接已断开，正在重新连接…" role="status" />
      )}
      {ended && <Alert type="info" banner title={ended} />}
      <BotActionsContext value={botActions}>
        <MessageList
          welcome={welcome}
          messages={view.messages}
          pending={view.pending}
          hasOlder={older.hasOlder && view.messages.length > 0}
          loadingOlder={older.loading}
          onLoadOlder={older.loadOlder}
          onRetry={retry}
          fontSize={font.fontSize}
        />
      </BotActionsContext>
      <div aria-live="polite" style={{ minHeight: 20, padding: '0 16px', flex: 'none' }}>
        {agentTyping && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            客服正在输入…
          </Typography.Text>
        )}
      </div>
      <MessageComposer disabled={!canSend} onSend={send} onTypingChange={signalTyping} />
    </Flex>
  );
}
