/**
 * Load generator for the relay benchmark, run in a worker thread so that the clients do not share an event loop with
 * the server under test. It logs taxpayers and agents in over HTTP, holds their sockets, drives the phases and
 * measures what arrives where. Progress goes to stderr; results go back to the main thread.
 */
import { performance } from 'node:perf_hooks';
import { type Ack, type ClientToServerEvents, PROTOCOL_VERSION, type ServerToClientEvents } from '@zhengna/contracts';
import { io as ioClient, type Socket } from 'socket.io-client';
import { serveDriver } from './driver-worker.ts';
import type { DriverRequest, PhaseStats, SaturateOptions, SetupResult } from './relay-protocol.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Message = Parameters<ServerToClientEvents['message:new']>[0];

const ACK_TIMEOUT_MS = 15_000;
const GRACE_MS = 5_000;
const BODY = '您好，我想咨询一下本月增值税申报的问题，请问进项发票还能补充抵扣吗？';

const log = (msg: string) => process.stderr.write(`[driver] ${msg}\n`);

// ── tiny HTTP client with a cookie jar (as a browser would) ────────────────────────────────────────────────────────
class Http {
  private cookies = new Map<string, string>();
  bearer: string | undefined;
  constructor(
    readonly base: string,
    /** Each simulated client has its own address (the server trusts X-Forwarded-For in this benchmark). */
    private forwardedFor: string,
  ) {}

  async call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.forwardedFor };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.base + url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair ?? '').split('=');
      if (k) this.cookies.set(k.trim(), v.join('='));
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 200)}`);
    return { status: res.status, json, text };
  }
}

const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function pool<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
}

function connect(url: string, auth: (cb: (data: object) => void) => void): Promise<ClientSocket> {
  const socket = ioClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
    auth,
  }) as ClientSocket;
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

// ── what a run holds ──────────────────────────────────────────────────────────────────────────────────────────────

type Rec = { conv: number; sentAt: number; ackAt: number; recvAt: number; recvCount: number };

type Phase = {
  recs: Map<string, Rec>;
  sent: number;
  acked: number;
  inflight: number;
  errors: Record<string, number>;
  duplicated: number;
  agentRecv: number[];
  ackedPerConv: number[];
  ackLat: number[];
};

type Target = {
  conversationIds: string[];
  convIndex: Map<string, number>;
  taxpayers: ClientSocket[];
  agents: ClientSocket[];
  /** Per socket, per conversation: a bitmap of the seqs received (exact duplicate detection, small). */
  agentSeen: (Uint8Array | undefined)[][];
  taxpayerSeen: (Uint8Array | undefined)[];
  /** true: every agent socket gets every message; false: only the responsible agent (product watch rooms, bare relay). */
  fanoutToAllAgents: boolean;
  disconnects: number;
};

let target: Target | undefined;
let phase: Phase | undefined;
let phaseNo = 0;

const agentOf = (conv: number, agents: number) => conv % agents;

/** Marks seq as seen; true if it already was. */
function markSeen(maps: (Uint8Array | undefined)[], conv: number, seq: number): boolean {
  let bits = maps[conv];
  const byte = seq >> 3;
  if (!bits || bits.length <= byte) {
    const grown = new Uint8Array(Math.max(64, (byte + 1) * 2));
    if (bits) grown.set(bits);
    bits = grown;
    maps[conv] = bits;
  }
  const mask = 1 << (seq & 7);
  const had = ((bits[byte] as number) & mask) !== 0;
  bits[byte] = (bits[byte] as number) | mask;
  return had;
}

function newPhase(n: number, agents: number): Phase {
  phaseNo++;
  return {
    recs: new Map(),
    sent: 0,
    acked: 0,
    inflight: 0,
    errors: {},
    duplicated: 0,
    agentRecv: new Array(agents).fill(0),
    ackedPerConv: new Array(n).fill(0),
    ackLat: [],
  };
}

function wire(t: Target) {
  const nAgents = t.agents.length;
  t.agents.forEach((sock, a) => {
    const seen = t.agentSeen[a] as (Uint8Array | undefined)[];
    sock.on('message:new', (m: Message) => {
      const now = performance.now();
      const ci = t.convIndex.get(m.conversationId);
      if (ci === undefined || !phase) return;
      if (markSeen(seen, ci, m.seq)) {
        phase.duplicated++;
        return;
      }
      phase.agentRecv[a] = (phase.agentRecv[a] as number) + 1;
      if (agentOf(ci, nAgents) === a && m.clientId) {
        const rec = phase.recs.get(m.clientId);
        if (rec && ++rec.recvCount === 1) rec.recvAt = now;
      }
    });
    sock.on('disconnect', () => t.disconnects++);
  });
  t.taxpayers.forEach((sock, i) => {
    // the product echoes each message to the sender's own room (its other tabs); check that for duplicates too
    sock.on('message:new', (m: Message) => {
      if (phase && m.conversationId === t.conversationIds[i] && markSeen(t.taxpayerSeen, i, m.seq)) phase.duplicated++;
    });
    sock.on('disconnect', () => t.disconnects++);
  });
}

function send(t: Target, p: Phase, conv: number, done: () => void) {
  const clientId = `bench-${phaseNo}-${conv}-${p.sent}`;
  const rec: Rec = { conv, sentAt: performance.now(), ackAt: 0, recvAt: 0, recvCount: 0 };
  p.recs.set(clientId, rec);
  p.sent++;
  p.inflight++;
  const socket = t.taxpayers[conv] as ClientSocket;
  const payload = { conversationId: t.conversationIds[conv] as string, clientId, body: BODY, attachmentIds: [] };
  (
    socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emit: (e: 'message:send', p: unknown, cb: (err: Error | null, r: Ack<Message>) => void) => void;
    }
  ).emit('message:send', payload, (err, r) => {
    const now = performance.now();
    p.inflight--;
    if (err) p.errors.ACK_TIMEOUT = (p.errors.ACK_TIMEOUT ?? 0) + 1;
    else if (!r.ok) p.errors[r.error.code] = (p.errors[r.error.code] ?? 0) + 1;
    else {
      rec.ackAt = now;
      p.acked++;
      p.ackedPerConv[conv] = (p.ackedPerConv[conv] as number) + 1;
      p.ackLat.push(now - rec.sentAt);
    }
    done();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Waits for outstanding acks, then for deliveries (up to the grace period), then tallies the phase. */
async function finishPhase(
  t: Target,
  p: Phase,
  window: { from: number; to: number },
  extra: { scheduleLagMaxMs: number; elu: ReturnType<typeof performance.eventLoopUtilization> },
): Promise<PhaseStats> {
  const ackDeadline = performance.now() + ACK_TIMEOUT_MS + 1000;
  while (p.inflight > 0 && performance.now() < ackDeadline) await sleep(20);
  const elu = performance.eventLoopUtilization(extra.elu);
  const graceEnd = performance.now() + GRACE_MS;
  // what each agent socket should receive: everything (product fan-out) or its own conversations' messages
  const expectedPerAgent = new Array<number>(t.agents.length).fill(t.fanoutToAllAgents ? p.acked : 0);
  if (!t.fanoutToAllAgents) {
    p.ackedPerConv.forEach((n, i) => {
      const a = agentOf(i, t.agents.length);
      expectedPerAgent[a] = (expectedPerAgent[a] as number) + n;
    });
  }
  const complete = () => p.agentRecv.every((n, a) => n >= (expectedPerAgent[a] as number));
  while (!complete() && performance.now() < graceEnd) await sleep(25);

  const lat: number[] = [];
  let lost = 0;
  let ackedInWindow = 0;
  for (const rec of p.recs.values()) {
    if (rec.ackAt === 0) continue;
    if (rec.ackAt >= window.from && rec.ackAt <= window.to) ackedInWindow++;
    if (rec.recvCount === 0) lost++;
    else lat.push(rec.recvAt - rec.sentAt);
  }
  lat.sort((a, b) => a - b);
  p.ackLat.sort((a, b) => a - b);
  let fanoutMissing = 0;
  p.agentRecv.forEach((n, a) => {
    fanoutMissing += Math.max(0, (expectedPerAgent[a] as number) - n);
  });
  const seconds = (window.to - window.from) / 1000;
  const stats: PhaseStats = {
    sent: p.sent,
    acked: p.acked,
    errors: p.errors,
    seconds: round(seconds),
    msgsPerSec: round(ackedInWindow / seconds, 1),
    lost,
    duplicated: p.duplicated,
    fanoutMissing,
    p50Ms: round(percentile(lat, 0.5)),
    p99Ms: round(percentile(lat, 0.99)),
    maxMs: round(lat[lat.length - 1] ?? 0),
    ackP50Ms: round(percentile(p.ackLat, 0.5)),
    ackP99Ms: round(percentile(p.ackLat, 0.99)),
    scheduleLagMaxMs: round(extra.scheduleLagMaxMs),
    driverElu: round(elu.utilization, 3),
    disconnects: t.disconnects,
    ackedPerConv: p.ackedPerConv,
  };
  p.recs.clear();
  return stats;
}

// ── phases ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Closed loop: every taxpayer socket keeps `window` sends outstanding, throttled under the server's rate limit. */
async function saturate(t: Target, o: SaturateOptions): Promise<PhaseStats> {
  const n = t.taxpayers.length;
  const p = newPhase(n, t.agents.length);
  phase = p;
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  const from = start + o.warmupMs;
  const to = from + o.seconds * 1000;
  const maxPerSocket = Math.ceil(o.burst + ((o.warmupMs + o.seconds * 1000) / 1000) * o.perSecond);
  const states = Array.from({ length: n }, () => ({
    inflight: 0,
    tokens: o.burst,
    refilledAt: start,
    count: 0,
    timer: undefined as NodeJS.Timeout | undefined,
  }));

  const pump = (i: number) => {
    const s = states[i] as (typeof states)[number];
    while (s.inflight < o.window && s.count < maxPerSocket) {
      const now = performance.now();
      if (now >= to) return;
      s.tokens = Math.min(o.burst, s.tokens + ((now - s.refilledAt) / 1000) * o.perSecond);
      s.refilledAt = now;
      if (s.tokens < 1) {
        s.timer ??= setTimeout(
          () => {
            s.timer = undefined;
            pump(i);
          },
          Math.ceil(((1 - s.tokens) / o.perSecond) * 1000),
        );
        return;
      }
      s.tokens -= 1;
      s.inflight++;
      s.count++;
      send(t, p, i, () => {
        s.inflight--;
        pump(i);
      });
    }
  };
  for (let i = 0; i < n; i++) pump(i);
  await sleep(Math.max(0, to - performance.now()) + 5);
  for (const s of states) if (s.timer) clearTimeout(s.timer);
  return finishPhase(t, p, { from, to }, { scheduleLagMaxMs: 0, elu: elu0 });
}

/** Open loop: a fixed total rate, message k going to conversation k mod n at its scheduled time. */
async function steady(t: Target, rate: number, seconds: number): Promise<PhaseStats> {
  const n = t.taxpayers.length;
  const p = newPhase(n, t.agents.length);
  phase = p;
  const elu0 = performance.eventLoopUtilization();
  const total = Math.floor(rate * seconds);
  const start = performance.now();
  let k = 0;
  let lagMax = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * rate) + 1);
      if (k < due) lagMax = Math.max(lagMax, now - (start + (k / rate) * 1000));
      while (k < due) {
        send(t, p, k % n, () => {});
        k++;
      }
      if (k >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const to = performance.now();
  return finishPhase(t, p, { from: start, to }, { scheduleLagMaxMs: lagMax, elu: elu0 });
}

// ── setup ─────────────────────────────────────────────────────────────────────────────────────────────────────────

async function setupProduct(r: Extract<DriverRequest, { type: 'setupProduct' }>): Promise<SetupResult> {
  const t0 = performance.now();
  const taxpayerClients: Http[] = [];
  const conversationIds: string[] = [];
  let done = 0;
  await pool(r.taxpayerNos, r.concurrency, async (taxpayerNo, i) => {
    // portal login → single sign-on token → chat session → the open conversation: a taxpayer's browser's path
    const portal = new Http(r.url, ipOf(i + 1));
    await portal.call('POST', '/api/portal/login', { taxpayerNo, password: r.password });
    const sso = await portal.call('POST', '/api/portal/chat-token', {});
    const chat = new Http(r.url, ipOf(i + 1));
    const session = await chat.call('POST', '/api/chat/session', { token: sso.json.token });
    chat.bearer = session.json.accessToken;
    const conv = await chat.call('GET', '/api/chat/conversation');
    taxpayerClients[i] = chat;
    conversationIds[i] = conv.json.conversation.id;
    if (++done % 200 === 0) log(`logged in ${done}/${r.taxpayerNos.length} taxpayers`);
  });
  const staffClients: Http[] = [];
  await pool(r.staffUsernames, r.concurrency, async (username, i) => {
    const client = new Http(r.url, ipOf(100_000 + i));
    await client.call('POST', '/api/staff/login', { username, password: r.password });
    staffClients[i] = client;
  });
  const t1 = performance.now();
  log(`logins done in ${Math.round(t1 - t0)} ms`);

  // every (re)connect fetches a fresh realtime token, as the web clients do
  const authFor = (client: Http) => (cb: (data: object) => void) => {
    client
      .call('GET', '/api/realtime/token')
      .then((res) => cb({ token: res.json?.token ?? 'none', protocolVersion: PROTOCOL_VERSION }))
      .catch(() => cb({ token: 'none', protocolVersion: PROTOCOL_VERSION }));
  };
  const agents: ClientSocket[] = [];
  await pool(staffClients, r.concurrency, async (c, i) => {
    agents[i] = await connect(r.url, authFor(c));
  });
  const taxpayers: ClientSocket[] = [];
  await pool(taxpayerClients, r.concurrency, async (c, i) => {
    taxpayers[i] = await connect(r.url, authFor(c));
  });
  const t2 = performance.now();
  log(`${taxpayers.length} taxpayer + ${agents.length} agent sockets connected in ${Math.round(t2 - t1)} ms`);
  // each agent watches the conversations it is responsible for, as the workspace watches its list
  await pool(agents, r.concurrency, async (sock, a) => {
    const mine = conversationIds.filter((_, i) => agentOf(i, agents.length) === a);
    const ack = await (
      sock as unknown as { emitWithAck: (e: string, p: unknown) => Promise<Ack<unknown>> }
    ).emitWithAck('conversation:watch', { conversationIds: mine });
    if (!ack.ok) throw new Error(`agent ${a} could not watch its ${mine.length} conversations: ${ack.error.message}`);
  });
  target = makeTarget(conversationIds, taxpayers, agents, false);
  return { conversationIds, loginMs: Math.round(t1 - t0), connectMs: Math.round(t2 - t1) };
}

async function setupBare(r: Extract<DriverRequest, { type: 'setupBare' }>): Promise<SetupResult> {
  const t1 = performance.now();
  const agents: ClientSocket[] = [];
  await pool(
    Array.from({ length: r.agents }, (_, a) => a),
    r.concurrency,
    async (a) => {
      agents[a] = await connect(r.url, (cb) => cb({ role: 'agent', agent: a }));
    },
  );
  const taxpayers: ClientSocket[] = [];
  await pool(r.conversationIds, r.concurrency, async (conversationId, i) => {
    taxpayers[i] = await connect(r.url, (cb) => cb({ role: 'taxpayer', conversationId, agent: agentOf(i, r.agents) }));
  });
  const t2 = performance.now();
  log(
    `bare relay: ${taxpayers.length} taxpayer + ${agents.length} agent sockets connected in ${Math.round(t2 - t1)} ms`,
  );
  target = makeTarget(r.conversationIds, taxpayers, agents, false);
  return { conversationIds: r.conversationIds, loginMs: 0, connectMs: Math.round(t2 - t1) };
}

function makeTarget(
  conversationIds: string[],
  taxpayers: ClientSocket[],
  agents: ClientSocket[],
  fanoutToAllAgents: boolean,
): Target {
  const t: Target = {
    conversationIds,
    convIndex: new Map(conversationIds.map((id, i) => [id, i])),
    taxpayers,
    agents,
    agentSeen: agents.map(() => new Array(conversationIds.length)),
    taxpayerSeen: new Array(conversationIds.length),
    fanoutToAllAgents,
    disconnects: 0,
  };
  wire(t);
  return t;
}

async function disconnect() {
  if (!target) return;
  const t = target;
  target = undefined;
  phase = undefined;
  for (const s of [...t.taxpayers, ...t.agents]) {
    s.removeAllListeners('disconnect');
    s.disconnect();
  }
  await sleep(200);
}

async function handle(req: DriverRequest): Promise<unknown> {
  switch (req.type) {
    case 'setupProduct':
      return setupProduct(req);
    case 'setupBare':
      return setupBare(req);
    case 'saturate':
      if (!target) throw new Error('no target');
      return saturate(target, req);
    case 'steady':
      if (!target) throw new Error('no target');
      return steady(target, req.rate, req.seconds);
    case 'disconnect':
      return disconnect();
  }
}

serveDriver<DriverRequest>('relay-driver', handle);
