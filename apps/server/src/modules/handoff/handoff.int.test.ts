/** 转人工: queue, routing, capacity, presence, the bot while waiting, and nobody-available. */
import type { TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  HttpClient,
  loginStaff,
  makeGroup,
  makeStaff,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { conversations as conversationsTable, staffSkillGroups, taxpayers } from '../../db/schema.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ BOT_ENABLED: 'true', SEED_KB: 'true' });
});
afterAll(async () => {
  await app?.close();
});

type Chat = TaxpayerChat;
const openChat = () => openTaxpayerChat(app);

const send = (c: Chat, body: string) => c.send(body);

const assigneeOf = async (id: string) =>
  (await app.db.select().from(conversationsTable).where(eq(conversationsTable.id, id)))[0]?.assigneeStaffId ?? null;

describe('transfer to a human', () => {
  it('gives the conversation to an online agent of the taxpayer’s office, tells both sides, and the bot stops', async () => {
    const c = await openChat();
    const agent = await makeStaff(app);
    await makeGroup(app, { business: 'general', taxOfficeId: c.officeId, agents: [agent.id] });
    const agentSocket = connectSocket((await loginStaff(app, agent.username)).client);
    await connected(agentSocket);
    const assigned = nextEvent(agentSocket, 'conversation:assigned', (p) => p.conversationId === c.conversationId);
    const joined = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'agent_joined');
    await send(c, '转人工');
    expect((await joined).body).toContain(agent.name);
    expect((await assigned).reason).toBe('keyword');
    expect(await assigneeOf(c.conversationId)).toBe(agent.id);
    // operators see the assignment decision's duration
    const metrics = (await new HttpClient(app.url).get('/metrics')).text;
    const decisions = metrics
      .split('\n')
      .find((l) => l.startsWith('zhengna_handoff_assign_decision_seconds_count') && l.includes('"assigned"'));
    expect(Number(decisions?.split(' ').pop())).toBeGreaterThanOrEqual(1);

    const bots: TMessage[] = [];
    c.socket.on('message:new', (m) => m.senderType === 'bot' && bots.push(m));
    await send(c, '数电发票在电子税务局里怎么开具？');
    await app.assistant.idle();
    expect(bots).toEqual([]);
    c.socket.close();
    agentSocket.close();
  });

  it('the 转人工 button records the reason "button"', async () => {
    const c = await openChat();
    const agent = await makeStaff(app);
    await makeGroup(app, { taxOfficeId: c.officeId, agents: [agent.id] });
    const notice = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'handoff_requested');
    const res = await c.chat.post('/api/chat/handoff', { conversationId: c.conversationId });
    expect(res.json).toEqual({ ok: true, status: 'assigned' });
    expect((await notice).payload).toEqual({ kind: 'handoff_requested', reason: 'button' });
    await app.assistant.idle();
    expect(await assigneeOf(c.conversationId)).toBe(agent.id);
    c.socket.close();
  });

  it('queues beyond the agents’ caps with a live position, keeps the bot answering, and assigns when an agent comes online', async () => {
    const busy = await makeStaff(app);
    const first = await openChat();
    const group = await makeGroup(app, { taxOfficeId: first.officeId, agents: [busy.id], cap: 1 });
    await first.chat.post('/api/chat/handoff', { conversationId: first.conversationId });
    await app.assistant.idle();
    expect(await assigneeOf(first.conversationId)).toBe(busy.id);

    // a second taxpayer of the same office waits: the only agent is at their cap
    const second = await openTaxpayerChat(app);
    await app.db.update(taxpayers).set({ taxOfficeId: first.officeId }).where(eq(taxpayers.id, second.taxpayer.id));
    const position = nextEvent(second.socket, 'queue:update');
    await send(second, '转人工');
    expect(await position).toMatchObject({ conversationId: second.conversationId, position: 1 });
    expect(await assigneeOf(second.conversationId)).toBeNull();

    // while waiting, the bot still answers (marked as the bot's)
    const answer = nextEvent(
      second.socket,
      'message:new',
      (m) => m.senderType === 'bot' && m.payload?.kind === 'answer',
    );
    await send(second, '数电发票在电子税务局里怎么开具？');
    expect((await answer).senderName).toBe('智能助理');

    // another agent of the group comes online and takes it
    const helper = await makeStaff(app);
    await app.db.insert(staffSkillGroups).values({ staffId: helper.id, groupId: group });
    const helperClient = (await loginStaff(app, helper.username)).client;
    const joined = nextEvent(second.socket, 'message:new', (m) => m.payload?.kind === 'agent_joined');
    expect((await helperClient.post('/api/workspace/presence', { presence: 'online' })).status).toBe(200);
    expect((await joined).body).toContain(helper.name);
    expect(await assigneeOf(second.conversationId)).toBe(helper.id);
    first.socket.close();
    second.socket.close();
  });

  it('tells the taxpayer when nobody can take the conversation and offers other ways instead of a queue', async () => {
    const c = await openChat();
    const away = await makeStaff(app);
    await makeGroup(app, { taxOfficeId: c.officeId, agents: [away.id] });
    const client = (await loginStaff(app, away.username)).client;
    await client.post('/api/workspace/presence', { presence: 'away' });
    const unavailable = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'agents_unavailable');
    await send(c, '我要人工客服');
    expect((await unavailable).payload).toEqual({ kind: 'agents_unavailable', offers: ['inquiry', 'appointment'] });
    const [row] = await app.db.select().from(conversationsTable).where(eq(conversationsTable.id, c.conversationId));
    expect(row?.queueGroupId ?? null).toBeNull();
    c.socket.close();
  });

  it('lets a waiting taxpayer leave the queue, and refuses another taxpayer’s conversation', async () => {
    const busy = await makeStaff(app);
    const c = await openChat();
    await makeGroup(app, { taxOfficeId: c.officeId, agents: [busy.id], cap: 0 });
    await send(c, '转人工');
    await app.assistant.idle();
    const [queued] = await app.db.select().from(conversationsTable).where(eq(conversationsTable.id, c.conversationId));
    expect(queued?.queueGroupId).not.toBeNull();
    const other = await openChat();
    expect((await other.chat.post('/api/chat/queue/leave', { conversationId: c.conversationId })).status).toBe(404);
    expect((await c.chat.post('/api/chat/queue/leave', { conversationId: c.conversationId })).json).toEqual({
      left: true,
    });
    const [after] = await app.db.select().from(conversationsTable).where(eq(conversationsTable.id, c.conversationId));
    expect(after?.queueGroupId).toBeNull();
    c.socket.close();
    other.socket.close();
  });

  it('announces an assignment that was committed but never announced (a node failed in between)', async () => {
    const c = await openChat();
    const agent = await makeStaff(app);
    await app.db
      .update(conversationsTable)
      .set({ assigneeStaffId: agent.id, assignedAt: new Date(Date.now() - 60_000) })
      .where(eq(conversationsTable.id, c.conversationId));
    const joined = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'agent_joined');
    await app.handoff.sweep();
    expect((await joined).body).toContain(agent.name);
    c.socket.close();
  });
});
