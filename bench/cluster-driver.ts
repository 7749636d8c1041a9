/**
 * Load generator of the cluster benchmark, run in a worker thread of the bench process (the nodes are child
 * processes). It opens the taxpayers' chat sessions and the staff's logins over HTTP, holds one socket each, spread
 * round-robin over the nodes (a balancer without sticky sessions), drives the mixed peak in an open loop and records
 * what arrives where. Progress goes to stderr; results go back to the main thread.
 */
import { performance } from 'node:perf_hooks';
import { type Ack, type ClientToServerEvents, PROTOCOL_VERSION, type ServerToClientEvents } from '@zhengna/contracts';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { DriverRequest, LatencyStats, LoginResult, Receipts, RunOptions, RunStats } from './cluster-protocol.ts';
import { serveDriver } from './driver-worker.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Message = Parameters<ServerToClientEvents['message:new']>[0];

const ACK_TIMEOUT_MS = 15_000;
const GRACE_MS = 8_000;
const PUSH_TITLE = '【基准】增值税申报提醒';
const GREETING = '您好，我是人工客服，请问有什么可以帮您？';
const AGENT_REPLY = '收到，我来帮您查一下：进项发票在勾选确认后即可抵扣，请您在本月申报期内完成勾选。';
const HUMAN_TEXTS = [
  '我们公司上个月的进项发票还没有勾选，现在还能抵扣吗？',
  '申报表里的销项税额和开票金额对不上，应该怎么处理？',
  '好的，那我现在去勾选平台操作一下。',
  '请问逾期申报会不会影响纳税信用等级？',
];

const log = (msg: string) => process.stderr.write(`[driver] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ── tiny HTTP client with a cookie jar (as a browser would) ────────────────────────────────────────────────────────

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class Http {
  private cookies = new Map<string, string>();
  bearer: string | undefined;
  requests = 0;
  constructor(
    readonly base: string,
    /** Each simulated client has its own address (the nodes trust X-Forwarded-For in this benchmark). */
    private forwardedFor: string,
  ) {}

  private headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.forwardedFor };
    if (json) headers['content-type'] = 'application/json';
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    return headers;
  }

  private async finish(method: string, url: string, res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair ?? '').split('=');
      if (k) this.cookies.set(k.trim(), v.join('='));
    }
    const text = await res.text();
    if (res.status >= 300) throw new HttpError(res.status, `${method} ${url} → ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : null) as any;
  }

  async call(method: string, url: string, body?: unknown) {
    this.requests++;
    const res = await fetch(this.base + url, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return this.finish(method, url, res);
  }

  /** A multipart upload of one file, as the browser's FormData sends it. */
  async upload(url: string, bytes: Uint8Array, fileName: string, type: string) {
    this.requests++;
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), fileName);
    const res = await fetch(this.base + url, { method: 'POST', headers: this.headers(false), body: form });
    return this.finish('POST', url, res);
  }
}

const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function pool<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

function connect(url: string, client: Http): Promise<ClientSocket> {
  // every (re)connect fetches a fresh realtime token, as the web clients do
  const auth = (cb: (data: object) => void) => {
    client
      .call('GET', '/api/realtime/token')
      .then((res) => cb({ token: res?.token ?? 'none', protocolVersion: PROTOCOL_VERSION }))
      .catch(() => cb({ token: 'none', protocolVersion: PROTOCOL_VERSION }));
  };
  const socket = ioClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
    auth,
  }) as ClientSocket;
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

function emitAck<T>(socket: ClientSocket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => {
    (
      socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emit: (e: string, p: unknown, cb: (err: Error | null, r: Ack<T>) => void) => void;
      }
    ).emit(event, payload, (err, r) => {
      if (err) resolve({ ok: false, error: { code: 'ACK_TIMEOUT', message: 'ack timeout' } } as unknown as Ack<T>);
      else resolve(r);
    });
  });
}

/** Marks seq as seen in a growable bitmap; true if it already was. */
function markSeen(bits: { b: Uint8Array }, seq: number): boolean {
  const byte = seq >> 3;
  if (bits.b.length <= byte) {
    const grown = new Uint8Array(Math.max(16, (byte + 1) * 2));
    grown.set(bits.b);
    bits.b = grown;
  }
  const mask = 1 << (seq & 7);
  const had = ((bits.b[byte] as number) & mask) !== 0;
  bits.b[byte] = (bits.b[byte] as number) | mask;
  return had;
}

function seqsOf(bits: { b: Uint8Array }): number[] {
  const out: number[] = [];
  for (let byte = 0; byte < bits.b.length; byte++) {
    const v = bits.b[byte] as number;
    if (v === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (v & (1 << bit)) out.push(byte * 8 + bit);
  }
  return out;
}

function stats(values: number[]): LatencyStats {
  if (values.length === 0) return { n: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
  return { n: s.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(at(1)) };
}

// ── the simulated people ──────────────────────────────────────────────────────────────────────────────────────────

type HumanState = 'bot' | 'requested' | 'assigned' | 'greeted' | 'ended';

type Taxpayer = {
  index: number;
  http: Http;
  url: string;
  conversationId: string;
  /** The conversation's last seq when the taxpayer opened it (before the socket connected). */
  fromSeq: number;
  socket?: ClientSocket;
  seen: { b: Uint8Array };
  human: boolean;
  state: HumanState;
  agent?: number;
  handoffAt?: number;
  pushAt?: number;
  pushCount: number;
};

type AgentConv = { tp: number; fromSeq: number; seen: { b: Uint8Array } };

type Agent = {
  index: number;
  http: Http;
  url: string;
  socket?: ClientSocket;
  convs: Map<string, AgentConv>;
  watching: Promise<unknown>;
};

type Kind = 'bot' | 'human' | 'agent' | 'upload' | 'greeting';

type Rec = {
  kind: Kind;
  tp: number;
  sentAt: number;
  ackAt: number;
  id?: string;
  seq?: number;
  /** The other party received it (agent for taxpayer messages in a human conversation, taxpayer for agent ones). */
  recvAt: number;
  botAt: number;
  counted: boolean;
};

let nodeUrls: string[] = [];
let taxpayers: Taxpayer[] = [];
let agents: Agent[] = [];
let adminHttp: Http | undefined;
let questions: string[] = [];
let uploadPng: Uint8Array = new Uint8Array();
let concurrency = 64;
const convIndex = new Map<string, number>();

// what a run records
const recs = new Map<string, Rec>();
const byMessageId = new Map<string, Rec>();
/** A bot answer that arrived before its question's ack: message id → when. */
const earlyBot = new Map<string, number>();
const errors: Record<string, number> = {};
const uploadMs: number[] = [];
const handoffHttpMs: number[] = [];
const handoffResults: Record<string, number> = {};
/** Bot-cohort taxpayers the bot itself offered a human, by the signal that fired. */
const smartReasons: Record<string, number> = {};
const greetedMs: number[] = [];
const pushMs: number[] = [];
let pushSentAt = 0;
let pushSendHttpMs = 0;
let duplicatedReceipts = 0;
let disconnects = 0;
let running = false;
let window = { from: 0, to: Number.POSITIVE_INFINITY };
let deliveriesInWindow = 0;
/** Human conversations whose agent has greeted (the taxpayer saw it): the ones the mix writes in. */
const liveHuman: number[] = [];
/** Taxpayer messages the agent has received and not yet answered, oldest first (taxpayer index). */
const pendingReplies: number[] = [];
const humanConversationIds = new Set<string>();
let clientSeq = 0;
const runTag = Math.random().toString(36).slice(2, 8);

const noteError = (code: string) => {
  errors[code] = (errors[code] ?? 0) + 1;
};
const httpCode = (err: unknown, where: string) =>
  `${where} ${err instanceof HttpError ? `HTTP ${err.status}` : (err as Error)?.message?.slice(0, 60) || 'failed'}`;

function wireTaxpayer(tp: Taxpayer) {
  const s = tp.socket as ClientSocket;
  s.on('message:new', (m: Message) => {
    const now = performance.now();
    if (m.conversationId !== tp.conversationId) {
      noteError('FOREIGN_MESSAGE');
      return;
    }
    if (markSeen(tp.seen, m.seq)) {
      duplicatedReceipts++;
      return;
    }
    if (now >= window.from && now <= window.to) deliveriesInWindow++;
    if (m.senderType === 'agent' && m.clientId) {
      const rec = recs.get(m.clientId);
      if (rec && rec.recvAt === 0) rec.recvAt = now;
      if (rec?.kind === 'greeting' && tp.state === 'assigned') {
        tp.state = 'greeted';
        liveHuman.push(tp.index);
        if (tp.handoffAt !== undefined) greetedMs.push(now - tp.handoffAt);
      }
    } else if (m.senderType === 'bot' && m.clientId?.startsWith('bot-')) {
      if (m.payload?.kind === 'handoff_requested' && !tp.human) {
        smartReasons[m.payload.reason] = (smartReasons[m.payload.reason] ?? 0) + 1;
      }
      const qid = m.clientId.slice(4);
      const rec = byMessageId.get(qid);
      if (rec) {
        if (rec.botAt === 0) rec.botAt = now;
      } else earlyBot.set(qid, now);
    }
  });
  s.on('inbox:new', ({ item }) => {
    if (item.title !== PUSH_TITLE) return;
    tp.pushCount++;
    if (tp.pushCount === 1) {
      tp.pushAt = performance.now();
      pushMs.push(tp.pushAt - pushSentAt);
    }
  });
  s.on('disconnect', () => {
    if (running) disconnects++;
  });
}

function wireAgent(ag: Agent) {
  const s = ag.socket as ClientSocket;
  s.on('message:new', (m: Message) => {
    const now = performance.now();
    const c = ag.convs.get(m.conversationId);
    if (!c) return; // a conversation this agent no longer (or not yet) tracks
    if (markSeen(c.seen, m.seq)) {
      duplicatedReceipts++;
      return;
    }
    if (now >= window.from && now <= window.to) deliveriesInWindow++;
    if (m.senderType === 'taxpayer' && m.clientId) {
      const rec = recs.get(m.clientId);
      if (rec && rec.recvAt === 0) {
        rec.recvAt = now;
        pendingReplies.push(c.tp);
      }
    }
  });
  s.on('conversation:assigned', ({ conversationId }) => {
    const i = convIndex.get(conversationId);
    if (i === undefined) {
      noteError('ASSIGNED_UNKNOWN_CONVERSATION');
      return;
    }
    const tp = taxpayers[i] as Taxpayer;
    if (!tp.human) {
      // the bot's own signals handed a bot-cohort taxpayer over: the agent serves them like the others
      noteError('SMART_HANDOFF (bot cohort handed over by the bot)');
      tp.human = true;
    }
    tp.state = 'assigned';
    tp.agent = ag.index;
    humanConversationIds.add(conversationId);
    ag.convs.set(conversationId, { tp: i, fromSeq: Number.POSITIVE_INFINITY, seen: { b: new Uint8Array(16) } });
    // the workspace watches its list (replacing the previous set), then the agent greets
    ag.watching = ag.watching.then(async () => {
      const ack = await emitAck<{ watching: number }>(s, 'conversation:watch', {
        conversationIds: [...ag.convs.keys()].slice(-200),
      });
      if (!ack.ok) {
        noteError(`watch ${ack.error.code}`);
        return;
      }
      send('greeting', i, ag.socket as ClientSocket, conversationId, GREETING, [], (seq) => {
        const c = ag.convs.get(conversationId);
        if (c) c.fromSeq = seq;
      });
    });
  });
  s.on('disconnect', () => {
    if (running) disconnects++;
  });
}

function send(
  kind: Kind,
  tpIndex: number,
  socket: ClientSocket,
  conversationId: string,
  body: string,
  attachmentIds: string[],
  onAck?: (seq: number) => void,
  sentAt = performance.now(),
) {
  const clientId = `b${runTag}-${++clientSeq}`;
  const rec: Rec = {
    kind,
    tp: tpIndex,
    sentAt,
    ackAt: 0,
    recvAt: 0,
    botAt: 0,
    counted: sentAt >= window.from && sentAt <= window.to,
  };
  recs.set(clientId, rec);
  sentBy[kind] = (sentBy[kind] ?? 0) + 1;
  emitAck<Message>(socket, 'message:send', { conversationId, clientId, body, attachmentIds }).then((r) => {
    const now = performance.now();
    if (!r.ok) {
      noteError(`${kind} ${r.error.code}`);
      recs.delete(clientId);
      return;
    }
    rec.ackAt = now;
    rec.id = r.data.id;
    rec.seq = r.data.seq;
    ackedBy[kind] = (ackedBy[kind] ?? 0) + 1;
    if (now >= window.from && now <= window.to) ackedInWindow++;
    if (kind === 'bot' || kind === 'upload') {
      const early = earlyBot.get(r.data.id);
      if (early !== undefined) {
        rec.botAt = early;
        earlyBot.delete(r.data.id);
      }
      byMessageId.set(r.data.id, rec);
    }
    onAck?.(r.data.seq);
  });
}

const sentBy: Record<string, number> = {};
const ackedBy: Record<string, number> = {};
let ackedInWindow = 0;
/** Acked messages of earlier runs (the database check covers every run). */
const allAcked: Receipts['acked'] = [];

function ackedOf(x: Rec) {
  return x.ackAt !== 0 && x.id && x.seq !== undefined
    ? [{ id: x.id, conversationId: (taxpayers[x.tp] as Taxpayer).conversationId, seq: x.seq }]
    : [];
}

/** Each run (the main one, then the steps of BENCH_FIND_MAX) is measured on its own. */
function resetRun() {
  for (const x of recs.values()) allAcked.push(...ackedOf(x));
  recs.clear();
  byMessageId.clear();
  earlyBot.clear();
  for (const o of [errors, sentBy, ackedBy, handoffResults, smartReasons]) for (const k of Object.keys(o)) delete o[k];
  for (const a of [uploadMs, handoffHttpMs, greetedMs, pushMs]) a.length = 0;
  duplicatedReceipts = 0;
  disconnects = 0;
  deliveriesInWindow = 0;
  ackedInWindow = 0;
}

// ── setup ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function init(r: Extract<DriverRequest, { type: 'init' }>) {
  nodeUrls = r.nodeUrls;
  questions = r.questions;
  uploadPng = r.uploadPng;
  concurrency = r.concurrency;
  const human = new Set(r.humanIndexes);
  taxpayers = Array.from({ length: r.taxpayers }, (_, i) => {
    const url = nodeUrls[i % nodeUrls.length] as string;
    return {
      index: i,
      url,
      http: new Http(url, ipOf(i + 1)),
      conversationId: '',
      fromSeq: 0,
      seen: { b: new Uint8Array(16) },
      human: human.has(i),
      state: 'bot' as HumanState,
      pushCount: 0,
    };
  });
  return null;
}

async function loginTaxpayers(r: Extract<DriverRequest, { type: 'loginTaxpayers' }>): Promise<LoginResult> {
  const t0 = performance.now();
  let requests = 0;
  const sessionMs: number[] = [];
  const conversationMs: number[] = [];
  await pool(r.logins, concurrency, async ({ index, ssoToken }) => {
    const tp = taxpayers[index] as Taxpayer;
    // the widget's path: exchange the portal's token for a chat session, then open the conversation
    const t1 = performance.now();
    const session = await tp.http.call('POST', '/api/chat/session', { token: ssoToken });
    const t2 = performance.now();
    tp.http.bearer = session.accessToken;
    const conv = await tp.http.call('GET', '/api/chat/conversation');
    sessionMs.push(t2 - t1);
    conversationMs.push(performance.now() - t2);
    tp.conversationId = conv.conversation.id;
    tp.fromSeq = conv.conversation.lastSeq;
    convIndex.set(tp.conversationId, index);
    requests += 2;
  });
  return {
    ms: Math.round(performance.now() - t0),
    httpRequests: requests,
    sessionMs: stats(sessionMs),
    conversationMs: stats(conversationMs),
  };
}

async function connectTaxpayers(): Promise<LoginResult> {
  const t0 = performance.now();
  let done = 0;
  await pool(taxpayers, concurrency, async (tp) => {
    tp.socket = await connect(tp.url, tp.http);
    wireTaxpayer(tp);
    if (++done % 1000 === 0) log(`${done}/${taxpayers.length} taxpayer sockets connected`);
  });
  return { ms: Math.round(performance.now() - t0), httpRequests: taxpayers.length };
}

async function loginStaff(r: Extract<DriverRequest, { type: 'loginStaff' }>): Promise<LoginResult> {
  const t0 = performance.now();
  agents = r.agents.map((_, a) => {
    const url = nodeUrls[a % nodeUrls.length] as string;
    return { index: a, url, http: new Http(url, ipOf(200_000 + a)), convs: new Map(), watching: Promise.resolve() };
  });
  await pool(agents, 16, async (ag) => {
    await ag.http.call('POST', '/api/staff/login', { username: r.agents[ag.index], password: r.password });
    await ag.http.call('POST', '/api/workspace/presence', { presence: 'online' });
    ag.socket = await connect(ag.url, ag.http);
    wireAgent(ag);
  });
  adminHttp = new Http(nodeUrls[0] as string, ipOf(250_000));
  await adminHttp.call('POST', '/api/staff/login', { username: r.admin, password: r.password });
  return { ms: Math.round(performance.now() - t0), httpRequests: agents.length * 3 + 1 };
}

// ── the mixed peak ────────────────────────────────────────────────────────────────────────────────────────────────

async function requestHandoff(tp: Taxpayer) {
  tp.state = 'requested';
  tp.handoffAt = performance.now();
  try {
    // the 转人工 button
    const res = await tp.http.call('POST', '/api/chat/handoff', { conversationId: tp.conversationId });
    handoffHttpMs.push(performance.now() - tp.handoffAt);
    const status = String(res?.status ?? 'unknown');
    handoffResults[status] = (handoffResults[status] ?? 0) + 1;
  } catch (err) {
    noteError(httpCode(err, 'handoff'));
  }
}

async function uploadAndSend(tp: Taxpayer, body: string, sentAt: number) {
  try {
    const att = await tp.http.upload(
      `/api/chat/conversations/${tp.conversationId}/attachments`,
      uploadPng,
      '报错截图.png',
      'image/png',
    );
    uploadMs.push(performance.now() - sentAt);
    send('upload', tp.index, tp.socket as ClientSocket, tp.conversationId, body, [att.id], undefined, sentAt);
  } catch (err) {
    noteError(httpCode(err, 'upload'));
  }
}

async function sendPush(r: RunOptions) {
  if (!adminHttp) return;
  try {
    const draft = await adminHttp.call('POST', '/api/admin/pushes', {
      title: PUSH_TITLE,
      content: '本月增值税申报期截止日为 15 日，请及时完成申报。',
      audience: { kind: 'list', taxpayerNos: r.pushTaxpayerNos },
    });
    pushSentAt = performance.now();
    await adminHttp.call('POST', `/api/admin/pushes/${draft.id}/send`, {});
    pushSendHttpMs = performance.now() - pushSentAt;
  } catch (err) {
    noteError(httpCode(err, 'push'));
  }
}

async function run(r: RunOptions): Promise<RunStats> {
  resetRun();
  running = true;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  window = { from: start + r.warmupSeconds * 1000, to: start + (r.warmupSeconds + r.seconds) * 1000 };
  const totalSeconds = r.warmupSeconds + r.seconds;
  const total = Math.floor(r.rate * totalSeconds);

  // handoffs at their times; the push once
  // a human-cohort taxpayer presses 转人工 once (in the first run)
  const humans = taxpayers.filter((t) => t.human && t.state === 'bot');
  const timers: NodeJS.Timeout[] = humans.map((tp, k) =>
    setTimeout(() => void requestHandoff(tp), (k / Math.max(1, humans.length)) * r.handoffSpreadSeconds * 1000),
  );
  if (r.pushTaxpayerNos.length > 0) timers.push(setTimeout(() => void sendPush(r), r.pushAtSeconds * 1000));

  // the mix as a repeating pattern of 100 slots (deterministic, evenly interleaved)
  const pattern: ('bot' | 'human' | 'agent' | 'upload')[] = [];
  const kinds = ['bot', 'human', 'agent', 'upload'] as const;
  const acc = { bot: 0, human: 0, agent: 0, upload: 0 };
  for (let k = 0; k < 100; k++) {
    for (const kind of kinds) acc[kind] += r.mix[kind];
    const pick = kinds.reduce((best, kind) => (acc[kind] > acc[best] ? kind : best), 'bot' as (typeof kinds)[number]);
    acc[pick] -= 1;
    pattern.push(pick);
  }
  const botCohort = taxpayers.filter((t) => !t.human).map((t) => t.index);
  let botNext = 0;
  let humanNext = 0;
  let qNext = 0;
  let fallbacks = 0;
  const nextBotTaxpayer = () => {
    // skip anyone the bot handed to an agent meanwhile
    for (let tries = 0; tries < botCohort.length; tries++) {
      const tp = taxpayers[botCohort[botNext++ % botCohort.length] as number] as Taxpayer;
      if (!tp.human) return tp;
    }
    return undefined;
  };
  const question = () => questions[qNext++ % questions.length] as string;

  const fire = (slot: number, at: number) => {
    let kind = pattern[slot % pattern.length] as (typeof kinds)[number];
    if ((kind === 'human' || kind === 'agent') && liveHuman.length === 0) {
      kind = 'bot';
      fallbacks++;
    }
    if (kind === 'bot' || kind === 'upload') {
      const tp = nextBotTaxpayer();
      if (!tp) return;
      if (kind === 'bot')
        send('bot', tp.index, tp.socket as ClientSocket, tp.conversationId, question(), [], undefined, at);
      else void uploadAndSend(tp, question(), at);
      return;
    }
    if (kind === 'human') {
      const tp = taxpayers[liveHuman[humanNext++ % liveHuman.length] as number] as Taxpayer;
      const text = HUMAN_TEXTS[slot % HUMAN_TEXTS.length] as string;
      send('human', tp.index, tp.socket as ClientSocket, tp.conversationId, text, [], undefined, at);
      return;
    }
    // an agent answers the oldest message waiting for a reply, or writes in one of their conversations
    let i = pendingReplies.shift();
    while (i !== undefined && (taxpayers[i] as Taxpayer).state !== 'greeted') i = pendingReplies.shift();
    const tp = taxpayers[i ?? (liveHuman[humanNext++ % liveHuman.length] as number)] as Taxpayer;
    const ag = agents[tp.agent as number] as Agent;
    send('agent', tp.index, ag.socket as ClientSocket, tp.conversationId, AGENT_REPLY, [], undefined, at);
  };

  let k = 0;
  let lagMax = 0;
  let lastProgress = start;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * r.rate) + 1);
      while (k < due) {
        const at = start + (k / r.rate) * 1000;
        lagMax = Math.max(lagMax, now - at);
        fire(k, at);
        k++;
      }
      if (now - lastProgress > 5000) {
        lastProgress = now;
        const acked = Object.values(ackedBy).reduce((s, n) => s + n, 0);
        log(
          `t=${((now - start) / 1000).toFixed(0)}s offered ${k}, acked ${acked}, live human ${liveHuman.length}, errors ${JSON.stringify(errors)}`,
        );
      }
      if (k >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const connectedTaxpayersAtPeak = taxpayers.filter((t) => t.socket?.connected).length;
  const connectedAgentsAtPeak = agents.filter((a) => a.socket?.connected).length;

  // acks, then deliveries and bot answers, get their grace period
  const ackDeadline = performance.now() + ACK_TIMEOUT_MS + 1000;
  const inflight = () => [...recs.values()].some((x) => x.ackAt === 0);
  while (inflight() && performance.now() < ackDeadline) await sleep(50);
  const complete = () => {
    for (const x of recs.values()) {
      if (x.ackAt === 0) continue;
      if (x.kind === 'bot' || x.kind === 'upload') {
        if (x.botAt === 0 && !(taxpayers[x.tp] as Taxpayer).human) return false;
      } else if (x.recvAt === 0) return false;
    }
    const pushWanted = r.pushTaxpayerIndexes.every((i) => (taxpayers[i] as Taxpayer).pushCount > 0);
    return pushWanted;
  };
  const graceEnd = performance.now() + GRACE_MS;
  while (!complete() && performance.now() < graceEnd) await sleep(50);
  for (const t of timers) clearTimeout(t);
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - start;

  // tally
  const lat: number[] = [];
  const latTA: number[] = [];
  const latAT: number[] = [];
  const bot: number[] = [];
  const botFromSend: number[] = [];
  const ackLat: number[] = [];
  let botUnanswered = 0;
  let undelivered = 0;
  for (const x of recs.values()) {
    if (x.ackAt === 0) continue;
    if (x.counted) ackLat.push(x.ackAt - x.sentAt);
    if (x.kind === 'bot' || x.kind === 'upload') {
      if (x.botAt === 0) {
        if (!(taxpayers[x.tp] as Taxpayer).human) botUnanswered++;
      } else if (x.counted) {
        bot.push(Math.max(0, x.botAt - x.ackAt));
        botFromSend.push(x.botAt - x.sentAt);
      }
      continue;
    }
    if (x.recvAt === 0) {
      undelivered++;
      continue;
    }
    if (!x.counted) continue;
    const d = x.recvAt - x.sentAt;
    lat.push(d);
    (x.kind === 'human' ? latTA : latAT).push(d);
  }
  const pushAudience = r.pushTaxpayerIndexes.length;
  let pushReceived = 0;
  let pushDup = 0;
  for (const i of r.pushTaxpayerIndexes) {
    const tp = taxpayers[i] as Taxpayer;
    if (tp.pushCount > 0) pushReceived++;
    if (tp.pushCount > 1) pushDup += tp.pushCount - 1;
  }
  const seconds = (window.to - window.from) / 1000;
  running = false;
  return {
    offered: k,
    sent: { ...sentBy },
    acked: { ...ackedBy },
    errors: { ...errors },
    seconds: round(seconds, 2),
    msgsPerSec: round(ackedInWindow / seconds),
    deliveriesPerSec: round(deliveriesInWindow / seconds),
    delivery: stats(lat),
    deliveryTaxpayerToAgent: stats(latTA),
    deliveryAgentToTaxpayer: stats(latAT),
    bot: stats(bot),
    botFromSend: stats(botFromSend),
    ack: stats(ackLat),
    upload: stats(uploadMs),
    handoff: {
      requested: humans.length,
      results: { ...handoffResults },
      httpMs: stats(handoffHttpMs),
      greetedMs: stats(greetedMs),
      smartReasons: { ...smartReasons },
    },
    push: {
      audience: pushAudience,
      received: pushReceived,
      duplicated: pushDup,
      missing: pushAudience - pushReceived,
      ms: stats(pushMs),
      sendHttpMs: round(pushSendHttpMs),
    },
    botUnanswered,
    undelivered,
    duplicatedReceipts,
    scheduleLagMaxMs: round(lagMax),
    fallbacks,
    driverElu: round(elu.utilization, 3),
    benchProcessCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 100),
    disconnects,
    connectedTaxpayersAtPeak,
    connectedAgentsAtPeak,
  };
}

/** The agents press 结束 on every conversation they hold (the taxpayer is asked for a rating). */
async function endHuman() {
  resetRun();
  const t0 = performance.now();
  const ends: { ag: Agent; conversationId: string }[] = [];
  for (const ag of agents) for (const id of ag.convs.keys()) ends.push({ ag, conversationId: id });
  const ms: number[] = [];
  await pool(ends, 16, async ({ ag, conversationId }) => {
    const t = performance.now();
    try {
      await ag.http.call('POST', `/api/workspace/conversations/${conversationId}/end`, {});
      ms.push(performance.now() - t);
      const tp = taxpayers[convIndex.get(conversationId) as number] as Taxpayer;
      tp.state = 'ended';
    } catch (err) {
      noteError(httpCode(err, 'end'));
    }
  });
  // the rating requests reach both sides
  await sleep(1500);
  return { ended: ms.length, ms: stats(ms), totalMs: Math.round(performance.now() - t0), errors: { ...errors } };
}

function collect(): Receipts {
  const acked = [...allAcked, ...[...recs.values()].flatMap(ackedOf)];
  return {
    taxpayers: taxpayers.map((t) => ({ conversationId: t.conversationId, fromSeq: t.fromSeq, seqs: seqsOf(t.seen) })),
    agents: agents.flatMap((ag) =>
      [...ag.convs].map(([conversationId, c]) => ({
        agent: ag.index,
        conversationId,
        fromSeq: Number.isFinite(c.fromSeq) ? c.fromSeq : -1,
        seqs: seqsOf(c.seen),
      })),
    ),
    acked,
    humanConversationIds: [...humanConversationIds],
  };
}

async function disconnect() {
  running = false;
  for (const s of [...taxpayers.map((t) => t.socket), ...agents.map((a) => a.socket)]) {
    s?.removeAllListeners();
    s?.disconnect();
  }
  await sleep(300);
}

async function handle(req: DriverRequest): Promise<unknown> {
  switch (req.type) {
    case 'init':
      return init(req);
    case 'loginTaxpayers':
      return loginTaxpayers(req);
    case 'connectTaxpayers':
      return connectTaxpayers();
    case 'loginStaff':
      return loginStaff(req);
    case 'run':
      return run(req);
    case 'endHuman':
      return endHuman();
    case 'collect':
      return collect();
    case 'disconnect':
      return disconnect();
  }
}

serveDriver<DriverRequest>('cluster-driver', handle);
