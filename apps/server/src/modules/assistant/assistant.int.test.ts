/**
 * The bot in a real conversation: answers from the seeded knowledge base, small talk, honest no-answers recorded for
 * curators, handoff requests with their reasons, feedback, and silence once an agent has taken over.
 */
import type { TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  emitAck,
  loginStaff,
  makeStaff,
  newClientId,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { conversations as conversationsTable } from '../../db/schema.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ BOT_ENABLED: 'true', SEED_KB: 'true' });
});
afterAll(async () => {
  await app?.close();
});

type Chat = TaxpayerChat;
const openChat = () => openTaxpayerChat(app);

/** Sends as the taxpayer and returns the bot's reply to it. */
async function ask(c: Chat, body: string): Promise<TMessage> {
  const reply = nextEvent(
    c.socket,
    'message:new',
    (m) => m.senderType === 'bot' && m.conversationId === c.conversationId,
  );
  const ack = await emitAck(c.socket, 'message:send', {
    conversationId: c.conversationId,
    clientId: newClientId(),
    body,
  });
  expect(ack.ok).toBe(true);
  return reply;
}

describe('the bot answers in the conversation', () => {
  it('answers a knowledge-base question with the entry, its documents, and counts the hit', async () => {
    const c = await openChat();
    const reply = await ask(c, '数电发票在电子税务局里怎么开具？');
    expect(reply.senderName).toBe('智能助理');
    expect(reply.payload).toMatchObject({ kind: 'answer', entryId: 'KB-T01-001' });
    expect(reply.body).toContain('开票业务');
    const docs = reply.payload?.kind === 'answer' ? reply.payload.documents.map((d) => d.id) : [];
    expect(docs).toEqual(['D-A01', 'D-A08']);
    const doc = await c.chat.get('/api/chat/documents/D-A01');
    expect(doc.status).toBe(200);
    expect(doc.json.title.length).toBeGreaterThan(0);
    c.socket.close();
  });

  it('greets back without picking a random entry', async () => {
    const c = await openChat();
    const reply = await ask(c, '你好呀');
    expect(reply.payload).toEqual({ kind: 'smalltalk' });
    c.socket.close();
  });

  it('says honestly when it has no answer, offers a human, and records the question for curators', async () => {
    const c = await openChat();
    const reply = await ask(c, '明天济南会下雨吗，出门要不要带伞');
    expect(reply.payload).toMatchObject({ kind: 'no_answer' });
    expect(reply.payload?.kind === 'no_answer' && reply.payload.offers).toContain('handoff');
    const staff = await makeStaff(app, 'supervisor');
    const sup = await loginStaff(app, staff.username);
    const list = await sup.client.get('/api/admin/knowledge/unanswered');
    expect(list.json.questions.map((q: { question: string }) => q.question)).toContain(
      '明天济南会下雨吗，出门要不要带伞',
    );
    c.socket.close();
  });

  it('records a handoff request with its reason when the taxpayer types 转人工', async () => {
    const c = await openChat();
    const reply = await ask(c, '转人工');
    expect(reply.payload).toEqual({ kind: 'handoff_requested', reason: 'keyword' });
    const [row] = await app.db.select().from(conversationsTable).where(eq(conversationsTable.id, c.conversationId));
    expect(row?.handoffReason).toBe('keyword');
    expect(row?.handoffRequestedAt).not.toBeNull();
    c.socket.close();
  });

  it('does not treat 人工成本 as a request for a human', async () => {
    const c = await openChat();
    const reply = await ask(c, '企业的人工成本可以在企业所得税前扣除吗');
    expect(reply.payload?.kind).not.toBe('handoff_requested');
    c.socket.close();
  });

  it('hands over after two 没用 in a row, with the reason "unresolved"', async () => {
    const c = await openChat();
    const first = await ask(c, '数电发票在电子税务局里怎么开具？');
    expect((await c.chat.post(`/api/chat/messages/${first.id}/feedback`, { helpful: false })).status).toBe(200);
    const second = await ask(c, '数电发票在电子税务局里怎么开具？');
    expect(second.payload?.kind).toBe('answer');
    const notice = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'handoff_requested');
    expect((await c.chat.post(`/api/chat/messages/${second.id}/feedback`, { helpful: false })).status).toBe(200);
    expect((await notice).payload).toEqual({ kind: 'handoff_requested', reason: 'unresolved' });
    c.socket.close();
  });

  it("refuses feedback on someone else's answer or on a message that is not an answer", async () => {
    const a = await openChat();
    const b = await openChat();
    const answer = await ask(a, '数电发票在电子税务局里怎么开具？');
    expect((await b.chat.post(`/api/chat/messages/${answer.id}/feedback`, { helpful: true })).status).toBe(404);
    const greeting = await ask(a, '谢谢');
    const res = await a.chat.post(`/api/chat/messages/${greeting.id}/feedback`, { helpful: true });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('智能助理的答案');
    a.socket.close();
    b.socket.close();
  });

  it('stops answering once an agent has replied in the conversation', async () => {
    const c = await openChat();
    await ask(c, '你好');
    const staff = await makeStaff(app);
    const agent = await loginStaff(app, staff.username);
    const agentSocket = connectSocket(agent.client);
    await connected(agentSocket);
    await emitAck(agentSocket, 'message:send', {
      conversationId: c.conversationId,
      clientId: newClientId(),
      body: '您好，我是坐席，请讲。',
    });
    const bots: TMessage[] = [];
    c.socket.on('message:new', (m) => m.senderType === 'bot' && bots.push(m));
    await emitAck(c.socket, 'message:send', {
      conversationId: c.conversationId,
      clientId: newClientId(),
      body: '数电发票怎么开？',
    });
    await app.assistant.idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(bots).toEqual([]);
    c.socket.close();
    agentSocket.close();
  });
});

describe('favourites', () => {
  it('keeps a starred answer once, lists it with its title, and only its owner can remove it', async () => {
    const a = await openChat();
    const b = await openChat();
    const add = await a.chat.post('/api/chat/favorites', { kind: 'entry', refId: 'KB-T01-001' });
    expect(add.status).toBe(200);
    await a.chat.post('/api/chat/favorites', { kind: 'entry', refId: 'KB-T01-001' });
    const list = await a.chat.get('/api/chat/favorites');
    expect(list.json.favorites).toHaveLength(1);
    expect(list.json.favorites[0].title).toContain('数电发票');
    expect((await b.chat.get('/api/chat/favorites')).json.favorites).toEqual([]);
    expect((await b.chat.request('DELETE', `/api/chat/favorites/${add.json.id}`)).status).toBe(404);
    expect((await a.chat.request('DELETE', `/api/chat/favorites/${add.json.id}`)).status).toBe(200);
    expect((await a.chat.post('/api/chat/favorites', { kind: 'entry', refId: 'KB-NOPE' })).status).toBe(404);
    a.socket.close();
    b.socket.close();
  });
});
