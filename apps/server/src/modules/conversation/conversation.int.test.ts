import type { TMessage } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  emitAck,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  newClientId,
  nextEvent,
  startTestApp,
  watch,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { conversationRepo } from './conversation.repo.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function taxpayerAndAgent() {
  const { taxpayer } = await makeTaxpayer(app);
  const tp = await loginTaxpayer(app, taxpayer.taxpayerNo);
  const conv = (await tp.chat.get('/api/chat/conversation')).json.conversation;
  const staff = await makeStaff(app);
  const agent = await loginStaff(app, staff.username);
  const tpSocket = connectSocket(tp.chat);
  const agentSocket = connectSocket(agent.client);
  await Promise.all([connected(tpSocket), connected(agentSocket)]);
  await watch(agentSocket, [conv.id]);
  return { tp, agent, staff, conv, tpSocket, agentSocket };
}

describe('chat core', () => {
  it("sends a conversation's messages only to the staff sockets watching it", async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    const other = await loginStaff(app, (await makeStaff(app)).username);
    const otherSocket = connectSocket(other.client);
    await connected(otherSocket);
    const stray: TMessage[] = [];
    otherSocket.on('message:new', (m) => stray.push(m));
    const seen = nextEvent(agentSocket, 'message:new', (m) => m.body === '只给关注的坐席');
    await emitAck(tpSocket, 'message:send', {
      conversationId: conv.id,
      clientId: newClientId(),
      body: '只给关注的坐席',
    });
    await seen;
    expect(stray).toEqual([]);

    // watching replaces the previous set: after unwatching, nothing more arrives
    await watch(agentSocket, []);
    const after: TMessage[] = [];
    agentSocket.on('message:new', (m) => after.push(m));
    await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body: '不再关注' });
    await new Promise((r) => setTimeout(r, 200));
    expect(after).toEqual([]);
    for (const s of [tpSocket, agentSocket, otherSocket]) s.close();
  });

  it('refuses conversation:watch from a taxpayer', async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    const r = await emitAck(tpSocket, 'conversation:watch', { conversationIds: [conv.id] });
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    tpSocket.close();
    agentSocket.close();
  });

  it('stores a taxpayer message, acks it with its sequence number, and the agent sees it live', async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    const seen = nextEvent(agentSocket, 'message:new', (m) => m.conversationId === conv.id);
    const ack = await emitAck(tpSocket, 'message:send', {
      conversationId: conv.id,
      clientId: newClientId(),
      body: '你好，请问数电发票怎么开？',
    });
    expect(ack.ok).toBe(true);
    const stored = (ack as { data: TMessage }).data;
    expect(stored).toMatchObject({ seq: 1, senderType: 'taxpayer', body: '你好，请问数电发票怎么开？' });
    expect((await seen).id).toBe(stored.id);
    tpSocket.close();
    agentSocket.close();
  });

  it('delivers the agent reply to the taxpayer live, and both show in the history after a reload', async () => {
    const { tp, agent, conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body: '在吗' });
    const seen = nextEvent(tpSocket, 'message:new', (m) => m.senderType === 'agent');
    const ack = await emitAck(agentSocket, 'message:send', {
      conversationId: conv.id,
      clientId: newClientId(),
      body: '您好，请讲。',
    });
    expect(ack.ok).toBe(true);
    const reply = await seen;
    expect(reply).toMatchObject({ body: '您好，请讲。', senderType: 'agent', senderName: agent.me.name, seq: 2 });
    const history = await tp.chat.get('/api/chat/conversation');
    expect(history.json.page.messages.map((m: TMessage) => m.body)).toEqual(['在吗', '您好，请讲。']);
    tpSocket.close();
    agentSocket.close();
  });

  it('treats a resend with the same client id as the same message', async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    const received: TMessage[] = [];
    agentSocket.on('message:new', (m) => m.conversationId === conv.id && received.push(m));
    const clientId = newClientId();
    const [a, b] = await Promise.all([
      emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId, body: '重复发送' }),
      emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId, body: '重复发送' }),
    ]);
    const c = await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId, body: '重复发送' });
    const ids = [a, b, c].map((r) => (r.ok ? r.data.id : r.error.code));
    expect(new Set(ids).size).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
    tpSocket.close();
    agentSocket.close();
  });

  it('delivers a message that was stored but never sent on when its sender resends it, and once only', async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    const first = await emitAck(tpSocket, 'message:send', {
      conversationId: conv.id,
      clientId: newClientId(),
      body: '你好',
    });
    if (!first.ok) throw new Error('the first message was refused');
    const me = { portalUserId: first.data.senderId, personName: first.data.senderName };
    // what a node leaves behind when it dies between storing a message and fanning it out (or when the write
    // committed although its answer was lost): the row is there, nobody was told
    const clientId = newClientId();
    const [stored] = await conversationRepo.insertBatch(app.db, [
      {
        conversationId: conv.id,
        clientId,
        senderType: 'taxpayer',
        senderId: me.portalUserId,
        senderName: me.personName,
        body: '节点宕机前已保存',
        attachmentIds: [],
        payload: null,
        private: false,
      },
    ]);
    const received: TMessage[] = [];
    agentSocket.on('message:new', (m) => m.conversationId === conv.id && received.push(m));
    const atAgent = nextEvent(agentSocket, 'message:new', (m) => m.id === stored?.id);
    const resent = await emitAck(tpSocket, 'message:send', {
      conversationId: conv.id,
      clientId,
      body: '节点宕机前已保存',
    });
    expect(resent.ok && resent.data.id).toBe(stored?.id);
    expect((await atAgent).body).toBe('节点宕机前已保存');
    // a further resend of the same message is not sent on again
    await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId, body: '节点宕机前已保存' });
    const later = nextEvent(agentSocket, 'message:new', (m) => m.body === '之后的消息');
    await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body: '之后的消息' });
    await later;
    expect(received.map((m) => m.body)).toEqual(['节点宕机前已保存', '之后的消息']);
    tpSocket.close();
    agentSocket.close();
  });

  it('numbers concurrent sends gaplessly in the order they were accepted', async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        emitAck(i % 2 ? agentSocket : tpSocket, 'message:send', {
          conversationId: conv.id,
          clientId: newClientId(),
          body: `第${i}条`,
        }),
      ),
    );
    const seqs = acks.map((a) => (a.ok ? a.data.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    tpSocket.close();
    agentSocket.close();
  });

  it('pages history backwards with 加载记录', async () => {
    const { tp, conv, tpSocket } = await taxpayerAndAgent();
    for (let i = 1; i <= 7; i++) {
      await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body: `消息${i}` });
    }
    const newest = await tp.chat.get(`/api/chat/conversations/${conv.id}/messages?limit=3`);
    expect(newest.json.messages.map((m: TMessage) => m.seq)).toEqual([5, 6, 7]);
    expect(newest.json.hasMore).toBe(true);
    const older = await tp.chat.get(`/api/chat/conversations/${conv.id}/messages?limit=3&beforeSeq=5`);
    expect(older.json.messages.map((m: TMessage) => m.seq)).toEqual([2, 3, 4]);
    const oldest = await tp.chat.get(`/api/chat/conversations/${conv.id}/messages?limit=3&beforeSeq=2`);
    expect(oldest.json).toMatchObject({ hasMore: false });
    expect(oldest.json.messages.map((m: TMessage) => m.seq)).toEqual([1]);
    tpSocket.close();
  });

  it('gives a reconnecting client exactly what it missed', async () => {
    const { conv, tpSocket, agentSocket } = await taxpayerAndAgent();
    await emitAck(tpSocket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body: '一' });
    tpSocket.disconnect();
    for (const body of ['二', '三']) {
      await emitAck(agentSocket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body });
    }
    tpSocket.connect();
    await connected(tpSocket);
    const sync = await emitAck(tpSocket, 'conversation:sync', {
      conversations: [{ conversationId: conv.id, lastSeq: 1 }],
    });
    expect(sync.ok && sync.data.messages.map((m) => [m.seq, m.body])).toEqual([
      [2, '二'],
      [3, '三'],
    ]);
    tpSocket.close();
    agentSocket.close();
  });
});
