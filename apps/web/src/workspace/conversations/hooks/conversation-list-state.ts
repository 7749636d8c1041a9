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

/** 我的会话: open and held by this agent. */
export function isMine(summary: TConversationSummary, staffId: string): boolean {
  return summary.status === 'open' && summary.assigneeStaffId === staffId;
}

/**
 * Since when the taxpayer waits for an answer: their last message, when nobody (agent) has written after it.
 * Null when the last word was not theirs.
 */
export function waitingSince(summary: TConversationSummary): string | null {
  const last = summary.lastMessage;
  if (!last || summary.status !== 'open') return null;
  return last.senderType === 'taxpayer' ? last.createdAt : null;
}

/** 45 秒 / 3 分钟 / 1 小时 5 分 */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} 秒`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} 分钟`;
  return `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分`;
}
