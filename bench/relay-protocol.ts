/**
 * Messages between the relay benchmark's main thread (which hosts the servers) and its load-generator worker.
 */

export type SaturateOptions = {
  /** Sends in this first part are not counted (JIT, buffers, caches). */
  warmupMs: number;
  seconds: number;
  /** Outstanding (un-acked) sends per taxpayer socket. */
  window: number;
  /** Client-side token bucket per socket, kept under the server's 20/s, burst 40. */
  perSecond: number;
  burst: number;
};

export type DriverRequest =
  | {
      type: 'setupProduct';
      url: string;
      password: string;
      taxpayerNos: string[];
      staffUsernames: string[];
      concurrency: number;
    }
  | { type: 'setupBare'; url: string; conversationIds: string[]; agents: number; concurrency: number }
  | ({ type: 'saturate' } & SaturateOptions)
  | { type: 'steady'; rate: number; seconds: number }
  | { type: 'disconnect' };

export type PhaseStats = {
  sent: number;
  acked: number;
  /** Error code → count (RATE_LIMITED, ACK_TIMEOUT, …). */
  errors: Record<string, number>;
  /** Length of the counted window. */
  seconds: number;
  /** Acks received inside the counted window ÷ its length. */
  msgsPerSec: number;
  /** Acked but never received by the responsible agent socket within the grace period. */
  lost: number;
  /** Same (conversation, seq) received twice by one socket, any socket. */
  duplicated: number;
  /** Σ over agent sockets of acked messages of its conversations that the socket did not receive. */
  fanoutMissing: number;
  /** Taxpayer send → responsible agent receives message:new. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Taxpayer send → ack. */
  ackP50Ms: number;
  ackP99Ms: number;
  /** Open loop only: how late the generator was against its schedule, worst case. */
  scheduleLagMaxMs: number;
  /** Share of the generator thread's time spent busy during the phase. */
  driverElu: number;
  disconnects: number;
  /** Per conversation (same order as the setup's conversation ids), messages acked in this phase. */
  ackedPerConv: number[];
};

export type SetupResult = { conversationIds: string[]; loginMs: number; connectMs: number };

export type DriverReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
