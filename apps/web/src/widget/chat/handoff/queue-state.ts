import type { TMessage } from '@zhengna/contracts';

/** Where the taxpayer stands in the queue for a human (position unknown right after a reload). */
export interface QueueBannerState {
  readonly conversationId: string;
  readonly position: number | null;
  readonly estimatedWaitSeconds: number | null;
}

export type QueueEvent =
  | { type: 'update'; conversationId: string; position: number; estimatedWaitSeconds: number }
  | { type: 'message'; message: TMessage }
  | { type: 'left' };

/** An agent joined, nobody is available, or the conversation ended: the queue is over. */
const ENDS_QUEUE = new Set(['agent_joined', 'agents_unavailable', 'rating_request']);

/** Whether the queue ended (in messages after `afterSeq`): the 转人工 answer may arrive after the agent joined. */
export function queueEndedAfter(messages: readonly TMessage[], afterSeq: number): boolean {
  return messages.some((m) => m.seq > afterSeq && ENDS_QUEUE.has(m.payload?.kind ?? ''));
}

/** The banner after an event for the conversation shown (events of other conversations change nothing). */
export function nextQueueBanner(
  current: QueueBannerState | null,
  shownConversationId: string,
  event: QueueEvent,
): QueueBannerState | null {
  switch (event.type) {
    case 'update':
      if (event.conversationId !== shownConversationId) return current;
      return {
        conversationId: event.conversationId,
        position: Math.max(0, event.position),
        estimatedWaitSeconds: Math.max(0, event.estimatedWaitSeconds),
      };
    case 'message': {
      const kind = event.message.payload?.kind;
      if (!current || event.message.conversationId !== current.conversationId) return current;
      return kind && ENDS_QUEUE.has(kind) ? null : current;
    }
    case 'left':
      return null;
  }
}

/** "正在为您转接人工客服，您前面还有 N 位，预计等待约 M 分钟" (M at least 1). */
export function queueBannerText(state: QueueBannerState): string {
  if (state.position === null || state.estimatedWaitSeconds === null) return '正在为您转接人工客服，请稍候…';
  const minutes = Math.max(1, Math.ceil(state.estimatedWaitSeconds / 60));
  return `正在为您转接人工客服，您前面还有 ${state.position} 位，预计等待约 ${minutes} 分钟`;
}
