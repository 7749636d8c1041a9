import type { TConversationSummary } from '@zhengna/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { useConnectionState } from '../../../shared/realtime/use-realtime.ts';
import { fetchConversations } from '../api/workspace-api.ts';
import { applyMessage, sortSummaries, upsertSummary } from './conversation-list-state.ts';
import { useSeenSeq } from './use-seen-seq.ts';

/**
 * The agent's conversation list, kept live from 'conversation:updated' and 'message:new', and reloaded after a
 * reconnect (pushes may have been missed while offline).
 */
export function useConversationList(client: RealtimeClient | null, staffId: string, openId: string | null) {
  const [conversations, setConversations] = useState<TConversationSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seen = useSeenSeq(staffId);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const reload = useCallback(() => {
    fetchConversations().then(
      (list) => {
        setConversations(sortSummaries(list));
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        setError(errorMessage(e, '会话列表加载失败。'));
        setLoading(false);
      },
    );
  }, []);

  const reloadSoon = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(reload, 300);
  }, [reload]);

  useEffect(() => {
    reload();
    return () => clearTimeout(reloadTimer.current);
  }, [reload]);

  useEffect(() => {
    if (!client) return;
    const stopUpdates = client.onConversationUpdated((summary) =>
      setConversations((list) => upsertSummary(list, summary)),
    );
    const stopMessages = client.onMessage((message) =>
      setConversations((list) => {
        const next = applyMessage(list, message);
        if (!next) reloadSoon();
        return next ?? list;
      }),
    );
    return () => {
      stopUpdates();
      stopMessages();
    };
  }, [client, reloadSoon]);

  // Messages of the listed conversations come live; the list is at most 100 (the server's page).
  const watchKey = conversations.map((c) => c.id).join(',');
  useEffect(() => {
    if (client) client.watch(watchKey ? watchKey.split(',') : []);
  }, [client, watchKey]);

  const connection = useConnectionState(client);
  const wasDisconnected = useRef(false);
  useEffect(() => {
    if (connection === 'disconnected') wasDisconnected.current = true;
    if (connection === 'connected' && wasDisconnected.current) {
      wasDisconnected.current = false;
      reload();
    }
  }, [connection, reload]);

  // Everything in the open conversation counts as read.
  const open = conversations.find((c) => c.id === openId);
  const markSeen = seen.markSeen;
  useEffect(() => {
    if (open) markSeen(open.id, open.lastSeq);
  }, [open, markSeen]);

  const unreadOf = useCallback(
    (summary: TConversationSummary) =>
      summary.id === openId ? 0 : Math.max(0, summary.lastSeq - seen.seenSeq(summary.id)),
    [openId, seen],
  );

  return { conversations, loading, error, reload, unreadOf };
}
