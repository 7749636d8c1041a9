/**
 * Messages between the cluster benchmark's main thread (nodes, database, verification) and its load-generator worker
 * (bench/cluster-driver.ts). The envelope and reply shapes are the relay benchmark's.
 */
export type { DriverReply } from './relay-protocol.ts';

export type TaxpayerLogin = {
  /** Index of the taxpayer (0..n-1): its node is index mod nodes, its address is derived from it. */
  index: number;
  /** A single sign-on token minted by the identity service (the portal's step); the chat exchanges it over HTTP. */
  ssoToken: string;
};

export type Mix = {
  /** Shares of the open-loop sends (sum 1): a taxpayer asks the bot, a taxpayer writes to their agent, an agent replies,
   * a taxpayer uploads a file and sends it. */
  bot: number;
  human: number;
  agent: number;
  upload: number;
};

export type RunOptions = {
  /** Client sends per second, all kinds together (open loop). */
  rate: number;
  warmupSeconds: number;
  seconds: number;
  mix: Mix;
  /** When (seconds after the start) the administrator sends the inbox push; its audience. */
  pushAtSeconds: number;
  pushTaxpayerIndexes: number[];
  pushTaxpayerNos: string[];
  /** The handoff requests are spread over [0, handoffSpreadSeconds). */
  handoffSpreadSeconds: number;
};

export type DriverRequest =
  | {
      type: 'init';
      nodeUrls: string[];
      taxpayers: number;
      /** Indexes of taxpayers who ask for a human (the rest talk to the bot). */
      humanIndexes: number[];
      questions: string[];
      /** A small PNG (a screenshot), uploaded as the web client does. */
      uploadPng: Uint8Array;
      concurrency: number;
    }
  | { type: 'loginTaxpayers'; logins: TaxpayerLogin[] }
  | { type: 'connectTaxpayers' }
  | {
      type: 'loginStaff';
      agents: string[];
      admin: string;
      password: string;
    }
  | ({ type: 'run' } & RunOptions)
  | { type: 'endHuman' }
  | { type: 'collect' }
  | { type: 'disconnect' };

export type LatencyStats = { n: number; p50: number; p90: number; p99: number; max: number };

export type RunStats = {
  offered: number;
  sent: Record<string, number>;
  acked: Record<string, number>;
  /** Error code (ack or HTTP status) → count. */
  errors: Record<string, number>;
  seconds: number;
  /** Client sends acked inside the measured window ÷ its length. */
  msgsPerSec: number;
  /** All messages received on any socket (fan-out work done by the servers) per second in the window. */
  deliveriesPerSec: number;
  /** Send at one socket → message:new at the other party's socket (taxpayer → agent, agent → taxpayer). */
  delivery: LatencyStats;
  deliveryTaxpayerToAgent: LatencyStats;
  deliveryAgentToTaxpayer: LatencyStats;
  /** The taxpayer's send acked → the bot's answer to it received by the taxpayer. */
  bot: LatencyStats;
  /** The taxpayer's send → the bot's answer received. */
  botFromSend: LatencyStats;
  ack: LatencyStats;
  upload: LatencyStats;
  handoff: {
    requested: number;
    results: Record<string, number>;
    httpMs: LatencyStats;
    greetedMs: LatencyStats;
    /** The bot's own handoffs of bot-cohort taxpayers, by reason (keyword, no_answer, multi_turn, …). */
    smartReasons: Record<string, number>;
  };
  push: {
    audience: number;
    received: number;
    duplicated: number;
    missing: number;
    /** 发送 pressed → inbox:new at the taxpayer. */
    ms: LatencyStats;
    sendHttpMs: number;
  };
  /** Bot-cohort messages acked whose answer never came (and whose conversation was never taken by an agent). */
  botUnanswered: number;
  /** Acked messages whose other party never received them (the socket check; the database check is separate). */
  undelivered: number;
  /** A socket received the same (conversation, seq) more than once. */
  duplicatedReceipts: number;
  /** Open loop: worst lateness of the generator against its schedule. */
  scheduleLagMaxMs: number;
  /** Sends the mix wanted but could not do (no live human conversation yet) and did as bot questions instead. */
  fallbacks: number;
  driverElu: number;
  /** CPU of the whole bench process (generator thread included) during the run, 100 = one core. */
  benchProcessCpuPct: number;
  disconnects: number;
  connectedTaxpayersAtPeak: number;
  connectedAgentsAtPeak: number;
};

/** What each socket received, for the main thread's check against the database. */
export type Receipts = {
  /** Per taxpayer: conversation id, the last seq before its socket connected, seqs received. */
  taxpayers: { conversationId: string; fromSeq: number; seqs: number[] }[];
  /** Per agent conversation: who, the seq of the agent's first message (from then on it watched), seqs received. */
  agents: { agent: number; conversationId: string; fromSeq: number; seqs: number[] }[];
  /** Every acked client message: its id and seq as the ack said. */
  acked: { id: string; conversationId: string; seq: number }[];
  /** Conversations an agent took (the bot stops there). */
  humanConversationIds: string[];
};

export type LoginResult = {
  ms: number;
  httpRequests: number;
  sessionMs?: LatencyStats;
  conversationMs?: LatencyStats;
};
