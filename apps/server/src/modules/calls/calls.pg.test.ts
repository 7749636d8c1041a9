/**
 * Calls across two nodes on PostgreSQL and Redis: the taxpayer's socket on one node, the agent's on the other. Signals
 * and call updates cross through the Redis adapter; races between the nodes move a call once.
 */
import { randomUUID } from 'node:crypto';
import type { TCall } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  emitAck,
  loginStaff,
  makeStaff,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
} from '../../../test/harness.ts';
import { createTestDatabase } from '../../../test/pg-database.ts';
import type { RunningApp } from '../../app.ts';
import { calls } from '../../db/schema.ts';

const REDIS_URL = process.env.TEST_REDIS_URL as string;
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: RunningApp;
let b: RunningApp;
beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, REDIS_URL };
  a = await startTestApp({ ...env, NODE_ID: 'calls-a' });
  b = await startTestApp({ ...env, NODE_ID: 'calls-b' });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

/** The taxpayer on node A, the agent holding the conversation on node B. */
async function acrossNodes() {
  const tp = await openTaxpayerChat(a);
  const agentRow = await makeStaff(a);
  await a.handoff.assign(
    { kind: 'staff', sessionId: randomUUID(), staffId: agentRow.id, role: 'supervisor', name: agentRow.name },
    tp.conversationId,
    agentRow.id,
  );
  const { client } = await loginStaff(b, agentRow.username);
  const agent = connectSocket(client);
  await connected(agent);
  return { tp, agent, conversationId: tp.conversationId, agentId: agentRow.id, username: agentRow.username };
}

describe('a call between two nodes', () => {
  it('relays the offer and the answer across nodes, and both sides follow the states', async () => {
    const s = await acrossNodes();
    const ref = { conversationId: s.conversationId, callId: randomUUID() };
    const ringing = nextEvent(s.tp.socket, 'call:update', (c) => c.id === ref.callId && c.state === 'inviting');
    const invite = await emitAck(s.agent, 'call:invite', { ...ref, kind: 'video' });
    expect(invite.ok).toBe(true);
    await ringing;

    const answered = nextEvent(s.agent, 'call:update', (c) => c.id === ref.callId && c.state === 'connecting');
    expect((await emitAck(s.tp.socket, 'call:accept', ref)).ok).toBe(true);
    await answered;

    const offer = nextEvent(s.tp.socket, 'call:offer', (o) => o.callId === ref.callId);
    expect((await emitAck(s.agent, 'call:offer', { ...ref, sdp: SDP })).ok).toBe(true);
    expect((await offer).sdp).toBe(SDP);
    const answer = nextEvent(s.agent, 'call:answer', (x) => x.callId === ref.callId);
    expect((await emitAck(s.tp.socket, 'call:answer', { ...ref, sdp: SDP })).ok).toBe(true);
    expect((await answer).sdp).toBe(SDP);

    // both report the connection at once, one on each node: one change, the same record for both
    const [x, y] = await Promise.all([
      emitAck(s.agent, 'call:connected', ref),
      emitAck(s.tp.socket, 'call:connected', ref),
    ]);
    expect(x.ok && y.ok).toBe(true);
    if (x.ok && y.ok) expect(x.data.connectedAt).toBe(y.data.connectedAt);

    const over = nextEvent(s.agent, 'call:update', (c) => c.id === ref.callId && c.state === 'ended');
    expect((await emitAck(s.tp.socket, 'call:hangup', ref)).ok).toBe(true);
    expect((await over).endedBy).toBe('taxpayer');
    s.tp.socket.close();
    s.agent.close();
  });

  it('lets only one of two invitations through, however they race', async () => {
    const s = await acrossNodes();
    // the agent's second tab is on the other node
    const { client } = await loginStaff(a, s.username);
    const second = connectSocket(client);
    await connected(second);
    const results = await Promise.all(
      [s.agent, second].map((socket) =>
        emitAck(socket, 'call:invite', { conversationId: s.conversationId, callId: randomUUID(), kind: 'audio' }),
      ),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['CALL_BUSY', 'ok']);
    s.tp.socket.close();
    s.agent.close();
    second.close();
  });

  it('expires a ringing call once when both nodes sweep at the same moment', async () => {
    const s = await acrossNodes();
    const owner = await a.conversations.ownerOf(s.conversationId);
    const callId = randomUUID();
    await a.db.insert(calls).values({
      id: callId,
      conversationId: s.conversationId,
      taxpayerId: owner.taxpayerId,
      portalUserId: owner.portalUserId,
      staffId: s.agentId,
      kind: 'video',
      state: 'inviting',
      initiator: 'agent',
      invitedAt: new Date(Date.now() - 5 * 60_000),
    });
    const seen: TCall[] = [];
    s.tp.socket.on('call:update', (c) => c.id === callId && seen.push(c));
    await Promise.all([a.calls.sweep(), b.calls.sweep(), a.calls.sweep(), b.calls.sweep()]);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((c) => c.state)).toEqual(['missed']);
    const [row] = await a.db.select().from(calls).where(eq(calls.id, callId));
    expect(row?.state).toBe('missed');
    s.tp.socket.close();
    s.agent.close();
  });
});
