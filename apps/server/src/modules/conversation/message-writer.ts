/**
 * Group commit for messages. Sends that arrive while a transaction is in flight are written together in the next
 * one: a handful of statements per batch instead of per message. Every message is still stored before its sender is
 * acked. A resend (same sender, same client id) resolves to the stored original, whether it was written long ago,
 * earlier in the same batch, or concurrently by another node.
 */
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import { conversationRepo, type MessageRow, type NewMessage } from './conversation.repo.ts';

const MAX_BATCH = 256;

type Pending = {
  input: NewMessage;
  resolve: (r: { row: MessageRow; created: boolean }) => void;
  reject: (err: unknown) => void;
};

const keyOf = (m: { conversationId: string; senderType: string; senderId: string | null; clientId: string | null }) =>
  `${m.conversationId}|${m.senderType}|${m.senderId ?? ''}|${m.clientId ?? ''}`;

export class MessageWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private db: Db,
    private onBatch: (size: number) => void = () => {},
  ) {}

  write(input: NewMessage): Promise<{ row: MessageRow; created: boolean }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.running ??= this.drainLoop();
    });
  }

  /** Resolves when everything queued so far is written (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drainLoop(): Promise<void> {
    // let the sends of this event-loop turn join the batch
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        this.onBatch(batch.length);
        try {
          await this.writeBatch(batch);
        } catch {
          // a conflict with a concurrent writer on another node: fall back to one message at a time
          for (const p of batch) {
            await this.writeBatch([p]).catch(async (err) => {
              const existing = await this.findExisting([p.input]).catch(() => new Map<string, MessageRow>());
              const row = existing.get(keyOf(p.input));
              if (row) p.resolve({ row, created: false });
              else p.reject(err);
            });
          }
        }
      }
    } finally {
      this.running = null;
      if (this.queue.length > 0) this.running = this.drainLoop();
    }
  }

  private async findExisting(inputs: NewMessage[]) {
    const withClient = inputs.filter((i) => i.clientId);
    const found = new Map<string, MessageRow>();
    if (withClient.length === 0) return found;
    const rows = await conversationRepo.findByClientIds(
      this.db,
      [...new Set(withClient.map((i) => i.conversationId))],
      [...new Set(withClient.map((i) => i.clientId as string))],
    );
    for (const r of rows) found.set(keyOf(r), r);
    return found;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const existing = await this.findExisting(batch.map((p) => p.input));
    // group duplicates inside the batch under their first occurrence
    const groups = new Map<string, Pending[]>();
    for (const p of batch) {
      const key = p.input.clientId ? keyOf(p.input) : `${keyOf(p.input)}|${groups.size}`;
      const old = existing.get(key);
      if (old) {
        p.resolve({ row: old, created: false });
        continue;
      }
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    }
    if (groups.size === 0) return;

    const fresh = [...groups.values()];
    const counts = new Map<string, number>();
    for (const [first] of fresh) {
      const id = (first as Pending).input.conversationId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }

    const { stored, closed } = await this.db.transaction(async (tx) => {
      const lastSeqs = await conversationRepo.reserveSeqs(tx, counts);
      const next = new Map<string, number>();
      for (const [id, last] of lastSeqs) next.set(id, last - (counts.get(id) ?? 0) + 1);
      const rows: Parameters<typeof conversationRepo.insertMessages>[1] = [];
      const closedGroups: Pending[][] = [];
      const writtenGroups: Pending[][] = [];
      for (const g of fresh) {
        const input = (g[0] as Pending).input;
        const seq = next.get(input.conversationId);
        if (seq === undefined) {
          closedGroups.push(g);
          continue;
        }
        next.set(input.conversationId, seq + 1);
        rows.push({ ...input, seq });
        writtenGroups.push(g);
      }
      const inserted = rows.length > 0 ? await conversationRepo.insertMessages(tx, rows) : [];
      const bySeq = new Map(inserted.map((r) => [`${r.conversationId}|${r.seq}`, r]));
      return {
        stored: writtenGroups.map((g, i) => ({ g, row: bySeq.get(`${rows[i]?.conversationId}|${rows[i]?.seq}`) })),
        closed: closedGroups,
      };
    });

    for (const { g, row } of stored) {
      g.forEach((p, i) => {
        if (row) p.resolve({ row, created: i === 0 });
        else p.reject(new AppError('INTERNAL'));
      });
    }
    for (const g of closed) for (const p of g) p.reject(new AppError('CONVERSATION_CLOSED'));
  }
}
