import type { TSenderType } from '@zhengna/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RealtimeClient } from './realtime-client.ts';

/** Re-announce "typing" at most this often while the user keeps typing. */
const TYPING_REPEAT_MS = 3000;
/** Stop announcing after this long without a keystroke. */
const TYPING_IDLE_MS = 4000;
/** Hide the other side's indicator if no update arrives for this long. */
const REMOTE_TYPING_TTL_MS = 6000;

/** Tells the other side that this user is typing, throttled. Returns a function to call on every change. */
export function useTypingSignal(client: RealtimeClient | null, conversationId: string | null) {
  const lastSentRef = useRef(0);
  const idleRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(idleRef.current), []);

  return useCallback(
    (typing: boolean) => {
      if (!client || !conversationId) return;
      clearTimeout(idleRef.current);
      if (!typing) {
        if (lastSentRef.current !== 0) client.setTyping(conversationId, false);
        lastSentRef.current = 0;
        return;
      }
      const now = Date.now();
      if (now - lastSentRef.current > TYPING_REPEAT_MS) {
        client.setTyping(conversationId, true);
        lastSentRef.current = now;
      }
      idleRef.current = setTimeout(() => {
        client.setTyping(conversationId, false);
        lastSentRef.current = 0;
      }, TYPING_IDLE_MS);
    },
    [client, conversationId],
  );
}

/** Whether the other side (of the given sender type) is typing in the conversation right now. */
export function useRemoteTyping(
  client: RealtimeClient | null,
  conversationId: string | null,
  senderType: Extract<TSenderType, 'taxpayer' | 'agent'>,
): boolean {
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    setTyping(false);
    if (!client || !conversationId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopTyping = client.onTyping((event) => {
      if (event.conversationId !== conversationId || event.senderType !== senderType) return;
      clearTimeout(timer);
      setTyping(event.typing);
      if (event.typing) timer = setTimeout(() => setTyping(false), REMOTE_TYPING_TTL_MS);
    });
    // A message from them ends their typing.
    const stopMessages = client.onMessage((message) => {
      if (message.conversationId === conversationId && message.senderType === senderType) setTyping(false);
    });
    return () => {
      clearTimeout(timer);
      stopTyping();
      stopMessages();
    };
  }, [client, conversationId, senderType]);
  return typing;
}
