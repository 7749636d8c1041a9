/**
 * Per-record authorization: one taxpayer can never reach another's conversation, messages or files, whatever id they
 * try; the sender of a message is who is logged in, never what the payload claims; uploads are checked by content.
 */
import type { TMessage } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  newClientId,
  startTestApp,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function taxpayer() {
  const { taxpayer: t, user } = await makeTaxpayer(app);
  const login = await loginTaxpayer(app, t.taxpayerNo);
  const conv = (await login.chat.get('/api/chat/conversation')).json.conversation as { id: string };
  return { ...login, taxpayer: t, user, conv };
}

function upload(client: HttpClient, url: string, bytes: Uint8Array, fileName: string, type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), fileName);
  return client.request('POST', url, form);
}

/** Raw download, to look at the bytes and headers. */
async function download(client: HttpClient, url: string, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (client.bearer) h.authorization = `Bearer ${client.bearer}`;
  const res = await fetch(client.base + url, { headers: h });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("one taxpayer cannot reach another's conversation", () => {
  it('cannot read, send into, sync or download from it', async () => {
    const a = await taxpayer();
    const b = await taxpayer();
    const secret = '我公司本月增值税进项税额为 123456.78 元';
    const aSocket = connectSocket(a.chat);
    const bSocket = connectSocket(b.chat);
    await Promise.all([connected(aSocket), connected(bSocket)]);
    const sent = await emitAck(aSocket, 'message:send', {
      conversationId: a.conv.id,
      clientId: newClientId(),
      body: secret,
    });
    expect(sent.ok).toBe(true);
    const uploaded = await upload(a.chat, `/api/chat/conversations/${a.conv.id}/attachments`, PNG, '发票.png');
    expect(uploaded.status).toBe(200);
    const fileId = uploaded.json.id as string;

    // read A's messages by id over HTTP
    const read = await b.chat.get(`/api/chat/conversations/${a.conv.id}/messages`);
    expect(read.status).toBe(404);
    expect(read.json.code).toBe('NOT_FOUND');
    expect(read.text).not.toContain(secret);

    // send into A's conversation over the socket
    const intruding = await emitAck(bSocket, 'message:send', {
      conversationId: a.conv.id,
      clientId: newClientId(),
      body: '我是 B，混进来了',
    });
    expect(intruding.ok).toBe(false);
    expect(!intruding.ok && intruding.error.code).toBe('NOT_FOUND');

    // resync A's conversation
    const sync = await emitAck(bSocket, 'conversation:sync', {
      conversations: [{ conversationId: a.conv.id, lastSeq: 0 }],
    });
    expect(sync.ok && sync.data.messages).toEqual([]);

    // typing into it
    const typing = await emitAck(bSocket, 'typing:set', { conversationId: a.conv.id, typing: true });
    expect(!typing.ok && typing.error.code).toBe('NOT_FOUND');

    // download A's file
    const stolen = await download(b.chat, `/api/files/${fileId}`);
    expect(stolen.status).toBe(404);
    expect(stolen.bytes.includes(PNG)).toBe(false);

    // attach A's file to B's own message
    const borrowed = await emitAck(bSocket, 'message:send', {
      conversationId: b.conv.id,
      clientId: newClientId(),
      body: '看看这个',
      attachmentIds: [fileId],
    });
    expect(!borrowed.ok && borrowed.error.code).toBe('NOT_FOUND');

    // A's history holds exactly A's message
    const history = await a.chat.get('/api/chat/conversation');
    expect(history.json.page.messages.map((m: TMessage) => [m.senderType, m.body])).toEqual([['taxpayer', secret]]);
    // and B's own conversation holds nothing of this
    expect((await b.chat.get('/api/chat/conversation')).json.page.messages).toEqual([]);
    aSocket.close();
    bSocket.close();
  });

  it('lets the owner and staff download the file, with its type and a safe download name', async () => {
    const a = await taxpayer();
    const uploaded = await upload(
      a.chat,
      `/api/chat/conversations/${a.conv.id}/attachments`,
      PNG,
      '发票 2026年1月.png',
    );
    expect(uploaded.status).toBe(200);
    expect(uploaded.json).toMatchObject({ fileName: '发票 2026年1月.png', mime: 'image/png' });

    const own = await download(a.chat, uploaded.json.url);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('发票 2026年1月.png')}`,
    );
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    // images are re-encoded on upload: the same picture, not necessarily the same bytes
    expect(own.bytes.length).toBe(uploaded.json.size);
    expect(own.bytes.subarray(0, 8).equals(PNG.subarray(0, 8))).toBe(true);

    const s = await makeStaff(app);
    const agent = await loginStaff(app, s.username);
    const cookie = (await agent.client.get('/api/staff/me')).status === 200;
    expect(cookie).toBe(true);
    const byStaff = await agent.client.get(uploaded.json.url);
    expect(byStaff.status).toBe(200);
    expect(byStaff.headers.get('content-type')).toBe('image/png');

    // nobody else
    expect((await download(new HttpClient(app.url), uploaded.json.url)).status).toBe(401);
  });

  it('keeps taxpayers out of the workspace', async () => {
    const a = await taxpayer();
    const list = await a.chat.get('/api/workspace/conversations');
    expect(list.status).toBe(401);
    expect(list.json.code).toBe('UNAUTHENTICATED');
    expect((await a.chat.get(`/api/workspace/conversations/${a.conv.id}/messages`)).status).toBe(401);
    const anonymous = await new HttpClient(app.url).get('/api/workspace/conversations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.message).toBe('登录已失效，请重新登录。');
    // the portal cookie does not open it either
    expect((await a.portal.get('/api/workspace/conversations')).status).toBe(401);
  });
});

describe('who sent a message', () => {
  it('is the logged-in person, whatever the payload claims', async () => {
    const a = await taxpayer();
    const s = await makeStaff(app);
    const agent = await loginStaff(app, s.username);
    const tpSocket = connectSocket(a.chat);
    const agentSocket = connectSocket(agent.client);
    await Promise.all([connected(tpSocket), connected(agentSocket)]);

    const forged = await emitAck(tpSocket, 'message:send', {
      conversationId: a.conv.id,
      clientId: newClientId(),
      body: '我已经帮您办好了',
      senderType: 'agent',
      senderName: '坐席',
      senderId: s.id,
    } as never);
    expect(forged.ok).toBe(true);
    expect(forged.ok && forged.data).toMatchObject({
      senderType: 'taxpayer',
      senderName: '测试办税员',
      senderId: a.user.id,
    });

    const claimed = await emitAck(agentSocket, 'message:send', {
      conversationId: a.conv.id,
      clientId: newClientId(),
      body: '这是纳税人自己说的',
      senderType: 'taxpayer',
      senderName: '测试办税员',
    } as never);
    expect(claimed.ok && claimed.data).toMatchObject({
      senderType: 'agent',
      senderName: agent.me.name,
      senderId: s.id,
    });

    const history = await a.chat.get('/api/chat/conversation');
    expect(history.json.page.messages.map((m: TMessage) => [m.senderType, m.senderName, m.body])).toEqual([
      ['taxpayer', '测试办税员', '我已经帮您办好了'],
      ['agent', agent.me.name, '这是纳税人自己说的'],
    ]);
    tpSocket.close();
    agentSocket.close();
  });
});

describe('uploads', () => {
  it('refuses a text file renamed .png', async () => {
    const a = await taxpayer();
    const res = await upload(
      a.chat,
      `/api/chat/conversations/${a.conv.id}/attachments`,
      new TextEncoder().encode('这不是图片，只是一段文字。\n'),
      '截图.png',
    );
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(res.json.message).toContain('不支持该文件类型');
  });

  it('refuses an HTML page disguised as an image', async () => {
    const a = await taxpayer();
    const res = await upload(
      a.chat,
      `/api/chat/conversations/${a.conv.id}/attachments`,
      new TextEncoder().encode('<html><script>alert(document.cookie)</script></html>'),
      'a.png',
    );
    expect(res.status).toBe(415);
  });

  it('cleans a file name carrying a path and markup', async () => {
    const a = await taxpayer();
    const res = await upload(
      a.chat,
      `/api/chat/conversations/${a.conv.id}/attachments`,
      PNG,
      '../../etc/<script>alert(1)</script>.png',
    );
    expect(res.status).toBe(200);
    const name = res.json.fileName as string;
    expect(name).not.toContain('/');
    expect(name).not.toContain('\\');
    expect(name).not.toContain('<');
    expect(name).not.toContain('>');
    expect(name.endsWith('.png')).toBe(true);
    const got = await download(a.chat, res.json.url);
    expect(got.headers.get('content-disposition')).not.toMatch(/[<>]/);
  });

  it('refuses an upload into a conversation that is not yours', async () => {
    const a = await taxpayer();
    const b = await taxpayer();
    const res = await upload(b.chat, `/api/chat/conversations/${a.conv.id}/attachments`, PNG, 'x.png');
    expect(res.status).toBe(404);
  });
});
