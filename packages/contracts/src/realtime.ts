/**
 * @module realtime
 * The socket protocol. Every client→server event has a zod schema and answers through an ack; every server→client
 * event is typed here. Bump PROTOCOL_VERSION on any incompatible change.
 */
import { z } from 'zod';
import {
  type CallClientEventName,
  callClientEvents,
  type TCall,
  type TCallAnswer,
  type TCallIceCandidate,
  type TCallOffer,
  type TCallRef,
} from './calls.ts';
import { ZClientId, type ZConversationSummary, ZMessage, ZMessageBody } from './conversation.ts';
import type { ZErrorBody } from './errors.ts';
import type { ZInboxItem } from './panels.ts';
import {
  type SpeechClientEventName,
  speechClientEvents,
  type TSpeechEnded,
  type TSpeechFinal,
  type TSpeechResult,
  type TSpeechStarted,
} from './speech.ts';

export const PROTOCOL_VERSION = 1;

/** Handshake `auth` payload. */
export const ZHandshakeAuth = z.object({ token: z.string().min(1).max(4096), protocolVersion: z.number().int() });

export const ZSendMessage = z.object({
  conversationId: z.uuid('会话编号格式不正确'),
  clientId: ZClientId,
  body: ZMessageBody,
  attachmentIds: z.array(z.uuid()).max(9, '一次最多发送 9 个附件').default([]),
  /** Staff only: a private note, seen by staff and never by the taxpayer. */
  private: z.boolean().default(false),
});
export type TSendMessage = z.infer<typeof ZSendMessage>;

/** After a (re)connect: the last seq the client holds per conversation; the server answers with what it missed. */
export const ZSyncRequest = z.object({
  conversations: z.array(z.object({ conversationId: z.uuid(), lastSeq: z.number().int().nonnegative() })).max(200),
});
export const ZSyncResult = z.object({
  messages: z.array(ZMessage),
  /**
   * Per conversation, the seq up to which the server has sent everything this client may see. Seqs the client may
   * not see (staff notes) leave gaps; this lets it move past them.
   */
  upTo: z.array(z.object({ conversationId: z.uuid(), seq: z.number().int().nonnegative() })).default([]),
});

/**
 * Staff: the conversations whose messages this socket wants live (the workspace's list). Replaces the previous set;
 * a taxpayer always gets their own conversations.
 */
export const ZWatchConversations = z.object({
  conversationIds: z.array(z.uuid()).max(200, '一次最多关注 200 个会话'),
});

export const ZTyping = z.object({ conversationId: z.uuid(), typing: z.boolean() });

/** Client → server: event name → payload schema. */
// Object.assign marked pure, not a spread: a bundle that never reads this map (the widget's first load) drops it and
// every schema it names (a spread is kept as if it had side effects).
export const clientEvents = /* @__PURE__ */ Object.assign(
  {
    'message:send': ZSendMessage,
    'conversation:sync': ZSyncRequest,
    'typing:set': ZTyping,
    'conversation:watch': ZWatchConversations,
  } as const,
  callClientEvents,
  speechClientEvents,
);
export type ClientEventName = keyof typeof clientEvents;
export type ClientEventPayload<E extends ClientEventName> = z.input<(typeof clientEvents)[E]>;

/** The ack every client event receives. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: z.infer<typeof ZErrorBody> };
export type ClientEventResult = {
  'message:send': z.infer<typeof ZMessage>;
  'conversation:sync': z.infer<typeof ZSyncResult>;
  'typing:set': null;
  'conversation:watch': { watching: number };
} & {
  [E in CallClientEventName]: E extends 'call:offer' | 'call:answer' | 'call:ice-candidate' | 'call:ice-restart'
    ? null
    : TCall;
} & {
  [E in SpeechClientEventName]: E extends 'speech:start'
    ? TSpeechStarted
    : E extends 'speech:stop'
      ? TSpeechFinal
      : null;
};

/** Server → client events. */
export interface ServerToClientEvents {
  'message:new': (message: z.infer<typeof ZMessage>) => void;
  'conversation:updated': (summary: z.infer<typeof ZConversationSummary>) => void;
  typing: (payload: { conversationId: string; typing: boolean; senderType: 'taxpayer' | 'agent' }) => void;
  'session:ended': (payload: { reason: string }) => void;
  /**
   * This node may have missed pushes from the other nodes (its Redis link was broken and is back): sync every open
   * conversation now, as after a reconnect. The socket itself stayed connected, so nothing else would tell it.
   */
  'sync:required': () => void;
  /** 我的消息: a new item, and the unread count after it. */
  'inbox:new': (payload: { item: z.infer<typeof ZInboxItem>; unread: number }) => void;
  'inbox:unread': (payload: { unread: number }) => void;
  /** Taxpayer: their place in the queue for a human, updated live. */
  'queue:update': (payload: { conversationId: string; position: number; estimatedWaitSeconds: number }) => void;
  /** Staff: a conversation was assigned to this agent. */
  'conversation:assigned': (payload: { conversationId: string; taxpayerName: string; reason: string | null }) => void;
  /** Staff: a 留言 to-do or a 工单 was assigned to this agent. */
  'case:assigned': (payload: TCaseNotice) => void;
  /**
   * Staff: a deadline event — `remind` to the assignee before a 工单's deadline, `escalate` to supervisors (and the
   * assignee) when a 留言 or 工单 is overdue.
   */
  'case:alert': (payload: TCaseNotice & { alert: 'remind' | 'escalate' }) => void;
  /** Both sides of a call: the whole record after every change (requested, invited, answered, ended …). */
  'call:update': (call: TCall) => void;
  /** The other side's signals, relayed as they came (the sender is checked, never named by the client). */
  'call:offer': (offer: TCallOffer) => void;
  'call:answer': (answer: TCallAnswer) => void;
  'call:ice-candidate': (candidate: TCallIceCandidate) => void;
  'call:ice-restart': (ref: TCallRef) => void;
  /** Voice input, to the socket that streams: live and settled text, and an end the client did not ask for. */
  'speech:result': (result: TSpeechResult) => void;
  'speech:ended': (ended: TSpeechEnded) => void;
}

/** What a staff member is told about a 留言 or 工单 (no personal numbers). */
export type TCaseNotice = {
  caseKind: 'inquiry' | 'work_order';
  id: string;
  title: string;
  taxpayerName: string;
  dueAt: string;
};

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientEventPayload<E>, ack: (result: Ack<ClientEventResult[E]>) => void) => void;
};
