import type { TQueuedConversation } from '@zhengna/contracts';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../shared/realtime/realtime-client.ts';
import { fetchQueue } from '../conversations/api/workspace-api.ts';

/** 排队中: the agent's groups' queue, refreshed every few seconds and whenever a conversation changes. */
export function useQueue(client: RealtimeClient | null, intervalMs = 5000) {
  const [queued, setQueued] = useState<TQueuedConversation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(() => {
    fetchQueue().then(
      (list) => {
        setQueued(list);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        setError(errorMessage(e, '排队列表加载失败。'));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    reload();
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [reload, intervalMs]);

  useEffect(() => {
    if (!client) return;
    const stopUpdated = client.onConversationUpdated(() => reload());
    const stopAssigned = client.on('conversation:assigned', () => reload());
    return () => {
      stopUpdated();
      stopAssigned();
    };
  }, [client, reload]);

  return { queued, error, loading, reload };
}
