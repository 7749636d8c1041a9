/**
 * Bad input over HTTP and over the socket: each gets a precise Chinese answer, nothing is stored, and the server
 * carries on serving everyone else.
 */
import { randomUUID } from 'node:crypto';
import type { TMessage } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginTaxpayer,
  makeTaxpayer,
  newClientId,
  startTestApp,
} from '../../test/harness.ts';
import type { RunningApp } from '../app.ts';
import { MAX_SOCKET_PAYLOAD_BYTES } from '../realtime/gateway.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const hasChinese = (s: unknown) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

describe('bad HTTP input', () => {
  it('answers malformed JSON with 400 BAD_REQUEST in Chinese', async () => {
    const res = await new HttpClient(app.url).post('/api/portal/login', '{"taxpayerNo": "9137', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'BAD_REQUEST', message: '请求内容不是有效的 JSON。' });
  });

  it('answers a body over 256 KB with 413', async () => {
    const res = await new HttpClient(app.url).post('/api/portal/login', {
      taxpayerNo: '913700000000000000',
      password: 'x'.repeat(300 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('PAYLOAD_TOO_LARGE');
    expect(hasChinese(res.json.message)).toBe(true);
  });

  it('names each missing or wrong field in Chinese', async () => {
    const missing = await new HttpClient(app.url).post('/api/staff/login', {});
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('VALIDATION_FAILED');
    expect(missing.json.fields).toEqual({ username: '缺少必填项', password: '缺少必填项' });
    expect(hasChinese(missing.json.message)).toBe(true);

    const short = await new HttpClient(app.url).post('/api/portal/login', { taxpayerNo: '123', password: '' });
    expect(short.status).toBe(400);
    expect(short.json.fields).toEqual({
      taxpayerNo: '请输入 15 至 20 位的统一社会信用代码或纳税人识别号',
      password: '请输入密码',
    });

    // a value of the wrong type was given, so it is not "missing"
    const wrongType = await new HttpClient(app.url).post('/api/staff/login', { username: 12345, password: 'x' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.fields.username).toBe('格式不正确');
  });

  it('answers an unknown id with 404 and a non-uuid id with 400', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const unknown = await chat.get(`/api/chat/conversations/${randomUUID()}/messages`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'NOT_FOUND', message: '会话不存在。' });
    expect((await chat.get(`/api/files/${randomUUID()}`)).status).toBe(404);

    const notUuid = await chat.get('/api/chat/conversations/1%27%20or%201=1--/messages');
    expect(notUuid.status).toBe(400);
    expect(notUuid.json).toMatchObject({ code: 'VALIDATION_FAILED', fields: { id: '编号格式不正确' } });
    expect((await chat.get('/api/files/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);

    const badQuery = await chat.get(`/api/chat/conversations/${randomUUID()}/messages?limit=100000`);
    expect(badQuery.status).toBe(400);
  });

  it('answers an unknown route with 404 in Chinese', async () => {
    const res = await new HttpClient(app.url).get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'NOT_FOUND', message: '要找的内容不存在或已被删除。' });
  });
});

describe('bad socket input', () => {
  it('refuses each bad message precisely, keeps only the good ones, and keeps serving', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const socket = connectSocket(chat);
    await connected(socket);
    const send = (body: string, s: ClientSocket = socket) =>
      emitAck(s, 'message:send', { conversationId: conv.id, clientId: newClientId(), body });

    const tooLong = await send('税'.repeat(5001));
    expect(tooLong.ok).toBe(false);
    expect(!tooLong.ok && tooLong.error).toMatchObject({
      code: 'MESSAGE_TOO_LONG',
      message: '消息不能超过 5000 字，请分段发送。',
    });

    const exactly = '票'.repeat(5000);
    const fits = await send(exactly);
    expect(fits.ok).toBe(true);

    const blank = await send(' \n\t\u3000 ');
    expect(blank.ok).toBe(false);
    expect(!blank.ok && blank.error.code).toBe('MESSAGE_EMPTY');
    expect(!blank.ok && blank.error.message).toContain('空白');

    const script = '<script>alert(1)</script><img src=x onerror="alert(2)"> & 发票';
    const scripted = await send(script);
    expect(scripted.ok && scripted.data.body).toBe(script);

    const unknown = await (
      socket.timeout(5000) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<any> }
    ).emitWithAck('conversation:delete', { conversationId: conv.id });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT', message: '不支持的操作。' } });

    const malformed = await emitAck(socket, 'message:send', {
      conversationId: 42,
      clientId: newClientId(),
      body: '看不见的消息',
    } as never);
    expect(malformed.ok).toBe(false);
    expect(!malformed.ok && malformed.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { conversationId: '会话编号格式不正确' },
    });
    const noPayload = await emitAck(socket, 'message:send', undefined as never);
    expect(!noPayload.ok && noPayload.error.code).toBe('VALIDATION_FAILED');
    const badClientId = await emitAck(socket, 'message:send', {
      conversationId: conv.id,
      clientId: 'x',
      body: '编号太短',
    });
    expect(!badClientId.ok && badClientId.error.fields).toEqual({ clientId: '消息编号格式不正确' });

    // a frame over the socket's limit (room for the largest call SDP, ~116 KB) just drops that connection
    const big = connectSocket(chat, { reconnection: false });
    await connected(big);
    const dropped = new Promise<string>((resolve) => big.once('disconnect', resolve));
    big.emit(
      'message:send',
      { conversationId: conv.id, clientId: newClientId(), body: 'x'.repeat(MAX_SOCKET_PAYLOAD_BYTES + 1024) },
      () => {},
    );
    await dropped;
    expect(big.connected).toBe(false);

    // the server and the well-behaved socket are unaffected
    expect((await new HttpClient(app.url).get('/healthz')).status).toBe(200);
    const after = await send('还在吗？');
    expect(after.ok).toBe(true);

    const history = await chat.get(`/api/chat/conversations/${conv.id}/messages?limit=100`);
    expect(history.json.messages.map((m: TMessage) => m.body)).toEqual([exactly, script, '还在吗？']);
    expect(history.json.messages.map((m: TMessage) => m.seq)).toEqual([1, 2, 3]);
    socket.close();
  });
});
