/**
 * Insecure direct object references over HTTP (OWASP API1 "broken object level authorization"): the class of
 * Chatwoot's advisories on reading other contacts' conversations and attachments by id, Rocket.Chat's livechat
 * visitor-token leaks of other visitors' rooms and messages, Zammad's ticket and attachment authorization bypasses,
 * and Mattermost's file-access-by-id advisories.
 *
 * Taxpayer B, logged in as themself, presents the ids of taxpayer A's things. Each attempt must be refused with the
 * product's Chinese error (404 where the id must not even be confirmed), and afterwards A, as the owner, finds
 * everything as it was.
 */
import { randomUUID } from 'node:crypto';
import type { TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { conversationRatings, conversations, portalUsers } from '../../src/db/schema.ts';
import {
  HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../harness.ts';
import {
  bookingForm,
  download,
  expectRefused,
  inquiryForm,
  makeAppointmentService,
  officeAgent,
  PNG,
  slotAt,
  upload,
} from './attack-fixtures.ts';

let app: RunningApp;

/** A's things, each made the way the widget and the workspace make them. */
let a: TaxpayerChat & { taxpayerId: string };
let b: { chat: HttpClient; portal: HttpClient; taxpayerId: string };
const SECRET = '我公司本月增值税进项税额为 123456.78 元';
const PHONE = '13812345678';
let messageId: string;
let attachment: { id: string; url: string };
let inquiry: { id: string; status: string; content: string };
let caseFileId: string;
let workOrder: { id: string; number: string };
let appointment: { id: string; startsAt: string };
let inboxItemId: string;
let favoriteId: string;
let officeClient: HttpClient;

beforeAll(async () => {
  // the seeded knowledge base gives A something to star (我的收藏)
  app = await startTestApp({ SEED_KB: 'true' });
  const chatA = await openTaxpayerChat(app);
  a = { ...chatA, taxpayerId: chatA.taxpayer.id };
  const sent = await a.send(SECRET);
  expect(sent.ok).toBe(true);
  messageId = sent.ok ? sent.data.id : '';

  const up = await upload(a.chat, `/api/chat/conversations/${a.conversationId}/attachments`, PNG, '发票.png');
  expect(up.status).toBe(200);
  attachment = up.json;

  const caseFile = await upload(a.chat, '/api/chat/inquiries/files', PNG, '发票截图.png');
  expect(caseFile.status).toBe(200);
  caseFileId = caseFile.json.id;
  const { client: agentClient } = await officeAgent(app, a.officeId);
  officeClient = agentClient;
  const left = await a.chat.post('/api/chat/inquiries', inquiryForm(a.officeId, { fileIds: [caseFileId] }));
  expect(left.status).toBe(200);
  inquiry = left.json;
  // a second 留言, converted into a 工单 by the office's agent
  const toConvert = await a.chat.post(
    '/api/chat/inquiries',
    inquiryForm(a.officeId, { type: 'complaint', content: '办税服务厅窗口排队时间过长，希望增加窗口。' }),
  );
  const converted = await agentClient.post(`/api/workspace/inquiries/${toConvert.json.id}/convert`, {
    type: 'complaint',
    title: '窗口排队时间过长',
    note: '需业务科室核实窗口配置',
  });
  expect(converted.status).toBe(200);
  workOrder = converted.json;

  const service = await makeAppointmentService(app, a.officeId);
  const booked = await a.chat.post('/api/chat/appointments', bookingForm(service.id, slotAt(3, '09:30')));
  expect(booked.status).toBe(200);
  appointment = booked.json;

  const [item] = await app.inbox.notify(
    { taxpayerId: a.taxpayerId },
    { kind: 'system', title: '申报期提醒', body: '本月征期截止日为 15 日。' },
  );
  inboxItemId = item?.id as string;

  const fav = await a.chat.post('/api/chat/favorites', { kind: 'entry', refId: 'KB-T01-001' });
  expect(fav.status).toBe(200);
  favoriteId = fav.json.id;

  // A's mobile number: the workspace shows it masked; only the serving agent (and supervisors) may reveal it
  const [convRow] = await app.db.select().from(conversations).where(eq(conversations.id, a.conversationId));
  await app.db
    .update(portalUsers)
    .set({ phone: PHONE })
    .where(eq(portalUsers.id, convRow?.portalUserId as string));
  const other = await makeTaxpayer(app);
  const login = await loginTaxpayer(app, other.taxpayer.taxpayerNo);
  b = { chat: login.chat, portal: login.portal, taxpayerId: other.taxpayer.id };
});

afterAll(async () => {
  a?.socket.close();
  await app?.close();
});

describe("taxpayer B presents taxpayer A's ids", () => {
  it("cannot read A's conversation, rate it, or upload into it", async () => {
    const read = await b.chat.get(`/api/chat/conversations/${a.conversationId}/messages`);
    expectRefused(read, 404, 'NOT_FOUND');
    expect(read.json.message).toBe('会话不存在。');
    expect(read.text).not.toContain(SECRET);

    const older = await b.chat.get(`/api/chat/conversations/${a.conversationId}/messages?beforeSeq=100&limit=50`);
    expectRefused(older, 404, 'NOT_FOUND');

    const rate = await b.chat.post(`/api/chat/conversations/${a.conversationId}/rating`, {
      score: 1,
      comment: '差评',
    });
    expectRefused(rate, 404, 'NOT_FOUND');

    const planted = await upload(b.chat, `/api/chat/conversations/${a.conversationId}/attachments`, PNG, 'b.png');
    expectRefused(planted, 404, 'NOT_FOUND');

    // B's own current conversation is a different one and holds nothing of A's
    const own = await b.chat.get('/api/chat/conversation');
    expect(own.json.conversation.id).not.toBe(a.conversationId);
    expect(own.text).not.toContain(SECRET);

    // A, the owner: the same one message and one attachment, no rating
    const history = await a.chat.get(`/api/chat/conversations/${a.conversationId}/messages?limit=100`);
    expect(history.json.messages.map((m: TMessage) => [m.senderType, m.body])).toEqual([['taxpayer', SECRET]]);
    const ratings = await app.db
      .select()
      .from(conversationRatings)
      .where(eq(conversationRatings.conversationId, a.conversationId));
    expect(ratings).toEqual([]);
  });

  it("cannot download A's chat attachment or 留言 file", async () => {
    const stolen = await download(b.chat, `/api/files/${attachment.id}`);
    expect(stolen.status).toBe(404);
    expect(stolen.bytes.toString('utf8')).toContain('NOT_FOUND');
    expect(stolen.bytes.includes(PNG.subarray(0, 8))).toBe(false);

    const caseFile = await download(b.chat, `/api/chat/case-files/${caseFileId}`);
    expect(caseFile.status).toBe(404);
    expect(caseFile.bytes.includes(PNG.subarray(0, 8))).toBe(false);

    // a chat attachment is not a 留言 file and the other way round: no id works on the other route either
    expect((await download(b.chat, `/api/chat/case-files/${attachment.id}`)).status).toBe(404);
    expect((await download(b.chat, `/api/files/${caseFileId}`)).status).toBe(404);

    // nor does anybody without a chat or staff session, A's portal cookie included
    expectRefused(await new HttpClient(app.url).get(`/api/files/${attachment.id}`), 401, 'UNAUTHENTICATED');
    expectRefused(await a.portal.get(`/api/files/${attachment.id}`), 401, 'UNAUTHENTICATED');
    expectRefused(await new HttpClient(app.url).get(`/api/chat/case-files/${caseFileId}`), 401, 'UNAUTHENTICATED');

    // the owner still gets both
    expect((await download(a.chat, `/api/files/${attachment.id}`)).status).toBe(200);
    expect((await download(a.chat, `/api/chat/case-files/${caseFileId}`)).status).toBe(200);
  });

  it("cannot read A's 留言 or see it listed", async () => {
    const read = await b.chat.get(`/api/chat/inquiries/${inquiry.id}`);
    expectRefused(read, 404, 'NOT_FOUND');
    expect(read.text).not.toContain(inquiry.content);
    const list = await b.chat.get('/api/chat/inquiries');
    expect(list.status).toBe(200);
    expect(list.json.inquiries).toEqual([]);

    const own = await a.chat.get(`/api/chat/inquiries/${inquiry.id}`);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ id: inquiry.id, status: inquiry.status, content: inquiry.content });
  });

  it("cannot follow A's 工单", async () => {
    const read = await b.chat.get(`/api/chat/work-orders/${workOrder.id}`);
    expectRefused(read, 404, 'NOT_FOUND');
    expect(read.text).not.toContain(workOrder.number);
    const own = await a.chat.get(`/api/chat/work-orders/${workOrder.id}`);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ id: workOrder.id, number: workOrder.number, status: 'pending' });
  });

  it("cannot see, cancel, reschedule or check in to A's booking", async () => {
    expect((await b.chat.get('/api/chat/appointments')).json.appointments).toEqual([]);
    expectRefused(await b.chat.post(`/api/chat/appointments/${appointment.id}/cancel`), 404, 'NOT_FOUND');
    expectRefused(
      await b.chat.post(`/api/chat/appointments/${appointment.id}/reschedule`, { startsAt: slotAt(4, '10:00') }),
      404,
      'NOT_FOUND',
    );
    expectRefused(await b.chat.post(`/api/chat/appointments/${appointment.id}/attend`), 404, 'NOT_FOUND');

    const mine = (await a.chat.get('/api/chat/appointments')).json.appointments;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: appointment.id, status: 'booked', startsAt: appointment.startsAt });
  });

  it("cannot read or mark read A's 我的消息 item", async () => {
    expectRefused(await b.chat.post(`/api/chat/inbox/${inboxItemId}/read`), 404, 'NOT_FOUND');
    // "mark all read" is B's own: it touches none of A's items
    expect((await b.chat.post('/api/chat/inbox/read-all')).json).toEqual({ unread: 0 });
    const list = await b.chat.get('/api/chat/inbox?limit=50');
    expect(list.json.items.map((i: { id: string }) => i.id)).not.toContain(inboxItemId);

    const own = await a.chat.get('/api/chat/inbox?limit=50');
    const item = own.json.items.find((i: { id: string }) => i.id === inboxItemId);
    expect(item).toMatchObject({ title: '申报期提醒', readAt: null });
    expect(own.json.unread).toBeGreaterThanOrEqual(1);
  });

  it("cannot remove A's favourite", async () => {
    expectRefused(await b.chat.request('DELETE', `/api/chat/favorites/${favoriteId}`), 404, 'NOT_FOUND');
    expect((await b.chat.get('/api/chat/favorites')).json.favorites).toEqual([]);
    const own = (await a.chat.get('/api/chat/favorites')).json.favorites;
    expect(own.map((f: { id: string }) => f.id)).toEqual([favoriteId]);
  });

  it("cannot switch its portal session to A's enterprise", async () => {
    const before = await b.portal.get('/api/portal/me');
    expect(before.status).toBe(200);
    const res = await b.portal.post('/api/portal/switch', { taxpayerId: a.taxpayerId });
    expectRefused(res, 403, 'FORBIDDEN');
    const after = await b.portal.get('/api/portal/me');
    expect(after.json).toEqual(before.json);
    // and the chat token it gets afterwards is still B's: a chat opened with it holds none of A's conversation
    const sso = await b.portal.post('/api/portal/chat-token');
    const chat = new HttpClient(app.url);
    chat.bearer = (await chat.post('/api/chat/session', { token: sso.json.token })).json.accessToken;
    const conv = await chat.get('/api/chat/conversation');
    expect(conv.status).toBe(200);
    expect(conv.json.conversation.id).not.toBe(a.conversationId);
    expect(conv.text).not.toContain(SECRET);
  });

  it("cannot ask for a human, leave the queue, start a 问答套餐 or rate an answer in A's conversation", async () => {
    const ref = { conversationId: a.conversationId };
    expectRefused(await b.chat.post('/api/chat/handoff', ref), 404, 'NOT_FOUND');
    expectRefused(await b.chat.post('/api/chat/queue/leave', ref), 404, 'NOT_FOUND');
    expectRefused(
      await b.chat.post('/api/chat/qa-packages/T01/start', { ...ref, clientId: randomUUID() }),
      404,
      'NOT_FOUND',
    );
    expectRefused(await b.chat.post(`/api/chat/messages/${messageId}/feedback`, { helpful: false }), 404, 'NOT_FOUND');

    // A's conversation: no handoff requested, not queued, nothing posted into it
    const [row] = await app.db.select().from(conversations).where(eq(conversations.id, a.conversationId));
    expect(row).toMatchObject({ status: 'open', handoffRequestedAt: null, queueGroupId: null, assigneeStaffId: null });
    const history = await a.chat.get(`/api/chat/conversations/${a.conversationId}/messages?limit=100`);
    expect(history.json.messages.map((m: TMessage) => m.body)).toEqual([SECRET]);
  });

  it("cannot hang its own 留言 or booking on A's conversation or A's uploads", async () => {
    // A uploads a file for a form not yet sent: unbound, A's alone
    const pending = await upload(a.chat, '/api/chat/appointments/files', PNG, '营业执照.png');
    expect(pending.status).toBe(200);
    const onA = await b.chat.post('/api/chat/inquiries', inquiryForm(a.officeId, { conversationId: a.conversationId }));
    expectRefused(onA, 404, 'NOT_FOUND');
    const withA = await b.chat.post('/api/chat/inquiries', inquiryForm(a.officeId, { fileIds: [pending.json.id] }));
    expect(withA.status).toBeGreaterThanOrEqual(400);
    expect(withA.status).toBeLessThan(500);
    const service = await makeAppointmentService(app, a.officeId);
    const booking = await b.chat.post(
      '/api/chat/appointments',
      bookingForm(service.id, slotAt(2, '10:00'), { fileIds: [pending.json.id] }),
    );
    expect(booking.status).toBeGreaterThanOrEqual(400);
    expect(booking.status).toBeLessThan(500);
    expect((await b.chat.get('/api/chat/inquiries')).json.inquiries).toEqual([]);
    expect((await b.chat.get('/api/chat/appointments')).json.appointments).toEqual([]);
    expect((await download(b.chat, `/api/chat/case-files/${pending.json.id}`)).status).toBe(404);
    // still A's to use
    expect((await download(a.chat, `/api/chat/case-files/${pending.json.id}`)).status).toBe(200);
  });

  it("an agent who does not serve A's conversation sees the number masked and cannot reveal it", async () => {
    const { client } = await officeAgent(app, a.officeId);
    const card = await client.get(`/api/workspace/conversations/${a.conversationId}/card`);
    expect(card.status).toBe(200);
    expect(card.json.phone).toBe('138****5678');
    expect(card.text).not.toContain(PHONE);
    const reveal = await client.post(`/api/workspace/conversations/${a.conversationId}/reveal-phone`);
    expectRefused(reveal, 403, 'FORBIDDEN');
    expect(reveal.text).not.toContain(PHONE);
  });

  it("an agent of another office cannot open A's 留言, its file or its 工单", async () => {
    const outsider = (await loginStaff(app, (await makeStaff(app)).username)).client;
    const file = await outsider.get(`/api/workspace/case-files/${caseFileId}`);
    expectRefused(file, 404, 'NOT_FOUND');
    expect(file.text).not.toContain('PNG');
    expect((await outsider.get('/api/workspace/inquiries?scope=office')).json.inquiries).toEqual([]);
    expectRefused(
      await outsider.post(`/api/workspace/inquiries/${inquiry.id}/reply`, { reply: '已处理' }),
      403,
      'FORBIDDEN',
    );
    expectRefused(await outsider.get(`/api/workspace/work-orders/${workOrder.id}`), 403, 'FORBIDDEN');
    expectRefused(
      await outsider.post(`/api/workspace/work-orders/${workOrder.id}/actions`, { action: 'accept', version: 1 }),
      403,
      'FORBIDDEN',
    );
    // the receiving office's own agent gets the same file
    expect((await officeClient.get(`/api/workspace/case-files/${caseFileId}`)).status).toBe(200);
    // A sees both unchanged
    expect((await a.chat.get(`/api/chat/inquiries/${inquiry.id}`)).json).toMatchObject({
      status: 'pending',
      reply: null,
    });
    expect((await a.chat.get(`/api/chat/work-orders/${workOrder.id}`)).json.status).toBe('pending');
  });

  it('gets the same answer for an id that exists and one that does not (ids cannot be probed)', async () => {
    const unknown = randomUUID();
    const pairs: [string, string][] = [
      [`/api/chat/conversations/${a.conversationId}/messages`, `/api/chat/conversations/${unknown}/messages`],
      [`/api/chat/inquiries/${inquiry.id}`, `/api/chat/inquiries/${unknown}`],
      [`/api/chat/work-orders/${workOrder.id}`, `/api/chat/work-orders/${unknown}`],
      [`/api/files/${attachment.id}`, `/api/files/${unknown}`],
    ];
    for (const [real, fake] of pairs) {
      const [x, y] = [await b.chat.get(real), await b.chat.get(fake)];
      expect([x.status, x.json]).toEqual([y.status, y.json]);
    }
  });
});
