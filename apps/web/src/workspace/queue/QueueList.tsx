import { HANDOFF_REASON_LABELS, type TQueuedConversation } from '@zhengna/contracts';
import { Alert, Button, Empty, Flex, Spin, Tag, Typography, theme } from 'antd';
import { formatWait } from '../conversations/hooks/conversation-list-state.ts';
import { useNow } from '../layout/use-now.ts';

interface QueueListProps {
  queued: readonly TQueuedConversation[];
  loading: boolean;
  error: string | null;
  accepting: string | null;
  onAccept: (conversationId: string) => void;
}

/** 排队中: who waits, since when, why, for which group; 接入 takes one (within the agent's cap). */
export function QueueList({ queued, loading, error, accepting, onAccept }: QueueListProps) {
  const { token } = theme.useToken();
  const now = useNow(5000);
  if (loading) return <Spin style={{ display: 'block', margin: '40px auto' }} description="加载排队…" />;
  return (
    <section aria-label="排队中的会话">
      {error && <Alert type="error" title={error} />}
      {queued.length === 0 && !error ? (
        <Empty description="当前无人排队" style={{ marginTop: 40 }} />
      ) : (
        <ul style={{ margin: 0, padding: 0 }} data-testid="queue-list">
          {queued.map((q) => {
            const waited = Math.max(q.waitingSeconds, (now - Date.parse(q.queuedAt)) / 1000);
            return (
              <li
                key={q.conversationId}
                data-testid="queue-item"
                data-conversation-id={q.conversationId}
                style={{
                  listStyle: 'none',
                  padding: '10px 12px',
                  borderBottom: `1px solid ${token.colorBorderSecondary}`,
                }}
              >
                <Flex justify="space-between" align="center" gap={8}>
                  <Typography.Text strong ellipsis style={{ minWidth: 0 }}>
                    {q.taxpayerName}
                  </Typography.Text>
                  <Button
                    size="small"
                    type="primary"
                    loading={accepting === q.conversationId}
                    onClick={() => onAccept(q.conversationId)}
                    aria-label={`接入 ${q.taxpayerName}`}
                    data-testid="queue-accept"
                  >
                    接入
                  </Button>
                </Flex>
                <Flex gap={4} wrap align="center" style={{ marginTop: 4 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {q.personName} · {q.groupName} · 已等待 {formatWait(waited)}
                  </Typography.Text>
                  {q.reason && (
                    <Tag color="orange" data-testid="queue-reason">
                      {HANDOFF_REASON_LABELS[q.reason]}
                    </Tag>
                  )}
                </Flex>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
