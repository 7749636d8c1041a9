/**
 * Fault: PostgreSQL goes away under a running node and comes back (issue #11). A real node process on a private
 * PostgreSQL that the test stops (immediate, as a crash would) and starts again on the same port. What a user
 * notices: requests come back at once with 503 SERVICE_UNAVAILABLE and a Chinese message (not a 500, not a hang),
 * a message sent meanwhile is refused with the same error in its ack, the chat stays signed in and connected, and
 * once the database is back the same node serves again and nothing sent before the outage is lost.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRORS, PROTOCOL_VERSION } from '@zhengna/contracts';
import { asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema.ts';
import type { Db } from '../../src/platform/db.ts';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginTaxpayer,
  makeTaxpayer,
  newClientId,
} from '../harness.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../private-postgres.ts';
import { type NodeProcess, spawnNode } from '../spawn-node.ts';

const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE', message: ERRORS.SERVICE_UNAVAILABLE.message };
const HUNG_BOUND_MS = 4000;
const RECHECK_S = 3;

let postgres: PrivatePostgres;
let node: NodeProcess;
let pool: pg.Pool;
let db: Db;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  const url = await postgres.createDatabase('zhengna');
  node = await spawnNode({
    DATABASE_URL: url,
    REDIS_URL: process.env.TEST_REDIS_URL as string,
    NODE_ID: 'pg-restart',
    SEED_DEMO: 'false',
    SEED_KB: 'false',
    BOT_ENABLED: 'false',
    WEB_DIST: mkdtempSync(path.join(os.tmpdir(), 'zn-web-')),
    // a socket's session is checked again after 3 s: the first outage falls into such a check, the hang's first
    // sends do not
    SOCKET_SESSION_RECHECK_SECONDS: String(RECHECK_S),
    // a hung database: a request gives up after this long (shorter than the defaults, to keep the test short)
    DATABASE_CONNECT_TIMEOUT_MS: String(HUNG_BOUND_MS),
    DATABASE_QUERY_TIMEOUT_MS: String(HUNG_BOUND_MS),
  });
  // the test's own connections to set up people and to read what was stored
  pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  db = drizzle(pool, { schema }) as unknown as Db;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await node?.stop();
  await pool?.end().catch(() => {});
  await postgres?.destroy();
});

const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - started) };
};

describe('PostgreSQL stops and starts again under a running node', () => {
  it('answers 503 at once while it is down, keeps the chat signed in, and serves again once it is back', async () => {
    const { taxpayer, user } = await makeTaxpayer({ db });
    const { chat } = await loginTaxpayer(node, taxpayer.taxpayerNo);
    const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
    const socket = connectSocket(chat);
    sockets.push(socket);
    await connected(socket);
    const ended: unknown[] = [];
    socket.on('session:ended', (p) => ended.push(p));
    const send = (body: string) => emitAck(socket, 'message:send', { conversationId, clientId: newClientId(), body });

    // an earlier (ended) conversation of the same taxpayer that this node has not read yet
    const [other] = await db
      .insert(schema.conversations)
      .values({ taxpayerId: taxpayer.id, portalUserId: user.id, status: 'closed' })
      .returning();
    const before = ['断线前的第一条', '断线前的第二条', '断线前的第三条'];
    for (const body of before) expect((await send(body)).ok).toBe(true);
    const lastEventAt = Date.now();
    // a page reloaded just before the outage: it holds a fresh realtime token and connects during it
    const token = (await chat.get('/api/realtime/token')).json.token as string;

    await postgres.stop('immediate');

    // socket, before the session's re-check is due: a conversation this node has not read yet is unavailable, not
    // "会话不存在" (it exists, it just cannot be read now)
    const elsewhere = await emitAck(socket, 'message:send', {
      conversationId: other?.id as string,
      clientId: newClientId(),
      body: '另一个会话',
    });
    expect(elsewhere).toEqual({ ok: false, error: UNAVAILABLE });

    // HTTP: a taxpayer's request and a login, each answered (the test's timeout is the only bound on the wait)
    const read = await timed(() => chat.get('/api/chat/conversation'));
    expect(read.value.status).toBe(503);
    expect(read.value.json).toEqual(UNAVAILABLE);
    const login = await timed(() =>
      new HttpClient(node.url).post('/api/portal/login', { taxpayerNo: taxpayer.taxpayerNo, password: 'x' }),
    );
    expect(login.value.status).toBe(503);
    expect(login.value.json).toEqual(UNAVAILABLE);

    // socket: the session's periodic re-check falls into the outage; the send is refused, the session lives on
    while (Date.now() - lastEventAt < RECHECK_S * 1000 + 500) await new Promise((r) => setTimeout(r, 100));
    const refused = await timed(() => send('断线期间的消息'));
    expect(refused.value).toEqual({ ok: false, error: UNAVAILABLE });
    const refusedAgain = await send('断线期间的第二条消息');
    expect(refusedAgain).toEqual({ ok: false, error: UNAVAILABLE });

    // a new socket is refused as unavailable (the client retries), not as signed out
    const late = ioClient(node.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token, protocolVersion: PROTOCOL_VERSION },
    });
    const handshake = await new Promise<unknown>((resolve) => {
      late.on('connect', () => resolve('connected'));
      late.on('connect_error', (err) => resolve((err as Error & { data?: unknown }).data));
    });
    late.close();
    expect(handshake).toEqual(UNAVAILABLE);

    // readiness says so; the process is alive
    const ready = await timed(() => fetch(`${node.url}/readyz`));
    expect(ready.value.status).toBe(503);
    expect(((await ready.value.json()) as { checks: Record<string, string> }).checks.database).toBe('down');
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    expect(node.proc.exitCode).toBeNull();

    await postgres.start();
    const restartedAt = performance.now();
    await expect
      .poll(async () => (await fetch(`${node.url}/readyz`)).status, { timeout: 30_000, interval: 100 })
      .toBe(200);
    const recoveredMs = Math.round(performance.now() - restartedAt);

    // the same node, the same socket and session: the taxpayer sends again and it is stored after the others
    const after = await send('恢复后的消息');
    expect(after.ok && after.data.seq).toBe(before.length + 1);
    const page = await chat.get('/api/chat/conversation');
    expect(page.status).toBe(200);
    expect((page.json.page.messages as { body: string }[]).map((m) => m.body)).toEqual([...before, '恢复后的消息']);
    const stored = await db
      .select({ body: schema.messages.body, seq: schema.messages.seq })
      .from(schema.messages)
      .where(eq(schema.messages.conversationId, conversationId))
      .orderBy(asc(schema.messages.seq));
    expect(stored).toEqual([...before, '恢复后的消息'].map((body, i) => ({ body, seq: i + 1 })));
    expect(ended).toEqual([]);
    expect(socket.connected).toBe(true);
    expect(node.proc.exitCode).toBeNull();

    console.info(
      `[postgres-restart] outage: HTTP ${read.ms} ms, login ${login.ms} ms, socket ack ${refused.ms} ms, ` +
        `readyz ${ready.ms} ms; ready again ${recoveredMs} ms after PostgreSQL started`,
    );
  });

  it('answers 503 within the configured bound while it hangs, and serves again once it answers', async () => {
    const { taxpayer } = await makeTaxpayer({ db });
    const { chat } = await loginTaxpayer(node, taxpayer.taxpayerNo);
    const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
    const socket = connectSocket(chat);
    sockets.push(socket);
    await connected(socket);
    const ended: unknown[] = [];
    socket.on('session:ended', (p) => ended.push(p));
    const send = (body: string, clientId = newClientId()) =>
      emitAck(socket, 'message:send', { conversationId, clientId, body }, 60_000);
    expect((await send('卡住前的消息')).ok).toBe(true);

    // frozen, not stopped: connections stay open and nothing answers
    postgres.pause();
    let resumed = false;
    try {
      // sends at once (the session check is not due: they reach the writer, which stores them in one batch) are
      // refused together, not one bound after another
      const burst = await timed(() =>
        Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            emitAck(socket, 'message:send', { conversationId, clientId: newClientId(), body: `卡住期间${i}` }, 20_000),
          ),
        ),
      );
      expect(burst.value).toEqual(Array.from({ length: 8 }, () => ({ ok: false, error: UNAVAILABLE })));
      const read = await timed(() => chat.get('/api/chat/conversation'));
      expect(read.value.status).toBe(503);
      expect(read.value.json).toEqual(UNAVAILABLE);
      const clientId = newClientId();
      const refused = await timed(() => send('卡住期间的消息', clientId));
      expect(refused.value).toEqual({ ok: false, error: UNAVAILABLE });
      const ready = await timed(() => fetch(`${node.url}/readyz`));
      expect(ready.value.status).toBe(503);
      expect(node.proc.exitCode).toBeNull();

      postgres.resume();
      resumed = true;
      const resumedAt = performance.now();
      await expect
        .poll(async () => (await fetch(`${node.url}/readyz`)).status, { timeout: 30_000, interval: 100 })
        .toBe(200);
      const recoveredMs = Math.round(performance.now() - resumedAt);

      // the refused send may still have been committed once the frozen server went on with it; the client's resend
      // with the same id (as the web client does) stores it at most once, in order
      const resent = await send('卡住期间的消息', clientId);
      expect(resent.ok).toBe(true);
      const after = await send('恢复后的消息');
      expect(after.ok).toBe(true);
      const stored = await db
        .select({ body: schema.messages.body, seq: schema.messages.seq })
        .from(schema.messages)
        .where(eq(schema.messages.conversationId, conversationId))
        .orderBy(asc(schema.messages.seq));
      expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
      // those of the burst were never resent: whichever the thawed server committed are stored once, in order
      expect(stored.map((m) => m.body).filter((b) => !/^卡住期间\d$/.test(b))).toEqual([
        '卡住前的消息',
        '卡住期间的消息',
        '恢复后的消息',
      ]);
      expect(ended).toEqual([]);
      expect(socket.connected).toBe(true);

      console.info(
        `[postgres-restart] hung (bound ${HUNG_BOUND_MS} ms): HTTP ${read.ms} ms, socket ack ${refused.ms} ms, ` +
          `8 sends at once ${burst.ms} ms, ` +
          `readyz ${ready.ms} ms; ready again ${recoveredMs} ms after it was thawed`,
      );
    } finally {
      if (!resumed) postgres.resume();
    }
  });
});
