import { Welcome } from '@ant-design/x';
import type { TChatSession, TConversation, TMessage, TMessagePage, TShortcut } from '@zhengna/contracts';
import { Alert, Button, Flex, Spin, Typography } from 'antd';
import { type DragEvent, lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { FEATURES } from '../../../shared/config/features.ts';
import { useConnectionState, useConversationView, useRealtimeClient } from '../../../shared/realtime/use-realtime.ts';
import { useRemoteTyping, useTypingSignal } from '../../../shared/realtime/use-typing.ts';
import { loadCallLayer, useCallEntry } from '../../call/call-entry.ts';
import { postToHost, readPortalPage } from '../../host/host-bridge.ts';
import { PanelNav } from '../../panels/components/PanelNav.tsx';
import { useInboxUnread } from '../../panels/hooks/use-inbox-unread.ts';
import { type PanelServices, PanelServicesContext } from '../../panels/panel-services.ts';
import type { PanelTabId } from '../../panels/panel-tabs.ts';
import {
  addFavorite,
  fetchChatRealtimeToken,
  fetchCurrentConversation,
  fetchDocumentDetail,
  fetchOlderMessages,
  leaveQueue,
  requestHandoff,
  sendFeedback,
  submitRating,
} from '../../session/chat-api.ts';
import { useToast } from '../../ui/toast.tsx';
import { fetchAttachmentBlob, uploadAttachment } from '../attachments/attachment-api.ts';
import { type FetchFile, FetchFileContext } from '../attachments/attachment-context.ts';
import { type StartUpload, useAttachmentUploads } from '../attachments/use-attachment-uploads.ts';
import { preloadAnswerExtras } from '../bot/BotMessage.tsx';
import { type BotActions, BotActionsContext } from '../bot/bot-actions.ts';
import { preloadMarkdown } from '../bot/LazyMarkdown.tsx';
import { QueueBanner } from '../handoff/QueueBanner.tsx';
import { nextQueueBanner, type QueueBannerState, queueEndedAfter } from '../handoff/queue-state.ts';
import { useFontSize } from '../hooks/use-font-size.ts';
import { useOlderMessages } from '../hooks/use-older-messages.ts';
import { ChatHeader } from './ChatHeader.tsx';
import { MessageComposer } from './MessageComposer.tsx';
import { MessageList } from './MessageList.tsx';

const loadSidePanel = () => import('../../panels/components/SidePanel.tsx');
const SidePanel = lazy(loadSidePanel);
// 留言 loads only when asked for: the chat's first load is at its size budget.
const InquiryPanel = lazy(() => import('../../inquiry/components/InquiryPanel.tsx'));
const AppointmentPanel = lazy(() => import('../../appointment/components/AppointmentPanel.tsx'));
// calls and remote assistance load on the first call record or when the taxpayer asks for one
const CallLayer = lazy(loadCallLayer);
const PANEL_ID = 'zn-side-panel';

interface ChatWindowProps {
  session: TChatSession;
  conversation: TConversation;
  firstPage: TMessagePage;
  hostOrigin: string;
  withAuth: <T>(call: (accessToken: string) => Promise<T>) => Promise<T>;
  onUnauthenticated: () => void;
  onClose: () => void;
}

/** The chat once the taxpayer is known: header, panel switches, history (or a side panel), input. */
export function ChatWindow({
  session,
  conversation: initialConversation,
  firstPage: initialPage,
  hostOrigin,
  withAuth,
  onUnauthenticated,
  onClose,
}: ChatWindowProps) {
  const message = useToast();
  const client = useRealtimeClient({
    enabled: true,
    fetchToken: () => withAuth(fetchChatRealtimeToken),
    onUnauthenticated,
  });
  // After a conversation is closed the next message starts a new one; the old messages stay above a divider.
  const [current, setCurrent] = useState({ conversation: initialConversation, firstPage: initialPage });
  const { conversation, firstPage } = current;
  const [earlier, setEarlier] = useState<TMessage[]>([]);
  const view = useConversationView(client, conversation.id);
  const connection = useConnectionState(client);
  const [ended, setEnded] = useState<string | null>(null);
  const font = useFontSize(session.profile.taxpayerId);
  const agentTyping = useRemoteTyping(client, conversation.id, 'agent');
  const signalTyping = useTypingSignal(client, conversation.id);
  const inbox = useInboxUnread(client, withAuth, hostOrigin);
  const [panel, setPanel] = useState<PanelTabId | 'inquiry' | 'appointment' | null>(null);
  /** 清屏: messages up to this seq are hidden (still on the server and in memory) until 加载记录. */
  const [clearedThrough, setClearedThrough] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const calls = useCallEntry(client);

  useEffect(() => {
    if (!client) return;
    client.track(conversation.id, firstPage.messages);
    return client.onSessionEnded((reason) => setEnded(reason || '本次会话已结束。'));
  }, [client, conversation.id, firstPage.messages]);

  // What the first paint did not need, fetched once the chat is up.
  useEffect(() => {
    const timer = setTimeout(() => {
      preloadMarkdown();
      preloadAnswerExtras();
      void loadSidePanel().catch(() => {});
    }, 300);
    return () => clearTimeout(timer);
  }, []);

  const [queue, setQueue] = useState<QueueBannerState | null>(
    conversation.queuedAt && !conversation.assigneeStaffId
      ? { conversationId: conversation.id, position: null, estimatedWaitSeconds: null }
      : null,
  );
  useEffect(() => {
    if (!client) return;
    const stopQueue = client.on('queue:update', (raw) => {
      const p = raw as { conversationId?: unknown; position?: unknown; estimatedWaitSeconds?: unknown };
      if (typeof p?.conversationId !== 'string' || typeof p.position !== 'number') return;
      const event = {
        type: 'update' as const,
        conversationId: p.conversationId,
        position: p.position,
        estimatedWaitSeconds: typeof p.estimatedWaitSeconds === 'number' ? p.estimatedWaitSeconds : 0,
      };
      setQueue((q) => nextQueueBanner(q, conversation.id, event));
    });
    const stopMessages = client.onMessage((m) =>
      setQueue((q) => nextQueueBanner(q, conversation.id, { type: 'message', message: m })),
    );
    return () => {
      stopQueue();
      stopMessages();
    };
  }, [client, conversation.id]);
  const leave = useCallback(async () => {
    try {
      await withAuth((token) => leaveQueue(token, conversation.id));
      setQueue(null);
    } catch (e) {
      void message.error(errorMessage(e, '退出排队失败，请稍后再试。'));
    }
  }, [withAuth, conversation.id, message]);

  const closed = conversation.status === 'closed' || view.messages.some((m) => m.payload?.kind === 'rating_request');
  const withAgent =
    !closed && (Boolean(conversation.assigneeStaffId) || view.messages.some((m) => m.payload?.kind === 'agent_joined'));
  // with an agent an invitation may come any time: have its code ready
  useEffect(() => {
    if (withAgent) void loadCallLayer().catch(() => {});
  }, [withAgent]);
  const rollover = useRef<{ from: string; promise: Promise<string> } | null>(null);
  /** The conversation ended: fetch (create) the new open one and move the old messages above the divider. */
  const startNewConversation = useCallback((): Promise<string> => {
    const from = conversation.id;
    if (rollover.current?.from === from) return rollover.current.promise;
    const promise = withAuth(fetchCurrentConversation).then(
      (next) => {
        if (next.conversation.id === from) return from;
        const old = client?.getConversation(from).messages ?? [];
        setEarlier((list) => [...list, ...old]);
        setCurrent({ conversation: next.conversation, firstPage: next.page });
        setQueue(null);
        return next.conversation.id;
      },
      (e: unknown) => {
        rollover.current = null;
        throw e;
      },
    );
    rollover.current = { from, promise };
    return promise;
  }, [withAuth, client, conversation.id]);

  const fetchPage = useCallback(
    (beforeSeq: number) => withAuth((token) => fetchOlderMessages(token, conversation.id, beforeSeq)),
    [withAuth, conversation.id],
  );
  const older = useOlderMessages(client, conversation.id, firstPage.hasMore, fetchPage);

  const send = useCallback(
    (body: string, attachmentIds: readonly string[] = []) => {
      if (!client) return;
      if (!closed) {
        client.send(conversation.id, body, attachmentIds);
        return;
      }
      startNewConversation().then(
        (id) => client.send(id, body),
        (e: unknown) => void message.error(errorMessage(e, '发送失败，请稍后再试。')),
      );
    },
    [client, conversation.id, closed, startNewConversation, message],
  );
  // A message refused because the conversation was closed meanwhile goes to the new conversation.
  useEffect(() => {
    const refused = view.pending.filter((p) => p.state === 'failed' && p.errorCode === 'CONVERSATION_CLOSED');
    if (!client || refused.length === 0) return;
    for (const p of refused) client.discard(p.clientId);
    startNewConversation().then(
      (id) => {
        for (const p of refused) client.send(id, p.body);
      },
      (e: unknown) => void message.error(errorMessage(e, '发送失败，请稍后再试。')),
    );
  }, [client, view.pending, startNewConversation, message]);
  const retry = useCallback((clientId: string) => client?.retry(clientId), [client]);
  const canSend = Boolean(client);
  const handoff = useCallback(() => {
    const ask = (id: string) => {
      const before = client?.getConversation(id).lastSeq ?? 0;
      return withAuth((token) => requestHandoff(token, id)).then(
        (status) => {
          // only a request still waiting shows the banner; an agent may already have joined meanwhile
          const ended = client ? queueEndedAfter(client.getConversation(id).messages, before) : false;
          if (status === 'queued' && !ended) {
            setQueue((q) => q ?? { conversationId: id, position: null, estimatedWaitSeconds: null });
          }
        },
        (e: unknown) => void message.error(errorMessage(e, '转人工失败，请稍后再试。')),
      );
    };
    if (closed) void startNewConversation().then(ask);
    else void ask(conversation.id);
  }, [withAuth, closed, startNewConversation, conversation.id, message, client]);

  const startUpload = useCallback<StartUpload>(
    (file, onProgress) => {
      let abort = () => {};
      const promise = withAuth((token) => {
        const handle = uploadAttachment(token, conversation.id, file, onProgress);
        abort = handle.abort;
        return handle.promise;
      });
      return { promise, abort: () => abort() };
    },
    [withAuth, conversation.id],
  );
  const uploads = useAttachmentUploads(startUpload);
  const fetchFile = useCallback<FetchFile>((url) => withAuth((token) => fetchAttachmentBlob(token, url)), [withAuth]);

  const botActions = useMemo<BotActions>(
    () => ({
      canSend,
      send: (text) => {
        if (canSend) send(text);
      },
      handoff,
      rate: (conversationId, score, comment) =>
        withAuth((token) => submitRating(token, conversationId, score, comment)),
      sendFeedback: (messageId, helpful) => withAuth((token) => sendFeedback(token, messageId, helpful)),
      addFavorite: (kind, refId) => withAuth((token) => addFavorite(token, kind, refId)),
      fetchDocument: (documentId) => withAuth((token) => fetchDocumentDetail(token, documentId)),
      startInquiry: () => setPanel('inquiry'),
      startAppointment: () => setPanel('appointment'),
    }),
    [canSend, send, handoff, withAuth],
  );

  const closePanel = useCallback(() => {
    setPanel((current) => {
      // Focus goes back to the switch that opened the panel.
      if (current)
        requestAnimationFrame(() =>
          document
            .querySelector<HTMLElement>(
              `[data-testid="${current === 'inquiry' || current === 'appointment' ? `${current}-button` : `panel-tab-${current}`}"]`,
            )
            ?.focus(),
        );
      return null;
    });
  }, []);

  const openShortcut = useCallback(
    (shortcut: TShortcut) => {
      if (shortcut.openIn === 'parent') {
        // The host page navigates itself (the loader accepts only paths on its own origin).
        postToHost(hostOrigin, { type: 'zn:navigate', url: shortcut.url });
        return;
      }
      // Catalogue paths are paths on the portal.
      const url = new URL(shortcut.url, hostOrigin).href;
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    [hostOrigin],
  );

  const panelServices = useMemo<PanelServices>(
    () => ({
      conversationId: conversation.id,
      page: readPortalPage(),
      canSend,
      withAuth,
      ask: (text) => {
        if (!canSend) return;
        setClearedThrough(null);
        send(text);
        setPanel(null);
      },
      showMessage: (m: TMessage) => client?.merge(conversation.id, [m]),
      close: closePanel,
      openShortcut,
      unread: inbox.unread,
      setUnread: inbox.setUnread,
      onInbox: (listener) => client?.onInbox(listener) ?? (() => {}),
    }),
    [conversation.id, canSend, withAuth, send, client, closePanel, openShortcut, inbox.unread, inbox.setUnread],
  );

  const clearScreen = useCallback(() => {
    setClearedThrough(view.lastSeq);
    void message.success('已清屏，历史记录仍保留，可点击“加载记录”恢复。');
  }, [view.lastSeq, message]);

  const loadHistory = useCallback(() => {
    if (clearedThrough !== null) {
      setClearedThrough(null);
      return;
    }
    if (older.hasOlder) void older.loadOlder();
    else void message.info('已显示全部历史记录。');
  }, [clearedThrough, older, message]);

  const visibleMessages = useMemo(
    () => (clearedThrough === null ? view.messages : view.messages.filter((m) => m.seq > clearedThrough)),
    [view.messages, clearedThrough],
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

  const clearedNotice =
    clearedThrough !== null ? (
      <Typography.Text
        type="secondary"
        style={{ fontSize: 12, display: 'block', textAlign: 'center' }}
        data-testid="cleared-notice"
      >
        已清屏。历史记录仍保存在服务器上，点击“加载记录”可恢复。
      </Typography.Text>
    ) : undefined;

  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
  const dropHandlers = {
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event) || !canSend) return;
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: (event: DragEvent) => {
      if (event.currentTarget === event.target || !event.currentTarget.contains(event.relatedTarget as Node))
        setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      setDragging(false);
      if (!hasFiles(event) || !canSend) return;
      event.preventDefault();
      uploads.add(Array.from(event.dataTransfer.files));
    },
  };

  return (
    <FetchFileContext value={fetchFile}>
      <BotActionsContext value={botActions}>
        <Flex vertical className="zn-chat" style={{ height: '100%', position: 'relative' }} {...dropHandlers}>
          <ChatHeader enterpriseName={session.profile.name} personName={session.personName} onClose={onClose} />
          <PanelNav
            active={panel === 'inquiry' || panel === 'appointment' ? null : panel}
            panelId={PANEL_ID}
            unread={inbox.unread}
            onSelect={(tab) => (panel === tab ? closePanel() : setPanel(tab))}
          />
          <Flex
            align="center"
            justify="flex-end"
            gap={4}
            style={{ padding: '2px 12px', borderBottom: '1px solid rgba(5,5,5,.06)', flex: 'none' }}
          >
            <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 'auto' }}>
              {session.profile.taxOfficeName}
            </Typography.Text>
            <Flex role="group" aria-label="字体大小" gap={2} align="center">
              <Button size="small" type="text" onClick={font.shrink} disabled={!font.canShrink} aria-label="缩小字体">
                A-
              </Button>
              <Button size="small" type="text" onClick={font.grow} disabled={!font.canGrow} aria-label="放大字体">
                A+
              </Button>
            </Flex>
          </Flex>
          {connection === 'disconnected' && (
            <Alert type="warning" banner title="网络连接已断开，正在重新连接…" role="status" />
          )}
          {ended && <Alert type="info" banner title={ended} />}
          {queue && <QueueBanner state={queue} onLeave={leave} />}
          <div className="zn-body">
            <div className="zn-conversation">
              <MessageList
                welcome={welcome}
                messages={visibleMessages}
                pending={view.pending}
                hasOlder={clearedThrough === null && older.hasOlder && view.messages.length > 0}
                loadingOlder={older.loading}
                onLoadOlder={older.loadOlder}
                onRetry={retry}
                fontSize={font.fontSize}
                notice={clearedNotice}
                earlier={clearedThrough === null ? earlier : undefined}
              />
              <div aria-live="polite" style={{ minHeight: 20, padding: '0 16px', flex: 'none' }}>
                {agentTyping && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    客服正在输入…
                  </Typography.Text>
                )}
              </div>
              <MessageComposer
                disabled={!canSend}
                onSend={(body, ids) => {
                  setClearedThrough(null);
                  send(body, ids);
                }}
                onHandoff={handoff}
                // with an agent the taxpayer asks them directly; 留言 is for bot, queue and after-hours time
                onInquiry={FEATURES.inquiry && !withAgent ? () => setPanel('inquiry') : undefined}
                onAppointment={FEATURES.appointment && !withAgent ? () => setPanel('appointment') : undefined}
                onTypingChange={signalTyping}
                calls={{ withAgent, open: calls.open }}
                uploads={uploads}
                onClearScreen={clearScreen}
                onLoadHistory={loadHistory}
                loadingHistory={older.loading}
                client={client}
              />
            </div>
            {panel && (
              <PanelServicesContext value={panelServices}>
                <Suspense
                  fallback={
                    <div className="zn-side-panel" style={{ alignItems: 'center', justifyContent: 'center' }}>
                      <Spin description="正在加载…" />
                    </div>
                  }
                >
                  {panel === 'inquiry' ? (
                    <InquiryPanel id={PANEL_ID} taxpayerId={session.profile.taxpayerId} />
                  ) : panel === 'appointment' ? (
                    <AppointmentPanel id={PANEL_ID} />
                  ) : (
                    <SidePanel key={panel} tab={panel} id={PANEL_ID} />
                  )}
                </Suspense>
              </PanelServicesContext>
            )}
            {calls.loaded && (
              <Suspense fallback={null}>
                <CallLayer
                  client={client}
                  conversationId={conversation.id}
                  withAuth={withAuth}
                  buffer={calls.buffer}
                  intent={calls.intent}
                  onIntent={calls.open}
                  fontSize={font.fontSize}
                />
              </Suspense>
            )}
          </div>
          {dragging && (
            <div className="zn-drop-overlay" aria-hidden="true">
              松开鼠标即可上传图片或文件
            </div>
          )}
        </Flex>
      </BotActionsContext>
    </FetchFileContext>
  );
}
