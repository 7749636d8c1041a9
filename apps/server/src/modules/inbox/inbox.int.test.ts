/** 我的消息: per person and enterprise, unread counts, read state, live arrival, idempotent delivery. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  loginTaxpayer,
  makeTaxpayer,
  nextEvent,
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

describe('my messages (我的消息)', () => {
  it('delivers a notice live with the unread count, lists it, and marks it read', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const socket = connectSocket(chat);
    await connected(socket);
    const live = nextEvent(socket, 'inbox:new');
    await app.inbox.notify(
      { taxpayerId: taxpayer.id },
      { kind: 'appointment_success', title: '预约成功', body: '您已预约 12 月 3 日 10:00 的发票业务视频辅导。' },
    );
    const arrived = await live;
    expect(arrived).toMatchObject({
      unread: 1,
      item: { kind: 'appointment_success', title: '预约成功', readAt: null },
    });

    const list = await chat.get('/api/chat/inbox');
    expect(list.json.unread).toBe(1);
    expect(list.json.items.map((i: { title: string }) => i.title)).toEqual(['预约成功']);

    const unreadLive = nextEvent(socket, 'inbox:unread');
    const read = await chat.post(`/api/chat/inbox/${arrived.item.id}/read`);
    expect(read.json.unread).toBe(0);
    expect(read.json.item.readAt).not.toBeNull();
    expect((await unreadLive).unread).toBe(0);
    socket.close();
  });

  it("keeps one enterprise's messages from another's, and the same delivery from arriving twice", async () => {
    const a = await makeTaxpayer(app);
    const b = await makeTaxpayer(app);
    const notice = {
      kind: 'push' as const,
      title: '申报期提醒',
      body: '本月征期截止日为 15 日。',
      dedupeKey: 'push-2026-12',
    };
    await app.inbox.notify({ taxpayerId: a.taxpayer.id }, notice);
    await app.inbox.notify({ taxpayerId: a.taxpayer.id }, notice);
    const chatA = (await loginTaxpayer(app, a.taxpayer.taxpayerNo)).chat;
    const chatB = (await loginTaxpayer(app, b.taxpayer.taxpayerNo)).chat;
    expect((await chatA.get('/api/chat/inbox')).json.items).toHaveLength(1);
    expect((await chatB.get('/api/chat/inbox')).json.items).toHaveLength(0);
    const id = (await chatA.get('/api/chat/inbox')).json.items[0].id;
    expect((await chatB.post(`/api/chat/inbox/${id}/read`)).status).toBe(404);
    expect((await chatA.post('/api/chat/inbox/read-all')).json.unread).toBe(0);
  });

  it('tells the portal page the unread count for its launcher icon, without opening the chat', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { portal } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    await app.inbox.notify({ taxpayerId: taxpayer.id }, { kind: 'system', title: '系统通知', body: '测试' });
    expect((await portal.get('/api/portal/chat-unread')).json).toEqual({ unread: 1 });
  });
});
