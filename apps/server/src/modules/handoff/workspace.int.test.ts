/**
 * The agent's side of a human conversation: accept from the queue, private notes, transfer, end with a rating,
 * canned replies, knowledge search, the taxpayer card and the supervisors' board.
 */
import type { TMessage } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  type HttpClient,
  loginStaff,
  loginTaxpayer,
  makeGroup,
  makeStaff,
  makeTaxpayer,
  newClientId,
  nextEvent,
  startTestApp,
  watch,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { staffSkillGroups } from '../../db/schema.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ BOT_ENABLED: 'true', SEED_KB: 'true' });
});
afterAll(async () => {
  await app?.close();
});

type Agent = { id: string; name: string; client: HttpClient; socket: ClientSocket };

async function agentIn(): Promise<Agent> {
  const s = await makeStaff(app);
  const { client } = await loginStaff(app, s.username);
  const socket = connectSocket(client);
  await connected(socket);
  return { id: s.id, name: s.name, client, socket };
}

/** A taxpayer whose conversation an agent has taken through 转人工. */
async function servedConversation() {
  const { taxpayer, office } = await makeTaxpayer(app);
  const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
  const conversationId = (await chat.get('/api/chat/conversation?page=invoice')).json.conversation.id as string;
  const socket = connectSocket(chat);
  await connected(socket);
  const agent = await agentIn();
  const group = await makeGroup(app, { taxOfficeId: office.id, agents: [agent.id], cap: 3 });
  await watch(agent.socket, [conversationId]);
  await chat.post('/api/chat/handoff', { conversationId });
  await app.assistant.idle();
  return { chat, socket, conversationId, agent, group, officeId: office.id };
}

describe('workspace', () => {
  it('keeps private notes from the taxpayer, live and in history', async () => {
    const c = await servedConversation();
    const seen: TMessage[] = [];
    c.socket.on('message:new', (m) => seen.push(m));
    const atAgent = nextEvent(c.agent.socket, 'message:new', (m) => m.private);
    const note = await emitAck(c.agent.socket, 'message:send', {
      conversationId: c.conversationId,
      clientId: newClientId(),
      body: '内部备注：该企业上月有异常凭证记录',
      private: true,
    });
    expect(note.ok).toBe(true);
    expect((await atAgent).body).toContain('异常凭证');
    await emitAck(c.agent.socket, 'message:send', {
      conversationId: c.conversationId,
      clientId: newClientId(),
      body: '您好',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.some((m) => m.private || m.body.includes('异常凭证'))).toBe(false);
    const history = (await c.chat.get(`/api/chat/conversations/${c.conversationId}/messages?limit=100`)).json
      .messages as TMessage[];
    expect(history.some((m) => m.body.includes('异常凭证'))).toBe(false);
    const staffView = (await c.agent.client.get(`/api/workspace/conversations/${c.conversationId}/messages?limit=100`))
      .json.messages as TMessage[];
    expect(staffView.some((m) => m.private && m.body.includes('异常凭证'))).toBe(true);
    // the taxpayer cannot write a note
    const forged = await emitAck(c.socket, 'message:send', {
      conversationId: c.conversationId,
      clientId: newClientId(),
      body: '假装备注',
      private: true,
    });
    expect(!forged.ok && forged.error.code).toBe('FORBIDDEN');
    // and their resync moves past the note's seq instead of asking for it forever
    const sync = await emitAck(c.socket, 'conversation:sync', {
      conversations: [{ conversationId: c.conversationId, lastSeq: 0 }],
    });
    const last = (await c.agent.client.get(`/api/workspace/conversations/${c.conversationId}/messages?limit=1`)).json
      .messages[0].seq;
    expect(sync.ok && sync.data.upTo).toEqual([{ conversationId: c.conversationId, seq: last }]);
    c.socket.close();
    c.agent.socket.close();
  });

  it('ends the conversation, asks the taxpayer to rate it once, and opens a new one on the next visit', async () => {
    const c = await servedConversation();
    const ask = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'rating_request');
    expect((await c.agent.client.post(`/api/workspace/conversations/${c.conversationId}/end`, {})).status).toBe(200);
    await ask;
    const late = await emitAck(c.socket, 'message:send', {
      conversationId: c.conversationId,
      clientId: newClientId(),
      body: '还在吗',
    });
    expect(!late.ok && late.error.code).toBe('CONVERSATION_CLOSED');
    const rated = await c.chat.post(`/api/chat/conversations/${c.conversationId}/rating`, {
      score: 5,
      comment: '解答很清楚',
    });
    expect(rated.status).toBe(200);
    const twice = await c.chat.post(`/api/chat/conversations/${c.conversationId}/rating`, { score: 1 });
    expect(twice.status).toBe(400);
    expect(twice.json.message).toContain('已评价');
    const bad = await c.chat.post(`/api/chat/conversations/${c.conversationId}/rating`, { score: 9 });
    expect(bad.json.message).toContain('1 到 5');
    const next = (await c.chat.get('/api/chat/conversation')).json.conversation;
    expect(next.id).not.toBe(c.conversationId);
    const card = (await c.agent.client.get(`/api/workspace/conversations/${next.id}/card`)).json;
    expect(card.earlier[0]).toMatchObject({ conversationId: c.conversationId, rating: 5 });
    const firstCard = (await c.agent.client.get(`/api/workspace/conversations/${c.conversationId}/card`)).json;
    expect(firstCard.page).toBe('invoice');
    c.socket.close();
    c.agent.socket.close();
  });

  it('transfers to a colleague with a note only staff see, respecting their cap and presence', async () => {
    const c = await servedConversation();
    const colleague = await agentIn();
    await makeGroup(app, { taxOfficeId: c.officeId, agents: [colleague.id], cap: 1 });
    const assigned = nextEvent(colleague.socket, 'conversation:assigned', (p) => p.conversationId === c.conversationId);
    const told = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'transferred');
    const res = await c.agent.client.post(`/api/workspace/conversations/${c.conversationId}/transfer`, {
      toStaffId: colleague.id,
      note: '涉及跨区迁移，请协助',
    });
    expect(res.status).toBe(200);
    await assigned;
    expect((await told).body).toContain(colleague.name);
    // the first agent no longer holds it
    const again = await c.agent.client.post(`/api/workspace/conversations/${c.conversationId}/end`, {});
    expect(again.status).toBe(403);
    // the colleague is now full (cap 1)
    const other = await servedConversation();
    const full = await other.agent.client.post(`/api/workspace/conversations/${other.conversationId}/transfer`, {
      toStaffId: colleague.id,
      note: '',
    });
    expect(full.status).toBe(400);
    expect(full.json.message).toContain('上限');
    const neither = await other.agent.client.post(`/api/workspace/conversations/${other.conversationId}/transfer`, {
      note: 'x',
    });
    expect(neither.status).toBe(400);
    for (const s of [c.socket, c.agent.socket, colleague.socket, other.socket, other.agent.socket]) s.close();
  });

  it('lets an agent accept from the queue, and shows supervisors the board', async () => {
    const { taxpayer, office } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
    const agent = await agentIn();
    const group = await makeGroup(app, { taxOfficeId: office.id, agents: [agent.id], cap: 1 });
    await agent.client.post('/api/workspace/presence', { presence: 'busy' });
    // busy: nobody online → the group cannot take it … unless someone is online; put a supervisor online in it
    const sup = await makeStaff(app, 'supervisor');
    await makeGroup(app, { taxOfficeId: office.id, agents: [sup.id], cap: 0 });
    await app.db.insert(staffSkillGroups).values({ staffId: sup.id, groupId: group });
    await chat.post('/api/chat/handoff', { conversationId });
    await app.assistant.idle();
    const queue = (await agent.client.get('/api/workspace/queue')).json.queued;
    expect(queue.map((q: { conversationId: string }) => q.conversationId)).toContain(conversationId);
    expect((await agent.client.post(`/api/workspace/conversations/${conversationId}/accept`)).status).toBe(200);
    const again = await agent.client.post(`/api/workspace/conversations/${conversationId}/accept`);
    expect(again.status).toBe(400);
    const supClient = (await loginStaff(app, sup.username)).client;
    const board = (await supClient.get('/api/workspace/board')).json;
    const row = board.agents.find((a: { staffId: string }) => a.staffId === agent.id);
    expect(row, JSON.stringify(row)).toMatchObject({ load: 1, maxConcurrent: 1 });
    expect((await agent.client.get('/api/workspace/board')).status).toBe(403);
    agent.socket.close();
  });

  it('keeps canned replies per agent, with shared ones from supervisors, and finds knowledge to insert', async () => {
    const a = await agentIn();
    const b = await agentIn();
    const mine = await a.client.post('/api/workspace/canned-replies', {
      title: '问候',
      body: '您好，很高兴为您服务。',
    });
    expect(mine.status).toBe(200);
    expect(
      (await a.client.post('/api/workspace/canned-replies', { title: '共享', body: 'x', shared: true })).status,
    ).toBe(403);
    expect(
      (await b.client.get('/api/workspace/canned-replies')).json.replies.map((r: { id: string }) => r.id),
    ).not.toContain(mine.json.id);
    expect((await b.client.request('DELETE', `/api/workspace/canned-replies/${mine.json.id}`)).status).toBe(404);
    const hits = (await a.client.get(`/api/workspace/knowledge/search?q=${encodeURIComponent('数电发票怎么开具')}`))
      .json.hits;
    expect(hits[0].answer.length).toBeGreaterThan(10);
    a.socket.close();
    b.socket.close();
  });

  it('warns a taxpayer who went quiet after the agent’s reply, then closes the conversation', async () => {
    const quiet = await servedConversation();
    const back = await servedConversation();
    for (const c of [quiet, back]) {
      await emitAck(c.agent.socket, 'message:send', {
        conversationId: c.conversationId,
        clientId: newClientId(),
        body: '还有其他问题吗？',
      });
    }
    const limits = { warnMinutes: 5, closeMinutes: 5 };
    const warned = nextEvent(quiet.socket, 'message:new', (m) => m.payload?.kind === 'idle_warning');
    await app.handoff.closeIdle(limits, new Date(Date.now() + 4 * 60_000)); // not yet
    await app.handoff.closeIdle(limits, new Date(Date.now() + 6 * 60_000)); // both warned
    expect((await warned).body).toContain('自动结束');
    // writing back saves a conversation from the close
    await emitAck(back.socket, 'message:send', {
      conversationId: back.conversationId,
      clientId: newClientId(),
      body: '在的',
    });

    const rating = nextEvent(quiet.socket, 'message:new', (m) => m.payload?.kind === 'rating_request');
    await app.handoff.closeIdle(limits, new Date(Date.now() + 12 * 60_000));
    await rating;
    const late = await emitAck(quiet.socket, 'message:send', {
      conversationId: quiet.conversationId,
      clientId: newClientId(),
      body: '哦',
    });
    expect(!late.ok && late.error.code).toBe('CONVERSATION_CLOSED');
    const stillOpen = await emitAck(back.socket, 'message:send', {
      conversationId: back.conversationId,
      clientId: newClientId(),
      body: '还有一个问题',
    });
    expect(stillOpen.ok).toBe(true);
    for (const s of [quiet.socket, quiet.agent.socket, back.socket, back.agent.socket]) s.close();
  });
});
