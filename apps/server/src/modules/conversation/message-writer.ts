/**
 * Group commit for messages. Sends that arrive while a write is in flight are stored together in the next one: one
 * SQL statement per batch instead of several per message. Every message is still stored before its sender is acked.
 * A resend (same sender, same client id) resolves to the stored original, whether it was written long ago, earlier
 * in the same batch, or concurrently by another node.
 */
import { AppError, isDatabaseUnavailable } from '../../platform/app-error.ts';
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

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
};

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
        await this.writeBatch(batch);
      }
    } finally {
      this.running = null;
      if (this.queue.length > 0) this.running = this.drainLoop();
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      // optimistic: resends are rare (only after a lost ack), so don't look for them first
      await this.store(batch, false);
    } catch (err) {
      // the database is down or hung: every message of the batch fails the same way, at once (one by one, each
      // would wait for the pool's bounds again)
      if (isDatabaseUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      if (!isUniqueViolation(err)) return this.oneByOne(batch);
      await this.store(batch, true).catch(() => this.oneByOne(batch));
    }
  }

  /** Last resort after a conflict with a concurrent writer on another node: each message on its own. */
  private async oneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) await this.store([p], true).catch((err) => p.reject(err));
  }

  private async findExisting(inputs: NewMessage[]): Promise<Map<string, MessageRow>> {
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

  private async store(batch: Pending[], lookForResends: boolean): Promise<void> {
    const existing = lookForResends ? await this.findExisting(batch.map((p) => p.input)) : new Map();
    // duplicates inside the batch share the first occurrence's result
    const groups = new Map<string, Pending[]>();
    const settledEarly: [Pending, MessageRow][] = [];
    for (const p of batch) {
      const key = p.input.clientId ? keyOf(p.input) : `${keyOf(p.input)}|${groups.size}`;
      const old = existing.get(key);
      if (old) {
        settledEarly.push([p, old]);
        continue;
      }
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    }
    const fresh = [...groups.values()];
    const inputs = fresh.map((g) => (g[0] as Pending).input);
    const stored = inputs.length > 0 ? await conversationRepo.insertBatch(this.db, inputs) : [];

    for (const [p, row] of settledEarly) p.resolve({ row, created: false });
    fresh.forEach((g, i) => {
      const s = stored[i];
      const input = inputs[i] as NewMessage;
      g.forEach((p, j) => {
        if (!s) p.reject(new AppError('CONVERSATION_CLOSED'));
        else p.resolve({ row: { ...input, ...s }, created: j === 0 });
      });
    });
  }
}
