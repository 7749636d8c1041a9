import type { TCall, TConversationSummary } from '@zhengna/contracts';
import { Alert, Button, Empty, Spin } from 'antd';
import { ConversationListItem } from './ConversationListItem.tsx';

interface ConversationListProps {
  conversations: readonly TConversationSummary[];
  loading: boolean;
  error: string | null;
  selectedId: string | null;
  unreadOf: (summary: TConversationSummary) => number;
  /** The conversation's call that is not over (a taxpayer's request, a call in progress). */
  callOf?: (conversationId: string) => TCall | null;
  onSelect: (id: string) => void;
  onReload: () => void;
  /** Now (ms): shows how long each taxpayer has waited for an answer. */
  now?: number;
  emptyText?: string;
}

export function ConversationList({
  conversations,
  loading,
  error,
  selectedId,
  unreadOf,
  callOf,
  onSelect,
  onReload,
  now,
  emptyText = '暂无会话',
}: ConversationListProps) {
  if (loading) return <Spin style={{ display: 'block', margin: '40px auto' }} description="加载会话…" />;
  return (
    <nav aria-label="会话列表">
      {error && (
        <Alert
          type="error"
          title={error}
          action={
            <Button size="small" onClick={onReload}>
              重试
            </Button>
          }
        />
      )}
      {conversations.length === 0 && !error ? (
        <Empty description={emptyText} style={{ marginTop: 40 }} />
      ) : (
        <ul style={{ margin: 0, padding: 0 }} data-testid="conversation-list">
          {conversations.map((summary) => (
            <ConversationListItem
              key={summary.id}
              summary={summary}
              unread={unreadOf(summary)}
              call={callOf?.(summary.id) ?? null}
              selected={summary.id === selectedId}
              onSelect={onSelect}
              now={now}
            />
          ))}
        </ul>
      )}
    </nav>
  );
}
