/**
 * 留言 end to end: the taxpayer's form (validation in Chinese, idempotent submit, files with the chat's rules), the
 * to-do that reaches the receiving office's agent, the reply in 我的消息, the chat and the SMS outbox — and who may
 * see what.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  type HttpClient,
  loginStaff,
  loginTaxpayer,
  makeGroup,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { inquiries, portalUsers, staff } from '../../db/schema.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** An agent in a skill group of this office (the office's 留言 reach them). */
async function officeAgent(officeId: string) {
  const agent = await makeStaff(app);
  await app.db.update(staff).set({ taxOfficeId: officeId }).where(eq(staff.id, agent.id));
  await makeGroup(app, { taxOfficeId: officeId, agents: [agent.id] });
  const { client } = await loginStaff(app, agent.username);
  return { agent, client };
}

const form = (officeId: string, extra: Record<string, unknown> = {}) => ({
  clientKey: randomUUID(),
  taxOfficeId: officeId,
  type: 'invoice',
  content: '我公司上月开具的增值税专用发票需要红冲，请问如何操作？',
  remind: true,
  receiveBy: 'both',
  ...extra,
});

async function uploadPng(chat: HttpClient) {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(png)]), '发票截图.png');
  return chat.request('POST', '/api/chat/inquiries/files', body);
}

describe('留言 (taxpayer)', () => {
  it('offers the form prefilled, takes a double submit once, ignores server-owned fields and keeps text as text', async () => {
    const { taxpayer, office, user } = await makeTaxpayer(app);
    await app.db.update(portalUsers).set({ phone: '13812345678' }).where(eq(portalUsers.id, user.id));
    const { client: agentClient, agent } = await officeAgent(office.id);
    const agentSocket = connectSocket(agentClient);
    await connected(agentSocket);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);

    const options = (await chat.get('/api/chat/inquiries/options')).json;
    expect(options.defaultOfficeId).toBe(office.id);
    expect(options.maskedPhone).toBe('138****5678');
    expect(options.types.map((t: { name: string }) => t.name)).toContain('发票问题');
    expect(options.offices.some((o: { id: string }) => o.id === office.id)).toBe(true);

    const assigned = nextEvent(agentSocket, 'case:assigned');
    const body = form(office.id, {
      content: '<script>alert(1)</script> 发票红冲怎么办？',
      status: 'replied',
      assigneeStaffId: randomUUID(),
      dueAt: '2000-01-01T00:00:00.000Z',
    });
    const [a, b] = await Promise.all([chat.post('/api/chat/inquiries', body), chat.post('/api/chat/inquiries', body)]);
    expect(a.status).toBe(200);
    expect(b.json.id).toBe(a.json.id);
    expect(a.json).toMatchObject({
      status: 'pending',
      content: '<script>alert(1)</script> 发票红冲怎么办？',
      maskedPhone: '138****5678',
      typeName: '发票问题',
      taxOfficeName: office.name,
    });
    expect(new Date(a.json.dueAt).getTime()).toBeGreaterThan(Date.now());
    expect(a.text).not.toContain('13812345678');
    const rows = await app.db.select().from(inquiries).where(eq(inquiries.taxpayerId, taxpayer.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.assigneeStaffId).toBe(agent.id);
    expect((await assigned).id).toBe(a.json.id);

    const again = await chat.post('/api/chat/inquiries', body);
    expect(again.json.id).toBe(a.json.id);
    const list = (await chat.get('/api/chat/inquiries')).json.inquiries;
    expect(list.map((i: { id: string }) => i.id)).toEqual([a.json.id]);
    agentSocket.close();
  });

  it('says in Chinese what is wrong: phone, length, type, office', async () => {
    const { taxpayer, office } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const badPhone = await chat.post('/api/chat/inquiries', form(office.id, { phone: '12345' }));
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.fields.phone).toBe('请输入正确的 11 位手机号码');
    expect(badPhone.json.message).toContain('手机号码');

    const tooLong = await chat.post('/api/chat/inquiries', form(office.id, { content: '发'.repeat(501) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.message).toContain('最多 500 个字');

    const badType = await chat.post('/api/chat/inquiries', form(office.id, { type: 'nope' }));
    expect(badType.status).toBe(400);
    expect(badType.json.message).toContain('留言类型');
    const badOffice = await chat.post('/api/chat/inquiries', form('NO-SUCH-OFFICE'));
    expect(badOffice.status).toBe(400);
    expect(badOffice.json.message).toContain('留言机构');
    expect((await chat.get('/api/chat/inquiries')).json.inquiries).toHaveLength(0);
  });

  it("keeps one enterprise's 留言 and files from another, and refuses to bind someone else's upload", async () => {
    const mine = await makeTaxpayer(app);
    const other = await makeTaxpayer(app);
    const me = (await loginTaxpayer(app, mine.taxpayer.taxpayerNo)).chat;
    const them = (await loginTaxpayer(app, other.taxpayer.taxpayerNo)).chat;

    const file = await uploadPng(me);
    expect(file.status).toBe(200);
    const theirFile = await uploadPng(them);
    const stolen = await me.post('/api/chat/inquiries', form(mine.office.id, { fileIds: [theirFile.json.id] }));
    expect(stolen.status).toBe(400);
    expect(stolen.json.message).toContain('附件');
    expect((await me.get('/api/chat/inquiries')).json.inquiries).toHaveLength(0);

    const created = await me.post('/api/chat/inquiries', form(mine.office.id, { fileIds: [file.json.id] }));
    expect(created.json.files).toEqual([expect.objectContaining({ id: file.json.id, mime: 'image/png' })]);
    expect((await me.get(`/api/chat/case-files/${file.json.id}`)).status).toBe(200);

    expect((await them.get(`/api/chat/inquiries/${created.json.id}`)).status).toBe(404);
    expect((await them.get('/api/chat/inquiries')).json.inquiries).toHaveLength(0);
    expect((await them.get(`/api/chat/case-files/${file.json.id}`)).status).toBe(404);
    // a file already bound cannot be bound again, even by its uploader
    const reuse = await me.post('/api/chat/inquiries', form(mine.office.id, { fileIds: [file.json.id] }));
    expect(reuse.status).toBe(400);
  });
});

describe('留言 (staff)', () => {
  it('lets only the receiving office act; the reply reaches 我的消息, the open chat and the SMS outbox, masked', async () => {
    const tp = await openTaxpayerChat(app);
    const { client: agentClient } = await officeAgent(tp.officeId);
    const outsider = await makeStaff(app);
    const outsiderClient = (await loginStaff(app, outsider.username)).client;

    const created = await tp.chat.post(
      '/api/chat/inquiries',
      form(tp.officeId, { phone: '13900001111', conversationId: tp.conversationId }),
    );
    const id = created.json.id as string;

    const mine = (await agentClient.get('/api/workspace/inquiries?scope=mine')).json.inquiries;
    expect(mine.map((i: { id: string }) => i.id)).toContain(id);
    expect(mine[0]).toMatchObject({ taxpayerNo: tp.taxpayer.taxpayerNo, maskedPhone: '139****1111', overdue: false });
    expect((await outsiderClient.get('/api/workspace/inquiries?scope=office')).json.inquiries).toHaveLength(0);
    const denied = await outsiderClient.post(`/api/workspace/inquiries/${id}/reply`, { reply: '我来回复' });
    expect(denied.status).toBe(403);

    const inChat = nextEvent(tp.socket, 'message:new', (m) => m.payload?.kind === 'inquiry_reply');
    const inInbox = nextEvent(tp.socket, 'inbox:new');
    const reply = await agentClient.post(`/api/workspace/inquiries/${id}/reply`, {
      reply: '您好，请在电子税务局“发票业务—红字发票开具”中操作。',
    });
    expect(reply.status).toBe(200);
    expect(reply.json.status).toBe('replied');
    expect((await inChat).body).toContain('红字发票开具');
    expect((await inInbox).item).toMatchObject({ kind: 'inquiry_reply' });
    const seen = (await tp.chat.get(`/api/chat/inquiries/${id}`)).json;
    expect(seen).toMatchObject({ status: 'replied', reply: '您好，请在电子税务局“发票业务—红字发票开具”中操作。' });

    const twice = await agentClient.post(`/api/workspace/inquiries/${id}/reply`, { reply: '再答一次' });
    expect(twice.status).toBe(409);

    const admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
    const outbox = await admin.get('/api/admin/sms/outbox');
    const sms = outbox.json.messages.find(
      (m: { template: string; maskedPhone: string }) => m.maskedPhone === '139****1111',
    );
    expect(sms).toMatchObject({ template: 'inquiry_reply', driver: 'outbox', status: 'stored' });
    expect(sms.content).toContain('红字发票开具');
    expect(outbox.text).not.toContain('13900001111');
    expect((await agentClient.get('/api/admin/sms/outbox')).status).toBe(403);
    tp.socket.close();
  });
});

describe('留言 settings', () => {
  it('are configured by an administrator, with a version check, and the form follows them', async () => {
    const admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
    const current = (await admin.get('/api/admin/settings/cases')).json;
    expect(current.value.workOrderTypes).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: '咨询类', limitDays: 3 })]),
    );
    expect(current.value.inquirySlaDays).toBe(1);
    const value = {
      ...current.value,
      contentMaxLength: 60,
      inquiryTypes: [...current.value.inquiryTypes, { id: 'social', name: '社保费问题' }],
    };
    const saved = await admin.request('PUT', '/api/admin/settings/cases', { value, version: current.version });
    expect(saved.status).toBe(200);
    const stale = await admin.request('PUT', '/api/admin/settings/cases', { value, version: current.version });
    expect(stale.status).toBe(409);

    const { taxpayer, office } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const options = (await chat.get('/api/chat/inquiries/options')).json;
    expect(options.contentMaxLength).toBe(60);
    const ok = await chat.post('/api/chat/inquiries', form(office.id, { type: 'social', content: '社保费如何缴纳？' }));
    expect(ok.json.typeName).toBe('社保费问题');
    const long = await chat.post('/api/chat/inquiries', form(office.id, { content: '问'.repeat(61) }));
    expect(long.status).toBe(400);
    // put the defaults back for the other tests
    await admin.request('PUT', '/api/admin/settings/cases', { value: current.value, version: saved.json.version });
  });
});
