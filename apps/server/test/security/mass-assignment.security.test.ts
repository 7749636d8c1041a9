/**
 * Mass assignment (OWASP API6, CWE-915): the class of Chatwoot's advisories where a contact or agent set attributes
 * the form never offered (role, account, sender), Rocket.Chat's livechat visitor fields and `u`/`ts` overrides on
 * sent messages, and Zammad's and Mattermost's privilege changes through profile and password updates.
 *
 * Each request carries, besides its real fields, the server-owned ones an attacker would want (who sent it, whose
 * it is, its state, who handles it, a role). Each must be ignored (or the request refused), and the stored record
 * — read back from the database and as its owner — shows no trace of them.
 */
import { randomUUID } from 'node:crypto';
import type { TMessage } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { appointments, conversations, inquiries, messages, staff } from '../../src/db/schema.ts';
import {
  emitAck,
  HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  newClientId,
  openTaxpayerChat,
  startTestApp,
  TEST_PASSWORD,
} from '../harness.ts';
import {
  bookingForm,
  expectRefused,
  inquiryForm,
  makeAppointmentService,
  officeAgent,
  slotAt,
  staffWithSocket,
} from './attack-fixtures.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const LONG_AGO = '2000-01-01T00:00:00.000Z';

describe('message:send', () => {
  it("a taxpayer's message keeps the server's sender, sequence, time and visibility", async () => {
    const tp = await openTaxpayerChat(app);
    const agent = await makeStaff(app);
    const forgedId = randomUUID();
    const sent = await emitAck(tp.socket, 'message:send', {
      conversationId: tp.conversationId,
      clientId: newClientId(),
      body: '我已经帮您办好了退税',
      id: forgedId,
      seq: 999,
      senderType: 'agent',
      senderId: agent.id,
      senderName: agent.name,
      staffId: agent.id,
      role: 'admin',
      status: 'closed',
      createdAt: LONG_AGO,
      payload: { kind: 'inquiry_reply' },
    } as never);
    expect(sent.ok).toBe(true);
    const m = (sent.ok ? sent.data : undefined) as TMessage;
    const [owner] = await app.db.select().from(conversations).where(eq(conversations.id, tp.conversationId));
    expect(m).toMatchObject({ senderType: 'taxpayer', senderId: owner?.portalUserId, seq: 1 });
    expect(m.id).not.toBe(forgedId);
    expect(m.senderId).not.toBe(agent.id);
    expect(m.senderName).not.toBe(agent.name);
    expect(m.payload ?? null).toBeNull();
    expect(new Date(m.createdAt).getFullYear()).toBeGreaterThan(2020);

    // a taxpayer cannot make a staff-only note
    const note = await emitAck(tp.socket, 'message:send', {
      conversationId: tp.conversationId,
      clientId: newClientId(),
      body: '悄悄话',
      private: true,
    });
    expect(note.ok).toBe(false);
    expect(!note.ok && note.error).toMatchObject({ code: 'FORBIDDEN', message: '只有坐席可以添加内部备注。' });

    const rows = await app.db.select().from(messages).where(eq(messages.conversationId, tp.conversationId));
    expect(rows.map((r) => [r.seq, r.senderType, r.senderId, r.private, r.body])).toEqual([
      [1, 'taxpayer', m.senderId, false, '我已经帮您办好了退税'],
    ]);
    const [conv] = await app.db.select().from(conversations).where(eq(conversations.id, tp.conversationId));
    expect(conv?.status).toBe('open');
    tp.socket.close();
  });
});

describe('留言 and 预约', () => {
  it('a 留言 stays pending, the submitter’s, routed by the server, whatever the form claims', async () => {
    const { taxpayer, office } = await makeTaxpayer(app);
    const victim = await makeTaxpayer(app);
    const { agent } = await officeAgent(app, office.id);
    const stranger = await makeStaff(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);

    const res = await chat.post(
      '/api/chat/inquiries',
      inquiryForm(office.id, {
        taxpayerId: victim.taxpayer.id,
        portalUserId: victim.user.id,
        status: 'replied',
        reply: '已办结，无需处理',
        repliedBy: stranger.id,
        assigneeStaffId: stranger.id,
        staffId: stranger.id,
        groupId: 'g-none',
        workOrderId: randomUUID(),
        dueAt: LONG_AGO,
        createdAt: LONG_AGO,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'pending', reply: null });

    const [row] = await app.db.select().from(inquiries).where(eq(inquiries.id, res.json.id));
    expect(row).toMatchObject({
      taxpayerId: taxpayer.id,
      status: 'pending',
      reply: null,
      repliedBy: null,
      workOrderId: null,
      assigneeStaffId: agent.id,
    });
    expect(row?.dueAt.getTime()).toBeGreaterThan(Date.now());
    expect(row?.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    // the victim's enterprise got nothing
    const theirs = (await loginTaxpayer(app, victim.taxpayer.taxpayerNo)).chat;
    expect((await theirs.get('/api/chat/inquiries')).json.inquiries).toEqual([]);
  });

  it('a booking is booked, the booker’s, unassigned, whatever the form claims', async () => {
    const { taxpayer, office } = await makeTaxpayer(app);
    const victim = await makeTaxpayer(app);
    const stranger = await makeStaff(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const service = await makeAppointmentService(app, office.id);

    const res = await chat.post(
      '/api/chat/appointments',
      bookingForm(service.id, slotAt(2, '10:00'), {
        taxpayerId: victim.taxpayer.id,
        portalUserId: victim.user.id,
        status: 'completed',
        staffId: stranger.id,
        number: 'YY20000101AAAAAA',
        attendedAt: LONG_AGO,
        startedMode: 'phone',
        endsAt: slotAt(9, '10:00'),
        capacity: 99,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'booked' });
    expect(res.json.number).not.toBe('YY20000101AAAAAA');

    const [row] = await app.db.select().from(appointments).where(eq(appointments.id, res.json.id));
    expect(row).toMatchObject({
      taxpayerId: taxpayer.id,
      status: 'booked',
      staffId: null,
      attendedAt: null,
      startedMode: null,
    });
    expect(row?.endsAt.getTime()).toBe(new Date(slotAt(2, '10:30')).getTime());
    const theirs = (await loginTaxpayer(app, victim.taxpayer.taxpayerNo)).chat;
    expect((await theirs.get('/api/chat/appointments')).json.appointments).toEqual([]);
    // the slot's capacity is the service's
    const days = (await chat.get(`/api/chat/appointments/services/${service.id}/slots`)).json.days;
    const slot = days
      .flatMap((d: { slots: { startsAt: string }[] }) => d.slots)
      .find((s: { startsAt: string }) => s.startsAt === slotAt(2, '10:00'));
    expect(slot).toMatchObject({ capacity: 2, booked: 1 });
  });
});

describe('staff account changes', () => {
  it("changing one's password changes nothing else: not the role, not another account", async () => {
    const s = await makeStaff(app);
    const admin = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, s.username);
    const NEW_PASSWORD = 'Zhengna-2026-new';

    const res = await client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      role: 'admin',
      staffId: admin.id,
      id: admin.id,
      username: admin.username,
      taxOfficeId: admin.taxOfficeId,
      active: true,
      totpEnabled: false,
      mustChangePassword: false,
    });
    expect(res.status).toBe(200);

    const [me] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expect(me).toMatchObject({ role: 'agent', username: s.username, taxOfficeId: s.taxOfficeId });
    // the other account's password is untouched: its old password still works, the new one does not
    expect((await loginStaff(app, admin.username, TEST_PASSWORD)).me.role).toBe('admin');
    const intruder = await new HttpClient(app.url).post('/api/staff/login', {
      username: admin.username,
      password: NEW_PASSWORD,
    });
    expect(intruder.status).toBe(401);

    const again = (await loginStaff(app, s.username, NEW_PASSWORD)).client;
    expect((await again.get('/api/staff/me')).json.role).toBe('agent');
    expectRefused(await again.get('/api/admin/staff'), 403, 'FORBIDDEN');
  });

  it('setting presence sets presence only: not the role, the cap or the office', async () => {
    const s = await staffWithSocket(app);
    const [before] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    const res = await s.client.post('/api/workspace/presence', {
      presence: 'busy',
      role: 'supervisor',
      maxConcurrent: 999,
      taxOfficeId: 'OTHER',
      staffId: randomUUID(),
      active: false,
    });
    expect(res.status).toBe(200);
    const [after] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expect(after).toMatchObject({
      presence: 'busy',
      role: 'agent',
      maxConcurrent: before?.maxConcurrent,
      taxOfficeId: before?.taxOfficeId,
      active: true,
    });
    expectRefused(await s.client.get('/api/workspace/board'), 403, 'FORBIDDEN');
    s.socket.close();
  });

  it('a supervisor setting a cap sets the cap only, and cannot make themself an administrator', async () => {
    const sup = await makeStaff(app, 'supervisor');
    const { client } = await loginStaff(app, sup.username);
    const res = await client.request('PUT', `/api/admin/staff/${sup.id}/capacity`, {
      maxConcurrent: 7,
      role: 'admin',
      active: true,
      taxOfficeId: 'OTHER',
      totpEnabled: false,
      passwordHash: 'x',
    });
    expect(res.status).toBe(200);
    const [row] = await app.db.select().from(staff).where(eq(staff.id, sup.id));
    expect(row).toMatchObject({ maxConcurrent: 7, role: 'supervisor', taxOfficeId: sup.taxOfficeId });
    expect(row?.passwordHash).not.toBe('x');

    const promote = await client.request('PUT', `/api/admin/staff/${sup.id}`, { role: 'admin', version: 1 });
    expectRefused(promote, 403, 'FORBIDDEN');
    const agent = await makeStaff(app);
    const agentClient = (await loginStaff(app, agent.username)).client;
    expectRefused(
      await agentClient.request('PUT', `/api/admin/staff/${agent.id}/capacity`, { maxConcurrent: 99 }),
      403,
      'FORBIDDEN',
    );
    const [after] = await app.db.select().from(staff).where(eq(staff.id, sup.id));
    expect(after?.role).toBe('supervisor');
    expect((await loginStaff(app, sup.username)).me.role).toBe('supervisor');
  });
});
