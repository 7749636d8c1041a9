/**
 * The typed in-process event bus. Services publish domain events after their transaction commits; the realtime layer
 * and other modules subscribe. Services never import the realtime layer. Cross-node delivery of what reaches
 * sockets is the Socket.IO adapter's job, so domain events stay local to the node that produced them.
 */
import type {
  TCall,
  TCallAnswer,
  TCallIceCandidate,
  TCallOffer,
  TCallRef,
  TCaseNotice,
  TConversationSummary,
  TInboxItem,
  TMessage,
} from '@zhengna/contracts';

/** A peer's signal: the event and the payload as they came (validated). */
export type CallSignalMessage =
  | { event: 'call:offer'; payload: TCallOffer }
  | { event: 'call:answer'; payload: TCallAnswer }
  | { event: 'call:ice-candidate'; payload: TCallIceCandidate }
  | { event: 'call:ice-restart'; payload: TCallRef };
/** A signal as it is relayed: to the one room of the other side. */
export type CallSignal = CallSignalMessage & { room: string };

export type DomainEvents = {
  /** taxpayerRoom null: a staff-only note. */
  /**
   * redelivered: a resend found the message stored but this node had not fanned it out (see conversation.service) —
   * sent to the rooms again, not counted again.
   */
  'message.created': { message: TMessage; taxpayerRoom: string | null; redelivered?: true };
  'conversation.updated': { summary: TConversationSummary };
  'session.revoked': { sessionIds: string[]; reason: string };
  'inbox.created': { taxpayerRoom: string; item: TInboxItem; unread: number };
  'inbox.unread': { taxpayerRoom: string; unread: number };
  'queue.update': { taxpayerRoom: string; conversationId: string; position: number; estimatedWaitSeconds: number };
  'conversation.assigned': { staffId: string; conversationId: string; taxpayerName: string; reason: string | null };
  /** A 留言 to-do or 工单 now belongs to this agent. */
  'case.assigned': { staffId: string; notice: TCaseNotice };
  /** A deadline event for these staff members, and for every supervisor when `supervisors`. */
  'case.alert': { staffIds: string[]; supervisors: boolean; notice: TCaseNotice & { alert: 'remind' | 'escalate' } };
  /** A call changed: the whole record, to both sides' rooms (chosen by the calls policy). */
  'call.updated': { call: TCall; rooms: string[] };
  /** A peer's offer, answer, candidate or restart request, to the other side's room only. */
  'call.signal': CallSignal;
};

type Handler<E extends keyof DomainEvents> = (payload: DomainEvents[E]) => void | Promise<void>;

export class EventBus {
  private handlers = new Map<keyof DomainEvents, Set<Handler<never>>>();
  constructor(private onError: (err: unknown, event: string) => void) {}

  on<E extends keyof DomainEvents>(event: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  /** Handlers run after the caller's turn; a failing handler is logged, never thrown into the publisher. */
  publish<E extends keyof DomainEvents>(event: E, payload: DomainEvents[E]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const h of set) {
      queueMicrotask(() => {
        try {
          const r = (h as Handler<E>)(payload);
          if (r instanceof Promise) r.catch((err) => this.onError(err, event));
        } catch (err) {
          this.onError(err, event);
        }
      });
    }
  }
}
