import type { TMessagePage } from '@zhengna/contracts';
import { useCallback, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { useToast } from '../../ui/toast.tsx';

/** "加载记录": loads the page before the oldest message shown and merges it into the conversation. */
export function useOlderMessages(
  client: RealtimeClient | null,
  conversationId: string,
  initialHasMore: boolean,
  fetchPage: (beforeSeq: number) => Promise<TMessagePage>,
) {
  const message = useToast();
  const [hasOlder, setHasOlder] = useState(initialHasMore);
  const [loading, setLoading] = useState(false);

  const loadOlder = useCallback(async () => {
    if (!client || loading) return;
    const oldest = client.getConversation(conversationId).messages[0];
    if (!oldest) {
      setHasOlder(false);
      return;
    }
    setLoading(true);
    try {
      const page = await fetchPage(oldest.seq);
      client.merge(conversationId, page.messages);
      setHasOlder(page.hasMore);
    } catch (error) {
      void message.error(errorMessage(error, '加载记录失败，请稍后再试。'));
    } finally {
      setLoading(false);
    }
  }, [client, conversationId, fetchPage, loading, message]);

  return { hasOlder, loading, loadOlder };
}
