/**
 * The client half of the lossless socket protocol (HOUSE_STYLE §7), shared by the chat widget and the
 * agent workspace:
 * - every send carries a client-generated id; unacked sends wait in an outbox and are re-sent with the
 *   SAME clientId after a reconnect, so the server stores each message once;
 * - on every (re)connect the client tells the server the last seq it holds per open conversation and
 *   merges what it missed;
 * - messages are merged by id and kept ordered by seq, whatever order they arrive in.
 *
 * The socket is a constructor argument so tests can drive the class with a fake.
 */
import {
  type Ack,
  type ClientEventName,
  type ClientEventPayload,
  type ClientEventResult,
  type ServerToClientEvents,
  type TConversationSummary,
  type TMessage,
  ZConversationSummary,
  ZInboxItem,
  ZMessage,
  ZSyncResult,
} from '@zhengna/contracts';
import { z } from 'zod';

/** The part of a Socket.IO client socket this class uses. */
export interface RealtimeSocket {
  readonly connected: boolean;
  on(event: 'connect' | 'disconnect', listener: () => void): unknown;
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): unknown;
  off(event: 'connect' | 'disconnect', listener: () => void): unknown;
  off<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): unknown;
  emit<E extends ClientEventName>(
    event: E,
    payload: ClientEventPayload<E>,
    ack: (result: Ack<ClientEventResult[E]>) => void,
  ): unknown;
}

export type DeliveryState = 'sending' | 'sent' | 'failed';
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** An own message the server has not acknowledged yet. */
export interface PendingMessage {
  readonly clientId: string;
  readonly conversationId: string;
  readonly body: string;
  /** Uploaded attachments sent with the message (ids from POST …/attachments). */
  readonly attachmentIds: readonly string[];
  readonly createdAt: string;
  readonly state: 'sending' | 'failed';
  /** Chinese reason when failed. */
  readonly error?: string;
  /** The server's error code when it refused the message (e.g. CONVERSATION_CLOSED). */
  readonly errorCode?: string;
  /** Staff: a private note (内部备注). */
  readonly private?: boolean;
}

export interface ConversationView {
  /** Stored messages, ascending by seq, no duplicates. */
  readonly messages: readonly TMessage[];
  /** Own unacked messages, oldest first; shown after the stored ones. */
  readonly pending: readonly PendingMessage[];
  readonly lastSeq: number;
}

export interface RealtimeClientOptions {
  /** A send without an ack for this long is shown as failed (and still re-sent after a reconnect). */
  ackTimeoutMs?: number;
  createClientId?: () => string;
  now?: () => Date;
}

interface OutboxEntry {
  clientId: string;
  conversationId: string;
  body: string;
  attachmentIds: readonly string[];
  createdAt: string;
  state: 'sending' | 'failed';
  error?: string;
  errorCode?: string;
  private?: boolean;
  /** Resend automatically on reconnect (false once the server has rejected it: only the user retries). */
  autoResend: boolean;
  attempt: number;
  timer?: ReturnType<typeof setTimeout>;
}

interface ConversationState {
  byId: Map<string, TMessage>;
  view: ConversationView;
  /** The server said everything up to here that we may see was sent (gaps below are staff-only notes). */
  syncedUpTo: number;
}

/** The contracts type these events as functions only; the payload types are read from there. */
export type TypingEvent = Parameters<ServerToClientEvents['typing']>[0];
type SessionEndedEvent = Parameters<ServerToClientEvents['session:ended']>[0];
const ZTypingEvent = z.object({
  conversationId: z.string(),
  typing: z.boolean(),
  senderType: z.enum(['taxpayer', 'agent']),
}) satisfies z.ZodType<TypingEvent>;
const ZSessionEnded = z.object({ reason: z.string() }) satisfies z.ZodType<SessionEndedEvent>;
export type InboxNewEvent = Parameters<ServerToClientEvents['inbox:new']>[0];
const ZInboxNew = z.object({ item: ZInboxItem, unread: z.number().int() }) satisfies z.ZodType<InboxNewEvent>;
const ZInboxUnread = z.object({ unread: z.number().int() });
/** 我的消息 pushes: a new item (with the count after it) or just a new unread count. */
export type InboxEvent = { item?: InboxNewEvent['item']; unread: number };

/**
 * The last seq up to which the client holds every message (from the first one it holds). Resync asks for what comes
 * after it, so a live message that arrived before a missed one cannot hide the gap.
 */
export function contiguousEnd(sorted: readonly TMessage[], floor = 0): number {
  const first = sorted[0];
  if (!first) return floor;
  let end = Math.max(first.seq, floor);
  for (const m of sorted) {
    if (m.seq === end + 1) end = m.seq;
    else if (m.seq > end + 1) break;
  }
  return end;
}

/** A client event the server refused or never answered; `message` is the Chinese text to show. */
export class EventError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventError';
  }
}

const EMPTY_VIEW: ConversationView = Object.freeze({ messages: [], pending: [], lastSeq: 0 });
const SYNC_BATCH = 200;
const TIMEOUT_MESSAGE = '发送超时，网络恢复后将自动重发。';

export class RealtimeClient {
  private readonly conversations = new Map<string, ConversationState>();
  private readonly outbox = new Map<string, OutboxEntry>();
  private readonly listeners = new Set<() => void>();
  private readonly messageListeners = new Set<(message: TMessage) => void>();
  private readonly summaryListeners = new Set<(summary: TConversationSummary) => void>();
  private readonly typingListeners = new Set<(payload: TypingEvent) => void>();
  private readonly endedListeners = new Set<(reason: string) => void>();
  private readonly inboxListeners = new Set<(event: InboxEvent) => void>();
  private readonly connectListeners = new Set<() => void>();
  /** Staff: conversations whose messages this client wants live; re-sent on every connect. */
  private watched: string[] = [];
  private connection: ConnectionState;
  private readonly ackTimeoutMs: number;
  private readonly createClientId: () => string;
  private readonly now: () => Date;
  private disposed = false;

  constructor(
    private readonly socket: RealtimeSocket,
    options: RealtimeClientOptions = {},
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 15_000;
    this.createClientId = options.createClientId ?? (() => crypto.randomUUID());
    this.now = options.now ?? (() => new Date());
    this.connection = socket.connected ? 'connected' : 'connecting';

    socket.on('connect', this.handleConnect);
    socket.on('disconnect', this.handleDisconnect);
    socket.on('message:new', this.handleMessageNew);
    socket.on('conversation:updated', this.handleConversationUpdated);
    socket.on('typing', this.handleTyping);
    socket.on('session:ended', this.handleSessionEnded);
    socket.on('sync:required', this.handleSyncRequired);
    socket.on('inbox:new', this.handleInboxNew);
    socket.on('inbox:unread', this.handleInboxUnread);
    if (socket.connected) this.handleConnect();
  }

  // ---------------------------------------------------------------- reading

  getConversation(conversationId: string): ConversationView {
    return this.conversations.get(conversationId)?.view ?? EMPTY_VIEW;
  }

  /**
   * Staff: receive the messages of these conversations live (replaces the previous set). Once the server has the
   * new set, the tracked ones are synced, so nothing sent in between is missed.
   */
  watch(conversationIds: readonly string[]): void {
    const next = [...new Set(conversationIds)].sort();
    if (next.length === this.watched.length && next.every((id, i) => id === this.watched[i])) return;
    this.watched = next;
    this.sendWatch();
  }

  private sendWatch(): void {
    if (!this.socket.connected) return; // handleConnect sends it
    const ids = this.watched;
    this.socket.emit('conversation:watch', { conversationIds: ids }, (result) => {
      if (this.disposed || !result.ok) return;
      this.sync(ids.filter((id) => this.conversations.has(id)));
    });
  }

  getConnectionState(): ConnectionState {
    return this.connection;
  }

  isTracked(conversationId: string): boolean {
    return this.conversations.has(conversationId);
  }

  /** Called after any change (for useSyncExternalStore). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every new message the server pushes, tracked conversation or not (the workspace list uses it). */
  onMessage(listener: (message: TMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onConversationUpdated(listener: (summary: TConversationSummary) => void): () => void {
    this.summaryListeners.add(listener);
    return () => this.summaryListeners.delete(listener);
  }

  onTyping(listener: (payload: TypingEvent) => void): () => void {
    this.typingListeners.add(listener);
    return () => this.typingListeners.delete(listener);
  }

  onSessionEnded(listener: (reason: string) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Taxpayer: 我的消息 arrivals and unread-count changes. */
  onInbox(listener: (event: InboxEvent) => void): () => void {
    this.inboxListeners.add(listener);
    return () => this.inboxListeners.delete(listener);
  }

  /**
   * Any other server event (e.g. 'queue:update', 'conversation:assigned'), unvalidated: the caller parses the payload.
   */
  on<
    E extends
      | 'queue:update'
      | 'conversation:assigned'
      | 'case:assigned'
      | 'case:alert'
      | 'call:update'
      | 'call:offer'
      | 'call:answer'
      | 'call:ice-candidate'
      | 'call:ice-restart'
      | 'speech:result'
      | 'speech:ended',
  >(event: E, listener: (payload: unknown) => void): () => void {
    const handler = listener as ServerToClientEvents[E];
    this.socket.on(event, handler);
    return () => this.socket.off(event, handler);
  }

  /** Every (re)connect of the socket, after the client's own resync has started (calls restart ICE on it). */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  // ---------------------------------------------------------------- writing

  /**
   * Sends one client event and resolves with its ack's data; rejects with an {@link EventError} (the server's code and
   * Chinese text) when refused, when the socket is not connected, or when no ack comes within `timeoutMs`.
   */
  request<E extends ClientEventName>(
    event: E,
    payload: ClientEventPayload<E>,
    timeoutMs = 10_000,
  ): Promise<ClientEventResult[E]> {
    if (!this.socket.connected) return Promise.reject(new EventError('OFFLINE', '网络已断开，请稍后再试。'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new EventError('TIMEOUT', '服务器没有响应，请稍后再试。')), timeoutMs);
      this.socket.emit(event, payload, (result) => {
        clearTimeout(timer);
        if (result.ok) resolve(result.data);
        else reject(new EventError(result.error.code, result.error.message));
      });
    });
  }

  /** Starts keeping (and syncing after reconnects) a conversation, seeded with messages loaded over HTTP. */
  track(conversationId: string, messages: readonly TMessage[] = []): void {
    const isNew = !this.conversations.has(conversationId);
    this.ensureConversation(conversationId);
    this.mergeInto(conversationId, messages);
    // Anything sent between the HTTP load and now is fetched right away.
    if (isNew && this.socket.connected) this.sync([conversationId]);
    this.notify();
  }

  untrack(conversationId: string): void {
    if (this.conversations.delete(conversationId)) this.notify();
  }

  /** Merges messages loaded over HTTP (e.g. an older page). */
  merge(conversationId: string, messages: readonly TMessage[]): void {
    this.ensureConversation(conversationId);
    this.mergeInto(conversationId, messages);
    this.notify();
  }

  /**
   * Queues a message and sends it as soon as the socket is connected. Returns its clientId. Attachments are
   * uploaded first (POST …/attachments); their ids travel with the message and with every re-send.
   */
  send(conversationId: string, body: string, attachmentIds: readonly string[] = [], isPrivate = false): string {
    const entry: OutboxEntry = {
      private: isPrivate,
      clientId: this.createClientId(),
      conversationId,
      body,
      attachmentIds: [...attachmentIds],
      createdAt: this.now().toISOString(),
      state: 'sending',
      autoResend: true,
      attempt: 0,
    };
    this.outbox.set(entry.clientId, entry);
    this.ensureConversation(conversationId);
    this.refreshPending(conversationId);
    this.transmit(entry);
    this.notify();
    return entry.clientId;
  }

  /** Sends a failed message again, with the same clientId so the server cannot store it twice. */
  retry(clientId: string): void {
    const entry = this.outbox.get(clientId);
    if (entry?.state !== 'failed') return;
    entry.state = 'sending';
    entry.error = undefined;
    entry.errorCode = undefined;
    entry.autoResend = true;
    this.refreshPending(entry.conversationId);
    this.transmit(entry);
    this.notify();
  }

  /** Drops a failed message the user no longer wants to send. */
  discard(clientId: string): void {
    const entry = this.outbox.get(clientId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.outbox.delete(clientId);
    this.refreshPending(entry.conversationId);
    this.notify();
  }

  setTyping(conversationId: string, typing: boolean): void {
    if (!this.socket.connected) return;
    this.socket.emit('typing:set', { conversationId, typing }, () => {});
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.outbox.values()) clearTimeout(entry.timer);
    this.socket.off('connect', this.handleConnect);
    this.socket.off('disconnect', this.handleDisconnect);
    this.socket.off('message:new', this.handleMessageNew);
    this.socket.off('conversation:updated', this.handleConversationUpdated);
    this.socket.off('typing', this.handleTyping);
    this.socket.off('session:ended', this.handleSessionEnded);
    this.socket.off('sync:required', this.handleSyncRequired);
    this.socket.off('inbox:new', this.handleInboxNew);
    this.socket.off('inbox:unread', this.handleInboxUnread);
    this.listeners.clear();
  }

  // ---------------------------------------------------------------- socket events

  private readonly handleConnect = (): void => {
    this.connection = 'connected';
    if (this.watched.length > 0) this.sendWatch();
    this.sync([...this.conversations.keys()]);
    for (const entry of this.outbox.values()) {
      if (entry.autoResend) {
        entry.state = 'sending';
        entry.error = undefined;
        this.transmit(entry);
        this.refreshPending(entry.conversationId);
      }
    }
    this.notify();
    for (const listener of this.connectListeners) listener();
  };

  /** The server's node missed pushes while connected (its Redis link broke): resync as after a reconnect. */
  private readonly handleSyncRequired = (): void => this.sync([...this.conversations.keys()]);

  private readonly handleDisconnect = (): void => {
    this.connection = 'disconnected';
    // Acks of the old connection will never come; the entries are re-sent on the next connect.
    for (const entry of this.outbox.values()) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    this.notify();
  };

  private readonly handleMessageNew = (raw: unknown): void => {
    const parsed = ZMessage.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    const state = this.conversations.get(message.conversationId);
    if (state) {
      const gap = message.seq > state.view.lastSeq + 1;
      this.mergeInto(message.conversationId, [message]);
      // A hole in the sequence means a push was lost: ask for what is missing.
      if (gap) this.sync([message.conversationId]);
      this.notify();
    }
    for (const listener of this.messageListeners) listener(message);
  };

  private readonly handleConversationUpdated = (raw: unknown): void => {
    const parsed = ZConversationSummary.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of this.summaryListeners) listener(parsed.data);
  };

  private readonly handleTyping = (raw: unknown): void => {
    const parsed = ZTypingEvent.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of this.typingListeners) listener(parsed.data);
  };

  private readonly handleSessionEnded = (raw: unknown): void => {
    const parsed = ZSessionEnded.safeParse(raw);
    const reason = parsed.success ? parsed.data.reason : '';
    for (const listener of this.endedListeners) listener(reason);
  };

  private readonly handleInboxNew = (raw: unknown): void => {
    const parsed = ZInboxNew.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of this.inboxListeners) listener(parsed.data);
  };

  private readonly handleInboxUnread = (raw: unknown): void => {
    const parsed = ZInboxUnread.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of this.inboxListeners) listener({ unread: parsed.data.unread });
  };

  // ---------------------------------------------------------------- internals

  private transmit(entry: OutboxEntry): void {
    if (!this.socket.connected) return; // stays queued; handleConnect sends it
    entry.attempt += 1;
    const attempt = entry.attempt;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.handleAckTimeout(entry.clientId, attempt), this.ackTimeoutMs);
    this.socket.emit(
      'message:send',
      {
        conversationId: entry.conversationId,
        clientId: entry.clientId,
        body: entry.body,
        attachmentIds: [...entry.attachmentIds],
        ...(entry.private ? { private: true } : {}),
      },
      (result) => this.handleSendAck(entry.clientId, attempt, result),
    );
  }

  private handleSendAck(clientId: string, attempt: number, result: Ack<TMessage>): void {
    if (this.disposed) return;
    const entry = this.outbox.get(clientId);
    if (result.ok) {
      const parsed = ZMessage.safeParse(result.data);
      if (!parsed.success) return;
      // An ack from any attempt means the server stored it (sends are idempotent by clientId).
      this.mergeInto(parsed.data.conversationId, [parsed.data]);
      if (entry) this.settle(entry);
      this.notify();
      return;
    }
    // An old attempt's error does not override a newer attempt in flight.
    if (!entry || attempt !== entry.attempt) return;
    clearTimeout(entry.timer);
    entry.state = 'failed';
    entry.error = result.error.message;
    entry.errorCode = result.error.code;
    entry.autoResend = false;
    this.refreshPending(entry.conversationId);
    this.notify();
  }

  private handleAckTimeout(clientId: string, attempt: number): void {
    const entry = this.outbox.get(clientId);
    if (!entry || attempt !== entry.attempt || entry.state !== 'sending') return;
    entry.state = 'failed';
    entry.error = TIMEOUT_MESSAGE;
    this.refreshPending(entry.conversationId);
    this.notify();
  }

  private sync(conversationIds: readonly string[]): void {
    if (!this.socket.connected) return;
    for (let i = 0; i < conversationIds.length; i += SYNC_BATCH) {
      const conversations = conversationIds.slice(i, i + SYNC_BATCH).map((conversationId) => ({
        conversationId,
        lastSeq: this.getConversation(conversationId).lastSeq,
      }));
      this.socket.emit('conversation:sync', { conversations }, (result) => {
        if (this.disposed || !result.ok) return;
        const parsed = ZSyncResult.safeParse(result.data);
        if (!parsed.success) return;
        const byConversation = new Map<string, TMessage[]>();
        for (const message of parsed.data.messages) {
          const list = byConversation.get(message.conversationId) ?? [];
          list.push(message);
          byConversation.set(message.conversationId, list);
        }
        for (const { conversationId, seq } of parsed.data.upTo) {
          const state = this.conversations.get(conversationId);
          if (state) state.syncedUpTo = Math.max(state.syncedUpTo, seq);
        }
        for (const [conversationId, messages] of byConversation) {
          if (this.conversations.has(conversationId)) this.mergeInto(conversationId, messages);
        }
        for (const { conversationId } of parsed.data.upTo) this.refreshLastSeq(conversationId);
        this.notify();
      });
    }
  }

  private refreshLastSeq(conversationId: string): void {
    const state = this.conversations.get(conversationId);
    if (!state) return;
    const lastSeq = contiguousEnd(state.view.messages, state.syncedUpTo);
    if (lastSeq !== state.view.lastSeq) state.view = { ...state.view, lastSeq };
  }

  private ensureConversation(conversationId: string): ConversationState {
    let state = this.conversations.get(conversationId);
    if (!state) {
      state = { byId: new Map(), view: EMPTY_VIEW, syncedUpTo: 0 };
      this.conversations.set(conversationId, state);
    }
    return state;
  }

  private mergeInto(conversationId: string, messages: readonly TMessage[]): void {
    const state = this.conversations.get(conversationId);
    if (!state) return;
    let changed = false;
    for (const message of messages) {
      if (message.conversationId !== conversationId) continue;
      if (!state.byId.has(message.id)) {
        state.byId.set(message.id, message);
        changed = true;
      }
      // The stored copy of an own unacked message arrived (push or sync): it is delivered.
      const entry = message.clientId ? this.outbox.get(message.clientId) : undefined;
      if (entry && entry.conversationId === conversationId) {
        this.settle(entry);
        changed = true;
      }
    }
    if (!changed) return;
    const sorted = [...state.byId.values()].sort((a, b) => a.seq - b.seq);
    state.view = {
      messages: sorted,
      pending: this.pendingFor(conversationId),
      lastSeq: contiguousEnd(sorted, state.syncedUpTo),
    };
  }

  private settle(entry: OutboxEntry): void {
    clearTimeout(entry.timer);
    this.outbox.delete(entry.clientId);
    this.refreshPending(entry.conversationId);
  }

  private refreshPending(conversationId: string): void {
    const state = this.conversations.get(conversationId);
    if (!state) return;
    state.view = { ...state.view, pending: this.pendingFor(conversationId) };
  }

  private pendingFor(conversationId: string): PendingMessage[] {
    const pending: PendingMessage[] = [];
    for (const entry of this.outbox.values()) {
      if (entry.conversationId !== conversationId) continue;
      pending.push({
        clientId: entry.clientId,
        conversationId: entry.conversationId,
        body: entry.body,
        attachmentIds: entry.attachmentIds,
        createdAt: entry.createdAt,
        state: entry.state,
        ...(entry.error ? { error: entry.error } : {}),
        ...(entry.errorCode ? { errorCode: entry.errorCode } : {}),
        ...(entry.private ? { private: true } : {}),
      });
    }
    return pending;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
