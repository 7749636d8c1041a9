/**
 * 音视频 and 远程协助 over the socket: the call's states on both sides, the signals relayed to the other side only,
 * the timeline, the timeouts, the end of a call with the assignment, forged and malformed signals, the sweep for a
 * dead node's calls, and the supervisors' records.
 */
import { randomUUID } from 'node:crypto';
import type { ServerToClientEvents, TCall, TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginStaff,
  makeStaff,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { calls, conversations as conversationsTable, staff } from '../../db/schema.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { createCallsService } from './calls.service.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const CANDIDATE = 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

type StaffSide = { id: string; name: string; username: string; client: HttpClient; socket: ClientSocket };

async function staffIn(on: RunningApp, role: 'agent' | 'supervisor' = 'agent'): Promise<StaffSide> {
  const s = await makeStaff(on, role);
  await on.db.update(staff).set({ presence: 'online' }).where(eq(staff.id, s.id));
  const { client } = await loginStaff(on, s.username);
  const socket = connectSocket(client);
  await connected(socket);
  return { id: s.id, name: s.name, username: s.username, client, socket };
}

const asStaff = (s: { id: string; name: string }, role: StaffActor['role'] = 'supervisor'): StaffActor => ({
  kind: 'staff',
  sessionId: randomUUID(),
  staffId: s.id,
  role,
  name: s.name,
});

/** A taxpayer whose conversation an agent holds (given by a supervisor, as the workspace does). */
async function served(on: RunningApp = app) {
  const tp = await openTaxpayerChat(on);
  const agent = await staffIn(on);
  await on.handoff.assign(asStaff(agent), tp.conversationId, agent.id);
  return { tp, agent, conversationId: tp.conversationId };
}
type Served = Awaited<ReturnType<typeof served>>;

/** Everything one socket receives of these events, in order. */
function recorder(socket: ClientSocket, events: (keyof ServerToClientEvents)[]) {
  const seen: { event: string; payload: unknown }[] = [];
  for (const event of events) socket.on(event, ((payload: unknown) => seen.push({ event, payload })) as never);
  return seen;
}
const SIGNALS: (keyof ServerToClientEvents)[] = ['call:offer', 'call:answer', 'call:ice-candidate', 'call:ice-restart'];

const updateOf = (socket: ClientSocket, callId: string, state: TCall['state']) =>
  nextEvent(socket, 'call:update', (c) => c.id === callId && c.state === state);

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>) {
  const r = await p;
  if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r.data;
}
async function refusal(p: Promise<{ ok: boolean; error?: { code: string; message: string } }>) {
  const r = await p;
  expect(r.ok).toBe(false);
  return r.error as { code: string; message: string; fields?: Record<string, string> };
}

/** Invite → accept: a call in `connecting`. */
async function ringAndAnswer(s: Served, kind: TCall['kind'] = 'video') {
  const callId = randomUUID();
  const ref = { conversationId: s.conversationId, callId };
  await ok(emitAck(s.agent.socket, 'call:invite', { ...ref, kind }));
  const answered = updateOf(s.agent.socket, callId, 'connecting');
  await ok(emitAck(s.tp.socket, 'call:accept', ref));
  await answered;
  return ref;
}

const callRow = async (id: string, on: RunningApp = app) =>
  (await on.db.select().from(calls).where(eq(calls.id, id)))[0];

async function timeline(chat: HttpClient, conversationId: string): Promise<TMessage[]> {
  return (await chat.get(`/api/chat/conversations/${conversationId}/messages?limit=100`)).json.messages;
}
const callNotices = (messages: TMessage[], callId: string) =>
  messages.filter((m) => m.payload?.kind === 'call' && m.payload.callId === callId);

describe('a video call, start to end', () => {
  it('rings, connects, relays each signal to the other side only, and ends with its duration in the timeline', async () => {
    const s = await served();
    // the agent's second workspace tab and the taxpayer's second tab
    const agentTab = connectSocket(s.agent.client);
    const tpTab = connectSocket(s.tp.chat);
    await Promise.all([connected(agentTab), connected(tpTab)]);
    const atTaxpayer = recorder(s.tp.socket, SIGNALS);
    const atAgent = recorder(s.agent.socket, SIGNALS);
    const atAgentTab = recorder(agentTab, SIGNALS);

    const callId = randomUUID();
    const ref = { conversationId: s.conversationId, callId };
    const rung = [updateOf(s.tp.socket, callId, 'inviting'), updateOf(tpTab, callId, 'inviting')];
    const seenByAgentTab = updateOf(agentTab, callId, 'inviting');
    const invited = await ok(emitAck(s.agent.socket, 'call:invite', { ...ref, kind: 'video' }));
    expect(invited).toMatchObject({
      id: callId,
      conversationId: s.conversationId,
      kind: 'video',
      state: 'inviting',
      initiator: 'agent',
      agentName: s.agent.name,
      taxpayerName: '测试办税员',
      endedBy: null,
      durationSeconds: 0,
    });
    // the taxpayer sees who invites and for what, on every tab; the agent's other tab follows
    for (const u of await Promise.all(rung)) expect(u).toMatchObject({ state: 'inviting', agentName: s.agent.name });
    await seenByAgentTab;

    const answered = updateOf(s.agent.socket, callId, 'connecting');
    expect((await ok(emitAck(s.tp.socket, 'call:accept', ref))).state).toBe('connecting');
    await answered;

    // the agent's offer reaches the taxpayer, never the agent's own sockets
    const offer = nextEvent(s.tp.socket, 'call:offer', (o) => o.callId === callId);
    expect(await ok(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: SDP }))).toBeNull();
    expect(await offer).toEqual({ ...ref, sdp: SDP, iceRestart: false });

    const answer = nextEvent(s.agent.socket, 'call:answer', (a) => a.callId === callId);
    await ok(emitAck(s.tp.socket, 'call:answer', { ...ref, sdp: SDP }));
    expect((await answer).sdp).toBe(SDP);

    const toTaxpayer = nextEvent(s.tp.socket, 'call:ice-candidate', (c) => c.callId === callId);
    const toAgent = nextEvent(s.agent.socket, 'call:ice-candidate', (c) => c.callId === callId);
    const candidate = { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 };
    await ok(emitAck(s.agent.socket, 'call:ice-candidate', { ...ref, candidate }));
    await ok(emitAck(s.tp.socket, 'call:ice-candidate', { ...ref, candidate: { ...candidate, sdpMid: '1' } }));
    expect((await toTaxpayer).candidate).toMatchObject({ candidate: CANDIDATE, sdpMid: '0' });
    expect((await toAgent).candidate).toMatchObject({ sdpMid: '1' });

    // after a drop the taxpayer asks for a fresh offer
    const restart = nextEvent(s.agent.socket, 'call:ice-restart', (r) => r.callId === callId);
    await ok(emitAck(s.tp.socket, 'call:ice-restart', ref));
    expect(await restart).toEqual(ref);

    const up = [updateOf(s.tp.socket, callId, 'active'), updateOf(agentTab, callId, 'active')];
    const active = await ok(emitAck(s.agent.socket, 'call:connected', ref));
    expect(active.state).toBe('active');
    expect(active.connectedAt).not.toBeNull();
    await Promise.all(up);
    // the taxpayer's report comes second and changes nothing
    expect(await ok(emitAck(s.tp.socket, 'call:connected', ref))).toMatchObject({
      state: 'active',
      connectedAt: active.connectedAt,
    });

    await pause(1100);
    const over = updateOf(s.agent.socket, callId, 'ended');
    const ended = await ok(emitAck(s.tp.socket, 'call:hangup', ref));
    expect(ended).toMatchObject({ state: 'ended', endedBy: 'taxpayer' });
    expect(ended.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(ended.durationSeconds).toBeLessThan(10);
    expect((await over).durationSeconds).toBe(ended.durationSeconds);

    // signals went to the other side only
    expect(atTaxpayer.map((e) => e.event)).toEqual(['call:offer', 'call:ice-candidate']);
    expect(atAgent.map((e) => e.event)).toEqual(['call:answer', 'call:ice-candidate', 'call:ice-restart']);
    expect(atAgentTab.map((e) => e.event)).toEqual(['call:answer', 'call:ice-candidate', 'call:ice-restart']);

    // both ends see the start and the end, with its duration, in the timeline
    const marks = callNotices(await timeline(s.tp.chat, s.conversationId), callId);
    expect(marks.map((m) => m.body)).toEqual(['视频通话已开始', `视频通话已结束，时长 ${ended.durationSeconds} 秒`]);
    expect(marks[1]?.payload).toEqual({
      kind: 'call',
      callId,
      callKind: 'video',
      state: 'ended',
      durationSeconds: ended.durationSeconds,
    });
    expect(marks.every((m) => m.senderType === 'system')).toBe(true);

    // a signal after the end is stale
    expect((await refusal(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: SDP }))).code).toBe(
      'CALL_STATE_CHANGED',
    );

    // operators count outcomes and durations
    const metrics = (await new HttpClient(app.url).get('/metrics')).text.split('\n');
    const total = metrics.find(
      (l) => l.startsWith('zhengna_calls_total') && l.includes('kind="video"') && l.includes('outcome="ended"'),
    );
    expect(Number(total?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    const durations = metrics.find(
      (l) => l.startsWith('zhengna_call_duration_seconds_count') && l.includes('kind="video"'),
    );
    expect(Number(durations?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    for (const x of [agentTab, tpTab, s.tp.socket, s.agent.socket]) x.close();
  });

  it('lets the taxpayer decline, and refuses to "hang up" a call nobody answered', async () => {
    const s = await served();
    const callId = randomUUID();
    const ref = { conversationId: s.conversationId, callId };
    await ok(emitAck(s.agent.socket, 'call:invite', { ...ref, kind: 'audio' }));
    expect((await refusal(emitAck(s.agent.socket, 'call:hangup', ref))).code).toBe('CALL_STATE_CHANGED');
    // a resend of the same invitation (a lost ack) is the same call
    expect((await ok(emitAck(s.agent.socket, 'call:invite', { ...ref, kind: 'audio' }))).state).toBe('inviting');

    const told = updateOf(s.agent.socket, callId, 'declined');
    expect(await ok(emitAck(s.tp.socket, 'call:decline', { ...ref, reason: 'busy' }))).toMatchObject({
      state: 'declined',
      endedBy: 'taxpayer',
    });
    await told;
    expect((await refusal(emitAck(s.tp.socket, 'call:accept', ref))).code).toBe('CALL_STATE_CHANGED');
    // the id is spent: inviting with it again is refused
    expect((await refusal(emitAck(s.agent.socket, 'call:invite', { ...ref, kind: 'audio' }))).code).toBe(
      'CALL_STATE_CHANGED',
    );
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), callId).map((m) => m.body)).toEqual([
      '纳税人拒绝了语音通话',
    ]);
    s.tp.socket.close();
    s.agent.socket.close();
  });

  it('lets the agent cancel an invitation, and allows one live call per conversation', async () => {
    const s = await served();
    const [a, b] = await Promise.all([
      emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId: randomUUID(), kind: 'video' }),
      emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId: randomUUID(), kind: 'audio' }),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const busy = results.find((r) => !r.ok);
    expect(busy && !busy.ok && busy.error.code).toBe('CALL_BUSY');
    const live = results.find((r) => r.ok);
    if (!live?.ok) throw new Error('no call');
    // nor may the taxpayer ask for another while one rings
    const asked = await refusal(
      emitAck(s.tp.socket, 'call:request', { conversationId: s.conversationId, kind: 'screen' }),
    );
    expect(asked.code).toBe('CALL_BUSY');
    expect(asked.message).toContain('进行中的通话');

    const ref = { conversationId: s.conversationId, callId: live.data.id };
    expect((await refusal(emitAck(s.tp.socket, 'call:cancel', ref))).code).toBe('CALL_STATE_CHANGED');
    const told = updateOf(s.tp.socket, live.data.id, 'cancelled');
    expect(await ok(emitAck(s.agent.socket, 'call:cancel', ref))).toMatchObject({
      state: 'cancelled',
      endedBy: 'agent',
    });
    await told;
    // over: a new call may start
    await ok(
      emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId: randomUUID(), kind: 'video' }),
    );
    s.tp.socket.close();
    s.agent.socket.close();
  });

  it('reports a failure with its reason to both sides and in the timeline', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s);
    const told = updateOf(s.agent.socket, ref.callId, 'failed');
    expect(await ok(emitAck(s.tp.socket, 'call:failed', { ...ref, reason: 'device_denied' }))).toMatchObject({
      state: 'failed',
      failureReason: 'device_denied',
      endedBy: 'taxpayer',
    });
    expect((await told).failureReason).toBe('device_denied');
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), ref.callId).map((m) => m.body)).toEqual([
      '视频通话连接失败：麦克风或摄像头未获授权',
    ]);
    s.tp.socket.close();
    s.agent.socket.close();
  });
});

describe('a page that connects while a call is live', () => {
  it('is shown the ringing invitation again (a reload), and nobody else is', async () => {
    // its own node: the logins of this file would otherwise meet the per-address login limit (20 a minute)
    const own = await startTestApp();
    onTestFinished(() => own.close());
    const s = await served(own);
    const other = await openTaxpayerChat(own);
    const callId = randomUUID();
    await ok(emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId, kind: 'audio' }));

    // the taxpayer reloads the page: a new socket, and the invitation rings there
    const reloaded = connectSocket(s.tp.chat, { reconnection: false });
    const seen = recorder(reloaded, ['call:update']);
    const othersSocket = connectSocket(other.chat, { reconnection: false });
    const othersSeen = recorder(othersSocket, ['call:update']);
    const agentTab = connectSocket(s.agent.client, { reconnection: false });
    const agentSeen = recorder(agentTab, ['call:update']);
    await Promise.all([connected(reloaded), connected(othersSocket), connected(agentTab)]);
    await expect.poll(() => seen.length).toBe(1);
    await expect.poll(() => agentSeen.length).toBe(1);
    expect(seen[0]?.payload).toMatchObject({ id: callId, state: 'inviting', kind: 'audio' });
    expect(agentSeen[0]?.payload).toMatchObject({ id: callId, state: 'inviting' });
    await pause(200);
    expect(othersSeen).toEqual([]);

    // once over, it is not replayed
    await ok(emitAck(s.agent.socket, 'call:cancel', { conversationId: s.conversationId, callId }));
    const later = connectSocket(s.tp.chat, { reconnection: false });
    const laterSeen = recorder(later, ['call:update']);
    await connected(later);
    await pause(200);
    expect(laterSeen).toEqual([]);
    for (const socket of [reloaded, othersSocket, agentTab, later, other.socket]) socket.disconnect();
  });
});

describe('remote assistance asked for by the taxpayer', () => {
  it('turns the request into the agent’s invitation under the same id, then the taxpayer consents', async () => {
    const s = await served();
    const atAgent = nextEvent(s.agent.socket, 'call:update', (c) => c.state === 'requested');
    const request = await ok(
      emitAck(s.tp.socket, 'call:request', { conversationId: s.conversationId, kind: 'screen', note: '开票页面报错' }),
    );
    expect(request).toMatchObject({
      kind: 'screen',
      state: 'requested',
      initiator: 'taxpayer',
      note: '开票页面报错',
      invitedAt: null,
      agentName: s.agent.name,
    });
    expect((await atAgent).id).toBe(request.id);
    const ref = { conversationId: s.conversationId, callId: request.id };
    // only the agent invites; the taxpayer cannot ring themselves
    expect((await refusal(emitAck(s.tp.socket, 'call:invite', { ...ref, kind: 'screen' }))).code).toBe('FORBIDDEN');

    const ringing = updateOf(s.tp.socket, request.id, 'inviting');
    const invited = await ok(emitAck(s.agent.socket, 'call:invite', { ...ref, kind: 'screen' }));
    expect(invited).toMatchObject({ id: request.id, state: 'inviting', initiator: 'taxpayer' });
    expect(invited.invitedAt).not.toBeNull();
    await ringing;
    expect((await ok(emitAck(s.tp.socket, 'call:accept', ref))).state).toBe('connecting');
    await ok(emitAck(s.agent.socket, 'call:connected', ref));
    await ok(emitAck(s.agent.socket, 'call:hangup', ref));
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), request.id).map((m) => m.body)).toEqual([
      '纳税人请求远程协助：开票页面报错',
      '远程协助已开始',
      expect.stringMatching(/^远程协助已结束，时长 \d+ 秒$/),
    ]);
    s.tp.socket.close();
    s.agent.socket.close();
  });

  it('lets the agent decline a request and the taxpayer withdraw one', async () => {
    const s = await served();
    const first = await ok(emitAck(s.tp.socket, 'call:request', { conversationId: s.conversationId, kind: 'video' }));
    const ref1 = { conversationId: s.conversationId, callId: first.id };
    // a request is withdrawn by the one who asked, not declined by them
    expect((await refusal(emitAck(s.tp.socket, 'call:decline', ref1))).code).toBe('CALL_STATE_CHANGED');
    const told = updateOf(s.tp.socket, first.id, 'declined');
    expect(await ok(emitAck(s.agent.socket, 'call:decline', ref1))).toMatchObject({
      state: 'declined',
      endedBy: 'agent',
    });
    await told;

    const second = await ok(emitAck(s.tp.socket, 'call:request', { conversationId: s.conversationId, kind: 'screen' }));
    const ref2 = { conversationId: s.conversationId, callId: second.id };
    const gone = updateOf(s.agent.socket, second.id, 'cancelled');
    expect(await ok(emitAck(s.tp.socket, 'call:cancel', ref2))).toMatchObject({
      state: 'cancelled',
      endedBy: 'taxpayer',
    });
    await gone;
    const marks = (await timeline(s.tp.chat, s.conversationId)).filter((m) => m.payload?.kind === 'call');
    expect(marks.map((m) => m.body)).toEqual([
      '纳税人请求视频通话',
      '坐席暂未接受视频通话请求',
      '纳税人请求远程协助',
      '纳税人取消了远程协助请求',
    ]);
    s.tp.socket.close();
    s.agent.socket.close();
  });

  it('needs an agent in the conversation, and brakes a taxpayer who asks again and again', async () => {
    const alone = await openTaxpayerChat(app);
    const early = await refusal(
      emitAck(alone.socket, 'call:request', { conversationId: alone.conversationId, kind: 'video' }),
    );
    expect(early.code).toBe('CALL_NOT_LIVE');
    expect(early.message).toContain('转人工');
    alone.socket.close();

    const s = await served();
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await emitAck(s.tp.socket, 'call:request', { conversationId: s.conversationId, kind: 'video' });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['ok', 'CALL_BUSY', 'CALL_BUSY', 'CALL_BUSY', 'CALL_BUSY', 'CALL_BUSY', 'RATE_LIMITED']);
    s.tp.socket.close();
    s.agent.socket.close();
  });
});

describe('a call lives only as long as the assignment', () => {
  it('ends a call when the agent transfers the conversation, and refuses the old agent’s signals', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s);
    await ok(emitAck(s.agent.socket, 'call:connected', ref));
    const colleague = await staffIn(app);
    const atTaxpayer = updateOf(s.tp.socket, ref.callId, 'ended');
    const atAgent = updateOf(s.agent.socket, ref.callId, 'ended');
    const res = await s.agent.client.post(`/api/workspace/conversations/${s.conversationId}/transfer`, {
      toStaffId: colleague.id,
    });
    expect(res.status).toBe(200);
    expect(await atTaxpayer).toMatchObject({ state: 'ended', endedBy: 'system' });
    await atAgent;

    const signals = recorder(s.tp.socket, [...SIGNALS, 'call:update']);
    expect((await refusal(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: SDP }))).code).toBe(
      'CALL_STATE_CHANGED',
    );
    // the new agent is no party to the old agent's call
    expect((await refusal(emitAck(colleague.socket, 'call:offer', { ...ref, sdp: SDP }))).code).toBe('NOT_FOUND');
    // nor may the old agent start a new one
    const fresh = await refusal(
      emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId: randomUUID(), kind: 'video' }),
    );
    expect(fresh.code).toBe('CALL_NOT_LIVE');
    await pause(150);
    expect(signals).toEqual([]);
    // the new agent may call
    await ok(
      emitAck(colleague.socket, 'call:invite', {
        conversationId: s.conversationId,
        callId: randomUUID(),
        kind: 'audio',
      }),
    );
    for (const x of [s.tp.socket, s.agent.socket, colleague.socket]) x.close();
  });

  it('cancels a ringing invitation when a supervisor takes the conversation over', async () => {
    const s = await served();
    const callId = randomUUID();
    await ok(emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId, kind: 'video' }));
    const supervisor = await staffIn(app, 'supervisor');
    const told = updateOf(s.tp.socket, callId, 'cancelled');
    const res = await supervisor.client.post(`/api/workspace/conversations/${s.conversationId}/assign`, {
      staffId: supervisor.id,
    });
    expect(res.status).toBe(200);
    expect(await told).toMatchObject({ endedBy: 'system' });
    expect((await callRow(callId))?.state).toBe('cancelled');
    for (const x of [s.tp.socket, s.agent.socket, supervisor.socket]) x.close();
  });

  it('ends a call when the agent ends the conversation, marking it before the rating request', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s, 'audio');
    await ok(emitAck(s.tp.socket, 'call:connected', ref));
    const told = updateOf(s.tp.socket, ref.callId, 'ended');
    expect((await s.agent.client.post(`/api/workspace/conversations/${s.conversationId}/end`)).status).toBe(200);
    await told;
    const messages = await timeline(s.tp.chat, s.conversationId);
    const end = messages.findIndex((m) => m.payload?.kind === 'call' && m.payload.state === 'ended');
    const rating = messages.findIndex((m) => m.payload?.kind === 'rating_request');
    expect(end).toBeGreaterThan(-1);
    expect(end).toBeLessThan(rating);
    expect(messages[end]?.body).toMatch(/^语音通话已结束，时长 \d+ 秒$/);
    s.tp.socket.close();
    s.agent.socket.close();
  });
});

describe('forged and malformed signals', () => {
  it('refuses anybody who is not one of the two parties, tells the parties nothing, and changes nothing', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s);
    const before = await callRow(ref.callId);
    const atTaxpayer = recorder(s.tp.socket, [...SIGNALS, 'call:update']);
    const atAgent = recorder(s.agent.socket, [...SIGNALS, 'call:update']);

    // a taxpayer of another enterprise, with the real ids
    const intruder: TaxpayerChat = await openTaxpayerChat(app);
    for (const attempt of [
      emitAck(intruder.socket, 'call:offer', { ...ref, sdp: SDP }),
      emitAck(intruder.socket, 'call:answer', { ...ref, sdp: SDP }),
      emitAck(intruder.socket, 'call:ice-candidate', { ...ref, candidate: { candidate: CANDIDATE } }),
      emitAck(intruder.socket, 'call:hangup', ref),
      emitAck(intruder.socket, 'call:accept', ref),
      emitAck(intruder.socket, 'call:connected', ref),
      emitAck(intruder.socket, 'call:failed', { ...ref, reason: 'network' }),
    ]) {
      expect((await refusal(attempt)).code).toBe('NOT_FOUND');
    }
    // or ringing the conversation of somebody else
    expect(
      (await refusal(emitAck(intruder.socket, 'call:request', { conversationId: s.conversationId, kind: 'video' })))
        .code,
    ).toBe('NOT_FOUND');
    // or inviting at all
    expect((await refusal(emitAck(intruder.socket, 'call:invite', { ...ref, kind: 'video' }))).code).toBe('FORBIDDEN');

    // another agent, and a supervisor, who do not hold the conversation
    const other = await staffIn(app);
    const supervisor = await staffIn(app, 'supervisor');
    for (const socket of [other.socket, supervisor.socket]) {
      expect((await refusal(emitAck(socket, 'call:offer', { ...ref, sdp: SDP }))).code).toBe('NOT_FOUND');
      expect((await refusal(emitAck(socket, 'call:hangup', ref))).code).toBe('NOT_FOUND');
      expect((await refusal(emitAck(socket, 'call:invite', { ...ref, kind: 'audio' }))).code).toBe('NOT_FOUND');
      const own = await refusal(
        emitAck(socket, 'call:invite', { conversationId: s.conversationId, callId: randomUUID(), kind: 'audio' }),
      );
      expect(own.code).toBe('CALL_NOT_LIVE');
    }
    // an agent cannot answer for the taxpayer
    expect((await refusal(emitAck(other.socket, 'call:accept', ref))).code).toBe('FORBIDDEN');
    // the real call id paired with another conversation
    const crossed = { conversationId: intruder.conversationId, callId: ref.callId };
    expect((await refusal(emitAck(s.agent.socket, 'call:offer', { ...crossed, sdp: SDP }))).code).toBe('NOT_FOUND');
    expect((await refusal(emitAck(s.agent.socket, 'call:hangup', crossed))).code).toBe('NOT_FOUND');
    // a made-up call id
    expect(
      (await refusal(emitAck(s.tp.socket, 'call:hangup', { conversationId: s.conversationId, callId: randomUUID() })))
        .code,
    ).toBe('NOT_FOUND');

    await pause(200);
    expect(atTaxpayer).toEqual([]);
    expect(atAgent).toEqual([]);
    expect(await callRow(ref.callId)).toEqual(before);
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), ref.callId)).toEqual([]);
    for (const x of [s.tp.socket, s.agent.socket, intruder.socket, other.socket, supervisor.socket]) x.close();
  });

  it('refuses an oversized or malformed description and a huge candidate, in Chinese, and keeps the socket', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s);
    const atTaxpayer = recorder(s.tp.socket, SIGNALS);
    const before = await callRow(ref.callId);

    const huge = await refusal(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: `v=0\r\n${'a'.repeat(100_001)}` }));
    expect(huge.code).toBe('VALIDATION_FAILED');
    expect(huge.message).toContain('会话描述过长');
    expect(s.agent.socket.connected).toBe(true);

    const bad = await refusal(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: '<script>alert(1)</script>' }));
    expect(bad.message).toContain('会话描述格式不正确');

    const big = await refusal(
      emitAck(s.tp.socket, 'call:ice-candidate', { ...ref, candidate: { candidate: `candidate:${'x'.repeat(3000)}` } }),
    );
    expect(big.code).toBe('VALIDATION_FAILED');
    expect(big.message).toContain('候选地址过长');

    const badId = await refusal(emitAck(s.agent.socket, 'call:hangup', { ...ref, callId: 'not-a-call' }));
    expect(badId.message).toContain('通话编号格式不正确');
    const badKind = await refusal(
      emitAck(s.agent.socket, 'call:invite', { ...ref, callId: randomUUID(), kind: 'hologram' as never }),
    );
    expect(badKind.code).toBe('VALIDATION_FAILED');

    await pause(150);
    expect(atTaxpayer).toEqual([]);
    expect(await callRow(ref.callId)).toEqual(before);
    // the call goes on
    await ok(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: SDP }));
    s.tp.socket.close();
    s.agent.socket.close();
  });
});

describe('the sweep', () => {
  it('expires a call a crashed node left ringing, once, even with two sweeps at once', async () => {
    const s = await served();
    const tpRow = await app.conversations.ownerOf(s.conversationId);
    const callId = randomUUID();
    await app.db.insert(calls).values({
      id: callId,
      conversationId: s.conversationId,
      taxpayerId: tpRow.taxpayerId,
      portalUserId: tpRow.portalUserId,
      staffId: s.agent.id,
      kind: 'audio',
      state: 'inviting',
      initiator: 'agent',
      invitedAt: new Date(Date.now() - 10 * 60_000),
    });
    const updates = recorder(s.tp.socket, ['call:update']);
    const otherNode = createCallsService({
      db: app.db,
      bus: app.bus,
      conversations: app.conversations,
      logger: app.app.log as never,
      timeouts: { ringSeconds: 45, connectSeconds: 30 },
    });
    const [x, y] = await Promise.all([app.calls.sweep(), otherNode.sweep()]);
    expect(x + y).toBeGreaterThanOrEqual(1);
    expect(await callRow(callId)).toMatchObject({ state: 'missed', endedBy: 'system' });
    await pause(150);
    expect(updates.filter((u) => (u.payload as TCall).id === callId).map((u) => (u.payload as TCall).state)).toEqual([
      'missed',
    ]);
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), callId).map((m) => m.body)).toEqual([
      '语音通话未接听',
    ]);
    // and again: nothing left to do for it
    await Promise.all([app.calls.sweep(), otherNode.sweep()]);
    await pause(100);
    expect(updates.filter((u) => (u.payload as TCall).id === callId)).toHaveLength(1);
    otherNode.close();
    s.tp.socket.close();
    s.agent.socket.close();
  });

  it('ends a call whose agent lost the conversation while a node was down', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s);
    await ok(emitAck(s.agent.socket, 'call:connected', ref));
    // the assignment moved on, but the node that moved it died before ending the call
    const colleague = await makeStaff(app);
    await app.db
      .update(conversationsTable)
      .set({ assigneeStaffId: colleague.id })
      .where(eq(conversationsTable.id, s.conversationId));
    expect((await refusal(emitAck(s.agent.socket, 'call:offer', { ...ref, sdp: SDP }))).code).toBe('CALL_NOT_LIVE');
    const told = updateOf(s.tp.socket, ref.callId, 'ended');
    await app.calls.sweep();
    expect(await told).toMatchObject({ endedBy: 'system' });
    s.tp.socket.close();
    s.agent.socket.close();
  });
});

describe('call records for supervisors', () => {
  it('lists calls with who, when, how long and how they ended, filtered; agents and taxpayers are refused', async () => {
    const s = await served();
    const ref = await ringAndAnswer(s, 'screen');
    await ok(emitAck(s.agent.socket, 'call:connected', ref));
    await ok(emitAck(s.agent.socket, 'call:hangup', ref));
    const declined = randomUUID();
    await ok(
      emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId: declined, kind: 'audio' }),
    );
    await ok(emitAck(s.tp.socket, 'call:decline', { conversationId: s.conversationId, callId: declined }));

    const supervisor = await staffIn(app, 'supervisor');
    const all = await supervisor.client.get(`/api/workspace/calls?conversationId=${s.conversationId}`);
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(2);
    expect(all.json.items.map((c: TCall) => c.id)).toEqual([declined, ref.callId]);
    expect(all.json.items[1]).toMatchObject({
      kind: 'screen',
      state: 'ended',
      endedBy: 'agent',
      staffId: s.agent.id,
      agentName: s.agent.name,
      taxpayerName: '测试办税员',
      taxpayerNo: s.tp.taxpayer.taxpayerNo,
    });

    const screens = await supervisor.client.get(`/api/workspace/calls?conversationId=${s.conversationId}&kind=screen`);
    expect(screens.json.items.map((c: TCall) => c.id)).toEqual([ref.callId]);
    const declinedOnly = await supervisor.client.get(`/api/workspace/calls?staffId=${s.agent.id}&state=declined`);
    expect(declinedOnly.json.items.map((c: TCall) => c.id)).toEqual([declined]);

    // days are China Standard Time dates
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 16 * 3600_000).toISOString().slice(0, 10);
    const q = `/api/workspace/calls?conversationId=${s.conversationId}`;
    expect((await supervisor.client.get(`${q}&from=${today}&to=${today}`)).json.total).toBe(2);
    expect((await supervisor.client.get(`${q}&to=${yesterday}`)).json.total).toBe(0);
    expect((await supervisor.client.get(`${q}&pageSize=1&page=2`)).json.items.map((c: TCall) => c.id)).toEqual([
      ref.callId,
    ]);
    const wrong = await supervisor.client.get('/api/workspace/calls?from=2026-13-40');
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toContain('开始日期格式不正确');

    expect((await s.agent.client.get('/api/workspace/calls')).status).toBe(403);
    expect((await s.tp.chat.get('/api/workspace/calls')).status).toBe(401);
    for (const x of [s.tp.socket, s.agent.socket, supervisor.socket]) x.close();
  });
});

describe('timeouts', () => {
  let quick: RunningApp;
  beforeAll(async () => {
    quick = await startTestApp({ CALL_RING_SECONDS: '2', CALL_CONNECT_SECONDS: '2' });
  });
  afterAll(async () => {
    await quick?.close();
  });

  it('marks an invitation nobody answers as 未接听 on both sides', async () => {
    const s = await served(quick);
    const callId = randomUUID();
    const missed = [updateOf(s.tp.socket, callId, 'missed'), updateOf(s.agent.socket, callId, 'missed')];
    await ok(emitAck(s.agent.socket, 'call:invite', { conversationId: s.conversationId, callId, kind: 'video' }));
    const [atTaxpayer] = await Promise.all(missed.map((p) => p.catch(() => null)));
    expect(atTaxpayer).toMatchObject({ state: 'missed', endedBy: 'system' });
    expect(
      (await refusal(emitAck(s.tp.socket, 'call:accept', { conversationId: s.conversationId, callId }))).code,
    ).toBe('CALL_STATE_CHANGED');
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), callId).map((m) => m.body)).toEqual([
      '视频通话未接听',
    ]);
    s.tp.socket.close();
    s.agent.socket.close();
  });

  it('fails an accepted call whose peers never connect, for the network', async () => {
    const s = await served(quick);
    const ref = await ringAndAnswer(s, 'audio');
    const failed = await nextEvent(
      s.agent.socket,
      'call:update',
      (c) => c.id === ref.callId && c.state === 'failed',
      6000,
    );
    expect(failed).toMatchObject({ failureReason: 'network', endedBy: 'system' });
    expect(callNotices(await timeline(s.tp.chat, s.conversationId), ref.callId).map((m) => m.body)).toEqual([
      '语音通话连接失败：网络连接失败，请检查网络后重试',
    ]);
    s.tp.socket.close();
    s.agent.socket.close();
  });
});
