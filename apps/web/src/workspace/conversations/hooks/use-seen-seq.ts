import { useCallback, useMemo, useState } from 'react';

/**
 * The last seq this agent has looked at, per conversation, remembered on this device; unread = newer ones.
 * (A server-side read state would replace this; until then it keeps the badge honest per browser.)
 */
export function useSeenSeq(staffId: string) {
  const key = `zn:workspace-seen:${staffId}`;
  const [seen, setSeen] = useState<Record<string, number>>(() => load(key));

  const markSeen = useCallback(
    (conversationId: string, seq: number) =>
      setSeen((current) => {
        if ((current[conversationId] ?? 0) >= seq) return current;
        const next = { ...current, [conversationId]: seq };
        save(key, next);
        return next;
      }),
    [key],
  );

  return useMemo(
    () => ({ seenSeq: (conversationId: string) => seen[conversationId] ?? 0, markSeen }),
    [seen, markSeen],
  );
}

function load(key: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

function save(key: string, value: Record<string, number>): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: unread counts just reset next visit.
  }
}
