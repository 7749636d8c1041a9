/**
 * Fault: a client stops reading its socket (a frozen tab, a stalled mobile link) while many large messages are
 * pushed to it. A fast client on the same node keeps receiving everything; the node does not buffer without end for
 * the slow one — once more than the limit waits to be sent to it, it is disconnected (logged, counted in
 * zhengna_socket_slow_disconnects_total); when it reads again it reconnects and resyncs every message exactly once.
 */
import { MESSAGE_MAX_CHARS, type TMessage } from '@zhengna/contracts';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import {
  connected,
  connectSocket,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  startTestApp,
} from '../harness.ts';
import { createTestDatabase } from '../pg-database.ts';
import { ReliableClient } from '../reliable-client.ts';
import { newPool, storedHistory, waitFor } from './fault-helpers.ts';

const SENDERS = 10;
const PER_SENDER = 60;
/** Far below the kernel's own socket buffers on loopback (several MB), so the node's limit is what trips. */
const LIMIT_KB = 256;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: RunningApp;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: database.url, SOCKET_SEND_BUFFER_LIMIT_KB: String(LIMIT_KB) });
  pool = newPool(database.url);
});
afterAll(async () => {
  await app?.close();
  await pool?.end();
  await database?.drop();
});

/** The `ws` WebSocket under a Socket.IO client (Node): pausing it stops reading from the TCP socket. */
type RawWs = { pause: () => void; resume: () => void; isPaused: boolean };
const rawWs = (c: ReliableClient) => (c.socket.io.engine.transport as unknown as { ws: RawWs }).ws;

async function slowDisconnects(): Promise<number> {
  const text = await app.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith('zhengna_socket_slow_disconnects_total'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('a client that stops reading while large messages are pushed to it', () => {
  it('does not slow the others, is cut off past the limit, and resyncs everything once when it reads again', async () => {
    const senders: ReliableClient[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const { taxpayer } = await makeTaxpayer(app);
      const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
      const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
      senders.push(new ReliableClient(connectSocket(chat), conversationId));
    }
    const ids = senders.map((s) => s.conversationId);
    const watcher = async () => {
      const { client } = await loginStaff(app, (await makeStaff(app)).username);
      return new ReliableClient(connectSocket(client), ids, true);
    };
    const fast = await watcher();
    const slow = await watcher();
    const everyone = [...senders, fast, slow];
    await Promise.all(everyone.map((c) => connected(c.socket)));
    await waitFor('both agents watching', () => fast.resyncs > 0 && slow.resyncs > 0);
    let slowConnects = 0;
    slow.socket.on('connect', () => slowConnects++);

    // the slow agent's page freezes: its socket stays open, nothing is read from it
    rawWs(slow).pause();
    const stalledAt = slow.received.size;
    expect(stalledAt).toBe(0);

    // every sender pushes large messages (the longest a message may be, 3 bytes a character)
    const filler = '税'.repeat(MESSAGE_MAX_CHARS - 20);
    const started = Date.now();
    // for the report only: how far the stream was when the node cut the slow one off
    let fastAtCut = -1;
    const probe = setInterval(async () => {
      if (fastAtCut < 0 && (await slowDisconnects()) >= 1) fastAtCut = fast.received.size;
    }, 50);
    const acked: TMessage[] = (
      await Promise.all(
        senders.map(async (s, i) => {
          const mine: TMessage[] = [];
          for (let n = 1; n <= PER_SENDER; n++) mine.push(await s.send(`${i}-${n}|${filler}`));
          return mine;
        }),
      )
    ).flat();
    const total = SENDERS * PER_SENDER;
    expect(acked).toHaveLength(total);

    // the fast agent got every message live while the slow one was stalled
    await waitFor(
      'the fast agent to receive everything',
      () => fast.received.size === total,
      60_000,
      () => `(${fast.received.size} of ${total})`,
    );
    const fastDoneMs = Date.now() - started;
    clearInterval(probe);
    expect(fast.liveDeliveries).toBeGreaterThanOrEqual(total);
    expect(rawWs(slow).isPaused).toBe(true);
    expect(slow.received.size).toBe(stalledAt);

    // the node cut the slow one off, once
    await waitFor('the slow socket to be cut off', async () => (await slowDisconnects()) >= 1, 30_000);
    expect(await slowDisconnects()).toBe(1);
    expect(fast.socket.connected).toBe(true);

    // it reads again: takes what was buffered, sees the connection gone, reconnects and resyncs
    rawWs(slow).resume();
    await waitFor(
      'the slow agent to hold everything',
      () => slow.received.size === total,
      60_000,
      () => `(${slow.received.size} of ${total}, connects ${slowConnects})`,
    );
    expect(slowConnects).toBeGreaterThanOrEqual(1);
    for (const id of ids) {
      const history = (await storedHistory(pool, id)).map((m) => m.body);
      expect(history).toHaveLength(PER_SENDER);
      expect(slow.bodies(id)).toEqual(history);
      expect(fast.bodies(id)).toEqual(history);
    }
    // the fast one was never cut off
    expect(await slowDisconnects()).toBe(1);
    console.info(
      `[slow-client] ${total} messages of ~${Math.round(Buffer.byteLength(filler) / 1024)} KB; fast agent had all ` +
        `after ${fastDoneMs} ms (live deliveries ${fast.liveDeliveries}); slow agent: limit ${LIMIT_KB} KB, ` +
        `cut off when the fast one held ${fastAtCut}; reconnects ${slowConnects}; deliveries: ${slow.liveDeliveries} ` +
        `as pushes (read from its buffers, then replayed by Socket.IO's state recovery), ${slow.syncedDeliveries} by ` +
        `the database resync`,
    );
    for (const c of everyone) c.close();
  }, 150_000);
});
