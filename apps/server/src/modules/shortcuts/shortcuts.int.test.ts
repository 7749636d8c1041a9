/** 快捷入口: the bureau's catalogue, each person's own choice and order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginStaff, loginTaxpayer, makeStaff, makeTaxpayer, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('quick entries (快捷入口)', () => {
  it('shows defaults first, then exactly the entries the taxpayer picked, in their order', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const first = await chat.get('/api/chat/shortcuts');
    expect(first.json.catalog.map((s: { name: string }) => s.name)).toContain('办税地图');
    expect(first.json.mine.map((s: { name: string }) => s.name)).toEqual([
      '办税指南',
      '办税地图',
      '税务小工具',
      '蓝字发票开具',
    ]);

    const saved = await chat.request('PUT', '/api/chat/shortcuts', { ids: ['verify', 'guide'] });
    expect(saved.json.mine.map((s: { id: string }) => s.id)).toEqual(['verify', 'guide']);
    expect((await chat.request('PUT', '/api/chat/shortcuts', { ids: [] })).json.mine).toEqual([]);
    const bad = await chat.request('PUT', '/api/chat/shortcuts', { ids: ['nope'] });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('快捷入口不存在');
  });

  it('lets an administrator maintain the catalogue, refusing unsafe links', async () => {
    const admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
    const ok = await admin.request('PUT', '/api/admin/shortcuts', {
      id: 'social',
      name: '社保费缴纳',
      url: '/portal/account.html#social',
      openIn: 'parent',
    });
    expect(ok.status).toBe(200);
    const bad = await admin.request('PUT', '/api/admin/shortcuts', {
      id: 'evil',
      name: '恶意',
      url: 'javascript:alert(1)',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('链接须以');
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    expect((await chat.get('/api/chat/shortcuts')).json.catalog.map((s: { id: string }) => s.id)).toContain('social');
    const agent = (await loginStaff(app, (await makeStaff(app, 'agent')).username)).client;
    expect((await agent.get('/api/admin/shortcuts')).status).toBe(403);
  });
});
