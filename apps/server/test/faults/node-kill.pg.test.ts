/**
 * Fault: one of two nodes is SIGKILLed at the height of traffic. 20 taxpayers and 4 agents chat through a front that
 * balances like nginx without sticky sessions (a TCP round-robin that skips a dead backend), so their sockets and
 * HTTP calls are spread over both nodes. The killed node's clients reconnect — to the survivor — and resend what was
 * not acked; every message sent before and after the kill ends up exactly once at the other party, and exactly once
 * in PostgreSQL with gapless seqs.
 */
import type { TMessage } from '@zhengna/contracts';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { connected, connectSocket, loginStaff, loginTaxpayer, makeStaff, makeTaxpayer } from '../harness.ts';
import { createTestDatabase } from '../pg-database.ts';
import { type PrivateRedis, startPrivateRedis } from '../private-redis.ts';
import { ReliableClient } from '../reliable-client.ts';
import { type NodeProcess, spawnNode } from '../spawn-node.ts';
import { startTcpBalancer, type TcpBalancer } from '../tcp-balancer.ts';
import { isGaplessOnce, newPool, storedHistory, waitFor } from './fault-helpers.ts';

const TAXPAYERS = 20;
const AGENTS = 4;
const ROUNDS = 12;
/** The round after which node B is killed: a third of the way in. */
const KILL_AFTER_ROUND = 4;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
// a private Redis: other suites on this machine use the shared one, and their streams must not mix with ours
let redis: PrivateRedis;
let nodeA: NodeProcess;
let nodeB: NodeProcess;
let front: TcpBalancer;
let db: Database;
let pool: pg.Pool;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startPrivateRedis()]);
  const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, SEED_DEMO: 'false', BOT_ENABLED: 'false' };
  [nodeA, nodeB] = await Promise.all([
    spawnNode({ ...env, NODE_ID: 'kill-a' }),
    spawnNode({ ...env, NODE_ID: 'kill-b' }),
  ]);
  front = await startTcpBalancer([nodeA.port, nodeB.port]);
  db = await openDatabase({ databaseUrl: database.url, dataDir: 'unused' });
  pool = newPool(database.url);
});
afterAll(async () => {
  await front?.close();
  await Promise.allSettled([nodeA?.stop('SIGKILL'), nodeB?.stop('SIGKILL'), redis?.stop('SIGKILL')]);
  await db?.close();
  await pool?.end();
  await database?.drop();
});

describe('a node killed at the height of traffic, behind a round-robin front', () => {
  it('reconnects its clients to the other node and loses and doubles no message', async () => {
    const app = { db: db.db, url: front.url };
    // people: made directly in the database, logged in through the front like browsers
    const staffRows = await Promise.all(Array.from({ length: AGENTS }, () => makeStaff(app)));
    const people = await Promise.all(Array.from({ length: TAXPAYERS }, () => makeTaxpayer(app)));
    const taxpayers: ReliableClient[] = [];
    for (const p of people) {
      const { chat } = await loginTaxpayer(app, p.taxpayer.taxpayerNo);
      const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
      taxpayers.push(new ReliableClient(connectSocket(chat), conversationId));
    }
    const agents: ReliableClient[] = [];
    for (const [i, s] of staffRows.entries()) {
      const { client } = await loginStaff(app, s.username);
      const mine = taxpayers.filter((_, t) => t % AGENTS === i).map((t) => t.conversationId);
      agents.push(new ReliableClient(connectSocket(client), mine, true));
    }
    const everyone = [...taxpayers, ...agents];
    await Promise.all(everyone.map((c) => connected(c.socket)));
    await waitFor('every client synced once', () => everyone.every((c) => c.resyncs > 0));
    // the front spread the connections over both nodes
    expect(front.routed.get(nodeA.port)).toBeGreaterThan(0);
    expect(front.routed.get(nodeB.port)).toBeGreaterThan(0);

    let killedAt = 0;
    const reconnectMs: number[] = [];
    const dropped = new Set<ReliableClient>();
    for (const c of everyone) {
      c.socket.on('disconnect', () => {
        if (killedAt) dropped.add(c);
      });
      c.socket.on('connect', () => {
        if (killedAt && dropped.has(c)) reconnectMs.push(Date.now() - killedAt);
      });
    }

    const sends: Promise<TMessage>[] = [];
    const expected = new Map<string, string[]>(taxpayers.map((t) => [t.conversationId, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [t, tp] of taxpayers.entries()) {
        const body = `会话${t}·第${round}轮·纳税人`;
        expected.get(tp.conversationId)?.push(body);
        sends.push(tp.send(body));
        if (round % 2 === 0) {
          const reply = `会话${t}·第${round}轮·坐席回复`;
          expected.get(tp.conversationId)?.push(reply);
          sends.push((agents[t % AGENTS] as ReliableClient).send(reply, 60_000, tp.conversationId));
        }
      }
      await new Promise((r) => setTimeout(r, 150));
      if (round === KILL_AFTER_ROUND) {
        killedAt = Date.now();
        await nodeB.stop('SIGKILL');
      }
    }
    const acked = await Promise.all(sends);
    const total = TAXPAYERS * ROUNDS * 1.5;
    expect(acked).toHaveLength(total);
    expect(new Set(acked.map((m) => m.id)).size).toBe(total);

    // the kill really cut clients off, and they came back (to node A: B is dead)
    expect(dropped.size).toBeGreaterThan(0);
    await waitFor('every dropped client reconnected', () => reconnectMs.length >= dropped.size, 30_000);

    // PostgreSQL: each message once, seqs without gaps
    for (const [conversationId, bodies] of expected) {
      const history = await storedHistory(pool, conversationId);
      expect(isGaplessOnce(history)).toBe(true);
      expect(history.map((m) => m.body).sort()).toEqual([...bodies].sort());
    }

    // every party holds exactly the stored history of each of its conversations
    for (const [conversationId] of expected) {
      const history = (await storedHistory(pool, conversationId)).map((m) => m.body);
      const holders = [
        taxpayers.find((t) => t.conversationId === conversationId),
        agents.find((a) => a.conversationIds.includes(conversationId)),
      ] as ReliableClient[];
      for (const c of holders) {
        await waitFor(
          `conversation ${conversationId} complete at a client`,
          () => c.messages(conversationId).length === history.length,
          30_000,
          () => `(${c.messages(conversationId).length} of ${history.length})`,
        );
        expect(c.bodies(conversationId)).toEqual(history);
      }
    }
    expect(nodeA.proc.exitCode).toBeNull();

    const sorted = [...reconnectMs].sort((x, y) => x - y);
    const live = everyone.reduce((n, c) => n + c.liveDeliveries, 0);
    const synced = everyone.reduce((n, c) => n + c.syncedDeliveries, 0);
    console.info(
      `[node-kill] ${total} messages in ${TAXPAYERS} conversations; ${dropped.size} of ${everyone.length} clients ` +
        `dropped by the kill; reconnect after kill ms: min ${sorted[0]} median ${sorted[Math.floor(sorted.length / 2)]} ` +
        `max ${sorted[sorted.length - 1]}; live deliveries ${live}, delivered by resync ${synced}; ` +
        `front routed ${JSON.stringify(Object.fromEntries(front.routed))}`,
    );
    for (const c of everyone) c.close();
  }, 150_000);
});
