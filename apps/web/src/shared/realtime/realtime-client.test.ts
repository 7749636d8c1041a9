import type { TMessage } from '@zhengna/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emitted, FakeSocket } from './fake-socket.ts';
import { RealtimeClient } from './realtime-client.ts';

const CONV = '6f1c2a34-1111-4aaa-8bbb-000000000001';
const OTHER = '6f1c2a34-1111-4aaa-8bbb-000000000002';

let idCounter = 0;
function message(seq: number, overrides: Partial<TMessage> = {}): TMessage {
  idCounter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(idCounter).padStart(12, '0')}`,
    conversationId: CONV,
    seq,
    clientId: null,
    senderType: 'bot',
    senderId: null,
    senderName: '智能助理',
    body: `第 ${seq} 条`,
    attachments: [],
    private: false,
    payload: null,
    createdAt: new Date(2026, 0, 1, 9, 0, seq).toISOString(),
    ...overrides,
  };
}

/** What the server would store for a send. */
function stored(sent: Emitted, seq: number): TMessage {
  return message(seq, {
    conversationId: String(sent.payload.conversationId),
    clientId: String(sent.payload.clientId),
    body: String(sent.payload.body),
    senderType: 'taxpayer',
    senderName: '张三',
  });
}

describe('RealtimeClient', () => {
  let socket: FakeSocket;
  let client: RealtimeClient;
  let nextId = 0;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    nextId = 0;
    client = new RealtimeClient(socket, {
      ackTimeoutMs: 5000,
      createClientId: () => `client-id-${++nextId}`,
    });
  });
  afterEach(() => {
    client.dispose();
    vi.useRealTimers();
  });

  it('shows a send as sending, then as a stored message once acked', () => {
    socket.serverConnect();
    client.track(CONV, [message(1)]);
    const clientId = client.send(CONV, '发票怎么红冲？');

    const sent = socket.lastSent();
    expect(sent.payload).toEqual({ conversationId: CONV, clientId, body: '发票怎么红冲？', attachmentIds: [] });
    expect(client.getConversation(CONV).pending).toMatchObject([{ clientId, state: 'sending' }]);

    sent.ack({ ok: true, data: stored(sent, 2) });
    const view = client.getConversation(CONV);
    expect(view.pending).toEqual([]);
    expect(view.messages.map((m) => m.body)).toEqual(['第 1 条', '发票怎么红冲？']);
    expect(view.lastSeq).toBe(2);
  });

  it('carries attachment ids with a send and with its re-send after a reconnect', () => {
    const FILE = '00000000-0000-4000-8000-0000000000a1';
    socket.serverConnect();
    client.track(CONV, [message(1)]);
    const clientId = client.send(CONV, '发票截图.png', [FILE]);
    expect(socket.lastSent().payload).toEqual({
      conversationId: CONV,
      clientId,
      body: '发票截图.png',
      attachmentIds: [FILE],
    });
    expect(client.getConversation(CONV).pending[0]?.attachmentIds).toEqual([FILE]);

    socket.serverDisconnect();
    socket.serverConnect();
    expect(socket.lastSent().payload).toMatchObject({ clientId, attachmentIds: [FILE] });
  });

  it('passes 我的消息 arrivals and unread counts on, and drops malformed ones', () => {
    const inbox = vi.fn();
    client.onInbox(inbox);
    const item = {
      id: '00000000-0000-4000-8000-0000000000b1',
      kind: 'push',
      title: '申报提醒',
      body: '请按期申报。',
      createdAt: '2026-05-20T01:00:00.000Z',
      readAt: null,
    };
    socket.fire('inbox:new', { item, unread: 3 });
    socket.fire('inbox:unread', { unread: 0 });
    socket.fire('inbox:unread', { unread: 'many' });
    expect(inbox.mock.calls).toEqual([[{ item, unread: 3 }], [{ unread: 0 }]]);
  });

  it('queues sends while offline and sends them on connect', () => {
    client.send(CONV, '你好');
    expect(socket.sent()).toHaveLength(0);
    expect(client.getConversation(CONV).pending[0]?.state).toBe('sending');

    socket.serverConnect();
    expect(socket.sent()).toHaveLength(1);
    expect(socket.lastSent().payload.clientId).toBe('client-id-1');
  });

  it('re-sends an unacked message with the same clientId after a reconnect, and stores it once', () => {
    socket.serverConnect();
    client.track(CONV, [message(1)]);
    client.send(CONV, '在吗');
    const first = socket.lastSent();

    socket.serverDisconnect();
    socket.serverConnect();
    const second = socket.lastSent();
    expect(socket.sent()).toHaveLength(2);
    expect(second.payload.clientId).toBe(first.payload.clientId);

    // The reconnect also asks for what was missed since seq 1.
    expect(socket.lastSent('conversation:sync').payload).toEqual({
      conversations: [{ conversationId: CONV, lastSeq: 1 }],
    });

    // The server stored the first attempt; the push, the sync and the ack all carry the same message.
    const storedMessage = stored(first, 2);
    socket.fire('message:new', storedMessage);
    socket.lastSent('conversation:sync').ack({ ok: true, data: { messages: [storedMessage] } });
    second.ack({ ok: true, data: storedMessage });

    const view = client.getConversation(CONV);
    expect(view.messages.filter((m) => m.body === '在吗')).toHaveLength(1);
    expect(view.pending).toEqual([]);
  });

  it('marks a rejected send as failed with the server message and retries with the same clientId', () => {
    socket.serverConnect();
    const clientId = client.send(CONV, '测试');
    socket.lastSent().ack({ ok: false, error: { code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试。' } });

    expect(client.getConversation(CONV).pending).toMatchObject([
      { clientId, state: 'failed', error: '操作过于频繁，请稍后再试。' },
    ]);

    // A rejected message is not re-sent on its own after a reconnect; the user decides.
    socket.serverDisconnect();
    socket.serverConnect();
    expect(socket.sent()).toHaveLength(1);

    client.retry(clientId);
    expect(socket.sent()).toHaveLength(2);
    expect(socket.lastSent().payload.clientId).toBe(clientId);
    expect(client.getConversation(CONV).pending[0]?.state).toBe('sending');
  });

  it('fails a send whose ack does not arrive in time, and re-sends it after a reconnect', () => {
    socket.serverConnect();
    const clientId = client.send(CONV, '超时了吗');
    vi.advanceTimersByTime(5001);
    expect(client.getConversation(CONV).pending[0]).toMatchObject({ clientId, state: 'failed' });

    socket.serverDisconnect();
    socket.serverConnect();
    expect(socket.sent()).toHaveLength(2);
    expect(socket.lastSent().payload.clientId).toBe(clientId);
    expect(client.getConversation(CONV).pending[0]?.state).toBe('sending');
  });

  it('ignores a late error from an older attempt while a newer one is in flight', () => {
    socket.serverConnect();
    client.send(CONV, '重复');
    const first = socket.lastSent();
    socket.serverDisconnect();
    socket.serverConnect();
    first.ack({ ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试。' } });
    expect(client.getConversation(CONV).pending[0]?.state).toBe('sending');
  });

  it('keeps messages unique and ordered by seq whatever order they arrive in', () => {
    socket.serverConnect();
    const m1 = message(1);
    const m2 = message(2);
    const m3 = message(3);
    client.track(CONV, [m1, m3]);
    socket.fire('message:new', m2);
    socket.fire('message:new', m3);
    client.merge(CONV, [m1, m2]);

    expect(client.getConversation(CONV).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('asks for the missing messages when a push skips a seq', () => {
    socket.serverConnect();
    client.track(CONV, [message(1)]);
    const syncsBefore = socket.sent('conversation:sync').length;

    socket.fire('message:new', message(4));
    expect(socket.sent('conversation:sync')).toHaveLength(syncsBefore + 1);
    // from the end of what it holds without gaps, so seq 2 and 3 come back
    expect(socket.lastSent('conversation:sync').payload).toEqual({
      conversations: [{ conversationId: CONV, lastSeq: 1 }],
    });
  });

  it('syncs every tracked conversation on connect and merges only into tracked ones', () => {
    client.track(CONV, [message(1), message(2)]);
    client.track(OTHER, []);
    socket.serverConnect();

    const sync = socket.lastSent('conversation:sync');
    expect(sync.payload).toEqual({
      conversations: [
        { conversationId: CONV, lastSeq: 2 },
        { conversationId: OTHER, lastSeq: 0 },
      ],
    });
    sync.ack({
      ok: true,
      data: {
        messages: [
          message(3),
          message(1, { conversationId: OTHER }),
          message(9, { conversationId: '6f1c2a34-1111-4aaa-8bbb-00000000dead' }),
        ],
      },
    });
    expect(client.getConversation(CONV).lastSeq).toBe(3);
    expect(client.getConversation(OTHER).messages).toHaveLength(1);
    expect(client.isTracked('6f1c2a34-1111-4aaa-8bbb-00000000dead')).toBe(false);
  });

  it('syncs every tracked conversation when the server says its node missed pushes (sync:required)', () => {
    socket.serverConnect();
    client.track(CONV, [message(1), message(2)]);
    client.track(OTHER, []);
    const syncsBefore = socket.sent('conversation:sync').length;

    // the socket stayed connected: only this event tells the client that pushes were lost meanwhile
    socket.fire('sync:required');
    expect(socket.sent('conversation:sync')).toHaveLength(syncsBefore + 1);
    const sync = socket.lastSent('conversation:sync');
    expect(sync.payload).toEqual({
      conversations: [
        { conversationId: CONV, lastSeq: 2 },
        { conversationId: OTHER, lastSeq: 0 },
      ],
    });
    sync.ack({ ok: true, data: { messages: [message(3)], upTo: [{ conversationId: CONV, seq: 3 }] } });
    expect(client.getConversation(CONV).lastSeq).toBe(3);
  });

  it('drops pushes that do not match the protocol schema', () => {
    socket.serverConnect();
    client.track(CONV);
    const seen = vi.fn();
    client.onMessage(seen);
    socket.fire('message:new', { id: 'not-a-uuid', body: 'x' });
    expect(seen).not.toHaveBeenCalled();
    expect(client.getConversation(CONV).messages).toEqual([]);
  });

  it('reports the connection state and notifies subscribers', () => {
    const changes = vi.fn();
    client.subscribe(changes);
    expect(client.getConnectionState()).toBe('connecting');
    socket.serverConnect();
    expect(client.getConnectionState()).toBe('connected');
    socket.serverDisconnect();
    expect(client.getConnectionState()).toBe('disconnected');
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('passes typing and session-ended events on to listeners', () => {
    const typing = vi.fn();
    const ended = vi.fn();
    client.onTyping(typing);
    client.onSessionEnded(ended);
    socket.fire('typing', { conversationId: CONV, typing: true, senderType: 'agent' });
    socket.fire('session:ended', { reason: '会话已超时' });
    expect(typing).toHaveBeenCalledWith({ conversationId: CONV, typing: true, senderType: 'agent' });
    expect(ended).toHaveBeenCalledWith('会话已超时');
  });

  it('keeps a view object stable until something changes (for React)', () => {
    client.track(CONV, [message(1)]);
    const before = client.getConversation(CONV);
    expect(client.getConversation(CONV)).toBe(before);
    client.send(CONV, '新消息');
    expect(client.getConversation(CONV)).not.toBe(before);
  });

  it('asks for the watched conversations again after every reconnect, then syncs the tracked ones', () => {
    socket.serverConnect();
    client.track(CONV, [message(1)]);
    client.watch([CONV, OTHER]);
    expect(socket.lastSent('conversation:watch').payload).toEqual({ conversationIds: [CONV, OTHER].sort() });
    // the same set again is not re-sent
    client.watch([OTHER, CONV]);
    expect(socket.sent('conversation:watch')).toHaveLength(1);

    const syncsBefore = socket.sent('conversation:sync').length;
    socket.lastSent('conversation:watch').ack({ ok: true, data: { watching: 2 } });
    const sync = socket.lastSent('conversation:sync');
    expect(socket.sent('conversation:sync')).toHaveLength(syncsBefore + 1);
    expect(sync.payload).toEqual({ conversations: [{ conversationId: CONV, lastSeq: 1 }] });

    socket.serverDisconnect();
    socket.serverConnect();
    expect(socket.sent('conversation:watch')).toHaveLength(2);
  });

  it('asks again for a message it missed even when a later one arrived live first', () => {
    socket.serverConnect();
    client.track(CONV, [message(1), message(2)]);
    // seq 3 is lost on the way; seq 4 arrives live
    socket.fire('message:new', message(4));
    expect(client.getConversation(CONV).lastSeq).toBe(2);
    socket.serverDisconnect();
    socket.serverConnect();
    expect(socket.lastSent('conversation:sync').payload).toEqual({
      conversations: [{ conversationId: CONV, lastSeq: 2 }],
    });
  });

  it('moves past seqs it may not see (staff notes) once the server says everything up to there was sent', () => {
    socket.serverConnect();
    client.track(CONV, [message(1)]);
    // seq 2 is a staff note the taxpayer never gets; seq 3 arrives live
    socket.fire('message:new', message(3));
    const sync = socket.lastSent('conversation:sync');
    expect(sync.payload).toEqual({ conversations: [{ conversationId: CONV, lastSeq: 1 }] });
    sync.ack({ ok: true, data: { messages: [], upTo: [{ conversationId: CONV, seq: 3 }] } });
    expect(client.getConversation(CONV).lastSeq).toBe(3);
    socket.fire('message:new', message(4));
    // no gap any more: seq 4 follows on and needs no sync
    const syncs = socket.sent('conversation:sync').length;
    socket.fire('message:new', message(5));
    expect(socket.sent('conversation:sync')).toHaveLength(syncs);
    expect(client.getConversation(CONV).lastSeq).toBe(5);
  });
});
