/**
 * 预约 end to end: slots by schedule, closed dates, window and cut-off; booking with 预约成功 in 我的消息 and SMS; the
 * race for the last place; one booking per taxpayer and slot; idempotent retries; cancel and reschedule rules; who may
 * see and act; the staff's day, start and completion — and the sweep with an injected clock on two "nodes": one
 * reminder, one 失约 with its notice, and the restriction after repeated 失约.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginStaff, loginTaxpayer, makeStaff, makeTaxpayer, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createTaxOffice } from '../../db/factories.ts';
import { appointments, conversations as conversationsTable, staff } from '../../db/schema.ts';
import { createCaseNotifier } from '../cases/case-notify.ts';
import { cstDate } from '../settings/working-days.ts';
import { appointmentRepo } from './appointment.repo.ts';
import { cstStartOf, shiftDate } from './appointment-calendar.ts';
import { createAppointmentStaffService } from './appointment-staff.service.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const ALL_WEEK = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '11:00' }]]),
) as Record<string, { start: string; end: string }[]>;

async function makeService(officeId: string, v: Partial<Parameters<typeof appointmentRepo.insertService>[1]> = {}) {
  return appointmentRepo.insertService(app.db, {
    name: `发票业务视频辅导${randomUUID().slice(0, 4)}`,
    taxOfficeId: officeId,
    business: 'invoice',
    channel: 'av',
    schedule: ALL_WEEK,
    slotMinutes: 30,
    capacity: 2,
    minDaysAhead: 1,
    maxDaysAhead: 14,
    cutoffMinutes: 60,
    cancelMinutes: 120,
    ...v,
  });
}

/** `days` ahead (CST) at hh:mm CST, as an ISO instant. */
const at = (days: number, hm: string) =>
  new Date(
    cstStartOf(shiftDate(cstDate(new Date()), days)).getTime() +
      (Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3))) * 60_000,
  ).toISOString();

async function taxpayerWithService(v: Parameters<typeof makeService>[1] = {}) {
  const { taxpayer, office } = await makeTaxpayer(app);
  const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
  const service = await makeService(office.id, v);
  return { taxpayer, office, chat, service };
}

const booking = (serviceId: string, startsAt: string, extra: Record<string, unknown> = {}) => ({
  clientKey: randomUUID(),
  serviceId,
  startsAt,
  phone: '13900002222',
  description: '咨询发票红冲的操作流程',
  ...extra,
});

async function officeAgent(officeId: string, role: 'agent' | 'supervisor' = 'agent') {
  const agent = await makeStaff(app, role);
  await app.db.update(staff).set({ taxOfficeId: officeId }).where(eq(staff.id, agent.id));
  return { agent, client: (await loginStaff(app, agent.username)).client };
}

describe('预约：时段', () => {
  it('cuts slots from the weekly schedule in CST, closes holidays and closed dates, and keeps to the window', async () => {
    const closed = shiftDate(cstDate(new Date()), 3);
    const { chat, service } = await taxpayerWithService({ closedDates: [closed] });
    const res = await chat.get(`/api/chat/appointments/services/${service.id}/slots`);
    expect(res.status).toBe(200);
    const days = res.json.days as { date: string; closed: boolean; slots: { startsAt: string; bookable: boolean }[] }[];
    // from tomorrow to 14 days ahead
    expect(days[0]?.date).toBe(shiftDate(cstDate(new Date()), 1));
    expect(days).toHaveLength(14);
    expect(days[0]?.slots.map((s) => s.startsAt)).toEqual([
      at(1, '09:00'),
      at(1, '09:30'),
      at(1, '10:00'),
      at(1, '10:30'),
    ]);
    // 09:00 CST is 01:00Z whatever the server's TZ
    expect(days[0]?.slots[0]?.startsAt.slice(11, 16)).toBe('01:00');
    expect(days.find((d) => d.date === closed)).toMatchObject({ closed: true, slots: [] });
    // asking outside the window is clamped to it
    const past = await chat.get(`/api/chat/appointments/services/${service.id}/slots?from=2020-01-01&to=2020-01-05`);
    expect(past.json.days).toEqual([]);
    // a slot on a closed date, beyond the window or off the grid is refused in Chinese
    for (const startsAt of [at(3, '09:00'), at(20, '09:00'), at(1, '09:10'), at(0, '23:00')]) {
      const r = await chat.post('/api/chat/appointments', booking(service.id, startsAt));
      expect(r.status).toBe(400);
      expect(r.json.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('closes a slot for booking after its cut-off', async () => {
    // today's slots are bookable until 60 minutes before: a schedule around the clock shows which are past
    const { chat, service } = await taxpayerWithService({
      minDaysAhead: 0,
      schedule: {
        ...ALL_WEEK,
        ...Object.fromEntries(Object.keys(ALL_WEEK).map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
      },
      slotMinutes: 60,
    });
    const res = await chat.get(`/api/chat/appointments/services/${service.id}/slots?to=${cstDate(new Date())}`);
    const slots = res.json.days[0].slots as { startsAt: string; bookable: boolean }[];
    expect(slots).toHaveLength(24);
    const now = Date.now();
    for (const s of slots) expect(s.bookable).toBe(Date.parse(s.startsAt) - 60 * 60_000 >= now);
  });
});

describe('预约：预约与我的预约', () => {
  it('books: 预约成功 in 我的消息 and by SMS, phone masked, retries idempotent, one booking per taxpayer and slot', async () => {
    const { chat, service, taxpayer } = await taxpayerWithService();
    const body = booking(service.id, at(2, '09:30'), { receiveBy: 'sms' });
    const res = await chat.post('/api/chat/appointments', body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'booked', maskedPhone: '139****2222', canChange: true, channel: 'av' });
    expect(res.json.number).toMatch(/^YY\d{8}[A-Z2-9]{6}$/);
    expect(res.text).not.toContain('13900002222');

    // the same form submitted again: the same booking
    const again = await chat.post('/api/chat/appointments', body);
    expect(again.json.id).toBe(res.json.id);
    // a new form for the same slot: refused clearly
    const twice = await chat.post('/api/chat/appointments', booking(service.id, at(2, '09:30')));
    expect(twice.status).toBe(409);
    expect(twice.json).toMatchObject({ code: 'ALREADY_BOOKED', message: '您已预约该时段，无需重复预约。' });

    const inbox = await chat.get('/api/chat/inbox?limit=10');
    const item = inbox.json.items.find((i: { kind: string }) => i.kind === 'appointment_success');
    expect(item.title).toContain(service.name);
    expect(item.body).toContain(res.json.number);

    const admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
    const outbox = await admin.get('/api/admin/sms/outbox');
    const sms = outbox.json.messages.filter(
      (m: { template: string; maskedPhone: string; content: string }) =>
        m.template === 'appointment_success' && m.content.includes(service.name),
    );
    expect(sms).toHaveLength(1);

    // the slot shows the place taken and is not bookable again for this taxpayer
    const days = (await chat.get(`/api/chat/appointments/services/${service.id}/slots`)).json.days;
    const slot = days[1].slots[1];
    expect(slot).toMatchObject({ booked: 1, capacity: 2, full: false, bookable: false });

    const mine = (await chat.get('/api/chat/appointments')).json.appointments;
    expect(mine.map((a: { id: string }) => a.id)).toEqual([res.json.id]);
    // another enterprise cannot see or touch it
    const stranger = await makeTaxpayer(app);
    const other = (await loginTaxpayer(app, stranger.taxpayer.taxpayerNo)).chat;
    expect((await other.get('/api/chat/appointments')).json.appointments).toEqual([]);
    expect((await other.post(`/api/chat/appointments/${res.json.id}/cancel`)).status).toBe(404);
    expect(taxpayer.id).toBeTruthy();
  });

  it('gives the last place to exactly one of many racers; the others are told it is full', async () => {
    const { service, office } = await taxpayerWithService({ capacity: 1 });
    const racers = [];
    for (let i = 0; i < 6; i++) {
      const { taxpayer } = await makeTaxpayer(app);
      racers.push((await loginTaxpayer(app, taxpayer.taxpayerNo)).chat);
    }
    const results = await Promise.all(
      racers.map((c) => c.post('/api/chat/appointments', booking(service.id, at(3, '10:00')))),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(5);
    for (const r of losers) expect(r.json).toMatchObject({ code: 'SLOT_FULL' });
    expect(losers[0]?.json.message).toBe('该时段已约满，请选择其他时段。');
    const days = (await racers[0]?.get(`/api/chat/appointments/services/${service.id}/slots`))?.json.days;
    expect(days[2].slots[2]).toMatchObject({ booked: 1, full: true, bookable: false });
    expect(office.id).toBeTruthy();
  });

  it('cancels and reschedules while the rule allows, moving the place atomically', async () => {
    const { chat, service } = await taxpayerWithService({ capacity: 1 });
    const b = (await chat.post('/api/chat/appointments', booking(service.id, at(4, '09:00')))).json;
    const moved = await chat.post(`/api/chat/appointments/${b.id}/reschedule`, { startsAt: at(4, '10:00') });
    expect(moved.status).toBe(200);
    expect(moved.json.startsAt).toBe(at(4, '10:00'));
    const slots = (await chat.get(`/api/chat/appointments/services/${service.id}/slots`)).json.days[3].slots;
    expect(slots[0]).toMatchObject({ booked: 0, bookable: true });
    expect(slots[2]).toMatchObject({ booked: 1, full: true });

    // another taxpayer fills 09:30; moving there is refused as full and nothing changes
    const { taxpayer } = await makeTaxpayer(app);
    const other = (await loginTaxpayer(app, taxpayer.taxpayerNo)).chat;
    expect((await other.post('/api/chat/appointments', booking(service.id, at(4, '09:30')))).status).toBe(200);
    const full = await chat.post(`/api/chat/appointments/${b.id}/reschedule`, { startsAt: at(4, '09:30') });
    expect(full.json.code).toBe('SLOT_FULL');
    expect((await chat.get('/api/chat/appointments')).json.appointments[0].startsAt).toBe(at(4, '10:00'));

    const cancelled = await chat.post(`/api/chat/appointments/${b.id}/cancel`);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', canChange: false });
    expect((await chat.post(`/api/chat/appointments/${b.id}/cancel`)).status).toBe(409);
    const inbox = (await chat.get('/api/chat/inbox?limit=10')).json.items;
    expect(inbox.some((i: { kind: string }) => i.kind === 'appointment_cancelled')).toBe(true);
    const after = (await chat.get(`/api/chat/appointments/services/${service.id}/slots`)).json.days[3].slots;
    expect(after[2]).toMatchObject({ booked: 0, bookable: true });

    // too close to the slot: the service's rule says no
    const late = (await chat.post('/api/chat/appointments', booking(service.id, at(5, '09:00')))).json;
    const svc = app.appointments;
    const nearly = new Date(Date.parse(at(5, '09:00')) - 60 * 60_000);
    const actor = { kind: 'taxpayer', sessionId: 'x', portalUserId: '', taxpayerId: '', personName: '' } as const;
    const own = await appointmentRepo.one(app.db, late.id);
    await expect(
      svc.cancel(
        { ...actor, portalUserId: own?.a.portalUserId ?? '', taxpayerId: own?.a.taxpayerId ?? '' },
        late.id,
        nearly,
      ),
    ).rejects.toThrow(/预约开始前 120 分钟内不能取消或改约/);
  });
});

describe('预约：坐席', () => {
  it("lists the day's bookings per office and agent, starts a chat the taxpayer sees, and completes", async () => {
    const { chat, service, office } = await taxpayerWithService({ channel: 'text' });
    const b = (await chat.post('/api/chat/appointments', booking(service.id, at(1, '10:30')))).json;
    const { client } = await officeAgent(office.id);
    const date = shiftDate(cstDate(new Date()), 1);
    const list = await client.get(`/api/workspace/appointments?date=${date}`);
    expect(list.status).toBe(200);
    expect(list.json.appointments.map((a: { id: string }) => a.id)).toContain(b.id);
    expect(list.json.appointments[0]).toMatchObject({ attended: false, noShows: 0, staffId: null });
    expect((await client.get(`/api/workspace/appointments?date=${date}&scope=mine`)).json.appointments).toEqual([]);

    // an agent of another office sees none of it and may not start it
    const outsider = (await loginStaff(app, (await makeStaff(app)).username)).client;
    expect((await outsider.get(`/api/workspace/appointments?date=${date}`)).json.appointments).toEqual([]);
    expect((await outsider.post(`/api/workspace/appointments/${b.id}/start`, { mode: 'chat' })).status).toBe(403);
    expect((await client.get('/api/workspace/appointments/no-shows')).status).toBe(403);

    expect((await client.post(`/api/workspace/appointments/${b.id}/complete`, {})).status).toBe(400);
    const started = await client.post(`/api/workspace/appointments/${b.id}/start`, { mode: 'chat' });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ startedMode: 'chat', staffName: expect.any(String) });
    expect(started.json.conversationId).toBeTruthy();

    const conv = (await chat.get('/api/chat/conversation')).json;
    expect(conv.conversation.id).toBe(started.json.conversationId);
    const notice = conv.page.messages.find((m: { senderType: string }) => m.senderType === 'system');
    expect(notice.body).toContain(`您预约的${service.name}服务已开始`);

    // the taxpayer writes in it: they came
    const own = await appointmentRepo.one(app.db, b.id);
    await app.conversations.send(
      {
        kind: 'taxpayer',
        sessionId: 's',
        portalUserId: own?.a.portalUserId ?? '',
        taxpayerId: own?.a.taxpayerId ?? '',
        personName: '李',
      },
      { conversationId: conv.conversation.id, clientId: randomUUID(), body: '您好', attachmentIds: [], private: false },
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(
      (await client.get(`/api/workspace/appointments?date=${date}&scope=mine`)).json.appointments[0].attended,
    ).toBe(true);

    const done = await client.post(`/api/workspace/appointments/${b.id}/complete`, { note: '已讲解红冲流程' });
    expect(done.json).toMatchObject({ status: 'completed' });
    expect((await client.post(`/api/workspace/appointments/${b.id}/complete`, {})).status).toBe(409);
  });

  it('leaves the booking unstarted when the taxpayer is already talking to another agent', async () => {
    const { chat, service, office } = await taxpayerWithService();
    const b = (await chat.post('/api/chat/appointments', booking(service.id, at(1, '09:00')))).json;
    // the taxpayer's open conversation is with another agent
    const other = await officeAgent(office.id);
    const own = await appointmentRepo.one(app.db, b.id);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation;
    await app.db
      .update(conversationsTable)
      .set({ assigneeStaffId: other.agent.id, assignedAt: new Date() })
      .where(eq(conversationsTable.id, conv.id));
    expect(own?.a.taxpayerId).toBeTruthy();

    const { client } = await officeAgent(office.id);
    const refused = await client.post(`/api/workspace/appointments/${b.id}/start`, { mode: 'chat' });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toContain('正在与其他坐席会话');
    const after = await appointmentRepo.one(app.db, b.id);
    expect(after?.a).toMatchObject({ staffId: null, startedAt: null, startedMode: null, status: 'booked' });
    // so another start (phone) is still possible for this agent
    const phone = await client.post(`/api/workspace/appointments/${b.id}/start`, { mode: 'phone' });
    expect(phone.json).toMatchObject({ startedMode: 'phone' });
  });

  it('records a phone call-back and counts it attended on completion', async () => {
    const { chat, service, office } = await taxpayerWithService({ channel: 'phone' });
    const b = (await chat.post('/api/chat/appointments', booking(service.id, at(1, '09:00')))).json;
    const { client } = await officeAgent(office.id);
    const started = await client.post(`/api/workspace/appointments/${b.id}/start`, { mode: 'phone', note: '已拨打' });
    expect(started.json).toMatchObject({ startedMode: 'phone', conversationId: null });
    // a second agent cannot take it over
    const second = await officeAgent(office.id);
    expect((await second.client.post(`/api/workspace/appointments/${b.id}/start`, { mode: 'chat' })).status).toBe(409);
    const done = await client.post(`/api/workspace/appointments/${b.id}/complete`, {});
    expect(done.json).toMatchObject({ status: 'completed', attended: true });
  });
});

describe('预约：管理', () => {
  it('validates services in Chinese, saves over versions, and deactivates', async () => {
    const admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
    const office = await createTaxOffice(app.db);
    const value = {
      name: '申报问题电话回访',
      taxOfficeId: office.id,
      business: 'filing',
      channel: 'phone',
      schedule: { ...ALL_WEEK, sat: [], sun: [] },
      slotMinutes: 60,
      capacity: 3,
      minDaysAhead: 1,
      maxDaysAhead: 14,
      cutoffMinutes: 60,
      cancelMinutes: 120,
      closedDates: [],
    };
    const bad = await admin.post('/api/admin/appointment-services', { ...value, capacity: 0, minDaysAhead: 20 });
    expect(bad.status).toBe(400);
    expect(bad.json.fields.capacity).toBe('每个时段至少 1 个名额');
    expect(bad.json.fields.maxDaysAhead ?? bad.json.message).toMatch(/最早可约天数|名额/);
    const noOffice = await admin.post('/api/admin/appointment-services', { ...value, taxOfficeId: 'nope' });
    expect(noOffice.json.message).toBe('请选择有效的税务机关。');

    const created = await admin.post('/api/admin/appointment-services', value);
    expect(created.json).toMatchObject({ version: 1, active: true, taxOfficeName: office.name });
    const put = (version: number, capacity: number) =>
      admin.request('PUT', `/api/admin/appointment-services/${created.json.id}`, {
        value: { ...value, capacity },
        version,
      });
    expect((await put(1, 4)).json).toMatchObject({ version: 2, capacity: 4 });
    const stale = await put(1, 5);
    expect(stale.status).toBe(409);
    expect(stale.json.message).toBe('该预约服务已被他人修改，请刷新后再修改。');
    const gone = await admin.request('DELETE', `/api/admin/appointment-services/${created.json.id}`);
    expect(gone.json.active).toBe(false);
    const { taxpayer } = await makeTaxpayer(app);
    const chat = (await loginTaxpayer(app, taxpayer.taxpayerNo)).chat;
    const services = (await chat.get('/api/chat/appointments/services')).json.services;
    expect(services.some((s: { id: string }) => s.id === created.json.id)).toBe(false);

    const agent = (await loginStaff(app, (await makeStaff(app)).username)).client;
    expect((await agent.post('/api/admin/appointment-services', value)).status).toBe(403);
    const settings = await admin.get('/api/admin/settings/appointments');
    expect(settings.json).toMatchObject({ value: { graceMinutes: 15, noShowLimit: 3 }, version: 0 });
  });
});

// last: the sweep's clock runs ahead of every booking above
describe('预约：提醒与失约', () => {
  it('reminds once and marks 失约 once across two sweeping nodes, then restricts after the limit', async () => {
    const { chat, service, office } = await taxpayerWithService({ capacity: 3 });
    const ids: string[] = [];
    for (const hm of ['09:00', '09:30', '10:00']) {
      ids.push((await chat.post('/api/chat/appointments', booking(service.id, at(6, hm)))).json.id);
    }
    const other = createAppointmentStaffService({
      db: app.db,
      bus: app.bus,
      settings: app.settings,
      conversations: app.conversations,
      notifyTaxpayer: createCaseNotifier({ inbox: app.inbox, sms: app.sms, logger: app.app.log as never }),
      logger: app.app.log as never,
    });
    const first = new Date(Date.parse(at(6, '09:00')) - 30 * 60_000);
    const [x, y] = await Promise.all([app.appointmentStaff.sweep(first), other.sweep(first)]);
    // 09:00 is within the hour, 09:30 and 10:00 are not yet (earlier tests' bookings are all 失约 by this clock)
    expect(x.reminded + y.reminded).toBe(1);
    const statuses = async () =>
      (await app.db.select().from(appointments).where(eq(appointments.serviceId, service.id)))
        .map((r) => r.status)
        .sort();
    expect(await statuses()).toEqual(['booked', 'booked', 'booked']);
    const [x2, y2] = await Promise.all([app.appointmentStaff.sweep(first), other.sweep(first)]);
    expect(x2.reminded + y2.reminded).toBe(0);

    // the taxpayer checks in for 09:30 (the route's clock is today, so the service is called with the slot's)
    const own = await appointmentRepo.one(app.db, ids[1] as string);
    const actor = {
      kind: 'taxpayer',
      sessionId: 's',
      portalUserId: own?.a.portalUserId ?? '',
      taxpayerId: own?.a.taxpayerId ?? '',
      personName: '李',
    } as const;
    expect((await app.appointments.attend(actor, ids[1] as string, new Date(Date.parse(at(6, '09:35'))))).status).toBe(
      'booked',
    );

    const later = new Date(Date.parse(at(6, '11:00')));
    const [a, b] = await Promise.all([app.appointmentStaff.sweep(later), other.sweep(later)]);
    expect(a.noShows + b.noShows).toBe(2);
    expect(await statuses()).toEqual(['booked', 'no_show', 'no_show']);

    const inbox = (await chat.get('/api/chat/inbox?limit=20')).json.items as { kind: string; body: string }[];
    expect(inbox.filter((i) => i.kind === 'appointment_reminder')).toHaveLength(1);
    expect(inbox.filter((i) => i.kind === 'appointment_no_show')).toHaveLength(2);

    // a third 失约 reaches the limit (3 in 90 days): booking is refused until a named date
    const more = (await chat.post('/api/chat/appointments', booking(service.id, at(7, '09:00')))).json;
    await app.appointmentStaff.sweep(new Date(Date.parse(at(7, '10:00'))));
    expect((await appointmentRepo.one(app.db, more.id))?.a.status).toBe('no_show');
    const refused = await chat.post('/api/chat/appointments', booking(service.id, at(8, '09:00')));
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/您近期已失约 3 次，\d{4}-\d{2}-\d{2} 前暂不能预约/);
    const noShowItem = (await chat.get('/api/chat/inbox?limit=5')).json.items.find(
      (i: { kind: string }) => i.kind === 'appointment_no_show',
    );
    expect(noShowItem.body).toContain('将暂停预约服务');

    const { client: sup } = await officeAgent(office.id, 'supervisor');
    const counts = (await sup.get('/api/workspace/appointments/no-shows')).json.taxpayers;
    expect(counts.find((c: { noShows: number }) => c.noShows === 3)).toMatchObject({
      restrictedUntil: expect.any(String),
    });
  });
});
