/**
 * Test harness: a real server on an ephemeral port (PGlite in memory unless told otherwise), real HTTP, real
 * Socket.IO clients. Each test makes its own taxpayers and staff with the factories the seed uses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Ack,
  type ClientEventName,
  type ClientEventPayload,
  type ClientEventResult,
  type ClientToServerEvents,
  PROTOCOL_VERSION,
  type ServerToClientEvents,
} from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { io as ioClient, type Socket } from 'socket.io-client';
import { type RunningApp, type StartOptions, startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createPortalUser, createStaff, createTaxOffice, createTaxpayer } from '../src/db/factories.ts';
import { skillGroups, staff, staffSkillGroups } from '../src/db/schema.ts';
import { hashPassword } from '../src/modules/identity/password.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const TEST_PASSWORD = 'Test@20260';
let passwordHash: Promise<string> | undefined;
const testHash = () => {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
};

export async function startTestApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningApp> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    // the bot is off unless a test is about it: other tests count messages exactly
    BOT_ENABLED: 'false',
    SEED_KB: 'false',
    WEB_DIST: mkdtempSync(path.join(os.tmpdir(), 'zn-web-')),
    ...env,
  });
  return startApp(config, { jobs: false, ...options });
}

export const tempDataDir = () => mkdtempSync(path.join(os.tmpdir(), 'zn-data-'));

/** A taxpayer (enterprise) with one person acting for it, ready to log in. */
export async function makeTaxpayer(app: Pick<RunningApp, 'db'>, opts: { name?: string } = {}) {
  const office = await createTaxOffice(app.db);
  const taxpayer = await createTaxpayer(app.db, { taxOfficeId: office.id, ...(opts.name ? { name: opts.name } : {}) });
  const user = await createPortalUser(app.db, { taxpayerIds: [taxpayer.id], passwordHash: await testHash() });
  return { office, taxpayer, user };
}

export async function makeStaff(app: Pick<RunningApp, 'db'>, role: 'agent' | 'supervisor' | 'admin' = 'agent') {
  const office = await createTaxOffice(app.db);
  return createStaff(app.db, {
    taxOfficeId: office.id,
    role,
    name: `坐席${randomUUID().slice(0, 4)}`,
    passwordHash: await testHash(),
  });
}

/** A skill group with these agents in it (online, with the given cap). */
export async function makeGroup(
  app: Pick<RunningApp, 'db'>,
  opts: {
    business?: 'invoice' | 'filing' | 'registration' | 'general';
    taxOfficeId?: string | null;
    agents: string[];
    cap?: number;
  },
) {
  const id = `g-${randomUUID().slice(0, 8)}`;
  await app.db.insert(skillGroups).values({
    id,
    name: `测试组${id}`,
    business: opts.business ?? 'general',
    taxOfficeId: opts.taxOfficeId ?? null,
  });
  for (const staffId of opts.agents) {
    await app.db.insert(staffSkillGroups).values({ staffId, groupId: id });
    await app.db
      .update(staff)
      .set({ presence: 'online', maxConcurrent: opts.cap ?? 5 })
      .where(eq(staff.id, staffId));
  }
  return id;
}

type Json = Record<string, unknown> | unknown[] | null;

/** Tiny HTTP client over fetch that keeps cookies like a browser would (one jar per client). */
export class HttpClient {
  private cookies = new Map<string, string>();
  bearer: string | undefined;
  constructor(readonly base: string) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !(body instanceof FormData)) h['content-type'] ??= 'application/json';
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) h.authorization ??= `Bearer ${this.bearer}`;
    const res = await fetch(this.base + url, {
      method,
      headers: h,
      body:
        body === undefined
          ? undefined
          : body instanceof FormData
            ? body
            : typeof body === 'string'
              ? body
              : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair ?? '').split('=');
      if (k) this.cookies.set(k.trim(), v.join('='));
    }
    const text = await res.text();
    let json: Json = null;
    try {
      json = text ? (JSON.parse(text) as Json) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json: json as any, text, headers: res.headers };
  }
  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', url, body ?? {}, headers);
}

/** Portal login → single sign-on token → chat session: the path a taxpayer's browser takes. */
export async function loginTaxpayer(app: Pick<RunningApp, 'url'>, taxpayerNo: string, password = TEST_PASSWORD) {
  const portal = new HttpClient(app.url);
  const login = await portal.post('/api/portal/login', { taxpayerNo, password });
  if (login.status !== 200) throw new Error(`portal login failed: ${login.text}`);
  const sso = await portal.post('/api/portal/chat-token');
  const chat = new HttpClient(app.url);
  const session = await chat.post('/api/chat/session', { token: sso.json.token });
  if (session.status !== 200) throw new Error(`chat session failed: ${session.text}`);
  chat.bearer = session.json.accessToken;
  return { portal, chat, session: session.json };
}

export async function loginStaff(app: Pick<RunningApp, 'url'>, username: string, password = TEST_PASSWORD) {
  const client = new HttpClient(app.url);
  const res = await client.post('/api/staff/login', { username, password });
  if (res.status !== 200) throw new Error(`staff login failed: ${res.text}`);
  return { client, me: res.json };
}

/** A socket that fetches a fresh handshake token on every (re)connect, as the web clients do. */
export function connectSocket(client: HttpClient, opts: { url?: string; reconnection?: boolean } = {}): ClientSocket {
  return ioClient(opts.url ?? client.base, {
    transports: ['websocket'],
    reconnection: opts.reconnection ?? true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    auth: (cb) => {
      client
        .get('/api/realtime/token')
        .then((r) => cb({ token: r.json?.token ?? 'none', protocolVersion: PROTOCOL_VERSION }))
        .catch(() => cb({ token: 'none', protocolVersion: PROTOCOL_VERSION }));
    },
  }) as ClientSocket;
}

/**
 * Resolves once the socket is connected. A refused handshake (the server said no) fails at once; a transient error
 * (a timeout on a loaded machine) is left to the client's own reconnection, within `timeoutMs`.
 */
export function connected(socket: ClientSocket, timeoutMs = 20_000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      if (err) reject(err);
      else resolve();
    };
    const onConnect = () => done();
    const onError = (err: Error & { data?: unknown }) => {
      const refused = err.data !== undefined || !socket.io.reconnection();
      if (refused) done(err);
    };
    const timer = setTimeout(() => done(new Error('socket did not connect in time')), timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
  });
}

export function emitAck<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: ClientEventPayload<E>,
  timeoutMs = 5000,
): Promise<Ack<ClientEventResult[E]>> {
  return (
    socket.timeout(timeoutMs) as unknown as {
      emitWithAck: (e: string, p: unknown) => Promise<Ack<ClientEventResult[E]>>;
    }
  ).emitWithAck(event, payload);
}

/**
 * A new taxpayer with the chat open: their HTTP client, a connected socket, the open conversation and `send`.
 * Pass `page` to open it from a portal page (recorded on the conversation).
 */
export async function openTaxpayerChat(app: Pick<RunningApp, 'db' | 'url'>, opts: { page?: string } = {}) {
  const { taxpayer, office } = await makeTaxpayer(app);
  const { chat, portal } = await loginTaxpayer(app, taxpayer.taxpayerNo);
  const query = opts.page ? `?page=${opts.page}` : '';
  const conversationId = (await chat.get(`/api/chat/conversation${query}`)).json.conversation.id as string;
  const socket = connectSocket(chat);
  await connected(socket);
  const send = (body: string, extra: { private?: boolean } = {}) =>
    emitAck(socket, 'message:send', { conversationId, clientId: newClientId(), body, ...extra });
  return { chat, portal, socket, conversationId, send, taxpayer, officeId: office.id };
}
export type TaxpayerChat = Awaited<ReturnType<typeof openTaxpayerChat>>;

/** A staff socket asks for these conversations' messages live (as the workspace does for its list). */
export async function watch(socket: ClientSocket, conversationIds: string[]): Promise<void> {
  const r = await emitAck(socket, 'conversation:watch', { conversationIds });
  if (!r.ok) throw new Error(`watch refused: ${r.error.code}`);
}

/** Resolves with the first event matching the predicate. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args[0]);
    };
    socket.on(event, handler as never);
  });
}

export const newClientId = () => randomUUID();
