import type { TStaffMe } from '@zhengna/contracts';
import { Empty, Layout } from 'antd';
import { useState } from 'react';
import { useConnectionState, useRealtimeClient } from '../../../shared/realtime/use-realtime.ts';
import { fetchStaffRealtimeToken } from '../../../shared/staff/staff-api.ts';
import { ConversationList } from '../../conversations/components/ConversationList.tsx';
import { ConversationPane } from '../../conversations/components/ConversationPane.tsx';
import { useConversationList } from '../../conversations/hooks/use-conversation-list.ts';
import { WorkspaceHeader } from './WorkspaceHeader.tsx';

interface WorkspaceProps {
  me: TStaffMe;
  onLogout: () => void;
  onSessionExpired: () => void;
}

/** Logged-in agent: conversations on the left, the open one on the right. */
export function Workspace({ me, onLogout, onSessionExpired }: WorkspaceProps) {
  const client = useRealtimeClient({
    enabled: true,
    fetchToken: fetchStaffRealtimeToken,
    onUnauthenticated: onSessionExpired,
  });
  const connection = useConnectionState(client);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useConversationList(client, me.staffId, openId);
  const open = list.conversations.find((c) => c.id === openId) ?? null;

  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Header style={{ background: '#1456c7', paddingInline: 16 }}>
        <WorkspaceHeader me={me} connection={connection} onLogout={onLogout} />
      </Layout.Header>
      <Layout>
        <Layout.Sider width={340} theme="light" style={{ overflowY: 'auto', borderRight: '1px solid rgba(5,5,5,.06)' }}>
          <ConversationList
            conversations={list.conversations}
            loading={list.loading}
            error={list.error}
            selectedId={openId}
            unreadOf={list.unreadOf}
            onSelect={setOpenId}
            onReload={list.reload}
          />
        </Layout.Sider>
        <Layout.Content style={{ minHeight: 0 }}>
          {open ? (
            <ConversationPane key={open.id} client={client} summary={open} staffId={me.staffId} staffName={me.name} />
          ) : (
            <Empty description="请从左侧选择一个会话" style={{ marginTop: '20vh' }} />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
