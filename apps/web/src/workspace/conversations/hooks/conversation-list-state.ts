import type { TConversationSummary, TMessage } from '@zhengna/contracts';

/** Newest activity first. */
export function sortSummaries(list: readonly TConversationSummary[]): TConversationSummary[] {
  const at = (s: TConversationSummary) => Date.parse(s.lastMessageAt ?? s.createdAt) || 0;
  return [...list].sort((a, b) => at(b) - at(a));
}

/** Replaces (or adds) a summary, ignoring one that is older than what we hold. */
export function upsertSummary(
  list: readonly TConversationSummary[],
  summary: TConversationSummary,
): TConversationSummary[] {
  const existing = list.find((s) => s.id === summary.id);
  if (existing && existing.lastSeq > summary.lastSeq) return [...list];
  return sortSummaries([...list.filter((s) => s.id !== summary.id), summary]);
}

/**
 * Applies a pushed message to the list. Returns null when the conversation is not in the list (the caller
 * reloads the list then).
 */
export function applyMessage(list: readonly TConversationSummary[], message: TMessage): TConversationSummary[] | null {
  const existing = list.find((s) => s.id === message.conversationId);
  if (!existing) return null;
  if (message.seq <= existing.lastSeq && existing.lastMessage) return [...list];
  return upsertSummary(list, {
    ...existing,
    lastSeq: Math.max(existing.lastSeq, message.seq),
    lastMessage: message,
    lastMessageAt: message.createdAt,
  });
}
