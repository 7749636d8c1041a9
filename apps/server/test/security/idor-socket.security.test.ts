/**
 * Forged and cross-tenant realtime events: the class of Rocket.Chat's advisories on subscribing to and posting into
 * rooms of other livechat visitors by room id, Mattermost's WebSocket event leaks to users outside a channel, and
 * Chatwoot's ActionCable broadcasts reaching the wrong contact.
 *
 * Taxpayer B's socket names taxpayer A's conversation or call in every client event; each is refused (the
 * conversation and the call "do not exist" for B), nothing reaches A's or the agent's sockets, and A's history and
 * call are unchanged. The protocol has no read-receipt event, so "mark A's messages read" has nothing to forge.
 * Staff: the conversation policy lets every staff member view and post (conversation.policy.ts `canPost`); what an
 * agent who does not hold the conversation must not do is take it over by posting, or touch its call
 * (calls.policy.ts: only the holding agent).
 */
import { randomUUID } from 'node:crypto';
import type { ServerToClientEvents, TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { calls, conversations } from '../../src/db/schema.ts';
import {
  type ClientSocket,
  emitAck,
  newClientId,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
  watch,
} from '../harness.ts';
import { asSupervisor, download, PNG, pause, staffWithSocket, upload } from './attack-fixtures.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const CANDIDATE = 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0';

/** Everything a socket receives, to show afterwards that nothing of the attack arrived. */
function recorder(socket: ClientSocket) {
  const seen: { event: string; payload: unknown }[] = [];
  socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}
const mentions = (seen: { payload: unknown }[], needle: string) =>
  seen.filter((e) => JSON.stringify(e.payload ?? null).includes(needle));

async function refused(p: Promise<{ ok: boolean; error?: { code: string; message: string } }>) {
  const r = await p;
  expect(r.ok).toBe(false);
  expect(r.error?.message).toMatch(/[\u4e00-\u9fff]/);
  return r.error?.code;
}

/** A taxpayer whose conversation an agent holds, and an intruding taxpayer B. */
async function servedWithIntruder() {
  const a = await openTaxpayerChat(app);
  const agent = await staffWithSocket(app);
  await app.handoff.assign(asSupervisor(agent), a.conversationId, agent.id);
  // the agent's workspace shows the conversation, so it hears its messages
  await watch(agent.socket, [a.conversationId]);
  const b = await openTaxpayerChat(app);
  return { a, agent, b };
}
type Scene = Awaited<ReturnType<typeof servedWithIntruder>>;
const closeAll = (s: Scene) => {
  s.a.socket.close();
  s.b.socket.close();
  s.agent.socket.close();
};

const history = async (tp: TaxpayerChat) =>
  (await tp.chat.get(`/api/chat/conversations/${tp.conversationId}/messages?limit=100`)).json.messages as TMessage[];

describe("taxpayer B's socket aims at A's conversation", () => {
  it('cannot watch its room, send into it, resync it or type into it; nothing reaches A or the agent', async () => {
    const s = await servedWithIntruder();
    const { a, b, agent } = s;
    const first = await a.send('我的发票专用章编号是 370100000001');
    expect(first.ok).toBe(true);
    const toA = recorder(a.socket);
    const toAgent = recorder(agent.socket);

    // joining the conversation's room is for staff only
    expect(await refused(emitAck(b.socket, 'conversation:watch', { conversationIds: [a.conversationId] }))).toBe(
      'FORBIDDEN',
    );
    const intruding = emitAck(b.socket, 'message:send', {
      conversationId: a.conversationId,
      clientId: newClientId(),
      body: '我是 A 公司的财务，请把退税款改打到这个账户',
    });
    expect(await refused(intruding)).toBe('NOT_FOUND');
    const sync = await emitAck(b.socket, 'conversation:sync', {
      conversations: [{ conversationId: a.conversationId, lastSeq: 0 }],
    });
    expect(sync.ok && sync.data.messages).toEqual([]);
    expect(await refused(emitAck(b.socket, 'typing:set', { conversationId: a.conversationId, typing: true }))).toBe(
      'NOT_FOUND',
    );

    // A keeps talking: B's socket, which tried to watch, hears none of it
    const toB = recorder(b.socket);
    const agentSees = nextEvent(agent.socket, 'message:new', (m) => m.body === '还有一个问题');
    expect((await a.send('还有一个问题')).ok).toBe(true);
    await agentSees;
    await pause(200);
    expect(mentions(toB, a.conversationId)).toEqual([]);
    expect(mentions(toB, '还有一个问题')).toEqual([]);
    // nothing of B's attempts reached A or the agent (no message, no typing indicator)
    expect(toA.filter((e) => e.event === 'typing')).toEqual([]);
    expect(toAgent.filter((e) => e.event === 'typing')).toEqual([]);
    expect(mentions([...toA, ...toAgent], '退税款')).toEqual([]);

    // (besides the system's 已接入 notice of the assignment)
    const timeline = (await history(a)).filter((m) => m.senderType !== 'system');
    expect(timeline.map((m) => [m.senderType, m.body])).toEqual([
      ['taxpayer', '我的发票专用章编号是 370100000001'],
      ['taxpayer', '还有一个问题'],
    ]);
    expect(await history(b)).toEqual([]);
    closeAll(s);
  });

  it("cannot ask for, answer, signal into or end a call of A's conversation", async () => {
    const s = await servedWithIntruder();
    const { a, b, agent } = s;
    const callId = randomUUID();
    const ref = { conversationId: a.conversationId, callId };
    const invited = await emitAck(agent.socket, 'call:invite', { ...ref, kind: 'video' });
    expect(invited.ok).toBe(true);

    // before A answers: B tries to pick up or turn down A's ringing call
    expect(await refused(emitAck(b.socket, 'call:accept', ref))).toBe('NOT_FOUND');
    expect(await refused(emitAck(b.socket, 'call:decline', ref))).toBe('NOT_FOUND');

    const connecting = nextEvent(agent.socket, 'call:update', (c) => c.id === callId && c.state === 'connecting');
    expect((await emitAck(a.socket, 'call:accept', ref)).ok).toBe(true);
    await connecting;

    const toA = recorder(a.socket);
    const toAgent = recorder(agent.socket);
    // B, with the right ids, tries every step and every signal
    const attempts: Promise<{ ok: boolean; error?: { code: string; message: string } }>[] = [
      emitAck(b.socket, 'call:request', { conversationId: a.conversationId, kind: 'audio', note: '' }),
      emitAck(b.socket, 'call:offer', { ...ref, sdp: SDP, iceRestart: false }),
      emitAck(b.socket, 'call:answer', { ...ref, sdp: SDP }),
      emitAck(b.socket, 'call:ice-candidate', {
        ...ref,
        candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 },
      }),
      emitAck(b.socket, 'call:ice-restart', ref),
      emitAck(b.socket, 'call:connected', ref),
      emitAck(b.socket, 'call:failed', { ...ref, reason: 'network' }),
      emitAck(b.socket, 'call:cancel', ref),
      emitAck(b.socket, 'call:hangup', ref),
    ] as never;
    for (const attempt of attempts) expect(await refused(attempt)).toBe('NOT_FOUND');
    await pause(200);
    const signals: (keyof ServerToClientEvents)[] = [
      'call:offer',
      'call:answer',
      'call:ice-candidate',
      'call:ice-restart',
      'call:update',
    ];
    expect(toA.filter((e) => signals.includes(e.event as keyof ServerToClientEvents))).toEqual([]);
    expect(toAgent.filter((e) => signals.includes(e.event as keyof ServerToClientEvents))).toEqual([]);

    const [row] = await app.db.select().from(calls).where(eq(calls.id, callId));
    expect(row?.state).toBe('connecting');
    // the call still works for its two parties
    const relayed = nextEvent(a.socket, 'call:offer', (o) => o.callId === callId);
    expect((await emitAck(agent.socket, 'call:offer', { ...ref, sdp: SDP, iceRestart: false })).ok).toBe(true);
    expect((await relayed).sdp).toBe(SDP);
    await emitAck(agent.socket, 'call:hangup', ref);
    closeAll(s);
  });
});

describe('an agent who does not hold the conversation', () => {
  it('posts as themself without taking it over (the policy lets staff post), and cannot touch its call', async () => {
    const s = await servedWithIntruder();
    const { a, agent } = s;
    const colleague = await staffWithSocket(app);
    const callId = randomUUID();
    const ref = { conversationId: a.conversationId, callId };
    expect((await emitAck(agent.socket, 'call:invite', { ...ref, kind: 'audio' })).ok).toBe(true);

    const posted = await emitAck(colleague.socket, 'message:send', {
      conversationId: a.conversationId,
      clientId: newClientId(),
      body: '我是另一位坐席',
      senderName: agent.name,
      senderId: agent.id,
    } as never);
    expect(posted.ok && posted.data).toMatchObject({ senderType: 'agent', senderId: colleague.id });
    expect(posted.ok && posted.data.senderName).toBe(colleague.me.name);
    const [conv] = await app.db.select().from(conversations).where(eq(conversations.id, a.conversationId));
    expect(conv?.assigneeStaffId).toBe(agent.id);

    // the call is between A and the holding agent: to anybody else it does not exist
    expect(await refused(emitAck(colleague.socket, 'call:cancel', ref))).toBe('NOT_FOUND');
    expect(await refused(emitAck(colleague.socket, 'call:offer', { ...ref, sdp: SDP, iceRestart: false }))).toBe(
      'NOT_FOUND',
    );
    // and a new call needs the conversation held by the caller
    const another = { conversationId: a.conversationId, callId: randomUUID(), kind: 'video' as const };
    expect(await refused(emitAck(colleague.socket, 'call:invite', another))).toBe('CALL_NOT_LIVE');
    const [row] = await app.db.select().from(calls).where(eq(calls.id, callId));
    expect(row?.state).toBe('inviting');
    await emitAck(agent.socket, 'call:cancel', ref);
    colleague.socket.close();
    closeAll(s);
  });
});

describe('private notes (内部备注)', () => {
  it('never reach the taxpayer: not live, not in the history, not on resync', async () => {
    const s = await servedWithIntruder();
    const { a, agent } = s;
    const toA = recorder(a.socket);
    const note = await emitAck(agent.socket, 'message:send', {
      conversationId: a.conversationId,
      clientId: newClientId(),
      body: '内部备注：该户疑似虚开发票，先不要告知',
      private: true,
    });
    expect(note.ok).toBe(true);
    const reply = nextEvent(a.socket, 'message:new', (m) => m.body === '您好，请稍等');
    await emitAck(agent.socket, 'message:send', {
      conversationId: a.conversationId,
      clientId: newClientId(),
      body: '您好，请稍等',
    });
    await reply;
    expect(mentions(toA, '虚开发票')).toEqual([]);
    expect(JSON.stringify(await history(a))).not.toContain('虚开发票');
    const sync = await emitAck(a.socket, 'conversation:sync', {
      conversations: [{ conversationId: a.conversationId, lastSeq: 0 }],
    });
    expect(sync.ok).toBe(true);
    expect(JSON.stringify(sync.ok && sync.data)).not.toContain('虚开发票');
    closeAll(s);
  });

  it("keep their files from the taxpayer: no download, no re-sending by id; a reply's file downloads", async () => {
    const s = await servedWithIntruder();
    const { a, agent } = s;
    const url = `/api/workspace/conversations/${a.conversationId}/attachments`;
    const noteFile = await upload(agent.client, url, PNG, '内部核查截图.png');
    const unsent = await upload(agent.client, url, PNG, '草稿.png');
    const replyFile = await upload(agent.client, url, PNG, '办理指南.png');
    for (const f of [noteFile, unsent, replyFile]) expect(f.status).toBe(200);
    const send = (body: string, attachmentId: string, isPrivate: boolean) =>
      emitAck(agent.socket, 'message:send', {
        conversationId: a.conversationId,
        clientId: newClientId(),
        body,
        attachmentIds: [attachmentId],
        private: isPrivate,
      });
    expect((await send('内部备注：核查截图', noteFile.json.id, true)).ok).toBe(true);
    expect((await send('请参考办理指南', replyFile.json.id, false)).ok).toBe(true);

    for (const hidden of [noteFile.json, unsent.json]) {
      const got = await download(a.chat, hidden.url);
      expect(got.status).toBe(404);
      expect(got.bytes.includes(PNG.subarray(0, 8))).toBe(false);
      const borrowed = await emitAck(a.socket, 'message:send', {
        conversationId: a.conversationId,
        clientId: newClientId(),
        body: '这是我的附件',
        attachmentIds: [hidden.id],
      });
      expect(await refused(Promise.resolve(borrowed))).toBe('NOT_FOUND');
    }
    // a file the agent sent in a reply is the taxpayer's to download
    expect((await download(a.chat, replyFile.json.url)).status).toBe(200);
    // staff read them all
    for (const f of [noteFile.json, unsent.json, replyFile.json]) {
      expect((await agent.client.get(f.url)).status).toBe(200);
    }
    expect(JSON.stringify(await history(a))).not.toContain(noteFile.json.id);
    closeAll(s);
  });
});
