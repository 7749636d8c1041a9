import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError } from '../api/api-error.ts';
import { connectSocket } from './connect-socket.ts';
import { type ConnectionState, type ConversationView, RealtimeClient } from './realtime-client.ts';

const EMPTY: ConversationView = { messages: [], pending: [], lastSeq: 0 };

/** The live view of one conversation (stored + pending own messages). */
export function useConversationView(client: RealtimeClient | null, conversationId: string | null): ConversationView {
  return useSyncExternalStore(
    (listener) => client?.subscribe(listener) ?? (() => {}),
    () => (client && conversationId ? client.getConversation(conversationId) : EMPTY),
  );
}

export function useConnectionState(client: RealtimeClient | null): ConnectionState {
  return useSyncExternalStore(
    (listener) => client?.subscribe(listener) ?? (() => {}),
    () => client?.getConnectionState() ?? 'connecting',
  );
}

export interface UseRealtimeClientOptions {
  /** Connect only once the session is known (e.g. after login / single sign-on). */
  enabled: boolean;
  fetchToken: () => Promise<string>;
  onUnauthenticated?: () => void;
}

/** Opens the socket and its {@link RealtimeClient} for as long as the component is mounted and enabled. */
export function useRealtimeClient({
  enabled,
  fetchToken,
  onUnauthenticated,
}: UseRealtimeClientOptions): RealtimeClient | null {
  const [client, setClient] = useState<RealtimeClient | null>(null);
  // The socket lives longer than any one render; it reads the latest callbacks through refs.
  const fetchRef = useRef(fetchToken);
  const unauthRef = useRef(onUnauthenticated);
  useEffect(() => {
    fetchRef.current = fetchToken;
    unauthRef.current = onUnauthenticated;
  });

  useEffect(() => {
    if (!enabled) return;
    const socket = connectSocket({
      fetchToken: () => fetchRef.current(),
      onUnauthenticated: () => unauthRef.current?.(),
      isUnauthenticated: (error) => error instanceof ApiError && error.isUnauthenticated,
    });
    const created = new RealtimeClient(socket);
    setClient(created);
    return () => {
      created.dispose();
      socket.disconnect();
      setClient(null);
    };
  }, [enabled]);

  return client;
}
