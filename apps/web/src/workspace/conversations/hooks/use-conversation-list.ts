import type { TConversationSummary } from '@zhengna/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { useConnectionState } from '../../../shared/realtime/use-realtime.ts';
import { type ConversationScope, fetchConversations } from '../api/workspace-api.ts';
import { applyMessage, isMine, sortSummaries, upsertSummary } from './conversation-list-state.ts';
import { useSeenSeq } from './use-seen-seq.ts';

/**
 * The agent's conversations: 我的会话 (open, assigned to me) always, 全部 while that tab is shown. Kept live from
 * 'conversation:updated' and 'message:new', and reloaded after a reconnect (pushes may have been missed offline).
 */
export function useConversationList(
  client: RealtimeClient | null,
  staffId: string,
  openId: string | null,
  withAll: boolean,
) {
  const [mine, setMine] = useState<TConversationSummary[]>([]);
  const [all, setAll] = useState<TConversationSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seen = useSeenSeq(staffId);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const withAllRef = useRef(withAll);
  withAllRef.current = withAll;

  const load = useCallback(
    (scope: ConversationScope) => {
      const set = scope === 'mine' ? setMine : setAll;
      return fetchConversations(scope).then(
        (list) => {
          set(sortSummaries(scope === 'mine' ? list.filter((s) => isMine(s, staffId)) : list));
          setError(null);
        },
        (e: unknown) => setError(errorMessage(e, '会话列表加载失败。')),
      );
    },
    [staffId],
  );

  const reload = useCallback(() => {
    void Promise.all([load('mine'), withAllRef.current ? load('all') : null]).finally(() => setLoading(false));
  }, [load]);

  const reloadSoon = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(reload, 300);
  }, [reload]);

  useEffect(() => {
    reload();
    return () => clearTimeout(reloadTimer.current);
  }, [reload]);
  useEffect(() => {
    if (withAll) void load('all');
  }, [withAll, load]);

  useEffect(() => {
    if (!client) return;
    const stopUpdates = client.onConversationUpdated((summary) => {
      setMine((list) => {
        if (isMine(summary, staffId)) return upsertSummary(list, summary);
        return list.some((s) => s.id === summary.id) ? list.filter((s) => s.id !== summary.id) : list;
      });
      setAll((list) => (withAllRef.current ? upsertSummary(list, summary) : list));
    });
    const stopMessages = client.onMessage((message) => {
      setMine((list) => {
        const next = applyMessage(list, message);
        return next ?? list;
      });
      setAll((list) => (withAllRef.current ? (applyMessage(list, message) ?? list) : list));
    });
    const stopAssigned = client.on('conversation:assigned', () => reloadSoon());
    return () => {
      stopUpdates();
      stopMessages();
      stopAssigned();
    };
  }, [client, staffId, reloadSoon]);

  // Messages of the listed conversations come live (at most 200: the server's cap).
  const watchKey = [...new Set([...mine, ...(withAll ? all : [])].map((c) => c.id))].slice(0, 200).join(',');
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
  const open = mine.find((c) => c.id === openId) ?? all.find((c) => c.id === openId);
  const markSeen = seen.markSeen;
  useEffect(() => {
    if (open) markSeen(open.id, open.lastSeq);
  }, [open, markSeen]);

  const unreadOf = useCallback(
    (summary: TConversationSummary) =>
      summary.id === openId ? 0 : Math.max(0, summary.lastSeq - seen.seenSeq(summary.id)),
    [openId, seen],
  );

  return { mine, all, open: open ?? null, loading, error, reload, unreadOf };
}
