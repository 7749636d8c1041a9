/**
 * What a well-behaved client does, reduced to the protocol: resend until acked with the same client id, remember
 * the last sequence number seen, resync after every (re)connect, and keep each message once by id.
 * Tests use it to prove that the server's side of the protocol loses and doubles nothing.
 */
import type { TMessage } from '@zhengna/contracts';
import { type ClientSocket, emitAck, newClientId } from './harness.ts';

export class ReliableClient {
  readonly received = new Map<string, TMessage>();
  /** Every message:new or sync delivery, duplicates included (to count what the server sent twice live). */
  liveDeliveries = 0;
  private lastSeq = 0;

  constructor(
    readonly socket: ClientSocket,
    readonly conversationId: string,
    /** staff: ask for the conversation's messages on every (re)connect, as the workspace does */
    readonly asStaff = false,
  ) {
    socket.on('message:new', (m) => {
      if (m.conversationId !== conversationId) return;
      this.liveDeliveries++;
      this.keep([m]);
    });
    socket.on('connect', async () => {
      if (asStaff) await emitAck(socket, 'conversation:watch', { conversationIds: [conversationId] }).catch(() => null);
      await this.resync();
    });
  }

  private keep(messages: TMessage[]) {
    for (const m of messages) this.received.set(m.id, m);
    // resync from the end of the unbroken run: a later message that arrived first must not hide a missed one
    const seqs = new Set([...this.received.values()].map((m) => m.seq));
    while (seqs.has(this.lastSeq + 1)) this.lastSeq += 1;
  }

  async resync(): Promise<void> {
    const r = await emitAck(this.socket, 'conversation:sync', {
      conversations: [{ conversationId: this.conversationId, lastSeq: this.lastSeq }],
    }).catch(() => null);
    if (!r?.ok) return;
    this.keep(r.data.messages);
    const upTo = r.data.upTo.find((u) => u.conversationId === this.conversationId)?.seq ?? 0;
    this.lastSeq = Math.max(this.lastSeq, upTo);
  }

  /** Sends one message, retrying with the same client id across disconnects until the server acks it. */
  async send(body: string, deadlineMs = 60_000): Promise<TMessage> {
    const clientId = newClientId();
    const until = Date.now() + deadlineMs;
    for (;;) {
      if (this.socket.connected) {
        const r = await emitAck(
          this.socket,
          'message:send',
          { conversationId: this.conversationId, clientId, body },
          2000,
        ).catch(() => null);
        if (r?.ok) {
          this.keep([r.data]);
          return r.data;
        }
        if (r && !r.ok && r.error.code !== 'INTERNAL' && r.error.code !== 'SERVICE_UNAVAILABLE') {
          throw new Error(`send refused: ${r.error.code}`);
        }
      }
      if (Date.now() > until) throw new Error(`message not acked in time: ${body}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  bodies(): string[] {
    return [...this.received.values()].sort((a, b) => a.seq - b.seq).map((m) => m.body);
  }
}
