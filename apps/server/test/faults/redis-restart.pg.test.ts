/**
 * Fault: Redis (the fan-out between nodes) hangs, dies and comes back empty while a taxpayer on node A and an agent on
 * node B keep chatting. Messages are stored in PostgreSQL throughout, so every send is acked; the nodes neither crash
 * nor hang (/readyz answers, and says realtime is down); once Redis is back, fan-out resumes by itself and both
 * clients — whose sockets never disconnected — end with every message exactly once, because their nodes tell them
 * to resync (`sync:required`).
 */
import type { TMessage } from '@zhengna/contracts';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYER_PASSWORD, DEMO_TAXPAYERS } from '../../src/db/seed.ts';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  loginStaff,
  loginTaxpayer,
  newClientId,
  nextEvent,
} from '../harness.ts';
import { createTestDatabase } from '../pg-database.ts';
import { type PrivateRedis, startPrivateRedis } from '../private-redis.ts';
import { ReliableClient } from '../reliable-client.ts';
import { type NodeProcess, spawnNode } from '../spawn-node.ts';
import { getWithin, isGaplessOnce, newPool, storedHistory, waitFor } from './fault-helpers.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: PrivateRedis;
let a: NodeProcess;
let b: NodeProcess;
let pool: pg.Pool;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startPrivateRedis()]);
  const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, SEED_DEMO: 'true', BOT_ENABLED: 'false' };
  [a, b] = await Promise.all([spawnNode({ ...env, NODE_ID: 'redis-a' }), spawnNode({ ...env, NODE_ID: 'redis-b' })]);
  pool = newPool(database.url);
});
afterAll(async () => {
  // a node that died is the finding: show why
  for (const n of [a, b]) {
    if (n && n.proc.exitCode !== null) console.error(`node on ${n.port} exited ${n.proc.exitCode}:\n${n.output()}`);
  }
  await Promise.allSettled([a?.stop('SIGKILL'), b?.stop('SIGKILL'), redis?.stop('SIGKILL')]);
  await pool?.end();
  await database?.drop();
});

describe('Redis hangs, dies and is restarted under two nodes', () => {
  it('keeps acking, stays ready-aware, and gets every message to the other node exactly once afterwards', async () => {
    const tp = await loginTaxpayer(a, DEMO_TAXPAYERS[1].taxpayerNo, DEMO_TAXPAYER_PASSWORD);
    const conv = (await tp.chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const agent = await loginStaff(b, DEMO_STAFF[0].username, DEMO_STAFF[0].password);
    const taxpayer = new ReliableClient(connectSocket(tp.chat), conv.id);
    const agentView = new ReliableClient(connectSocket(agent.client), conv.id, true);
    const admin = await loginStaff(a, DEMO_STAFF[3].username, DEMO_STAFF[3].password);
    await Promise.all([connected(taxpayer.socket), connected(agentView.socket)]);
    // the agent's watch is in place before the first message (its connect handler sends it)
    await waitFor('the agent to watch', () => agentView.resyncs > 0);
    let disconnects = 0;
    for (const c of [taxpayer, agentView]) c.socket.on('disconnect', () => disconnects++);

    const acked: TMessage[] = [];
    const exchange = async (label: string, n: number) => {
      for (let i = 1; i <= n; i++) {
        acked.push(await taxpayer.send(`${label}·纳税人${i}`, 45_000));
        acked.push(await agentView.send(`${label}·坐席${i}`, 45_000));
      }
    };

    // fan-out works across the nodes before the fault
    await exchange('故障前', 2);
    await waitFor('live cross-node delivery', () => agentView.received.size === 4 && taxpayer.received.size === 4);
    const liveBefore = agentView.liveDeliveries;
    expect(liveBefore).toBeGreaterThan(0);

    const total = () => acked.length;
    /** Redis is back: both nodes ready again; then nobody resyncs by hand — the clients' own protocol must do it. */
    const afterRestart = async (phase: string) => {
      const restartedAt = Date.now();
      for (const n of [a, b]) {
        await waitFor(`${n.url} ready again`, async () => {
          const r = await getWithin(`${n.url}/readyz`, 5000);
          return r !== 'timeout' && r.status === 200;
        });
      }
      figures[`${phase}: nodes ready ms`] = Date.now() - restartedAt;
      const history = await storedHistory(pool, conv.id);
      expect(history).toHaveLength(total());
      expect(isGaplessOnce(history)).toBe(true);
      for (const [who, c] of [
        ['taxpayer', taxpayer],
        ['agent', agentView],
      ] as const) {
        await waitFor(
          `the ${who} to hold every message (${phase})`,
          () => c.received.size === total(),
          30_000,
          () => `(${who} holds ${c.received.size} of ${total()})`,
        );
        figures[`${phase}: ${who} complete ms`] = Date.now() - restartedAt;
        expect(c.bodies()).toEqual(history.map((m) => m.body));
      }
    };
    const figures: Record<string, number> = {};

    // 1. Redis dies and stays down for a while. Sends are stored and acked (their fan-out waits in the nodes' Redis
    // clients, to go out on reconnect), /readyz says realtime is down at once, a settings change neither hangs nor
    // fails and applies on its node.
    await redis.stop('SIGKILL');
    await exchange('宕机时', 3);
    for (const n of [a, b]) {
      const r = await getWithin(`${n.url}/readyz`, 15_000);
      expect(r, 'a dead Redis must not hang /readyz').not.toBe('timeout');
      if (r !== 'timeout')
        expect(r).toMatchObject({ status: 503, body: { checks: { database: 'ok', realtime: 'down' } } });
    }
    const hours = await admin.client.get('/api/admin/settings/service-hours');
    const saved = await Promise.race([
      admin.client.request('PUT', '/api/admin/settings/service-hours', hours.json),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000)),
    ]);
    expect(saved, 'a settings change must not wait for Redis').not.toBe('timeout');
    if (saved !== 'timeout') expect(saved.status).toBe(200);
    expect((await admin.client.get('/api/admin/settings/service-hours')).json.version).toBe(hours.json.version + 1);
    await redis.start();
    await afterRestart('after an outage');

    // 2. Redis hangs (connections open, every command waits), then dies: what it held in flight — the fan-out of the
    // agent's messages sent meanwhile — is lost, and those messages are the latest: no later push reveals a gap to
    // the taxpayer. Only the nodes' `sync:required` once Redis is back gets them to the other side.
    // A page on each node drops and reconnects meanwhile; having received a broadcast, it asks for Socket.IO's state
    // recovery (kept in Redis), which must not hold its handshake up.
    const leaving: ClientSocket[] = [];
    for (const n of [a, b]) {
      const { chat } = await loginTaxpayer(n, DEMO_TAXPAYERS[2].taxpayerNo, DEMO_TAXPAYER_PASSWORD);
      const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
      const s = connectSocket(chat);
      await connected(s);
      const echo = nextEvent(s, 'message:new', (m) => m.conversationId === conversationId, 20_000);
      const sent = await emitAck(s, 'message:send', { conversationId, clientId: newClientId(), body: '稍后离开' });
      expect(sent.ok).toBe(true);
      await echo;
      leaving.push(s);
    }
    const syncRequiredBefore = taxpayer.syncRequired + agentView.syncRequired;
    redis.freeze();
    const back = leaving.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve())));
    for (const s of leaving) s.io.engine.close();
    // only the agent writes now: the taxpayer's own messages would come back to it as pushes with later seqs, and a
    // gap in those is something a client notices by itself
    for (let i = 1; i <= 3; i++) acked.push(await agentView.send(`卡住时·坐席${i}`, 45_000));
    const whileFrozen = await Promise.all([a, b].map((n) => getWithin(`${n.url}/readyz`, 15_000)));
    for (const r of whileFrozen) {
      expect(r, 'a hung Redis must not hang /readyz').not.toBe('timeout');
      if (r !== 'timeout') expect(r).toMatchObject({ status: 503, body: { checks: { realtime: 'down' } } });
    }
    const reconnected = await Promise.race([
      Promise.all(back).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 30_000)),
    ]);
    expect(reconnected, 'a socket reconnecting while Redis hangs must not wait for it').toBe(true);
    await redis.stop('SIGKILL');
    await redis.start();
    await afterRestart('after a hang');
    expect(taxpayer.syncRequired + agentView.syncRequired).toBeGreaterThan(syncRequiredBefore);

    // 3. live fan-out across the nodes resumes by itself
    const liveAfter = agentView.liveDeliveries;
    await exchange('恢复后', 2);
    await waitFor(
      'live delivery after recovery',
      () => agentView.received.size === total() && taxpayer.received.size === total(),
    );
    expect(agentView.liveDeliveries).toBeGreaterThan(liveAfter);
    expect(taxpayer.bodies()).toEqual(agentView.bodies());
    expect(isGaplessOnce(await storedHistory(pool, conv.id))).toBe(true);

    // the sockets stayed connected throughout: the resync came from the nodes, not from a reconnect
    expect(disconnects).toBe(0);
    expect(agentView.syncRequired + taxpayer.syncRequired).toBeGreaterThan(0);
    // neither node crashed, and each counted the resync it asked for
    expect(a.proc.exitCode).toBeNull();
    expect(b.proc.exitCode).toBeNull();
    for (const n of [a, b]) {
      const metrics = await (await fetch(`${n.url}/metrics`)).text();
      expect(metrics).toMatch(/^zhengna_realtime_resync_requests_total\{[^}]*\} [1-9]/m);
    }
    console.info(
      `[redis-restart] messages ${total()}; ${JSON.stringify(figures)}; sync:required seen taxpayer=${taxpayer.syncRequired} ` +
        `agent=${agentView.syncRequired}; synced deliveries taxpayer=${taxpayer.syncedDeliveries} ` +
        `agent=${agentView.syncedDeliveries}; live deliveries agent=${agentView.liveDeliveries}`,
    );
    taxpayer.close();
    agentView.close();
    for (const s of leaving) s.close();
  }, 180_000);

  it('reads settings again on a node that was cut off from Redis while another node changed them', async () => {
    const adminOnA = await loginStaff(a, DEMO_STAFF[3].username, DEMO_STAFF[3].password);
    const adminOnB = await loginStaff(b, DEMO_STAFF[3].username, DEMO_STAFF[3].password);
    // node B has the setting in its cache
    const before = (await adminOnB.client.get('/api/admin/settings/handoff-rules')).json;
    expect(before.version).toBeGreaterThanOrEqual(0);

    // Redis dies and node B is frozen, so it cannot hear anything: A's change goes out (on A's reconnect) while B is
    // not subscribed, and Redis pub/sub keeps nothing for it
    await redis.stop('SIGKILL');
    b.proc.kill('SIGSTOP');
    try {
      const saved = await adminOnA.client.request('PUT', '/api/admin/settings/handoff-rules', before);
      expect(saved.status).toBe(200);
      await redis.start();
      await waitFor('node A ready again', async () => {
        const r = await getWithin(`${a.url}/readyz`, 5000);
        return r !== 'timeout' && r.status === 200;
      });
      // give A's queued publish its moment to go out to nobody on B's side
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      b.proc.kill('SIGCONT');
    }
    await waitFor(
      'node B to read the change made while it was cut off',
      async () => (await adminOnB.client.get('/api/admin/settings/handoff-rules')).json.version === before.version + 1,
      30_000,
    );
  }, 120_000);
});
