/**
 * Oversized and pathological payloads (CWE-400, CWE-674): the class of Rocket.Chat's and Mattermost's
 * denial-of-service advisories through huge or deeply nested JSON and WebSocket frames, and Zammad's and Chatwoot's
 * unbounded message and attachment sizes.
 *
 * Each payload gets a clear 4xx (or the socket is cut off), nothing is stored, and the server keeps serving: a
 * follow-up request from the same client works.
 */
import type { TMessage } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { MAX_SOCKET_PAYLOAD_BYTES } from '../../src/realtime/gateway.ts';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginStaff,
  makeStaff,
  newClientId,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../harness.ts';
import { expectRefused, hasChinese, inquiryForm, PNG, upload } from './attack-fixtures.ts';

let app: RunningApp;
let tp: TaxpayerChat;
beforeAll(async () => {
  app = await startTestApp();
  tp = await openTaxpayerChat(app);
});
afterAll(async () => {
  tp?.socket.close();
  await app?.close();
});

/** `{"a":{"a":…1…}}`, `depth` levels deep, as JSON text. */
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

async function stillServing() {
  expect((await new HttpClient(app.url).get('/healthz')).status).toBe(200);
  const conv = await tp.chat.get('/api/chat/conversation');
  expect(conv.status).toBe(200);
}

/** Emits an event whose payload is given as JSON text (a Socket.IO EVENT packet with an ack id) and awaits the ack. */
function rawEmitAck(socket: ClientSocket, event: string, payloadJson: string) {
  const internals = socket as unknown as {
    acks: Record<number, (r: unknown) => void>;
    io: { engine: { write: (s: string) => void } };
  };
  const id = 900_000 + Math.floor(Math.random() * 90_000);
  return new Promise<{ ok: boolean; error?: { code: string } }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 5000);
    internals.acks[id] = (r) => {
      clearTimeout(timer);
      resolve(r as { ok: boolean; error?: { code: string } });
    };
    internals.io.engine.write(`2${id}[${JSON.stringify(event)},${payloadJson}]`);
  });
}

const history = async () =>
  (await tp.chat.get(`/api/chat/conversations/${tp.conversationId}/messages?limit=100`)).json.messages as TMessage[];

describe('HTTP bodies', () => {
  it('a 10 MB JSON body is refused with 413 before it is parsed', async () => {
    const huge = JSON.stringify(inquiryForm(tp.officeId, { content: '发'.repeat(10), padding: 'x'.repeat(10 << 20) }));
    const started = Date.now();
    const res = await tp.chat.post('/api/chat/inquiries', huge);
    expectRefused(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(Date.now() - started).toBeLessThan(10_000);
    // a staff route too (cookie session, audited)
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    expectRefused(
      await client.post('/api/workspace/presence', `{"presence":"${'x'.repeat(10 << 20)}"}`),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect((await tp.chat.get('/api/chat/inquiries')).json.inquiries).toEqual([]);
    await stillServing();
  });

  it('a 10,000-deep object and a 100,000-deep array are refused as invalid input', async () => {
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    const targets: [HttpClient, string][] = [
      [tp.chat, '/api/chat/inquiries'],
      [tp.chat, '/api/chat/appointments'],
      [client, '/api/workspace/presence'],
      [client, '/api/staff/password'],
      [new HttpClient(app.url), '/api/staff/login'],
      [new HttpClient(app.url), '/api/portal/login'],
    ];
    for (const [who, url] of targets) {
      for (const body of [
        nestedObject(10_000),
        `{"content":${nestedObject(10_000)}}`,
        nestedArray(100_000),
        `{"clientKey":${nestedArray(100_000)}}`,
      ]) {
        const res = await who.post(url, body);
        expect(res.status, `${url} ${body.slice(0, 16)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${url} ${body.slice(0, 16)}`).toBeLessThan(500);
        expect(res.json?.code).toMatch(/^(VALIDATION_FAILED|BAD_REQUEST|PAYLOAD_TOO_LARGE)$/);
      }
    }
    expect((await tp.chat.get('/api/chat/inquiries')).json.inquiries).toEqual([]);
    await stillServing();
  });

  it('an 11 MB upload is cut off at the 10 MB limit and not stored', async () => {
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(PNG);
    for (const url of [`/api/chat/conversations/${tp.conversationId}/attachments`, '/api/chat/inquiries/files']) {
      const res = await upload(tp.chat, url, big, '超大截图.png');
      expect(res.status, url).toBe(413);
      expect(res.json.code).toBe('FILE_TOO_LARGE');
      expect(hasChinese(res.json.message)).toBe(true);
    }
    await stillServing();
  });

  it('a 100,000-character 留言 is refused in Chinese and not stored', async () => {
    const res = await tp.chat.post('/api/chat/inquiries', inquiryForm(tp.officeId, { content: 'x'.repeat(100_000) }));
    expectRefused(res, 400, 'VALIDATION_FAILED');
    expect((await tp.chat.get('/api/chat/inquiries')).json.inquiries).toEqual([]);
  });
});

describe('socket frames', () => {
  it('a 100,000-character message is refused as too long; the socket stays usable', async () => {
    const long = await emitAck(tp.socket, 'message:send', {
      conversationId: tp.conversationId,
      clientId: newClientId(),
      body: 'x'.repeat(100_000),
    });
    expect(!long.ok && long.error).toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    expect((await tp.send('刚才那条太长了')).ok).toBe(true);
    expect((await history()).map((m) => m.body)).toEqual(['刚才那条太长了']);
  });

  it('a deeply nested event payload is refused as invalid', async () => {
    // written as raw text: the client library's own encoder would overflow its stack on this depth before sending
    const deep = nestedObject(10_000);
    for (const [event, payload] of [
      ['message:send', `{"conversationId":"${tp.conversationId}","clientId":"${newClientId()}","body":${deep}}`],
      ['message:send', deep],
      ['conversation:sync', `{"conversations":[{"conversationId":"${tp.conversationId}","lastSeq":${deep}}]}`],
      ['typing:set', nestedArray(30_000)],
    ] as const) {
      const r = await rawEmitAck(tp.socket, event, payload);
      expect(r.ok, `${event} ${payload.slice(0, 30)}`).toBe(false);
      expect(r.error?.code).toBe('VALIDATION_FAILED');
    }
    const sync = await emitAck(tp.socket, 'conversation:sync', {
      conversations: Array.from({ length: 1000 }, () => ({ conversationId: tp.conversationId, lastSeq: 0 })),
    });
    expect(!sync.ok && sync.error.code).toBe('VALIDATION_FAILED');
    expect((await tp.send('还在吗？')).ok).toBe(true);
  });

  it('a frame over the limit (a 1 MB typing event, a 5 MB call offer) cuts that socket off; others carry on', async () => {
    for (const [event, payload] of [
      ['typing:set', { conversationId: tp.conversationId, typing: true, pad: 'x'.repeat(1 << 20) }],
      ['call:offer', { conversationId: tp.conversationId, callId: newClientId(), sdp: 'v=0'.repeat(2 * 1024 * 1024) }],
    ] as const) {
      const big = connectSocket(tp.chat, { reconnection: false });
      await connected(big);
      const dropped = new Promise<string>((resolve) => big.once('disconnect', resolve));
      big.emit(event, payload as never, () => {});
      await dropped;
      expect(big.connected).toBe(false);
      expect(JSON.stringify(payload).length).toBeGreaterThan(MAX_SOCKET_PAYLOAD_BYTES);
    }
    await stillServing();
    expect((await tp.send('大消息之后')).ok).toBe(true);
    const bodies = (await history()).map((m) => m.body);
    expect(bodies.at(-1)).toBe('大消息之后');
    expect(bodies.every((b) => b.length < 100)).toBe(true);
  });
});
