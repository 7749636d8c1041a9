/**
 * The distributed shape: the same binary on PostgreSQL with the Redis streams adapter. Two nodes on two ports serve
 * one product: a taxpayer on node A and an agent on node B chat in real time.
 */
import type { TMessage } from '@zhengna/contracts';
import { and, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../src/app.ts';
import { createPortalUser, createTaxpayer } from '../src/db/factories.ts';
import { conversations, messages } from '../src/db/schema.ts';
import { DEMO_STAFF, DEMO_TAXPAYER_PASSWORD, DEMO_TAXPAYERS } from '../src/db/seed.ts';
import {
  connected,
  connectSocket,
  emitAck,
  loginStaff,
  loginTaxpayer,
  makeGroup,
  makeStaff,
  makeTaxpayer,
  newClientId,
  nextEvent,
  startTestApp,
  watch,
} from './harness.ts';
import { createTestDatabase } from './pg-database.ts';
import { type NodeProcess, spawnNode } from './spawn-node.ts';

const REDIS_URL = process.env.TEST_REDIS_URL as string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await database?.drop();
});

describe('two nodes over PostgreSQL and Redis', () => {
  let a: NodeProcess;
  let b: NodeProcess;

  beforeAll(async () => {
    // both start at once: migrations and the demo seed run once, under the cluster-wide lock
    const env = { DATABASE_URL: database.url, REDIS_URL, SEED_DEMO: 'true', BOT_ENABLED: 'false' };
    [a, b] = await Promise.all([spawnNode({ ...env, NODE_ID: 'node-a' }), spawnNode({ ...env, NODE_ID: 'node-b' })]);
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
  });

  it('lets a taxpayer on node A and an agent on node B chat in real time', async () => {
    const tp = await loginTaxpayer(a, DEMO_TAXPAYERS[0].taxpayerNo, DEMO_TAXPAYER_PASSWORD);
    const conv = (await tp.chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const agent = await loginStaff(b, DEMO_STAFF[0].username, DEMO_STAFF[0].password);
    const tpSocket = connectSocket(tp.chat);
    const agentSocket = connectSocket(agent.client);
    await Promise.all([connected(tpSocket), connected(agentSocket)]);
    await watch(agentSocket, [conv.id]);

    const atAgent = nextEvent(agentSocket, 'message:new', (m) => m.conversationId === conv.id);
    const sent = await emitAck(tpSocket, 'message:send', {
      conversationId: conv.id,
      clientId: newClientId(),
      body: '跨节点的问题',
    });
    expect(sent.ok).toBe(true);
    expect((await atAgent).body).toBe('跨节点的问题');

    const atTaxpayer = nextEvent(tpSocket, 'message:new', (m) => m.senderType === 'agent');
    await emitAck(agentSocket, 'message:send', {
      conversationId: conv.id,
      clientId: newClientId(),
      body: '跨节点的回复',
    });
    expect(await atTaxpayer).toMatchObject({ body: '跨节点的回复', senderName: DEMO_STAFF[0].name });

    // the nodes are stateless: the chat session made on A works on B, and the history is the same there
    const onB = await fetch(`${b.url}/api/chat/conversation`, {
      headers: { authorization: `Bearer ${tp.chat.bearer}` },
    });
    const body = (await onB.json()) as { page: { messages: TMessage[] } };
    expect(body.page.messages.map((m) => m.body)).toEqual(['跨节点的问题', '跨节点的回复']);
    tpSocket.close();
    agentSocket.close();
  });

  it('keeps a resend idempotent when it reaches the other node', async () => {
    const tp = await loginTaxpayer(a, DEMO_TAXPAYERS[2].taxpayerNo, DEMO_TAXPAYER_PASSWORD);
    const conv = (await tp.chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const onA = connectSocket(tp.chat);
    const onB = connectSocket(tp.chat, { url: b.url });
    await Promise.all([connected(onA), connected(onB)]);
    const clientId = newClientId();
    const first = await emitAck(onA, 'message:send', { conversationId: conv.id, clientId, body: '只应保存一次' });
    const again = await emitAck(onB, 'message:send', { conversationId: conv.id, clientId, body: '只应保存一次' });
    expect(first.ok && again.ok && first.data.id === again.data.id).toBe(true);
    onA.close();
    onB.close();
  });

  it("publishes a knowledge change on node A into node B's answers without a restart", async () => {
    const admin = DEMO_STAFF[3];
    const onA = await loginStaff(a, admin.username, admin.password);
    const onB = await loginStaff(b, admin.username, admin.password);
    const file = async (f: string) => (await onA.client.get(`/api/admin/knowledge/export?file=${f}`)).text;
    const [kb, topics, documents] = await Promise.all([file('kb'), file('topics'), file('documents')]);
    const entry = {
      id: 'KB-X-001',
      topic: 'T01',
      question: '跨节点发布的演示条目在哪里',
      similar: [],
      answer: '在所有节点上都能查到。',
      documents: [],
      audience: { taxpayerTypes: [], industries: [], regions: [] },
      keywords: ['跨节点发布'],
    };
    const imported = await onA.client.post('/api/admin/knowledge/import', {
      kb: `${kb}${JSON.stringify(entry)}\n`,
      topics,
      documents,
    });
    expect(imported.json.ok).toBe(true);
    await expect
      .poll(
        async () =>
          (await onB.client.post('/api/admin/knowledge/test', { question: '跨节点发布的演示条目在哪里' })).json
            .candidates[0]?.entryId,
        { timeout: 10_000 },
      )
      .toBe('KB-X-001');
  });

  it('ends a session on every node when the password changes', async () => {
    const agent = await loginStaff(a, DEMO_STAFF[1].username, DEMO_STAFF[1].password);
    const other = await loginStaff(b, DEMO_STAFF[1].username, DEMO_STAFF[1].password);
    const otherSocket = connectSocket(other.client, { reconnection: false });
    await connected(otherSocket);
    const ended = nextEvent(otherSocket, 'session:ended');
    const res = await agent.client.post('/api/staff/password', {
      currentPassword: DEMO_STAFF[1].password,
      newPassword: 'Changed@20261',
    });
    expect(res.status).toBe(200);
    expect((await ended).reason).toContain('密码');
    expect((await other.client.get('/api/staff/me')).status).toBe(401);
  });
});

describe('one conversation written by two in-process nodes on PostgreSQL', () => {
  let n1: RunningApp;
  let n2: RunningApp;
  beforeAll(async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL };
    n1 = await startTestApp({ ...env, NODE_ID: 'n1' });
    n2 = await startTestApp({ ...env, NODE_ID: 'n2' });
    cleanups.push(
      () => n1.close(),
      () => n2.close(),
    );
  });

  it('numbers concurrent messages from both nodes without gaps or repeats', async () => {
    const { taxpayer } = await makeTaxpayer(n1);
    const tp = await loginTaxpayer(n1, taxpayer.taxpayerNo);
    const conv = (await tp.chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const staff = await makeStaff(n1);
    const agent = await loginStaff(n2, staff.username);
    const s1 = connectSocket(tp.chat);
    const s2 = connectSocket(agent.client);
    await Promise.all([connected(s1), connected(s2)]);
    const acks = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        emitAck(i % 2 ? s2 : s1, 'message:send', {
          conversationId: conv.id,
          clientId: newClientId(),
          body: `并发${i}`,
        }),
      ),
    );
    const seqs = acks.map((r) => (r.ok ? r.data.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    s1.close();
    s2.close();
  });
});

describe('several nodes starting at the same moment on an empty database', () => {
  it('migrates, seeds and sets up the job queues once, without deadlocks', async () => {
    const fresh = await createTestDatabase();
    try {
      const nodes = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          startTestApp(
            { DATABASE_URL: fresh.url, REDIS_URL, SEED_DEMO: 'true', NODE_ID: `burst-${i}` },
            { jobs: true },
          ),
        ),
      );
      const staffRows = await nodes[0]?.db.execute(sql`select count(*)::int as n from staff`);
      expect((staffRows as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(DEMO_STAFF.length);
      for (const n of nodes) await n.close();
    } finally {
      await fresh.drop();
    }
  });
});

describe('assignment raced by many taxpayers and agents on two nodes', () => {
  it('never gives a conversation to two agents and never puts an agent over their cap', async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL, NODE_ID: 'race' };
    const [r1, r2] = await Promise.all([startTestApp(env), startTestApp(env)]);
    cleanups.push(
      () => r1.close(),
      () => r2.close(),
    );
    const AGENTS = 12;
    const CAP = 2;
    const TAXPAYERS = 40;
    const agents = await Promise.all(Array.from({ length: AGENTS }, () => makeStaff(r1)));
    const office = (await makeTaxpayer(r1)).office;
    await makeGroup(r1, { taxOfficeId: office.id, agents: agents.map((a) => a.id), cap: CAP });
    const conversationIds = await Promise.all(
      Array.from({ length: TAXPAYERS }, async () => {
        const t = await createTaxpayer(r1.db, { taxOfficeId: office.id });
        const u = await createPortalUser(r1.db, { taxpayerIds: [t.id], passwordHash: 'x' });
        const [c] = await r1.db.insert(conversations).values({ taxpayerId: t.id, portalUserId: u.id }).returning();
        return c?.id as string;
      }),
    );
    // every request at once, half through each node, while agents also flip online on both nodes
    await Promise.all([
      ...conversationIds.map((id, i) => (i % 2 ? r1 : r2).handoff.request(id, 'button', null)),
      ...agents.map((a, i) =>
        (i % 2 ? r2 : r1).handoff.setPresence(
          { kind: 'staff', sessionId: 't', staffId: a.id, role: 'agent', name: a.name },
          'online',
        ),
      ),
    ]);
    const rows = await r1.db.select().from(conversations).where(inArray(conversations.id, conversationIds));
    const loads = new Map<string, number>();
    for (const r of rows) if (r.assigneeStaffId) loads.set(r.assigneeStaffId, (loads.get(r.assigneeStaffId) ?? 0) + 1);
    expect(Math.max(...loads.values())).toBeLessThanOrEqual(CAP);
    expect([...loads.values()].reduce((a, b) => a + b, 0)).toBe(AGENTS * CAP);
    // one announcement per assigned conversation: nobody was given it twice
    const joined = await r1.db
      .select({ conversationId: messages.conversationId, n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(inArray(messages.conversationId, conversationIds), sql`${messages.payload}->>'kind' = 'agent_joined'`))
      .groupBy(messages.conversationId);
    expect(joined).toHaveLength(AGENTS * CAP);
    expect(joined.every((j) => Number(j.n) === 1)).toBe(true);
    expect(rows.filter((r) => !r.assigneeStaffId && r.queueGroupId)).toHaveLength(TAXPAYERS - AGENTS * CAP);
  });
});
