import type { TStaffMe } from '@zhengna/contracts';
import { App, Badge, Empty, Layout, Tabs } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { useConnectionState, useRealtimeClient } from '../../../shared/realtime/use-realtime.ts';
import { useCallController } from '../../../shared/rtc/use-call.ts';
import { fetchStaffRealtimeToken } from '../../../shared/staff/staff-api.ts';
import { AppointmentsView } from '../../appointments/components/AppointmentsView.tsx';
import { SupervisorBoard } from '../../board/SupervisorBoard.tsx';
import { fetchIceServers } from '../../calls/api/calls-api.ts';
import { CallPanel } from '../../calls/components/CallPanel.tsx';
import { CallRecordsView } from '../../calls/components/CallRecordsView.tsx';
import { CallsContext } from '../../calls/hooks/calls-context.ts';
import { useCallOverview } from '../../calls/hooks/use-call-overview.ts';
import { useCallRequestAlerts } from '../../calls/hooks/use-call-request-alerts.ts';
import { CasesView } from '../../cases/components/CasesView.tsx';
import { acceptConversation } from '../../conversations/api/workspace-api.ts';
import { ConversationList } from '../../conversations/components/ConversationList.tsx';
import { ConversationPane } from '../../conversations/components/ConversationPane.tsx';
import { useConversationList } from '../../conversations/hooks/use-conversation-list.ts';
import { beep, notifyDesktop } from '../../presence/assignment-alert.ts';
import { QueueList } from '../../queue/QueueList.tsx';
import { useQueue } from '../../queue/use-queue.ts';
import { TaxpayerCard } from '../../taxpayer/TaxpayerCard.tsx';
import { useNow } from '../use-now.ts';
import { WorkspaceHeader } from './WorkspaceHeader.tsx';

interface WorkspaceProps {
  me: TStaffMe;
  onLogout: () => void;
  /** The session is gone; `notice` says why when the server said so. */
  onSessionExpired: (notice?: string) => void;
}

type ListTab = 'mine' | 'queue' | 'all';
export type WorkspaceView = 'chats' | 'cases' | 'appointments' | 'board' | 'calls';

/** Logged-in agent: lists on the left, the open conversation in the middle, the taxpayer card on the right. */
export function Workspace({ me, onLogout, onSessionExpired }: WorkspaceProps) {
  const { message, notification } = App.useApp();
  const client = useRealtimeClient({
    enabled: true,
    fetchToken: fetchStaffRealtimeToken,
    onUnauthenticated: onSessionExpired,
  });
  const connection = useConnectionState(client);
  // an administrator ended this session (强制下线, account disabled, password reset): back to the login form, saying why
  useEffect(
    () => client?.onSessionEnded((reason) => onSessionExpired(reason || '登录已失效，请重新登录。')),
    [client, onSessionExpired],
  );
  const [view, setView] = useState<WorkspaceView>('chats');
  const [tab, setTab] = useState<ListTab>('mine');
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useConversationList(client, me.staffId, openId, tab === 'all');
  const queue = useQueue(client);
  const [accepting, setAccepting] = useState<string | null>(null);
  const now = useNow(10_000);
  const supervisor = me.role !== 'agent';
  const calls = useCallController(client, 'agent', fetchIceServers);
  const callOverview = useCallOverview(calls);
  const callsContext = useMemo(() => ({ controller: calls, live: callOverview.live }), [calls, callOverview.live]);
  const callOf = useMemo(() => {
    const byConversation = new Map(callOverview.live.map((c) => [c.conversationId, c]));
    return (conversationId: string) => byConversation.get(conversationId) ?? null;
  }, [callOverview.live]);

  const openConversation = useCallback((id: string) => {
    setView('chats');
    setOpenId(id);
  }, []);
  useCallRequestAlerts(client, openConversation);
  const reloadList = list.reload;
  // a conversation just started from a booking: it is mine, so show 我的会话 with it
  const openStarted = useCallback(
    (id: string) => {
      setTab('mine');
      reloadList();
      openConversation(id);
    },
    [reloadList, openConversation],
  );

  // A new assignment: a beep, a desktop notification (if allowed) and an in-page notice.
  useEffect(() => {
    if (!client) return;
    return client.on('conversation:assigned', (raw) => {
      const p = raw as { conversationId?: unknown; taxpayerName?: unknown };
      if (typeof p?.conversationId !== 'string') return;
      const id = p.conversationId;
      const name = typeof p.taxpayerName === 'string' ? p.taxpayerName : '纳税人';
      beep();
      notifyDesktop('新的会话', `${name} 已分配给您`, () => openConversation(id));
      notification.info({
        title: '新的会话',
        description: `${name} 已分配给您`,
        key: `assigned-${id}`,
        role: 'status',
        props: { 'data-testid': 'assigned-notice' } as object,
        onClick: () => openConversation(id),
      });
      setTab('mine');
    });
  }, [client, notification, openConversation]);

  const accept = async (conversationId: string) => {
    setAccepting(conversationId);
    try {
      await acceptConversation(conversationId);
      list.reload();
      queue.reload();
      setTab('mine');
      setOpenId(conversationId);
    } catch (e) {
      void message.error(errorMessage(e, '接入失败，请稍后再试。'));
      queue.reload();
    } finally {
      setAccepting(null);
    }
  };

  const changed = () => {
    list.reload();
    queue.reload();
  };

  const mineUnread = list.mine.reduce((sum, s) => sum + list.unreadOf(s), 0);
  const open = list.open;

  /** What both conversation lists (我的会话, 全部) share. */
  const listProps = {
    loading: list.loading,
    error: list.error,
    selectedId: openId,
    unreadOf: list.unreadOf,
    callOf,
    onSelect: setOpenId,
    onReload: list.reload,
  };

  return (
    <CallsContext value={callsContext}>
      <Layout style={{ height: '100vh' }}>
        <Layout.Header style={{ background: '#1456c7', paddingInline: 16 }}>
          <WorkspaceHeader
            me={me}
            connection={connection}
            onLogout={onLogout}
            view={view}
            onViewChange={setView}
            supervisor={supervisor}
          />
        </Layout.Header>
        {callOverview.panels.map((conversationId) => (
          <CallPanel
            key={conversationId}
            conversationId={conversationId}
            openConversationId={view === 'chats' ? openId : null}
            onOpenConversation={openConversation}
          />
        ))}
        {view === 'cases' ? (
          <Layout.Content style={{ minHeight: 0 }}>
            <CasesView me={me} client={client} />
          </Layout.Content>
        ) : view === 'appointments' ? (
          <Layout.Content style={{ minHeight: 0 }}>
            <AppointmentsView me={me} onOpenConversation={openStarted} />
          </Layout.Content>
        ) : view === 'board' && supervisor ? (
          <Layout.Content style={{ minHeight: 0 }}>
            <SupervisorBoard />
          </Layout.Content>
        ) : view === 'calls' && supervisor ? (
          <Layout.Content style={{ minHeight: 0 }}>
            <CallRecordsView />
          </Layout.Content>
        ) : (
          <Layout>
            <Layout.Sider
              width={320}
              theme="light"
              style={{ overflowY: 'auto', borderRight: '1px solid rgba(5,5,5,.06)' }}
            >
              <Tabs
                activeKey={tab}
                onChange={(k) => setTab(k as ListTab)}
                centered
                data-testid="workspace-tabs"
                items={[
                  {
                    key: 'mine',
                    label: (
                      <span data-testid="tab-mine">
                        我的会话 <Badge count={mineUnread} size="small" />
                      </span>
                    ),
                    children: (
                      <ConversationList
                        conversations={list.mine}
                        {...listProps}
                        now={now}
                        emptyText="暂无进行中的会话，切换为“在线”后将自动分配"
                      />
                    ),
                  },
                  {
                    key: 'queue',
                    label: (
                      <span data-testid="tab-queue">
                        排队中 <Badge count={queue.queued.length} size="small" color="orange" />
                      </span>
                    ),
                    children: (
                      <QueueList
                        queued={queue.queued}
                        loading={queue.loading}
                        error={queue.error}
                        accepting={accepting}
                        onAccept={(id) => void accept(id)}
                      />
                    ),
                  },
                  {
                    key: 'all',
                    label: <span data-testid="tab-all">全部</span>,
                    children: <ConversationList conversations={list.all} {...listProps} />,
                  },
                ]}
              />
            </Layout.Sider>
            <Layout.Content style={{ minHeight: 0 }}>
              {open ? (
                <ConversationPane key={open.id} client={client} summary={open} me={me} onChanged={changed} />
              ) : (
                <Empty description="请从左侧选择一个会话" style={{ marginTop: '20vh' }} />
              )}
            </Layout.Content>
            {open && (
              <Layout.Sider
                width={300}
                theme="light"
                style={{ overflowY: 'auto', borderLeft: '1px solid rgba(5,5,5,.06)' }}
              >
                <TaxpayerCard key={open.id} conversationId={open.id} />
              </Layout.Sider>
            )}
          </Layout>
        )}
      </Layout>
    </CallsContext>
  );
}
