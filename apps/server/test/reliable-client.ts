/**
 * What a well-behaved client does, reduced to the protocol: resend until acked with the same client id, remember
 * the last sequence number seen per conversation, resync after every (re)connect and whenever the server says its
 * node missed pushes (`sync:required`) or a push skips a seq, retry a refused handshake (as the web client does), and
 * keep each message once by id. Tests use it to prove that the server's side of the protocol loses and doubles nothing.
 */
import type { TMessage } from '@zhengna/contracts';
import { type ClientSocket, emitAck, newClientId } from './harness.ts';

export class ReliableClient {
  /** Every message held, by id (each once, whatever the number of deliveries). */
  readonly received = new Map<string, TMessage>();
  /** Every message:new delivery of a tracked conversation, duplicates included (to count what came twice live). */
  liveDeliveries = 0;
  /** Messages that arrived in sync answers (what live delivery missed, or delivered too). */
  syncedDeliveries = 0;
  /** Resyncs that were run, and how many of them the server asked for with `sync:required`. */
  resyncs = 0;
  syncRequired = 0;
  readonly conversationIds: string[];
  private readonly lastSeq = new Map<string, number>();

  constructor(
    readonly socket: ClientSocket,
    conversation: string | string[],
    /** staff: ask for the conversations' messages on every (re)connect, as the workspace does */
    readonly asStaff = false,
  ) {
    this.conversationIds = Array.isArray(conversation) ? conversation : [conversation];
    for (const id of this.conversationIds) this.lastSeq.set(id, 0);
    socket.on('message:new', (m) => {
      if (!this.lastSeq.has(m.conversationId)) return;
      this.liveDeliveries++;
      // a hole in the sequence means a push was lost: ask for what is missing (as the web client does)
      const gap = m.seq > (this.lastSeq.get(m.conversationId) ?? 0) + 1;
      this.keep([m]);
      if (gap && this.lastSeq.get(m.conversationId)! < m.seq) void this.resync([m.conversationId]);
    });
    socket.on('connect', async () => {
      if (asStaff)
        await emitAck(socket, 'conversation:watch', { conversationIds: this.conversationIds }).catch(() => null);
      await this.resync();
    });
    socket.on('sync:required', () => {
      this.syncRequired++;
      void this.resync();
    });
    // a refused handshake (e.g. the token could not be fetched through a dying node) is not retried by Socket.IO
    socket.on('connect_error', () => {
      setTimeout(() => {
        if (!socket.active && !socket.connected && !this.closed) socket.connect();
      }, 300);
    });
  }

  private closed = false;

  /** The first (or only) conversation: where `send` writes by default. */
  get conversationId(): string {
    return this.conversationIds[0] as string;
  }

  private keep(messages: TMessage[]) {
    const touched = new Set<string>();
    for (const m of messages) {
      if (!this.lastSeq.has(m.conversationId)) continue;
      this.received.set(m.id, m);
      touched.add(m.conversationId);
    }
    // resync from the end of the unbroken run: a later message that arrived first must not hide a missed one
    for (const id of touched) {
      const seqs = new Set(this.messages(id).map((m) => m.seq));
      let last = this.lastSeq.get(id) ?? 0;
      while (seqs.has(last + 1)) last += 1;
      this.lastSeq.set(id, last);
    }
  }

  /** Asks for what came after the last seq held without gaps, in these conversations (all by default). */
  async resync(conversationIds = this.conversationIds): Promise<void> {
    this.resyncs++;
    const r = await emitAck(this.socket, 'conversation:sync', {
      conversations: conversationIds.map((conversationId) => ({
        conversationId,
        lastSeq: this.lastSeq.get(conversationId) ?? 0,
      })),
    }).catch(() => null);
    if (!r?.ok) return;
    this.syncedDeliveries += r.data.messages.length;
    this.keep(r.data.messages);
    for (const u of r.data.upTo) {
      if (this.lastSeq.has(u.conversationId))
        this.lastSeq.set(u.conversationId, Math.max(this.lastSeq.get(u.conversationId) ?? 0, u.seq));
    }
  }

  /** Sends one message, retrying with the same client id across disconnects until the server acks it. */
  async send(body: string, deadlineMs = 60_000, conversationId = this.conversationId): Promise<TMessage> {
    const clientId = newClientId();
    const until = Date.now() + deadlineMs;
    for (;;) {
      if (this.socket.connected) {
        const r = await emitAck(this.socket, 'message:send', { conversationId, clientId, body }, 2000).catch(
          () => null,
        );
        if (r?.ok) {
          this.keep([r.data]);
          return r.data;
        }
        if (
          r &&
          !r.ok &&
          r.error.code !== 'INTERNAL' &&
          r.error.code !== 'SERVICE_UNAVAILABLE' &&
          r.error.code !== 'RATE_LIMITED'
        ) {
          throw new Error(`send refused: ${r.error.code}`);
        }
      }
      if (Date.now() > until) throw new Error(`message not acked in time: ${body}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The messages held for one conversation (the first by default), ordered by seq. */
  messages(conversationId = this.conversationId): TMessage[] {
    return [...this.received.values()].filter((m) => m.conversationId === conversationId).sort((a, b) => a.seq - b.seq);
  }

  bodies(conversationId = this.conversationId): string[] {
    return this.messages(conversationId).map((m) => m.body);
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}
