/**
 * 工单 end to end: conversion from a 留言, the state machine with every step recorded, version conflicts, 转派 between
 * offices, what the taxpayer sees — and the deadline sweep with an injected clock: reminders before the deadline,
 * escalation after, each once even with two sweeps (two nodes) at the same moment.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  loginStaff,
  loginTaxpayer,
  makeGroup,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  startTestApp,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createTaxOffice } from '../../db/factories.ts';
import { staff } from '../../db/schema.ts';
import { createCaseNotifier } from '../cases/case-notify.ts';
import { createCaseDeadlines } from '../cases/deadlines.ts';
import { createInquiryService } from '../inquiry/inquiry.service.ts';
import { reminderTime } from '../settings/working-days.ts';
import { createWorkOrderService } from './work-order.service.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function officeAgent(officeId: string) {
  const agent = await makeStaff(app);
  await app.db.update(staff).set({ taxOfficeId: officeId }).where(eq(staff.id, agent.id));
  await makeGroup(app, { taxOfficeId: officeId, agents: [agent.id] });
  return { agent, client: (await loginStaff(app, agent.username)).client };
}

/** A taxpayer's 留言 at their own office, with an agent there. */
async function leftMessage() {
  const { taxpayer, office } = await makeTaxpayer(app);
  const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
  const { agent, client } = await officeAgent(office.id);
  const created = await chat.post('/api/chat/inquiries', {
    clientKey: randomUUID(),
    taxOfficeId: office.id,
    type: 'complaint',
    content: '办税服务厅窗口排队时间过长，希望增加窗口。',
    phone: '13700002222',
    receiveBy: 'sms',
  });
  expect(created.status).toBe(200);
  return { chat, taxpayer, office, agent, agentClient: client, inquiry: created.json };
}

/** A second node's services over the same database: a sweep of its own. */
function secondNode() {
  const notifyTaxpayer = createCaseNotifier({ inbox: app.inbox, sms: app.sms, logger: app.app.log as never });
  const deps = { db: app.db, bus: app.bus, settings: app.settings, logger: app.app.log as never, notifyTaxpayer };
  const workOrders = createWorkOrderService(deps);
  const inquiries = createInquiryService({ ...deps, conversations: app.conversations, workOrders });
  return createCaseDeadlines({ inquiries, workOrders });
}

function countEvents(socket: ClientSocket, id: string) {
  const seen: string[] = [];
  socket.on('case:alert', (n) => {
    if (n.id === id) seen.push(n.alert);
  });
  return seen;
}
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('工单', () => {
  it('gives every agent the 工单类型 for 转为工单 and the offices for 转派 (the settings page stays admin-only)', async () => {
    const { office } = await makeTaxpayer(app);
    const { client } = await officeAgent(office.id);
    const res = await client.get('/api/workspace/work-orders/options');
    expect(res.status).toBe(200);
    expect(res.json.types.map((t: { name: string }) => t.name)).toContain('业务办理类');
    expect(res.json.offices.map((o: { id: string }) => o.id)).toContain(office.id);
    expect((await client.get('/api/admin/settings/cases')).status).toBe(403);
  });

  it('goes 待受理 → 处理中 → 已办结 with every step recorded, refuses stale versions, and shows the taxpayer the result', async () => {
    const { chat, agentClient, inquiry, office } = await leftMessage();
    const converted = await agentClient.post(`/api/workspace/inquiries/${inquiry.id}/convert`, {
      type: 'complaint',
      title: '窗口排队时间过长',
      note: '需业务科室核实窗口配置',
    });
    expect(converted.status).toBe(200);
    const wo = converted.json;
    expect(wo).toMatchObject({ status: 'pending', typeName: '投诉举报类', inquiryId: inquiry.id, version: 1 });
    expect(wo.number).toMatch(/^GD\d{8}[A-Z2-9]{6}$/);
    expect((await chat.get(`/api/chat/inquiries/${inquiry.id}`)).json).toMatchObject({
      status: 'converted',
      workOrderId: wo.id,
    });

    // a taxpayer of another enterprise and an agent of another office are kept out
    const stranger = await makeTaxpayer(app);
    const strangerChat = (await loginTaxpayer(app, stranger.taxpayer.taxpayerNo)).chat;
    expect((await strangerChat.get(`/api/chat/work-orders/${wo.id}`)).status).toBe(404);
    const outsider = (await loginStaff(app, (await makeStaff(app)).username)).client;
    expect((await outsider.get(`/api/workspace/work-orders/${wo.id}`)).status).toBe(403);
    expect(
      (await outsider.post(`/api/workspace/work-orders/${wo.id}/actions`, { action: 'accept', version: 1 })).status,
    ).toBe(403);

    const accepted = await agentClient.post(`/api/workspace/work-orders/${wo.id}/actions`, {
      action: 'accept',
      version: 1,
    });
    expect(accepted.json).toMatchObject({ status: 'processing', version: 2 });
    // two agents acting on what they saw at version 2: one wins, the other is told to refresh
    const [x, y] = await Promise.all([
      agentClient.post(`/api/workspace/work-orders/${wo.id}/actions`, {
        action: 'note',
        version: 2,
        note: '已联系纳税人',
      }),
      agentClient.post(`/api/workspace/work-orders/${wo.id}/actions`, { action: 'note', version: 2, note: '重复提交' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect((x.status === 409 ? x : y).json.code).toBe('VERSION_CONFLICT');

    const done = await agentClient.post(`/api/workspace/work-orders/${wo.id}/actions`, {
      action: 'complete',
      version: 3,
      result: '已协调增设两个发票业务窗口，高峰期排队时间明显缩短。',
    });
    expect(done.json.status).toBe('done');
    expect(done.json.steps.map((s: { action: string }) => s.action)).toEqual(['create', 'accept', 'note', 'complete']);
    expect(done.json.steps[1]).toMatchObject({ fromStatus: 'pending', toStatus: 'processing' });
    expect(done.json.steps.every((s: { staffName: string | null }) => s.staffName)).toBe(true);

    const supervisor = (await loginStaff(app, (await makeStaff(app, 'supervisor')).username)).client;
    expect((await supervisor.get(`/api/workspace/work-orders/${wo.id}`)).json.steps).toHaveLength(4);

    const seen = (await chat.get(`/api/chat/work-orders/${wo.id}`)).json;
    expect(seen).toMatchObject({ status: 'done', result: '已协调增设两个发票业务窗口，高峰期排队时间明显缩短。' });
    expect(seen.progress.map((p: { label: string }) => p.label)).toEqual(['创建工单', '受理', '办结']);
    expect(JSON.stringify(seen)).not.toContain('已联系纳税人');
    const inbox = (await chat.get('/api/chat/inbox')).json.items;
    expect(inbox.map((i: { kind: string }) => i.kind)).toContain('work_order_result');
    const outbox = (await app.sms.outbox()).messages.filter((m) => m.template === 'work_order_result');
    expect(outbox.some((m) => m.maskedPhone === '137****2222' && m.content.includes(wo.number))).toBe(true);
    void office;
  });

  it('is returned or reassigned to another office with a reason, and the new office takes it over', async () => {
    const { agentClient, inquiry, office } = await leftMessage();
    const wo = (
      await agentClient.post(`/api/workspace/inquiries/${inquiry.id}/convert`, {
        type: 'consult',
        title: '窗口配置咨询',
      })
    ).json;
    const other = await createTaxOffice(app.db, { name: `测试第二税务分局${randomUUID().slice(0, 4)}` });
    const { agent: otherAgent, client: otherClient } = await officeAgent(other.id);

    const noReason = await agentClient.post(`/api/workspace/work-orders/${wo.id}/actions`, {
      action: 'reassign',
      version: 1,
      toOfficeId: other.id,
      reason: '',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toContain('原因');

    const moved = await agentClient.post(`/api/workspace/work-orders/${wo.id}/actions`, {
      action: 'reassign',
      version: 1,
      toOfficeId: other.id,
      reason: '属于第二分局管辖',
    });
    expect(moved.json).toMatchObject({ status: 'pending', taxOfficeId: other.id, assigneeStaffId: otherAgent.id });
    expect(moved.json.steps.at(-1)).toMatchObject({
      action: 'reassign',
      fromOfficeName: office.name,
      toOfficeName: other.name,
      note: '属于第二分局管辖',
    });
    const returned = await otherClient.post(`/api/workspace/work-orders/${wo.id}/actions`, {
      action: 'return',
      version: 2,
      reason: '材料不全，请补充',
    });
    expect(returned.json.status).toBe('returned');
    expect(returned.json.steps.at(-1)).toMatchObject({ action: 'return', note: '材料不全，请补充' });
  });
});

describe('deadlines (injected clock)', () => {
  it('escalates an overdue 留言 once, even with two nodes sweeping at the same moment', async () => {
    const { inquiry, agentClient } = await leftMessage();
    const supervisor = await loginStaff(app, (await makeStaff(app, 'supervisor')).username);
    const socket = connectSocket(supervisor.client);
    await connected(socket);
    const alerts = countEvents(socket, inquiry.id);

    const before = new Date(new Date(inquiry.dueAt).getTime() - 60_000);
    await app.caseDeadlines.sweep(before);
    await settle();
    expect(alerts).toEqual([]);

    const after = new Date(new Date(inquiry.dueAt).getTime() + 60_000);
    const first = nextEvent(socket, 'case:alert', (n) => n.id === inquiry.id);
    await Promise.all([app.caseDeadlines.sweep(after), secondNode().sweep(after), app.caseDeadlines.sweep(after)]);
    expect(await first).toMatchObject({ alert: 'escalate', caseKind: 'inquiry' });
    await settle();
    expect(alerts).toEqual(['escalate']);

    const overdue = (await supervisor.client.get('/api/workspace/inquiries?scope=overdue')).json.inquiries;
    expect(overdue.find((i: { id: string }) => i.id === inquiry.id)).toMatchObject({ escalated: true });
    expect((await agentClient.get('/api/workspace/inquiries?scope=mine')).json.inquiries[0]).toMatchObject({
      escalated: true,
    });
    socket.close();
  });

  it('reminds the assignee before a work order is due and escalates it after, each once and recorded', async () => {
    const { agentClient, inquiry } = await leftMessage();
    const wo = (
      await agentClient.post(`/api/workspace/inquiries/${inquiry.id}/convert`, { type: 'business', title: '退税办理' })
    ).json;
    const dueAt = new Date(wo.dueAt);
    const remindAt = reminderTime(dueAt, 1, { holidays: [], workdays: [] }) as Date;
    const agentSocket = connectSocket(agentClient);
    await connected(agentSocket);
    const alerts = countEvents(agentSocket, wo.id);

    await app.caseDeadlines.sweep(new Date(remindAt.getTime() - 60_000));
    const atRemind = new Date(remindAt.getTime() + 60_000);
    await Promise.all([app.caseDeadlines.sweep(atRemind), secondNode().sweep(atRemind)]);
    await app.caseDeadlines.sweep(new Date(dueAt.getTime() - 60_000));
    const late = new Date(dueAt.getTime() + 60_000);
    await Promise.all([app.caseDeadlines.sweep(late), secondNode().sweep(late)]);
    await app.caseDeadlines.sweep(new Date(dueAt.getTime() + 3_600_000));
    await settle();
    expect(alerts).toEqual(['remind', 'escalate']);

    const supervisor = (await loginStaff(app, (await makeStaff(app, 'supervisor')).username)).client;
    const detail = (await supervisor.get(`/api/workspace/work-orders/${wo.id}`)).json;
    expect(detail.steps.map((s: { action: string }) => s.action)).toEqual(['create', 'remind', 'escalate']);
    expect(detail.steps[1].staffName).toBeNull();
    expect(detail.escalated).toBe(true);
    // the overdue list is the supervisor's view of all offices; a stranger agent's is empty of it
    const overdue = (await supervisor.get('/api/workspace/work-orders?scope=overdue')).json.workOrders;
    expect(overdue.some((w: { id: string }) => w.id === wo.id)).toBe(true);
    const stranger = (await loginStaff(app, (await makeStaff(app)).username)).client;
    expect((await stranger.get('/api/workspace/work-orders?scope=overdue')).json.workOrders).toHaveLength(0);
    agentSocket.close();
  });
});
